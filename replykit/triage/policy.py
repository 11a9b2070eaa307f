"""Whether and how to answer a post: the pack's answer policy.

Precedence: the escalations' policies (the most restrictive mode wins: escalate_first, then
one_offer, then optional, then always; their notes are all kept), then the post's type, then the
default ("every post gets an answer"). A post that shows its author's personal data on a public wall is
answered privately, whatever the policy says about the words.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import is_public
from .config import Answer, AnswerPolicy

_RESTRICTIVE = ("escalate_first", "one_offer", "optional", "always")


@dataclass(frozen=True)
class Decision:
    mode: str
    where: str
    note: str


def decide(policy: AnswerPolicy, inquiry_type: str | None, kinds: list[str], exposes: bool,
           channel: str) -> Decision:
    found = [policy.escalations[k] for k in kinds if k in policy.escalations]
    if found:
        mode = min((a.mode for a in found), key=_RESTRICTIVE.index)
        note = " ".join(dict.fromkeys(a.note for a in sorted(found, key=lambda a: _RESTRICTIVE.index(a.mode))
                                      if a.note))
        chosen = Answer(mode=mode, note=note)
    else:
        by_type = policy.types.get(inquiry_type) if inquiry_type else None  # type: ignore[call-overload]
        chosen = by_type or policy.default
    note = chosen.note
    where = "public" if is_public(channel) else "private"
    if exposes:
        where = "private"
        note = f"{policy.personal_data_note} {note}".strip()
    return Decision(chosen.mode, where, note)
