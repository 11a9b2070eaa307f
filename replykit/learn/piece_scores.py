"""A text's model scores as sums over its pieces: how the trained models predict.

With the weighting of features.py (each distinct piece or word pair counted 1 + ln k times when it
occurs k times, its features weighted by idf, the row divided by the square root of the summed
squared idf of those counted features), a text's logits for any linear model are

    (sum over its distinct pieces and word pairs of (1 + ln k) x their contribution)
    / sqrt(sum of (1 + ln k) x their squared idf) + intercept

where a piece's contribution is the idf-weighted sum of the coefficient rows of its features. Each
piece's contribution to every model of the language is worked out once and kept in a table, so
scoring a draft costs a look-up per piece and a few numpy calls instead of a feature extraction and
a sparse product per call. A kept row has the same bits as one worked out afresh, and the sums run
in the order pieces first occur: results do not depend on what was scored before.
"""
from __future__ import annotations

import threading
from itertools import pairwise
from typing import Any, Callable

import numpy as np

from .features import Vectorizer, first_occurrences, pieces

MAX_KEPT = 50_000  # pieces and word pairs kept per language (a flood of odd words cannot grow it)
_NOTHING = 0  # the table's first row, all zeros: a piece or word pair of no known feature
_LOCAL = 1 << 40  # ids from here on are rows worked out for one call only (the table is full)
_TEXT = 1 << 42  # above every id: a (text, piece) pair is one integer when the texts are counted apart


class PieceScores:
    """Per piece (and word pair): its summed contribution to each column of `coef`, and its squared idf."""

    def __init__(self, vectorizer: Vectorizer, coef: np.ndarray):
        self.vectorizer = vectorizer
        self.coef = coef  # features x columns: the linear models read together, side by side
        self.width = coef.shape[1] + 1  # the columns, then the squared idf
        self._rows: dict[str, tuple[int, str]] = {}  # piece -> (row of the table, the piece's word)
        self._pairs: dict[tuple[str, str], int] = {}  # neighbouring words -> row (a tuple hashes its two words'
        # cached hashes; an f-string key would be built and hashed anew for every pair)
        self._table = np.zeros((1024, self.width))
        self._size = 1  # row _NOTHING
        self._lock = threading.Lock()

    def sums(self, texts: list[str]) -> np.ndarray:
        """texts x (columns + 1): each text's weighted contributions, and last its weighted squared idf."""
        return self._sums(texts, whole=False)[0]

    def sums_and_whole(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """`sums` of each text, and of the texts read as one: the sentences of a draft and the draft
        itself in one pass (sentences split at white space, so the draft's pieces are theirs, its word
        pairs theirs and those across each sentence break)."""
        return self._sums(texts, whole=True)

    def _sums(self, texts: list[str], whole: bool) -> tuple[np.ndarray, np.ndarray]:
        """The sums of each text and, with `whole`, of all of them read as one (else an empty array)."""
        ids: list[int] = []  # row ids, per occurrence, text after text
        ends: list[int] = []  # where each text's ids end
        across: list[int] = []  # row ids of the word pairs across sentence breaks: only in the whole
        local: dict[Any, int] = {}  # rows of this call only: key -> id (_LOCAL + its place in `extra`)
        extra: list[np.ndarray] = []
        rows, pairs = self._rows, self._pairs
        add_id = ids.append
        last_word = ""
        for text in texts:
            words = []
            for piece in pieces(text):
                hit = rows.get(piece)
                if hit is None:
                    hit = self._add(piece, local, extra)
                add_id(hit[0])
                if hit[1]:
                    words.append(hit[1])
            if words:
                if last_word:
                    pair = (last_word, words[0])
                    row = pairs.get(pair)
                    across.append(self._add_pair(pair, local, extra) if row is None else row)
                last_word = words[-1]
            for pair in pairwise(words):
                row = pairs.get(pair)
                add_id(self._add_pair(pair, local, extra) if row is None else row)
            ends.append(len(ids))
        out = np.zeros((len(texts), self.width))
        if not ids:
            return out, out.sum(axis=0) if whole else np.zeros(0)
        table = self._table  # read after every row this call needs was written into it
        id_array = np.array(ids, dtype=np.int64)
        # Distinct (text, piece) pairs in the order they first occur, each with how often it occurs.
        distinct, counts, texts_of = first_occurrences(id_array, np.diff(ends, prepend=0), _TEXT,
                                                       np.ones(id_array.size))
        weighted = self._gather(table, distinct, extra) * _sublinear(counts)[:, None]
        new_text = np.empty(texts_of.size, dtype=bool)
        new_text[0] = True
        np.not_equal(texts_of[1:], texts_of[:-1], out=new_text[1:])
        starts = new_text.nonzero()[0]
        out[texts_of[starts]] = np.add.reduceat(weighted, starts, axis=0)
        if not whole:
            return out, np.zeros(0)
        # The whole: every piece and pair of every text, and the pairs across the breaks, counted together.
        every = np.concatenate([id_array, np.array(across, dtype=np.int64)])
        distinct, counts, _ = first_occurrences(every, [every.size], _TEXT, np.ones(every.size))
        return out, (self._gather(table, distinct, extra) * _sublinear(counts)[:, None]).sum(axis=0)

    @staticmethod
    def _gather(table: np.ndarray, ids: np.ndarray, extra: list[np.ndarray]) -> np.ndarray:
        if not extra:
            return table[ids]
        own = ids >= _LOCAL
        gathered = table[np.where(own, _NOTHING, ids)]
        gathered[own] = np.array(extra)[ids[own] - _LOCAL]
        return gathered

    def _add(self, piece: str, local: dict[Any, int], extra: list[np.ndarray]) -> tuple[int, str]:
        """Work out a piece's row (and word) and keep it while there is room."""
        packed, word = self.vectorizer.piece_columns(piece)
        return self._kept(piece, self._rows, lambda row: (row, word), np.frombuffer(packed, dtype=np.int64),
                          local, extra)

    def _add_pair(self, pair: tuple[str, str], local: dict[Any, int], extra: list[np.ndarray]) -> int:
        """Work out the row of two neighbouring words (a `b|a b` feature) and keep it while there is room."""
        column = self.vectorizer.index.get(f"b|{pair[0]} {pair[1]}")
        columns = np.zeros(0, dtype=np.int64) if column is None else np.array([column], dtype=np.int64)
        return self._kept(pair, self._pairs, lambda row: row, columns, local, extra)

    def _kept(self, key: Any, kept: dict, value: Callable[[int], Any], columns: np.ndarray,
              local: dict[Any, int], extra: list[np.ndarray]) -> Any:
        """`value(id)` for the row of these feature columns' summed contribution: written once into the
        table and kept under `key` while there is room, else a row of this call only (one per key, so a
        piece found twice is counted as one piece either way); `value(_NOTHING)` when no column is known."""
        row = None
        if columns.size:
            idf = self.vectorizer.idf[columns]
            row = np.empty(self.width)
            # Summed over axis 0 by numpy (a fixed order), not by a BLAS product whose order may follow threads.
            row[:-1] = (self.coef[columns] * idf[:, None]).sum(axis=0)
            row[-1] = (idf * idf).sum()
        with self._lock:
            known = kept.get(key)
            if known is not None:
                return known
            if row is None:
                out = value(_NOTHING)
            elif self._size >= MAX_KEPT:
                if key not in local:
                    local[key] = _LOCAL + len(extra)
                    extra.append(row)
                return value(local[key])
            else:
                if self._size == len(self._table):
                    grown = np.zeros((2 * len(self._table), self.width))
                    grown[:self._size] = self._table[:self._size]
                    self._table = grown
                self._table[self._size] = row
                self._size += 1
                out = value(self._size - 1)
            if len(kept) < MAX_KEPT:
                kept[key] = out
            return out


def _sublinear(counts: np.ndarray) -> np.ndarray:
    """1 + ln k for a piece found k times (exactly 1.0 for k = 1), as features.py counts it."""
    return 1.0 + np.log(counts)
