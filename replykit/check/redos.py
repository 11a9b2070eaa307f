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
analyser over the standard library's regex parser. Character classes are
compared on a fixed alphabet of representative characters (ASCII, the pack's
languages' letters, other scripts' letters and digits, spaces, punctuation,
emoji) plus every literal of the pattern: sets that share one of them overlap.
An atomic group or a possessive quantifier never gives text back, so nothing
outside it is compared with what is inside.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

import regex

try:  # Python 3.11+
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

UNBOUNDED = sre_c.MAXREPEAT
# Repetitions up to this many times are bounded: side by side they cost a constant factor
# (`\s+[^.!?\n]{0,40}` tries at most 40 splits), not a power of the draft's length.
SMALL_MAX = 100

_BASE_ALPHABET = (
    string.printable + "\u00a0\u2009\u200b\u2028\u3000"
    + "æøåÆØÅéèêëäöüßÄÖÜáíóúñçİıſ"
    + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    + "αβγΩ" + "אבג" + "دهو" + "中文" + "٠١٢٣" + "०१२" + "①½²"
    + "’‘“”«»—–…•€£§°%‰" + "🙄😒🤦👍\u200d\ufe0f\U0001F3FD"
)
_BASE_SET = frozenset(_BASE_ALPHABET)
_BASE_SORTED = tuple(sorted(_BASE_SET))
# regex-module escapes the standard parser does not know, and a representative meaning for each.
_PROPERTY = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\[:\^?[a-z]+:\]")
_ZERO_WIDTH_ESCAPES = {"m", "M", "G", "K"}


@dataclass(frozen=True)
class Hazard:
    kind: str  # nested-quantifier | overlapping-alternatives | adjacent-quantifiers | backreference | unreadable
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


# ------------------------------------------------------------------ the tree


@dataclass(frozen=True)
class _Chars:
    chars: frozenset[str]


@dataclass(frozen=True)
class _Seq:
    items: tuple


@dataclass(frozen=True)
class _Alt:
    branches: tuple


@dataclass(frozen=True)
class _Repeat:
    body: object
    min: int
    max: int
    gives_back: bool  # False for possessive repeats


@dataclass(frozen=True)
class _Atomic:
    body: object


@dataclass(frozen=True)
class _Group:
    index: int | None
    body: object


@dataclass(frozen=True)
class _Look:  # a lookaround: zero-width here, analysed on its own
    body: object


@dataclass(frozen=True)
class _Zero:  # an anchor: zero-width
    pass


@dataclass(frozen=True)
class _Ref:
    index: int


class _Reader:
    """Turns the standard parser's output into the tree above, with characters as sets."""

    def __init__(self, alphabet: tuple[str, ...], properties: dict[str, str]):
        self.alphabet = alphabet
        self.properties = properties  # private-use stand-in -> regex-module class text
        self.groups: dict[int, object] = {}

    def sequence(self, items) -> _Seq:  # noqa: ANN001
        return _Seq(tuple(self.node(op, av) for op, av in items))

    def node(self, op, av) -> object:  # noqa: ANN001, C901
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.ANY, sre_c.IN, sre_c.CATEGORY):
            return _Chars(self.charset(op, av))
        if op is sre_c.SUBPATTERN:
            index, _add, _del, items = av
            body = self.sequence(items)
            if index is not None:
                self.groups[index] = body
            return _Group(index, body)
        if op is sre_c.BRANCH:
            return _Alt(tuple(self.sequence(b) for b in av[1]))
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, items = av
            return _Repeat(self.sequence(items), lo, hi, op is not getattr(sre_c, "POSSESSIVE_REPEAT", None))
        if op is getattr(sre_c, "ATOMIC_GROUP", None):
            return _Atomic(self.sequence(av))
        if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            return _Look(self.sequence(av[1]))
        if op is sre_c.AT:
            return _Zero()
        if op is sre_c.GROUPREF:
            return _Ref(av)
        if op is sre_c.GROUPREF_EXISTS:
            _group, yes, no = av
            return _Alt((self.sequence(yes), self.sequence(no) if no else _Seq(())))
        raise ValueError(f"unsupported construct {op}")

    def charset(self, op, av) -> frozenset[str]:  # noqa: ANN001
        if op is sre_c.LITERAL:
            return self.literal(chr(av))
        if op is sre_c.NOT_LITERAL:
            return frozenset(self.alphabet) - self.literal(chr(av))
        if op is sre_c.ANY:
            return frozenset(self.alphabet) - {"\n"}
        if op is sre_c.CATEGORY:
            return self.category(av)
        negate = False
        out: set[str] = set()
        for item_op, item_av in av:
            if item_op is sre_c.NEGATE:
                negate = True
            elif item_op is sre_c.RANGE:
                lo, hi = item_av
                out |= {c for c in self.alphabet if any(lo <= ord(v) <= hi for v in _cases(c))}
            else:
                out |= self.charset(item_op, item_av)
        return frozenset(self.alphabet) - out if negate else frozenset(out)

    def literal(self, ch: str) -> frozenset[str]:
        if ch in self.properties:
            return _matching(self.properties[ch], self.alphabet)
        return _literal(ch, self.alphabet)

    def category(self, av) -> frozenset[str]:  # noqa: ANN001
        escape = {sre_c.CATEGORY_DIGIT: r"\d", sre_c.CATEGORY_NOT_DIGIT: r"\D", sre_c.CATEGORY_SPACE: r"\s",
                  sre_c.CATEGORY_NOT_SPACE: r"\S", sre_c.CATEGORY_WORD: r"\w",
                  sre_c.CATEGORY_NOT_WORD: r"\W"}.get(av)
        return frozenset(self.alphabet) if escape is None else _matching(escape, self.alphabet)


@lru_cache(maxsize=8192)
def _literal(ch: str, alphabet: tuple[str, ...]) -> frozenset[str]:
    by_case = _by_case(alphabet)
    return frozenset().union(*(by_case.get(v, ()) for v in _cases(ch)))


@lru_cache(maxsize=8192)
def _cases(ch: str) -> tuple[str, ...]:
    return tuple(v for v in (ch, ch.lower(), ch.upper()) if len(v) == 1)


@lru_cache(maxsize=64)
def _by_case(alphabet: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Each character and its case variants -> the alphabet's characters that match it ignoring case."""
    out: dict[str, set[str]] = {}
    for c in alphabet:
        for v in _cases(c):
            out.setdefault(v, set()).add(c)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=512)
def _matching(escape: str, alphabet: tuple[str, ...]) -> frozenset[str]:
    text = escape if escape.startswith("[") and not escape.startswith("[:") else f"[{escape}]"
    compiled = regex.compile(text, regex.IGNORECASE | regex.VERSION0)
    return frozenset(c for c in alphabet if compiled.fullmatch(c))


# ------------------------------------------------------------------ parsing


def _prepare(pattern: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """The pattern in the standard parser's syntax; regex-module classes become private-use stand-ins."""
    properties: dict[str, str] = {}
    out: list[str] = []
    i = 0
    stand_in = 0xE000
    in_class = False
    branch = 0xE800
    while i < len(pattern):
        if in_class and pattern[i] == "]" and not _escaped(pattern, i) and out and out[-1] not in ("[", "[^"):
            in_class = False
        elif not in_class and pattern[i] == "[" and not _escaped(pattern, i) and not _PROPERTY.match(pattern, i):
            in_class = True
            out.append("[^" if pattern.startswith("[^", i) else "[")
            i += 2 if pattern.startswith("[^", i) else 1
            continue
        elif not in_class and pattern[i] == "|" and not _escaped(pattern, i):
            # The standard parser merges single-character branches into a class and factors out
            # common prefixes ((a|a) -> [aa], (a|ab) -> a(?:|b)), which hides the overlap this module
            # looks for; a distinct zero-width marker at the start of each branch keeps them apart.
            out.append(f"|(?!\\u{branch:04x})")
            branch += 1
            i += 1
            continue
        match = _PROPERTY.match(pattern, i)
        if match and (match.group().startswith("[:") or not _escaped(pattern, i)):
            ch = chr(stand_in)
            stand_in += 1
            properties[ch] = match.group()
            out.append(f"\\u{ord(ch):04x}")
            i = match.end()
            continue
        if pattern[i] == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] in _ZERO_WIDTH_ESCAPES:
                i += 2
                continue
            if pattern[i + 1] == "X":  # a grapheme: some characters
                out.append(".+")
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(pattern[i])
        i += 1
    text = "".join(out)
    if re.search(r"\(\?[a-zA-Z]*V1", text):
        # Version 1 changes what a class means (set operations, nested sets): not read here.
        raise ValueError("version 1 syntax (?V1) is not supported")
    text = re.sub(r"\(\?V0\)", "", text)
    extra = {v for c in set(text) - _BASE_SET if not 0xE000 <= ord(c) <= 0xF8FF for v in _cases(c)} - _BASE_SET
    alphabet = _BASE_SORTED + tuple(sorted(extra))
    return text, properties, alphabet


def _escaped(text: str, i: int) -> bool:
    """True when the backslash at i is itself escaped (preceded by an odd run of backslashes)."""
    run = 0
    while i - run - 1 >= 0 and text[i - run - 1] == "\\":
        run += 1
    return run % 2 == 1


# ------------------------------------------------------------------ properties


def _nullable(n: object) -> bool:
    if isinstance(n, _Chars):
        return False
    if isinstance(n, _Seq):
        return all(_nullable(i) for i in n.items)
    if isinstance(n, _Alt):
        return any(_nullable(b) for b in n.branches)
    if isinstance(n, _Repeat):
        return n.min == 0 or _nullable(n.body)
    if isinstance(n, (_Atomic, _Group)):
        return _nullable(n.body)
    if isinstance(n, _Ref):
        return False  # the backreference check judges these
    return True  # lookarounds and anchors


def _chars(n: object, groups: dict[int, object]) -> frozenset[str]:
    if isinstance(n, _Chars):
        return n.chars
    if isinstance(n, _Seq):
        return frozenset().union(*(_chars(i, groups) for i in n.items))
    if isinstance(n, _Alt):
        return frozenset().union(*(_chars(b, groups) for b in n.branches))
    if isinstance(n, (_Repeat, _Atomic, _Group)):
        return _chars(n.body, groups)
    if isinstance(n, _Ref):
        return _chars(groups.get(n.index, _Seq(())), groups)
    return frozenset()


def _ends(n: object, groups: dict[int, object], first: bool) -> frozenset[str]:
    """Characters a non-empty match of n can start with (first) or end with."""
    if isinstance(n, _Chars):
        return n.chars
    if isinstance(n, _Seq):
        out: set[str] = set()
        for item in (n.items if first else reversed(n.items)):
            out |= _ends(item, groups, first)
            if not _nullable(item):
                break
        return frozenset(out)
    if isinstance(n, _Alt):
        return frozenset().union(*(_ends(b, groups, first) for b in n.branches))
    if isinstance(n, (_Repeat, _Atomic, _Group)):
        return _ends(n.body, groups, first)
    if isinstance(n, _Ref):
        return _chars(n, groups)
    return frozenset()


def _width(n: object, groups: dict[int, object]) -> tuple[int, float]:
    if isinstance(n, _Chars):
        return 1, 1
    if isinstance(n, _Seq):
        widths = [_width(i, groups) for i in n.items]
        return sum(w[0] for w in widths), sum(w[1] for w in widths)
    if isinstance(n, _Alt):
        widths = [_width(b, groups) for b in n.branches]
        return min(w[0] for w in widths), max(w[1] for w in widths)
    if isinstance(n, _Repeat):
        lo, hi = _width(n.body, groups)
        return lo * n.min, float("inf") if n.max == UNBOUNDED and hi else hi * n.max
    if isinstance(n, (_Atomic, _Group)):
        return _width(n.body, groups)
    if isinstance(n, _Ref):
        return _width(groups.get(n.index, _Seq(())), groups)
    return 0, 0


def _unbounded(n: _Repeat) -> bool:
    return n.gives_back and (n.max == UNBOUNDED or n.max > SMALL_MAX)


def _edge_repeats(n: object, first: bool, variable: bool = False) -> list[_Repeat]:
    """Unbounded repetitions (with `variable`: any of varying length) that can stand at the start
    (first) or end of a match of n, with nothing required between them and that edge.
    Atomic groups and possessive repetitions give nothing back."""
    if isinstance(n, _Repeat):
        inner = _edge_repeats(n.body, first, variable) if n.gives_back else []
        wanted = (n.gives_back and n.min != n.max) if variable else _unbounded(n)
        return ([n] if wanted else []) + inner
    if isinstance(n, _Seq):
        out: list[_Repeat] = []
        for item in (n.items if first else reversed(n.items)):
            out += _edge_repeats(item, first, variable)
            if not _nullable(item):
                break
        return out
    if isinstance(n, _Alt):
        return [r for b in n.branches for r in _edge_repeats(b, first, variable)]
    if isinstance(n, _Group):
        return _edge_repeats(n.body, first, variable)
    return []


def _run(n: object) -> tuple[list[frozenset[str]], bool]:
    """The leading single characters every match of n starts with, and whether that is all of it."""
    if isinstance(n, _Chars):
        return [n.chars], True
    if isinstance(n, _Group):
        return _run(n.body)
    if isinstance(n, _Seq):
        out: list[frozenset[str]] = []
        for item in n.items:
            if isinstance(item, (_Zero, _Look)):
                continue
            run, whole = _run(item)
            out += run
            if not whole:
                return out, False
        return out, True
    if isinstance(n, _Repeat):
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
        if isinstance(n, _Seq):
            if repeated:
                self.adjacent(n.items)
            for item in n.items:
                self.visit(item, repeated)
        elif isinstance(n, _Alt):
            for b in n.branches:
                self.visit(b, repeated)
        elif isinstance(n, _Repeat):
            if n.max > 1 and n.gives_back:
                self.iterations(n)
            self.visit(n.body, repeated or (n.max > 1 and n.gives_back))
        elif isinstance(n, _Look):
            self.visit(n.body, False)
        elif isinstance(n, (_Atomic, _Group)):
            self.visit(n.body, repeated)
        elif isinstance(n, _Ref):
            lo, hi = _width(self.groups.get(n.index, _Seq(())), self.groups)
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

    def iterations(self, rep: _Repeat) -> None:
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
    items = body.items if isinstance(body, _Seq) else (body,)
    out: list[object] = []
    for i, item in enumerate(items):
        alt = item.body if isinstance(item, _Group) else item
        if isinstance(alt, _Seq) and len(alt.items) == 1:
            alt = alt.items[0]
        if isinstance(alt, _Alt):
            out += [_Seq(items[:i] + (branch,) + items[i + 1:]) for branch in alt.branches]
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
        text, properties, alphabet = _prepare(pattern)
        parsed = sre_parse.parse(text, re.IGNORECASE)
        reader = _Reader(alphabet, properties)
        tree = reader.sequence(list(parsed))
    except (re.error, ValueError, OverflowError, RecursionError) as exc:
        return (Hazard("unreadable", f"the pattern could not be analysed ({exc}); "
                                     "use the syntax described in docs/rules.md"),)
    analysis = _Analysis(reader.groups)
    analysis.visit(tree)
    return tuple(analysis.found)
