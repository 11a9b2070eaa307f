"""Commands for agents and integrations: suggest, check, render, templates."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..results import to_json
from .base import _fail, _read_input, _vars, app, kit


def _jsonl(path: str, kind: str, defaults: dict, workers: int | None) -> dict[str, int]:
    """Run a batch (see batch.py); returns how many lines ended ok, blocked or in error."""
    from ..batch import run
    from ..progress import progress_for

    if path == "-":
        raw_lines = sys.stdin.buffer.read().splitlines()
    else:
        try:
            raw_lines = Path(path).read_bytes().splitlines()
        except OSError as exc:
            _fail(f"{path}: cannot read ({exc.strerror})")
    counts = {"ok": 0, "blocked": 0, "error": 0}
    out = sys.stdout
    loaded = kit()
    with progress_for(len(raw_lines), "checking" if kind == "check" else "suggesting") as advance:
        for result in run(loaded, raw_lines, kind, defaults, workers):
            if result is not None:
                line, status = result
                out.write(line + "\n")
                counts[status] += 1
            advance()
    out.flush()
    return counts


# ----------------------------------------------------------------- commands


# Options suggest and check share.
LangOption = Annotated[Optional[str], typer.Option("--lang", help="da, no, nl or ru (default: detect).")]
ChannelOption = Annotated[Optional[str], typer.Option("--channel",
                                                      help="facebook, twitter, trustpilot, vk, dm, email.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object.")]
JsonlOption = Annotated[Optional[str], typer.Option("--jsonl", help="Batch: one JSON request per line (or '-').")]
WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="Processes for a large --jsonl batch (default: one per core).")]


@app.command()
def suggest(
    text: Optional[str] = typer.Argument(None, help="The customer's post, or '-' for standard input."),
    lang: LangOption = None,
    channel: ChannelOption = None,
    top: int = typer.Option(3, "--top", min=1, help="How many suggestions."),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE for the templates (repeatable)."),
    as_json: JsonOption = False,
    jsonl: JsonlOption = None,
    workers: WorkersOption = None,
    drafts: bool = typer.Option(False, "--drafts", help="Also texts not (or no longer) approved, marked as drafts."),
) -> None:
    """Suggest approved replies for a customer's post."""
    if jsonl is not None:
        counts = _jsonl(jsonl, "suggest", {"top": top}, workers)
        raise typer.Exit(2 if counts["error"] else 0)
    body = _read_input(text, "post", is_file=False)
    result = kit().suggest(body, lang=lang, channel=channel, top=top, variables=_vars(var), include_drafts=drafts)
    if as_json:
        typer.echo(to_json(result))
    else:
        from ..show import show_suggest

        show_suggest(result)


@app.command()
def check(
    file: Optional[str] = typer.Argument(None, help="File with the draft, or '-' for standard input."),
    lang: LangOption = None,
    channel: ChannelOption = None,
    inquiry: Optional[str] = typer.Option(None, "--inquiry", help="The customer's post the draft answers."),
    customer_name: Optional[str] = typer.Option(None, "--customer-name"),
    agent_name: Optional[str] = typer.Option(None, "--agent-name"),
    inquiry_type: Optional[str] = typer.Option(None, "--inquiry-type",
                                               help="The inquiry's type, when known (else read from --inquiry)."),
    as_json: JsonOption = False,
    jsonl: JsonlOption = None,
    workers: WorkersOption = None,
) -> None:
    """Check a draft reply: verdict, findings with spans, fixes."""
    if jsonl is not None:
        counts = _jsonl(jsonl, "check", {}, workers)
        raise typer.Exit(2 if counts["error"] else 1 if counts["blocked"] else 0)
    draft = _read_input(file, "draft file", is_file=True)
    result = kit().check(draft, lang=lang, channel=channel, inquiry=inquiry, customer_name=customer_name,
                         agent_name=agent_name, inquiry_type=inquiry_type)
    if as_json:
        typer.echo(to_json(result))
    else:
        from ..show import show_check

        show_check(draft, result)
    raise typer.Exit(1 if result.verdict == "blocked" else 0)


@app.command()
def render(
    template_id: str = typer.Argument(..., help="Reply id (outage/public) or <lang>/<id>."),
    lang: Optional[str] = typer.Option(None, "--lang"),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE (repeatable)."),
    sample: bool = typer.Option(False, "--sample", help="Fill variables with the pack's sample values."),
    as_json: bool = typer.Option(False, "--json"),
    drafts: bool = typer.Option(False, "--drafts", help="Render a text that is not (or no longer) approved."),
) -> None:
    """Render one approved reply; exits 2 naming any missing required variable."""
    text = kit().render(template_id, lang=lang, variables=_vars(var), samples=sample, include_drafts=drafts)
    typer.echo(json.dumps({"template_id": template_id, "text": text}, ensure_ascii=False) if as_json else text)


@app.command()
def templates(as_json: bool = typer.Option(False, "--json")) -> None:
    """List every template variant in the pack."""
    items = kit().templates()
    if as_json:
        typer.echo(json.dumps([t.model_dump() for t in items], ensure_ascii=False))
        return
    from ..show import show_templates

    show_templates(items)


