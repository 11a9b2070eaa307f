"""Pick rates as a bounded prior for `suggest`, within an inquiry type.

For each reply (template id) with feedback, the Laplace-smoothed pick rate
p = (picks + 1) / (suggested + 2) is compared with the mean rate of the replies
of its inquiry type; the score moves by at most `MAX_SHIFT` (0.05): a reply
agents pick more than its siblings rises a little, one they pass over sinks a
little, and the type ranking itself is untouched. One agent's picks of a reply
count at most `PER_AGENT_DAY` times a day (picks without an agent count as one
agent), so one busy agent cannot bury a reply. The table is computed from the
store at most once every `REFRESH_S` seconds and kept on the instance.
"""
from __future__ import annotations

import threading
import time
from typing import Mapping

from .store import FeedbackStore

MAX_SHIFT = 0.05
PER_AGENT_DAY = 5
REFRESH_S = 60.0


def pick_prior(store: FeedbackStore, per_agent_day: int = PER_AGENT_DAY,
               max_shift: float = MAX_SHIFT) -> dict[str, float]:
    """template id -> score shift in [-max_shift, +max_shift]."""
    shown: dict[str, tuple[str | None, int]] = {
        ref: (itype, int(n)) for ref, itype, n in store.query(
            "SELECT ref, MIN(inquiry_type), COUNT(*) FROM result_items WHERE item = 'suggestion' GROUP BY ref")}
    picks = {ref: int(n) for ref, n in store.query(
        "SELECT ref, SUM(CASE WHEN n > ? THEN ? ELSE n END) FROM ("
        " SELECT ref, COALESCE(agent, '') AS who, day, COUNT(*) AS n FROM feedback WHERE kind = 'pick'"
        " GROUP BY ref, COALESCE(agent, ''), day) capped GROUP BY ref", (per_agent_day, per_agent_day))}
    rates: dict[str, tuple[str | None, float]] = {}
    for ref, (itype, n) in shown.items():
        picked = min(picks.get(ref, 0), n)
        rates[ref] = (itype, (picked + 1) / (n + 2))
    by_type: dict[str | None, list[float]] = {}
    for itype, p in rates.values():
        by_type.setdefault(itype, []).append(p)
    out = {}
    for ref, (itype, p) in rates.items():
        mean = sum(by_type[itype]) / len(by_type[itype])
        spread = max(mean, 1 - mean)
        out[ref] = round(max(-1.0, min(1.0, (p - mean) / spread)) * max_shift, 4)
    return out


class PickPrior:
    """The prior of one store, recomputed at most every `refresh_s` seconds (thread-safe)."""

    def __init__(self, store: FeedbackStore, refresh_s: float = REFRESH_S, per_agent_day: int = PER_AGENT_DAY):
        self._store = store
        self._refresh_s = refresh_s
        self._per_agent_day = per_agent_day
        self._lock = threading.Lock()
        self._table: dict[str, float] = {}
        self._at = float("-inf")

    def table(self) -> Mapping[str, float]:
        if time.monotonic() - self._at < self._refresh_s:
            return self._table
        with self._lock:
            if time.monotonic() - self._at >= self._refresh_s:
                self._table = pick_prior(self._store, self._per_agent_day)
                self._at = time.monotonic()
        return self._table

    def invalidate(self) -> None:
        """Recompute on the next call (after a bulk import, in tests)."""
        self._at = float("-inf")
