"""Result models: what `suggest`, `check` and `templates` return.

`.model_dump()` gives exactly the JSON documented in docs/contract.md
(fields are added over time, never renamed or dropped).
"""
from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Candidate(_Result):
    type: str
    score: float = Field(ge=0, le=1)


class Suggestion(_Result):
    template_id: str  # "<lang>/<reply id>", e.g. "da/outage/public"
    inquiry_type: str
    score: float
    text: str
    missing_variables: list[str] = Field(default_factory=list)
    visibility: str = "any"
    lang: str = ""
    fallback_from: str | None = None  # the requested language when this is another language's text
    approved: bool = True  # false only for a draft the caller asked for (include_drafts)


class Escalation(_Result):
    flag: str  # legal_threat | media | regulator | safety | spread | profanity | churn
    evidence: str


class SuggestResult(_Result):
    id: str | None = None
    lang: str
    lang_detected: bool
    lang_confidence: float = 1.0
    inquiry_type: str | None  # None only when the pack has no inquiry types in that language
    candidates: list[Candidate]
    suggestions: list[Suggestion]
    matched: dict[str, list[str]] = Field(default_factory=dict)  # type -> phrases that matched
    escalation: list[Escalation] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    result_id: str | None = None  # set when a feedback store records the result (docs/feedback.md)


class Finding(_Result):
    rule_id: str
    category: str
    severity: str
    start: int
    end: int
    message: str
    replacements: list[str] = Field(default_factory=list)
    source: str = "rule"  # rule | model: a finding of the pack's trained model carries its confidence
    confidence: float | None = None
    # The span in UTF-16 code units (what JavaScript, Java and C# count); set on every finding of a
    # CheckResult (replykit/offsets.py), equal to start/end unless an emoji or other astral character precedes.
    start_utf16: int | None = None
    end_utf16: int | None = None


class ClosestTemplate(_Result):
    template_id: str
    similarity: float


class CheckResult(_Result):
    id: str | None = None
    lang: str
    channel: str | None
    verdict: str  # ok | revise | blocked
    findings: list[Finding]
    scores: dict[str, float]
    closest_template: ClosestTemplate | None = None
    notices: list[str] = Field(default_factory=list)
    result_id: str | None = None  # set when a feedback store records the result (docs/feedback.md)


class TemplateInfo(_Result):
    id: str  # logical reply id, e.g. "outage/public"
    template_id: str  # "<lang>/<id>"
    lang: str
    inquiry_type: str
    visibility: str
    channels: list[str]
    variables: list[str]
    required_variables: list[str]
    tags: list[str]
    approved_by: str | None = None
    approved_on: str | None = None
    review_by: str | None = None
    source: str
    status: str = "approved"  # approved | needs_reapproval | unapproved


def to_json(result: BaseModel) -> str:
    """One result as the JSON line of docs/contract.md."""
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
