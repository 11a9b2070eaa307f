"""Rules and the trained model together, on one draft.

The model scores every sentence for each meaning category. Then:

* a word or pattern rule that raised false alarms on the pack's labelled data
  stands only where the model does not rule its sentence out (a score under the
  category's `confirm` threshold, which 97 % of real problems clear in
  cross-validation): such rules propose, the model vetoes the false alarms of
  everyday wording. Rules without false alarms there have proved themselves;
* a sentence the model scores over a category's `warning` (or, for forbidden
  content, `error`) threshold is a finding of its own, `source: "model"`, unless
  a rule already reports that category there (each problem is listed once) or
  the sentence is word for word one of the pack's approved replies.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from ..learn.model import WARNING_IN_PRIVATE, LangModel
from ..results import Finding
from .context import CheckContext
from .kinds import PHRASE_KINDS

# Categories that depend on the channel: on a private channel they are not problems.
_PUBLIC_ONLY = {"forbidden.personal_data", "forbidden.public_order"}


def sentence_key(text: str) -> str:
    """How a sentence is compared with the approved replies' sentences: case and spacing do not count."""
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class DraftScores:
    """The model's reading of one draft, worked out once for the sentence and whole-draft judgements."""

    spans: list[tuple[int, int]]  # the sentences with text in them (offsets into ctx.norm.text)
    probs: list[list[float]]  # sentences x the model's categories
    best: list[int]  # per category: the sentence with the highest probability (the first of equal ones)
    whole: dict[str, float]  # whole-draft category -> probability
    pushes: np.ndarray  # sentences x whole-draft categories: each sentence's push on that score


def score_draft(model: LangModel, ctx: CheckContext, mask: Callable[[str], str] | None = None) -> DraftScores:
    text = ctx.norm.text
    spans = [(s, e) for s, e in ctx.sentences if text[s:e].strip()]
    if mask is not None and mask(text) == text:
        # The mask (the pack's numbers, digits framed by non-digits) cannot match inside a sentence
        # when it matches nowhere in the text: sentences end at white space, which is no digit.
        mask = None
    probs, whole, pushes = model.draft_scores([text[s:e] for s, e in spans], mask)
    best = probs.argmax(axis=0).tolist() if spans else []
    # Python floats (the same values): reading numpy scalars one by one cost more than the scores.
    return DraftScores(spans, probs.tolist(), best, whole, pushes)


def judge(model: LangModel, ctx: CheckContext, findings: list[Finding], specs: dict,
          messages: Mapping[str, str], approved: frozenset[str] = frozenset(),
          mask: Callable[[str], str] | None = None, scores: DraftScores | None = None) -> list[Finding]:
    """`scores`: score_draft's, when the caller has them (else worked out here)."""
    text = ctx.norm.text
    if scores is None:
        scores = score_draft(model, ctx, mask)
    spans, probs = scores.spans, scores.probs
    if not spans:
        return findings
    column = model.category_index
    original: list[tuple[int, int] | None] = [None] * len(spans)  # offsets into the draft, as needed

    def sentence(i: int) -> tuple[int, int]:
        span = original[i]
        if span is None:
            span = original[i] = ctx.norm.span(*spans[i])
        return span

    starts: list[int] = []  # every sentence's start in the draft, sorted (sentences follow each other)

    def score(category: str, start: int, end: int) -> float:
        k = column[category]
        # Binary search for the first sentence that may overlap (scanning all of them per finding
        # was quadratic in a draft of thousands of sentences with a finding in each).
        if not starts:
            starts.extend(sentence(i)[0] for i in range(len(spans)))
        i = max(0, bisect_right(starts, start) - 1)
        hit = []
        while i < len(spans) and sentence(i)[0] < end:
            if start < sentence(i)[1]:
                hit.append(probs[i][k])
            i += 1
        return max(hit) if hit else 1.0

    kept = []
    for f in findings:
        spec = specs.get(f.rule_id)
        limits = model.thresholds.get(f.category)
        if (spec is not None and spec.model_confirms and spec.kind in PHRASE_KINDS and limits is not None
                and f.rule_id in model.confirm_rules
                and limits.confirm is not None and f.end - f.start < len(ctx.norm.original)
                and score(f.category, f.start, f.end) < limits.confirm):
            continue  # the model rules this sentence out for that category
        kept.append(f)

    for category, limits in model.thresholds.items():
        if limits.warning is None or (category in _PUBLIC_ONLY and not ctx.public):
            continue
        k = column[category]
        best = scores.best[k]
        p = probs[best][k]
        if p < limits.warning:
            continue
        start, end = sentence(best)
        if any(f.category == category and f.start < end and start < f.end for f in kept):
            continue
        if sentence_key(text[spans[best][0]:spans[best][1]]) in approved:
            continue  # PR approved these very words
        severity = "error" if limits.error is not None and p >= limits.error else "warning"
        if category in WARNING_IN_PRIVATE and not ctx.public and (limits.private_error is None
                                                                 or p < limits.private_error):
            severity = "warning"  # account talk in a DM; rules naming refunds and guarantees still block
        kept.append(Finding(rule_id=f"model.{category}", category=category, severity=severity, start=start,
                            end=end, message=messages.get(category, _DEFAULT_MESSAGE), source="model",
                            confidence=round(p, 3)))
    return kept


_DEFAULT_MESSAGE = "The pack's trained model sees this problem in this sentence."
