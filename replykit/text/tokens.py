"""Words with offsets, and cached Snowball stemming per language."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
import snowballstemmer

# A word: letters/digits, with inner apostrophes or hyphens kept (wi-fi, it's).
_WORD = regex.compile(r"\w+(?:['’\-]\w+)*", regex.UNICODE)

_STEMMER_NAMES = {"da": "danish", "no": "norwegian", "nl": "dutch", "ru": "russian"}


@dataclass(frozen=True, slots=True)
class Token:
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
    return [Token(w.replace("ё", "е"), s, e, stem(w, lang)) for w, s, e in words(text)]
