"""Which labelled drafts the benchmarks' real-draft figures use.

The project's dev set is kept outside the repository (its owners ask that it be used for
measuring, not copied): name its folder in $REPLYKIT_EVAL_DEV. Without it the figures use the
in-repository tests/data/blind1, and say so.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dev_set() -> tuple[str, Path]:
    """(name to print, folder in the evaluation format)."""
    folder = os.environ.get("REPLYKIT_EVAL_DEV")
    if folder and Path(folder).is_dir():
        return f"$REPLYKIT_EVAL_DEV ({Path(folder).name})", Path(folder)
    return "tests/data/blind1", ROOT / "tests" / "data" / "blind1"
