"""Regular expressions from rule files, compiled once.

A pattern written by a brand can be catastrophic (`(a+)+$`). Such patterns are
refused when the pack is read, by static analysis (redos.py), so the verdict
never depends on how busy the machine is. A wall-clock limit stays as a last
resort far above any accepted pattern; hitting it is an internal error that
blocks the draft for review (failures.py), never a softer verdict.
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from os.path import commonprefix
from typing import AbstractSet, Iterator

import regex

from . import redos
from .prefilter import Leads, leads, needles

# Last resort only: every bundled pattern takes under 50 ms on a 10,000-character adversarial draft
# even on a loaded machine (bench section 11), so reaching this means a bug, not a busy machine.
LAST_RESORT_TIMEOUT_S = 2.0
# A try costs about a microsecond (the time limit's clock is most of it): past this many, a scan is cheaper.
MAX_LEAD_TRIES = 10
_FLAGS = int(regex.IGNORECASE | regex.UNICODE | regex.VERSION0)
_FOLDED_FLAGS = int(regex.UNICODE | regex.VERSION0)  # plain ints: enum arithmetic per call is slow
PLACEHOLDERS = ("customer_name", "customer_name_part", "agent_name", "agent_name_part", "brand_name")


class PatternTimeout(Exception):
    pass


def has_placeholder(text: str) -> bool:
    return any("{{" + p + "}}" in text.replace(" ", "") for p in PLACEHOLDERS)


def fill(text: str, values: dict[str, str | tuple[str, ...] | None], lower: bool = False) -> str | None:
    """Replace {{name}} placeholders by escaped values (a tuple: any of them); None if one is unknown."""
    out = text
    for name in PLACEHOLDERS:
        for form in ("{{" + name + "}}", "{{ " + name + " }}"):
            if form in out:
                value = values.get(name)
                if not value:
                    return None
                options = value if isinstance(value, tuple) else (value,)
                escaped = [regex.escape(v.strip().lower() if lower else v.strip()) for v in options]
                out = out.replace(form, escaped[0] if len(escaped) == 1 else "(?:" + "|".join(escaped) + ")")
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


class BoundedPattern:
    """One rule pattern; compiled on first use, in the form the text allows."""

    __slots__ = ("source", "placeholders", "case_free", "needles", "leads", "word_start", "_compiled", "_folded")

    def __init__(self, source: str, known_needles: dict[str, frozenset[str] | None] | None = None,
                 known_leads: dict[str, Leads | None] | None = None):
        self.source = source
        self.placeholders = has_placeholder(source)
        self.case_free = case_free(source)
        # Strings one of which any match contains (None: always scan); see prefilter.py.
        # Working them out costs ~0.3 ms a pattern, so the pack cache keeps them.
        if self.placeholders:
            self.needles = None
        elif known_needles is not None and source in known_needles:
            self.needles = known_needles[source]
        else:
            self.needles = needles(source)
        # Strings one of which every match starts with, when trying the pattern where they stand beats
        # scanning for it (None: scan); see prefilter.leads and finditer.
        if self.placeholders:
            found = None
        elif known_leads is not None and source in known_leads:
            found = known_leads[source]
        else:
            found = leads(source)
        # The regex module finds a fixed opening string quickly by itself ("\bprivat\b", "(?:De|Dem|Deres)"):
        # trying each place it stands costs more than that scan. An alternation of words it scans slowly.
        worth = found is not None and len(commonprefix(sorted(found.strings))) < 2
        self.leads = found.strings if worth else None  # type: ignore[union-attr]
        self.word_start = worth and found.word_start  # type: ignore[union-attr]
        self._compiled: regex.Pattern | None = None
        self._folded: regex.Pattern | None = None

    def _pattern(self, values: dict[str, str | tuple[str, ...] | None], fast: bool) -> regex.Pattern | None:
        if self.placeholders:
            filled = fill(self.source, values, lower=fast)
            return None if filled is None else compile_cached(filled, _FOLDED_FLAGS if fast else _FLAGS)
        if fast:
            if self._folded is None:
                self._folded = regex.compile(self.source, _FOLDED_FLAGS)
            return self._folded
        if self._compiled is None:
            self._compiled = regex.compile(self.source, _FLAGS)
        return self._compiled

    def may_match(self, present: frozenset[str] | None) -> bool:
        """False when none of its needles is in the draft (`present`; None: unknown)."""
        return present is None or self.needles is None or not self.needles.isdisjoint(present)

    def finditer(self, text: str, values: dict[str, str | tuple[str, ...] | None], lowered: str | None = None,
                 present: AbstractSet[str] | None = None) -> Iterator[tuple[int, int]]:
        """The non-empty matches in `text` (`lowered`: it lower-cased, offsets kept; `present`: the
        prefilter's strings found in it, leads among them)."""
        fast = lowered is not None and self.case_free
        compiled = self._pattern(values, fast)
        if compiled is None:
            return
        target = lowered if fast and lowered is not None else text
        try:
            starts = None
            if self.leads is not None and lowered is not None and present is not None:
                starts = self._lead_starts(lowered, present)
            if starts is None:
                yield from _scan(compiled, target)
                return
            # Tried where the leads stand, in order, each try after the last match's end: every match starts
            # at one, so these are the scan's matches (~0.5 us a try against 10-50 us a scan of a
            # 600-character draft). One at a time: a caller that needs only the first (a `required` rule,
            # an `unless`) stops the tries there.
            end = found = 0
            for at in starts:
                if at < end:
                    continue
                m = compiled.match(target, at, None, None, False, LAST_RESORT_TIMEOUT_S)  # (no keywords: ~0.2 us less)
                if m is None:
                    continue
                if m.end() == m.start():  # how a scan goes on after an empty match is its own: scan on
                    yield from itertools.islice(_scan(compiled, target), found, None)
                    return
                yield m.span()
                found += 1
                end = m.end()
        except TimeoutError:
            raise PatternTimeout(self.source) from None

    def _lead_starts(self, lowered: str, present: AbstractSet[str]) -> list[int] | None:
        """Where the leads found in the draft stand, in order; None when there are more than
        MAX_LEAD_TRIES places to try (a scan is cheaper then)."""
        starts: set[int] = set()
        for lead in self.leads.intersection(present):  # type: ignore[union-attr]
            # After a letter or digit a \b cannot stand before a lead that starts with one ("vi" in "tvivl").
            inside_words = self.word_start and _surely_word(lead[0])
            at = lowered.find(lead)
            while at >= 0:
                if not (inside_words and at and _surely_word(lowered[at - 1])):
                    starts.add(at)
                    if len(starts) > MAX_LEAD_TRIES:
                        return None
                at = lowered.find(lead, at + 1)
        return sorted(starts)


def _scan(compiled: regex.Pattern, target: str) -> Iterator[tuple[int, int]]:
    """The pattern's non-empty matches, scanning the whole text."""
    for m in compiled.finditer(target, timeout=LAST_RESORT_TIMEOUT_S):
        if m.end() > m.start():
            yield m.start(), m.end()


def _surely_word(ch: str) -> bool:
    """A character every engine's \\w takes (letters, decimal digits, "_"): the regex module's \\w
    has marks and leaves some numerals out, so only these decide a \\b here."""
    return ch.isalpha() or ch.isdecimal() or ch == "_"


class UnsafePattern(ValueError):
    """A pattern whose structure allows super-linear backtracking (see redos.py)."""


def bounded(pattern: str) -> BoundedPattern:
    """Check the pattern compiles (raises regex.error) and is safe by construction (raises
    UnsafePattern), and wrap it."""
    concrete = fill(pattern, {p: "x" for p in PLACEHOLDERS}) or "" if has_placeholder(pattern) else pattern
    compile_pattern(concrete)
    hazards = redos.hazards(concrete)
    if hazards:
        raise UnsafePattern("; ".join(str(h) for h in hazards))
    return BoundedPattern(pattern)


def lazy(pattern: str, known_needles: dict[str, frozenset[str] | None] | None = None,
         known_leads: dict[str, Leads | None] | None = None) -> BoundedPattern:
    """Wrap a pattern already checked at load time (no compile until used)."""
    return BoundedPattern(pattern, known_needles, known_leads)


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
