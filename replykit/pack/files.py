"""Reading pack files safely, and checking a pack is complete before it is used.

A pack is a folder people update with `git pull` while replykit serves from
it. A pull half done leaves files missing or empty; a hostile commit can make
a "rule file" a symlink to /dev/zero (read until memory runs out) or a FIFO
(an open that never returns). So, before anything is read:

* every file under the pack's folders is `os.stat`ed: only regular files,
  each within a size bound (`MAX_YAML_BYTES` for YAML, `MAX_DATA_BYTES` for
  labelled data and models), at most `MAX_FILES` files;
* the files the layout promises are there (`pack.yaml`, `replies.yaml`, per
  language `_lang.yaml`: the loader), every rule folder holds rule files,
  and a reload refuses a pack that lacks a file the last good pack was read
  from (a rule or inquiry-type file gone is what a pull half done looks like;
  `reload(allow_removals=True)` accepts a deliberate removal);
* reads open without blocking (`O_NONBLOCK`) and check the opened file again
  (`fstat`), so a file swapped for a FIFO between the check and the read
  still cannot stall, and never read more than the bound.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterable

from ..errors import PackError

MAX_YAML_BYTES = 1_000_000  # the largest bundled YAML file is 25 kB
MAX_DATA_BYTES = 64_000_000  # labelled data and trained models (the largest bundled is 2.4 MB)
MAX_FILES = 20_000
YAML_SUFFIXES = (".yaml", ".yml")


def limit_for(path: Path) -> int:
    return MAX_YAML_BYTES if path.suffix in YAML_SUFFIXES else MAX_DATA_BYTES


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def check_regular(path: Path, st: os.stat_result, limit: int | None = None) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise PackError(f"{_kind(st.st_mode)}, not a regular file (symlinks to devices and FIFOs are refused)", path)
    limit = limit_for(path) if limit is None else limit
    if st.st_size > limit:
        raise PackError(f"{st.st_size} bytes; pack files of this kind may have at most {limit}", path)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes: a regular file within its size bound, opened without blocking."""
    limit = limit_for(path) if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO or socket without a writer
            raise PackError("not a regular file (FIFO or socket)", path) from None
        raise PackError(f"cannot read file ({exc.strerror})", path) from None
    with os.fdopen(fd, "rb") as f:
        check_regular(path, os.fstat(fd), limit)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise PackError(f"larger than {limit} bytes (it grew while read)", path)
    return data


def survey(roots: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Stat every file under the roots (hidden folders skipped); a fingerprint of names, sizes and times."""
    seen: list[tuple[str, int, int]] = []
    for root in roots:
        root = Path(root)
        if not root.exists():
            continue
        for folder, dirs, names in os.walk(root, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(folder) / name
                try:
                    st = os.stat(path)  # follows symlinks: the target is what a read would get
                except OSError as exc:
                    raise PackError(f"cannot read file ({exc.strerror})", path) from None
                check_regular(path, st)
                seen.append((str(path), st.st_size, st.st_mtime_ns))
                if len(seen) > MAX_FILES:
                    raise PackError(f"more than {MAX_FILES} files under the pack's folders", root)
    return tuple(seen)


def check_rule_folders(rule_folders: Iterable[Path]) -> None:
    """Every rule folder exists, and together they hold rules. A brand's own folder may be empty (a new
    brand pack adds none); a partial update of a folder that had rules is caught by `missing_since`."""
    folders = [Path(f) for f in rule_folders]
    for folder in folders:
        if not folder.is_dir():
            raise PackError("rule folder not found", folder)
    if folders and not any(p.suffix in YAML_SUFFIXES for folder in folders for p in folder.rglob("*")
                           if not p.name.startswith(".")):
        raise PackError("rule folders hold no rule files (a partial update?)", folders[0])


def missing_since(before: Iterable[Path], now: Iterable[Path]) -> list[Path]:
    """Pack files the last good pack was read from that the new one lacks."""
    have = {Path(p) for p in now}
    return sorted(Path(p) for p in before if Path(p) not in have)
