"""Where sentences split: one splitter for the checker and for training, so the models see a signature
apart from the sentence before it."""
import json
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from replykit.text.sentences import _SENTENCE_BREAK, sentence_spans


def _split(text: str) -> list[str]:
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)  # the spans cover the text
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text, expected", [
    ("Hei. Nettet er oppe igjen. ^Eirik", ["Hei.", "Nettet er oppe igjen.", "^Eirik"]),
    ("Tak for din besked. /Freja", ["Tak for din besked.", "/Freja"]),
    ("Линию проверили. — Ильдар", ["Линию проверили.", "— Ильдар"]),
    ("Dank je 🙂 Ik kijk ernaar.", ["Dank je 🙂", "Ik kijk ernaar."]),
    ("Bellen hoeft niet: ik heb het doorgezet", ["Bellen hoeft niet:", "ik heb het doorgezet"]),
])
def test_sentences_end_before_a_capital_a_signature_or_a_clause(text, expected):
    assert _split(text) == expected


@pytest.mark.parametrize("text", [
    "Teknikeren kommer kl. 16 den 2. juni",  # an abbreviation or an ordinal before a number
    "Ring 70 10 20 30 - Kari svarer",  # a dash inside a sentence, no sentence end before it
    "Prisen er 299 kr. /md. fra maj",  # a slash after a dot, before a small letter
])
def test_no_split_inside_a_sentence(text):
    assert _split(text) == [text]


# The break as first written, looking back at the end mark from each run of white space; the
# splitter consumes the mark and leaves it out of the match (\K), which is quicker and must be the same.
_LOOKBEHIND_FORM = regex.compile(r"(?<=[.!?…]|\p{Extended_Pictographic}\uFE0F?)\s+(?=[\p{Lu}\"«„“(]|[\^/—–~-]\s?\p{Lu})"
                                 r"|(?<=[:;])\s+|\n+")
_MARKS = list(".!?…:;\n \t\r") + ["A", "a", "Ø", "я", "Я", "😀", "\uFE0F", "\"", "«", "„", "“", "(", "^", "/", "—",
                                    "–", "~", "-", "1"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_MARKS), max_size=16).map("".join))
def test_the_splitter_finds_what_the_lookbehind_form_finds(text):
    assert [m.span() for m in _SENTENCE_BREAK.finditer(text)] == [m.span() for m in _LOOKBEHIND_FORM.finditer(text)]


def test_the_splitter_finds_what_the_lookbehind_form_finds_in_the_test_data():
    texts = [line for path in sorted((Path(__file__).parent / "data").rglob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(texts) > 1000
    for text in texts:  # JSON lines: their strings with \n written out; decoded ones below
        decoded = json.loads(text) if text.startswith("{") else {}
        for value in (text, *(v for v in decoded.values() if isinstance(v, str))):
            assert [m.span() for m in _SENTENCE_BREAK.finditer(value)] == \
                [m.span() for m in _LOOKBEHIND_FORM.finditer(value)], value[:80]
