"""The contract in the repository: UTF-16 offsets, JSON Schema of requests and results,
the documented examples validating against it, and no path outside the repository."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replykit import vocabulary
from replykit.offsets import utf16_converter
from replykit.requests import CheckRequest, RenderRequest, SuggestRequest, parse_request
from replykit.results import (
    Candidate,
    CheckResult,
    ClosestTemplate,
    Escalation,
    Finding,
    Suggestion,
    SuggestResult,
    TemplateInfo,
)
from replykit.schemas import all_kinds, combined_schema, schema_of

ROOT = Path(__file__).resolve().parent.parent


def js_slice(text: str, start: int, end: int) -> str:
    """What `text.slice(start, end)` gives in JavaScript: UTF-16 code units."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start:2 * end].decode("utf-16-le", "surrogatepass")


# ------------------------------------------------------------------ offsets

ASTRAL_DRAFT = "Hej Bo 😀🎉 𝔘𝔫𝔦 👩‍👩‍👧, ring til mig på 22 33 44 55. Hilsen Line"


def test_finding_spans_in_utf16_match_python_spans(kit):
    result = kit.check(ASTRAL_DRAFT, lang="da", channel="facebook")
    pii = [f for f in result.findings if f.category == "forbidden.personal_data"]
    assert pii, result.findings
    for f in result.findings:
        assert f.start_utf16 is not None and f.end_utf16 is not None
        assert js_slice(ASTRAL_DRAFT, f.start_utf16, f.end_utf16) == ASTRAL_DRAFT[f.start:f.end]
    # 😀 🎉 𝔘 𝔫 𝔦 and the three people of 👩‍👩‍👧 are astral: eight extra units before the phone number.
    assert pii[0].start_utf16 == pii[0].start + 8
    assert ASTRAL_DRAFT[pii[0].start:pii[0].end] == "22 33 44 55"


def test_utf16_offsets_equal_code_points_without_astral_characters(kit):
    draft = "Hej Bo, ring til mig på 22 33 44 55. Hilsen Line ÆØÅ €"
    result = kit.check(draft, lang="da", channel="facebook")
    assert result.findings
    assert all((f.start_utf16, f.end_utf16) == (f.start, f.end) for f in result.findings)


def test_utf16_offsets_in_json_output(kit):
    data = kit.check(ASTRAL_DRAFT, lang="da", channel="facebook").model_dump(mode="json")
    assert {"start", "end", "start_utf16", "end_utf16"} <= set(data["findings"][0])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=40), st.data())
def test_utf16_converter_agrees_with_encoding(text, data):
    to_utf16 = utf16_converter(text)
    offset = data.draw(st.integers(0, len(text)))
    assert to_utf16(offset) == len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2
    end = data.draw(st.integers(offset, len(text)))
    assert js_slice(text, to_utf16(offset), to_utf16(end)) == text[offset:end]


# ------------------------------------------------------------ JSON Schema

CONTRACT_KINDS = ("suggest-request", "check-request", "render-request", "suggest-result", "check-result",
                  "template")


def test_schema_kinds_are_valid_json_schema():
    assert set(CONTRACT_KINDS) <= set(all_kinds())
    for kind in all_kinds():
        jsonschema.Draft202012Validator.check_schema(schema_of(kind))
    combined = combined_schema()
    jsonschema.Draft202012Validator.check_schema(combined)
    assert set(CONTRACT_KINDS) | {"pack", "rule", "post", "draft", "clean"} <= set(combined["$defs"])
    assert {"$ref": "#/$defs/check-result"} in combined["oneOf"]


def test_schema_command_prints_each_kind():
    from typer.testing import CliRunner

    from replykit.cli import app

    runner = CliRunner()
    for kind in ("check-request", "check-result"):
        got = runner.invoke(app, ["schema", "--kind", kind])
        assert got.exit_code == 0 and json.loads(got.stdout) == schema_of(kind)
    got = runner.invoke(app, ["schema"])
    assert "suggest-result" in json.loads(got.stdout)["$defs"]


# ------------------------------------------------- the documented contract

DOCS = ROOT / "docs"
CONTRACT_DOC = (DOCS / "contract.md").read_text(encoding="utf-8")
_EXAMPLE = re.compile(r"<!-- example: ([\w-]+) -->\s*```json\n(.*?)```", re.DOTALL)
EXAMPLES = {kind: json.loads(body) for kind, body in _EXAMPLE.findall(CONTRACT_DOC)}


def test_every_contract_kind_has_an_example():
    assert set(CONTRACT_KINDS) <= set(EXAMPLES)


@pytest.mark.parametrize("kind", CONTRACT_KINDS)
def test_documented_examples_validate_against_their_schema(kind):
    jsonschema.validate(EXAMPLES[kind], schema_of(kind))
    model, _ = all_kinds()[kind]
    model.model_validate(EXAMPLES[kind])  # and replykit itself reads them


@pytest.mark.parametrize("kind,change", [
    ("check-request", {"customerName": "Peter"}),  # unknown keys are errors
    ("check-request", {"draft": None}),
    ("suggest-request", {"top": 0}),
    ("check-result", {"verdict": None}),
    ("check-result", {"findings": [{"rule_id": "x"}]}),
])
def test_schemas_refuse_what_replykit_refuses(kind, change):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**EXAMPLES[kind], **change}, schema_of(kind))


def test_documented_check_example_is_what_check_returns(kit):
    req = parse_request("check", EXAMPLES["check-request"])
    got = kit.check(req.draft, lang=req.lang, channel=req.channel, inquiry=req.inquiry,
                    customer_name=req.customer_name, agent_name=req.agent_name, id=req.id).model_dump(mode="json")
    doc = EXAMPLES["check-result"]
    keys = ("category", "severity", "start", "end", "start_utf16", "end_utf16")
    assert got["verdict"] == doc["verdict"]
    assert [tuple(f[k] for k in keys) for f in got["findings"]] == [tuple(f[k] for k in keys) for f in doc["findings"]]
    # The example shows what UTF-16 offsets are for: an emoji before the findings.
    assert all(f["start_utf16"] > f["start"] for f in doc["findings"])


def test_documented_suggest_example_is_what_suggest_returns(kit):
    req = parse_request("suggest", EXAMPLES["suggest-request"])
    got = kit.suggest(req.text, lang=req.lang, channel=req.channel, top=req.top, variables=req.variables, id=req.id)
    doc = EXAMPLES["suggest-result"]
    assert [(s.template_id, s.text) for s in got.suggestions] == [(s["template_id"], s["text"])
                                                                  for s in doc["suggestions"]]
    assert got.inquiry_type == doc["inquiry_type"]


@pytest.mark.parametrize("model", [SuggestRequest, CheckRequest, RenderRequest, SuggestResult, CheckResult,
                                   TemplateInfo, Finding, Candidate, Suggestion, Escalation, ClosestTemplate])
def test_every_field_is_documented(model):
    missing = [name for name in model.model_fields
               if not re.search(rf"`(?:[\w\[\]]+\.)?{name}`", CONTRACT_DOC)]
    assert not missing, f"{model.__name__}: fields not in docs/contract.md: {missing}"


def test_vocabulary_doc_lists_every_identifier():
    text = (DOCS / "vocabulary.md").read_text(encoding="utf-8")
    idents = [*vocabulary.LANGUAGES, *vocabulary.LANGUAGE_ALIASES, *vocabulary.CHANNELS,
              *vocabulary.INQUIRY_TYPES, *vocabulary.CATEGORIES, *vocabulary.SEVERITIES, "ok", "revise", "blocked",
              "public", "private", "any"]
    missing = [i for i in idents if f"`{i}`" not in text]
    assert not missing, missing


# ------------------------------------------- nothing outside the repository

# Built from pieces so that this file does not match itself.
OUTSIDE = [re.compile(re.escape(".." + "/shared")), re.compile(r"(?<![\w.~-])/" + r"work\b"),
           re.compile(r"parent\s*/\s*['\"]" + "shared['\"]")]


def _repository_text_files() -> list[Path]:
    try:
        # The repository's files: tracked ones (a scratch file of a developer's is not the repository's).
        names = subprocess.run(["git", "ls-files", "--cached", "-z"],
                               cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
        paths = [ROOT / n for n in names if n]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked sdist): walk it
        skip = {".git", ".venv", "node_modules", "__pycache__", "build", "dist"}
        paths = [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    return [p for p in paths if p.is_file() and p.suffix not in {".npz", ".png", ".whl", ".gz"}]


def test_nothing_mentions_a_path_outside_the_repository():
    files = _repository_text_files()
    assert any(p.name == "README.md" for p in files) and any(p.parent.name == "docs" for p in files)
    hits = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary
        for pattern in OUTSIDE:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                hits.append(f"{path.relative_to(ROOT)}:{line}: {m.group()}")
    assert not hits, hits


def test_the_scan_finds_what_it_looks_for():
    samples = ["see .." + "/shared/CONTRACT.md", "python /" + "work/shared/tools/x.py",
               'ROOT.parent / "' + 'shared" / "eval-dev"']
    assert all(any(p.search(s) for p in OUTSIDE) for s in samples)
    assert not any(p.search("a framework/worker and https://example.com/work/x") for p in OUTSIDE)


# ------------------------------------------------ scoring a labelled folder

def test_evaluate_scores_a_folder_from_the_command_line(tmp_path):
    rows = {"da.inquiries.jsonl": [{"id": "p1", "lang": "da", "channel": "facebook", "type": "outage",
                                    "text": "Internettet er nede i hele Odense igen"}],
            "da.drafts.jsonl": [{"id": "d1", "lang": "da", "channel": "facebook", "expect":
                                 ["forbidden.personal_data"], "draft": "Hej Bo, ring på 22 33 44 55. Hilsen Line"}]}
    for name, records in rows.items():
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "replykit.learn.evaluate", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["posts"] == 1 and got["type_top1"] == 1.0 and got["forbidden_recall"] == 1.0
    proc = subprocess.run([sys.executable, "-m", "replykit.learn.evaluate", str(tmp_path / "nowhere")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "no such folder" in proc.stderr
