"""Every render has a bounded cost: each resource attack of issue #15 (and the
constant-folding bombs) fails fast with RenderError naming the template, when
the pack is loaded, linted and rendered.

The time and memory bounds (50 ms, 10 MB) are about 100x what a refused attack
costs here; before the budget these attacks took seconds to minutes and
gigabytes, or never ended.
"""
from __future__ import annotations

import time
import tracemalloc

import pytest

from replykit import RenderError, ReplyKit
from replykit.lint import lint_pack
from replykit.render import compile_template, render_template, template_variables

ATTACKS = {
    "center": "{{ 'x'|center(30000000) }}",
    "printf width": "{{ '%30000000s' % 'x' }}",
    "printf star width": "{{ '%*s' % (30000000, 'x') }}",
    "format filter": "{{ '%030000000d'|format(1) }}",
    "str.format width": "{{ '{:>30000000}'.format('x') }}",
    "str.format nested width": "{{ '{:{w}}'.format('x', w=30000000) }}",
    "ljust": "{{ 'x'.ljust(30000000) }}",
    "zfill": "{{ 'x'.zfill(30000000) }}",
    "indent": "{{ ('x\\n' * 10000)|indent(20000) }}",
    "wordwrap": "{{ ('x' * 20000)|wordwrap(1, wrapstring='y' * 20000) }}",
    "truncate": "{{ 'x'|truncate(99999999) }}",
    "replace": "{{ ('x' * 20000)|replace('x', 'y' * 20000) }}",
    "join": "{{ (['x' * 20000] * 10000)|join }}",
    "str.join": "{{ 'y'.join(['x' * 20000] * 10000) }}",
    "nested loops": "{% for i in range(10000) %}{% for j in range(300) %}{% endfor %}{% endfor %}",
    "set block in a loop": "{% set s %}{% for i in range(10000) %}{{ 'x' * 20000 }}{% endfor %}{% endset %}"
                           "{{ s|length }}",
    "doubling macro": "{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "wide shallow macro": "{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}"
                          "{{ f(20) }}",
    "batch fold": "{{ ([1]|batch(999999999, 0)|list)|length }}",
    "slice fold": "{{ [1, 2]|slice(99999999)|list|length }}",
    "power tower": "{{ ((10**64)**64)**64 }}",
    "tilde doubling": "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 14 + "{{ a|length }}",
    "tilde macro doubling": "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
                            "{% endmacro %}{{ d('x', 40) }}",
    "filter block": "{% filter center(30000000) %}x{% endfilter %}",
    "to_bytes": "{{ (10).to_bytes(100000000, 'big') }}",
    "list of large strings": "{{ ['x' * 20000] * 10000 }}",
}


def _outcome(work) -> object:
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - the outcome is asserted by the caller
        return exc


def _measure(work, before=lambda: None) -> tuple[float, int, object]:
    """Time of one run, then peak memory of another (tracemalloc slows Python down several times)."""
    before()
    start = time.perf_counter()
    outcome = _outcome(work)
    elapsed = time.perf_counter() - start
    before()
    tracemalloc.start()
    _outcome(work)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak, outcome


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_fails_fast_with_render_error_naming_the_template(name):
    source = ATTACKS[name]
    compile_template(source)  # compile outside the measure: the import of Jinja's code is not the attack
    elapsed, peak, outcome = _measure(lambda: render_template(source, {}, "da/praise/public"))
    assert isinstance(outcome, RenderError), outcome
    assert str(outcome).startswith("da/praise/public: ")
    assert elapsed < 0.05, f"{name}: {elapsed * 1000:.0f} ms"
    assert peak < 10_000_000, f"{name}: {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("name", ["batch fold", "slice fold", "power tower", "tilde doubling", "center"])
def test_loading_a_template_never_evaluates_it(name):
    # What load does with every template (its variables) and what the first render does (compile):
    # Jinja folds constant expressions while compiling, outside the sandbox; that is switched off.
    source = ATTACKS[name]
    elapsed, peak, outcome = _measure(lambda: (template_variables(source), compile_template(source)),
                                      before=compile_template.cache_clear)
    assert not isinstance(outcome, BaseException), outcome
    assert elapsed < 0.05 and peak < 10_000_000


def test_ordinary_templates_render_as_before():
    source = ("{% for x in items %}{{ x|upper }}{% if not loop.last %}, {% endif %}{% endfor %}: "
              "{{ '%05.1f'|format(3.14159) }} {{ 'a' ~ 'b' }} {{ 2 ** 10 }} {{ '{:>4}'.format('x') }}")
    assert render_template(source, {"items": ["a", "b"]}, "t") == "A, B: 003.1 ab 1024 x"


def test_the_output_cap_stops_the_stream():
    source = "{% for i in range(5000) %}" + "y" * 5 + "{% endfor %}"
    with pytest.raises(RenderError, match="longer than 20000"):
        render_template(source, {}, "t")


@pytest.mark.slow
def test_a_pack_with_bombs_loads_lints_checks_and_suggests(pack_copy):
    folder = pack_copy / "templates" / "da"
    bombs = {"praise.yaml": ATTACKS["batch fold"], "outage.yaml": ATTACKS["slice fold"],
             "billing.yaml": ATTACKS["power tower"]}
    for file, bomb in bombs.items():
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert "{{ signature }}" in text
        path.write_text(text.replace("{{ signature }}", bomb + " {{ signature }}"), encoding="utf-8")
    kit = ReplyKit.load(pack_copy / "templates")
    with pytest.raises(RenderError, match="da/praise/public: refused by the sandbox"):
        kit.render("praise/public", lang="da", samples=True, include_drafts=True)
    # The first check renders every variant for the closest-template search: bad ones are skipped.
    result = kit.check("Tak for din besked. Hilsen Sofie", lang="da", channel="facebook")
    assert result.verdict in {"ok", "revise", "blocked"}
    assert any("left out" in n and "could not be rendered" in n for n in result.notices), result.notices
    suggested = kit.suggest("Mit net er nede igen!!", lang="da",
                            variables={"customer_name": "Peter", "agent_name": "Sofie"})
    assert suggested.lang == "da"
    report = lint_pack(pack_copy / "templates", langs=["da"])
    refused = {p.path.rsplit("/", 1)[-1] for p in report.problems if p.code == "render" and "sandbox" in p.message}
    assert refused >= set(bombs)
