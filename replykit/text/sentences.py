"""Where sentences start and end: one splitter for the checker and for training."""
from __future__ import annotations

import regex

# Sentence ends: punctuation or an emoji then a capital or a quote (so "kl. 16" and "2. juni" stay inside),
# or a signature mark before a name ("... i kveld. ^Eirik", "/Freja", "— Ильдар": the name read with the
# last sentence diluted what the models saw in it), a colon or semicolon (a new clause: "Bellen hoeft
# niet: ik heb ... doorgezet"), or a line break.
# The end mark is consumed and left out of the match by \K rather than looked back at from every
# white space: the same matches (tests/test_sentences.py checks them against the lookbehind form) in
# half the time, as the engine now tries the break only where a mark stands.
_SENTENCE_BREAK = regex.compile(r"(?:[.!?…]|\p{Extended_Pictographic}\uFE0F?)\K\s+(?=[\p{Lu}\"«„“(]|[\^/—–~-]\s?\p{Lu})"
                                r"|[:;]\K\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, covering it from start to end."""
    spans, last = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(text)))
    return spans
