"""Where sentences split: one splitter for the checker and for training, so the models see a signature
apart from the sentence before it."""
import pytest

from replykit.text.sentences import sentence_spans


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
