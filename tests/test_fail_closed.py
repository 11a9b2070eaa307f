"""Every detector and rule kind fails closed: a failure is a finding of its own plus a notice, never silence,
and a forbidden rule that cannot finish blocks the draft (never `revise`)."""
from __future__ import annotations

import logging

import pytest

from replykit import ReplyKit
from replykit.check import kinds
from replykit.check.detectors import DETECTORS
from replykit.check.detectors.grammar import GrammarDetector
from replykit.check.detectors.pii import PersonalDataDetector
from replykit.check.detectors.shouting import ShoutingDetector
from replykit.check.detectors.spelling import SpellingDetector
from replykit.check.detectors.substance import SubstanceDetector
from replykit.check.detectors.topic import TopicDetector
from replykit.check.patterns import BoundedPattern, PatternTimeout

DRAFT = "Hej Mette, tak for din besked. Vi kigger på forbindelsen i dag og skriver igen. Mvh Line"
POST = "Mit internet har været nede hele dagen, hvad sker der?"
SECRET = "Mette"  # the customer's name: personal data, must not reach the log above DEBUG

CLASSES = {"pii": PersonalDataDetector, "spelling": SpellingDetector, "grammar": GrammarDetector,
           "topic": TopicDetector, "shouting": ShoutingDetector, "substance": SubstanceDetector}
# The strictest category among the rules that use each detector (bundled rules/common/*.yaml).
BLOCKING = {"pii"}


def _check(kit: ReplyKit, draft: str = DRAFT, **kw):
    return kit.check(draft, lang="da", channel="facebook", inquiry=POST, customer_name="Mette Hansen",
                     agent_name="Line", **kw)


def test_every_detector_is_covered():
    assert set(CLASSES) == set(DETECTORS)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_a_failing_detector_is_a_finding_and_a_notice(kit, monkeypatch, caplog, name):
    def boom(self, ctx, options):
        raise RuntimeError(f"detector bug while reading {ctx.text!r}")

    baseline = _check(kit)
    monkeypatch.setattr(CLASSES[name], "findings", boom)
    with caplog.at_level(logging.INFO, logger="replykit"):
        result = _check(kit)
    failed = [f for f in result.findings if f.rule_id == f"internal.{name}"]
    assert failed, result.findings
    expected = "error" if name in BLOCKING else "warning"
    assert {f.severity for f in failed} == {expected}
    assert all(f.start == 0 and f.end == len(DRAFT) and "could not run" in f.message for f in failed)
    assert result.verdict == ("blocked" if name in BLOCKING else
                              "blocked" if baseline.verdict == "blocked" else "revise")
    assert any("internal error" in n and name in n for n in result.notices)
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged and not any(SECRET in r.getMessage() for r in logged)


def test_grammar_unavailable_stays_a_notice(kit):
    result = _check(kit)
    assert not any(f.rule_id.startswith("internal.") for f in result.findings)
    assert any(n.startswith("grammar:") for n in result.notices)


def test_a_failing_rule_kind_is_a_finding(monkeypatch):
    def boom(rule, ctx, matches):
        raise ValueError("kind bug")

    monkeypatch.setitem(kinds.KINDS, "cooccurrence", boom)  # forbidden promise rules are cooccurrence rules
    kit = ReplyKit.load()  # compiles its rules with the broken kind
    result = _check(kit)
    failed = [f for f in result.findings if f.rule_id == "internal.cooccurrence"]
    assert failed and result.verdict == "blocked"
    assert any(f.severity == "error" and f.category.startswith("forbidden.") for f in failed)


@pytest.mark.parametrize("category,verdict", [("forbidden.unauthorized_promise", "blocked"),
                                              ("tone.too_casual", "revise")])
def test_a_pattern_at_the_last_resort_limit_blocks_forbidden_rules(kit, monkeypatch, category, verdict):
    """A forbidden rule whose pattern cannot finish blocks the draft for review; never `revise`, never ok."""
    def slow(self, text, values, lowered=None, present=None):
        raise PatternTimeout(self.source)
        yield  # a generator, like the real one

    monkeypatch.setattr(BoundedPattern, "finditer", slow)
    monkeypatch.setattr(BoundedPattern, "may_match", lambda self, present: True)
    result = _check(kit, "Hej Mette. Vi sender pengene retur i morgen, og det er helt vildt fedt!! Mvh Line")
    timeouts = [f for f in result.findings if f.rule_id == "internal.timeout"]
    assert timeouts
    of_category = [f for f in timeouts if f.category == category]
    assert of_category
    assert {f.severity for f in of_category} == {"error" if verdict == "blocked" else "warning"}
    assert result.verdict == "blocked"  # forbidden rules timed out too
    assert any("internal error" in n for n in result.notices)


def test_a_failing_model_blocks_the_draft_with_a_notice(kit, monkeypatch, caplog):
    import replykit.kit as kit_module

    def boom(*args, **kwargs):
        raise RuntimeError(f"model bug while reading {SECRET}")

    monkeypatch.setattr(kit_module, "judge", boom)
    with caplog.at_level(logging.INFO, logger="replykit"):
        result = _check(kit)
    failed = [f for f in result.findings if f.rule_id == "internal.trained_model"]
    assert failed and failed[0].severity == "error" and failed[0].category.startswith("forbidden.")
    assert result.verdict == "blocked"
    assert any("trained model could not run" in n for n in result.notices)
    assert SECRET not in caplog.text


def test_a_failing_language_comparison_is_a_warning_with_a_notice(kit, monkeypatch, caplog):
    import replykit.kit as kit_module

    def boom(*args, **kwargs):
        raise RuntimeError(f"comparison bug while reading {SECRET}")

    monkeypatch.setattr(kit_module, "language_mismatch", boom)
    with caplog.at_level(logging.INFO, logger="replykit"):
        result = _check(kit)
    failed = [f for f in result.findings if f.rule_id == "internal.language_comparison"]
    assert failed and failed[0].severity == "warning" and failed[0].category == "language.mismatch"
    assert result.verdict != "ok"
    assert SECRET not in caplog.text
