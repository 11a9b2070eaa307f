"""What the agent-facing commands do for a person at a terminal (not for batches or scripts):
where a draft comes from, plain or Rich output, exit codes for gates, notices shown once.

The rule for `replykit check ARG` (docs/cli.md):
  * no ARG, or `-`: the draft is read from standard input;
  * ARG names an existing file: the draft is that file (UTF-8);
  * ARG looks like a path but no such file exists (one word with a `/` or `\\`, or ending in
    .txt, .md, .text, .eml): an error, so a mistyped file name is never checked as if it were the draft;
  * anything else is the draft itself, as `suggest` takes the post.
"""
from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path

from ..pack.cachedir import PrivateDir, UnsafeCache, location
from .base import _fail, _read_input

_PATH_LIKE = re.compile(r"\S*[/\\]\S*|\S+\.(?:txt|md|text|eml)", re.IGNORECASE)

# Notices that say the same on every check of a setup: shown once per user (a marker file in the
# cache folder), and on every check with --verbose. The JSON output always carries them.
SETUP_NOTICES = {"grammar-skipped": "grammar: skipped, no LanguageTool configured"}


def read_draft(arg: str | None) -> str:
    """The draft from ARG by the rule above."""
    if arg is None or arg == "-":
        return _read_input(arg, "draft", is_file=False)
    try:
        path = Path(arg)
        is_dir, is_file = path.is_dir(), path.is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL byte: it is text
        is_dir = is_file = False
    if is_dir:
        _fail(f"{arg}: is a folder, not a draft file")
    if is_file:
        return _read_input(arg, "draft file", is_file=True)
    if _PATH_LIKE.fullmatch(arg):
        _fail(f"{arg}: cannot read (no such file; to check a one-word draft, pipe it: echo TEXT | replykit check -)")
    return arg


def plain_output(plain: bool | None) -> bool:
    """--plain / --rich as given; else plain whenever standard output is not a terminal."""
    return plain if plain is not None else not sys.stdout.isatty()


class FailOn(str, Enum):
    """The lowest verdict `check` exits 1 on."""

    revise = "revise"
    blocked = "blocked"


def check_exit_code(verdict: str, fail_on: FailOn | None) -> int:
    """1 when the verdict is at or above the gate (default: blocked only, as before), else 0."""
    if verdict == "blocked":
        return 1
    return 1 if verdict == "revise" and fail_on is FailOn.revise else 0


def notices_to_show(notices: list[str], verbose: bool) -> list[str]:
    """The notices a person should see now: every one with `verbose`; a setup notice only the first
    time this user meets it (or always, when there is no private cache folder to remember it in)."""
    if verbose:
        return list(notices)
    shown = []
    for note in notices:
        key = next((k for k, prefix in SETUP_NOTICES.items() if note.startswith(prefix)), None)
        if key is None or _first_time(key):
            shown.append(note)
    return shown


def _first_time(key: str) -> bool:
    """True (and remembered) the first time; False once the marker exists."""
    where = location()
    if where is None:
        return True  # cache off: nothing to remember it in, so say it
    name = f"notice-{key}.shown"
    try:
        with PrivateDir(where, create=True) as folder:
            try:
                folder.read(name)
                return False
            except FileNotFoundError:
                folder.write(name, b"shown once; delete this file to see the notice again\n")
                return True
    except (UnsafeCache, OSError):
        return True
