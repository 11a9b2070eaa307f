"""The service level each reply is measured against.

When the pack has a `triage:` section (templates/pack.yaml, read by replykit.triage), its
`service_levels` give the first-response level per channel and inquiry type, exactly as triage
gives due times (escalations are not in an export, so escalation rules do not apply). Otherwise,
or when the user gives --sla-first / --sla-solution, those options count (defaults 1 h / 24 h:
Vodafone NL's promise of a response within 1 hour and a solution within 24 on social media).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..vocabulary import CHANNELS, INQUIRY_TYPES

DEFAULT_FIRST = dt.timedelta(hours=1)
DEFAULT_SOLUTION = dt.timedelta(hours=24)
_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$",
                       re.IGNORECASE)


def parse_duration(text: str, option: str) -> dt.timedelta:
    """'1h', '30m', '1h30m', '2d', '90s' as team leads write them."""
    m = _DURATION.match(text or "")
    if not m or not any(m.groups()):
        raise InputError(f"{option} {text!r}: expected a duration such as 30m, 1h, 1h30m or 2d")
    days, hours, minutes, seconds = (int(g or 0) for g in m.groups())
    value = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if value <= dt.timedelta(0):
        raise InputError(f"{option} {text!r}: must be longer than zero")
    return value


@dataclass
class ServiceLevels:
    """The default levels and the (channel, inquiry type) pairs whose first-response level differs."""

    source: str
    first_response: dt.timedelta
    solution: dt.timedelta
    first_by_pair: dict[tuple[str, str], dt.timedelta] = field(default_factory=dict)


def pack_triage_config(kit: Any) -> Any | None:
    """The pack's triage config, or None when replykit has no triage or the pack no `triage:` section."""
    if importlib.util.find_spec("replykit.triage") is None:
        return None
    meta = kit._loaded.templates.meta  # noqa: SLF001 - the pack's own configuration
    return getattr(meta, "triage", None)


def from_pack(config: Any) -> ServiceLevels:
    from ..triage.service_levels import levels_for  # only when triage exists (pack_triage_config)

    levels = config.service_levels
    default_first, default_solution = levels.default.first_response, levels.default.solution
    pairs = {}
    for channel in CHANNELS:
        for inquiry_type in INQUIRY_TYPES:
            first, _ = levels_for(levels, channel, inquiry_type, [])
            if first != default_first:
                pairs[(channel, inquiry_type)] = first
    return ServiceLevels("pack", default_first, default_solution, pairs)


def resolve(kit_loader: Any, sla_first: str | None, sla_solution: str | None) -> ServiceLevels:
    """Options given by the user win; else the pack's levels; else the defaults.

    `kit_loader` is called only when the pack has to be read (a callable returning the kit)."""
    if sla_first is None and sla_solution is None:
        config = pack_triage_config(kit_loader()) if importlib.util.find_spec("replykit.triage") else None
        if config is not None:
            return from_pack(config)
    return ServiceLevels(
        "options",
        parse_duration(sla_first, "--sla-first") if sla_first is not None else DEFAULT_FIRST,
        parse_duration(sla_solution, "--sla-solution") if sla_solution is not None else DEFAULT_SOLUTION)
