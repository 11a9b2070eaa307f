"""Disguise-proof reading (issue #15 item 6, detector gaps; issue #12 compounds): the normaliser's
folds with spans on the original text, identifiers through separators and look-alikes, e-mail
written out, IBAN edges, bare CPR, python-stdnum's own test numbers, compounds and hashtags."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from replykit import ReplyKit
from replykit.check.detectors.identifiers import digit_view
from replykit.text.normalize import normalize

DATA = Path(__file__).parent / "data"
PII = "forbidden.personal_data"


def flagged(result, category=PII):
    return [f for f in result.findings if f.category == category and f.severity == "error"]


def spans(draft, result, category=PII):
    return [draft[f.start:f.end] for f in flagged(result, category)]


# ---------------------------------------------------------------- the normaliser


@pytest.mark.parametrize("original,folded", [
    ("0101\u2066 90\u2069-1234", "0101 90-1234"),             # bidi isolates
    ("01\u202d01\u202c90", "010190"),                          # bidi override
    ("gra\u034ftis", "gratis"),                                # combining grapheme joiner
    ("gra\ufe0ftis\U000e0100", "gratis"),                      # variation selectors
    ("gra\U000e0041\U000e0042tis", "gratis"),                  # tag characters
    ("010190\u31641234", "0101901234"),                        # Hangul filler
    ("g\u0332r\u0332a\u0332t\u0332i\u0332s\u0332", "gratis"),  # combining underline
    ("g\u0336ratis", "gratis"),                                # combining strike-through
    ("gra\u00adtis gra\u200btis", "gratis gratis"),            # soft hyphen, zero-width space
    ("a\u2028b\u2029c", "a\nb\nc"),                            # line and paragraph separators
    ("22\u200933\u00a044", "22 33 44"),                        # Unicode spaces
    ("٠١٠١٩٠ ۱۲۳۴ ०१२ ১২ ๑๒ １２ 𝟏𝟐", "010190 1234 012 12 12 12 12"),  # decimal digits of every script
    ("&#48;&#x31;&amp;&nbsp;x", "01& x"),                      # HTML entities
    ("&amp;#48;", "0"),                                        # entities encoded twice
    ("**gratis** __måned__ ~~gratis~~ `gratis`", "gratis måned gratis gratis"),  # Markdown emphasis
    ("gr**a**tis", "gratis"),                                  # emphasis inside a word
    ("g r a t i s", "gratis"),                                 # letter-spaced
    ("g.r.a.t.i.s", "gratis"),                                 # dotted
    ("g-r-a-t-i-s  m-å-n-e-d", "gratis  måned"),               # hyphenated, two words
    ("й", "й"),                                                # a composed letter stays itself
    ("и\u0306", "й"),                                          # decomposed: composed, not stripped
    ("a\u030a", "å"),
    ("Цена 100 pуб. на сайте Fibra", "Цена 100 руб. на сайте Fibra"),  # a Latin look-alike in a Russian word
    ("Skriv til Fibra.ru – gratіs", "Skriv til Fibra.ru – gratis"),    # a Cyrillic one in a Latin word
    ("Привет\u0483a", "Привета"),                                      # a mark dropped, then folded
    ("Оплата через Vipps и MobilePay, см. fibra.ru/pay", "Оплата через Vipps и MobilePay, см. fibra.ru/pay"),
])
def test_folds(original, folded):
    norm = normalize(original)
    assert norm.text == folded
    # The whole folded text maps back onto the original characters it came from.
    start, end = norm.span(0, len(norm.text))
    assert 0 <= start < end <= len(original)
    assert normalize(original[start:end]).text == folded


@pytest.mark.parametrize("text", [
    "Я и с ним поговорю.",                    # Russian one-letter words are not letter-spacing
    "Hej Bo, det er f**k irriterende.",        # an asterisk inside a word stays (profanity rules)
    "Skriv til bo_hansen@gmail.com i dag.",    # an underscore between letters stays
    "Hej Bo. Vi ses i morgen kl. 8.",
])
def test_ordinary_text_is_left_alone(text):
    assert normalize(text).text == text


def test_spans_stay_on_the_original_text(kit):
    draft = "Hej Bo, du\u200b får en g r a t i s måned. Ring på ٢٢ ٣٣ ٤٤ ٥٥. Hilsen Line"
    result = kit.check(draft, lang="da", channel="facebook")
    assert "٢٢ ٣٣ ٤٤ ٥٥" in spans(draft, result)
    promise = spans(draft, result, "forbidden.unauthorized_promise")
    assert any("g r a t i s" in s for s in promise), promise


def test_profanity_with_asterisks_is_still_caught(kit):
    result = kit.check("Hej Bo, hvad f**k sker der. Hilsen Line", lang="da", channel="facebook", models=False)
    assert any(f.category == "value.show_respect" for f in result.findings)


# ---------------------------------------------------------------- identifiers


def test_digit_view_reads_o_and_l_only_among_digits():
    assert digit_view("CPR 0l0l90-l234") == "CPR 010190-1234"
    assert digit_view("ring 4l 54 I8 4o nu") == "ring 41 54 18 40 nu"
    assert digit_view("I dag kl. 10 Ole lo") == "I dag kl. 10 Ole lo"  # words and a lone "I" stay
    assert len(digit_view("O8lO5o-9l47 OlOl")) == len("O8lO5o-9l47 OlOl")


@pytest.mark.parametrize("lang,draft,expected", [
    ("da", "Hej Bo, dit CPR 010190_1234 er rettet. Hilsen Line", "010190_1234"),
    ("da", "Hej Bo, dit CPR 010190,1234 er rettet. Hilsen Line", "010190,1234"),
    ("da", "Hej Bo, dit CPR 010190·1234 er rettet. Hilsen Line", "010190·1234"),
    ("da", "Hej Bo, dit CPR 010190–1234 er rettet. Hilsen Line", "010190–1234"),
    ("da", "Hej Bo, dit CPR 010190    1234 er rettet. Hilsen Line", "010190    1234"),
    ("da", "Hej Bo, dit CPR 010190\n\n1234 er rettet. Hilsen Line", "010190\n\n1234"),
    ("da", "Hej Bo, dit cpr0101901234 er rettet. Hilsen Line", "0101901234"),
    ("da", "Hej Bo, dit CPR O1O19O-l234 er rettet. Hilsen Line", "O1O19O-l234"),
    ("no", "Hei Kari, fødselsnummer 010190\n10046 er lagt inn. Hilsen Ola", "010190\n10046"),
    ("nl", "Hoi Sanne, je BSN 111_222_333 staat erin. Groet, Bram", "111_222_333"),
    ("ru", "Ольга, здравствуйте. ИНН 7707—083893 в договоре. Мария", "7707—083893"),
    ("ru", "Ольга, здравствуйте. СНИЛС 112·233·445·95 проверен. Мария", "112·233·445·95"),
    ("da", "Hej Bo, kortet 4111,1111,1111,1111 er spærret. Hilsen Line", "4111,1111,1111,1111"),
    ("da", "Hej Bo, ring til mig på 22_33_44_55. Hilsen Line", "22_33_44_55"),
    ("da", "Hej Bo, ring på tlf22334455 i dag. Hilsen Line", "22334455"),
    # a number joined to its neighbour by a comma is still read on its own
    ("da", "Hej Bo, sag 12 34, CPR 010190-1234. Hilsen Line", "010190-1234"),
])
def test_identifiers_through_separators_and_lookalikes(kit, lang, draft, expected):
    result = kit.check(draft, lang=lang, channel="facebook")
    assert any(expected in s for s in spans(draft, result)), spans(draft, result)


@pytest.mark.parametrize("lang,draft,expected", [
    ("da", "Hej Bo, skriv til bo.hansen (at) gmail (dot) com. Hilsen Line", "bo.hansen (at) gmail (dot) com"),
    ("da", "Hej Bo, skriv til bo.hansen[at]gmail[dot]com. Hilsen Line", "bo.hansen[at]gmail[dot]com"),
    ("da", "Hej Bo, skriv til bo at gmail dot com. Hilsen Line", "bo at gmail dot com"),
    ("da", "Hej Bo, skriv til bo.hansen @ gmail.com. Hilsen Line", "bo.hansen @ gmail.com"),
    ("da", "Hej Bo, skriv til bo snabel-a gmail punktum com. Hilsen Line", "bo snabel-a gmail punktum com"),
    ("no", "Hei Kari, skriv til kari krøllalfa online punktum no. Hilsen Ola", "kari krøllalfa online punktum no"),
    ("nl", "Hoi Sanne, mail naar sanne apenstaartje ziggo punt nl. Groet, Bram", "sanne apenstaartje ziggo punt nl"),
    ("ru", "Ольга, пишите на olga собака mail точка ru. Мария", "olga собака mail точка ru"),
    ("da", "Hej Bo, skriv til bo&#64;gmail&#46;com. Hilsen Line", "bo&#64;gmail&#46;com"),
])
def test_email_written_out_is_read_as_email(kit, lang, draft, expected):
    result = kit.check(draft, lang=lang, channel="facebook")
    assert expected in spans(draft, result)


@pytest.mark.parametrize("lang,draft", [
    ("da", "Hej Bo, husk at gmail.com kan sortere vores mails som spam. Hilsen Line"),
    ("da", "Hej Bo, jeg håber at du får det ordnet, og at alt virker. Hilsen Line"),
    ("no", "Hei Kari, husk at punktum er viktig i adressen. Hilsen Ola"),
    ("nl", "Hoi Sanne, dat is een goed punt, dank je. Groet, Bram"),
    ("da", "Hej Bo, skriv til kundeservice (at) fibra (dot) dk. Hilsen Line"),  # the brand's own team
])
def test_ordinary_words_for_at_and_dot_are_not_email(kit, lang, draft):
    assert not flagged(kit.check(draft, lang=lang, channel="facebook"))


# ---------------------------------------------------------------- detector gaps


@pytest.mark.parametrize("lang,draft,expected", [
    ("nl", "ik heb AT611904300234573201 genoteerd", "AT611904300234573201"),
    ("nl", "Hoi Sanne, ik heb DE89370400440532013000 genoteerd. Groet, Bram", "DE89370400440532013000"),
    ("nl", "Hoi Sanne, ik heb CH9300762011623852957 genoteerd. Groet, Bram", "CH9300762011623852957"),
    ("no", "Hei Kari, konto NO 02 15037577003 er lagt inn. Hilsen Ola", "NO 02 15037577003"),
    ("nl", "Hoi Sanne, ES 58 0049 0290 3424 1352 8341 staat erin. Groet, Bram", "ES 58 0049 0290 3424 1352 8341"),
    ("nl", "Hoi Sanne, ik heb NL91_ABNA_0417_1643_00 genoteerd. Groet, Bram", "NL91_ABNA_0417_1643_00"),
])
def test_iban_ends_where_the_next_word_starts(kit, lang, draft, expected):
    result = kit.check(draft, lang=lang, channel="facebook")
    assert expected in spans(draft, result)


def test_bare_modern_cpr_in_public_draft(kit):
    draft = "Hej Bo, vi har 2110620629 stående på aftalen. Hilsen Line"
    assert "2110620629" in spans(draft, kit.check(draft, lang="da", channel="facebook"))
    # Not a valid birth date: an order number, not a CPR (the model may still call the sentence personal
    # data, which an order number in a public reply is; the CPR reading is what must not fire).
    other = "Hej Bo, vi har 5110620629 stående på aftalen. Hilsen Line"
    ruled = [f for f in kit.check(other, lang="da", channel="facebook").findings if f.source != "model"]
    assert not [f for f in ruled if "5110620629" in other[f.start:f.end]]


STDNUM = json.loads((DATA / "stdnum" / "numbers.json").read_text(encoding="utf-8"))
FRAMES = {  # a public draft without a context word, in the number's own language
    "dk.cpr": [("da", "Hej Bo, vi har noteret {n} i sagen. Hilsen Line")],
    "no.fodselsnummer": [("no", "Hei Kari, vi har notert {n} i saken. Hilsen Ola")],
    "nl.bsn": [("nl", "Hoi Sanne, ik heb {n} genoteerd. Groet, Bram")],
    "ru.inn": [("ru", "Ольга, здравствуйте. Мы записали {n} в заявку. Мария")],
    "iban": [("nl", "Hoi Sanne, ik heb {n} genoteerd. Groet, Bram"),
             ("da", "Hej Bo, vi har noteret {n} i sagen. Hilsen Line")],
    "luhn": [("da", "Hej Bo, vi har noteret {n} i sagen. Hilsen Line")],
}


@pytest.mark.parametrize("kind", sorted(STDNUM["valid"]))
def test_stdnum_valid_test_numbers_are_flagged(kit, kind):
    missed = []
    for number in STDNUM["valid"][kind]["numbers"]:
        for lang, frame in FRAMES[kind]:
            draft = frame.format(n=number)
            found = spans(draft, kit.check(draft, lang=lang, channel="facebook", models=False))
            if not any(number in s for s in found):
                missed.append((lang, number, found))
    assert not missed, missed


@pytest.mark.parametrize("kind", sorted(STDNUM["invalid"]))
def test_stdnum_invalid_test_numbers_without_context_stay_quiet(kit, kind):
    wrong = []
    for number in STDNUM["invalid"][kind]["numbers"]:
        for lang, frame in FRAMES[kind]:
            draft = frame.format(n=number)
            found = spans(draft, kit.check(draft, lang=lang, channel="facebook", models=False))
            if found:
                wrong.append((lang, number, found))
    assert not wrong, wrong


# ---------------------------------------------------------------- compounds, hashtags, CamelCase


@pytest.fixture(scope="module")
def codename_kit() -> ReplyKit:
    return ReplyKit.load(rules=DATA / "evasion" / "rules")


@pytest.mark.parametrize("lang,draft,expected", [
    ("da", "Hej Bo. Det er en del af projekt-nordlys. Hilsen Line", "nordlys"),
    ("da", "Hej Bo. Det hører til Nordlys-projektet. Hilsen Line", "Nordlys"),
    ("da", "Hej Bo. Følg med på #ProjectNordlys. Hilsen Line", "ProjectNordlys"),
    ("no", "Hei Kari. Det er en del av ProsjektNordlys. Hilsen Ola", "Nordlys"),
    ("nl", "Hoi Sanne, dat hoort bij het Nordlys-project. Groet, Bram", "Nordlys"),
])
def test_phrase_rules_match_parts_of_compounds(codename_kit, lang, draft, expected):
    result = codename_kit.check(draft, lang=lang, channel="facebook")
    assert any(expected in s for s in spans(draft, result, "forbidden.confidential"))


def test_compound_parts_leave_other_words_alone(codename_kit):
    draft = "Hej Bo. Masten i Nord-Jylland er oppe, og SIM-kortet er på vej. Hilsen Line"
    assert not flagged(codename_kit.check(draft, lang="da", channel="facebook"), "forbidden.confidential")
