"""Words with offsets, and cached Snowball stemming per language."""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import regex
import snowballstemmer

# A word: letters/digits, with inner apostrophes or hyphens kept (wi-fi, it's).
_WORD = regex.compile(r"\w+(?:['’\-]\w+)*", regex.UNICODE)

_STEMMER_NAMES = {"da": "danish", "no": "norwegian", "nl": "dutch", "ru": "russian"}


class Token(NamedTuple):  # a tuple: a draft makes a hundred of these per check, cheaply
    text: str  # lower-cased
    start: int
    end: int
    stem: str


def words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=8)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(_STEMMER_NAMES.get(lang, "danish"))


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    word = word.lower().replace("ё", "е")
    if len(word) <= 2 or word.isdigit():
        return word
    return _stemmer(lang).stemWord(word)


def tokenize(text: str, lang: str) -> list[Token]:
    # ё is written as е as often as not: compare words without the difference.
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        out.append(Token(w.replace("ё", "е") if lang == "ru" else w, m.start(), m.end(), stem(w, lang)))
    return out
