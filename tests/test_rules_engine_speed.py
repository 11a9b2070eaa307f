"""The rules engine's faster paths give exactly what the code they replaced gave.

The phrase pass now starts from each phrase's rarest stem instead of walking every token; the rule
patterns worth running are chosen once per draft instead of asked pattern by pattern; stems come from a
per-language cache. Each test compares the new path with the old one (copied here), same values, same order.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from replykit.check.kinds import _WORDS, lix, measure
from replykit.text.normalize import normalize
from replykit.text.phrases import PhraseIndex, _gap_match, _prefix, compile_phrase
from replykit.text.tokens import Token, compound_windows, stem, stemmer_for, tokenize

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("da", "no", "nl", "ru")
ODD = ["", "   ", "!!! ??", "Hej " * 40, "12 34 56 1234 AB 0800-1234", "ёлка Ёж ёж", "Kundeservice-teamet! :)",
       "WIFI wifi Wi-Fi wi-fi wifi.", "a\n\nb\n\nc", "Ťřïçķŷ ŵöŕđš ånd æøå", "#ProjectNordlys projekt-nordlys",
       "vi vi vi kan ikke ikke gøre noget noget ved det det", "Я не могу не могу вам помочь, не надо"]


def _drafts(lang: str, limit: int = 80) -> list[str]:
    rows = []
    for path in sorted((ROOT / "templates" / lang / "labelled").glob("*.drafts.jsonl")):
        rows += [json.loads(line)["draft"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] + ODD


def _per_token_walk(index: PhraseIndex, tokens: list[Token]) -> list[tuple]:
    """PhraseIndex.finditer as it was: every token looks up the phrases starting with its stem or letters."""
    n = len(tokens)
    present = {tok.stem for tok in tokens}
    short = [e for e in index._short_prefix if e[2] <= present]
    out = []
    for i, tok in enumerate(tokens):
        cands = [e for e in index._by_stem.get(tok.stem, ()) if e[2] <= present]
        pcands = [e for e in index._by_prefix3.get(tok.text[:3], ()) if e[2] <= present]
        after = tokens[i + 1].stem if i + 1 < n else None
        after_gap = tokens[i + 2].stem if index.slop and i + 2 < n else None
        for group in (cands, pcands, short):
            for tests, payload, _, second, *_ in group:
                size = len(tests)
                if size > n - i or second is not None and second != after and second != after_gap:
                    continue
                matched = _prefix(tests, tokens, i)
                if matched == size:
                    j = i + size - 1
                    out.append((payload, i, j, tok.start, tokens[j].end))
                elif index.slop and size >= index.SLOP_MIN_WORDS and size < n - i and \
                        _gap_match(tests, tokens, i, matched):
                    j = i + size
                    out.append((payload, i, j, tok.start, tokens[j].end))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_pass_gives_the_per_token_walks_matches_in_its_order(kit, lang):
    lang_rules = kit._loaded.rules.for_lang(lang)
    indexes = [lang_rules.phrases] + [r.nones for r in lang_rules.rules if r.nones is not None]
    loaded = kit._loaded  # suggest's indexes (inquiry types, escalation cues, preferences) share the matcher
    model = loaded.model(lang)
    indexes += [model.triggers, model.negatives, loaded.signals(lang).index, loaded.preferences(lang).index]
    assert len(indexes) > 5
    compared = 0
    for draft in _drafts(lang):
        text = normalize(draft).text
        tokens = tokenize(text, lang)
        stems = frozenset(t.stem for t in tokens)
        runs = [tokens] + [parts for parts, _ in compound_windows(tokens, text, lang)]
        for index in indexes:
            for words in runs:
                want = _per_token_walk(index, words)
                got = [tuple(m) for m in index.finditer(words)]
                assert got == want, (lang, draft[:60])
                compared += len(want)
            # the caller's stem set (the check's context) selects the same phrases
            assert [tuple(m) for m in index.finditer(tokens, stems)] == _per_token_walk(index, tokens)
    assert compared > 50  # the drafts do match phrases: the comparison is not vacuous


def test_phrase_index_rebuilds_its_anchors_when_a_phrase_is_added():
    index: PhraseIndex = PhraseIndex(slop=1)
    index.add(compile_phrase("router", "da"), "a")
    tokens = tokenize("min router og mit modem", "da")
    assert [m.payload for m in index.finditer(tokens)] == ["a"]
    index.add(compile_phrase("mit modem", "da"), "b")  # added after a search: must be found too
    assert [m.payload for m in index.finditer(tokens)] == ["a", "b"]


@pytest.mark.parametrize("lang", LANGS)
def test_patterns_chosen_per_draft_are_those_each_pattern_lets_through(kit, lang):
    lang_rules = kit._loaded.rules.for_lang(lang)
    patterns = [p for r in lang_rules.rules for p in [*(p for p, _ in r.patterns), *r.unless]]
    assert lang_rules.choice.select(None) is None  # no prefilter: every pattern runs
    skipped = 0
    for draft in _drafts(lang):
        lowered = normalize(draft).text.lower()
        present = lang_rules.prefilter.present(lowered)
        want = {p for p in patterns if p.may_match(present)}
        assert set(lang_rules.choice.select(present)) == want, draft[:60]
        skipped += len(patterns) - len(want)
    assert skipped > 0


@pytest.mark.parametrize("lang", LANGS)
def test_per_language_stem_cache_gives_stem(lang):
    words = ["Ёжик", "ёлка", "12345", "ab", "Hjælpe", "teknikerne", "opzeggen", "подключить", "wi-fi", ""]
    words += [t.text for draft in _drafts(lang, limit=10) for t in tokenize(draft, lang)]
    of_lang = stemmer_for(lang)
    assert [of_lang(w) for w in words] == [stem(w, lang) for w in words]


def test_lix_with_the_callers_word_scan_is_lix():
    for draft in _drafts("da", limit=30):
        text = normalize(draft).text
        assert lix(text, _WORDS.findall(text)) == lix(text) == measure("lix", text)


def test_a_required_rule_stops_at_its_first_pattern_match(kit, monkeypatch):
    """`required` asks whether a pattern matches, so the scan stops at the first match (a pattern that
    would go on over a 10,000-character URL cost 25 ms): a scan past it fails here."""
    from replykit.check.engine import make_context
    from replykit.check.patterns import BoundedPattern

    rule = next(r for r in kit._loaded.rules.for_lang("da").rules
                if r.spec.kind == "required" and r.patterns)
    ctx = make_context("Hej. " * 20, "da", "facebook", customer_name="Anna Hansen", agent_name="Peter")

    def first_then_fail(self, text, values, lowered=None, present=None):
        yield 0, 1
        raise AssertionError("scanned past the first match")

    monkeypatch.setattr(BoundedPattern, "finditer", first_then_fail)
    assert ctx.runnable is None  # no prefilter here: every pattern may run
    assert rule.run(rule, ctx, []) == []  # found: nothing to report, and nothing scanned after it
    with pytest.raises(AssertionError, match="past the first match"):
        rule.pattern_hits(ctx)  # listing every match does scan on


@pytest.mark.parametrize("lang", ["da", "nl"])
def test_a_caller_that_sets_only_present_still_skips_patterns(kit, lang, monkeypatch):
    """The engine chooses the patterns once per draft (ctx.runnable); a caller that set only ctx.present
    (bench/common.py's rule costs did) gets the same patterns scanned, asked one by one."""
    from replykit.check.engine import make_context
    from replykit.check.patterns import BoundedPattern

    lang_rules = kit._loaded.rules.for_lang(lang)
    scanned: list[str] = []
    real = BoundedPattern.finditer

    def recording(self, text, values, lowered=None, present=None):
        scanned.append(self.source)
        return real(self, text, values, lowered, present)

    monkeypatch.setattr(BoundedPattern, "finditer", recording)
    every = sum(len(r.patterns) for r in lang_rules.rules)
    for draft in _drafts(lang, limit=15):
        results = []
        for choose_once in (True, False):
            ctx = make_context(draft, lang, "facebook", customer_name="Anna Hansen", agent_name="Peter")
            if ctx.lowered is None:
                continue
            ctx.present = lang_rules.prefilter.present(ctx.lowered)
            if choose_once:
                ctx.runnable = lang_rules.choice.select(ctx.present)
            scanned.clear()
            hits = [rule.pattern_hits(ctx) for rule in lang_rules.rules]
            results.append((hits, sorted(scanned)))
        if results:
            assert results[0] == results[1]
            assert len(results[0][1]) < every


def test_the_post_is_classified_only_once_a_rule_limited_to_some_types_has_fired(kit, monkeypatch):
    """Classifying the customer's post is the dearest step of a check; only a rule for some inquiry
    types needs it, and only when it fired. The verdict is the one the type decides."""
    loaded_type = type(kit._loaded)  # noqa: SLF001
    classify = loaded_type.inquiry_type
    calls: list[str] = []
    monkeypatch.setattr(loaded_type, "inquiry_type", lambda self, lang, text: calls.append(text) or
                        classify(self, lang, text))
    outage, praise = "Min router blinker rødt og internettet virker ikke", \
        "Tusind tak for den hurtige hjælp i går, teknikeren var super flink!"

    def fired(draft: str, post: str) -> tuple[int, bool]:
        calls.clear()
        result = kit.check(draft, lang="da", channel="facebook", inquiry=post, customer_name="Mette",
                           agent_name="Line")
        return len(calls), any(f.rule_id == "da.make.next_step" for f in result.findings)

    with_step = ("Hej Mette. Prøv at genstarte routeren, og skriv til os i en privat besked, hvis det ikke "
                 "hjælper. Hilsen Line")
    assert fired(with_step, outage) == (0, False)  # nothing fired that depends on the type: not classified
    bare = "Hej Mette. Det er vi kede af at høre. Hilsen Line"
    assert fired(bare, outage) == (1, True)  # an outage needs a next step
    assert fired(bare, praise) == (1, False)  # thanks for praise need none
