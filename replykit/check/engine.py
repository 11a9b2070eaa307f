"""The check engine: every rule of the draft's language over one context.

draft -> normalise (offset map) -> one phrase pass for all rules -> each
applicable rule's kind -> hits mapped to original offsets -> verdict, scores.
"""
from __future__ import annotations

import logging
from collections import defaultdict

from ..results import Finding
from ..text.normalize import normalize
from ..text.phrases import PhraseIndex, new_match
from .context import MAX_FINDINGS_PER_RULE, CheckContext
from .failures import internal_finding
from .patterns import LAST_RESORT_TIMEOUT_S, PatternTimeout
from .ruleset import RuleSet

log = logging.getLogger("replykit.check")

VALUES = ("make_it_happen", "show_respect", "add_value")
# A budget on output, so work after the rules stays linear in what an agent can read: a draft of
# 9,000 emoji gave 9,000 findings of one rule (1-3 s of result objects). No real draft comes near.
_SEVERITY_RANK = {"error": 0, "warning": 1, "suggestion": 2}


def run_rules(ruleset: RuleSet, ctx: CheckContext, merge: bool = True,
              categories: frozenset[str] | None = None) -> list[Finding]:
    """Every applicable rule (of `categories` only, when given) over one draft."""
    lang_rules = ruleset.for_lang(ctx.lang)
    if ctx.lowered is not None:
        ctx.present = lang_rules.prefilter.present(ctx.lowered)
        ctx.runnable = lang_rules.choice.select(ctx.present)
    per_rule: dict[int, list] = defaultdict(list)
    for m in lang_rules.phrases.finditer(ctx.tokens, ctx.stems):
        rule_index, phrase_index = m.payload
        per_rule[rule_index].append(new_match((phrase_index, m.first, m.last, m.start, m.end)))
    _compound_matches(lang_rules.phrases, ctx, per_rule)
    findings: list[Finding] = []
    for i, rule in enumerate(lang_rules.rules):
        if not rule.applies(ctx) or (categories is not None and rule.spec.category not in categories):
            continue
        noticed = len(ctx.notices)
        hits: list = []
        failed: tuple[str, str, Exception | None] | None = None  # what could not run, why, the exception
        try:
            hits = rule.run(rule, ctx, per_rule.get(i, []))  # type: ignore[misc]
            if hits and rule.unless and rule.silenced(ctx):  # exceptions only matter when it fired
                continue
        except PatternTimeout:
            failed = ("timeout", f"a pattern did not finish within {LAST_RESORT_TIMEOUT_S:g} s", None)
        except Exception as exc:  # noqa: BLE001 - fail closed: a broken detector must not pass a draft
            what = str(rule.spec.detector) if rule.spec.kind == "detector" else rule.spec.kind
            failed = (what, f"{type(exc).__name__} inside the {what} check", exc)
        if (hits or failed) and not rule.fits_inquiry(ctx):  # a rule for other inquiry types: as if it had not run
            del ctx.notices[noticed:]
            continue
        if failed is not None:
            findings.append(internal_finding(rule, ctx, *failed))
            continue
        if len(hits) > MAX_FINDINGS_PER_RULE:
            ctx.notices.append(f"rule {rule.id}: more than {MAX_FINDINGS_PER_RULE} findings, the first "
                               f"{MAX_FINDINGS_PER_RULE} are listed")
            hits = hits[:MAX_FINDINGS_PER_RULE]
        for hit in hits:
            start, end = ctx.norm.span(hit.start, hit.end)
            findings.append(Finding(
                rule_id=rule.id,
                category=rule.spec.category,
                severity=hit.severity or rule.severity,
                start=start,
                end=end,
                message=hit.message or rule.spec.message,
                replacements=list(hit.replacements),
            ))
    sort_findings(findings)
    if not merge:
        return findings
    return _one_per_problem(findings, lang_rules.phrase_rule_ids)


def _compound_matches(phrases: PhraseIndex, ctx: CheckContext, per_rule: dict[int, list]) -> None:
    """Phrases matched against the parts of compounds, hashtags and CamelCase words: a rule for
    "Project Nordlys" or "nordlys" also catches "projekt-nordlys", "Nordlys-projektet", "#ProjectNordlys".
    Token indices are mapped back to the whole words, so kinds that count words see the draft's tokens."""
    windows = ctx.part_tokens
    if not windows:
        return
    seen = {(rule_index, m.payload, m.start, m.end) for rule_index, ms in per_rule.items() for m in ms}
    for parts, parent in windows:
        for m in phrases.finditer(parts):
            rule_index, phrase_index = m.payload
            key = (rule_index, phrase_index, m.start, m.end)
            if key in seen:
                continue
            seen.add(key)
            per_rule[rule_index].append(new_match((phrase_index, parent[m.first], parent[m.last], m.start, m.end)))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    findings.sort(key=lambda f: (f.start, _SEVERITY_RANK.get(f.severity, 3), f.rule_id))
    return findings


def _one_per_problem(findings: list[Finding], phrase_rules: frozenset[str]) -> list[Finding]:
    """Drop a phrase finding whose span overlaps an earlier one of the same category and severity.

    A stock-phrase rule and a meaning rule often catch the same words ("Jeg har nu bestilt en
    tekniker"); the agent needs to read about it once. Findings about the whole draft (a missing
    greeting, a length) are never merged.
    """
    kept: list[Finding] = []
    # Findings come sorted by start, so a kept phrase finding overlaps a later non-empty one exactly
    # when it ends after that one starts: the furthest end per (category, severity) answers in O(1)
    # (comparing with every kept finding was quadratic: seconds for a draft of 9,000 emoji).
    furthest: dict[tuple[str, str], int] = {}
    for f in findings:
        if f.rule_id in phrase_rules:
            key = (f.category, f.severity)
            if f.start < f.end:
                overlaps = furthest.get(key, -1) > f.start
            else:  # empty span (rare): the exact test
                overlaps = any(k.rule_id in phrase_rules and (k.category, k.severity) == key
                               and f.start < k.end and k.start < f.end for k in kept)
            if overlaps:
                continue
            furthest[key] = max(furthest.get(key, -1), f.end)
        kept.append(f)
    return kept


def verdict(findings: list[Finding]) -> str:
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "blocked"
    if "warning" in severities:
        return "revise"
    return "ok"


def scores(findings: list[Finding], text: str) -> dict[str, float]:
    """Per brand value, 1.0 = no issue; issues weigh more in short drafts.

    Acrolinx-style scaling: issue counts are taken per 75 words, so one
    lapse in a long reply costs less than the same lapse in a one-liner.
    """
    words = max(len(text.split()), 1)
    scale = 75 / max(words, 75) if words > 75 else 1.0
    out = {}
    for value in VALUES:
        weight = sum(1.0 if f.severity != "suggestion" else 0.25
                     for f in findings if f.category == f"value.{value}")
        out[value] = round(max(0.0, 1.0 - 0.5 * weight * scale), 3)
    return out


def make_context(draft: str, lang: str, channel: str | None, **kw: object) -> CheckContext:
    return CheckContext(normalize(draft), lang, channel, **kw)  # type: ignore[arg-type]
