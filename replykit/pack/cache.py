"""A cache of validated pack data, so a CLI call does not re-read and re-check ~150 YAML files.

What is stored is data, never code: JSON written by each kind's `encode` and
read back by its `decode`, which validates it again with pydantic, so reading
a planted file runs nothing, and a damaged one fails to decode: a rebuild.

The key is the SHA-256 of the content of every YAML file in the pack folders
and of the names of every entry there, replykit's version and a hash of all
of replykit's own source files, so an edit of the same size, a restored
modification time or a changed model never meets an old entry. Where the
cache lives and who may write to it: `cachedir`. Any problem with the cache
(unreadable, corrupt, not ours, a file gone while hashing) means the pack is
read from its files as if there were no cache; it is never an error and
never a stale pack. It holds only what the pack files said (no drafts, no posts).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import cachedir
from .files import read_bytes

T = TypeVar("T")
log = logging.getLogger("replykit")

FORMAT = 2  # 1 was pickle
_PACKAGE = Path(__file__).resolve().parent.parent
# The loaders read only YAML; other files count by name (a new folder can break a pack).
_READ_SUFFIXES = (".yaml", ".yml")


@lru_cache(maxsize=1)
def _code_hash() -> str:
    # Every source file, not a hand-kept list of the "shaping" ones: a list is forgotten.
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(f"{path.relative_to(_PACKAGE).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _hash_tree(h: Any, root: Path) -> None:
    if not root.is_dir():
        h.update(b"missing\0")
        return
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=_raise):
        # Hidden folders (.git) are never read by the loaders; the names still count.
        dirs.sort()
        rel = Path(folder).relative_to(root).as_posix()
        h.update(f"dir {rel}\0{'/'.join(dirs)}\0".encode())
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(files):
            h.update(f"file {name}\0".encode())
            if name.endswith(_READ_SUFFIXES):
                h.update(hashlib.sha256(read_bytes(Path(folder) / name)).digest())  # never blocks


def _raise(exc: OSError) -> None:
    raise exc


def key(kind: str, roots: list[Path]) -> str:
    from .. import __version__

    h = hashlib.sha256(f"format {FORMAT}\0replykit {__version__}\0{kind}\0{_code_hash()}\0".encode())
    for root in roots:
        # The path as given too: sources in messages are spelled from it.
        h.update(f"root {root}\0{Path(root).resolve()}\0".encode())
        _hash_tree(h, Path(root))
    return h.hexdigest()


def cached(kind: str, roots: list[Path], build: Callable[[], T],
           encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T:
    """build() or its cached result; `decode(encode(value))` must give back an equal value."""
    folder = cachedir.location()
    if folder is None:
        return build()
    try:
        digest = key(kind, roots)
    except Exception as exc:  # noqa: BLE001 - a file gone or unreadable: no cache this time
        log.debug("pack cache not used: %s", exc)
        return build()
    name = f"{kind}-{digest}.json"
    value = _read(folder, name, decode)
    if value is not None:
        return value
    value = build()  # errors (PackError) propagate: a broken pack is never cached
    try:
        if key(kind, roots) == digest:  # not edited while it was being read
            _write(folder, kind, name, value, encode, decode)
    except Exception as exc:  # noqa: BLE001 - a read-only or foreign cache must not break replykit
        log.debug("pack cache not written: %s", exc)
    return value


def _read(folder: Path, name: str, decode: Callable[[Any], T]) -> T | None:
    try:
        with cachedir.PrivateDir(folder) as d:
            doc = json.loads(d.read(name))
        if doc.get("format") != FORMAT or doc.get("name") != name:
            raise ValueError("entry of another format or key")
        return decode(doc["data"])
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - corrupt, foreign or unreadable: rebuild
        log.debug("pack cache entry %s ignored: %s", name, exc)
        return None


def _write(folder: Path, kind: str, name: str, value: T, encode: Callable[[T], Any],
           decode: Callable[[Any], T]) -> None:
    data = json.dumps({"format": FORMAT, "name": name, "data": encode(value)},
                      ensure_ascii=False, separators=(",", ":"))
    # Only what comes back exactly is stored, so a cache hit never changes a result.
    if decode(json.loads(data)["data"]) != value:
        log.debug("pack cache: %s does not survive JSON; not cached", kind)
        return
    with cachedir.PrivateDir(folder, create=True) as d:
        d.prune(f"{kind}-")
        d.write(name, data.encode("utf-8"))
