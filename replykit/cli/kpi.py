"""`replykit kpi FILE`: response-time figures and the check share of sent replies, for team leads."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .base import _fail, _state, app, kit


@app.command()
def kpi(
    file: Path = typer.Argument(..., help="Export of handled conversations: .csv, .jsonl or .parquet."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    html: Optional[Path] = typer.Option(None, "--html", help="Write the self-contained HTML page here."),
    column: Optional[List[str]] = typer.Option(None, "--column", help="NAME=THEIRS: read NAME from the "
                                               "export's column THEIRS (e.g. post_time=created_at); repeatable."),
    sample: int = typer.Option(10_000, "--sample", help="Re-check a seeded random sample of N replies; "
                               "0: none, -1: every reply."),
    seed: int = typer.Option(14, "--seed", help="Seed of the --sample."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes for re-checking "
                                          "(default: one per core)."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Re-check on the Dask cluster at this "
                                       "scheduler address (tcp://host:port)."),
    sla_first: Optional[str] = typer.Option(None, "--sla-first", help="First-response level (30m, 1h, ...); "
                                            "default: the pack's triage service levels, else 1h."),
    sla_solution: Optional[str] = typer.Option(None, "--sla-solution", help="Solution level; default the "
                                               "pack's, else 24h."),
    timezone: str = typer.Option("UTC", "--timezone", help="Zone of hours and days (and of times written "
                                 "without an offset), e.g. Europe/Copenhagen."),
) -> None:
    """Response times (median, p90, share within the service level) per channel, type, agent and hour,
    and the share of sent replies that check would block or flag."""
    from ..kpi import levels as service_levels
    from ..kpi.recheck import KitSpec
    from ..kpi.report import make_report
    from ..kpi.source import parse_mapping, require_duckdb

    require_duckdb()  # the one-line install hint before anything else
    if workers is not None and workers < 1:
        _fail(f"--workers {workers}: must be at least 1")
    if sample < -1:
        _fail(f"--sample {sample}: give N >= 1, 0 for none or -1 for every reply")
    levels = service_levels.resolve(kit, sla_first, sla_solution)
    templates, rules = _state.get("templates"), _state.get("rules")
    spec = KitSpec(templates=str(templates) if templates else None, rules=str(rules) if rules else None,
                   languagetool_url=_state.get("languagetool_url"))
    report = make_report(file, levels, mapping=parse_mapping(column), timezone=timezone,
                         sample=None if sample == -1 else sample, seed=seed, check=sample != 0,
                         workers=workers, dask=dask, spec=spec,
                         kit=kit() if workers == 1 and not dask and sample != 0 else None)
    if html is not None:
        from ..kpi.page import build_page

        try:
            html.write_text(build_page(report), encoding="utf-8")
        except OSError as exc:
            _fail(f"{html}: cannot write ({exc.strerror})")
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        from ..kpi.table import print_report

        print_report(report, html)
