"""The triage queue as a table for a team lead's terminal."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..triage.results import TriageResult


def show_triage(result: TriageResult, errors: list[dict]) -> None:
    con = Console()
    for storm in result.storms:
        con.print(f"[bold red]STORM {storm.cluster}[/] {storm.notice}")
    table = Table(show_lines=False)
    for col in ("#", "id", "due", "prio", "lang", "type", "escalation", "team", "answer", "cluster", "flags"):
        table.add_column(col)
    for n, it in enumerate(result.items, 1):
        flags = []
        if it.exposes_personal_data:
            flags.append("[red]personal data: hide, answer privately[/]")
        if it.overdue:
            flags.append("[red]overdue[/]")
        if it.reply is not None:
            flags.append(f"reply {it.reply.template_id}#{it.reply.wording}")
        cluster = (it.cluster or "") + (" storm" if it.storm else "") + (
            f"(~{it.related_cluster})" if it.related_cluster else "")
        table.add_row(str(n), it.id, it.due_first_response.strftime("%Y-%m-%d %H:%M"), str(it.priority), it.lang,
                      it.type or "-", ", ".join(it.escalation) or "-", it.route, f"{it.answer} ({it.answer_where})",
                      cluster or "-", "; ".join(flags))
    con.print(table)
    for error in errors:
        where = f" {error['id']}" if error.get("id") else ""
        Console(stderr=True).print(f"[red]error[/]{where}: {error['error']}")
