"""replykit benchmark: one entry point, one readable report.

Run:  .venv/bin/python bench/run.py [--quick] [--only N ...]   (or `make bench`)
Each section lives in its own file beside this one; common.py and texts.py are shared.
Writes the printed figures to bench/results/latest.json as well.

What is measured, and how (all timings with time.perf_counter, single thread,
the bundled pack and rules unless said otherwise):

 1. check latency, warm: p50/p99 of `kit.check(draft, lang, channel,
    customer_name, agent_name)` on a ~600-character agent draft per language
    (da, no, nl, ru), once without and once with the customer's post passed
    as `inquiry` (a realistic post per language, the way integrations call
    it), every rule of the pack on (PII, spelling with Hunspell;
    grammar only if a LanguageTool is configured, which the report says).
    Also the first check per language (loads its dictionary) and a
    "new words" figure where the speller's per-word cache is cleared before
    each call (what a draft full of unseen words costs).
 2. suggest latency, warm: p50/p99 of `kit.suggest(post, ...)` over a few
    customer posts per language, once with `lang` given, once detecting it.
 3. batch throughput through the real CLI: `replykit check --jsonl FILE
    --json` and `replykit suggest --jsonl FILE --json` on a generated batch
    (2,400 lines; 400 with --quick; four languages, ~10 % of drafts with a planted problem);
    drafts/s over the whole process and with a 1-line batch's time taken off.
 4. cold CLI wall time (a fresh process each run, subprocess + perf_counter,
    median of N runs): `suggest TEXT --lang da`, `suggest TEXT` (detection),
    `check FILE --lang da`; with an empty pack cache (a fresh
    REPLYKIT_CACHE_DIR every run) and with a warm one.
 5. peak RSS (ru_maxrss of a child process, read with RUSAGE_CHILDREN in a
    small wrapper process) of: bare Python, kit loaded, kit + one check in
    each of the four languages (all spelling dictionaries), + suggest with
    language detection.
 6. growth with pack size: synthetic packs (the bundled templates/ copied to a
    temp dir plus pronounceable pseudo-words as extra trigger phrases and
    extra logical replies with a variant in every language): +1k, +10k,
    +100k trigger phrases, and 10,000 templates + 20,000 trigger phrases.
    Load time (cache off / cache hit), first suggest (builds the language
    model), suggest p50 and check p50 (closest-template search grows with
    the pack).
 7. growth with draft length: check p50 for 150, 600, 2,400, 9,600-character
    drafts per language.
 8. proselint (an English prose linter, pure-Python regexes) on the same
    ~600-character drafts, timed the same way, as a reference point; the
    report prints replykit/proselint ratios. proselint knows no da/no/nl/ru,
    so it is a yardstick for "a regex prose linter per draft", not a rival.

Nothing here asserts on time: it reports. The pack cache of every process
started here lives in a temporary folder, never in ~/.cache/replykit.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

import common
from adversarial import bench_adversarial
from attacks import bench_attacks
from check_latency import bench_check_latency
from cli_batch import bench_cli_throughput
from cli_cold import bench_cli_cold
from common import FULL, QUICK, RESULTS, ROOT, Report, TimeoutCounter, load_kit, now
from draft_length import bench_draft_length
from feedback import bench_feedback
from judgement import bench_judgement
from kpi import bench_kpi
from memory import bench_memory
from pack_growth import bench_pack_growth
from proselint_ref import bench_proselint
from service import bench_service
from suggest_latency import bench_suggest_latency
from triage import bench_triage

# Section keys for --only, in the order they run.
SECTIONS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15")


def machine_info(rep: Report, quick: bool) -> None:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        from importlib.metadata import version

        rk_version = version("replykit")
    except Exception:  # noqa: BLE001
        rk_version = "?"
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    info = {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "platform": platform.platform(),
            "replykit": rk_version, "mode": "quick" if quick else "full",
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "loadavg": list(load) if load else None}
    rep.data["machine"] = info
    rep.line(f"replykit benchmark ({info['mode']})   {info['started']}")
    rep.line(f"  CPU     {cpu}, {os.cpu_count()} cores ({usable} usable), load avg "
             f"{' '.join(f'{x:.2f}' for x in load) if load else '?'}")
    rep.line(f"  Python  {info['implementation']} {info['python']} on {info['platform']}")
    rep.line(f"  replykit {rk_version}, checkout {ROOT}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer iterations, smaller packs: under a minute")
    ap.add_argument("--only", nargs="*", metavar="N", help=f"run only these sections ({', '.join(SECTIONS)})")
    args = ap.parse_args()
    cfg = QUICK if args.quick else FULL
    only = set(args.only or SECTIONS)
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))} (known: {', '.join(SECTIONS)})")
    rep = Report()
    t0 = now()
    machine_info(rep, args.quick)
    rep.data["config"] = {k: (v if not isinstance(v, dict) else {str(a): b for a, b in v.items()})
                          for k, v in cfg.items()}
    tmp = Path(tempfile.mkdtemp(prefix="replykit-bench-"))
    cache_dir = tmp / "cache"
    os.environ["REPLYKIT_CACHE_DIR"] = str(cache_dir)  # keep ~/.cache/replykit out of it
    common.TIMEOUTS = TimeoutCounter()
    try:
        kit = load_kit()
        check_p50: dict[str, float] = {}
        if "1" in only or "8" in only:
            check_p50 = bench_check_latency(rep, kit, cfg)
        if "2" in only:
            bench_suggest_latency(rep, kit, cfg)
        if "3" in only:
            bench_cli_throughput(rep, cfg, tmp, cache_dir)
        if "4" in only:
            bench_cli_cold(rep, cfg, tmp)
        if "5" in only:
            bench_memory(rep, tmp, cache_dir)
        if "6" in only:
            bench_pack_growth(rep, cfg, tmp)
        if "7" in only:
            bench_draft_length(rep, kit, cfg)
        if "8" in only:
            bench_proselint(rep, cfg, check_p50)
        if "9" in only:
            bench_judgement(rep, kit, cfg)
        if "10" in only:
            bench_service(rep, kit, cfg)
        if "11" in only:
            bench_adversarial(rep, kit)
        if "12" in only:
            bench_attacks(rep)
        if "13" in only:
            bench_feedback(rep, kit, cfg)
        if "14" in only:
            bench_triage(rep, kit)
        if "15" in only:
            bench_kpi(rep, cfg, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rep.end_section()
    total = now() - t0
    rep.data["total_s"] = total
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rep.data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    rep.line(f"\ntotal {total:.0f} s; figures also in {RESULTS.relative_to(ROOT)}")
    rep.line("(a load average above the core count, or a section on CPU well under 100 %, means other work")
    rep.line(" shared the machine: its figures are then upper bounds)")


if __name__ == "__main__":
    main()
