"""Rule patterns are judged by structure (check/redos.py): super-linear ones are refused at load."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import regex
import yaml

from replykit import ReplyKit
from replykit.check.patterns import PLACEHOLDERS, fill, has_placeholder
from replykit.check.redos import hazards
from replykit.check.ruleset import read_rule_specs
from replykit.errors import PackError

ROOT = Path(__file__).resolve().parent.parent

UNSAFE = {
    r"(a+)+$": "nested-quantifier",
    r"(\w+\s?)*$": "nested-quantifier",
    r"(\p{L}+\s?)+$": "nested-quantifier",  # regex-module syntax is read too
    r"(a*)*b": "nested-quantifier",
    r"(a{1,3})+b": "nested-quantifier",
    r"(?:x\s*\s*)+y": "adjacent-quantifiers",
    r"(?:\d+\d+,)+x": "adjacent-quantifiers",
    r"(a|a)*$": "overlapping-alternatives",
    r"(a|ab)*c": "overlapping-alternatives",
    r"(?:\d|\p{N})+x": "overlapping-alternatives",
    r"(?:[[:alpha:]]|é)+x": "overlapping-alternatives",
    r"(.*)\1": "backreference",
    r"(\w+)\s\1": "backreference",
}
SAFE = [
    r"\bgratis\b",
    r"(?<!\w)du\W+får\W+pengene(?!\w)",
    r"(?:\w+ ){0,2}?pengene",
    r"\b\d{1,3}(?:[.\s]\d{3})+\s+kunder\b",
    r"(?:(?:godt|lige|altså|allerede) )*love",
    r"(?:(?:selv|selvfølgelig) )*for",
    r"\b(?!www\b)\p{L}*(\p{L})\1{2,}\p{L}*\b",  # a backreference to one character is linear
    r"\s*(?:,\s*)?x",
    r"(?>\s*)\s*x",
    r"\s*+\s*x",
    r"(?:\d{3})+",
    r"a[^.!?\n]{0,40}b",
]


@pytest.mark.parametrize("pattern,kind", sorted(UNSAFE.items()))
def test_unsafe_constructions_are_found(pattern, kind):
    assert kind in {h.kind for h in hazards(pattern)}, hazards(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_constructions_pass(pattern):
    assert hazards(pattern) == ()


def test_a_flagged_pattern_really_is_super_linear():
    """The analysis is about real cost: the flagged form of a pattern backtracks far more on a
    hostile input than its safe rewrite, which matches the same texts."""
    text = "x" + " " * 3000 + "!"
    slow, safe = regex.compile(r"(?:x\s*\s*)+y"), regex.compile(r"(?:x\s*)+y")
    assert hazards(slow.pattern) and not hazards(safe.pattern)

    def cost(p: regex.Pattern) -> float:
        start = time.process_time()
        p.search(text)
        return time.process_time() - start

    assert cost(safe) < 0.05
    assert cost(slow) > 10 * max(cost(safe), 0.001)


def test_every_bundled_pattern_is_safe():
    specs, sources, _ = read_rule_specs([ROOT / "rules"])  # raises PackError on the first unsafe one
    patterns = [fill(p, {x: "x" for x in PLACEHOLDERS}) if has_placeholder(p) else p
                for spec in specs.values() for p in [*spec.patterns, *spec.unless]]
    assert len(patterns) > 1000
    assert [p for p in patterns if hazards(p)] == []


def test_pattern_the_analyser_cannot_read_is_refused():
    """Fail closed: a construct outside the documented syntax is not waved through."""
    assert [h.kind for h in hazards(r"(?V1)[[a-z]--[aeiou]]+x")] == ["unreadable"]


def test_brand_rule_with_nested_quantifier_is_refused_at_load(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "brand.yaml").write_text(yaml.safe_dump({
        "id": "brand.tone.nested", "kind": "existence", "category": "tone.too_formal", "langs": ["da"],
        "message": "m", "description": "d", "patterns": ["(a+)+$"],
    }), encoding="utf-8")
    with pytest.raises(PackError) as err:
        ReplyKit.load(rules=rules)
    assert str(rules / "brand.yaml") in str(err.value) and "super-linearly" in str(err.value)
    assert err.value.line is not None
