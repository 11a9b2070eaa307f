"""Reading rule folders (bundled first, then a brand's) into a compiled RuleSet."""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from pathlib import Path

import regex

from ..errors import PackError
from ..models import RuleSpec
from ..pack.cache import cached
from ..pack.templates import Source, validate
from ..pack.yamlio import LineDict, line_of, load_yaml
from ..text.phrases import PhraseIndex
from . import rules_json
from .detectors import DETECTORS
from .kinds import PHRASE_KINDS, CompiledRule, compile_rule
from .pack_values import pack_variables, resolve_spec
from .patterns import has_placeholder
from .prefilter import Leads, PatternChoice, Prefilter, leads, needles


@dataclass(frozen=True)
class LangRules:
    rules: tuple[CompiledRule, ...]
    phrases: PhraseIndex  # payload: (rule index, phrase index)
    prefilter: Prefilter  # needles of every pattern, to skip those that cannot match, and their leads
    choice: PatternChoice  # the patterns worth running, from the needles the prefilter found
    phrase_rule_ids: frozenset[str]  # rules whose findings point at words (merged when they overlap)


class RuleSet:
    """All rule specs, validated at load; compiled per language on first use."""

    def __init__(self, specs: dict[str, RuleSpec], sources: dict[str, Source], files: tuple[Path, ...],
                 detectors: dict[str, object], needle_map: dict[str, frozenset[str] | None] | None = None,
                 values: dict[str, dict[str, str]] | None = None,
                 lead_map: dict[str, Leads | None] | None = None):
        self.specs = specs
        self.values = values or {}  # lang -> the pack's variables: {{ brand_site }} in rules (pack_values.py)
        self.needle_map = needle_map or {}
        self.lead_map = lead_map or {}
        self.sources = sources
        self.files = files
        self.detectors = detectors
        self._by_lang: dict[str, LangRules] = {}
        self._lock = threading.Lock()

    def restricted(self, categories: frozenset[str]) -> "RuleSet":
        """The rules of these categories alone (compiled anew): what training runs over its data,
        without the phrase index and patterns of the rules it does not read."""
        specs = {rule_id: spec for rule_id, spec in self.specs.items() if spec.category in categories}
        return RuleSet(specs, self.sources, self.files, self.detectors, self.needle_map, self.values, self.lead_map)

    def for_lang(self, lang: str) -> LangRules:
        compiled = self._by_lang.get(lang)
        if compiled is None:
            with self._lock:
                compiled = self._by_lang.get(lang)
                if compiled is None:
                    compiled = self._by_lang[lang] = _compile_lang(self, lang)
        return compiled


def read_rule_specs(folders: list[Path]) -> tuple[dict[str, RuleSpec], dict[str, Source], list[Path]]:
    """Later folders override earlier ones rule by rule (same id).

    An override names only what it changes: `{id: da.tone.slang, enabled: false}`
    switches a bundled rule off, `{id: ..., severity: error}` hardens it.
    """
    specs: dict[str, RuleSpec] = {}
    raw: dict[str, LineDict] = {}
    sources: dict[str, Source] = {}
    files: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise PackError("rule folder not found", folder)
        seen_here: dict[str, Source] = {}
        for path in sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml")):
            if any(part.startswith((".", "_")) for part in path.relative_to(folder).parts):
                continue
            data = load_yaml(path)
            rule_id = data.get("id") if isinstance(data, dict) else None
            if isinstance(rule_id, str) and rule_id in raw and rule_id not in seen_here:
                data = _overlay(raw[rule_id], data)
            spec = validate(RuleSpec, data, path)
            line = line_of(data, ("id",))
            if spec.id in seen_here:
                raise PackError(f"duplicate rule id {spec.id!r} (also in {seen_here[spec.id]})", path, line)
            _check_spec(spec, data, path)
            seen_here[spec.id] = Source(path, line)
            specs[spec.id] = spec
            raw[spec.id] = data
            sources[spec.id] = Source(path, line)
            files.append(path)
    return specs, sources, files


def _overlay(base: LineDict, update: LineDict) -> LineDict:
    merged = LineDict(base)
    merged.update(update)
    merged.key_lines = {**base.key_lines, **update.key_lines}
    merged.line = update.line
    return merged


def _check_spec(spec: RuleSpec, data: LineDict, path: Path) -> None:
    from .pack_values import sample_filled
    from .patterns import UnsafePattern, bounded

    def fail(key: str, msg: str) -> None:
        raise PackError(f"{key}: {msg}", path, line_of(data, (key,)))

    kind = spec.kind
    if kind in ("existence", "required") and not (spec.phrases or spec.patterns):
        fail("kind", f"a {kind} rule needs phrases or patterns")
    if kind == "substitution" and not spec.swap:
        fail("swap", "a substitution rule needs swap: {phrase: replacement}")
    if kind == "occurrence" and (spec.token is None or spec.max is None):
        fail("token", "an occurrence rule needs token (emoji, exclamation, match) and max")
    if kind == "occurrence" and spec.token == "match" and not (spec.phrases or spec.patterns):
        fail("token", "token: match needs phrases or patterns")
    if kind == "cooccurrence" and (len(spec.all_of) < 2 or not all(spec.all_of)):
        fail("all_of", "a cooccurrence rule needs all_of: two or more non-empty phrase groups")
    if kind != "cooccurrence" and spec.all_of:
        fail("all_of", "all_of belongs to cooccurrence rules")
    if kind not in ("cooccurrence", "existence", "substitution") and spec.none_of:
        fail("none_of", "none_of belongs to cooccurrence, existence and substitution rules")
    if kind == "metric" and (spec.metric is None or (spec.max is None and spec.min is None)):
        fail("metric", "a metric rule needs metric and max or min")
    if kind == "length" and not spec.limits:
        fail("limits", "a length rule needs limits: {channel: characters}")
    if kind == "detector":
        if spec.detector not in DETECTORS:
            fail("detector", f"unknown detector {spec.detector!r} (known: {', '.join(sorted(DETECTORS))})")
    for key in ("patterns", "unless"):
        for i, pattern in enumerate(getattr(spec, key)):
            try:
                bounded(sample_filled(pattern))
            except regex.error as exc:
                raise PackError(f"{key}[{i}]: broken regular expression: {exc}", path,
                                line_of(data, (key, i))) from None
            except UnsafePattern as exc:
                raise PackError(f"{key}[{i}]: pattern refused, it can backtrack super-linearly ({exc}); "
                                "see 'Patterns that are refused' in docs/rules.md", path,
                                line_of(data, (key, i))) from None


def _read_for_cache(folders: list[Path]) -> tuple[dict[str, RuleSpec], dict[str, Source], list[Path], dict, dict]:
    """The specs plus every pattern's prefilter needles and leads: all cached with the pack."""
    specs, sources, files = read_rule_specs(folders)
    plain = [p for spec in specs.values() if spec.enabled
             for p in [*spec.patterns, *spec.unless] if not has_placeholder(p) and not pack_variables(p)]
    return specs, sources, files, {p: needles(p) for p in plain}, {p: leads(p) for p in plain}


def build_ruleset(folders: list[Path], detector_config: dict | None = None,
                  disabled: tuple[list[str], Path] | None = None,
                  values: dict[str, dict[str, str]] | None = None) -> RuleSet:
    """`disabled`: a brand pack's `disabled_rules` and its config file (named when an id is unknown);
    `values`: the pack's variables per language, for {{ brand_site }}-style placeholders in rules."""
    specs, sources, files, needle_map, lead_map = cached("rules+needles+leads", folders,
                                                         lambda: _read_for_cache(folders),
                                                         rules_json.encode, rules_json.decode)
    for rule_id in (disabled[0] if disabled else []):
        if rule_id not in specs:
            raise PackError(f"disabled_rules: no rule {rule_id!r}", disabled[1])  # type: ignore[index]
        specs = {**specs, rule_id: specs[rule_id].model_copy(update={"enabled": False})}
    detectors: dict[str, object] = {name: factory(detector_config or {}) for name, factory in DETECTORS.items()}
    return RuleSet(specs, sources, tuple(files), detectors, needle_map, values, lead_map)


def _compile_lang(ruleset: RuleSet, lang: str) -> LangRules:
    compiled: list[CompiledRule] = []
    index: PhraseIndex = PhraseIndex(slop=1)
    for spec in ruleset.specs.values():
        if not spec.enabled or (spec.langs is not None and lang not in spec.langs):
            continue
        spec = resolve_spec(spec, ruleset.values.get(lang, {}))  # {{ brand_site }} -> this pack's value
        rule = compile_rule(spec, lang, ruleset.needle_map, ruleset.lead_map)  # patterns were validated when read
        if spec.kind == "detector":
            rule.detector = ruleset.detectors[spec.detector]  # type: ignore[index]
        for j, (tests, _) in enumerate(rule.phrases):
            index.add(tests, (len(compiled), j))
        compiled.append(rule)
    patterns = [p for rule in compiled for p in itertools.chain((p for p, _ in rule.patterns), rule.unless)]
    phrase_rule_ids = frozenset(r.id for r in compiled if r.spec.kind in PHRASE_KINDS)
    prefilter = Prefilter((p.needles for p in patterns), (p.leads for p in patterns))
    return LangRules(tuple(compiled), index, prefilter, PatternChoice(patterns),
                     phrase_rule_ids)
