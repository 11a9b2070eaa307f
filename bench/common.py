"""What every benchmark section shares: settings, timing, the report, running the CLI."""
from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from texts import NAMES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
LANGS = ("da", "no", "nl", "ru")
INQUIRY_TYPES = ("outage", "technical_issue", "billing", "product_question", "order_request", "complaint",
                 "criticism", "praise", "idea", "callback_request", "provocation")

# Iteration counts; a timed loop also stops once it has used its `budget_s` (after at least 20 calls),
# so a slow build of replykit still finishes in about the same time.
FULL = dict(check_n=1500, newword_n=60, suggest_n=1500, batch_lines=2400, batch_runs=3, cli_runs=7,
            length_n={150: 1000, 600: 500, 2400: 150, 9600: 40}, proselint_n=300, growth_n=300,
            growth_packs=("1k", "10k", "100k", "10k-templates"), budget_s=10.0)
QUICK = dict(check_n=150, newword_n=15, suggest_n=150, batch_lines=400, batch_runs=1, cli_runs=2,
             length_n={150: 60, 600: 30, 2400: 10, 9600: 3}, proselint_n=40, growth_n=30,
             growth_packs=("1k", "10k-templates"), budget_s=1.5)


def now() -> float:
    return time.perf_counter()


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"n": len(samples), "p50_s": pct(samples, 50), "p99_s": pct(samples, 99),
            "mean_s": statistics.fmean(samples), "min_s": min(samples)}


def timed(fn: Callable[[], Any], n: int, warmup: int = 5, budget_s: float | None = None) -> list[float]:
    """n timed calls after `warmup` untimed ones; stops early once `budget_s` is spent (>= 20 calls)."""
    for _ in range(warmup):
        fn()
    out: list[float] = []
    start = now()
    for _ in range(n):
        t = now()
        fn()
        out.append(now() - t)
        if budget_s is not None and len(out) >= 20 and now() - start > budget_s:
            break
    return out


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_mb(kib: int) -> str:
    return f"{kib / 1024:.0f} MB"


class Report:
    """Prints as it goes; collects the same figures for latest.json."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {"sections": {}}
        self._open: tuple[str, float, float, bool] | None = None

    def section(self, title: str, in_process: bool = True) -> None:
        """Start a section; the previous one ends with its wall time and the machine's load."""
        self.end_section()
        self._open = (title, now(), time.process_time(), in_process)
        print(f"\n== {title} " + "=" * max(0, 72 - len(title)), flush=True)

    def end_section(self) -> None:
        if self._open is None:
            return
        title, wall0, cpu0, in_process = self._open
        wall, cpu = now() - wall0, time.process_time() - cpu0
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        share = f", on CPU {cpu / wall:.0%} of it" if in_process and wall > 0 else ""
        print(f"  [{wall:.1f} s wall{share}; load avg {load:.2f}]", flush=True)
        self.data["sections"][title.split(".")[0]] = {"wall_s": wall, "cpu_s": cpu, "loadavg_1m": load}
        self._open = None

    def line(self, text: str = "") -> None:
        print(text, flush=True)

    def table(self, header: list[str], rows: list[list[Any]]) -> None:
        cells = [header] + [[str(c) for c in r] for r in rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
        for k, r in enumerate(cells):
            padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            print("  " + "  ".join(padded))
            if k == 0:
                print("  " + "  ".join("-" * w for w in widths))
        sys.stdout.flush()


def cli_path() -> str:
    beside = Path(sys.executable).parent / "replykit"
    return str(beside) if beside.exists() else (shutil.which("replykit") or "replykit")


def base_env(cache_dir: str | Path) -> dict[str, str]:
    env = dict(os.environ)
    env["REPLYKIT_CACHE_DIR"] = str(cache_dir)
    env.pop("REPLYKIT_NO_CACHE", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t = now()
    proc = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True)
    return now() - t, proc


def load_kit(templates: str | Path | None = None, tries: int = 8):
    """ReplyKit.load(), retried: the bundled pack may be mid-edit for a moment."""
    from replykit import ReplyKit

    for attempt in range(tries):
        try:
            return ReplyKit.load(templates)
        except Exception as exc:  # noqa: BLE001 - report and retry
            if attempt == tries - 1:
                raise
            print(f"  (pack did not load: {type(exc).__name__}: {str(exc)[:120]}; retrying)", flush=True)
            time.sleep(3)
    raise AssertionError("unreachable")


def clear_word_caches(kit) -> bool:  # noqa: ANN001
    """Forget the kit speller's per-word verdicts (internal caches; False if they are not there)."""
    try:
        speller = kit._loaded.rules.detectors["spelling"]
        for cache in (speller._checked, speller._suggested, speller._good):
            cache.clear()
        return True
    except Exception:  # noqa: BLE001
        return False


class TimeoutCounter:
    """Counts replykit's "rule ... was cut short" warnings instead of printing them."""

    def __init__(self) -> None:
        import logging

        self.counts: dict[str, int] = {}
        counter = self

        class Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                key = str(record.args[0]) if record.args else record.getMessage()
                counter.counts[key] = counter.counts.get(key, 0) + 1

        log = logging.getLogger("replykit.check")
        log.addHandler(Handler())
        log.propagate = False

    def take(self) -> dict[str, int]:
        out, self.counts = self.counts, {}
        return out


TIMEOUTS: TimeoutCounter | None = None


def timeouts_line(rep: Report, what: str) -> dict[str, int]:
    counts = TIMEOUTS.take() if TIMEOUTS else {}
    if counts:
        rep.line(f"  ! rules that could not run (internal.* findings: timeout, detector error) during {what}: "
                 + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
                 + " (each gives a fail-closed finding, so the verdict of a clean draft is not 'ok')")
    return counts


def rule_costs(kit, lang: str, draft: str, repeat: int = 15) -> list[tuple[float, str]]:
    """Median time of each rule of `lang` on `draft` (internal API; [] if it has changed)."""
    try:
        from collections import defaultdict

        from replykit.check.engine import make_context

        c, a = NAMES[lang]
        lang_rules = kit._loaded.rules.for_lang(lang)
        ctx = make_context(draft, lang, "facebook", customer_name=c, agent_name=a)
        if ctx.lowered is not None and hasattr(lang_rules, "prefilter"):
            ctx.present = lang_rules.prefilter.present(ctx.lowered)  # as the engine does
            if hasattr(lang_rules, "choice"):
                ctx.runnable = lang_rules.choice.select(ctx.present)
        per_rule: dict[int, list] = defaultdict(list)
        for m in lang_rules.phrases.finditer(ctx.tokens):
            ri, pi = m.payload
            per_rule[ri].append(type(m)(pi, m.first, m.last, m.start, m.end))
        costs = []
        for i, rule in enumerate(lang_rules.rules):
            if not rule.applies(ctx):
                continue
            samples = []
            for _ in range(repeat):
                t = now()
                try:
                    if not (rule.unless and rule.silenced(ctx)):
                        rule.run(rule, ctx, per_rule.get(i, []))
                except Exception:  # noqa: BLE001 - a timeout still costs its time
                    pass
                samples.append(now() - t)
            costs.append((statistics.median(samples), rule.id))
        return sorted(costs, reverse=True)
    except Exception:  # noqa: BLE001
        return []


def check_kwargs(lang: str) -> dict[str, str]:
    c, a = NAMES[lang]
    return {"lang": lang, "channel": "facebook", "customer_name": c, "agent_name": a}
