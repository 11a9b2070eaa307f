"""Templates are written by PR staff, values come from strangers: the sandbox
keeps values literal and refuses anything that reaches Python internals or
would exhaust memory."""
from __future__ import annotations

import pytest

from replykit import PackError, RenderError, ReplyKit
from replykit.render import render_template


@pytest.mark.parametrize("name", ["{{ 7*7 }}", "{% for x in range(10**9) %}x{% endfor %}",
                                  "{{ ''.__class__.__mro__ }}", "{{ config }}", "<script>alert(1)</script>"])
def test_caller_values_are_data_never_template_source(kit, name):
    text = kit.render("praise/public", lang="da", variables={"customer_name": name, "agent_name": "Line"})
    assert name in text
    assert "49" not in text.replace(name, "")


ATTACKS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ request.application.__globals__ }}",
    "{{ '%s' % 'x' * 100000000 }}",
    "{{ 'x' * 100000000 }}",
    "{{ [1] * 100000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{% for i in range(100000000) %}x{% endfor %}",
    "{{ '{0.__class__}'.format('') }}",
    "{{ ''.format_map({}) }}",
    "{% set x = namespace() %}{{ x.__class__.__init__.__globals__ }}",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_injection_attempts_are_refused_or_bounded(source):
    try:
        out = render_template(source, {}, "attack")
    except RenderError as exc:
        assert str(exc).startswith("attack:")
        return
    # Rendered: must be harmless and bounded (no class lists, no globals).
    assert len(out) <= 20_000
    assert "subclasses" not in out and "<class" not in out and "os" not in out.split()


def test_attack_in_a_pack_template_fails_with_a_clear_error(pack_copy):
    path = pack_copy / "templates" / "da" / "praise.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "{{ signature }}"
    assert marker in text
    path.write_text(text.replace(marker, "{{ customer_name.__class__.__mro__ }} " + marker, 1), encoding="utf-8")
    kit = ReplyKit.load(pack_copy / "templates")
    with pytest.raises(RenderError, match="sandbox|unsafe|attribute"):
        kit.render("praise/public", lang="da", samples=True, include_drafts=True)


def test_undeclared_variable_in_template_is_a_load_error(pack_copy):
    path = pack_copy / "templates" / "da" / "praise.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ signature }}", "{{ secret_value }} {{ signature }}", 1), encoding="utf-8")
    with pytest.raises(PackError, match="undeclared variable.*secret_value") as err:
        ReplyKit.load(pack_copy / "templates")
    assert err.value.path.endswith("praise.yaml") and err.value.line


# CVE-2025-27516: jinja2 3.1.5's sandbox let `|attr('format')` reach str.format,
# which walks attributes unchecked: this printed $HOME. Fixed in 3.1.6, our floor.
CVE_2025_27516 = "{{ ('{0.__globals__[jinja2].loaders.os.environ[HOME]}'|attr('format'))(range) }}"


def test_attr_format_cannot_read_the_environment(pack_copy, monkeypatch):
    import os
    import subprocess
    import sys

    secret = "/home/not-for-templates-7d41"
    monkeypatch.setenv("HOME", secret)
    path = pack_copy / "templates" / "da" / "praise.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ signature }}", CVE_2025_27516 + " {{ signature }}", 1), encoding="utf-8")
    kit = ReplyKit.load(pack_copy / "templates")
    with pytest.raises(RenderError, match="sandbox|unsafe") as err:
        kit.render("praise/public", lang="da", samples=True, include_drafts=True)
    assert secret not in str(err.value)
    # The way the issue was found: `replykit render` printing $HOME.
    proc = subprocess.run([sys.executable, "-m", "replykit", "--templates", str(pack_copy / "templates"), "render",
                           "praise/public", "--lang", "da", "--sample", "--drafts"], capture_output=True, text=True,
                          env={**os.environ, "HOME": secret}, timeout=120)
    assert proc.returncode == 2 and secret not in proc.stdout + proc.stderr, (proc.stdout, proc.stderr)


def test_the_jinja2_floor_excludes_versions_with_known_sandbox_escapes():
    import tomllib
    from importlib.metadata import version
    from pathlib import Path

    from packaging.requirements import Requirement

    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    (jinja,) = [Requirement(r) for r in pyproject["project"]["dependencies"] if r.lower().startswith("jinja2")]
    assert not jinja.specifier.contains("3.1.5") and jinja.specifier.contains("3.1.6")
    assert jinja.specifier.contains(version("jinja2"))
