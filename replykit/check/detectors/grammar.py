"""Grammar through LanguageTool, only where the user configured one.

LanguageTool is a Java server; replykit never downloads it. Configure either
a running server (`languagetool_url`, env `REPLYKIT_LANGUAGETOOL_URL`) or a
local LanguageTool folder holding `languagetool-server.jar`
(`languagetool_dir`, env `REPLYKIT_LANGUAGETOOL_DIR`), which replykit starts
on a free loopback port. Drafts are sent to that server and nowhere else.
Without one, the report carries a notice and grammar is skipped.
"""
from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from ..context import CheckContext, Hit

log = logging.getLogger("replykit.grammar")

LT_CODES = {"da": "da-DK", "nl": "nl", "ru": "ru-RU"}  # LanguageTool has no Norwegian
TIMEOUT_S = 3.0
RETRY_AFTER_S = 30.0


def _lt_class():
    import language_tool_python

    class _BoundedLanguageTool(language_tool_python.LanguageTool):
        _TIMEOUT = TIMEOUT_S  # the library's default is 300 s: a hang, not a timeout

    return _BoundedLanguageTool


class GrammarDetector:
    def __init__(self, config: dict[str, Any]):
        self.url: str | None = config.get("languagetool_url")
        self.directory: str | None = config.get("languagetool_dir")
        self._tools: dict[str, Any] = {}
        self._down_until = 0.0
        self._last_error = ""
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    @property
    def configured(self) -> bool:
        return bool(self.url or self.directory)

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
        tool = self._tool(ctx.lang, code, ctx)
        if tool is None:
            return []
        try:
            matches = tool.check(ctx.text)
        except Exception as exc:  # network errors, bad JSON: a notice, never a crash
            self._mark_down(f"{type(exc).__name__}: {exc}")
            ctx.notices.append(f"grammar: LanguageTool server did not answer ({self._last_error})")
            return []
        skip = set(options.get("skip_categories", ["TYPOS"]))
        hits = []
        for m in matches:
            if getattr(m, "category", "") in skip:
                continue
            start = int(m.offset)
            end = start + int(m.error_length)
            if 0 <= start < end <= len(ctx.text):
                hits.append(Hit(start, end, f"{m.message} ({m.rule_id})", tuple(m.replacements[:3])))
        return hits

    def _mark_down(self, error: str) -> None:
        self._last_error = error[:200]
        self._down_until = time.monotonic() + RETRY_AFTER_S
        log.warning("LanguageTool unavailable: %s", self._last_error)

    def _tool(self, lang: str, code: str, ctx: CheckContext) -> Any:
        with self._lock:
            if lang in self._tools:
                return self._tools[lang]
            if time.monotonic() < self._down_until:
                ctx.notices.append(f"grammar: LanguageTool server unavailable ({self._last_error})")
                return None
            try:
                url = self.url or self._start_local()
                tool = _lt_class()(code, remote_server=url)
            except Exception as exc:
                self._mark_down(f"{type(exc).__name__}: {exc}")
                ctx.notices.append(f"grammar: LanguageTool server unavailable ({self._last_error})")
                return None
            self._tools[lang] = tool
            return tool

    def _start_local(self) -> str:
        """Start the configured local LanguageTool on a free loopback port."""
        folder = Path(self.directory or "")
        jars = list(folder.glob("languagetool-server.jar")) or list(folder.glob("*/languagetool-server.jar"))
        java = shutil.which("java")
        if not jars:
            raise RuntimeError(f"no languagetool-server.jar in {folder}")
        if not java:
            raise RuntimeError("java is not installed")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self._process = subprocess.Popen(  # noqa: S603 - a jar the user pointed us at
            [java, "-cp", str(jars[0]), "org.languagetool.server.HTTPServer", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return f"http://127.0.0.1:{port}"
            except OSError:
                if self._process.poll() is not None:
                    raise RuntimeError("local LanguageTool exited at start") from None
                time.sleep(0.2)
        raise RuntimeError("local LanguageTool did not start within 20 s")
