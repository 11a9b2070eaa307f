"""8. proselint as a reference point. (see run.py for what is measured and how)"""
from __future__ import annotations

from typing import Any, Callable

from common import LANGS, Report, fmt, now, summary, timed
from texts import draft_600


def proselint_linter() -> tuple[Callable[[str], Any] | None, str]:
    """proselint's lint function for whichever version is installed."""
    try:
        from importlib.metadata import version

        ver = version("proselint")
    except Exception:  # noqa: BLE001
        return None, "not installed (.venv/bin/pip install proselint)"
    try:  # 0.16+: LintFile(...).lint() over a registry the caller fills
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile

        registry = CheckRegistry()
        if not registry.checks:
            registry.register_many(__register__)
        return (lambda text: LintFile("<bench>", text).lint()), ver
    except ImportError:
        pass
    try:  # up to 0.14
        from proselint.tools import lint

        return lint, ver
    except ImportError as exc:
        return None, f"{ver}: no known API ({exc})"


def bench_proselint(rep: Report, cfg: dict, check_p50: dict[str, float]) -> None:
    """proselint on the same ~600-char drafts, and the replykit/proselint ratio."""
    rep.section("8. proselint on the same drafts (reference point)")
    lint, ver = proselint_linter()
    if lint is None:
        rep.line(f"  proselint: {ver}; skipped")
        rep.data["proselint"] = {"skipped": ver}
        return
    rows, out = [], {}
    for lang in LANGS:
        draft = draft_600(lang)
        t = now()
        results = lint(draft)
        first = now() - t
        s = summary(timed(lambda: lint(draft), cfg["proselint_n"], warmup=3))
        ratio = check_p50[lang] / s["p50_s"]
        out[lang] = {**s, "first_call_s": first, "findings": len(list(results)), "replykit_p50_s": check_p50[lang],
                     "ratio_replykit_over_proselint": ratio}
        rows.append([lang, fmt(check_p50[lang]), fmt(s["p50_s"]), fmt(s["p99_s"]), f"{ratio:.2f}", len(results)])
    rep.table(["lang", "replykit check p50", "proselint p50", "proselint p99", "replykit/proselint",
               "proselint findings"], rows)
    rep.line(f"  proselint {ver}, all default checks; it is English-only, so on these drafts it mostly finds")
    rep.line("  nothing: its time is the cost of running its ~100 regex checks over 600 characters.")
    rep.data["proselint"] = {"version": ver, "per_lang": out}
