"""`make_report`: the export read, the figures computed, the replies re-checked, as one KpiReport."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import figures, source
from .levels import ServiceLevels
from .recheck import KitSpec, check_share
from .results import KpiReport, ServiceLevel


def make_report(path: str | Path, levels: ServiceLevels, *, mapping: dict[str, str] | None = None,
                timezone: str = "UTC", sample: int | None = 10_000, seed: int = 14, check: bool = True,
                workers: int | None = None, dask: str | None = None, spec: KitSpec | None = None,
                kit: Any = None) -> KpiReport:
    """Figures of an export. `sample=None` re-checks every reply; `check=False` none."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    con, rows = source.open_export(path, mapping, timezone)
    duckdb = source.require_duckdb()
    try:
        figures.prepare(con, levels)
        bad = figures.bad_rows(con)
        groups = figures.grouped(con)
        buckets = figures.distribution(con, levels.first_response.total_seconds())
        seconds["response_times"] = time.perf_counter() - start
        share = None
        if check:
            started = time.perf_counter()
            share = check_share(con, spec or KitSpec(), sample=sample, seed=seed, workers=workers, dask=dask,
                                kit=kit)
            seconds["check_share"] = time.perf_counter() - started
    except duckdb.Error as exc:  # e.g. a time column of a type no timestamp can be read from
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
    seconds["total"] = time.perf_counter() - start
    overall = groups["all"][0]
    return KpiReport(
        file=Path(path).name, rows=rows + bad.lines_unreadable, measured=overall.replies, bad_rows=bad,
        timezone=timezone,
        service_level=ServiceLevel(source=levels.source, first_response_s=levels.first_response.total_seconds(),
                                   solution_s=levels.solution.total_seconds(), rules=len(levels.first_by_pair)),
        overall=overall, by_channel=groups["channel"], by_inquiry_type=groups["inquiry_type"],
        by_agent=groups["agent"], by_hour=groups["hour"], distribution=buckets, check=share, seconds=seconds)
