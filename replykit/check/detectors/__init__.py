"""Detectors: checks that need code rather than word lists.

Each detector is built once per rule set from the kit's configuration and
answers `findings(ctx, options) -> list[Hit]`. A rule file of kind
`detector` binds one to a category, severity, channels and examples; the
engine does not know which detector is which.
"""
from __future__ import annotations

from typing import Any, Callable, Protocol

from ..context import CheckContext, Hit


class Detector(Protocol):
    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]: ...


def _pii(config: dict) -> Detector:
    from .pii import PersonalDataDetector

    return PersonalDataDetector(config)


def _spelling(config: dict) -> Detector:
    from .spelling import SpellingDetector

    return SpellingDetector(config)


def _grammar(config: dict) -> Detector:
    from .grammar import GrammarDetector

    return GrammarDetector(config)


def _topic(config: dict) -> Detector:
    from .topic import TopicDetector

    return TopicDetector(config)


def _shouting(config: dict) -> Detector:
    from .shouting import ShoutingDetector

    return ShoutingDetector(config)


def _substance(config: dict) -> Detector:
    from .substance import SubstanceDetector

    return SubstanceDetector(config)


DETECTORS: dict[str, Callable[[dict], Detector]] = {
    "pii": _pii,
    "spelling": _spelling,
    "grammar": _grammar,
    "topic": _topic,
    "shouting": _shouting,
    "substance": _substance,
}
