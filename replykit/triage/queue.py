"""Priority and the order to answer in."""
from __future__ import annotations

import datetime as dt

from .config import Priorities


def priority(priorities: Priorities, inquiry_type: str | None, kinds: list[str], exposes: bool) -> int:
    """The most urgent level that applies (1 first)."""
    # The config's keys are Literal names (validated by pydantic); here they are looked up by str.
    levels = [priorities.types.get(inquiry_type, priorities.default)  # type: ignore[call-overload]
              if inquiry_type else priorities.default]
    levels += [priorities.escalations[k] for k in kinds if k in priorities.escalations]
    if exposes:
        levels.append(priorities.personal_data)
    return min(levels)


def queue_key(due_first_response: dt.datetime, prio: int, time: dt.datetime, post_id: str) -> tuple:
    """Earliest due first response first; then the more urgent; then the older post; then the id,
    so equal posts keep one order on every run."""
    return (due_first_response, prio, time, post_id)
