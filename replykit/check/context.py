"""What every rule kind and detector sees: one draft, normalised once."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..text.normalize import Normalized
from ..text.sentences import sentence_spans
from ..text.tokens import Token, tokenize
from ..vocabulary import is_public


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
    # Prefilter needles found in `lowered` (None: unknown, every pattern is scanned).
    present: frozenset[str] | None = None

    @property
    def text(self) -> str:
        return self.norm.text

    @property
    def public(self) -> bool:
        return is_public(self.channel)

    @cached_property
    def lowered(self) -> str | None:
        """The text lower-cased, when that keeps every offset (it nearly always does)."""
        low = self.norm.text.lower()
        return low if len(low) == len(self.norm.text) else None

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.norm.text, self.lang)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence of `text`."""
        return sentence_spans(self.norm.text)


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding before it is mapped back to the original text."""

    start: int  # offsets in the normalised text
    end: int
    message: str | None = None  # None: the rule's own message
    replacements: tuple[str, ...] = ()
    severity: str | None = None  # None: the rule's own severity
