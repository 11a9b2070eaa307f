"""`replykit lint` finds each kind of problem, one deliberately broken pack per kind."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from replykit.lint import lint_pack

# Lint judges review dates against a pinned day: a test must not start failing on a date.
LINT_DAY = dt.date(2026, 12, 6)


def _lint(pack: Path, **kw):
    kw.setdefault("today", LINT_DAY)
    return lint_pack(pack / "templates", pack / "rules", **kw)


def _codes(report) -> set[str]:
    return {p.code for p in report.problems}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append_reply(pack: Path, block: str) -> None:
    with (pack / "templates" / "replies.yaml").open("a", encoding="utf-8") as fh:
        fh.write(block)


def _variant_block(path: Path, reply_id: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  {reply_id}:")
    rest = text[start + 1:]
    nxt = re.search(r"^  \S", rest, re.M)
    return text[start: start + 1 + nxt.start()] if nxt else text[start:]


def test_bundled_pack_is_clean():
    report = lint_pack(today=LINT_DAY)
    assert report.exit_code == 0, [f"{p.where} {p.code} {p.message}" for p in report.problems][:10]
    assert report.checked_templates >= 88 and report.checked_rules >= 50


def test_schema_error_names_file_and_line(pack_copy):
    path = pack_copy / "templates" / "da" / "praise.yaml"
    _edit(path, "inquiry_type: praise", "inquiry_type: praise\nrecogniton: {}")
    report = _lint(pack_copy)
    problem = report.problems[0]
    assert problem.code == "schema" and problem.path == str(path) and problem.line == 2
    assert report.exit_code == 1


def test_unusable_input_exits_2(tmp_path):
    report = lint_pack(tmp_path / "missing")
    assert report.exit_code in (1, 2) and report.problems


def test_template_that_breaks_the_brands_rules(pack_copy):
    _edit(pack_copy / "templates" / "da" / "outage.yaml", "{{ signature }}",
          "Ring til mig på 22 33 44 55. {{ signature }}")
    report = _lint(pack_copy, langs=["da"])
    hits = [p for p in report.problems if p.code == "template-check"]
    assert any("forbidden.personal_data" in h.message for h in hits) and all(h.line for h in hits)


def test_missing_translation_and_coverage_hole(pack_copy):
    path = pack_copy / "templates" / "nl" / "idea.yaml"
    _edit(path, _variant_block(path, "idea/public"), "")
    report = _lint(pack_copy)
    assert {"parity", "coverage"} <= _codes(report)
    assert report.coverage["idea"]["nl"]["public"] == 0


def test_not_needed_language_is_not_a_parity_problem(pack_copy):
    path = pack_copy / "templates" / "nl" / "idea.yaml"
    _edit(path, _variant_block(path, "idea/public"), "")
    _edit(pack_copy / "templates" / "replies.yaml", "  - id: idea/public\n",
          "  - id: idea/public\n    not_needed: [nl]\n")
    assert "parity" not in _codes(_lint(pack_copy))


def test_variables_differ_between_languages_and_unused_variable(pack_copy):
    _edit(pack_copy / "templates" / "replies.yaml", "  - id: praise/public\n",
          "  - id: praise/public\n    variables:\n      gift: {required: true, sample: 'en bog'}\n"
          "      unused_one: {required: false}\n")
    _edit(pack_copy / "templates" / "da" / "praise.yaml", "{{ signature }}", "{{ gift }} {{ signature }}")
    codes = _codes(_lint(pack_copy))
    assert {"parity-variables", "unused-variable"} <= codes


def test_required_variable_without_sample_does_not_render(pack_copy):
    _edit(pack_copy / "templates" / "replies.yaml", "  - id: praise/public\n",
          "  - id: praise/public\n    variables:\n      gift: {required: true}\n")
    for lang in ("da", "no", "nl", "ru"):
        _edit(pack_copy / "templates" / lang / "praise.yaml", "{{ signature }}", "{{ gift }} {{ signature }}")
    report = _lint(pack_copy, langs=["da"])
    assert any(p.code == "render" and "gift" in p.message for p in report.problems)


def test_near_duplicate_replies(pack_copy):
    path = pack_copy / "templates" / "no" / "praise.yaml"
    public = _variant_block(path, "praise/public")
    private = _variant_block(path, "praise/private")
    _edit(path, private, public.replace("praise/public", "praise/private", 1))
    assert "near-duplicate" in _codes(_lint(pack_copy, langs=["no"]))


def test_review_dates_and_missing_approval(pack_copy):
    path = pack_copy / "templates" / "ru" / "idea.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    review = data["variants"]["idea/public"]["approved"]["review_by"]
    review = review if isinstance(review, dt.date) else dt.date.fromisoformat(str(review))
    report = _lint(pack_copy, langs=["ru"], today=review + dt.timedelta(days=1))
    assert "review-overdue" in _codes(report)
    report = _lint(pack_copy, langs=["ru"], today=review - dt.timedelta(days=10))
    assert "review-due" in _codes(report)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\n\s+approved:.*(\n\s+(by|\"?on\"?|review_by):.*)*", "\n", text, count=1),
                    encoding="utf-8")
    assert "approval-missing" in _codes(_lint(pack_copy, langs=["ru"]))


def test_thin_and_colliding_recognition(pack_copy):
    path = pack_copy / "templates" / "da" / "praise.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    billing = yaml.safe_load((pack_copy / "templates" / "da" / "billing.yaml").read_text(encoding="utf-8"))
    other = billing["recognition"]["triggers"][0]
    data["recognition"]["triggers"] = ["tak", other]
    data["recognition"]["examples"] = ["Tak!"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    codes = _codes(_lint(pack_copy, langs=["da"]))
    assert "recognition-thin" in codes and "recognition-collision" in codes


def test_rule_examples_that_do_not_behave(pack_copy):
    path = pack_copy / "rules" / "common" / "casual-emoji.yaml"
    _edit(path, "  bad:\n", "  bad:\n    - {text: 'Hej Bo, helt fint. Hilsen Line', lang: da}\n")
    report = _lint(pack_copy, langs=["da"])
    hit = [p for p in report.problems if p.code == "rule-example"]
    assert hit and "bad example not caught" in hit[0].message and hit[0].path == str(path)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s*)*\d", r"(a|ab)*c", r"(.*)\1"])
def test_unsafe_pattern_is_a_lint_error_with_file_and_line(pack_copy, pattern):
    """Judged by structure, not timing: the same answer on an idle and a saturated machine."""
    (pack_copy / "rules" / "brand").mkdir()
    path = pack_copy / "rules" / "brand" / "slow.yaml"
    path.write_text(yaml.safe_dump({
        "id": "brand.tone.slow", "kind": "existence", "category": "tone.too_formal", "langs": ["da"],
        "message": "m", "description": "a pattern that backtracks super-linearly",
        "patterns": ["\\bhej\\b", pattern],
        "examples": {"bad": ["aa bb 7"], "good": ["Hej"]},
    }), encoding="utf-8")
    second_pattern_line = path.read_text(encoding="utf-8").splitlines().index("patterns:") + 3
    report = _lint(pack_copy, langs=["da"])
    errors = [p for p in report.problems if p.severity == "error"]
    assert errors and errors[0].path == str(path) and errors[0].line == second_pattern_line, errors
    assert "patterns[1]" in errors[0].message and "super-linearly" in errors[0].message
    assert report.exit_code == 1


def test_lint_json_cli(pack_copy, tmp_path):
    import subprocess
    import sys

    _edit(pack_copy / "rules" / "common" / "casual-emoji.yaml", "  bad:\n",
          "  bad:\n    - {text: 'Hej Bo, helt fint. Hilsen Line', lang: da}\n")
    proc = subprocess.run([sys.executable, "-m", "replykit", "lint", str(pack_copy), "--json", "--lang", "da",
                           "--today", str(LINT_DAY)],
                          capture_output=True, text=True, timeout=300)
    data = json.loads(proc.stdout)
    assert proc.returncode == 1 and not data["ok"]
    assert any(p["code"] == "rule-example" for p in data["problems"])
