"""4. cold CLI wall time. (see run.py for what is measured and how)"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

from common import Report, base_env, cli_path, fmt, run
from texts import CLI_POST, draft_600


def bench_cli_cold(rep: Report, cfg: dict, tmp: Path) -> None:
    """Wall time of fresh CLI processes, pack cache empty vs primed."""
    rep.section(f"4. cold CLI wall time (fresh process each run, median of {cfg['cli_runs']})", in_process=False)
    cli = cli_path()
    draft_file = tmp / "draft-da.txt"
    draft_file.write_text(draft_600("da"), encoding="utf-8")
    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "replykit --version": [cli, "--version"],
        "suggest TEXT --lang da": [cli, "suggest", CLI_POST, "--lang", "da"],
        "suggest TEXT (detect)": [cli, "suggest", CLI_POST],
        "check FILE --lang da": [cli, "check", str(draft_file), "--lang", "da"],
    }
    warm_dir = tmp / "cli-warm-cache"
    rows, out = [], {}
    for name, cmd in commands.items():
        res: dict[str, Any] = {}
        for mode in ("cold cache", "warm cache"):
            if name.startswith(("python", "replykit --")) and mode == "cold cache":
                continue
            walls = []
            if mode == "warm cache":
                run(cmd, base_env(warm_dir))  # prime
            for i in range(cfg["cli_runs"]):
                cache = tmp / f"cli-cold-{len(out)}-{i}" if mode == "cold cache" else warm_dir
                wall, proc = run(cmd, base_env(cache))
                if proc.returncode not in (0, 1):
                    rep.line(f"  ! {name}: exit {proc.returncode}: {proc.stderr.strip()[:200]}")
                walls.append(wall)
            res[mode] = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                         "runs": walls}
        out[name] = res
        rows.append([name, fmt(res.get("cold cache", {}).get("median_s")), fmt(res["warm cache"]["median_s"]),
                     fmt(res["warm cache"]["min_s"]), fmt(res["warm cache"]["max_s"])])
    rep.table(["command", "cold cache", "warm cache", "warm min", "warm max"], rows)
    rep.line("  cold cache: REPLYKIT_CACHE_DIR is a new empty folder every run (pack parsed and validated);")
    rep.line("  warm cache: a folder primed once. The OS file cache is warm in both.")
    rep.data["cli_cold"] = {"runs": cfg["cli_runs"], "post": CLI_POST, "commands": out}
