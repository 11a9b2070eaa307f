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


# Where a compound splits into the words it is made of: hyphens and apostrophes
# ("projekt-nordlys", "Nordlys-projektet") and case changes ("#ProjectNordlys", "NordLys").
_PART = regex.compile(r"\p{Lu}?[\p{Ll}\p{Lm}\p{Lo}\p{N}]+|\p{Lu}+(?![\p{Ll}])|\p{Lu}")


def compound_parts(tokens: list[Token], text: str, lang: str) -> tuple[list[Token], list[int]] | None:
    """The tokens with every compound replaced by its parts, and for each the index of the token
    it came from; None when no token splits (the usual case, checked cheaply first)."""
    out: list[Token] = []
    parent: list[int] = []
    split = False
    for i, tok in enumerate(tokens):
        original = text[tok.start:tok.end]
        if len(original) < 4 or (original.isalnum() and (original.islower() or original[1:].islower()
                                                          or original.isupper())):
            out.append(tok)
            parent.append(i)
            continue
        parts = [(m.group(), tok.start + m.start(), tok.start + m.end()) for m in _PART.finditer(original)]
        if len(parts) < 2:
            out.append(tok)
            parent.append(i)
            continue
        split = True
        for word, start, end in parts:
            w = word.lower()
            out.append(Token(w.replace("ё", "е") if lang == "ru" else w, start, end, stem(w, lang)))
            parent.append(i)
    return (out, parent) if split else None
