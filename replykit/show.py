"""Output for people: colour where the terminal has it, the draft with spans marked;
or plain text (`--plain`, and whenever standard output is not a terminal) that can be
pasted as it is: reply text verbatim, no boxes, no wrapping, no colour codes.

Plain `suggest` writes only reply text to standard output (one reply: its text alone;
several: each under a one-line header) and what a person should know about the post
(language, type, escalation, notices) to standard error, so `replykit suggest ... | pbcopy`
copies exactly the reply. Plain `check` writes its verdict and one block per finding.
"""
from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .results import CheckResult, Suggestion, SuggestResult, TemplateInfo

_STYLE = {"error": "bold white on red", "warning": "black on yellow", "suggestion": "underline cyan"}
_VERDICT = {"ok": "bold green", "revise": "bold yellow", "blocked": "bold red"}

# An alternative of another inquiry type is shown in full only when that type's candidate score is at
# least this; below it, it is listed in one line. Measured on the 528 posts of tests/data/blind1 and blind2
# (2026-12-06): when the right type is not first, its score at rank 2-3 was >= 0.10 in 16 of 17 posts, while
# 81 % (838 of 1,039) of the wrong types at rank 2-3 scored under 0.10 (median 0.04). See docs/cli.md.
USEFUL_SCORE = 0.10


def _console(file: TextIO | None = None) -> Console:
    return Console(highlight=False, soft_wrap=False, emoji=False, file=file)


def split_alternatives(result: SuggestResult, verbose: bool = False) -> tuple[list[Suggestion], list[Suggestion]]:
    """(shown in full, summarised in one line): the first reply and every reply whose inquiry type
    scored at least USEFUL_SCORE are shown; `verbose` shows them all."""
    type_score = {c.type: c.score for c in result.candidates}
    full: list[Suggestion] = []
    brief: list[Suggestion] = []
    for i, s in enumerate(result.suggestions):
        useful = i == 0 or verbose or type_score.get(s.inquiry_type, s.score) >= USEFUL_SCORE
        (full if useful else brief).append(s)
    return full, brief


def _brief_line(brief: list[Suggestion]) -> str:
    names = ", ".join(f"{s.template_id} {s.score:.2f}" for s in brief)
    return f"other replies, their type scored under {USEFUL_SCORE:.2f}: {names} (--verbose shows them)"


def _title(i: int, s: Suggestion) -> str:
    title = f"{i}. {s.template_id}  ({s.visibility}, score {s.score:.2f})"
    if not s.approved:
        title += "  DRAFT: not approved"
    if s.missing_variables:
        title += f"  missing: {', '.join(s.missing_variables)}"
    return title


def _language_line(result: SuggestResult) -> str:
    how = "detected" if result.lang_detected else "given" if result.lang_confidence == 1.0 else "default"
    return (f"language {result.lang} ({how}, confidence {result.lang_confidence:.2f})   "
            f"inquiry {result.inquiry_type or '-'}")


def show_suggest(result: SuggestResult, plain: bool = False, verbose: bool = False) -> None:
    full, brief = split_alternatives(result, verbose)
    if plain:
        _plain_suggest(result, full, brief)
        return
    con = _console()
    how = "detected" if result.lang_detected else "given" if result.lang_confidence == 1.0 else "default"
    con.print(f"[bold]language[/] {result.lang} ({how}, confidence {result.lang_confidence:.2f})   "
              f"[bold]inquiry[/] {result.inquiry_type or '-'}")
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("type")
    table.add_column("score", justify="right")
    table.add_column("matched")
    for cand in result.candidates[:3]:
        table.add_row(cand.type, f"{cand.score:.2f}", ", ".join(result.matched.get(cand.type, [])[:6]))
    con.print(table)
    for flag in result.escalation:
        con.print(f"[bold red]escalate[/] {flag.flag}: “{escape(flag.evidence)}”")
    for i, s in enumerate(full, 1):
        con.print(Panel(Text(s.text), title=Text(_title(i, s)), title_align="left"))
    if brief:
        con.print(f"[dim]{_brief_line(brief)}[/]")
    for note in result.notices:
        con.print(f"[dim]note: {escape(note)}[/]")
    if result.result_id:
        con.print(f"[dim]result id: {result.result_id} (replykit feedback pick/wrong-type)[/]")


def _plain_suggest(result: SuggestResult, full: list[Suggestion], brief: list[Suggestion]) -> None:
    info = sys.stderr
    info.write(_language_line(result) + "\n")
    for flag in result.escalation:
        info.write(f"escalate {flag.flag}: “{flag.evidence}”\n")
    out = sys.stdout
    if len(full) == 1:
        s = full[0]
        info.write(_title(1, s) + "\n")
        out.write(s.text + "\n")
    else:
        for i, s in enumerate(full, 1):
            out.write(("\n" if i > 1 else "") + f"# {_title(i, s)}\n{s.text}\n")
    if brief:
        info.write(_brief_line(brief) + "\n")
    for note in result.notices:
        info.write(f"note: {note}\n")
    if result.result_id:
        info.write(f"result id: {result.result_id} (replykit feedback pick/wrong-type)\n")
    out.flush()


def _snippet(draft: str, start: int, end: int) -> str:
    snippet = draft[start:end].replace("\n", " ")
    return snippet[:47] + "…" if len(snippet) > 50 else snippet


def show_check(draft: str, result: CheckResult, plain: bool = False, notices: list[str] | None = None) -> None:
    """The verdict, the draft with spans marked (not in plain mode) and each finding with its fix.
    `notices`: the notices to show (the CLI leaves out ones the user has already seen)."""
    notices = result.notices if notices is None else notices
    scores = "  ".join(f"{k} {v:.2f}" for k, v in result.scores.items())
    head = f"lang {result.lang}, channel {result.channel or '-'}  {scores}"
    if plain:
        out = sys.stdout
        out.write(f"{result.verdict.upper()}  {head}\n")
        for f in result.findings:
            fix = f"  → {' / '.join(f.replacements)}" if f.replacements else ""
            out.write(f"{f.severity:10} {f.start:>4}-{f.end:<4} {f.category} ({f.rule_id}) "
                      f"“{_snippet(draft, f.start, f.end)}”\n{'':16}{f.message}{fix}\n")
        if result.closest_template:
            out.write(f"closest approved reply: {result.closest_template.template_id} "
                      f"({result.closest_template.similarity:.0%} similar)\n")
        for note in notices:
            out.write(f"note: {note}\n")
        if result.result_id:
            out.write(f"result id: {result.result_id} (replykit feedback dismiss/missed)\n")
        out.flush()
        return
    con = _console()
    con.print(f"[{_VERDICT.get(result.verdict, 'bold')}]{result.verdict.upper()}[/]  {head}")
    marked = Text(draft)
    for f in sorted(result.findings, key=lambda f: {"suggestion": 0, "warning": 1, "error": 2}[f.severity]):
        if f.end > f.start and (f.end - f.start) < len(draft) or len(draft) < 40:
            marked.stylize(_STYLE.get(f.severity, "underline"), f.start, f.end)
    con.print(Panel(marked, title="draft", title_align="left"))
    for f in result.findings:
        fix = f"  → {' / '.join(f.replacements)}" if f.replacements else ""
        # Draft text and messages are escaped: a "[b]" in a draft is text, not Rich markup.
        con.print(f"[{_STYLE.get(f.severity, 'bold')}]{f.severity:10}[/] {f.start:>4}-{f.end:<4} "
                  f"[bold]{f.category}[/] ({escape(f.rule_id)}) “{escape(_snippet(draft, f.start, f.end))}”\n"
                  f"{'':16}{escape(f.message)}{escape(fix)}")
    if result.closest_template:
        con.print(f"[dim]closest approved reply: {result.closest_template.template_id} "
                  f"({result.closest_template.similarity:.0%} similar)[/]")
    for note in notices:
        con.print(f"[dim]note: {escape(note)}[/]")
    if result.result_id:
        con.print(f"[dim]result id: {result.result_id} (replykit feedback dismiss/missed)[/]")


def show_templates(items: list[TemplateInfo]) -> None:
    table = Table("template", "type", "visibility", "required", "review by", "status", header_style="bold", box=None)
    for t in items:
        table.add_row(t.template_id, t.inquiry_type, t.visibility, ", ".join(t.required_variables), t.review_by or "",
                      t.status.replace("_", " ").replace("needs reapproval", "needs re-approval"))
    _console().print(table)
