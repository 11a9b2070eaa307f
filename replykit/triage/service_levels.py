"""Due times from the pack's service levels (per channel, type and escalation; default 1 h / 24 h)."""
from __future__ import annotations

import datetime as dt

from .config import LevelRule, ServiceLevels


def _matches(rule: LevelRule, channel: str, inquiry_type: str | None, escalations: list[str]) -> bool:
    return ((rule.channel is None or rule.channel == channel)
            and (rule.type is None or rule.type == inquiry_type)
            and (rule.escalation is None or rule.escalation in escalations))


def levels_for(levels: ServiceLevels, channel: str, inquiry_type: str | None,
               escalations: list[str]) -> tuple[dt.timedelta, dt.timedelta]:
    """(first response, solution) allowed for a post.

    Among the rules without an escalation, the most specific that sets a value wins (channel and type
    beat either alone; on a tie the earlier rule). Escalation rules only tighten: the shortest time
    of every matching one counts, so a safety case is never given longer than an ordinary post.
    """
    out = []
    for name in ("first_response", "solution"):
        best: tuple[int, dt.timedelta] | None = None
        for rule in levels.rules:
            value = getattr(rule, name)
            if value is None or rule.escalation is not None or not _matches(rule, channel, inquiry_type, []):
                continue
            specificity = (rule.channel is not None) + (rule.type is not None)
            if best is None or specificity > best[0]:
                best = (specificity, value)
        allowed = best[1] if best else getattr(levels.default, name)
        for rule in levels.rules:
            value = getattr(rule, name)
            if value is not None and rule.escalation is not None and _matches(rule, channel, inquiry_type,
                                                                              escalations):
                allowed = min(allowed, value)
        out.append(allowed)
    return out[0], out[1]
