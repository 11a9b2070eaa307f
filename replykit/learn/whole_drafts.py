"""The whole-draft model: problems that belong to a reply as a whole, not to one of its sentences.

A reply with no next step, or one whose every sentence is polite but which as a whole brushes the
customer off ("ask the Norwegian operators about that"), has no sentence a sentence model can point
at: writers quote no words for such problems, so the sentence model never sees them as examples.
This model reads the whole draft (the same features and vocabulary as the sentence model) and is
trained on every labelled draft, with the clean replies and the pack's approved replies as
examples of drafts without the problem.

It only judges whole replies: at check time a text of fewer than MIN_SENTENCES sentences or MIN_WORDS
words (a greeting, a line being edited, a signature block, a piece of a reply) is not scored. Its
threshold is chosen like the sentence model's warning threshold: cross-validated precision and the
clean-corpus budget must both hold.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..text.normalize import normalize
from .data import Labelled
from .thresholds import lowest_threshold

# Categories about a reply as a whole. value.add_value was tried too: on the development sets it added
# nothing over the rules once short texts are left out, and flagged clean replies.
WHOLE_DRAFT_CATEGORIES = ("value.make_it_happen", "value.show_respect")
MIN_SENTENCES = 3  # greeting, something, sign-off: fewer is a piece of a reply, not a reply
MIN_WORDS = 12  # "Med venlig hilsen / Lone / Fibra Kundeservice" is three lines, and no reply


def is_whole_reply(sentences: list[str]) -> bool:
    return len(sentences) >= MIN_SENTENCES and sum(len(s.split()) for s in sentences) >= MIN_WORDS


@dataclass(frozen=True)
class WholeDraftModel:
    categories: list[str]
    coef: np.ndarray  # features x categories
    intercept: np.ndarray
    thresholds: dict[str, float]  # category -> warning threshold (a category without one is off)


def train_whole_drafts(labelled: Labelled, approved: list[str], matrix: Callable[[list[str]], Any],
                       mask: Callable[[str], str], precision: float, clean_rate: float,
                       seed: int) -> tuple[WholeDraftModel, dict]:
    """Fit one logistic regression per category on whole texts; `matrix` turns texts into the tf-idf rows
    of the language's vectorizer. Returns the model and its card."""
    from sklearn.model_selection import KFold

    from .train import FOLDS, MIN_POSITIVES, category_classifier

    texts = [d.draft for d in labelled.drafts] + [c.text for c in labelled.clean] + list(approved)
    is_clean = np.array([False] * len(labelled.drafts) + [True] * (len(texts) - len(labelled.drafts)))
    x = matrix([mask(normalize(t).text) for t in texts])
    n_features = x.shape[1]
    coef = np.zeros((n_features, len(WHOLE_DRAFT_CATEGORIES)))
    intercept = np.full(len(WHOLE_DRAFT_CATEGORIES), -20.0)
    thresholds: dict[str, float] = {}
    card: dict[str, dict] = {}
    for k, cat in enumerate(WHOLE_DRAFT_CATEGORIES):
        y = np.array([int(cat in d.expect) for d in labelled.drafts] + [0] * int(is_clean.sum()))
        if y.sum() < MIN_POSITIVES:
            card[cat] = {"positives": int(y.sum()), "model": "off (too few examples)"}
            continue
        probs = np.zeros(len(y))
        for train_idx, test_idx in KFold(FOLDS, shuffle=True, random_state=seed).split(x):
            if y[train_idx].sum() == 0:
                continue
            m = category_classifier(seed).fit(x[train_idx], y[train_idx])
            probs[test_idx] = m.predict_proba(x[test_idx])[:, 1]
        m = category_classifier(seed).fit(x, y)
        coef[:, k], intercept[k] = m.coef_[0], m.intercept_[0]
        threshold, figures = lowest_threshold(probs, y, is_clean, precision, clean_rate)
        if threshold is not None:
            thresholds[cat] = threshold
        card[cat] = {"positives": int(y.sum()), "records": int(len(y)), "warning": figures,
                     "threshold": threshold}
    return WholeDraftModel(list(WHOLE_DRAFT_CATEGORIES), coef, intercept, thresholds), card
