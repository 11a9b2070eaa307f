"""`replykit feedback ...`: the team's feedback on stored results, stats, export, purge.

Needs a feedback store: the global `--feedback-db` (a SQLite path or a
postgresql:// URL) or REPLYKIT_FEEDBACK_DB. Output JSON keeps to the shapes of
the Python API and the service (`--json`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .base import _fail, _state, _vars, app, kit

feedback_app = typer.Typer(no_args_is_help=True, help="Record what agents did with suggestions and findings; "
                                                       "stats, export as labelled data, purge.")
app.add_typer(feedback_app, name="feedback")

AgentOption = typer.Option(None, "--agent", help="Who gave the feedback (optional).")
TeamOption = typer.Option(None, "--team", help="The agent's team (optional).")
JsonOption = typer.Option(False, "--json", help="One JSON object.")


def _log(needs_masking: bool = False):  # noqa: ANN202 - a FeedbackLog
    """The store's FeedbackLog; the pack is loaded only when a text must be masked (its pii rules)."""
    if not _state.get("feedback_db"):
        _fail("no feedback store: give --feedback-db PATH|URL (before the command) or set REPLYKIT_FEEDBACK_DB")
    if needs_masking or "kit" in _state:
        return kit().feedback
    if "feedback_log" not in _state:
        from ..feedback import FeedbackLog, open_store

        _state["feedback_log"] = FeedbackLog(open_store(_state["feedback_db"]), lambda: kit()._loaded.rules)
    return _state["feedback_log"]


def _done(receipt: dict, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(receipt, ensure_ascii=False))
        return
    extra = f", edit distance {receipt['edit_distance']:.2f}" if "edit_distance" in receipt else ""
    typer.echo(f"recorded {receipt['kind']} #{receipt['feedback_id']} on result {receipt['result_id']}{extra}")


@feedback_app.command()
def pick(
    result_id: str = typer.Option(..., "--result-id", help="The result_id of a suggest result."),
    template: str = typer.Option(..., "--template", help="The template id used, e.g. da/outage/public."),
    sent: Optional[str] = typer.Option(None, "--sent", help="The text finally sent ('-': standard input)."),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE: names to mask in the sent text."),
    agent: Optional[str] = AgentOption,
    team: Optional[str] = TeamOption,
    as_json: bool = JsonOption,
) -> None:
    """An agent used this suggestion (and sent this text)."""
    if sent == "-":
        sent = sys.stdin.read()
    receipt = _log(sent is not None).pick(result_id, template, sent, agent=agent, team=team, variables=_vars(var))
    _done(receipt, as_json)


@feedback_app.command()
def dismiss(
    result_id: str = typer.Option(..., "--result-id", help="The result_id of a check result."),
    rule: str = typer.Option(..., "--rule", help="The rule id of the finding that was a false alarm."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why it was wrong (optional)."),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE: names to mask in the reason."),
    agent: Optional[str] = AgentOption,
    team: Optional[str] = TeamOption,
    as_json: bool = JsonOption,
) -> None:
    """A finding was a false alarm."""
    _done(_log(reason is not None).dismiss(result_id, rule, reason, agent=agent, team=team, variables=_vars(var)),
          as_json)


@feedback_app.command()
def missed(
    result_id: str = typer.Option(..., "--result-id", help="The result_id of a check result."),
    category: str = typer.Option(..., "--category", help="The finding category missed, e.g. forbidden.public_order."),
    quote: Optional[str] = typer.Option(None, "--quote", help="The exact words of the draft where it sits."),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE: names to mask in the quote."),
    agent: Optional[str] = AgentOption,
    team: Optional[str] = TeamOption,
    as_json: bool = JsonOption,
) -> None:
    """The check missed a problem in the draft."""
    _done(_log(quote is not None).missed(result_id, category, quote, agent=agent, team=team, variables=_vars(var)),
          as_json)


@feedback_app.command("wrong-type")
def wrong_type(
    result_id: str = typer.Option(..., "--result-id", help="The result_id of a suggest result."),
    inquiry_type: str = typer.Option(..., "--type", help="The post's right inquiry type."),
    template: Optional[str] = typer.Option(None, "--template", help="The suggestion marked (optional)."),
    agent: Optional[str] = AgentOption,
    team: Optional[str] = TeamOption,
    as_json: bool = JsonOption,
) -> None:
    """The suggestions were for the wrong inquiry type."""
    _done(_log().wrong_type(result_id, inquiry_type, template, agent=agent, team=team), as_json)


@feedback_app.command()
def stats(as_json: bool = JsonOption) -> None:
    """Per rule (fired, dismissed), per reply (suggested, picked, edit distance), per inquiry type."""
    result = _log().stats()
    if as_json:
        typer.echo(result.model_dump_json())
        return
    from ..feedback.show import show_stats

    show_stats(result)


@feedback_app.command()
def export(
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Folder: writes <lang>/labelled/feedback-<date>."
                                                                "<kind>.jsonl in it (the pack's layout)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Only this language (needed for standard output)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="posts, drafts or clean (needed for standard output)."),
) -> None:
    """Reviewed feedback as labelled data in the pack's format (to a folder, or one kind to stdout)."""
    from ..feedback.export import export_records, jsonl, write_export

    log = _log()
    if out is not None:
        if out.exists() and not out.is_dir():
            _fail(f"{out}: not a folder")
        for path, n in write_export(log.store, out, lang):
            typer.echo(f"{path}: {n} line{'s' if n != 1 else ''}", err=True)
        return
    if not lang or kind not in ("posts", "drafts", "clean"):
        _fail("to standard output give --lang and --kind posts|drafts|clean (or -o FOLDER for every file)")
    sys.stdout.write(jsonl(export_records(log.store, lang).get((str(lang), str(kind)), [])))


@feedback_app.command()
def purge(
    everything: bool = typer.Option(False, "--all", help="Delete every stored result and feedback."),
    days: Optional[int] = typer.Option(None, "--days", min=0, help="Keep this many days instead of the retention "
                                                                   "period (REPLYKIT_FEEDBACK_RETENTION_DAYS, 90)."),
    as_json: bool = JsonOption,
) -> None:
    """Delete results (and their feedback) older than the retention period, or everything with --all."""
    gone = _log().purge(everything, days)
    typer.echo(json.dumps(gone) if as_json else f"deleted {gone['results']} results and {gone['feedback']} feedback")
