"""Words with offsets, and cached Snowball stemming per language."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache, partial
from typing import Callable, NamedTuple

import regex
import snowballstemmer

# A word: letters/digits, with inner apostrophes or hyphens kept (wi-fi, it's). The standard library's
# engine: a third quicker on this simple pattern, and the same words on every text of the labelled data
# (they differ only in marks, which `regex`'s \w takes, and numbers such as "²", which `re`'s takes:
# normalize() composes marks into letters and folds "²" to "2").
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")

_STEMMER_NAMES = {"da": "danish", "no": "norwegian", "nl": "dutch", "ru": "russian"}


class Token(NamedTuple):  # a tuple: a draft makes a hundred of these per check, cheaply
    text: str  # lower-cased
    start: int
    end: int
    stem: str


def words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_texts(text: str) -> list[str]:
    """The words of `words(text)` without their offsets (C loops: a check reads the post's this way)."""
    return list(map(str.lower, _WORD.findall(text)))


@lru_cache(maxsize=8)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(_STEMMER_NAMES.get(lang, "danish"))


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    return _stem(word, lang)


def _stem(word: str, lang: str) -> str:
    word = word.lower().replace("ё", "е")
    if len(word) <= 2 or word.isdigit():
        return word
    return _stemmer(lang).stemWord(word)


@lru_cache(maxsize=8)
def stemmer_for(lang: str) -> Callable[[str], str]:
    """stem(word, lang) of one language, memoised per word: a cache keyed by the word alone is looked up
    about twice as fast as one keyed by (word, lang), and tokenize looks up every word of every draft."""
    return lru_cache(maxsize=100_000)(partial(_stem, lang=lang))


_new_token = tuple.__new__  # Token(...) goes through a Python-level __new__: this is its C fast path


def tokenize(text: str, lang: str) -> list[Token]:
    # ё is written as е as often as not: compare words without the difference.
    stem_of = stemmer_for(lang)
    new, kind = _new_token, Token
    if lang == "ru":
        return [new(kind, ((w := m.group().lower()).replace("ё", "е"), m.start(), m.end(), stem_of(w)))
                for m in _WORD.finditer(text)]
    return [new(kind, ((w := m.group().lower()), m.start(), m.end(), stem_of(w))) for m in _WORD.finditer(text)]


# Where a compound splits into the words it is made of: hyphens and apostrophes
# ("projekt-nordlys", "Nordlys-projektet") and case changes ("#ProjectNordlys", "NordLys").
_PART = regex.compile(r"\p{Lu}?[\p{Ll}\p{Lm}\p{Lo}\p{N}]+|\p{Lu}+(?![\p{Ll}])|\p{Lu}")
# A word that may split: a capital after a small letter, or an inner hyphen or apostrophe.
# (Standard `re` with listed letters: the quickest scan of the draft, which nearly always finds nothing.)
_CAMEL = re.compile(r"[a-zæøåäöüéа-яё][A-ZÆØÅÄÖÜÉА-ЯЁ]")
_JOINED = re.compile(r"[^\W\d_][-'’][^\W\d_]")
CONTEXT_WORDS = 8  # words either side of a compound that a phrase through it can reach


def compound_windows(tokens: list[Token], text: str, lang: str) -> list[tuple[list[Token], list[int]]]:
    """For each stretch of the draft around compounds: its tokens with every compound replaced by its
    parts, and for each the index of the token it came from. Empty when nothing splits (the usual case)."""
    split: dict[int, list[Token]] = {}
    starts: list[int] | None = None
    hits = list(_CAMEL.finditer(text))
    if "-" in text or "'" in text or "’" in text:
        hits += _JOINED.finditer(text)
    for m in hits:
        if starts is None:
            starts = [tok.start for tok in tokens]
        i = bisect.bisect_right(starts, m.start()) - 1  # the token the match is in
        if i < 0 or i in split or tokens[i].end <= m.start():
            continue
        tok = tokens[i]
        parts = [(p.group().lower(), p.start(), p.end()) for p in _PART.finditer(text, tok.start, tok.end)]
        if len(parts) >= 2:
            split[i] = [Token(w.replace("ё", "е") if lang == "ru" else w, s, e, stem(w, lang)) for w, s, e in parts]
    windows: list[tuple[list[Token], list[int]]] = []
    lo = hi = -1
    for i in sorted(split):
        if lo >= 0 and i - CONTEXT_WORDS <= hi:
            hi = min(len(tokens) - 1, i + CONTEXT_WORDS)
            continue
        if lo >= 0:
            windows.append(_window(tokens, split, lo, hi))
        lo, hi = max(0, i - CONTEXT_WORDS), min(len(tokens) - 1, i + CONTEXT_WORDS)
    if lo >= 0:
        windows.append(_window(tokens, split, lo, hi))
    return windows


def _window(tokens: list[Token], split: dict[int, list[Token]], lo: int, hi: int) -> tuple[list[Token], list[int]]:
    out: list[Token] = []
    parent: list[int] = []
    for i in range(lo, hi + 1):
        pieces = split.get(i, (tokens[i],))
        out.extend(pieces)
        parent.extend([i] * len(pieces))
    return out, parent
