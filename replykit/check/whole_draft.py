"""The whole-draft model on one draft (learn/whole_drafts.py trains it).

A reply without a next step, or one that brushes the customer off while every sentence is polite,
is a property of the whole reply. The model scores the whole text; its finding points at the
sentence that pushes the score up most (the deflection, the curt remark) and, like every model
finding, carries `source: "model"` and its confidence. A problem a rule or the sentence model
already reports in that category anywhere in the draft is not reported twice.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from ..learn.model import LangModel
from ..learn.whole_drafts import is_whole_reply
from ..results import Finding
from .context import CheckContext
from .meaning import DraftScores, score_draft


def judge_whole_draft(model: LangModel, ctx: CheckContext, findings: list[Finding], messages: Mapping[str, str],
                      mask: Callable[[str], str] | None = None, scores: DraftScores | None = None) -> list[Finding]:
    """`scores`: meaning.score_draft's, when the caller has them (else worked out here)."""
    whole = model.whole
    if whole is None or not whole.thresholds:
        return findings
    if scores is None:
        scores = score_draft(model, ctx, mask)
    text = ctx.norm.text
    spans = scores.spans
    if not is_whole_reply([text[s:e] for s, e in spans]):
        return findings  # a piece of a reply: nothing to say about the reply as a whole
    reported = {f.category for f in findings}
    probs = {c: p for c, p in scores.whole.items() if c not in reported and p >= whole.thresholds[c]}
    if not probs:
        return findings
    pushes = scores.pushes
    out = list(findings)
    for category, p in probs.items():
        k = whole.categories.index(category)
        start, end = ctx.norm.span(*spans[int(np.argmax(pushes[:, k]))])
        out.append(Finding(rule_id=f"model.whole_draft.{category}", category=category, severity="warning",
                           start=start, end=end, message=messages.get(category, _DEFAULT_MESSAGE),
                           source="model", confidence=round(p, 3)))
    return out


_DEFAULT_MESSAGE = "The pack's trained model sees this problem in the reply as a whole."
