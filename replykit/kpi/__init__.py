"""Response-time KPIs for team leads (issue #14, part 3): `replykit kpi FILE`.

One module per concept: `source` (reading an export with DuckDB, column mapping, typed times),
`levels` (the service level each reply is measured against), `figures` (first-response figures
and bad rows, computed in SQL), `recheck` (the share of sent replies `check` would block or flag,
in worker processes or on a Dask cluster), `page` (the self-contained HTML page with inline SVG
charts), `results` (the pydantic report, which is the `--json` output).
DuckDB and dask.distributed are the optional extra `kpi`: `pip install 'replykit[kpi]'`.
"""
from __future__ import annotations

from .results import KpiReport

__all__ = ["KpiReport"]
