"""Commands for agents and integrations: suggest, check, render, templates."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from ..results import to_json
from .base import _fail, _read_input, _vars, app, kit
from .people import FailOn, check_exit_code, notices_to_show, plain_output, read_draft

if TYPE_CHECKING:
    from ..batch import Counts


def _jsonl(path: str, kind: str, defaults: dict, workers: int | None) -> "Counts":
    """Answer a batch (see batch.py): `-` streams (each line answered and flushed as it is read),
    a file may be spread over worker processes. Command-line options in `defaults` fill what a line leaves out."""
    from ..batch import Counts, run, split_lines, stream
    from ..progress import progress_for

    if path == "-":
        loaded = kit()  # loaded before the first line arrives: a warm worker behind pipes
        try:
            return stream(loaded, sys.stdin.buffer, sys.stdout.buffer, kind, defaults)
        except BrokenPipeError:
            # The reader went away; answers cannot be delivered. Quiet the interpreter's final flush.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            _fail("standard output was closed before the batch ended")
    try:
        raw_lines = split_lines(Path(path).read_bytes())
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})")
    counts = Counts()
    out = sys.stdout
    loaded = kit()
    with progress_for(len(raw_lines), "checking" if kind == "check" else "suggesting") as advance:
        for line, status in run(loaded, raw_lines, kind, defaults, workers):
            out.write(line + "\n")
            counts.add(status)
            advance()
    out.flush()
    return counts


# ----------------------------------------------------------------- commands


# Options suggest and check share.
LangOption = Annotated[Optional[str], typer.Option(
    "--lang", help="da, no, nl or ru; nb, nn and dk are read as no and da (default: detect).")]
ChannelOption = Annotated[Optional[str], typer.Option("--channel",
                                                      help="facebook, twitter, trustpilot, vk, dm, email (any case).")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object.")]
JsonlOption = Annotated[Optional[str], typer.Option(
    "--jsonl", help="Batch: one JSON request per line; '-' streams (each line answered as it is read).")]
WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="Processes for a large --jsonl batch (default: one per core).")]
PlainOption = Annotated[Optional[bool], typer.Option(
    "--plain/--rich", help="Plain text to paste (no boxes, no colour); default: plain unless on a terminal.",
    show_default=False)]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Every notice and every alternative.")]


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
    plain: PlainOption = None,
    verbose: VerboseOption = False,
    drafts: bool = typer.Option(False, "--drafts", help="Also texts not (or no longer) approved, marked as drafts."),
) -> None:
    """Suggest approved replies for a customer's post."""
    if jsonl is not None:
        counts = _jsonl(jsonl, "suggest", {"lang": lang, "channel": channel, "top": top,
                                           "variables": _vars(var)}, workers)
        raise typer.Exit(2 if counts.error else 0)
    body = _read_input(text, "post", is_file=False)
    result = kit().suggest(body, lang=lang, channel=channel, top=top, variables=_vars(var), include_drafts=drafts)
    if as_json:
        typer.echo(to_json(result))
    else:
        from ..show import show_suggest

        show_suggest(result, plain=plain_output(plain), verbose=verbose)


@app.command()
def check(
    draft_arg: Optional[str] = typer.Argument(
        None, metavar="TEXT|FILE|-",
        help="The draft: an existing file, '-' for standard input, or else the text itself."),
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
    plain: PlainOption = None,
    verbose: VerboseOption = False,
    fail_on: Optional[FailOn] = typer.Option(
        None, "--fail-on", case_sensitive=False,
        help="Exit 1 from this verdict up: 'revise' for a strict gate; default 'blocked'."),
) -> None:
    """Check a draft reply: verdict, findings with spans, fixes."""
    if jsonl is not None and fail_on is FailOn.revise:
        _fail("--fail-on revise applies to one draft; a --jsonl batch gives each line's verdict")
    if jsonl is not None:
        counts = _jsonl(jsonl, "check", {"lang": lang, "channel": channel, "inquiry": inquiry,
                                         "customer_name": customer_name, "agent_name": agent_name,
                                         "inquiry_type": inquiry_type}, workers)
        raise typer.Exit(2 if counts.error else 1 if counts.blocked else 0)
    draft = read_draft(draft_arg)
    result = kit().check(draft, lang=lang, channel=channel, inquiry=inquiry, customer_name=customer_name,
                         agent_name=agent_name, inquiry_type=inquiry_type)
    if as_json:
        typer.echo(to_json(result))
    else:
        from ..show import show_check

        show_check(draft, result, plain=plain_output(plain), notices=notices_to_show(result.notices, verbose))
    raise typer.Exit(check_exit_code(result.verdict, fail_on))


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


