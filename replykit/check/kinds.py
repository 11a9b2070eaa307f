"""The rule kinds: how each kind of rule file turns a draft into hits.

A compiled rule gets the shared `CheckContext` and the phrase matches the
engine found for it (one pass over the tokens for all rules of a language)
and returns `Hit`s. Kinds know nothing of each other.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Callable, Iterator, cast

import regex

from ..models import RuleSpec
from ..text.phrases import PhraseIndex, PhraseMatch, compile_phrase
from ..vocabulary import CATEGORIES, Channel
from .context import MAX_FINDINGS_PER_RULE, CheckContext, Hit
from .patterns import BoundedPattern, has_placeholder, lazy, phrase_to_pattern
from .prefilter import Leads

_EMOJI = regex.compile(r"\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*"
                       r"|[:;]-?[()DPp](?!\w)")
_SENTENCE_END = regex.compile(r"[.!?…]+|\n{2,}")
_EXCLAMATION = re.compile("!")  # the standard engine: a draft of thousands of "!" costs a tenth
NONE_OF, PLAIN = -1, -2


@dataclass
class CompiledRule:
    spec: RuleSpec
    lang: str
    phrases: list[tuple[tuple, str]] = field(default_factory=list)  # (word tests, replacement)
    # The group of each phrase: 0, 1, ... for all_of, NONE_OF for none_of, PLAIN for phrases/swap.
    phrase_groups: list[int] = field(default_factory=list)
    patterns: list[tuple[BoundedPattern, str]] = field(default_factory=list)
    unless: list[BoundedPattern] = field(default_factory=list)
    run: Callable[["CompiledRule", CheckContext, list[PhraseMatch]], list[Hit]] | None = None
    detector: object | None = None
    # The patterns as a set, to ask once whether any of them is worth running on a draft.
    pattern_set: frozenset[BoundedPattern] = frozenset()
    # none_of phrases, matched only when the rule has a candidate hit (they are common words:
    # in the shared phrase pass they would match on every draft).
    nones: PhraseIndex | None = None
    # The `when` conditions the rule sets, (context attribute, wanted truth): read once, not per draft.
    when: tuple[tuple[str, bool], ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> str:
        return self.spec.severity or CATEGORIES[self.spec.category]

    def applies(self, ctx: CheckContext) -> bool:
        """Channel and `when` conditions; the inquiry types are asked apart (`fits_inquiry`), once the
        rule has fired, since they may need the post classified."""
        spec = self.spec
        ch = spec.channels
        if ch == "public" and not ctx.public:
            return False
        if ch == "private" and ctx.public:
            return False
        if isinstance(ch, list) and ctx.channel not in ch:
            return False
        for name, want in self.when:
            if bool(getattr(ctx, name)) != want:
                return False
        return True

    def fits_inquiry(self, ctx: CheckContext) -> bool:
        types = self.spec.inquiry_types
        return types is None or ctx.known_inquiry_type() in types

    def names(self, ctx: CheckContext) -> dict[str, str | tuple[str, ...] | None]:
        return ctx.placeholder_values

    def silenced(self, ctx: CheckContext) -> bool:
        values = self.names(ctx)
        return any(True for p in _worth_running(self.unless, ctx)
                   for _ in p.finditer(ctx.text, values, ctx.lowered, ctx.present))

    def pattern_hits(self, ctx: CheckContext, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str]]:
        """Matches of the rule's patterns in ctx.text[lo:hi], as offsets into ctx.text."""
        return list(self._pattern_matches(ctx, lo, hi))

    def any_pattern_hit(self, ctx: CheckContext, lo: int = 0, hi: int | None = None) -> bool:
        """Whether a pattern matches in ctx.text[lo:hi]: the scan stops at the first match (a required
        rule asks no more; scanning on cost 25 ms on a 10,000-character hyphenated URL)."""
        return next(self._pattern_matches(ctx, lo, hi), None) is not None

    def _pattern_matches(self, ctx: CheckContext, lo: int, hi: int | None) -> Iterator[tuple[int, int, str]]:
        runnable = ctx.runnable
        # Only the patterns the draft's needles let through (see prefilter.py), chosen once per draft.
        if runnable is None:
            patterns = [(p, r) for p, r in self.patterns if p.may_match(ctx.present)]
        elif self.pattern_set.isdisjoint(runnable):
            return  # none of the rule's patterns can match (one test, not one per pattern)
        else:
            patterns = [(p, r) for p, r in self.patterns if p in runnable]
        if not patterns:
            return
        values = self.names(ctx)
        hi = len(ctx.text) if hi is None else hi
        target = ctx.text[lo:hi] if (lo, hi) != (0, len(ctx.text)) else ctx.text
        lowered = ctx.lowered[lo:hi] if ctx.lowered is not None else None
        for p, repl in patterns:
            for s, e in p.finditer(target, values, lowered, ctx.present):
                yield s + lo, e + lo, repl


def _worth_running(patterns: list[BoundedPattern], ctx: CheckContext) -> list[BoundedPattern]:
    """The patterns the draft's needles let through: chosen once per draft by the engine (ctx.runnable),
    else asked pattern by pattern (a caller that set only ctx.present)."""
    runnable = ctx.runnable
    if runnable is None:
        return [p for p in patterns if p.may_match(ctx.present)]
    return [p for p in patterns if p in runnable]


def compile_rule(spec: RuleSpec, lang: str, known_needles: dict[str, frozenset[str] | None] | None = None,
                 known_leads: dict[str, Leads | None] | None = None) -> CompiledRule:
    """Compile phrases; patterns compile on first use (they were checked when read)."""
    rule = CompiledRule(spec, lang)
    rule.when = tuple((name, want) for name in ("customer_name", "agent_name", "inquiry")
                      if (want := getattr(spec.when, name)) is not None)
    sources: list[tuple[str, str]] = [(p, "") for p in spec.phrases] + list(spec.swap.items())
    for phrase, replacement in sources:
        if has_placeholder(phrase):
            rule.patterns.append((lazy(phrase_to_pattern(phrase)), replacement))
        else:
            tests = compile_phrase(phrase, lang)
            if tests:
                rule.phrases.append((tests, replacement))
                rule.phrase_groups.append(PLAIN)
    for group, members in enumerate(spec.all_of):
        for phrase in members:
            tests = compile_phrase(phrase, lang)
            if tests:
                rule.phrases.append((tests, ""))
                rule.phrase_groups.append(group)
    if spec.none_of:
        rule.nones = PhraseIndex(slop=1)
        for phrase in spec.none_of:
            rule.nones.add(compile_phrase(phrase, lang), NONE_OF)
    # Each pattern is scanned on its own: joined into one alternation they were 3x
    # slower on the bundled rules (the engine finds each pattern's literals fast alone).
    rule.patterns += [(lazy(p, known_needles, known_leads), "") for p in spec.patterns]
    rule.unless = [lazy(p, known_needles, known_leads) for p in spec.unless]
    rule.pattern_set = frozenset(p for p, _ in rule.patterns)
    rule.run = KINDS[spec.kind]
    return rule


# ------------------------------------------------------------------- the kinds


def _existence(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    """Every phrase or pattern match, unless a none_of phrase (a condition, a negation) stands within
    `none_within` words of it in the same sentence."""
    spans = {(m.start, m.end): rule.phrases[m.payload][1] for m in matches}
    for s, e, repl in rule.pattern_hits(ctx):
        spans.setdefault((s, e), repl)
    if spans and rule.nones is not None:
        nones = list(rule.nones.finditer(ctx.tokens, ctx.stems))
        if nones:
            spans = {span: repl for span, repl in spans.items() if not _near_none(rule, ctx, span, nones)}
    if not spans:
        return []
    hits = []
    last_end = -1
    for (s, e), repl in sorted(spans.items()):
        if s < last_end:  # overlapping matches of one rule: keep the first
            continue
        hits.append(Hit(s, e, replacements=(repl,) if repl else ()))
        last_end = e
        if len(hits) > MAX_FINDINGS_PER_RULE:
            break  # the engine lists the first ones and says there were more
    return hits


def _near_none(rule: CompiledRule, ctx: CheckContext, span: tuple[int, int], nones: list[PhraseMatch]) -> bool:
    start, end = span
    # Binary searches over the draft's sorted sentences and tokens (scanning them per match was
    # quadratic in a draft that repeats a phrase hundreds of times).
    sentences = ctx.sentences
    at = bisect_right(ctx.sentence_starts, start) - 1
    sentence = sentences[at] if at >= 0 and start < sentences[at][1] else (0, len(ctx.text))
    first = bisect_right(ctx.token_ends, start)  # the first token ending after `start`
    before_end = bisect_left(ctx.token_starts, end) - 1  # the last token starting before `end`
    last = max(first, before_end if before_end >= 0 else first)
    window = rule.spec.none_within
    return any(sentence[0] <= n.start and n.end <= sentence[1]
               and n.last >= first - window and n.first <= last + window for n in nones)


def _substitution(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    hits = _existence(rule, ctx, matches)
    msg = rule.spec.message
    return [Hit(h.start, h.end, f"{msg} ('{ctx.text[h.start:h.end]}' → '{h.replacements[0]}')"
                if h.replacements else msg, h.replacements) for h in hits]


def _occurrence(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    spec = rule.spec
    if spec.token == "emoji":
        spans = [(m.start(), m.end()) for m in _EMOJI.finditer(ctx.text)]
    elif spec.token == "exclamation":
        spans = [(m.start(), m.end()) for m in _EXCLAMATION.finditer(ctx.text)]
    else:
        spans = sorted({(m.start, m.end) for m in matches} | {(s, e) for s, e, _ in rule.pattern_hits(ctx)})
    limit = int(spec.max if spec.max is not None else 0)
    if len(spans) <= limit:
        return []
    msg = f"{spec.message} ({len(spans)} found, at most {limit})"
    return [Hit(s, e, msg) for s, e in spans[limit:limit + MAX_FINDINGS_PER_RULE + 1]]


def _scope(rule: CompiledRule, ctx: CheckContext) -> tuple[int, int]:
    n = len(ctx.text.rstrip())
    if rule.spec.scope == "start":
        return 0, min(n, rule.spec.scope_chars)
    if rule.spec.scope == "end":
        return max(0, n - rule.spec.scope_chars), n
    return 0, n


def _required(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    lo, hi = _scope(rule, ctx)
    for m in matches:
        if m.start >= lo and m.end <= hi:
            return []
    if rule.any_pattern_hit(ctx, lo, hi):
        return []
    return [Hit(lo, hi)]


_WORDS = re.compile(r"\w+")


def lix(text: str, words: list[str] | None = None) -> float:
    """`words`: _WORDS.findall(text), when the caller has it already."""
    tokens = _WORDS.findall(text) if words is None else words
    if not tokens:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    long_words = sum(1 for t in tokens if len(t) > 6)
    return len(tokens) / sentences + 100.0 * long_words / len(tokens)


def measure(metric: str, text: str, words: list[str] | None = None) -> float:
    if metric == "lix":
        return lix(text, words)
    if metric == "words":
        return float(len(regex.findall(r"\w+", text)))
    if metric == "sentence_words":
        parts = [p for p in _SENTENCE_END.split(text) if regex.search(r"\w", p)]
        return max((len(regex.findall(r"\w+", p)) for p in parts), default=0)
    if metric == "caps_ratio":
        letters = [c for c in text if c.isalpha()]
        return sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 20 else 0.0
    raise ValueError(metric)


def _metric(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    spec = rule.spec
    words = _WORDS.findall(ctx.text) if spec.min_words or spec.metric == "lix" else None  # one scan for both
    if spec.min_words and len(cast(list[str], words)) < spec.min_words:
        return []
    value = measure(spec.metric or "words", ctx.text, words)
    if (spec.max is not None and value > spec.max) or (spec.min is not None and value < spec.min):
        bound = f"at most {spec.max:g}" if spec.max is not None and value > spec.max else f"at least {spec.min:g}"
        return [Hit(0, len(ctx.text), f"{spec.message} ({spec.metric} {value:.0f}, {bound})")]
    return []


def _length(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    limit = rule.spec.limits.get(cast(Channel, ctx.channel)) if ctx.channel else None
    n = len(ctx.norm.original)
    if limit is None or n <= limit:
        return []
    # Flag what does not fit; offsets are mapped by the engine, so work in
    # normalised text: find the normalised position of original char `limit`.
    source = ctx.norm.source
    cut = next((i for i, s in enumerate(source) if s >= limit), len(ctx.text))
    return [Hit(cut, len(ctx.text), f"{rule.spec.message} ({n} characters, {ctx.channel} allows {limit})")]


def _cooccurrence(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    """One hit per sentence (or draft) holding a phrase of every all_of group.

    A none_of phrase (a negation, a condition) keeps it quiet only when it stands within
    `none_within` words of one of the matches: "Virker det ikke, så skriv til os, og vi giver dig
    rabat" is still a promise, "du får ikke pengene tilbage" is not.
    """
    groups = len(rule.spec.all_of)
    if not matches or not groups:
        return []
    group_of = rule.phrase_groups
    if len({group_of[m.payload] for m in matches if group_of[m.payload] >= 0}) < groups:
        return []  # a group the whole draft lacks, no sentence of it has: most drafts end here
    scopes = ctx.sentences if rule.spec.within == "sentence" else [(0, len(ctx.text))]
    window = rule.spec.none_within
    hits = []
    nones: list[PhraseMatch] | None = None
    none_starts: list[int] = []
    # Matches by start, so each sentence takes its own slice (filtering every match per sentence was
    # quadratic: a promise repeated 500 times cost 500 x 1,000 comparisons).
    ordered = sorted(matches, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for lo, hi in scopes:
        inside = [m for m in ordered[bisect_left(starts, lo):bisect_left(starts, hi)] if m.end <= hi]
        wanted = [m for m in inside if rule.phrase_groups[m.payload] >= 0]
        if {rule.phrase_groups[m.payload] for m in wanted} != set(range(groups)):
            continue
        reach = rule.spec.all_within
        if reach is not None and not _groups_meet(rule, wanted, groups, reach):
            continue
        if nones is None:
            nones = sorted(rule.nones.finditer(ctx.tokens, ctx.stems), key=lambda n: n.start) \
                if rule.nones is not None else []
            none_starts = [n.start for n in nones]
        if any(n.end <= hi and any(n.last >= m.first - window and n.first <= m.last + window for m in wanted)
               for n in nones[bisect_left(none_starts, lo):bisect_left(none_starts, hi)]):
            continue
        hits.append(Hit(min(m.start for m in wanted), max(m.end for m in wanted)))
    return hits


def _groups_meet(rule: CompiledRule, wanted: list[PhraseMatch], groups: int, reach: int) -> bool:
    """Some match of every group lies within `reach` words of a match of the first group."""
    anchors = [m for m in wanted if rule.phrase_groups[m.payload] == 0]
    for a in anchors:
        near = {rule.phrase_groups[m.payload] for m in wanted
                if m.first <= a.last + reach and m.last >= a.first - reach}
        if len(near) == groups:
            return True
    return False


def _detector(rule: CompiledRule, ctx: CheckContext, matches: list[PhraseMatch]) -> list[Hit]:
    if rule.detector is None:
        return []
    return rule.detector.findings(ctx, rule.spec.options)  # type: ignore[attr-defined]


# Kinds whose findings point at particular words (not at the draft as a whole).
PHRASE_KINDS = frozenset({"existence", "substitution", "cooccurrence"})

KINDS: dict[str, Callable[[CompiledRule, CheckContext, list[PhraseMatch]], list[Hit]]] = {
    "existence": _existence,
    "substitution": _substitution,
    "occurrence": _occurrence,
    "required": _required,
    "metric": _metric,
    "length": _length,
    "detector": _detector,
    "cooccurrence": _cooccurrence,
}
