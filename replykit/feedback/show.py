"""`replykit feedback stats` for people: three tables."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .stats import FeedbackStats


def show_stats(stats: FeedbackStats) -> None:
    con = Console(highlight=False, emoji=False)
    if not con.is_terminal:
        con.width = 160  # piped into a file or a mail: whole template ids rather than 80 columns
    results = ", ".join(f"{n} {k}" for k, n in stats.results.items()) or "none"
    feedback = ", ".join(f"{n} {k.replace('_', '-')}" for k, n in stats.feedback.items()) or "none"
    con.print(f"[bold]stored results[/] {results}   [bold]feedback[/] {feedback}")
    rules = Table("rule", "fired", "dismissed", "dismissal rate", title="Rules (false alarms)",
                  title_justify="left", header_style="bold", box=None)
    for r in stats.rules:
        rules.add_row(r.rule_id, str(r.fired), str(r.dismissed), f"{r.dismissal_rate:.0%}")
    replies = Table("reply", "type", "suggested", "picked", "pick rate", "mean edit distance",
                    title="Replies (what agents use)", title_justify="left", header_style="bold", box=None)
    for s in stats.replies:
        dist = "-" if s.mean_edit_distance is None else f"{s.mean_edit_distance:.2f}"
        replies.add_row(s.template_id, s.inquiry_type or "-", str(s.suggested), str(s.picked), f"{s.pick_rate:.0%}",
                        dist)
    types = Table("inquiry type", "recognised", "wrong-type marks", "rate", "corrected to",
                  title="Inquiry types", title_justify="left", header_style="bold", box=None)
    for t in stats.inquiry_types:
        types.add_row(t.inquiry_type, str(t.recognised), str(t.wrong_type), f"{t.wrong_type_rate:.0%}",
                      ", ".join(f"{k} {v}" for k, v in t.corrected_to.items()))
    for table in (rules, replies, types):
        con.print(table if table.row_count else f"[bold]{table.title}[/]: nothing recorded yet")
    if stats.missed:
        con.print("[bold]missed problems[/] " + ", ".join(f"{c} {n}" for c, n in stats.missed.items()))
