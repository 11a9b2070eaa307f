"""Text to features, the same code at training and at prediction time.

A text is lower-cased, digits become `0`, and it is split at white space. Each
piece gives its word (`w|…`, punctuation stripped) and the character 3- to
5-grams of ` piece ` (`c|…`, punctuation and emoji kept: "!!" and "😂" matter
for tone); neighbouring words give bigrams (`b|… …`). Character n-grams make
the models read through typos, inflection and compounds they were not shown.

Weights are tf-idf, sublinear per piece: a piece (or word pair) found k times in a
text counts 1 + ln k times, and each of its features gets its idf times that; the row
is divided by the square root of the summed idf² of those counted features. A long
draft does not outweigh a short one, a phone number's repeated "00" groups do not
outweigh its words, and a text's score for a linear model is a sum over its distinct
pieces and word pairs (piece_scores.py keeps each piece's share, so predicting costs
a look-up a piece).
"""
from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from itertools import pairwise
from typing import Callable, Iterable, Sequence

import numpy as np

FEATURE_VERSION = "3"  # bump when the extraction changes: models trained on the old one are stale
_DIGITS = re.compile(r"\d")
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")
_CHAR_SIZES = (3, 4, 5)
_TOKEN_CACHE_MAX = 50_000


PUBLIC_NUMBER_WORD = "hotline"


def public_number_mask(numbers: Iterable[str]) -> Callable[[str], str]:
    """A function that writes the pack's own public phone numbers (its `hotline`) as one word.

    Digits become `0` in the features, so "ring 70 10 20 30" would read exactly like a customer's
    private number: the models learnt to flag the company's own hotline as personal data. The same
    mask runs at training and at prediction time, with the pack's current numbers, so a new hotline
    needs no retraining. Separators between the digits are free (spaces, dots, dashes)."""
    shapes = []
    first_digits = set()
    for number in numbers:
        digits = re.sub(r"\D", "", number or "")
        if len(digits) >= 3:
            shapes.append(r"[\s.\-/()]?".join(digits))
            first_digits.add(digits[0])
    if not shapes:
        return lambda text: text
    pattern = re.compile(r"(?<!\d)(?:" + "|".join(sorted(shapes, key=len, reverse=True)) + r")(?!\d)")
    firsts = sorted(first_digits)

    def mask(text: str) -> str:
        # Most texts hold none of the digits a number starts with: a character search (memchr) says so
        # in a fraction of the pattern's scan, which the model paid on every draft.
        if not any(digit in text for digit in firsts):
            return text
        return pattern.sub(PUBLIC_NUMBER_WORD, text)
    return mask


def piece_features(piece: str) -> list[str]:
    """The features one white-space piece of lower-cased text gives by itself."""
    out = []
    word = _EDGE_PUNCT.sub("", piece)
    if word:
        out.append("w|" + word)
    padded = f" {piece} "
    for size in _CHAR_SIZES:
        for i in range(len(padded) - size + 1):
            out.append("c|" + padded[i:i + size])
    return out


def pieces(text: str) -> list[str]:
    return _DIGITS.sub("0", text.lower()).split()


def text_features(text: str) -> Counter[str]:
    """Every feature of a text with its count (training uses this; prediction the indexed path)."""
    parts = pieces(text)
    counts: Counter[str] = Counter()
    for piece in parts:
        counts.update(piece_features(piece))
    counts.update(_word_pairs(parts))
    return counts


def _word_pairs(parts: list[str]) -> list[str]:
    """The features of neighbouring words (punctuation stripped, empty pieces skipped)."""
    words = [w for w in (_EDGE_PUNCT.sub("", p) for p in parts) if w]
    return [f"b|{a} {b}" for a, b in pairwise(words)]


def feature_set(text: str, seen: dict[str, frozenset[str]]) -> set[str]:
    """The distinct features of a text (the keys of `text_features`), each distinct piece's features
    computed once per `seen` cache: counting document frequencies over a corpus repeats most words."""
    parts = pieces(text)
    out: set[str] = set()
    for piece in dict.fromkeys(parts):
        features = seen.get(piece)
        if features is None:
            features = seen[piece] = frozenset(piece_features(piece))
        out |= features
    out.update(_word_pairs(parts))
    return out


class Vectorizer:
    """Feature strings to column indices and tf-idf weights (numpy), with a bounded per-piece cache."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray):
        self.vocabulary = vocabulary
        self.index = {f: i for i, f in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        # piece -> (its feature columns as int64 bytes, its word): bytes extend an array in one memcpy
        self._piece_cache: dict[str, tuple[bytes, str]] = {}

    def piece_columns(self, piece: str) -> tuple[bytes, str]:
        """The piece's own feature columns (int64 bytes, in feature order) and its word (punctuation
        stripped), cached."""
        hit = self._piece_cache.get(piece)
        if hit is None:
            index = self.index
            columns = array("q", [i for i in (index.get(f) for f in piece_features(piece)) if i is not None])
            hit = (columns.tobytes(), _EDGE_PUNCT.sub("", piece))
            if len(self._piece_cache) < _TOKEN_CACHE_MAX:  # bounded: a flood of odd words cannot grow it
                self._piece_cache[piece] = hit
        return hit

    def indices(self, text: str) -> Counter[int]:
        """Each feature column of a text with its count, in the order the columns first occur."""
        return Counter(self._columns(text))

    def _columns(self, text: str, cols: array | None = None) -> array:
        """Every feature column of a text, piece by piece, then its word pairs: what `indices` counts.
        Appended to `cols` when given (several texts gathered in one array)."""
        cols = array("q") if cols is None else cols
        add_piece, add_column = cols.frombytes, cols.append
        words = []
        cache = self._piece_cache
        for piece in pieces(text):
            columns, word = cache.get(piece) or self.piece_columns(piece)
            add_piece(columns)
            if word:
                words.append(word)
        index = self.index
        for a, b in pairwise(words):
            i = index.get(f"b|{a} {b}")
            if i is not None:
                add_column(i)
        return cols

    def _entries(self, text: str, cols: array, weights: array) -> None:
        """The text's distinct pieces' feature columns, then its distinct word pairs', each with the weight
        1 + ln(times the piece or pair occurs), appended to `cols` and `weights` in first-occurrence order."""
        parts = pieces(text)
        cache = self._piece_cache
        for piece, k in Counter(parts).items():
            columns = (cache.get(piece) or self.piece_columns(piece))[0]
            cols.frombytes(columns)
            weights.extend([_sublinear(k)] * (len(columns) // 8))
        words = [word for word in ((cache.get(p) or self.piece_columns(p))[1] for p in parts) if word]
        index = self.index
        for (a, b), k in Counter(pairwise(words)).items():
            i = index.get(f"b|{a} {b}")
            if i is not None:
                cols.append(i)
                weights.append(_sublinear(k))

    def transform_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Several texts at once: (columns, weights, row of each entry), each row normalised, the columns
        of a row in the order they first occur."""
        cols, tf = array("q"), array("d")  # int64 and float64, read by numpy without a copy
        per_row: list[int] = []
        for text in texts:
            before = len(cols)
            self._entries(text, cols, tf)
            per_row.append(len(cols) - before)
        if not cols:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
        col, tfs, row = first_occurrences(np.frombuffer(cols, dtype=np.int64), per_row, len(self.vocabulary),
                                           np.frombuffer(tf, dtype=np.float64))
        idf = self.idf[col]
        weights = tfs * idf
        norms = np.sqrt(np.bincount(row, weights=weights * idf, minlength=len(texts)))
        norms[norms == 0] = 1.0
        return col, weights / norms[row], row

    def transform(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, weights) of one text: one row of transform_many."""
        cols, weights, _ = self.transform_many([text])
        return cols, weights


def _sublinear(k: int) -> float:
    return 1.0 if k == 1 else 1.0 + math.log(k)


def first_occurrences(columns: np.ndarray, per_row: Sequence[int] | np.ndarray, width: int, weights: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's distinct columns in the order they first occur, with their summed weights and rows
    (`columns` lie row after row, `per_row` of them each, every column under `width`).

    A stable sort puts each (row, column)'s first occurrence first in its run; each run's sum is
    written at that position, so the positions holding a sum are the first occurrences, in order."""
    rows = np.repeat(np.arange(len(per_row), dtype=np.int64), per_row)
    keys = rows * width + columns
    order = keys.argsort(kind="stable")
    ranked = keys[order]
    starts = np.empty(ranked.size + 1, dtype=bool)  # where each run of equal keys starts, and the end
    starts[0] = starts[-1] = True
    np.not_equal(ranked[1:], ranked[:-1], out=starts[1:-1])
    bounds = starts.nonzero()[0]
    if bounds.size == ranked.size + 1:
        return columns, weights, rows  # nothing repeats: every entry is its own first occurrence
    is_first = np.zeros(ranked.size, dtype=bool)
    is_first[order[bounds[:-1]]] = True
    sum_at = np.zeros(ranked.size)
    sum_at[order[bounds[:-1]]] = np.add.reduceat(weights[order], bounds[:-1])
    first = is_first.nonzero()[0]
    return columns[first], sum_at[first], rows[first]
