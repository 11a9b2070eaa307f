"""What the team's feedback says: per rule, per reply, per inquiry type.

* rules: how often each fired, how often an agent dismissed it as a false alarm;
* replies: how often each was suggested and picked, and how far agents moved the
  text they sent from the approved text (normalised Levenshtein distance, 0 = as
  approved, 1 = nothing left of it);
* inquiry types: how often a post recognised as that type was marked wrong-type;
* categories: problems reviewers marked as missed.

The database aggregates (GROUP BY), so both backends give the same figures.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .store import FeedbackStore


class RuleStats(BaseModel):
    rule_id: str
    fired: int
    dismissed: int
    dismissal_rate: float


class ReplyStats(BaseModel):
    template_id: str
    inquiry_type: str | None
    suggested: int
    picked: int
    pick_rate: float
    mean_edit_distance: float | None  # None: no pick came with the sent text


class TypeStats(BaseModel):
    inquiry_type: str
    recognised: int  # suggest results with this type first
    wrong_type: int
    wrong_type_rate: float
    corrected_to: dict[str, int]


class FeedbackStats(BaseModel):
    results: dict[str, int]
    feedback: dict[str, int]
    rules: list[RuleStats]
    replies: list[ReplyStats]
    inquiry_types: list[TypeStats]
    missed: dict[str, int]


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def compute_stats(store: FeedbackStore) -> FeedbackStats:
    q = store.query
    results = {k: int(n) for k, n in q("SELECT kind, COUNT(*) FROM results GROUP BY kind")}
    feedback = {k: int(n) for k, n in q("SELECT kind, COUNT(*) FROM feedback GROUP BY kind")}

    fired = dict(q("SELECT ref, COUNT(*) FROM result_items WHERE item = 'finding' GROUP BY ref"))
    dismissed = dict(q("SELECT ref, COUNT(DISTINCT result_id) FROM feedback WHERE kind = 'dismiss' GROUP BY ref"))
    rules = [RuleStats(rule_id=r, fired=int(fired.get(r, 0)), dismissed=int(dismissed.get(r, 0)),
                       dismissal_rate=_rate(int(dismissed.get(r, 0)), int(fired.get(r, 0))))
             for r in sorted(set(fired) | set(dismissed))]
    rules.sort(key=lambda s: (-s.dismissal_rate, -s.fired, s.rule_id))

    suggested: dict[str, tuple[str | None, int]] = {}
    for ref, itype, n in q("SELECT ref, MIN(inquiry_type), COUNT(*) FROM result_items WHERE item = 'suggestion' "
                           "GROUP BY ref"):
        suggested[ref] = (itype, int(n))
    picks: dict[str, tuple[int, Any]] = {}
    for ref, n, mean in q("SELECT ref, COUNT(*), AVG(edit_distance) FROM feedback WHERE kind = 'pick' GROUP BY ref"):
        picks[ref] = (int(n), mean)
    replies = []
    for ref in sorted(set(suggested) | set(picks)):
        itype, shown = suggested.get(ref, (None, 0))
        picked, mean = picks.get(ref, (0, None))
        replies.append(ReplyStats(template_id=ref, inquiry_type=itype, suggested=shown, picked=picked,
                                  pick_rate=_rate(picked, shown),
                                  mean_edit_distance=None if mean is None else round(float(mean), 4)))
    replies.sort(key=lambda s: (s.inquiry_type or "", -s.pick_rate, s.template_id))

    recognised = {t: int(n) for t, n in q("SELECT inquiry_type, COUNT(*) FROM results WHERE kind = 'suggest' "
                                          "AND inquiry_type IS NOT NULL GROUP BY inquiry_type")}
    corrected: dict[str, dict[str, int]] = {}
    for was, right, n in q("SELECT r.inquiry_type, f.inquiry_type, COUNT(*) FROM feedback f "
                           "JOIN results r ON r.result_id = f.result_id WHERE f.kind = 'wrong_type' "
                           "GROUP BY r.inquiry_type, f.inquiry_type"):
        corrected.setdefault(was or "(none)", {})[right] = int(n)
    types = []
    for itype in sorted(set(recognised) | set(corrected)):
        marks = sum(corrected.get(itype, {}).values())
        types.append(TypeStats(inquiry_type=itype, recognised=recognised.get(itype, 0), wrong_type=marks,
                               wrong_type_rate=_rate(marks, recognised.get(itype, 0)),
                               corrected_to=dict(sorted(corrected.get(itype, {}).items()))))
    missed = {c: int(n) for c, n in q("SELECT category, COUNT(*) FROM feedback WHERE kind = 'missed' "
                                      "GROUP BY category ORDER BY category")}
    return FeedbackStats(results=dict(sorted(results.items())), feedback=dict(sorted(feedback.items())),
                         rules=rules, replies=replies, inquiry_types=types, missed=missed)
