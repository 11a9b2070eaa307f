"""Shouting: words in capitals, which read as anger on a public wall."""
from __future__ import annotations

from typing import Any

import regex

from ..context import CheckContext, Hit

# A run of capitals; not one joined to a number by a hyphen or underscore, which is an identifier a reply
# quotes (a ticket "SALES-4827", a code "SOMMER-2026"), not a raised voice.
_CAPS_RUN = regex.compile(r"\b(?<!\d[-_])\p{Lu}{2,}(?:[\s,.!?-]+\p{Lu}{2,})*\b(?![-_]\d)")
# Capitals the reply quotes whole: what a button, menu or screen says ("press «SOURCE»", 'tap "OK"').
_OPENING_QUOTES = "«„“”\"'‘’‹"
_CLOSING_QUOTES = "»“”\"'’‘›"


class ShoutingDetector:
    def __init__(self, config: dict[str, Any]):
        pass

    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]:
        allowed = {w.upper() for w in options.get("acronyms", [])}
        min_single = int(options.get("min_single_word", 5))
        hits = []
        text = ctx.text
        for m in _CAPS_RUN.finditer(text):
            before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
            if before and after and before in _OPENING_QUOTES and after in _CLOSING_QUOTES:
                continue
            words = [w for w in regex.findall(r"\p{Lu}+", m.group()) if w not in allowed]
            if not words:
                continue
            if len(words) >= 2 and max(len(w) for w in words) >= 3 or any(len(w) >= min_single for w in words):
                hits.append(Hit(m.start(), m.end()))
        return hits
