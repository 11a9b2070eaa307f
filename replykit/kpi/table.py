"""The KPI report as rich tables on the terminal (plain text when piped)."""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from .page import _share, duration
from .results import Figures, KpiReport

TOP = 15  # rows per group on the terminal; --json and --html have them all


def _figures_table(title: str, rows: list[Figures]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    for name, justify in (("", "left"), ("replies", "right"), ("median", "right"), ("p90", "right"),
                          ("within level", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for f in rows[:TOP]:
        table.add_row(f.key, f"{f.replies:,}", duration(f.median_s), duration(f.p90_s), _share(f.within_level))
    if len(rows) > TOP:
        table.add_row(f"… {len(rows) - TOP} more", "", "", "", "")
    return table


def print_report(report: KpiReport, html: Path | None = None) -> None:
    console = Console(highlight=False)
    o, level, bad = report.overall, report.service_level, report.bad_rows
    source = "pack service levels" if level.source == "pack" else "--sla-first/--sla-solution"
    console.print(f"[bold]{report.file}[/]: {report.rows:,} rows, {report.measured:,} measured, "
                  f"{bad.total:,} bad ({bad.lines_unreadable:,} lines unreadable, "
                  f"{bad.post_time_unreadable:,} post time unreadable, "
                  f"{bad.reply_time_unreadable:,} reply time unreadable or missing, "
                  f"{bad.reply_before_post:,} reply before post)")
    console.print(f"first response: median {duration(o.median_s)}, p90 {duration(o.p90_s)}, "
                  f"{_share(o.within_level)} within the level of {duration(level.first_response_s)} "
                  f"({source}; times in {report.timezone})")
    for title, rows in (("by channel", report.by_channel), ("by inquiry type", report.by_inquiry_type),
                        ("by agent", report.by_agent), ("by hour of day (post)", report.by_hour)):
        console.print(_figures_table(title, rows if title != "by hour of day (post)" else
                                     [h for h in rows if h.replies]))
    check = report.check
    if check is None:
        console.print("check share: not re-checked (--sample 0)")
    else:
        what = (f"a random sample of {check.checked:,} of {check.rows_with_text:,} replies (seed {check.seed})"
                if check.sample is not None else f"every reply ({check.checked:,})")
        console.print(f"check share on {what}, {check.runner}: blocked {_share(check.blocked_share)}, "
                      f"to revise {_share(check.revise_share)}"
                      + (f", {check.unchecked:,} not checkable" if check.unchecked else ""))
        table = Table(title="findings by category", title_justify="left", show_edge=False)
        table.add_column("category")
        table.add_column("replies", justify="right")
        table.add_column("share", justify="right")
        for c in check.categories:
            table.add_row(c.category, f"{c.replies:,}", _share(c.share))
        console.print(table)
    timing = ", ".join(f"{k.replace('_', ' ')} {v:.1f} s" for k, v in report.seconds.items())
    console.print(f"[dim]{timing}[/]" + (f"\nHTML page: {html}" if html else ""))
