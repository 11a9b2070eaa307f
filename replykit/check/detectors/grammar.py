"""Grammar through LanguageTool, only where the user configured one.

LanguageTool is a Java server; replykit never downloads it. Configure either
a running server (`languagetool_url`, env `REPLYKIT_LANGUAGETOOL_URL`) or a
local LanguageTool folder holding `languagetool-server.jar`
(`languagetool_dir`, env `REPLYKIT_LANGUAGETOOL_DIR`), which replykit starts
on a free loopback port. Drafts are sent to that server and nowhere else.
Without one, the report carries a notice and grammar is skipped. The
bounds (deadline, answer size, circuit breaker) and the local server's
lifecycle are `languagetool.LanguageToolClient`'s.
"""
from __future__ import annotations

from typing import Any

from ..context import CheckContext, Hit
from .languagetool import LanguageToolClient, Unavailable

LT_CODES = {"da": "da-DK", "nl": "nl", "ru": "ru-RU"}  # LanguageTool has no Norwegian


class GrammarDetector:
    def __init__(self, config: dict[str, Any]):
        # The kit's client (one per kit: its local server and breaker outlive a reload), else our own.
        client = config.get("languagetool")
        self.client: LanguageToolClient = client if isinstance(client, LanguageToolClient) else \
            LanguageToolClient(config.get("languagetool_url"), config.get("languagetool_dir"))

    @property
    def configured(self) -> bool:
        return self.client.configured

    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]:
        if not self.configured:
            ctx.notices.append("grammar: skipped, no LanguageTool configured "
                               "(set REPLYKIT_LANGUAGETOOL_URL or --languagetool-url)")
            return []
        code = LT_CODES.get(ctx.lang)
        if code is None:
            ctx.notices.append(f"grammar: LanguageTool has no support for '{ctx.lang}'; grammar not checked")
            return []
        if not ctx.text.strip():
            return []
        try:
            matches = self.client.check(ctx.text, code)
        except Unavailable as exc:  # a notice, never a crash, never the server's own words
            ctx.notices.append(f"grammar: LanguageTool server unavailable ({exc}); grammar not checked")
            return []
        skip = set(options.get("skip_categories", ["TYPOS"]))
        hits = []
        for m in matches:
            if m["category"] in skip:
                continue
            start = m["offset"]
            end = start + m["length"]
            if 0 <= start < end <= len(ctx.text):
                hits.append(Hit(start, end, f"{m['message']} ({m['rule_id']})", tuple(m["replacements"])))
        return hits
