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
        # Each text's distinct rows with how often they occur, counted in a dict: insertion order is the
        # order rows first occur, and a draft's hundred pieces are counted quicker so than by a numpy sort.
        per_text: list[dict[int, int]] = []
        across: list[int] = []  # row ids of the word pairs across sentence breaks: only in the whole
        local: dict[Any, int] = {}  # rows of this call only: key -> id (_LOCAL + its place in `extra`)
        extra: list[np.ndarray] = []
        rows, pairs = self._rows, self._pairs
        last_word = ""
        for text in texts:
            counts: dict[int, int] = {}
            count = counts.get
            words = []
            for piece in pieces(text):
                hit = rows.get(piece)
                if hit is None:
                    hit = self._add(piece, local, extra)
                counts[hit[0]] = count(hit[0], 0) + 1
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
                if row is None:
                    row = self._add_pair(pair, local, extra)
                counts[row] = count(row, 0) + 1
            per_text.append(counts)
        out = np.zeros((len(texts), self.width))
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
            return out, out.sum(axis=0) if whole else np.zeros(0)
        table = self._table  # read after every row this call needs was written into it
        weighted = self._gather(table, np.array(ids, dtype=np.int64), extra) \
            * _sublinear(np.array(times, dtype=float))[:, None]
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
        weighted = self._gather(table, np.array(list(together), dtype=np.int64), extra) \
            * _sublinear(np.array(list(together.values()), float))[:, None]
        return out, weighted.sum(axis=0)

    def strongest(self, text: str, column: int, limit: int = 8) -> list[tuple[str, float]]:
        """The words (a piece without its punctuation, or the piece when it is all punctuation) and word
        pairs of `text` that push `column` up most, strongest first, with their share of its sum: a
        piece's share holds every feature it gives (its word and its character n-grams), so this names
        what a person reads, at the cost of one look-up a piece."""
        local: dict[Any, int] = {}
        extra: list[np.ndarray] = []
        found: dict[int, list] = {}  # row -> [label, times]: distinct pieces and pairs, first occurrence first
        words = []
        for piece in pieces(text):
            hit = self._rows.get(piece) or self._add(piece, local, extra)
            entry = found.setdefault(hit[0], [hit[1] or piece, 0])
            entry[1] += 1
            if hit[1]:
                words.append(hit[1])
        for pair in pairwise(words):
            row = self._pairs.get(pair)
            if row is None:
                row = self._add_pair(pair, local, extra)
            entry = found.setdefault(row, [f"{pair[0]} {pair[1]}", 0])
            entry[1] += 1
        found.pop(_NOTHING, None)
        if not found:
            return []
        rows = self._gather(self._table, np.array(list(found), dtype=np.int64), extra)
        shares = rows[:, column] * _sublinear(np.array([times for _, times in found.values()], dtype=float))
        order = np.argsort(-shares, kind="stable")  # equal shares in the order they first occur
        labels = [label for label, _ in found.values()]
        out: list[tuple[str, float]] = []
        for i, share in zip(order.tolist(), shares[order].tolist(), strict=True):
            if share <= 0 or len(out) == limit:
                break
            out.append((labels[i], share))
        return out

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
