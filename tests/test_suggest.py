"""Suggest: language detection, inquiry classification, ranking, bad input."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from replykit import InputError
from replykit.vocabulary import INQUIRY_TYPES, LANGUAGES

POSTS = yaml.safe_load((Path(__file__).parent / "data" / "posts.yaml").read_text(encoding="utf-8"))
CASES = [(lang, itype, text) for lang, posts in POSTS.items() for itype, text in posts.items()]


def test_posts_cover_every_type_in_every_language():
    assert {(lang, t) for lang, t, _ in CASES} == {(lang, t) for lang in LANGUAGES for t in INQUIRY_TYPES}


@pytest.mark.parametrize("lang,itype,text", CASES, ids=[f"{lang}-{t}" for lang, t, _ in CASES])
def test_each_type_in_each_language(kit, lang, itype, text):
    result = kit.suggest(text, lang=lang)
    assert result.inquiry_type == itype, [(c.type, c.score) for c in result.candidates]
    assert result.suggestions and result.suggestions[0].inquiry_type == itype
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert result.matched.get(itype), "an agent must see which phrases matched"


def test_language_detection_on_the_test_posts(kit):
    # Danish and Norwegian share most of their words: detection is measured, not assumed perfect.
    right = [kit.suggest(text).lang == lang for lang, _, text in CASES]
    assert sum(right) >= len(CASES) - 2, [text for (lang, _, text), ok in zip(CASES, right, strict=True) if not ok]


@pytest.mark.parametrize("text,lang", [
    ("Mit net er nede igen!!", "da"), ("Nettet er nede igjen!!", "no"), ("Kva er gale med nettet dykkar no?", "no"),
    ("Hvorfor virker min telefon ikke i udlandet?", "da"), ("Hvorfor funker ikke mobilen min i utlandet?", "no"),
    ("Waarom doet mijn internet het weer niet", "nl"), ("ПОЧЕМУ НЕТ ИНТЕРНЕТА???", "ru"),
])
def test_language_detection_on_short_informal_posts(kit, text, lang):
    assert kit.suggest(text).lang == lang


@pytest.mark.parametrize("text", ["Hello, my internet has been down all day, what is going on?",
                                  "Hej, mitt internet fungerar inte och ingen svarar", "😡😡😡", "12345 !!!"])
def test_language_outside_the_pack_gets_the_default_undetected(kit, text):
    result = kit.suggest(text)
    assert result.lang == "da" and result.lang_detected is False and result.lang_confidence < 0.5
    assert result.candidates and result.notices


def test_given_language_is_not_detected(kit):
    result = kit.suggest("Internettet er nede", lang="da")
    assert result.lang == "da" and result.lang_detected is False


def test_cancel_because_of_prices_ranks_order_then_criticism(kit):
    result = kit.suggest("Jeg vil opsige mit abonnement, fordi jeres priser er alt for høje og bliver ved med at stige")
    types = [c.type for c in result.candidates]
    assert types[0] == "order_request" and "criticism" in types[:3]


def test_angry_sarcastic_outage_is_still_an_outage(kit):
    result = kit.suggest("Fantastisk, Fibra. Nettet er nede i hele Vejle for tredje gang i denne uge. "
                         "Virkelig imponerende 👏 Hvornår virker det igen?")
    assert result.inquiry_type == "outage"


def test_channel_visibility_decides_the_variant(kit):
    public = kit.suggest("Min regning er alt for høj", lang="da", channel="facebook")
    private = kit.suggest("Min regning er alt for høj", lang="da", channel="dm")
    assert public.suggestions[0].template_id == "da/billing/public"
    assert private.suggestions[0].template_id == "da/billing/private"
    assert all(s.visibility != "private" for s in public.suggestions)


def test_suggestions_of_the_top_type_come_first_and_are_rendered(kit):
    result = kit.suggest("Nettet er nede i hele Tromsø", top=3, variables={"customer_name": "Kari",
                                                                            "agent_name": "Ola"})
    assert result.suggestions[0].inquiry_type == result.inquiry_type == "outage"
    assert "Kari" in result.suggestions[0].text and "Ola" in result.suggestions[0].text
    assert len(result.suggestions) == 3


def test_language_fallback_is_reported(pack_copy):
    from replykit import ReplyKit

    path = pack_copy / "templates" / "nl" / "praise.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  praise/private:")
    path.write_text(text[:start], encoding="utf-8")
    kit = ReplyKit.load(pack_copy / "templates")
    result = kit.suggest("Bedankt voor de snelle hulp, top!", lang="nl", channel="dm")
    fallback = [s for s in result.suggestions if s.fallback_from]
    assert fallback and fallback[0].template_id == "da/praise/private" and fallback[0].fallback_from == "nl"
    assert any("no nl text" in n for n in result.notices)


def test_a_language_without_inquiry_types_gives_a_notice_not_a_crash(pack_copy, capsys):
    from replykit import ReplyKit
    from replykit.show import show_suggest

    for path in (pack_copy / "templates" / "no").glob("*.yaml"):
        if not path.name.startswith("_"):
            path.unlink()  # a valid pack: Norwegian blocks, no Norwegian types yet
    for name in ("model.json", "model.npz"):
        (pack_copy / "templates" / "no" / name).unlink()  # and no trained model (it would know the types)
    kit = ReplyKit.load(pack_copy / "templates")
    result = kit.suggest("Nettet er nede igjen i hele Bergen, hva skjer?", lang="no", channel="facebook")
    assert result.lang == "no"
    assert result.inquiry_type is None and result.candidates == [] and result.suggestions == []
    assert any("no inquiry types" in n for n in result.notices)
    assert kit.check("Hei Kari, takk for at du sier fra.", lang="no", inquiry="Nettet er nede").verdict
    show_suggest(result)  # the CLI's output too
    assert "no inquiry types" in capsys.readouterr().out


@pytest.mark.parametrize("text,flag", [
    ("Jeg har kontaktet min advokat og politianmelder jer", "legal_threat"),
    ("Я знаю, где ваш офис. Пожалеете", "safety"),
    ("Deel dit zodat iedereen het weet!", "spread"),
    ("Jeg har skrevet til Ekstra Bladet om jer", "media"),
])
def test_escalation_flags(kit, text, flag):
    assert flag in [e.flag for e in kit.suggest(text).escalation]


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x01\x02", "🙂" * 50, "ab\u202edc\u200b",
                                  "Нет интернета, no internet, geen internet", "x" * 100_000])
def test_odd_input_gives_a_valid_result(kit, text):
    result = kit.suggest(text)
    assert result.inquiry_type in INQUIRY_TYPES and result.lang in LANGUAGES


def test_oversized_input_is_a_clear_error(kit):
    with pytest.raises(InputError, match="limit"):
        kit.suggest("x" * 1_000_001)


@pytest.mark.parametrize("kwargs", [{"lang": "sv"}, {"channel": "myspace"}, {"top": 0}, {"variables": ["a"]}])
def test_bad_arguments_raise_input_error(kit, kwargs):
    with pytest.raises(InputError):
        kit.suggest("hej", **kwargs)
