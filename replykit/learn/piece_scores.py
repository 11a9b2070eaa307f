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

from .features import Vectorizer, pieces

MAX_KEPT = 50_000  # pieces and word pairs kept per language (a flood of odd words cannot grow it)
_NOTHING = 0  # the table's first row, all zeros: a piece or word pair of no known feature
_LOCAL = 1 << 40  # ids from here on are rows worked out for one call only (the table is full)


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
        per_text: list[dict[int, int]] = []  # each text's distinct rows and how often they occur
        across: list[int] = []  # row ids of the word pairs across sentence breaks: only in the whole
        local: dict[Any, int] = {}  # rows of this call only: key -> id (_LOCAL + its place in `extra`)
        extra: list[np.ndarray] = []
        last_word = ""
        for text in texts:
            counts: dict[int, int] = {}
            words = self._count(text, counts, local, extra)
            if words:
                if last_word:
                    pair = (last_word, words[0])
                    row = self._pairs.get(pair)
                    across.append(self._add_pair(pair, local, extra) if row is None else row)
                last_word = words[-1]
            per_text.append(counts)
        ids: list[int] = []
        times: list[int] = []
        starts: list[int] = []
        of_text: list[int] = []
        for i, counts in enumerate(per_text):
            if counts:
                starts.append(len(ids))
                of_text.append(i)
                ids.extend(counts)
                times.extend(counts.values())
        if not ids:
            out = np.zeros((len(texts), self.width))
            return out, out.sum(axis=0) if whole else np.zeros(0)
        weighted = self._weighted(ids, times, extra)
        if len(of_text) == len(texts):
            out = np.add.reduceat(weighted, starts, axis=0)  # every text has pieces (the usual case)
        else:
            out = np.zeros((len(texts), self.width))
            out[of_text] = np.add.reduceat(weighted, starts, axis=0)
        if not whole:
            return out, np.zeros(0)
        # The whole: every piece and pair of every text, and the pairs across the breaks, counted together.
        together: dict[int, int] = {}
        count = together.get
        for counts in per_text:
            for row, k in counts.items():
                together[row] = count(row, 0) + k
        for row in across:
            together[row] = count(row, 0) + 1
        return out, self._weighted(list(together), list(together.values()), extra).sum(axis=0)

    def shares(self, text: str) -> tuple[np.ndarray, list[str]]:
        """One text's distinct pieces and word pairs, first occurrence first: each one's weighted row (its
        share of every column, and last its weighted squared idf; summed over axis 0 they are the text's
        `sums`) and its label, the word a person reads (a piece without its punctuation, or the piece when
        it is all punctuation; "a b" for a word pair)."""
        local: dict[Any, int] = {}
        extra: list[np.ndarray] = []
        counts: dict[int, int] = {}
        labels: dict[int, str] = {}
        self._count(text, counts, local, extra, labels)
        if not counts:
            return np.zeros((0, self.width)), []
        return self._weighted(list(counts), list(counts.values()), extra), [labels[row] for row in counts]

    def _count(self, text: str, counts: dict[int, int], local: dict[Any, int], extra: list[np.ndarray],
               labels: dict[int, str] | None = None) -> list[str]:
        """Count the rows of the text's pieces, then of its word pairs, into `counts` (insertion order is
        the order rows first occur); with `labels`, each row's label too. Returns the text's words."""
        rows, pairs = self._rows, self._pairs
        count = counts.get
        words = []
        for piece in pieces(text):
            hit = rows.get(piece)
            if hit is None:
                hit = self._add(piece, local, extra)
            counts[hit[0]] = count(hit[0], 0) + 1
            if labels is not None:
                labels.setdefault(hit[0], hit[1] or piece)
            if hit[1]:
                words.append(hit[1])
        for pair in pairwise(words):
            row = pairs.get(pair)
            if row is None:
                row = self._add_pair(pair, local, extra)
            counts[row] = count(row, 0) + 1
            if labels is not None:
                labels.setdefault(row, f"{pair[0]} {pair[1]}")
        return words

    def _weighted(self, ids: list[int], times: list[int], extra: list[np.ndarray]) -> np.ndarray:
        """The rows of `ids` (read after every row this call needs was written into the table), each
        times 1 + ln(how often it occurs)."""
        rows = self._gather(self._table, np.array(ids, dtype=np.int64), extra)
        if max(times) == 1:
            return rows  # 1 + ln 1 is exactly 1: the product would be the rows themselves
        return rows * _sublinear(np.array(times, dtype=float))[:, None]

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
