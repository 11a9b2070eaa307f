"""The `replykit` command line: thin over `ReplyKit`.

Exit codes: 0 done (check: nothing at error severity), 1 check found an
error, 2 bad usage or bad input (one line on stderr, never a traceback).
Each module registers its commands on the one `app`.
"""
from __future__ import annotations

from . import brand, core, evaluate, kpi, pack, serve, triage  # noqa: F401  (registers the commands)
from .base import app, main
from .feedback import feedback_app  # noqa: F401  (registers `replykit feedback ...`)

__all__ = ["app", "main"]
