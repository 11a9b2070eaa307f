"""A regular expression as a small tree whose characters are sets, for static analysis (redos.py).

The standard library's parser reads the pattern; the `regex` module's own syntax (`\\p{L}`, POSIX
classes, `\\X`, `\\K`, `\\G`) is mapped onto it first. Character classes become sets of characters
drawn from a fixed alphabet of representatives (ASCII, the pack's languages' letters, other scripts'
letters and digits, spaces, punctuation, emoji) plus every literal of the pattern, so two classes
overlap when they share one of them.
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
    import sre_constants as sre_c
    import sre_parse

UNBOUNDED = sre_c.MAXREPEAT


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
class Chars:
    chars: frozenset[str]


@dataclass(frozen=True)
class Seq:
    items: tuple


@dataclass(frozen=True)
class Alt:
    branches: tuple


@dataclass(frozen=True)
class Repeat:
    body: object
    min: int
    max: int
    gives_back: bool  # False for possessive repeats


@dataclass(frozen=True)
class Atomic:
    body: object


@dataclass(frozen=True)
class Group:
    index: int | None
    body: object


@dataclass(frozen=True)
class Look:  # a lookaround: zero-width here, analysed on its own
    body: object


@dataclass(frozen=True)
class Zero:  # an anchor: zero-width
    pass


@dataclass(frozen=True)
class Ref:
    index: int


class _Reader:
    """Turns the standard parser's output into the tree above, with characters as sets."""

    def __init__(self, alphabet: tuple[str, ...], properties: dict[str, str]):
        self.alphabet = alphabet
        self.properties = properties  # private-use stand-in -> regex-module class text
        self.groups: dict[int, object] = {}

    def sequence(self, items) -> Seq:  # noqa: ANN001
        return Seq(tuple(self.node(op, av) for op, av in items))

    def node(self, op, av) -> object:  # noqa: ANN001, C901
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.ANY, sre_c.IN, sre_c.CATEGORY):
            return Chars(self.charset(op, av))
        if op is sre_c.SUBPATTERN:
            index, _add, _del, items = av
            body = self.sequence(items)
            if index is not None:
                self.groups[index] = body
            return Group(index, body)
        if op is sre_c.BRANCH:
            return Alt(tuple(self.sequence(b) for b in av[1]))
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, items = av
            return Repeat(self.sequence(items), lo, hi, op is not getattr(sre_c, "POSSESSIVE_REPEAT", None))
        if op is getattr(sre_c, "ATOMIC_GROUP", None):
            return Atomic(self.sequence(av))
        if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            return Look(self.sequence(av[1]))
        if op is sre_c.AT:
            return Zero()
        if op is sre_c.GROUPREF:
            return Ref(av)
        if op is sre_c.GROUPREF_EXISTS:
            _group, yes, no = av
            return Alt((self.sequence(yes), self.sequence(no) if no else Seq(())))
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


def parse(pattern: str) -> tuple[Seq, dict[int, object]]:
    """The tree of a pattern and its numbered groups; raises ValueError or re.error if unreadable."""
    text, properties, alphabet = _prepare(pattern)
    parsed = sre_parse.parse(text, re.IGNORECASE)
    reader = _Reader(alphabet, properties)
    return reader.sequence(list(parsed)), reader.groups
