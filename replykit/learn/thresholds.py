"""Choosing a model's threshold from cross-validated scores (the sentence and whole-draft models)."""
from __future__ import annotations

import numpy as np


def lowest_threshold(score: np.ndarray, label: np.ndarray, is_clean: np.ndarray, precision: float,
                     clean_rate: float, missed: np.ndarray | None = None) -> tuple[float | None, dict]:
    """The lowest score (rounded to 4 places) from which cross-validated precision and the share of
    the clean corpus flagged both hold, with its figures; `missed`: the positives no rule reports,
    counted as `adds`. (None, {}) when no score holds both."""
    n_pos, n_clean = max(int(label.sum()), 1), max(int(is_clean.sum()), 1)
    for t in np.unique(np.round(score, 4)):
        flagged = score >= t
        tp = int((flagged & (label == 1)).sum())
        if not tp:
            break  # a higher threshold flags no more true problems
        prec = tp / int(flagged.sum())
        fa = int((flagged & is_clean).sum()) / n_clean
        if prec >= precision and fa <= clean_rate:
            figures = {"precision": round(prec, 3), "recall": round(tp / n_pos, 3), "clean_flagged": round(fa, 4)}
            if missed is not None:
                figures["adds"] = int((flagged & missed).sum())
            return float(t), figures
    return None, {}
