"""Held-out sets before and after a change: which figures moved, and which got worse.

Cross-validated figures (the model cards) are measured on the pack's own labelled data, so they move
when the data does: a round of hard examples makes them look worse, a round of easy ones better,
whatever the model learnt. A held-out set that nobody trains on stays the same, so the same figures on
it before and after a retrain (`replykit evaluate SET --json > before.json`, then `--baseline
before.json`) say whether the change helped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

# (key in score_folder's figures, how it reads, whether higher is better)
FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("type_top1", "inquiry top-1", True),
    ("type_top3", "inquiry top-3", True),
    ("lang_detect", "language detected", True),
    ("forbidden_recall", "forbidden recall", True),
    ("blocked_verdict", "blocked verdicts", True),
    ("other_recall", "other recall", True),
    ("clean_pass", "clean drafts passed", True),
    ("false_alarms", "false alarms (warning or error)", False),
    ("false_alarms_error", "false alarms at error", False),
)


@dataclass(frozen=True)
class Change:
    """One figure of one set that is not what it was."""

    set_name: str
    figure: str  # a key of FIGURES, or "category <name>" for a category's recall
    label: str
    before: float
    after: float
    higher_is_better: bool

    @property
    def worse_by(self) -> float:
        """How much worse (negative: better)."""
        return self.before - self.after if self.higher_is_better else self.after - self.before

    def describe(self) -> str:
        return f"{self.set_name}: {self.label} {self.before:.3f} -> {self.after:.3f}"


def _fraction(value: str) -> float | None:
    """'22/24' -> 0.9167 (a category's caught / expected)."""
    caught, _, expected = value.partition("/")
    try:
        return int(caught) / int(expected) if int(expected) else None
    except ValueError:
        return None


def changes(before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    """Every figure that moved, set by set (sets in only one of the two are left out), in FIGURES order,
    then per category."""
    out: list[Change] = []
    for name, now in after.items():
        was = before.get(name)
        if was is None:
            continue
        for key, label, higher in FIGURES:
            if isinstance(was.get(key), (int, float)) and isinstance(now.get(key), (int, float)) \
                    and was[key] != now[key]:
                out.append(Change(name, key, label, float(was[key]), float(now[key]), higher))
        old_cats, new_cats = was.get("per_category", {}), now.get("per_category", {})
        for category in sorted(set(old_cats) & set(new_cats)):
            a, b = _fraction(old_cats[category]), _fraction(new_cats[category])
            if a is not None and b is not None and a != b:
                out.append(Change(name, f"category {category}", f"{category} recall", a, b, True))
    return out


def worse(found: list[Change], tolerance: float = 0.0) -> list[Change]:
    """The changes that made a figure worse by more than `tolerance`."""
    return [c for c in found if c.worse_by > tolerance + 1e-12]


def summary_line(name: str, figures: Mapping[str, Any]) -> str:
    """One set's figures on one line, as the README's quality tables give them."""
    parts = []
    if figures.get("posts"):
        parts.append(f"{figures['posts']} posts: top-1 {figures['type_top1']:.3f}, top-3 {figures['type_top3']:.3f}")
    if figures.get("drafts"):
        parts.append(f"{figures['drafts']} drafts: forbidden recall {figures['forbidden_recall']:.3f}, blocked "
                     f"{figures['blocked_verdict']:.3f}, other recall {figures['other_recall']:.3f}, clean passed "
                     f"{figures['clean_pass']:.3f}")
    if figures.get("clean_replies"):
        parts.append(f"{figures['clean_replies']} clean replies: false alarms {figures['false_alarms']:.1%} "
                     f"(error {figures['false_alarms_error']:.1%})")
    return f"{name}: " + ("; ".join(parts) if parts else "no records")
