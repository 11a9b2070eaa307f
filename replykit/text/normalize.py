"""Text normalisation that remembers where every character came from.

Forbidden content is written to slip past filters: full-width digits,
zero-width joiners, Cyrillic letters inside Latin words (and the reverse),
HTML entities, Markdown emphasis, letter-spaced words (disguise.py lists every
fold). `normalize()` undoes those tricks and returns a `Normalized` whose
`span()` maps any span of the normalised text back onto the caller's original
text, so findings always point at what the agent actually typed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

from . import disguise

# Latin letters that look like Cyrillic ones, and back. Which way a word is
# folded depends on the script most of its letters are in.
_LAT_TO_CYR = str.maketrans("aceopxyABCEHKMOPTXy", "асеорхуАВСЕНКМОРТХу")
_CYR_TO_LAT = str.maketrans("асеорхуАВСЕНКМОРТХіІјЈ", "aceopxyABCEHKMOPTXiIjJ")


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    # source[i] is the index in `original` of normalised character i;
    # source[len(text)] == len(original) so end offsets map too.
    # None: the text needed no change, offsets are the same.
    source_map: tuple[int, ...] | None

    @property
    def source(self) -> tuple[int, ...] | range:
        return range(len(self.text) + 1) if self.source_map is None else self.source_map

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map [start, end) of the normalised text to the original text."""
        if self.source_map is None:
            start = max(0, min(start, len(self.text)))
            return start, max(start, min(end, len(self.text)))
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end == start:
            pos = self.source[start]
            return pos, pos
        orig_start = self.source[start]
        # The end is just past the source of the last normalised character,
        # extended over any characters the normalisation dropped after it.
        last = self.source[end - 1]
        orig_end = self.source[end] if end < len(self.text) else len(self.original)
        if orig_end <= last:
            orig_end = last + 1
        return orig_start, orig_end


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")


def normalize(text: str) -> Normalized:
    """Every disguise of disguise.py undone, look-alike letters folded per word."""
    if (text.isascii() or unicodedata.is_normalized("NFKC", text)) and not disguise.needs_folding(text):
        # The common case: nothing to undo but perhaps look-alikes, which keep length.
        if _CYRILLIC.search(text) and _LATIN.search(text):
            return Normalized(text, _fold_lookalikes(text), None)
        return Normalized(text, text, None)
    chars, source = disguise.decode_entities(text)
    chars, source = disguise.fold_characters(chars, source)
    chars, source = disguise.strip_emphasis(chars, source)
    chars, source = disguise.join_spaced_letters(chars, source)
    folded_text = _fold_lookalikes("".join(chars))
    source.append(len(text))
    return Normalized(text, folded_text, tuple(source))


# A word whose letters change script somewhere: only such words can hold both Cyrillic and ASCII
# letters, the only ones folding can change (the loop below checks). Possessive runs keep it linear.
_MIXED_WORD = regex.compile(r"(?<!\p{L})(?:[\u0400-\u04ff]++|[A-Za-z]++|[^\P{L}\u0400-\u04ffA-Za-z]++)(?=\p{L})\p{L}*")


_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_FEW_ASCII_RUNS = 16


def _fold_lookalikes(text: str) -> str:
    """Within each word, fold minority-script look-alikes to the majority script."""
    if text.isascii() or _ascii_words_stand_alone(text):
        return text
    pieces: list[str] = []
    last = 0
    for m in _MIXED_WORD.finditer(text):
        word = m.group()
        cyr = sum(1 for c in word if "\u0400" <= c <= "\u04ff")
        lat = sum(1 for c in word if c.isascii())
        if not (cyr and lat):
            continue
        pieces += [text[last:m.start()], word.translate(_LAT_TO_CYR if cyr >= lat else _CYR_TO_LAT)]
        last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)  # same length by construction


def _ascii_words_stand_alone(text: str) -> bool:
    """Whether every run of ASCII letters is a word of its own (no letter or Cyrillic-block character
    on either side): then no word mixes the scripts and the word-by-word pass would change nothing.
    A Russian draft names "Fibra" or a URL; its few ASCII runs are looked at, not its every word. A text
    of many (Latin with a Cyrillic letter or two) answers False at once: the pass is quicker there."""
    for k, m in enumerate(_ASCII_LETTERS.finditer(text)):
        if k == _FEW_ASCII_RUNS:
            return False
        for ch in (text[m.start() - 1] if m.start() else "", text[m.end():m.end() + 1]):
            if ch and (ch.isalpha() or "\u0400" <= ch <= "\u04ff"):
                return False
    return True
