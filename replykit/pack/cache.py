"""A cache of validated pack data, so a CLI call does not re-read 100 YAML files.

Keyed by replykit's version and every file's path, size and modification
time: any edit to the pack misses the cache and goes through full
validation again. Lives in $REPLYKIT_CACHE_DIR or ~/.cache/replykit;
REPLYKIT_NO_CACHE=1 turns it off. A cache that cannot be read or written is
ignored, never an error. It only ever holds what this user's own pack files
said (no drafts, no posts).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def _cache_dir() -> Path | None:
    if os.environ.get("REPLYKIT_NO_CACHE"):
        return None
    base = os.environ.get("REPLYKIT_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "replykit" if xdg else Path.home() / ".cache" / "replykit"


_PACKAGE = Path(__file__).resolve().parent.parent
_SHAPING_MODULES = ("models.py", "pack/templates.py", "check/prefilter.py", "check/ruleset.py")


def signature(kind: str, roots: list[Path]) -> str:
    from .. import __version__

    h = hashlib.sha256(f"{__version__}|{kind}".encode())
    # The code that shapes what is cached: an edited model (a new rule key) must not meet old pickles.
    for module in _SHAPING_MODULES:
        st = (_PACKAGE / module).stat()
        h.update(f"{module}|{st.st_size}|{st.st_mtime_ns}".encode())
    for root in roots:
        root = Path(root).resolve()
        h.update(str(root).encode())
        if not root.exists():
            h.update(b"missing")
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                st = path.stat()
                h.update(f"{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def cached(kind: str, roots: list[Path], build: Callable[[], T]) -> T:
    folder = _cache_dir()
    if folder is None:
        return build()
    path = folder / f"{kind}-{signature(kind, roots)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - written by this user's own replykit, below
    except Exception:  # noqa: BLE001 - missing, stale or unreadable: rebuild
        pass
    value = build()  # errors (PackError) propagate: a broken pack is never cached
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{kind}-*.pickle"):
            if old.stat().st_mtime < __import__("time").time() - 7 * 86400:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a read-only home must not break replykit
        pass
    return value
