"""Section 12 of `make bench`: the render attack suite (tests/test_render_bounds.py).

Each attack is compiled, then rendered once for its time and once under
tracemalloc for its peak memory; every one must end in RenderError. Prints the
worst time and memory, and the bounds the tests hold them to (50 ms, 10 MB).
"""
from __future__ import annotations

import importlib.util
import time
import tracemalloc
from pathlib import Path

SUITE = Path(__file__).resolve().parent.parent / "tests" / "test_render_bounds.py"


def _attacks() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("render_attacks", SUITE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.ATTACKS


def bench_attacks(rep) -> None:  # noqa: ANN001 - bench/run.py's Report
    from replykit.errors import RenderError
    from replykit.render import compile_template, render_template

    rep.section("12. render attacks: worst time and peak memory of the attack suite")
    rows, refused = [], 0
    for name, source in _attacks().items():
        compile_template(source)
        start = time.perf_counter()
        try:
            render_template(source, {}, "attack")
        except RenderError:
            refused += 1
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        try:
            render_template(source, {}, "attack")
        except RenderError:
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((elapsed * 1000, peak / 1e6, name))
    worst_ms = max(rows)
    worst_mb = max(rows, key=lambda r: r[1])
    rep.line(f"  {len(rows)} attacks, {refused} refused with RenderError")
    rep.line(f"  worst time   {worst_ms[0]:6.1f} ms  ({worst_ms[2]})   bound 50 ms")
    rep.line(f"  worst memory {worst_mb[1]:6.2f} MB  ({worst_mb[2]})   bound 10 MB")
    rep.data["attacks"] = {"count": len(rows), "refused": refused, "worst_ms": worst_ms[0],
                           "worst_ms_attack": worst_ms[2], "worst_mb": worst_mb[1], "worst_mb_attack": worst_mb[2]}
