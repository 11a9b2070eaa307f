"""`replykit triage`: a team lead's queue from a batch of incoming posts (docs/triage.md)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .base import _fail, _vars, app, kit


def _read_posts(path: str) -> tuple[list[dict], list[dict]]:
    """(posts, errors): a line that is not a JSON object is an error line, the batch goes on."""
    if path == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            _fail(f"{path}: cannot read ({exc.strerror})")
    posts, errors = [], []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            errors.append({"id": None, "error": f"line {number}: not valid JSON"})
            continue
        if not isinstance(record, dict):
            errors.append({"id": None, "error": f"line {number}: expected a JSON object"})
            continue
        posts.append(record)
    return posts, errors


@app.command()
def triage(
    jsonl: str = typer.Option(..., "--jsonl", help="Posts, one JSON object a line: id, time, channel, text, "
                              "lang?, author? (or '-' for standard input)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per post, in queue order."),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE for storm replies: agent_name and the "
                                            "incident's area, eta, incident_id, status_url (repeatable)."),
    now: Optional[str] = typer.Option(None, "--now", help="ISO 8601 time to judge overdue posts (default: now)."),
) -> None:
    """The queue in the order to answer: type, escalation, team, policy, due times, storms."""
    from ..triage import Triage

    when = None
    if now is not None:
        try:
            when = dt.datetime.fromisoformat(now)
        except ValueError:
            _fail(f"--now {now!r}: not an ISO 8601 time")
    posts, errors = _read_posts(jsonl)
    result = Triage(kit()).run(posts, now=when, variables=_vars(var))
    errors += result.errors
    if as_json:
        out = sys.stdout
        for item in result.items:
            out.write(json.dumps(item.model_dump(mode="json"), ensure_ascii=False) + "\n")
        for error in errors:
            out.write(json.dumps(error, ensure_ascii=False) + "\n")
        out.flush()
    else:
        from .triage_show import show_triage

        show_triage(result, errors)
    raise typer.Exit(2 if errors else 0)
