"""Every rule proves itself with its own examples (as LanguageTool's rules do).

A bad example must trigger its rule, a good one must not; a rule without at
least one of each fails. The grammar rule's examples run against the local
fake LanguageTool server.
"""
from __future__ import annotations

import pytest

from replykit import ReplyKit
from replykit.check.ruleset import read_rule_specs
from replykit.kit import bundled_path
from replykit.lint import example_failures

SPECS, SOURCES, _ = read_rule_specs([bundled_path("rules")])


@pytest.mark.parametrize("rule_id", sorted(SPECS))
def test_rule_examples_behave(rule_id, kit, grammar_kit):
    spec = SPECS[rule_id]
    use = grammar_kit if spec.kind == "detector" and spec.detector == "grammar" else kit
    failures = example_failures(use, spec)
    assert not failures, f"{SOURCES[rule_id]}: " + "; ".join(failures)


def test_every_rule_has_bad_and_good_examples():
    missing = [f"{SOURCES[r]}" for r, s in SPECS.items() if not s.examples.bad or not s.examples.good]
    assert not missing, "rules without examples: " + ", ".join(missing)


def test_every_rule_documents_itself():
    for rule_id, spec in SPECS.items():
        assert len(spec.description.split()) >= 8, f"{rule_id}: say what it catches, why, how to fix"
        assert spec.message.strip(), rule_id


def test_a_rule_without_examples_is_reported(pack_copy):
    path = pack_copy / "rules" / "common" / "casual-emoji.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("examples:")], encoding="utf-8")
    kit = ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    spec = kit._loaded.rules.specs["common.casual.emoji"]
    assert "has no bad example" in example_failures(kit, spec)
