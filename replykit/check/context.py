"""What every rule kind and detector sees: one draft, normalised once."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import AbstractSet, Callable, TypeVar, cast

from ..text.normalize import Normalized
from ..text.sentences import sentence_spans
from ..text.tokens import Token, compound_windows, tokenize
from ..vocabulary import is_public
from .names import name_parts

T = TypeVar("T")

# A rule lists at most this many findings in one draft; a detector may stop looking after one more.
MAX_FINDINGS_PER_RULE = 50


@dataclass
class CheckContext:
    norm: Normalized
    lang: str
    channel: str | None
    customer_name: str | None = None
    agent_name: str | None = None
    inquiry: str | None = None
    inquiry_type: str | None = None
    brand_name: str | None = None
    notices: list[str] = field(default_factory=list)
    # How to find the inquiry type when the caller did not give it: classifying the post is the dearest
    # step of a check, and only a rule limited to some types needs it, once it has fired.
    classify_inquiry: Callable[[], str | None] | None = field(default=None, repr=False, compare=False)
    # Prefilter needles found in `lowered` (None: unknown, every pattern is scanned).
    present: frozenset[str] | None = None
    # The rule patterns worth running on this draft, chosen from `present` (None: every pattern).
    runnable: AbstractSet[object] | None = None
    # What several rules of this check compute alike (see once()); it goes with the check.
    _shared: dict[str, object] = field(default_factory=dict, init=False, repr=False)

    @property
    def text(self) -> str:
        return self.norm.text

    def known_inquiry_type(self) -> str | None:
        """The post's inquiry type: given, or classified now (once)."""
        if self.classify_inquiry is not None:
            classify, self.classify_inquiry = self.classify_inquiry, None
            self.inquiry_type = classify()
        return self.inquiry_type

    @property
    def public(self) -> bool:
        return is_public(self.channel)

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """compute(), made once per check for every rule that asks under `key` (a detector two rules
        share, such as PII's number candidates)."""
        if key not in self._shared:
            self._shared[key] = compute()
        return cast(T, self._shared[key])

    @cached_property
    def lowered(self) -> str | None:
        """The text lower-cased, when that keeps every offset (it nearly always does)."""
        low = self.norm.text.lower()
        if len(low) != len(self.norm.text):
            # Only U+0130 (İ) lower-cases to two characters ("i̇"); the regex module's IGNORECASE reads
            # it as its simple lower case "i", and so does this, keeping every offset. Without it a
            # draft with one İ lost the prefilter and scanned every pattern case-insensitively.
            low = self.norm.text.replace("\u0130", "i").lower()
        return low if len(low) == len(self.norm.text) else None

    @cached_property
    def placeholder_values(self) -> dict[str, str | tuple[str, ...] | None]:
        """What {{customer_name}}, {{agent_name_part}} ... stand for in rule patterns (once per draft).

        "Hej Inge" and "Beste mevrouw Hansen" both greet "Inge Hansen"; "Anna" signs for "Anna Kravets";
        "Станислав, здравствуйте" greets "Стас" (names.py).
        """
        return {"customer_name": self.customer_name,
                "customer_name_part": name_parts(self.customer_name, self.norm.text),
                "agent_name": self.agent_name, "agent_name_part": name_parts(self.agent_name),
                "brand_name": self.brand_name}

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.norm.text, self.lang)

    @cached_property
    def stems(self) -> frozenset[str]:
        """The stems of the draft's words: every phrase pass of the check (the rules', each rule's
        none_of) selects its phrases with them."""
        return frozenset(t.stem for t in self.tokens)

    @cached_property
    def part_tokens(self) -> list[tuple[list[Token], list[int]]]:
        """Stretches around compounds, split into their parts (with each part's token index), for phrase rules."""
        return compound_windows(self.tokens, self.norm.text, self.lang)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence of `text`."""
        return sentence_spans(self.norm.text)

    # Sorted offsets for binary searches (tokens and sentences follow each other without overlap).
    @cached_property
    def sentence_starts(self) -> list[int]:
        return [lo for lo, _ in self.sentences]

    @cached_property
    def token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @cached_property
    def token_ends(self) -> list[int]:
        return [t.end for t in self.tokens]


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding before it is mapped back to the original text."""

    start: int  # offsets in the normalised text
    end: int
    message: str | None = None  # None: the rule's own message
    replacements: tuple[str, ...] = ()
    severity: str | None = None  # None: the rule's own severity
