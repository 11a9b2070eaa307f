"""Skip rule patterns that cannot match: a literal prefilter.

A language has a few hundred rule patterns and a draft matches a handful.
Scanning each one costs a few microseconds even when it finds nothing, so
before scanning we ask a cheaper question: does the draft contain any of the
literal strings the pattern cannot match without? `\\bdet er ikke (?:os|mig)`
needs "det er ikke " in the text; `(?:refunderer|krediterer) (?:vi|jeg)`
needs one of four strings such as "refunderer vi".

`needles(pattern)` works that out from the parsed pattern (the standard
library's regular-expression parser; the `regex` module shares its syntax
for everything the rules use). It is conservative: whenever it is unsure
(regex-only syntax, classes, short literals) it answers None, "always scan".
All needles of a language go into one Aho-Corasick automaton
(pyahocorasick), so one pass over the lower-cased draft tells which
patterns are worth running. A pattern's result never changes, only
whether it is run; the tests compare both ways on every rule example.
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from typing import AbstractSet, Iterable, NamedTuple, Protocol

import ahocorasick
import regex

try:  # Python 3.11+: the parser moved; the old name still works with a warning
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _p

MIN_NEEDLE = 2  # a needle must be at least this long ("!!", "?!"); shorter ones are everywhere
_COMMON_MARKS = frozenset(" .,:;!?-'\"()\n\t/")  # one-character needles worth nothing
# Stands for "some character three times in a row" (what `(\\w)\\1\\1` needs); found by _TRIPLED_RE.
TRIPLED = "\x00tripled"
_TRIPLED_RE = re.compile(r"(.)\1\1", re.DOTALL)
# Stands for "a digit" (what `\d`, `[0-9]` need): many PII patterns need one, many drafts have none.
DIGIT = "\x00digit"
_DIGIT_RE = re.compile(r"\d")
_SENTINEL_WEIGHT = {TRIPLED: 6, DIGIT: 3}  # how selective each is, in needle characters
MAX_SET = 64  # cap on the alternatives a needle set may grow to
MAX_LEADS = 256  # cap on a pattern's leads (an alternation of many verbs): each is a string in the automaton
_MAX_CLASS = 4  # a character class is expanded when it lists at most this many characters

# Syntax the `regex` module reads differently from the standard parser
# (POSIX classes, fuzzy matching, \p{..}, version flags): never guess.
_REGEX_ONLY = regex.compile(r"\[:\^?[a-z]+:\]|\{[^}]*[a-z<>][^}]*\}|\\[mMXGLK]|\(\?[Vfbre|&R0-9]|\(\?P>")
# An unescaped \G (where the last match ended) or \K (keep out what came before).
_ANCHOR_OR_KEEP = regex.compile(r"(?<!\\)((?:\\\\)*)\\[GK]")
# A Unicode property class is, for needle-finding, just "some class": read it as \w (never a needle).
_PROPERTY = regex.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Z]")
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_GROUPS = {_c.SUBPATTERN} | ({_c.ATOMIC_GROUP} if hasattr(_c, "ATOMIC_GROUP") else set())


class _Unsure(Exception):
    pass


def needles(pattern: str) -> frozenset[str] | None:
    """Lower-cased strings one of which every match contains; None if unknown."""
    # \G and \K consume nothing and only narrow where a match may start or what it reports: without
    # them a pattern matches at least where it did, so its needles still hold (and the standard parser
    # can read it). nl.pii.address and da.make.next_step were scanned on every draft for want of this.
    try:
        items = _parsed(_ANCHOR_OR_KEEP.sub(r"\1", pattern))
        _, required = _analyse(items) if items is not None else (None, None)
    except Exception:  # noqa: BLE001 - unparsable (or _Unsure) here means "always scan"
        return None
    if not required or not all(map(_useful, required)):
        return None
    return frozenset(required)


class Leads(NamedTuple):
    strings: frozenset[str]  # lower-cased: every match starts with one of them
    word_start: bool  # the pattern opens with \b: a lead starting with a letter cannot start a match after one


def leads(pattern: str) -> Leads | None:
    """The strings one of which every match starts with (its first characters, or what a lookahead at
    its start requires there), and whether it opens at a word boundary; None if unknown. A pattern with
    leads need not be scanned along the whole draft: it is tried only where one of them stands
    (BoundedPattern.finditer)."""
    if _ANCHOR_OR_KEEP.search(pattern):
        return None  # \G and \K move where a match starts or what it reports
    try:
        items = _parsed(pattern)
        found = _starts(items) if items is not None else None
    except Exception:  # noqa: BLE001 - unparsable (or _Unsure) here means "scan the whole draft"
        return None
    if items is None or not found or not all(map(_useful, found)):
        return None
    return Leads(frozenset(found), _opens_at_boundary(items))


def _parsed(pattern: str) -> list | None:
    """The pattern's items as the standard parser reads them, lookbehinds dropped (they only narrow
    where a match may start) and Unicode property classes read as \\w; None for syntax the `regex`
    module reads otherwise. Raises what the parser raises."""
    pattern = _without_lookbehinds(pattern)
    if _REGEX_ONLY.search(pattern):
        return None
    return list(_p.parse(_PROPERTY.sub(r"\\w", pattern)))


def _opens_at_boundary(items: list) -> bool:
    """Whether a \\b stands among the zero-width items before anything is consumed (in a group that
    opens the pattern too, or in every branch of one)."""
    for op, av in items:
        if op is _c.AT:
            if av is _c.AT_BOUNDARY:
                return True
            continue
        if op in _ZERO_WIDTH:
            continue
        if op is _c.SUBPATTERN:
            return _opens_at_boundary(list(av[-1]))
        if op in _GROUPS:
            return _opens_at_boundary(list(av))
        if op is _c.BRANCH:
            return all(_opens_at_boundary(list(branch)) for branch in av[1])
        return False
    return False


def _starts(items: list) -> set[str]:
    """Strings one of which every match of the sequence starts with ({""}: none known)."""
    run: set[str] = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            if run == {""} and op is _c.ASSERT and av[0] == 1:  # a lookahead before anything is consumed
                ahead = _starts(list(av[1]))
                if ahead != {""}:
                    return ahead
            continue
        exact, _ = _item(op, av)
        head = exact if exact is not None else _head(op, av)
        grown = _product(run, head, MAX_LEADS) if head is not None else None
        if grown is None:
            return run
        run = grown
        if exact is None:
            return run  # how far this item reaches is unknown: what follows it cannot be added
    return run


def _head(op, av) -> set[str] | None:  # noqa: ANN001
    """Strings one of which every match of one item starts with (None: none known)."""
    if op is _c.SUBPATTERN:
        found = _starts(list(av[-1]))
    elif op in _GROUPS:
        found = _starts(list(av))
    elif op is _c.BRANCH:
        found = set()
        for branch in av[1]:
            found |= _starts(list(branch))
    elif op in _REPEATS and av[0] >= 1:
        found = _starts(list(av[2]))
    else:
        return None
    return None if "" in found or len(found) > MAX_LEADS else found


def _without_lookbehinds(pattern: str) -> str:
    """The pattern without its lookbehinds `(?<=...)`, `(?<!...)`. They only narrow where a match may
    start, so every match of the pattern is a match without them and its needles still hold; and the
    standard parser refuses the variable-width ones the `regex` module allows (`(?<!\\b\\p{Lu}\\p{Ll}+,)`),
    which left such patterns without needles, scanned on every draft."""
    out: list[str] = []
    depth_at_cut: int | None = None  # the depth of the lookbehind being dropped
    depth = 0
    class_from = -1  # inside a character class: where its members start (a "]" there is a member)
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        piece = pattern[i:i + 2] if ch == "\\" else ch
        if class_from >= 0:
            if ch == "]" and i > class_from:
                class_from = -1
        elif ch == "[":
            class_from = i + 2 if pattern.startswith("[^", i) else i + 1
        elif ch == "(":
            if depth_at_cut is None and pattern.startswith(("(?<=", "(?<!"), i):
                depth_at_cut = depth
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == depth_at_cut:
                depth_at_cut = None
                i += 1
                continue
        if depth_at_cut is None:
            out.append(piece)
        i += len(piece)
    return "".join(out)


def _useful(needle: str) -> bool:
    if len(needle) >= MIN_NEEDLE:
        return True
    return len(needle) == 1 and not needle.isalnum() and needle not in _COMMON_MARKS


def _tripled(items: list, i: int) -> bool:
    """items[i] is a one-character group that the next items repeat twice: `(\\p{L})\\1{2,}`."""
    op, av = items[i]
    if op is not _c.SUBPATTERN or av[0] is None:
        return False
    consuming = [sub_op for sub_op, _ in av[-1] if sub_op not in _ZERO_WIDTH]
    if len(consuming) != 1 or consuming[0] not in (_c.LITERAL, _c.IN, _c.CATEGORY, _c.ANY, _c.NOT_LITERAL):
        return False
    group, repeats = av[0], 0
    for op2, av2 in items[i + 1:]:
        if op2 is _c.GROUPREF and av2 == group:
            repeats += 1
        elif op2 in _REPEATS and len(av2[2]) == 1 and av2[2][0] == (_c.GROUPREF, group):
            repeats += av2[0]
            if av2[0] == 0:
                break
        else:
            break
        if repeats >= 2:
            return True
    return False


def _lower(chars: Iterable[str]) -> str:
    out = []
    for ch in chars:
        low = ch.lower()
        if len(low) != 1 or ch in "Σσς":  # offsets would shift, or context-dependent
            raise _Unsure
        out.append(low)
    return "".join(out)


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two requirements (one whose needles are all worth looking for, then the
    longest shortest needle): `\\.\\w+@` keeps "@", not the "." found first, which is everywhere."""
    if not a or "" in a:
        return b
    if not b or "" in b:
        return a
    ka = (all(map(_useful, a)), min(map(_weight, a)), -len(a))
    kb = (all(map(_useful, b)), min(map(_weight, b)), -len(b))
    return a if ka >= kb else b


def _weight(needle: str) -> int:
    return _SENTINEL_WEIGHT.get(needle, len(needle))


def _product(a: set[str], b: set[str], cap: int = MAX_SET) -> set[str] | None:
    if len(a) * len(b) > cap:
        return None
    return {x + y for x, y in itertools.product(a, b)}


def _analyse(items: list) -> tuple[set[str] | None, set[str] | None]:
    """(exact, required) for a sequence of parsed items.

    exact: the finite set of strings the sequence matches, if small;
    required: strings one of which every match contains.
    """
    exact: set[str] | None = {""}
    run: set[str] = {""}  # exact strings of the current run of exact items
    required: set[str] | None = None
    for i, (op, av) in enumerate(items):
        if _tripled(items, i):
            required = _better(required, {TRIPLED})
        item_exact, item_required = _item(op, av)
        if item_exact is not None:
            grown = _product(run, item_exact)
            if grown is not None:
                run = grown
                if exact is not None:
                    exact = _product(exact, item_exact)
                continue
            required = _better(required, run)
            run = set(item_exact)
        else:
            required = _better(required, _better(run, item_required))
            run = {""}
        exact = None
    required = _better(required, run)
    return exact, required


def _item(op, av) -> tuple[set[str] | None, set[str] | None]:  # noqa: ANN001
    if op is _c.LITERAL:
        s = {_lower(chr(av))}
        return s, s
    if op in _ZERO_WIDTH:
        return {""}, None
    if op is _c.IN and _all_digits(av):
        return None, {DIGIT}
    if op is _c.IN:
        chars = []
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.append(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.extend(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None, None
        if len(chars) > _MAX_CLASS:
            return None, None
        s = {_lower(ch) for ch in chars}
        return s, s
    if op is _c.SUBPATTERN:
        return _analyse(list(av[-1]))
    if op in _GROUPS:  # atomic group: the sub-pattern itself
        return _analyse(list(av))
    if op is _c.BRANCH:
        exact: set[str] | None = set()
        required: set[str] | None = set()
        for branch in av[1]:
            e, r = _analyse(list(branch))
            exact = exact | e if exact is not None and e is not None else None
            required = required | r if required is not None and r and "" not in r else None
        if exact is not None and len(exact) > MAX_SET:
            exact = None
        return exact, required or None
    if op in _REPEATS:
        lo, hi, sub = av
        e, r = _analyse(list(sub))
        if e is not None and hi <= 2:
            options: set[str] | None = set()
            for k in range(lo, hi + 1):
                power: set[str] | None = {""}
                for _ in range(k):
                    power = _product(power, e) if power is not None else None
                options = options | power if options is not None and power is not None else None
            if options is not None and len(options) <= MAX_SET:
                return options, (options if lo >= 1 else None)
        if e is not None and lo >= 2:  # "!{2,}" needs "!!"
            power = {""}
            for _ in range(min(lo, 4)):
                power = _product(power, e) or set()
            if power:
                return None, power
        return None, (r if lo >= 1 else None)
    return None, None


def _all_digits(items: list) -> bool:
    for kind, value in items:
        if kind is _c.CATEGORY and value is _c.CATEGORY_DIGIT:
            continue
        if kind is _c.LITERAL and chr(value).isdigit():
            continue
        if kind is _c.RANGE and chr(value[0]).isdigit() and chr(value[1]).isdigit():
            continue
        return False
    return bool(items)


class Prefilter:
    """All needles of one language in one automaton, and the patterns' leads: `present` tells which of
    them the draft holds (a pattern with leads is tried where those stand; see patterns.py)."""

    def __init__(self, needle_sets: Iterable[frozenset[str] | None], lead_sets: Iterable[frozenset[str] | None] = ()):
        self._automaton = ahocorasick.Automaton()
        self._tripled = self._digit = False
        for needle_set in itertools.chain(needle_sets, lead_sets):
            for needle in needle_set or ():
                if needle == TRIPLED:
                    self._tripled = True
                elif needle == DIGIT:
                    self._digit = True
                else:
                    self._automaton.add_word(needle, needle)
        self.size = len(self._automaton)
        if self.size:
            self._automaton.make_automaton()

    def present(self, lowered: str) -> frozenset[str]:
        """Which needles occur in the (lower-cased) text."""
        found = {value for _, value in self._automaton.iter(lowered)} if self.size else set()
        if self._tripled and _TRIPLED_RE.search(lowered):
            found.add(TRIPLED)
        if self._digit and _DIGIT_RE.search(lowered):
            found.add(DIGIT)
        return frozenset(found)


class _Filtered(Protocol):
    needles: frozenset[str] | None


class PatternChoice:
    """Which patterns of a language are worth running on a draft, asked once per draft: those with a
    needle in it and those without needles. Each pattern's own test (`needles.isdisjoint(present)`,
    ~200 of them a draft) cost more than running the few patterns it let through."""

    def __init__(self, patterns: Iterable[_Filtered]):
        always: list[_Filtered] = []
        by_needle: dict[str, list[_Filtered]] = defaultdict(list)
        for pattern in patterns:
            if pattern.needles is None:
                always.append(pattern)
            else:
                for needle in pattern.needles:
                    by_needle[needle].append(pattern)
        self._always = frozenset(always)
        self._by_needle = {needle: tuple(ps) for needle, ps in by_needle.items()}

    def select(self, present: AbstractSet[str] | None) -> AbstractSet[_Filtered] | None:
        """The patterns to run when the draft holds the needles `present` (None: unknown, run all)."""
        if present is None:
            return None
        chosen = set(self._always)
        by_needle = self._by_needle
        for needle in present:
            patterns = by_needle.get(needle)
            if patterns:
                chosen.update(patterns)
        return chosen
