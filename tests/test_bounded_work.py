"""Bounded work per draft: budgets in operations, linear passes, and rewritten patterns that match
exactly what the old ones matched."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import regex

from replykit.check.detectors.pii import phone_budget
from replykit.check.engine import MAX_FINDINGS_PER_RULE, _one_per_problem, make_context, run_rules
from replykit.results import Finding

ROOT = Path(__file__).resolve().parent.parent
FLAGS = regex.IGNORECASE | regex.VERSION0

# (old, new): bundled patterns rewritten so they do not rescan a run of letters or hyphens
# from every position inside it; the new form must find the same spans.
REWRITES = [
    (r"\b(?!www\b)\p{L}*(\p{L})\1{2,}\p{L}*\b", r"\b(?!www\b)(?>\p{L}*?(\p{L})\1{2,})\p{L}*+\b"),
    (r"\b(?!www\b)\p{L}*((?!e)\p{L})\1{2,}\p{L}*\b", r"\b(?!www\b)(?>\p{L}*?((?!e)\p{L})\1{2,})\p{L}*+\b"),
    (r"\b\w*([a-zæøå])\1{3,}\w*\b", r"\b(?>\w*?([a-zæøå])\1{3,})\w*+\b"),
    (r"\b[\w-]+\.(?:dk|no|nl|ru|com|net|org|eu)\b", r"\b(?:(?<![\w-])|\G)[\w-]+\.(?:dk|no|nl|ru|com|net|org|eu)\b"),
    (r"\b[\w'\-]{2,}(?:straat|laan|weg|wal|dijk)\s+\d{1,4}",
     r"(?:(?<![\w'\-])['\-]*+\K|\G)\b[\w'\-]{2,}(?:straat|laan|weg|wal|dijk)\s+\d{1,4}"),
    (r"(?:^|[.!?]\s*|(?<!(?-i:\b\p{Lu}\p{Ll}+))[\n,]\s*)(?:kundeservice|teamet)\s*[.!]?\s*$",
     r"(?:^|[.!?]\s*|[\n,](?<!(?-i:\b\p{Lu}\p{Ll}+)[\n,])\s*)(?:kundeservice|teamet)\s*[.!]?\s*$"),
]
CRAFTED = [
    "Hejjjj med dig, tusind taaaak!!", "www.fibra.dk og foo-bar.nl", "aaaab1 aaa1 xaaa", "ok Teamet\n,teamet",
    "'s-Gravendijkwal 5 en de Jan-van-Galenstraat 3 en -straat 4", "Mvh\nkundeservice", "Hilsen Line, teamet.",
    "goeeeed zooo", "Ааааа да!", "Kerkstraat 12, 1012 AB", "Kerkstraat 12-Dorpsstraat 5",
    "Kerkstraat 12-'s-Gravenweg 5 x -'-ab-wal 3", "ab-c-d.com" + "-x" * 50 + ".nl",
]


def _texts() -> list[str]:
    texts = list(CRAFTED)
    for path in sorted((ROOT / "templates").glob("*/labelled/*.drafts.jsonl")):
        texts += [json.loads(line)["draft"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return texts


@pytest.mark.parametrize("old,new", REWRITES)
def test_rewritten_pattern_matches_the_same_spans(old, new):
    old_p, new_p = regex.compile(old, FLAGS), regex.compile(new, FLAGS)
    texts = _texts()
    assert len(texts) > 1000
    for text in texts:
        assert [m.span() for m in old_p.finditer(text)] == [m.span() for m in new_p.finditer(text)], text[:80]


def test_phone_budget_grows_linearly_and_leaves_ordinary_drafts_alone():
    assert phone_budget(600) >= 30
    assert phone_budget(20_000) - phone_budget(10_000) == phone_budget(10_000) - phone_budget(0)
    assert phone_budget(10_000) < 1000


def test_phone_search_that_runs_out_of_budget_blocks_the_draft(kit):
    rng = random.Random(7)
    soup = "".join(rng.choice("0123456789 -./") for _ in range(9_000))
    result = kit.check(f"Hej Mette. {soup} Ring til mig på 20 12 34 56. Mvh Line", lang="da", channel="facebook")
    failed = [f for f in result.findings if f.rule_id == "internal.pii"]
    assert failed and failed[0].severity == "error" and result.verdict == "blocked"


def test_ordinary_phone_number_is_still_found(kit):
    result = kit.check("Hej Mette. Ring til mig på 20 12 34 56. Mvh Line", lang="da", channel="facebook")
    assert any(f.category == "forbidden.personal_data" for f in result.findings)
    assert not any(f.rule_id.startswith("internal.") for f in result.findings)


def test_findings_per_rule_are_capped_with_a_notice(kit):
    result = kit.check("Hej Mette!! " * 400 + "Mvh Line", lang="da", channel="dm")
    per_rule: dict[str, int] = {}
    for f in result.findings:
        per_rule[f.rule_id] = per_rule.get(f.rule_id, 0) + 1
    assert max(per_rule.values()) == MAX_FINDINGS_PER_RULE
    assert any("findings, the first 50 are listed" in n for n in result.notices)


@pytest.mark.parametrize("rule_id, draft", [
    ("common.language.spelling", "Hej Mette.\n\n" + "Tkak\n\n" * 1500 + "Mvh Line"),
    ("common.respect.eyeroll", "Hej Mette, tak for din besked " + "🙄 " * 2000 + "Mvh Line"),
    ("common.casual.emoji", "Hej Mette, tak for din besked " + "😀 " * 2000 + "Mvh Line"),
])
def test_a_rule_stops_looking_once_it_has_more_than_it_lists(kit, rule_id, draft):
    """Thousands of hits of one rule cost the draft the first ones only: the work is bounded, the
    verdict and the listed findings are those of the full count."""
    rule = next(r for r in kit._loaded.rules.for_lang("da").rules if r.id == rule_id)
    ctx = make_context(draft, "da", "facebook")
    run_rules(kit._loaded.rules, ctx, merge=False)  # the context the engine prepares (present, runnable)
    assert MAX_FINDINGS_PER_RULE < len(rule.run(rule, ctx, [])) <= MAX_FINDINGS_PER_RULE + 3
    result = kit.check(draft, lang="da", channel="facebook")
    assert sum(f.rule_id == rule_id for f in result.findings) == MAX_FINDINGS_PER_RULE
    assert any(n.startswith(f"rule {rule_id}: more than 50 findings") for n in result.notices)


def test_dotted_capital_i_keeps_the_lowered_text():
    ctx = make_context("İstanbul-kontoret siger, at du får pengene tilbage", "da", "facebook")
    assert ctx.lowered is not None and len(ctx.lowered) == len(ctx.text)
    assert ctx.lowered.startswith("istanbul")


def _one_per_problem_reference(findings: list[Finding], phrase_rules: frozenset[str]) -> list[Finding]:
    """The former quadratic form, kept here as the specification."""
    kept: list[Finding] = []
    for f in findings:
        if f.rule_id in phrase_rules and any(
                k.rule_id in phrase_rules and k.category == f.category and k.severity == f.severity
                and f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    return kept


def test_linear_merge_equals_the_quadratic_one():
    rng = random.Random(3)
    rules = ["a", "b", "c", "d"]
    for _ in range(300):
        findings = []
        for _ in range(rng.randrange(0, 30)):
            start = rng.randrange(0, 60)
            findings.append(Finding(rule_id=rng.choice(rules), category=rng.choice(["x", "y"]),
                                    severity=rng.choice(["error", "warning"]), start=start,
                                    end=start + rng.randrange(0, 8), message="m"))
        findings.sort(key=lambda f: (f.start, f.severity, f.rule_id))
        phrase = frozenset({"a", "b", "c"})
        assert _one_per_problem(findings, phrase) == _one_per_problem_reference(findings, phrase)


def test_overlong_word_is_reported_without_a_dictionary_lookup(kit, monkeypatch):
    from replykit.check.detectors import spelling

    looked_up: list[str] = []
    original = spelling.SpellingDetector._known

    def spy(self, spellers, word):
        looked_up.append(word)
        return original(self, spellers, word)

    monkeypatch.setattr(spelling.SpellingDetector, "_known", spy)
    word = "kundeserviceafdelingsmedarbejderforeningsformandsvalg"
    result = kit.check(f"Hej Mette. Det handler om {word}. Mvh Line", lang="da", channel="dm")
    assert any("too long to look up" in f.message and f.category == "language.spelling" for f in result.findings)
    assert word not in looked_up and len(word) > spelling.MAX_CHECK_LENGTH
