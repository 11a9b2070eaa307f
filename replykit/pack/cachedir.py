"""The pack cache's folder: private to the current user, or not used at all.

Whoever can write to the cache decides which reply texts and rules every
agent's replykit serves. So the folder is created 0700 and used only while it
belongs to the current user and nobody else may write to it; each file in it
must be a regular file of ours as well. Files are opened relative to the
folder's own descriptor, checked once, so the folder cannot be swapped for
another between the check and the read.
"""
from __future__ import annotations

import os
import secrets
import stat
import time
from pathlib import Path

_UNSAFE_BITS = stat.S_IWGRP | stat.S_IWOTH


def location() -> Path | None:
    """$REPLYKIT_CACHE_DIR, else $XDG_CACHE_HOME/replykit or ~/.cache/replykit; None: cache off."""
    if os.environ.get("REPLYKIT_NO_CACHE"):
        return None
    base = os.environ.get("REPLYKIT_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "replykit" if xdg else Path.home() / ".cache" / "replykit"


class UnsafeCache(OSError):
    """The folder or file is not ours alone: treated like a missing cache."""


def _check_ours(st: os.stat_result, what: str) -> None:
    if st.st_uid != os.getuid():
        raise UnsafeCache(f"{what} belongs to uid {st.st_uid}, not to this user")
    if st.st_mode & _UNSAFE_BITS:
        raise UnsafeCache(f"{what} is writable by group or others (mode {stat.S_IMODE(st.st_mode):o})")


class PrivateDir:
    """An open, checked cache folder. Use as a context manager."""

    def __init__(self, path: Path, create: bool = False):
        # Windows has no owner ids to check; there the cache is simply not used.
        if not hasattr(os, "getuid") or os.open not in os.supports_dir_fd:
            raise UnsafeCache("this platform cannot check who owns the cache")
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(self.fd)
            if not stat.S_ISDIR(st.st_mode):
                raise UnsafeCache(f"{path} is not a folder")
            _check_ours(st, str(path))
        except BaseException:
            os.close(self.fd)
            raise

    def __enter__(self) -> "PrivateDir":
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def read(self, name: str) -> bytes:
        # O_NOFOLLOW: a planted symlink is not followed; O_NONBLOCK: a planted FIFO cannot hang us.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=self.fd)
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise UnsafeCache(f"{name} is not a regular file")
            _check_ours(st, name)
            return fh.read()

    def write(self, name: str, data: bytes) -> None:
        """Atomically: readers see the old file or the whole new one."""
        tmp = f".{name}.{secrets.token_hex(8)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            os.unlink(tmp, dir_fd=self.fd)
            raise

    def prune(self, prefix: str, max_age_days: float = 7) -> None:
        """Drop this kind's entries written over a week ago, and pickles of older replykits (never read)."""
        cutoff = time.time() - max_age_days * 86400
        for entry in os.scandir(self.fd):
            if not entry.name.startswith(prefix):
                continue
            try:
                if entry.name.endswith(".pickle") or entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.name, dir_fd=self.fd)
            except FileNotFoundError:  # another replykit pruned it first
                pass
