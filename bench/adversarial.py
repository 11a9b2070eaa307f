"""Section 11 of `make bench`: the 10,000-character adversarial suite.

Drafts built to make a checker do super-linear work (tests/data/adversarial/generate.py: long compounds,
one 10,000-character word, a promise repeated 500 times, dotted capital İ, digit soup, a hyphenated URL
with a Dutch address, mixed scripts, ...) are checked the way integrations call `check` (with the
customer's post as inquiry, names, a public channel). Each draft is timed 3 times after one warm-up call;
its median counts. The suite runs twice: as a fresh in-process kit runs, and with the heap frozen
(replykit/runtime.py) as `replykit serve` and the batch workers run. Reports the slowest draft
(target: under 50 ms on the 2-core reference machine) and the five slowest. Nothing is asserted:
a machine shared with other work gives upper bounds.
"""
from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

from replykit.runtime import freeze_heap, thaw_heap

GENERATOR = Path(__file__).resolve().parent.parent / "tests" / "data" / "adversarial" / "generate.py"
TARGET_MS = 50.0


def adversarial_requests() -> list[dict[str, str]]:
    spec = importlib.util.spec_from_file_location("adversarial_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.requests()


def bench_adversarial(rep, kit, only: list[str] | None = None) -> None:  # noqa: ANN001 - Report and ReplyKit
    if only and "11" not in only:
        return
    rep.section("11. adversarial drafts: 10,000 characters built for super-linear work")
    suite = adversarial_requests()
    requests = [{k: v for k, v in req.items() if k not in ("id", "kind")} for req in suite]
    ids = [req["id"] for req in suite]
    for kw in requests:
        kit.check(**kw)  # warm-up: first sight of its words (spelling cache), lazy rule compilation
    figures = {}
    # Twice: as a fresh in-process kit runs, then with the heap frozen as `replykit serve` and the batch
    # workers run (replykit/runtime.py: full garbage collections no longer walk the loaded pack).
    for mode in ("plain", "frozen"):
        if mode == "frozen":
            freeze_heap()
        rows = []
        for rid, kw in zip(ids, requests, strict=True):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                result = kit.check(**kw)
                times.append(time.perf_counter() - start)
            rows.append((statistics.median(times) * 1000, rid, result.verdict, len(result.findings)))
        rows.sort(reverse=True)
        worst = rows[0]
        rep.line(f"  {mode:6s}: {len(rows)} drafts; slowest {worst[0]:.1f} ms ({worst[1]}); median "
                 f"{statistics.median(r[0] for r in rows):.1f} ms; target < {TARGET_MS:.0f} ms per draft: "
                 f"{'met' if worst[0] < TARGET_MS else 'NOT met'}")
        rep.table(["draft", "ms", "verdict", "findings"], [[r[1], f"{r[0]:.1f}", r[2], r[3]] for r in rows[:5]])
        figures[mode] = {"drafts": len(rows), "slowest_ms": worst[0], "slowest": worst[1],
                         "median_ms": statistics.median(r[0] for r in rows),
                         "top5": [{"id": r[1], "ms": r[0]} for r in rows[:5]]}
    thaw_heap()
    rep.data["adversarial"] = figures
