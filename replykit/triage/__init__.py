"""Triage: the incoming posts as a queue in the order to answer them (issue #14).

One module per concept: `config` (the pack's `triage:` section), `service_levels` (due times),
`escalation` (kinds, the troll pattern, routing), `exposure` (personal data in a post),
`policy` (whether and how to answer), `cluster` (incidents and storms), `storm_reply` (one
approved reply for many, wordings rotated), `queue` (priority and order), `engine` (`Triage`).
Imports stay lazy here: `models.py` imports `triage.config`, and the engine needs the kit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Triage

__all__ = ["Triage"]


def __getattr__(name: str):  # noqa: ANN202 - lazy export (see the module docstring)
    if name == "Triage":
        from .engine import Triage

        return Triage
    raise AttributeError(name)
