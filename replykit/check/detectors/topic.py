"""Does the reply address what the customer wrote about?

Add value means the customer feels heard. When the inquiry is given, a reply
that shares no content word with it (by stem or compound prefix) is usually
a canned answer that ignores the question.
"""
from __future__ import annotations

from typing import Any

from ...text.tokens import Token, tokenize
from ..context import CheckContext, Hit


def _content(tokens: list[Token], min_len: int) -> tuple[set[str], set[str]]:
    toks = [t for t in tokens if len(t.text) >= min_len and not t.text.isdigit()]
    return {t.stem for t in toks}, {t.text[:5] for t in toks}


class TopicDetector:
    def __init__(self, config: dict[str, Any]):
        pass

    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]:
        if not ctx.inquiry:
            return []
        min_len = int(options.get("min_length", 5))
        stems, prefixes = _content(tokenize(ctx.inquiry, ctx.lang), min_len)
        if len(stems) < int(options.get("min_inquiry_words", 3)):
            return []
        # The draft's tokens (made once per check), read until the first content word the post shares.
        if any(t.stem in stems or t.text[:5] in prefixes for t in ctx.tokens
               if len(t.text) >= min_len and not t.text.isdigit()):
            return []
        return [Hit(0, len(ctx.text))]
