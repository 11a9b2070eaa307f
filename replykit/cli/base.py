"""The `replykit` command line: the app, shared options and helpers, and `main`.

Exit codes: 0 done (check: nothing at error severity), 1 check found an
error, 2 bad usage or bad input (one line on stderr, never a traceback).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

from ..errors import ReplyKitError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Approved replies and draft checks for social-media customer service.")

_state: dict[str, Any] = {}


class UsageProblem(Exception):
    """Bad input the user can fix: reported in one line, exit 2."""


def _fail(message: str) -> NoReturn:
    raise UsageProblem(message)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"replykit {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    templates: Optional[Path] = typer.Option(None, "--templates", envvar="REPLYKIT_TEMPLATES",
                                             help="Template pack folder (default: the bundled pack)."),
    rules: Optional[Path] = typer.Option(None, "--rules", envvar="REPLYKIT_RULES",
                                         help="Brand rule folder, layered over the bundled rules."),
    languagetool_url: Optional[str] = typer.Option(None, "--languagetool-url", envvar="REPLYKIT_LANGUAGETOOL_URL",
                                                   help="LanguageTool server for grammar checks."),
    feedback_db: Optional[str] = typer.Option(None, "--feedback-db", envvar="REPLYKIT_FEEDBACK_DB",
                                              help="Feedback store (SQLite path or postgresql:// URL): "
                                                   "results are recorded, masked, with a result_id."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    _state.update(templates=templates, rules=rules, languagetool_url=languagetool_url, feedback_db=feedback_db)


def kit():
    if "kit" not in _state:
        from ..kit import ReplyKit

        templates_dir, rules_dir = _pack_dirs(None)
        _state["kit"] = ReplyKit.load(templates_dir, rules_dir, languagetool_url=_state.get("languagetool_url"),
                                      feedback=_state.get("feedback_db") or None)
    return _state["kit"]


# ------------------------------------------------------------------ helpers


def _read_input(arg: str | None, what: str, is_file: bool) -> str:
    if arg is None or arg == "-":
        if arg is None and sys.stdin.isatty():
            _fail(f"give the {what} as an argument, or '-' to read standard input")
        data = sys.stdin.buffer.read()
    elif is_file:
        path = Path(arg)
        try:
            data = path.read_bytes()
        except OSError as exc:
            _fail(f"{arg}: cannot read ({exc.strerror})")
    else:
        return arg
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{'standard input' if arg in (None, '-') else arg} is not valid UTF-8 (byte {exc.start})")
    return ""  # unreachable


def _day(value: str | None, option: str) -> dt.date | None:
    """A date option (YYYY-MM-DD), or None when not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} {value!r}: expected a date as YYYY-MM-DD")


def _vars(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            _fail(f"--var {pair!r}: expected KEY=VALUE")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def _pack_dirs(pack: Path | None) -> tuple[Path | None, Path | None]:
    """PACK, else --templates/--rules, else the pack the current folder is in (brand packs: replykit.yaml),
    else the bundled one. A pack other than the bundled one is named on stderr."""
    from ..pack.brand import locate

    if pack is not None and not pack.is_dir():
        _fail(f"{pack}: no such folder")
    found = locate(pack, _state.get("templates"), _state.get("rules"), Path.cwd())
    if found.label and _state.get("announced") != found.label:
        _state["announced"] = found.label
        sys.stderr.write(f"replykit: pack {found.label}\n")
    return found.templates, found.rules



def main() -> None:
    try:
        rc = app(standalone_mode=False)  # click returns the code of a typer.Exit here
        sys.exit(rc if isinstance(rc, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (UsageProblem, ReplyKitError) as exc:
        sys.stderr.write(f"replykit: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}\n")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        if hasattr(exc, "format_message"):  # click's usage errors (typer vendors click)
            sys.stderr.write(f"replykit: error: {exc.format_message()} (see replykit --help)\n")
            sys.exit(2)
        if type(exc).__name__ == "Abort":
            sys.stderr.write("replykit: aborted\n")
            sys.exit(2)
        if os.environ.get("REPLYKIT_DEBUG"):
            raise
        sys.stderr.write(f"replykit: internal error: {type(exc).__name__}: {exc} "
                         "(set REPLYKIT_DEBUG=1 for details)\n")
        sys.exit(2)


