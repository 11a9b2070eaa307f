"""Substance: a draft that says nothing to the customer (empty, "ok", an emoji, greeting and signature only)."""
from __future__ import annotations

from typing import Any

import regex

from ..context import CheckContext, Hit

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")


class SubstanceDetector:
    def __init__(self, config: dict[str, Any]):
        pass

    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]:
        minimum = int(options.get("min_words", 3))
        skip = {w.lower() for w in options.get("ritual", {}).get(ctx.lang, [])}
        skip |= {w.lower() for value in (ctx.customer_name, ctx.agent_name, ctx.brand_name) if value
                 for w in _WORD.findall(value)}
        count = 0
        for m in _WORD.finditer(ctx.text):
            if m.group().lower() not in skip:
                count += 1
                if count >= minimum:
                    return []
        if count and not (ctx.inquiry or ctx.customer_name):
            # "Venlig hilsen Mette, Fibra Kundeservice" with no post and nobody addressed: a signature
            # line checked on its own (a piece of a reply), not a reply that ignores a post.
            return []
        return [Hit(0, len(ctx.text))]
