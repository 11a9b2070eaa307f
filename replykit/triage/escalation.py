"""Escalation kinds, the troll pattern and routing to the pack's teams.

The cues are the pack's own (`templates/<lang>/_signals.yaml`, matched by `suggest.signals`);
this module turns them into what a team lead routes on. The troll rule follows the MTS guide
("how to recognise a professional complainer or troll"): emotionally loaded text, often obscene;
calls to spread the post; references to the criminal code and threats of court; no reaction to
customer service's comments, deleting offers of help. A post counts its signs (see `troll_signs`)
and is a troll at `troll.min_signs` of them (default 3 of 4).
"""
from __future__ import annotations

import regex

from .config import TriageConfig

# The signal flags that are escalations in their own right, under their routing name.
KIND_OF_FLAG = {"safety": "safety", "legal_threat": "legal", "regulator": "regulator", "media": "media",
                "churn": "churn"}
# Shouting: two words in capitals, or "!!!" (the same reading as suggest's provocation evidence).
_SHOUTED_WORD = regex.compile(r"\b\p{Lu}{3,}\b")


def emotional(text: str, flags: list[str], inquiry_type: str | None) -> bool:
    return ("profanity" in flags or inquiry_type == "provocation" or "!!!" in text
            or len(_SHOUTED_WORD.findall(text)) >= 2)


def troll_signs(text: str, flags: list[str], inquiry_type: str | None, repeated: bool) -> list[str]:
    """The MTS signs a post shows. `repeated`: its author posted again and again in the window, the
    stream's stand-in for ignoring (and deleting) our offers of help, which one post cannot show."""
    signs = []
    if emotional(text, flags, inquiry_type):
        signs.append("emotional")
    if "spread" in flags:
        signs.append("spread")
    if "legal_threat" in flags:
        signs.append("court_threat")
    if repeated:
        signs.append("repeated")
    return signs


def escalation_kinds(flags: list[str], signs: list[str], config: TriageConfig) -> list[str]:
    """Kinds in the pack's order of seriousness."""
    kinds = {KIND_OF_FLAG[f] for f in flags if f in KIND_OF_FLAG}
    if len(signs) >= config.troll.min_signs:
        kinds.add("troll")
    return [k for k in config.escalation_order if k in kinds] + sorted(
        k for k in kinds if k not in config.escalation_order)


def route(kinds: list[str], config: TriageConfig) -> tuple[str, list[str]]:
    """The team that owns the post (the most serious kind's) and the other teams to tell."""
    teams = list(dict.fromkeys(config.routes.get(k, config.default_team) for k in kinds))  # type: ignore[call-overload]
    if not teams:
        return config.default_team, []
    return teams[0], teams[1:]
