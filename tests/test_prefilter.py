"""The literal prefilter may skip a pattern only when the pattern cannot match.

A wrong needle would silently drop a finding, so this is tested three ways:
needles of known patterns, "every match contains a needle" over every bundled
pattern and a corpus of real drafts plus generated text, and whole reports
compared with the prefilter switched off. Leads (strings every match starts
with, where a pattern is tried instead of scanned) the same way: leads of known
patterns, "every match starts at a lead" and "tried at leads = scanned" over the
bundled patterns and the corpus, and generated text.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replykit.check.detectors.spelling import SpellingDetector
from replykit.check.patterns import _FLAGS, MAX_LEAD_TRIES, BoundedPattern
from replykit.check.prefilter import DIGIT, TRIPLED, Prefilter, leads, needles
from replykit.check.ruleset import read_rule_specs
from replykit.kit import bundled_path
from replykit.vocabulary import LANGUAGES

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("pattern, expected", [
    (r"\bdet er ikke (?:os|mig)\b", {"det er ikke os", "det er ikke mig"}),
    (r"\b(?:refunderer|krediterer) (?:vi|jeg)\b", {"refunderer vi", "refunderer jeg", "krediterer vi",
                                                     "krediterer jeg"}),
    (r"\bInterne? systemer\b", {"intern systemer", "interne systemer"}),  # lower-cased: matched on lower-cased text
    (r"\bgratis\s+(?:måned|abonnement)", {"gratis"}),  # \s+ breaks the run: the longest piece is kept
    (r"!{2,}", {"!!"}),
    (r"§\s*\d", {DIGIT}),  # "§" and a digit are both needed; the digit marker is kept
    (r"\b\p{L}{2,}(?:gata|gate|vei)\b", {"gata", "gate", "vei"}),
    (r"\b\p{L}*(\p{L})\1{2,}\p{L}*\b", {TRIPLED}),
    (r"(?>(?:svaret|sagt))(?= dig)", {"svaret", "sagt"}),
    (r"\d{3,}", {DIGIT}),  # no literal, but a digit
    (r"\bpostnr\.?\s*[1-9]\d{3}", {"postnr", "postnr."}),  # a real word beats the digit marker
    (r"\d{4}|telia", {DIGIT, "telia"}),  # each branch brings its own
    # a variable-width lookbehind (the standard parser refuses it) only narrows: dropped, the rest counts
    (r"[,\n](?<!(?-i:\b\p{Lu}\p{Ll}+)[,\n])\s*(?:teamet|holdet)$", {"teamet", "holdet"}),
    (r"(?<=[(\[])svar(?<!x\)y)et", {"svaret"}),  # brackets inside a class or escaped do not end it
])
def test_needles_of_known_patterns(pattern, expected):
    assert needles(pattern) == frozenset(expected)


@pytest.mark.parametrize("pattern", [
    r"[[:alpha:]]+aaa",  # POSIX class: regex-module syntax the standard parser misreads
    r"(?:telia){e<=1}",  # fuzzy matching: "telia" need not appear
    r"\bx\b|\byz\b",  # a branch with a one-letter needle
    r"a\w*b",  # single letters
    r"[a-z]{4}|telia",  # one branch has no literal, so "telia" is not required
])
def test_unsure_patterns_are_always_scanned(pattern):
    assert needles(pattern) is None


@pytest.mark.parametrize("pattern, text", [
    (r"(?:foo)?bar?", "ba"),  # optional parts are not required
    (r"(?:ab|)cd", "cd"),  # an empty branch
    (r"x(?:yz)*q", "xq"),  # zero repetitions
    (r"(?:ab){0,2}c(?:de)?", "c!"),  # "c" alone: nothing worth a needle, or only what "c" needs
])
def test_optional_parts_never_become_needles(pattern, text):
    found = needles(pattern)
    assert regex.search(pattern, text)
    assert found is None or not found.isdisjoint(Prefilter([found]).present(text))


def _bundled_patterns() -> list[str]:
    specs, _, _ = read_rule_specs([bundled_path("rules")])
    return sorted({p for spec in specs.values() for p in [*spec.patterns, *spec.unless] if "{{" not in p})


def _corpus() -> dict[str, list[str]]:
    """Texts per language: every rule example and every draft and post of the test data."""
    texts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    specs, _, _ = read_rule_specs([bundled_path("rules")])
    for spec in specs.values():
        for example in [*spec.examples.bad, *spec.examples.good]:
            text = example if isinstance(example, str) else example.text
            for lang in spec.langs or LANGUAGES:
                texts[lang].append(text)
    for path in sorted(DATA.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if row.get("lang") in texts:
                texts[row["lang"]] += [v for k, v in row.items() if k in ("draft", "text", "inquiry")
                                       and isinstance(v, str)]
    return texts


PATTERNS = _bundled_patterns()
NEEDLES = {p: needles(p) for p in PATTERNS}
FILTERED = sorted(p for p, n in NEEDLES.items() if n is not None)
CORPUS = _corpus()
ALL_TEXTS = sorted({t for texts in CORPUS.values() for t in texts})


def test_the_prefilter_covers_most_bundled_patterns():
    with_needles = len(FILTERED)
    assert with_needles / len(PATTERNS) > 0.9, f"only {with_needles} of {len(PATTERNS)} patterns prefiltered"


def test_every_match_of_every_bundled_pattern_contains_a_needle():
    """Over rule examples and all test drafts: a pattern that matches is never skipped."""
    assert len(ALL_TEXTS) > 1000
    prefilter = Prefilter(NEEDLES.values())
    present = {t: prefilter.present(t.lower()) for t in ALL_TEXTS if len(t.lower()) == len(t)}
    missed = []
    for pattern in FILTERED:
        compiled = regex.compile(pattern, _FLAGS)
        missed += [(pattern, t) for t, found in present.items()
                   if NEEDLES[pattern].isdisjoint(found) and compiled.search(t)]
    assert not missed, missed[:3]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_text_around_needles_never_hides_a_match(data):
    """Text stitched from a pattern's needles, case changes and noise: match implies needle found."""
    pattern = data.draw(st.sampled_from(FILTERED))
    found = NEEDLES[pattern]
    pieces = st.one_of(st.sampled_from(sorted(n for n in found if n not in (TRIPLED, DIGIT)) or ["x"]),
                       st.sampled_from([" ", ", ", ". ", "\n", "ikke ", "не ", "niet ", "vi ", "мы ", "aaa", "1234"]),
                       st.text(max_size=6))
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    if data.draw(st.booleans()):
        text = text.upper()
    if len(text.lower()) != len(text):
        return
    if regex.compile(pattern, _FLAGS).search(text):
        assert not found.isdisjoint(Prefilter([found]).present(text.lower())), (pattern, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reports_are_identical_with_the_prefilter_off(kit, lang, monkeypatch):
    drafts = sorted({t for t in CORPUS[lang] if t.strip()})
    kwargs = dict(lang=lang, channel="facebook", customer_name="Anna", agent_name="Peter")
    # Spelling never looks at the prefilter; its suggestions would only make this slow.
    monkeypatch.setattr(SpellingDetector, "findings", lambda self, ctx, options: [])
    with_filter = [kit.check(t, **kwargs).model_dump() for t in drafts]
    monkeypatch.setattr(Prefilter, "present", lambda self, lowered: None)
    without = [kit.check(t, **kwargs).model_dump() for t in drafts]
    assert with_filter == without


# ------------------------------------------------------------------------------------------- leads


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:slået|slog)\s+(?:\w+\s+){0,3}i", {"slået", "slog"}),  # \s+ ends the fixed opening
    (r"\b(?=(?:skriv|send))(?<!\bpå\s)\w+", {"skriv", "send"}),  # what a lookahead at the start requires
    (r"(?:ny )?pris", {"ny pris", "pris"}),  # an optional fixed part: both ways of starting
    (r"(?-i:\b(?:Driftschef|Teamleder)\s+[A-Z])", {"driftschef", "teamleder"}),  # lower-cased
    (r"(?<!\bвы\s)\b(?:дважды|не\s+раз)\s+", {"дважды", "не"}),  # a lookbehind only narrows
    (r"(?:ab)+c", {"ab"}),  # a repeat that runs at least once starts like its body
    (r"(?:foo|bar\s+x)\w", {"foo", "bar"}),  # branches: each brings its own opening
])
def test_leads_of_known_patterns(pattern, expected):
    assert leads(pattern).strings == frozenset(expected)


@pytest.mark.parametrize("pattern, word_start", [
    (r"\b(?:slået|slog)\s+", True),
    (r"(?<!\bvi\s)\b(?:dit|din)\b", True),  # after a lookbehind: the same place
    (r"(?-i:\b(?:Driftschef|Teamleder))", True),  # inside the group that opens the pattern
    (r"\b(?=(?:skriv|send))\w+", True),
    (r"(?:\[|\()intern", False),
    (r"(?:\bfoo|bar)x", False),  # one branch without
])
def test_whether_a_pattern_opens_at_a_word_boundary(pattern, word_start):
    assert leads(pattern).word_start is word_start


@pytest.mark.parametrize("pattern", [
    r"\w+ab",  # a class first: any letter may start a match
    r"\bx\K(?:foo)",  # \K moves where the reported match starts
    r"(?:foo\s+)?bar",  # an optional part that is not fixed: "bar" or "foo ..." or anything
    r"\b(?:i|på)\s+",  # a one-letter opening is everywhere
    r"(?:telia){e<=1}",  # fuzzy matching: regex-module syntax
    r"{{customer_name_part}}",
])
def test_patterns_without_leads(pattern):
    assert leads(pattern) is None


LEADS = {p: found.strings if (found := leads(p)) else None for p in PATTERNS}


def test_most_bundled_patterns_have_leads():
    assert sum(found is not None for found in LEADS.values()) / len(PATTERNS) > 0.7


@pytest.mark.slow
def test_every_match_of_every_bundled_pattern_starts_at_a_lead_and_trying_there_finds_the_same():
    """Over rule examples and all test drafts: each match starts where a lead stands, and the pattern
    tried at its leads (BoundedPattern) lists exactly what a scan of the whole text lists."""
    prefilter = Prefilter(NEEDLES.values(), LEADS.values())
    texts = [(t, t.lower(), prefilter.present(t.lower())) for t in ALL_TEXTS if len(t.lower()) == len(t)]
    wrong, tried = [], 0
    for pattern, found in LEADS.items():
        if found is None:
            continue
        compiled = regex.compile(pattern, _FLAGS)
        bounded = BoundedPattern(pattern)
        for text, lowered, present in texts:
            if NEEDLES[pattern] is not None and NEEDLES[pattern].isdisjoint(present):
                continue  # cannot match (the needle test above holds it)
            scanned = [m.span() for m in compiled.finditer(text) if m.end() > m.start()]
            wrong += [(pattern, text) for s, _ in scanned if not lowered.startswith(tuple(found), s)]
            if bounded.leads is not None:
                tried += 1
                assert list(bounded.finditer(text, {}, lowered, present)) == scanned, (pattern, text)
    assert not wrong, wrong[:3]
    assert tried > 10_000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_text_around_leads_is_matched_as_a_scan_matches_it(data):
    """Text stitched from a pattern's leads and needles, case changes and noise: tried at its leads,
    a pattern finds what the scan of every position finds."""
    pattern = data.draw(st.sampled_from(sorted(p for p, found in LEADS.items() if found)))
    bounded = BoundedPattern(pattern)
    strings = sorted((LEADS[pattern] or set()) | (NEEDLES[pattern] or set()) - {TRIPLED, DIGIT})
    pieces = st.one_of(st.sampled_from(strings),
                       st.sampled_from([" ", ", ", ". ", "\n", "ikke ", "не ", "niet ", "vi ", "мы ", "aaa", "1234"]),
                       st.text(max_size=6))
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    if data.draw(st.booleans()):
        text = text.upper()
    lowered = text.lower()
    if len(lowered) != len(text):
        return
    present = Prefilter([NEEDLES[pattern]], [LEADS[pattern]]).present(lowered)
    scanned = list(bounded.finditer(text, {}, lowered, None))
    assert list(bounded.finditer(text, {}, lowered, present)) == scanned, (pattern, text)


def test_an_empty_match_or_many_places_to_try_falls_back_to_the_scan():
    """A lookahead alone matches empty: how a scan goes on after an empty match is its own, so the
    pattern is scanned; so it is when a lead stands in more places than trying them is worth."""
    empty = BoundedPattern(r"\b(?=(?:ab|cd))")
    assert empty.leads == {"ab", "cd"}
    text = "ab cd xy"
    assert empty._lead_starts(text, frozenset({"ab", "cd"})) == [0, 3]
    assert list(empty.finditer(text, {}, text, frozenset({"ab", "cd"}))) == []  # its empty matches: none listed
    after = BoundedPattern(r"\b(?=ab|cd)(?:abx|cdx)?")  # a try matches, a later one matches empty: scanned on
    assert after.leads == {"ab", "cd"}
    mixed = "abx cd abx"
    assert list(after.finditer(mixed, {}, mixed, frozenset({"ab", "cd"}))) == [(0, 3), (7, 10)] == \
        [m.span() for m in regex.finditer(after.source, mixed) if m.end() > m.start()]
    words = BoundedPattern(r"\b(?:ab|cd)x")
    assert words.leads == {"abx", "cdx"}
    many = " ".join(["abx"] * (MAX_LEAD_TRIES + 1))
    assert words._lead_starts(many, frozenset({"abx"})) is None
    assert len(list(words.finditer(many, {}, many, frozenset({"abx"})))) == MAX_LEAD_TRIES + 1
    few = " ".join(["abx"] * MAX_LEAD_TRIES)
    assert words._lead_starts(few, frozenset({"abx"})) == [m.start() for m in regex.finditer("abx", few)]
    assert list(words.finditer(few, {}, few, frozenset({"abx"}))) == \
        [m.span() for m in regex.finditer(r"\b(?:ab|cd)x", few)]
    inside = " ".join(["xabx"] * (MAX_LEAD_TRIES + 1) + ["abx"])  # after a letter a \b cannot stand: not tried
    assert words._lead_starts(inside, frozenset({"abx"})) == [len(inside) - 3]
    assert list(words.finditer(inside, {}, inside, frozenset({"abx"}))) == \
        [m.span() for m in regex.finditer(r"\b(?:ab|cd)x", inside)]


def test_the_places_are_tried_one_at_a_time():
    """A caller that needs only the first match (a required rule, an `unless`) stops the tries there."""
    words = BoundedPattern(r"\b(?:ab|cd)x")
    text = " ".join(["abx"] * MAX_LEAD_TRIES)
    real = words._pattern({}, True)
    tries: list[int] = []

    class Counting:
        def match(self, *args):  # noqa: ANN002, ANN202
            tries.append(args[1])
            return real.match(*args)

    words._folded = Counting()  # type: ignore[assignment]
    assert next(words.finditer(text, {}, text, frozenset({"abx"}))) == (0, 3)
    assert tries == [0]


def test_a_pattern_that_opens_with_one_fixed_string_is_scanned():
    """The regex module finds a fixed opening by itself faster than the pattern is tried at each place."""
    assert leads(r"\bprivat(?:e)? (?:besked|chat)").strings == {"privat besked", "privat chat", "private besked",
                                                                  "private chat"}
    assert BoundedPattern(r"\bprivat(?:e)? (?:besked|chat)").leads is None
    assert BoundedPattern(r"\b(?:min|vores) kollega").leads == {"min kollega", "vores kollega"}
