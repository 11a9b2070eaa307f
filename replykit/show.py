"""Output for people: colour where the terminal has it, the draft with spans marked."""
from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .results import CheckResult, SuggestResult, TemplateInfo

_STYLE = {"error": "bold white on red", "warning": "black on yellow", "suggestion": "underline cyan"}
_VERDICT = {"ok": "bold green", "revise": "bold yellow", "blocked": "bold red"}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False, emoji=False)


def show_suggest(result: SuggestResult) -> None:
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
        con.print(f"[bold red]escalate[/] {flag.flag}: “{flag.evidence}”")
    for i, s in enumerate(result.suggestions, 1):
        title = f"{i}. {s.template_id}  ({s.visibility}, score {s.score:.2f})"
        if not s.approved:
            title += "  DRAFT: not approved"
        if s.missing_variables:
            title += f"  missing: {', '.join(s.missing_variables)}"
        con.print(Panel(Text(s.text), title=Text(title), title_align="left"))
    for note in result.notices:
        con.print(f"[dim]note: {note}[/]")


def show_check(draft: str, result: CheckResult) -> None:
    con = _console()
    con.print(f"[{_VERDICT.get(result.verdict, 'bold')}]{result.verdict.upper()}[/]  "
              f"lang {result.lang}, channel {result.channel or '-'}  "
              + "  ".join(f"{k} {v:.2f}" for k, v in result.scores.items()))
    marked = Text(draft)
    for f in sorted(result.findings, key=lambda f: {"suggestion": 0, "warning": 1, "error": 2}[f.severity]):
        if f.end > f.start and (f.end - f.start) < len(draft) or len(draft) < 40:
            marked.stylize(_STYLE.get(f.severity, "underline"), f.start, f.end)
    con.print(Panel(marked, title="draft", title_align="left"))
    for f in result.findings:
        snippet = draft[f.start:f.end].replace("\n", " ")
        if len(snippet) > 50:
            snippet = snippet[:47] + "…"
        fix = f"  → {' / '.join(f.replacements)}" if f.replacements else ""
        con.print(f"[{_STYLE.get(f.severity, 'bold')}]{f.severity:10}[/] {f.start:>4}-{f.end:<4} "
                  f"[bold]{f.category}[/] ({f.rule_id}) “{snippet}”\n{'':16}{f.message}{fix}")
    if result.closest_template:
        con.print(f"[dim]closest approved reply: {result.closest_template.template_id} "
                  f"({result.closest_template.similarity:.0%} similar)[/]")
    for note in result.notices:
        con.print(f"[dim]note: {note}[/]")


def show_templates(items: list[TemplateInfo]) -> None:
    table = Table("template", "type", "visibility", "required", "review by", "status", header_style="bold", box=None)
    for t in items:
        table.add_row(t.template_id, t.inquiry_type, t.visibility, ", ".join(t.required_variables), t.review_by or "",
                      t.status.replace("_", " ").replace("needs reapproval", "needs re-approval"))
    _console().print(table)
