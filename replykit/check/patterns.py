"""Regular expressions from rule files, compiled once and always time-bounded.

A pattern written by a brand can be catastrophic (`(a+)+$`). Every search
runs with a timeout; a rule that is cut short is reported, never silently
passed.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import regex

MATCH_TIMEOUT_S = 0.05
_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.VERSION0
PLACEHOLDERS = ("customer_name", "agent_name", "brand_name")


class PatternTimeout(Exception):
    pass


def has_placeholder(text: str) -> bool:
    return any("{{" + p + "}}" in text.replace(" ", "") for p in PLACEHOLDERS)


def fill(text: str, values: dict[str, str | None]) -> str | None:
    """Replace {{name}} placeholders by escaped values; None if one is unknown."""
    out = text
    for name in PLACEHOLDERS:
        for form in ("{{" + name + "}}", "{{ " + name + " }}"):
            if form in out:
                value = values.get(name)
                if not value:
                    return None
                out = out.replace(form, regex.escape(value.strip()))
    return out


def compile_pattern(pattern: str) -> regex.Pattern:
    """Compile or raise regex.error (the loader turns it into file:line)."""
    return regex.compile(pattern, _FLAGS)


@lru_cache(maxsize=4096)
def compile_cached(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, _FLAGS)


@dataclass(frozen=True)
class BoundedPattern:
    source: str
    compiled: regex.Pattern | None  # None when it has placeholders

    def finditer(self, text: str, values: dict[str, str | None]) -> Iterator[tuple[int, int]]:
        compiled = self.compiled
        if compiled is None:
            filled = fill(self.source, values)
            if filled is None:
                return
            compiled = compile_cached(filled)
        try:
            for m in compiled.finditer(text, timeout=MATCH_TIMEOUT_S):
                if m.end() > m.start():
                    yield m.start(), m.end()
        except TimeoutError:
            raise PatternTimeout(self.source) from None


def bounded(pattern: str) -> BoundedPattern:
    if has_placeholder(pattern):
        # Validate the shape with a dummy value now; compile per call later.
        compile_pattern(fill(pattern, {p: "x" for p in PLACEHOLDERS}) or "")
        return BoundedPattern(pattern, None)
    return BoundedPattern(pattern, compile_pattern(pattern))


def phrase_to_pattern(phrase: str) -> str:
    """A phrase with placeholders becomes a pattern: words joined by non-words."""
    parts = []
    for piece in phrase.split():
        if has_placeholder(piece):
            parts.append(piece)
        elif piece == "*":
            parts.append(r"\w+")
        elif piece.endswith("*"):
            parts.append(regex.escape(piece[:-1]) + r"\w*")
        else:
            parts.append(regex.escape(piece))
    return r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)"
