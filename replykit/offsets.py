"""Span offsets for every client: code points (Python) and UTF-16 code units
(JavaScript, Java, C#, most editors' text models).

The two counts differ only after a character outside the Basic Multilingual
Plane (emoji, some CJK, mathematical letters), which UTF-16 writes as two
units. The positions of those characters are found once per draft, in C (one
regular-expression pass); each offset then costs one binary search. A draft
without such characters (most of them) keeps its offsets unchanged.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable, Sequence

from .results import Finding

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def utf16_converter(text: str) -> Callable[[int], int]:
    """A function from a code-point offset into `text` to the same offset in UTF-16 code units.
    A lone surrogate (it can reach us from broken input) is one code point and one unit."""
    if not text or max(text) <= "\uffff":
        return lambda offset: offset
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    # Each astral character before the offset adds one unit.
    return lambda offset: offset + bisect_left(astral, offset)


def with_utf16_offsets(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """The findings with `start_utf16`/`end_utf16` set from their code-point `start`/`end` into `text`."""
    if not findings:
        return []
    to_utf16 = utf16_converter(text)
    return [f.model_copy(update={"start_utf16": to_utf16(f.start), "end_utf16": to_utf16(f.end)})
            for f in findings]
