"""Matching word phrases by stem: the one matcher rules and recognition share.

A phrase such as "du burde have læst" or "refund* *" is compiled to a
sequence of word tests (stem equal, prefix, any word). `PhraseIndex` holds
many phrases, indexed by their first word, so matching a text costs one
pass over its tokens however many phrases there are.
"""
from __future__ import annotations

from collections import defaultdict
from functools import partial
from operator import itemgetter
from typing import AbstractSet, Generic, Iterator, NamedTuple, TypeVar

from .tokens import Token, stem, words

T = TypeVar("T")

# A word test: ("stem", s) | ("prefix", p) | ("any", "")
WordTest = tuple[str, str]
_Entry = tuple  # (word tests, payload, stems it needs, stem of the second word or None, group, number, plain)
# Every entry once: under its rarest stem; else (no stem) under its first three letters; else in a list.
_Anchors = tuple[dict[str, list[_Entry]], dict[str, list[_Entry]], list[_Entry]]


def compile_phrase(phrase: str, lang: str) -> tuple[WordTest, ...]:
    tests: list[WordTest] = []
    for piece in phrase.split():
        if piece == "*":
            tests.append(("any", ""))
        elif piece.endswith("*") and len(piece) > 1:
            ws = words(piece[:-1])
            for w, _, _ in ws[:-1]:
                tests.append(("stem", stem(w, lang)))
            if ws:
                tests.append(("prefix", ws[-1][0].replace("ё", "е")))
        else:
            tests.extend(("stem", stem(w, lang)) for w, _, _ in words(piece))
    # A leading or trailing "any" would only widen the span: drop it.
    while tests and tests[0][0] == "any":
        tests.pop(0)
    while tests and tests[-1][0] == "any":
        tests.pop()
    return tuple(tests)


class PhraseMatch(NamedTuple, Generic[T]):  # a tuple, like Token: a frozen dataclass cost ~1 µs to make
    payload: T
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # char offset
    end: int


# PhraseMatch(...) goes through a Python-level __new__: this is its C fast path (as for Token).
new_match = partial(tuple.__new__, PhraseMatch)


class PhraseIndex(Generic[T]):
    """Many phrases, each with a payload; find all matches in a token list.

    With `slop=1`, a phrase of three or more words also matches with one
    extra word inside it: "det er ikke noget vi kan gøre" still finds
    "det er ikke noget MERE vi kan gøre". People rarely write a stock
    phrase word for word, and three fixed words keep the match specific.

    Matching starts from the phrases, not from the tokens: each phrase is filed under its rarest
    stem (its anchor), so one look-up per distinct word of the text finds the few phrases all of
    whose stems occur; only those are tried, and only where their first word stands.
    """

    SLOP_MIN_WORDS = 3

    def __init__(self, slop: int = 0) -> None:
        self.slop = slop
        # By first word: the order matches are reported in (stem group, prefix group, short group).
        self._by_stem: dict[str, list[_Entry]] = defaultdict(list)
        self._by_prefix3: dict[str, list[_Entry]] = defaultdict(list)
        self._short_prefix: list[_Entry] = []
        self.size = 0
        # Entries by their anchor: built on first use, dropped by add().
        self._anchors: _Anchors | None = None

    def add(self, tests: tuple[WordTest, ...], payload: T) -> bool:
        if not tests:
            return False
        # Every stem the phrase needs: a draft lacking one cannot match, whatever the order.
        needed = frozenset(value for kind, value in tests if kind == "stem")
        # The second word's stem, if it is one: it must stand next to the first (or, with slop, one further).
        second = tests[1][1] if len(tests) > 1 and tests[1][0] == "stem" else None
        kind, value = tests[0]
        group = _STEM if kind == "stem" else _PREFIX3 if len(value) >= 3 else _SHORT
        # (group, insertion number) orders the matches found at one token as the groups list them.
        # `plain`: the stems, when every word is tested by its stem (compared in one go, as a list).
        plain = [value for _, value in tests] if all(kind == "stem" for kind, _ in tests) else None
        entry = (tests, payload, needed, second, group, self.size, plain)
        if group == _STEM:
            self._by_stem[value].append(entry)
        elif group == _PREFIX3:
            self._by_prefix3[value[:3]].append(entry)
        else:
            self._short_prefix.append(entry)
        self.size += 1
        self._anchors = None
        return True

    def _build_anchors(self) -> _Anchors:
        entries = sorted((e for es in (*self._by_stem.values(), *self._by_prefix3.values(), self._short_prefix)
                          for e in es), key=lambda e: e[5])
        uses: dict[str, int] = defaultdict(int)
        for e in entries:
            for s in e[2]:
                uses[s] += 1
        by_stem: dict[str, list[_Entry]] = defaultdict(list)
        by_prefix3: dict[str, list[_Entry]] = defaultdict(list)
        short: list[_Entry] = []
        for e in entries:
            if e[2]:
                by_stem[min(e[2], key=lambda s: (uses[s], -len(s), s))].append(e)
            elif e[4] == _PREFIX3:  # no stem at all ("fortrolig*"): filed under its first three letters
                by_prefix3[e[0][0][1][:3]].append(e)
            else:
                short.append(e)
        built = (dict(by_stem), dict(by_prefix3), short)
        self._anchors = built  # one assignment: a thread that builds it too builds the same
        return built

    def finditer(self, tokens: list[Token], stems: AbstractSet[str] | None = None) -> Iterator[PhraseMatch[T]]:
        """Every match, by first token, then in the order of the groups (see add). `stems`: the set of
        the tokens' stems, when the caller has it already."""
        present = {tok.stem for tok in tokens} if stems is None else stems
        by_stem, by_prefix3, short = self._anchors or self._build_anchors()
        # The phrases whose stems all occur in the text (the rest cannot match, whatever the order),
        # and those without a stem whose first word's first letters occur.
        viable = [e for s in present if (filed := by_stem.get(s)) for e in filed if e[2] <= present]
        heads = [tok.text[:3] for tok in tokens] if by_prefix3 else []
        if by_prefix3:
            viable += [e for p in set(heads) if (filed := by_prefix3.get(p)) for e in filed]
        viable += short
        if not viable:
            return
        n = len(tokens)
        stem_list = [tok.stem for tok in tokens]
        first_stems = {e[0][0][1] for e in viable if e[4] == _STEM}
        at_stem: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(stem_list):
            if s in first_stems:
                at_stem[s].append(i)
        first_prefixes = {e[0][0][1][:3] for e in viable if e[4] == _PREFIX3}
        at_prefix: dict[str, list[int]] = defaultdict(list)
        if first_prefixes:
            for i, head in enumerate(heads or [tok.text[:3] for tok in tokens]):
                if head in first_prefixes:
                    at_prefix[head].append(i)
        slop = self.slop
        gap_min = self.SLOP_MIN_WORDS if slop else n + 1
        found = []
        for tests, payload, _, second, group, number, plain in viable:
            first = tests[0][1]
            where = at_stem.get(first, _NONE) if group == _STEM else \
                at_prefix.get(first[:3], _NONE) if group == _PREFIX3 else range(n)
            size = len(tests)
            if size == 1:  # one word, whose stem or first letters `where` already holds
                found += [(i, group, number, i, payload) for i in where
                          if group == _STEM or tokens[i].text.startswith(first)]
                continue
            for i in where:
                if size > n - i:
                    break  # positions rise: the phrase no longer fits
                # A phrase whose second word is neither the next token nor (with slop) the one after cannot
                # match here: checked inline, it spares a call per phrase that starts with a common word.
                if second is not None and second != (stem_list[i + 1] if i + 1 < n else None) and \
                        second != (stem_list[i + 2] if slop and i + 2 < n else None):
                    continue
                if plain is not None:
                    if stem_list[i:i + size] == plain:
                        found.append((i, group, number, i + size - 1, payload))
                        continue
                    if size < gap_min:
                        continue  # too short to match with an extra word
                    matched = _prefix(tests, tokens, i)
                else:
                    matched = _prefix(tests, tokens, i)
                    if matched == size:
                        found.append((i, group, number, i + size - 1, payload))
                        continue
                if size >= gap_min and size < n - i and _gap_match(tests, tokens, i, matched):
                    found.append((i, group, number, i + size, payload))
        found.sort(key=_ORDER)
        for i, _, _, j, payload in found:
            yield new_match((payload, i, j, tokens[i].start, tokens[j].end))


_STEM, _PREFIX3, _SHORT = 0, 1, 2  # how a phrase's first word is tested: its stem, a prefix of 3+ letters, shorter
_ORDER = itemgetter(0, 1, 2)  # (token, group, insertion number): unique per match, payloads never compared
_NONE: tuple = ()  # no candidates

# An inserted negation turns a phrase into its opposite ("du tar ikke feil").
NEGATIONS = frozenset({"ikke", "ikkje", "ej", "aldrig", "aldri", "niet", "geen", "nooit", "не", "ни", "нет",
                       "никогда", "not", "never"})


def _gap_match(tests: tuple[WordTest, ...], tokens: list[Token], i: int, matched: int) -> bool:
    """The phrase with exactly one extra token (not a negation) after its first word.

    `matched` words matched in place, so the extra token sits at or before
    the first mismatch: only those positions need trying.
    """
    for gap in range(1, min(matched, len(tests) - 1) + 1):
        if tokens[i + gap].text in NEGATIONS:
            continue
        if _prefix(tests[gap:], tokens, i + gap + 1) == len(tests) - gap:
            return True
    return False


def _prefix(tests: tuple[WordTest, ...], tokens: list[Token], i: int) -> int:
    """How many of the tests match tokens[i:] in order, stopping at the first miss."""
    for k, (kind, value) in enumerate(tests):
        tok = tokens[i + k]
        if kind == "stem":
            if tok.stem != value:
                return k
        elif kind == "prefix":
            if not tok.text.startswith(value):
                return k
    return len(tests)
