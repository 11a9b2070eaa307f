"""Whether and how to answer a post: the pack's answer policy.

Precedence: the most serious escalation with a policy, then the post's type, then the default
("every post gets an answer"). A post that shows its author's personal data on a public wall is
answered privately, whatever the policy says about the words.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import is_public
from .config import Answer, AnswerPolicy


@dataclass(frozen=True)
class Decision:
    mode: str
    where: str
    note: str


def decide(policy: AnswerPolicy, inquiry_type: str | None, kinds: list[str], exposes: bool,
           channel: str) -> Decision:
    chosen: Answer | None = next((policy.escalations[k] for k in kinds if k in policy.escalations), None)  # type: ignore[index]
    if chosen is None and inquiry_type is not None:
        chosen = policy.types.get(inquiry_type)  # type: ignore[call-overload]
    if chosen is None:
        chosen = policy.default
    note = chosen.note
    where = "public" if is_public(channel) else "private"
    if exposes:
        where = "private"
        note = f"{policy.personal_data_note} {note}".strip()
    return Decision(chosen.mode, where, note)
