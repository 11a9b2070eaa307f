"""Static analysis of rule patterns for super-linear backtracking (ReDoS).

A rule pattern runs on every draft, so one that backtracks catastrophically
(`(a+)+$` on "aaaa…b") is a denial of service, and a wall-clock timeout only
turns that into verdicts that depend on machine load. This module judges a
pattern by its structure instead, the way safe-regex, regexploit and
redos-detector do, so the answer is the same on every machine:

- nested quantifiers: a repeated group whose iterations can split the same
  text in more than one way (`(a+)+`, `(\\w+\\s?)*`, `(a*)*`);
- overlapping alternatives under a repetition: two branches that can match
  the same text or one a prefix of the other (`(a|a)*`, `(a|ab)*c`);
- adjacent unbounded quantifiers over overlapping characters with nothing
  required in between (`\\s*\\s*`, `\\w+\\w+`, `\\s*,?\\s*`): polynomial;
- backreferences to a group of varying width (`(.*)\\1`); one to a group of
  fixed width (`(\\p{L})\\1{2,}`, the same letter repeated) is linear and allowed.

regexploit (PyPI) was tried first: it cannot read the `regex` module's syntax
(`\\p{L}` is an error) and misses `(a|a)*` and `\\s*\\s*`, so this is a focused
analyser over the standard library's regex parser (the tree: regex_tree.py).
An atomic group or a possessive quantifier never gives text back, so nothing
outside it is compared with what is inside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .regex_tree import UNBOUNDED, Alt, Atomic, Chars, Group, Look, Ref, Repeat, Seq, Zero, parse

# Repetitions up to this many times are bounded: side by side they cost a constant factor
# (`\s+[^.!?\n]{0,40}` tries at most 40 splits), not a power of the draft's length.
SMALL_MAX = 100


@dataclass(frozen=True)
class Hazard:
    kind: str  # nested-quantifier | overlapping-alternatives | adjacent-quantifiers | backreference | unreadable
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


# ------------------------------------------------------------------ properties


def _nullable(n: object) -> bool:
    if isinstance(n, Chars):
        return False
    if isinstance(n, Seq):
        return all(_nullable(i) for i in n.items)
    if isinstance(n, Alt):
        return any(_nullable(b) for b in n.branches)
    if isinstance(n, Repeat):
        return n.min == 0 or _nullable(n.body)
    if isinstance(n, (Atomic, Group)):
        return _nullable(n.body)
    if isinstance(n, Ref):
        return False  # the backreference check judges these
    return True  # lookarounds and anchors


def _chars(n: object, groups: dict[int, object]) -> frozenset[str]:
    if isinstance(n, Chars):
        return n.chars
    if isinstance(n, Seq):
        return frozenset().union(*(_chars(i, groups) for i in n.items))
    if isinstance(n, Alt):
        return frozenset().union(*(_chars(b, groups) for b in n.branches))
    if isinstance(n, (Repeat, Atomic, Group)):
        return _chars(n.body, groups)
    if isinstance(n, Ref):
        return _chars(groups.get(n.index, Seq(())), groups)
    return frozenset()


def _ends(n: object, groups: dict[int, object], first: bool) -> frozenset[str]:
    """Characters a non-empty match of n can start with (first) or end with."""
    if isinstance(n, Chars):
        return n.chars
    if isinstance(n, Seq):
        out: set[str] = set()
        for item in (n.items if first else reversed(n.items)):
            out |= _ends(item, groups, first)
            if not _nullable(item):
                break
        return frozenset(out)
    if isinstance(n, Alt):
        return frozenset().union(*(_ends(b, groups, first) for b in n.branches))
    if isinstance(n, (Repeat, Atomic, Group)):
        return _ends(n.body, groups, first)
    if isinstance(n, Ref):
        return _chars(n, groups)
    return frozenset()


def _width(n: object, groups: dict[int, object]) -> tuple[int, float]:
    if isinstance(n, Chars):
        return 1, 1
    if isinstance(n, Seq):
        widths = [_width(i, groups) for i in n.items]
        return sum(w[0] for w in widths), sum(w[1] for w in widths)
    if isinstance(n, Alt):
        widths = [_width(b, groups) for b in n.branches]
        return min(w[0] for w in widths), max(w[1] for w in widths)
    if isinstance(n, Repeat):
        lo, hi = _width(n.body, groups)
        return lo * n.min, float("inf") if n.max == UNBOUNDED and hi else hi * n.max
    if isinstance(n, (Atomic, Group)):
        return _width(n.body, groups)
    if isinstance(n, Ref):
        return _width(groups.get(n.index, Seq(())), groups)
    return 0, 0


def _unbounded(n: Repeat) -> bool:
    return n.gives_back and (n.max == UNBOUNDED or n.max > SMALL_MAX)


def _edge_repeats(n: object, first: bool, variable: bool = False) -> list[Repeat]:
    """Unbounded repetitions (with `variable`: any of varying length) that can stand at the start
    (first) or end of a match of n, with nothing required between them and that edge.
    Atomic groups and possessive repetitions give nothing back."""
    if isinstance(n, Repeat):
        inner = _edge_repeats(n.body, first, variable) if n.gives_back else []
        wanted = (n.gives_back and n.min != n.max) if variable else _unbounded(n)
        return ([n] if wanted else []) + inner
    if isinstance(n, Seq):
        out: list[Repeat] = []
        for item in (n.items if first else reversed(n.items)):
            out += _edge_repeats(item, first, variable)
            if not _nullable(item):
                break
        return out
    if isinstance(n, Alt):
        return [r for b in n.branches for r in _edge_repeats(b, first, variable)]
    if isinstance(n, Group):
        return _edge_repeats(n.body, first, variable)
    return []


def _run(n: object) -> tuple[list[frozenset[str]], bool]:
    """The leading single characters every match of n starts with, and whether that is all of it."""
    if isinstance(n, Chars):
        return [n.chars], True
    if isinstance(n, Group):
        return _run(n.body)
    if isinstance(n, Seq):
        out: list[frozenset[str]] = []
        for item in n.items:
            if isinstance(item, (Zero, Look)):
                continue
            run, whole = _run(item)
            out += run
            if not whole:
                return out, False
        return out, True
    if isinstance(n, Repeat):
        run, whole = _run(n.body)
        return run * n.min, whole and n.min == n.max
    return [], False


# ------------------------------------------------------------------ the checks


class _Analysis:
    def __init__(self, groups: dict[int, object]):
        self.groups = groups
        self.found: list[Hazard] = []

    def add(self, kind: str, detail: str) -> None:
        hazard = Hazard(kind, detail)
        if hazard not in self.found:
            self.found.append(hazard)

    def visit(self, n: object, repeated: bool = False) -> None:
        """`repeated`: n is inside a repetition (adjacent quantifiers there are exponential; outside
        they are polynomial in the length of one run of shared characters and are allowed, since
        drafts are bounded in length)."""
        if isinstance(n, Seq):
            if repeated:
                self.adjacent(n.items)
            for item in n.items:
                self.visit(item, repeated)
        elif isinstance(n, Alt):
            for b in n.branches:
                self.visit(b, repeated)
        elif isinstance(n, Repeat):
            if n.max > 1 and n.gives_back:
                self.iterations(n)
            self.visit(n.body, repeated or (n.max > 1 and n.gives_back))
        elif isinstance(n, Look):
            self.visit(n.body, False)
        elif isinstance(n, (Atomic, Group)):
            self.visit(n.body, repeated)
        elif isinstance(n, Ref):
            lo, hi = _width(self.groups.get(n.index, Seq(())), self.groups)
            if lo != hi:
                self.add("backreference", f"\\{n.index} refers to a group of varying width")

    def adjacent(self, items: tuple) -> None:
        """Two unbounded repetitions over shared characters with only optional parts between."""
        for i, left in enumerate(items):
            tails = _edge_repeats(left, first=False)
            if not tails:
                continue
            for right in items[i + 1:]:
                for head in _edge_repeats(right, first=True):
                    for tail in tails:
                        # The boundary between them can move when a stretch of text can start and
                        # end the way both bodies can (for single characters: they overlap).
                        if (_ends(tail.body, self.groups, True) & _ends(head.body, self.groups, True)
                                and _ends(tail.body, self.groups, False) & _ends(head.body, self.groups, False)):
                            self.add("adjacent-quantifiers", "two unbounded repetitions over the same characters "
                                     "with nothing required between them (like \\s*\\s*): polynomial backtracking")
                if not _nullable(right):
                    break

    def iterations(self, rep: Repeat) -> None:
        body = rep.body
        groups = self.groups
        if _nullable(body) and _width(body, groups)[1] > 0:
            self.add("nested-quantifier", "a repeated group that can match nothing (like (a*)*)")
            return
        starts, ends = _ends(body, groups, True), _ends(body, groups, False)
        for inner, edge in [(r, ends) for r in _edge_repeats(body, True, variable=True)] + \
                           [(r, starts) for r in _edge_repeats(body, False, variable=True)]:
            # An inner repetition at one edge of the iteration that can also take the other edge's
            # characters: where one iteration stops and the next starts is ambiguous.
            if _chars(inner.body, groups) & edge:
                self.add("nested-quantifier", "a repeated group whose iterations can split the same text in "
                         "several ways (like (a+)+): exponential backtracking")
                return
        if _ambiguous(_expansions(body)):
            self.add("overlapping-alternatives", "alternatives under a repetition that match the same text "
                     "or one a prefix of another (like (a|ab)*): exponential backtracking")


def _expansions(body: object) -> list[object]:
    """One iteration written out once per branch of each alternation in it (one level deep), so that
    `(?:selv|selvfølgelig) ` is compared as "selv " against "selvfølgelig ", not "selv" against it."""
    items = body.items if isinstance(body, Seq) else (body,)
    out: list[object] = []
    for i, item in enumerate(items):
        alt = item.body if isinstance(item, Group) else item
        if isinstance(alt, Seq) and len(alt.items) == 1:
            alt = alt.items[0]
        if isinstance(alt, Alt):
            out += [Seq(items[:i] + (branch,) + items[i + 1:]) for branch in alt.branches]
            out.append(None)  # expansions of different alternations are not compared
    return out


def _ambiguous(expansions: list[object]) -> bool:
    """Two expansions where one is a fixed run of characters that can also begin the other."""
    groups: list[list[object]] = [[]]
    for e in expansions:
        if e is None:
            groups.append([])
        else:
            groups[-1].append(e)
    for group in groups:
        runs = [_run(e) for e in group]
        for i, (run_a, whole_a) in enumerate(runs):
            if not whole_a or not run_a:
                continue
            for j, (run_b, _whole_b) in enumerate(runs):
                if i != j and len(run_b) >= len(run_a) and all(
                        a & b for a, b in zip(run_a, run_b[:len(run_a)], strict=True)):
                    return True
    return False


# ------------------------------------------------------------------ entry points


@lru_cache(maxsize=4096)
def hazards(pattern: str) -> tuple[Hazard, ...]:
    """Every super-linear construction of a pattern (placeholders already filled); () if it is safe."""
    try:
        tree, groups = parse(pattern)
    except (re.error, ValueError, OverflowError, RecursionError) as exc:
        return (Hazard("unreadable", f"the pattern could not be analysed ({exc}); "
                                     "use the syntax described in docs/rules.md"),)
    analysis = _Analysis(groups)
    analysis.visit(tree)
    return tuple(analysis.found)
