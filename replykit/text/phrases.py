"""Matching word phrases by stem: the one matcher rules and recognition share.

A phrase such as "du burde have læst" or "refund* *" is compiled to a
sequence of word tests (stem equal, prefix, any word). `PhraseIndex` holds
many phrases, indexed by their first word, so matching a text costs one
pass over its tokens however many phrases there are.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Generic, Iterator, Sequence, TypeVar

from .tokens import Token, stem, words

T = TypeVar("T")

# A word test: ("stem", s) | ("prefix", p) | ("any", "")
WordTest = tuple[str, str]
_Entry = tuple  # (word tests, payload, stems the phrase needs, stem of the second word or None)


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


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    payload: T
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # char offset
    end: int


class PhraseIndex(Generic[T]):
    """Many phrases, each with a payload; find all matches in a token list.

    With `slop=1`, a phrase of three or more words also matches with one
    extra word inside it: "det er ikke noget vi kan gøre" still finds
    "det er ikke noget MERE vi kan gøre". People rarely write a stock
    phrase word for word, and three fixed words keep the match specific.
    """

    SLOP_MIN_WORDS = 3

    def __init__(self, slop: int = 0) -> None:
        self.slop = slop
        self._by_stem: dict[str, list[_Entry]] = defaultdict(list)
        self._by_prefix3: dict[str, list[_Entry]] = defaultdict(list)
        self._short_prefix: list[_Entry] = []
        self.size = 0

    def add(self, tests: tuple[WordTest, ...], payload: T) -> bool:
        if not tests:
            return False
        # Every stem the phrase needs: a draft lacking one cannot match, whatever the order.
        needed = frozenset(value for kind, value in tests if kind == "stem")
        # The second word's stem, if it is one: it must stand next to the first (or, with slop, one further).
        second = tests[1][1] if len(tests) > 1 and tests[1][0] == "stem" else None
        entry = (tests, payload, needed, second)
        kind, value = tests[0]
        if kind == "stem":
            self._by_stem[value].append(entry)
        elif len(value) >= 3:
            self._by_prefix3[value[:3]].append(entry)
        else:
            self._short_prefix.append(entry)
        self.size += 1
        return True

    def finditer(self, tokens: list[Token]) -> Iterator[PhraseMatch[T]]:
        n = len(tokens)
        present = {tok.stem for tok in tokens}
        # Phrases whose words are not all in the text are dropped once per
        # first word, not tried at every occurrence of it ("det", "vi", ...).
        by_stem: dict[str, Sequence[_Entry]] = {}
        by_prefix3: dict[str, Sequence[_Entry]] = {}
        short = [e for e in self._short_prefix if e[2] <= present]
        index_stem, index_prefix3 = self._by_stem, self._by_prefix3
        for i, tok in enumerate(tokens):
            cands = by_stem.get(tok.stem)
            if cands is None:
                # .get, not [...]: the index is a defaultdict. Most words start no phrase: no list built.
                entries = index_stem.get(tok.stem)
                cands = by_stem[tok.stem] = [e for e in entries if e[2] <= present] if entries else _NONE
            key = tok.text[:3]
            pcands = by_prefix3.get(key)
            if pcands is None:
                entries = index_prefix3.get(key)
                pcands = by_prefix3[key] = [e for e in entries if e[2] <= present] if entries else _NONE
            if not cands and not pcands and not short:
                continue  # most words start no phrase: skip the group loop
            # A phrase whose second word is neither the next token nor (with slop) the one after cannot
            # match here: checked inline, it spares a call per phrase that starts with a common word.
            after = tokens[i + 1].stem if i + 1 < n else None
            after_gap = tokens[i + 2].stem if self.slop and i + 2 < n else None
            for group in (cands, pcands, short):
                if not group:
                    continue
                for tests, payload, _, second in group:
                    size = len(tests)
                    if size > n - i or second is not None and second != after and second != after_gap:
                        continue
                    matched = _prefix(tests, tokens, i)
                    if matched == size:
                        j = i + size - 1
                        yield PhraseMatch(payload, i, j, tok.start, tokens[j].end)
                    elif self.slop and size >= self.SLOP_MIN_WORDS and size < n - i and \
                            _gap_match(tests, tokens, i, matched):
                        j = i + size
                        yield PhraseMatch(payload, i, j, tok.start, tokens[j].end)

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
