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
        ritual = {w.lower() for w in options.get("ritual", {}).get(ctx.lang, [])}
        names = {w.lower() for value in (ctx.customer_name, ctx.agent_name, ctx.brand_name) if value
                 for w in _WORD.findall(value)}
        words = [w for w in (m.group().lower() for m in _WORD.finditer(ctx.text)) if w not in ritual | names]
        if len(words) >= int(options.get("min_words", 3)):
            return []
        return [Hit(0, len(ctx.text))]
