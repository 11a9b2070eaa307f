"""14. replykit kpi on a synthetic export of 1,000,000 replies (what is measured and how: here).

The export (bench/kpi_data.py: storms, night gaps, channels, languages, agents, reply texts) is
written as Parquet and CSV; then fresh `replykit kpi` processes: the response-time figures alone
(--sample 0) from each format, and the whole report from Parquet with the check share on a
10,000-reply sample in worker processes (one per core) and the HTML page. Wall time of each
process, the stages it reports itself, and the CPU time of the process and its workers.
Target: <= 60 s for the response-time figures of a million replies with the 10,000-reply sample.
"""
from __future__ import annotations

import json
import resource
from pathlib import Path
from typing import Any

from common import FULL, Report, base_env, cli_path, now, run
from kpi_data import generate


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_kpi(rep: Report, cfg: dict, tmp: Path) -> None:
    rows, sample = (1_000_000, 10_000) if cfg is FULL else (100_000, 1_000)
    rep.section(f"14. replykit kpi: {rows:,} replies, check share on a {sample:,}-reply sample", in_process=False)
    folder = tmp / "kpi"
    start = now()
    paths = generate(folder, rows)
    rep.line(f"  export generated in {now() - start:.1f} s: "
             + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.0f} MB" for p in paths.values()))
    cli = cli_path()
    runs = {
        "Parquet, response times only": [cli, "kpi", str(paths["parquet"]), "--json", "--sample", "0"],
        "CSV, response times only": [cli, "kpi", str(paths["csv"]), "--json", "--sample", "0"],
        f"Parquet, + check share ({sample:,} sample) + HTML": [
            cli, "kpi", str(paths["parquet"]), "--json", "--sample", str(sample), "--html", str(folder / "kpi.html")],
    }
    table, out = [], {}
    for name, cmd in runs.items():
        cpu0 = _children_cpu()
        wall, proc = run(cmd, base_env(tmp / "cache"))
        cpu = _children_cpu() - cpu0
        if proc.returncode != 0:
            rep.line(f"  ! {name}: exit {proc.returncode}: {proc.stderr.strip()[:200]}")
            continue
        report: dict[str, Any] = json.loads(proc.stdout)
        seconds = report["seconds"]
        check = report.get("check") or {}
        out[name] = {"wall_s": wall, "cpu_s": cpu, "stages_s": seconds, "measured": report["measured"],
                     "bad_rows": report["bad_rows"]["total"], "median_s": report["overall"]["median_s"],
                     "blocked_share": check.get("blocked_share"), "revise_share": check.get("revise_share")}
        table.append([name, f"{wall:.1f} s", f"{seconds['response_times']:.1f} s",
                      f"{seconds['check_share']:.1f} s" if "check_share" in seconds else "-", f"{cpu:.1f} s",
                      "met" if wall <= 60 else "NOT met"])
    rep.table(["run (fresh process)", "wall", "response times", "check share", "CPU incl. workers", "<= 60 s"],
              table)
    if out:
        first = next(iter(out.values()))
        rep.line(f"  {first['measured']:,} replies measured, {first['bad_rows']:,} bad rows, "
                 f"median first response {first['median_s'] / 60:.0f} min")
    rep.data["sections"].setdefault("14", {}).update(rows=rows, sample=sample, runs=out)
