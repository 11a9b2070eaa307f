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

# A pattern gets 50 ms plus 5 µs per character: a runaway pattern on a 10k
# draft is cut at 0.1 s, while an ordinary one on a long draft is not.
MATCH_TIMEOUT_S = 0.05
MATCH_TIMEOUT_PER_CHAR_S = 0.000005


def timeout_for(text: str) -> float:
    return MATCH_TIMEOUT_S + MATCH_TIMEOUT_PER_CHAR_S * len(text)
_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.VERSION0
PLACEHOLDERS = ("customer_name", "agent_name", "brand_name")


class PatternTimeout(Exception):
    pass


def has_placeholder(text: str) -> bool:
    return any("{{" + p + "}}" in text.replace(" ", "") for p in PLACEHOLDERS)


def fill(text: str, values: dict[str, str | None], lower: bool = False) -> str | None:
    """Replace {{name}} placeholders by escaped values; None if one is unknown."""
    out = text
    for name in PLACEHOLDERS:
        for form in ("{{" + name + "}}", "{{ " + name + " }}"):
            if form in out:
                value = values.get(name)
                if not value:
                    return None
                value = value.strip().lower() if lower else value.strip()
                out = out.replace(form, regex.escape(value))
    return out


def compile_pattern(pattern: str) -> regex.Pattern:
    """Compile or raise regex.error (the loader turns it into file:line)."""
    return regex.compile(pattern, _FLAGS)


@lru_cache(maxsize=4096)
def compile_cached(pattern: str, flags: int = _FLAGS) -> regex.Pattern:
    return regex.compile(pattern, flags)


# Case-insensitive matching of Unicode text is several times slower in the
# regex module than matching lower-cased text. A pattern that says nothing
# about case (no capitals, no inline flags, no case classes) is therefore run
# without IGNORECASE on the draft lower-cased once.
_CASE_AWARE = regex.compile(r"\(\?[a-zA-Z]*-?[a-zA-Z]*[iI]|\\[pP]\{(?:L[ult]|Upper|Lower|Lowercase|Uppercase)"
                            r"|\[\[:(?:upper|lower):\]\]")
_ESCAPES = regex.compile(r"\\[pPN]\{[^}]*\}|\\.|\(\?P[<=][^>)]*[>)]")


def case_free(pattern: str) -> bool:
    if _CASE_AWARE.search(pattern):
        return False
    bare = _ESCAPES.sub("", pattern)
    for name in PLACEHOLDERS:
        bare = bare.replace(name, "")
    return not any(c.isupper() for c in bare)


@dataclass(frozen=True)
class BoundedPattern:
    source: str
    compiled: regex.Pattern | None  # None when it has placeholders
    folded: regex.Pattern | None = None  # the case-free fast path, run on lower-cased text

    def finditer(self, text: str, values: dict[str, str | None], lowered: str | None = None
                 ) -> Iterator[tuple[int, int]]:
        fast = lowered is not None and case_free(self.source) if self.compiled is None else \
            lowered is not None and self.folded is not None
        if fast:
            target = lowered
            compiled = self.folded
            if compiled is None:
                filled = fill(self.source, values, lower=True)
                if filled is None:
                    return
                compiled = compile_cached(filled, _FLAGS & ~regex.IGNORECASE)
        else:
            target = text
            compiled = self.compiled
            if compiled is None:
                filled = fill(self.source, values)
                if filled is None:
                    return
                compiled = compile_cached(filled)
        try:
            for m in compiled.finditer(target, timeout=timeout_for(target)):
                if m.end() > m.start():
                    yield m.start(), m.end()
        except TimeoutError:
            raise PatternTimeout(self.source) from None


def bounded(pattern: str) -> BoundedPattern:
    if has_placeholder(pattern):
        # Validate the shape with a dummy value now; compile per call later.
        compile_pattern(fill(pattern, {p: "x" for p in PLACEHOLDERS}) or "")
        return BoundedPattern(pattern, None)
    folded = regex.compile(pattern, _FLAGS & ~regex.IGNORECASE) if case_free(pattern) else None
    return BoundedPattern(pattern, compile_pattern(pattern), folded)

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
