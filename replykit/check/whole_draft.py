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


def judge_whole_draft(model: LangModel, ctx: CheckContext, findings: list[Finding], messages: Mapping[str, str],
                      mask: Callable[[str], str] | None = None) -> list[Finding]:
    whole = model.whole
    if whole is None or not whole.thresholds:
        return findings
    text = ctx.norm.text
    spans = [(s, e) for s, e in ctx.sentences if text[s:e].strip()]
    sentences = [text[s:e] for s, e in spans]
    if not is_whole_reply(sentences):
        return findings  # a piece of a reply: nothing to say about the reply as a whole
    reported = {f.category for f in findings}
    probs = {c: p for c, p in model.whole_draft_probs(text, mask).items()
             if c not in reported and p >= whole.thresholds[c]}
    if not probs:
        return findings
    cols, weights, rows = model.vectorizer.transform_many([mask(s) for s in sentences] if mask else sentences)
    out = list(findings)
    for category, p in probs.items():
        k = whole.categories.index(category)
        pushes = np.bincount(rows, weights=weights * whole.coef[cols, k], minlength=len(spans))
        start, end = ctx.norm.span(*spans[int(np.argmax(pushes))])
        out.append(Finding(rule_id=f"model.whole_draft.{category}", category=category, severity="warning",
                           start=start, end=end, message=messages.get(category, _DEFAULT_MESSAGE),
                           source="model", confidence=round(p, 3)))
    return out


_DEFAULT_MESSAGE = "The pack's trained model sees this problem in the reply as a whole."
