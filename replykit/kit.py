"""`ReplyKit`: the one object integrations use.

It holds one immutable `_Loaded` (templates, rules, classifiers) built at load
time. `reload()` builds a new one and swaps the reference, so a thread in the
middle of a call never sees half a pack, and a broken update leaves the last
good pack serving.
"""
from __future__ import annotations

import logging
import os
import threading
import weakref
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, cast

from .check.closest import ClosestTemplates
from .check.context import CheckContext
from .check.detectors.languagetool import LanguageToolClient
from .check.detectors.spelling import SpellerPool
from .check.engine import run_rules, scores, sort_findings, verdict
from .check.failures import stage_failure
from .check.meaning import judge, score_draft, sentence_key
from .check.mismatch import language_mismatch
from .check.names import person_name
from .check.ruleset import RuleSet, build_ruleset
from .check.whole_draft import judge_whole_draft
from .compose import render_samples, render_variant
from .errors import InputError, MissingVariablesError, PackError, UnknownTemplateError
from .learn.features import public_number_mask
from .learn.packs import ModelState, find_model, public_numbers
from .offsets import with_utf16_offsets
from .pack import files as pack_files
from .pack import templates_json
from .pack.cache import cached
from .pack.layers import cache_roots, rule_layout
from .pack.templates import CompiledVariant, TemplatePack, load_templates
from .results import Candidate, CheckResult, Escalation, SuggestResult, TemplateInfo
from .suggest.classify import LanguageModel, Scored
from .suggest.prefer import Preferences
from .suggest.rank import Choice, rank, reply_choices
from .suggest.signals import SignalMatcher
from .text.language import LanguageDetector, LanguageGuess
from .text.normalize import normalize
from .text.sentences import sentence_spans
from .text.tokens import Token, tokenize
from .variables import VariableGuard, guard_for_pack
from .vocabulary import CHANNELS, canonical_channel, canonical_lang

if TYPE_CHECKING:
    from .feedback import FeedbackLog, FeedbackStore

log = logging.getLogger("replykit")

DEFAULT_MAX_CHARS = 100_000
MAX_CANDIDATES = 5


def bundled_path(kind: str) -> Path:
    """templates/ or rules/ inside the installed wheel, else in the checkout."""
    packaged = Path(str(resources.files("replykit"))) / "_data" / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / kind


@dataclass(frozen=True)
class _Loaded:
    templates: TemplatePack
    rules: RuleSet
    detector: LanguageDetector
    use_models: bool = True
    _lazy: dict = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)  # one lazy value may build another

    def _get(self, key: tuple[str, str], build):  # noqa: ANN001
        # Built on first use per language: a CLI call pays only for its language.
        value = self._lazy.get(key)
        if value is None:
            with self._lock:
                value = self._lazy.get(key)
                if value is None:
                    value = self._lazy[key] = build()
        return value

    def model(self, lang: str) -> LanguageModel:
        data = self.templates.langs[lang]
        return self._get(("model", lang), lambda: LanguageModel(
            lang, {t: tf.recognition for t, tf in data.types.items()}))

    def learned(self, lang: str) -> ModelState:
        """The pack's trained model of a language (none when missing, stale or switched off)."""
        if not self.use_models:
            return ModelState(None, None)
        return self._get(("learned", lang), lambda: find_model(self.templates, lang))

    def brand_name(self, lang: str) -> str | None:
        """The pack's brand name in this language: rules may say {{brand_name}}."""
        value = self.templates.langs[lang].spec.variables.get("brand_name")
        spec = self.templates.meta.variables.get("brand_name")
        return value or (spec.default if spec else None)

    def classify(self, lang: str, text: str, tokens: list[Token] | None = None,
                 explain: bool = True) -> tuple[Scored, list[Escalation]]:
        """Score a normalised post against the inquiry types, escalation cues counting for provocation.
        `tokens`: tokenize(text, lang) when the caller has it already; `explain=False`: no `matched`
        words from the model (check wants the type alone)."""
        if tokens is None:
            tokens = tokenize(text, lang)  # once for the escalation cues and the trigger classifier
        escalation = self.signals(lang).escalations(text, tokens)
        model = self.learned(lang).model
        if model is None:
            return self.rule_scores(lang, text, escalation, tokens), escalation
        probs, top = model.inquiry_scores(text, explain)
        if model.inquiry_blend:
            rules = self.rule_scores(lang, text, escalation, tokens).scores
            w = model.inquiry_blend
            probs = {t: (1 - w) * p + w * rules.get(t, 0.0) for t, p in probs.items()}
        probs = SignalMatcher.not_an_order(probs, escalation)
        return Scored(probs, probs, {top[0][0]: _readable(top)} if top else {}), escalation

    def rule_scores(self, lang: str, text: str, escalation: list[Escalation] | None = None,
                    tokens: list[Token] | None = None) -> Scored:
        """The trigger-based classifier of the pack's recognition data (escalation cues count for provocation)."""
        if escalation is None:
            escalation = self.signals(lang).escalations(text)
        bonus = {"provocation": SignalMatcher.provocation_bonus(text, escalation)}
        scored = self.model(lang).score(text, bonus, tokens)
        scores = SignalMatcher.not_an_order(scored.scores, escalation)
        return Scored(scores, scored.raw, scored.matched)

    def inquiry_type(self, lang: str, text: str) -> str | None:
        """The most likely type of a normalised post (all that check needs of the inquiry)."""
        scores = self.classify(lang, text, explain=False)[0].scores
        return max(scores, key=lambda t: scores[t]) if scores else None

    def reply_choices(self, lang: str, channel: str | None, inquiry_type: str,
                      include_drafts: bool) -> tuple[Choice, ...]:
        """The variants that may answer a type here (suggest/rank.py), worked out once per kit."""
        key = (lang, f"choices|{channel}|{inquiry_type}|{include_drafts}")
        return self._get(key, lambda: reply_choices(self.templates, lang, channel, inquiry_type, include_drafts))

    def preferences(self, lang: str) -> Preferences:
        return self._get(("prefer", lang), lambda: Preferences(self.templates, lang))

    def variable_guard(self) -> VariableGuard:
        """The pack's check of caller values (built once: its hosts and personal-data detector)."""
        return self._get(("guard", ""), lambda: guard_for_pack(self.templates))

    def signals(self, lang: str) -> SignalMatcher:
        return self._get(("signals", lang), lambda: SignalMatcher(lang, self.templates.langs[lang].signals))

    def closest(self, lang: str) -> ClosestTemplates:
        """This language's variants rendered with sample values, for the closest-template search."""
        return self._get(("closest", lang), lambda: ClosestTemplates([(cv.template_id, text)
                                                                      for cv, text in self.rendered(lang)]))

    def number_mask(self, lang: str) -> Callable[[str], str]:
        """The pack's public numbers written as one word for the model, as at training time."""
        return self._get(("numbers", lang), lambda: public_number_mask(public_numbers(self.templates, lang)))

    def approved_sentences(self, lang: str) -> frozenset[str]:
        """Every sentence of this language's approved replies (rendered with samples), as compared by check."""
        def build() -> frozenset[str]:
            texts = [normalize(text).text for cv, text in self.rendered(lang) if cv.approved]
            return frozenset(sentence_key(t[s:e]) for t in texts for s, e in sentence_spans(t))
        return self._get(("approved", lang), build)

    def unrendered(self, lang: str) -> list[str]:
        """Template ids of this language that did not render with samples (left out of the search)."""
        def build() -> list[str]:
            done = {cv.template_id for cv, _ in self.rendered(lang)}
            return sorted(cv.template_id for (_, vlang), cv in self.templates.variants.items()
                          if vlang == lang and cv.template_id not in done)
        return self._get(("unrendered", lang), build)

    def rendered(self, lang: str) -> list[tuple[CompiledVariant, str]]:
        """(variant, text) of every variant of a language rendered with samples: rendered once per pack."""
        return self._get(("rendered", lang), lambda: render_samples(self.templates, lang))


def _readable(top: list[tuple[str, str, float]]) -> list[str]:
    """The words that speak most for a prediction, each once ("nede" and "nede!" read as one word)."""
    return list(dict.fromkeys(label for _, label, _ in top))[:5]


def _build(templates: Path, rule_folders: list[Path], detector_config: dict, use_models: bool = True,
           disabled: tuple[list[str], Path] | None = None) -> _Loaded:
    # Regular files within size bounds, rule folders not empty: before any file is opened (cache included).
    roots = cache_roots(templates)
    pack_files.survey([*roots, *rule_folders])
    pack_files.check_rule_folders(rule_folders)
    pack = cached("templates", roots, lambda: load_templates(templates),
                  templates_json.encode, templates_json.decode)
    vocab = {lang: list(data.spec.vocabulary) for lang, data in pack.langs.items()}
    domains = set()
    for data in pack.langs.values():
        for key in ("brand_site",):
            value = data.spec.variables.get(key)
            if value:
                domains.add(value.split("/")[0].lower().removeprefix("www."))
    # The brand's own hotline per language (pack variable `hotline`): fine on a public wall.
    hotlines = {lang: list(numbers) for lang in pack.langs if (numbers := public_numbers(pack, lang))}
    config = {**detector_config, "vocabulary": vocab, "brand_domains": sorted(domains), "brand_numbers": hotlines}
    rules = build_ruleset(rule_folders, config, disabled, pack_values(pack))
    texts: dict[str, Iterable[str]] = {lang: [ex for tf in data.types.values() for ex in tf.recognition.examples]
             + [v.variant.body for (_, vlang), v in pack.variants.items() if vlang == lang]
             for lang, data in pack.langs.items()}
    detector = LanguageDetector(pack.meta.languages, pack.meta.default_lang,
                                {lang: data.spec.detection.words for lang, data in pack.langs.items()}, texts)
    return _Loaded(pack, rules, detector, use_models)


def pack_values(pack: TemplatePack) -> dict[str, dict[str, str]]:
    """Each language's pack variables (defaults, then the language's values): rules may name them."""
    shared = {name: spec.default for name, spec in pack.meta.variables.items() if spec.default}
    return {lang: {**shared, **{k: v for k, v in data.spec.variables.items() if v}}
            for lang, data in pack.langs.items()}


class ReplyKit:
    """Suggest approved replies, check drafts, render templates. Thread-safe."""

    def __init__(self, loaded: _Loaded, sources: tuple, max_chars: int):
        self._loaded = loaded
        self._sources = sources
        self._reload_lock = threading.Lock()
        self.max_chars = max_chars
        self.feedback: FeedbackLog | None = None  # set by load(feedback=...): results are then stored
        client = sources[2].get("languagetool")
        # Runs once: on close(), when the kit is collected, or at interpreter exit (weakref.finalize's atexit).
        self._finalizer = weakref.finalize(self, client.close if client is not None else (lambda: None))

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, templates: str | os.PathLike | None = None, rules: str | os.PathLike | None = None, *,
             default_rules: bool = True, languagetool_url: str | None = None,
             languagetool_dir: str | os.PathLike | None = None, dictionaries: str | os.PathLike | None = None,
             max_chars: int = DEFAULT_MAX_CHARS, models: bool = True,
             feedback: str | os.PathLike | FeedbackStore | None = None) -> "ReplyKit":
        """Load a pack. `rules` is layered over the bundled rules unless `default_rules=False`;
        `models=False` judges by rules alone (the pack's trained models are not used).
        `feedback` (a path, a postgresql:// URL or a store; default REPLYKIT_FEEDBACK_DB) stores every
        result, masked, under a `result_id` for the team's feedback (docs/feedback.md)."""
        template_path = Path(templates) if templates is not None else bundled_path("templates")
        folders = [bundled_path("rules")] if default_rules or rules is None else []
        if rules is not None:
            folders.append(Path(rules))
        brand = rule_layout(template_path)  # a brand pack: its base's rules, then its own
        if brand is not None and rules is None:
            folders = brand[0] if default_rules else brand[0][1:]
        config: dict[str, Any] = {
            "languagetool_url": languagetool_url or os.environ.get("REPLYKIT_LANGUAGETOOL_URL") or None,
            "languagetool_dir": str(languagetool_dir) if languagetool_dir else
            os.environ.get("REPLYKIT_LANGUAGETOOL_DIR") or None,
            "dictionaries": str(dictionaries) if dictionaries else os.environ.get("REPLYKIT_DICTIONARIES") or None,
        }
        # Owned by this kit and kept across reloads: one local LanguageTool process, one set of dictionaries.
        config["languagetool"] = LanguageToolClient(config["languagetool_url"], config["languagetool_dir"])
        config["spellers"] = SpellerPool(config["dictionaries"])
        sources = (template_path, folders, config, models, (brand[1], brand[2]) if brand else None)
        try:
            loaded = _build(*sources)
        except BaseException:
            config["languagetool"].close()
            raise
        kit = cls(loaded, sources, max_chars)
        feedback = feedback if feedback is not None else os.environ.get("REPLYKIT_FEEDBACK_DB") or None
        if feedback is not None:
            from .feedback import FeedbackLog, open_store  # only kits that record pay for the import

            store = open_store(feedback) if isinstance(feedback, (str, os.PathLike)) else feedback
            kit.feedback = FeedbackLog(store, lambda: kit._loaded.rules)
        return kit

    def close(self) -> None:
        """Stop what this kit started (a local LanguageTool server); also on `with` exit and at interpreter exit.
        The kit still answers afterwards, grammar skipped with a notice."""
        self._finalizer()

    def __enter__(self) -> "ReplyKit":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def reload(self, *, allow_removals: bool = False) -> None:
        """Re-read the pack; on error keep serving the last good one and raise.

        A pack that changed while it was read, or lacks a file the last good pack was read
        from (a pull half done), is refused; `allow_removals=True` accepts deliberate removals."""
        with self._reload_lock:
            roots = [*cache_roots(self._sources[0]), *self._sources[1]]
            before = pack_files.survey(roots)
            fresh = _build(*self._sources)
            if pack_files.survey(roots) != before:
                raise PackError("the pack changed while it was read (an update under way?); "
                                "kept the last good pack, reload again when the update is done", roots[0])
            old = self._loaded
            gone = pack_files.missing_since([*old.templates.files, *old.rules.files],
                                            [*fresh.templates.files, *fresh.rules.files])
            if gone and not allow_removals:
                raise PackError(f"{len(gone)} file(s) the last good pack was read from are missing "
                                "(a partial update?); kept the last good pack; reload(allow_removals=True) "
                                "accepts a deliberate removal", gone[0])
            self._loaded = fresh  # one reference swap: atomic for readers

    def warm(self, langs: list[str] | None = None) -> None:
        """Do now what the first call in each language would do (dictionaries, rules, models)."""
        for lang in langs or self.languages:
            self.check("warm up", lang=lang, channel="dm", inquiry="warm up")
            self.suggest("warm up", lang=lang)

    @property
    def languages(self) -> list[str]:
        return list(self._loaded.templates.meta.languages)

    @property
    def pack_name(self) -> str:
        """The served pack's name (pack.yaml `name`), e.g. for a service's metrics."""
        return self._loaded.templates.meta.name

    # --------------------------------------------------------------- validation

    def _text(self, text: object, what: str) -> str:
        if not isinstance(text, str):
            raise InputError(f"{what} must be a string")
        if len(text) > self.max_chars:
            raise InputError(f"{what} is {len(text)} characters; the limit is {self.max_chars}")
        return text

    def _lang(self, lang: str | None, loaded: _Loaded) -> str | None:
        if lang is None or lang == "":
            return None
        if not isinstance(lang, str):
            raise InputError("lang must be a string")
        given, lang = lang, canonical_lang(lang) or lang  # nb, nn -> no; dk -> da; any case
        if lang not in loaded.templates.langs:
            raise InputError(f"unknown language {given!r} (this pack has {', '.join(loaded.templates.meta.languages)})")
        return lang

    @staticmethod
    def _channel(channel: str | None) -> str | None:
        if channel in (None, ""):
            return None
        if not isinstance(channel, str):
            raise InputError("channel must be a string")
        given, channel = channel, canonical_channel(channel) or channel  # "Facebook" -> facebook
        if channel not in CHANNELS:
            raise InputError(f"unknown channel {given!r} (known: {', '.join(CHANNELS)})")
        return channel

    # ------------------------------------------------------------------ suggest

    def detect_language(self, text: str) -> LanguageGuess:
        return self._loaded.detector.detect(normalize(self._text(text, "text")).text)

    def suggest(self, text: str, lang: str | None = None, channel: str | None = None, top: int = 3,
                variables: Mapping[str, object] | None = None, *, id: str | None = None,
                include_drafts: bool = False) -> SuggestResult:
        """Approved replies for a post; `include_drafts=True` adds texts not (or no longer) approved,
        marked `approved: false`."""
        loaded = self._loaded
        text = self._text(text, "text")
        lang = self._lang(lang, loaded)
        channel = self._channel(channel)
        if not isinstance(top, int) or isinstance(top, bool) or top < 1:
            raise InputError("top must be a whole number of at least 1")
        if variables is not None and not isinstance(variables, Mapping):
            raise InputError("variables must be a mapping of names to values")
        norm = normalize(text).text
        if lang is None:
            guess = loaded.detector.detect(norm)
        else:
            guess = LanguageGuess(lang, False, 1.0)
        tokens = tokenize(norm, guess.lang)  # once for the classifiers and the replies' preferences
        scored, escalation = loaded.classify(guess.lang, norm, tokens)
        ranked = sorted(scored.scores.items(), key=lambda kv: (-kv[1], kv[0]))
        candidates = [Candidate(type=t, score=round(s, 4)) for t, s in ranked[:MAX_CANDIDATES]]
        notices = []
        if not candidates:
            # A valid pack may hold a language's blocks before any of its inquiry-type files.
            notices.append(f"the pack has no inquiry types (recognition data) in {guess.lang!r}: "
                           "nothing to recognise, no suggestions")
        elif not norm.strip():
            notices.append("empty text: no inquiry type could be recognised")
        elif lang is None and not guess.detected:
            notices.append(f"language not recognised as one of {', '.join(loaded.templates.meta.languages)}; "
                           f"using the pack default {guess.lang!r}")
        if any(e.flag == "safety" for e in escalation):
            notices.append("safety: the post describes danger (smoke, fire, electric shock, injury) or threatens "
                           "staff; escalate to the safety team first and do not send troubleshooting steps")
        stale = loaded.learned(guess.lang).notice
        if stale:
            notices.append(stale)
        prior = self.feedback.prior_table() if self.feedback is not None else None
        suggestions, render_notices = rank(loaded.templates, guess.lang, channel, candidates, top, variables,
                                           loaded.preferences(guess.lang), norm, include_drafts, prior,
                                           loaded.variable_guard(), tokens,
                                           lambda itype: loaded.reply_choices(guess.lang, channel, itype,
                                                                              include_drafts))
        result = SuggestResult(
            id=id, lang=guess.lang, lang_detected=lang is None and guess.detected,
            lang_confidence=guess.confidence, inquiry_type=candidates[0].type if candidates else None,
            candidates=candidates,
            suggestions=suggestions, matched={t: m for t, m in scored.matched.items() if m},
            escalation=escalation, notices=notices + render_notices)
        if self.feedback is not None:
            return self.feedback.record_suggest(result, text, variables)
        return result

    # -------------------------------------------------------------------- check

    def check(self, draft: str, lang: str | None = None, channel: str | None = None, inquiry: str | None = None,
              customer_name: str | None = None, agent_name: str | None = None, *,
              inquiry_type: str | None = None, id: str | None = None, merge: bool = True,
              models: bool = True) -> CheckResult:
        """Check a draft. With `merge` (the default), two phrase rules of one category that flag
        overlapping words give one finding; `merge=False` lists every rule that fired.
        `models=False` leaves the pack's trained model out (rules alone, as their examples are run)."""
        loaded = self._loaded
        draft = self._text(draft, "draft")
        lang = self._lang(lang, loaded)
        channel = self._channel(channel)
        if inquiry is not None:
            inquiry = self._text(inquiry, "inquiry")
        norm = normalize(draft)
        inquiry_norm = normalize(inquiry).text if inquiry else None
        lang_given = lang is not None
        if lang is None:
            lang = loaded.detector.detect(norm.text).lang
        classify = None
        if inquiry_type is None and inquiry_norm and inquiry_norm.strip():
            classify = partial(loaded.inquiry_type, lang, inquiry_norm)  # when a rule asks (context.py)
        ctx = CheckContext(norm, lang, channel, person_name(customer_name), person_name(agent_name), inquiry,
                           inquiry_type, brand_name=loaded.brand_name(lang), classify_inquiry=classify)
        findings = run_rules(loaded.rules, ctx, merge)
        state = loaded.learned(lang) if models else ModelState(None, None)
        if state.model is not None:
            try:
                messages = cast(Mapping[str, str], loaded.templates.langs[lang].spec.finding_messages)
                scored = score_draft(state.model, ctx, loaded.number_mask(lang))  # one pass for both judgements
                findings = judge(state.model, ctx, findings, loaded.rules.specs, messages,
                                 loaded.approved_sentences(lang), scores=scored)
                findings = sort_findings(judge_whole_draft(state.model, ctx, findings, messages, scores=scored))
            except Exception as exc:  # noqa: BLE001 - fail closed: the model judges forbidden meanings
                forbidden = next(c for c in [*state.model.categories, "forbidden.confidential"]
                                 if c.startswith("forbidden."))
                findings = sort_findings([*findings, stage_failure(ctx, "trained model", forbidden, "error", exc)])
        elif state.notice:
            ctx.notices.append(state.notice)
        try:
            mismatch = language_mismatch(loaded.detector, norm.text, lang, lang_given, inquiry_norm, ctx.tokens)
        except Exception as exc:  # noqa: BLE001 - fail closed, as for a detector of that category
            mismatch = None
            findings = sort_findings([*findings, stage_failure(ctx, "language comparison", "language.mismatch",
                                                               "warning", exc)])
        if mismatch is not None:
            start, end = norm.span(mismatch.start, mismatch.end)
            findings = sort_findings([*findings, mismatch.model_copy(update={"start": start, "end": end})])
        closest = loaded.closest(lang).find(draft)
        unrendered = loaded.unrendered(lang)
        if unrendered:  # a template over the sandbox's budget is skipped, never waited for
            ctx.notices.append(f"closest template: left out {len(unrendered)} approved text(s) that could not be "
                               f"rendered ({', '.join(unrendered[:3])}); replykit lint says why")
        notices = list(dict.fromkeys(ctx.notices))
        findings = with_utf16_offsets(draft, findings)
        result = CheckResult(id=id, lang=lang, channel=channel, verdict=verdict(findings), findings=findings,
                             scores=scores(findings, draft), closest_template=closest, notices=notices)
        if self.feedback is not None:
            return self.feedback.record_check(result, draft, inquiry, ctx.known_inquiry_type(),
                                              {"customer_name": customer_name, "agent_name": agent_name})
        return result

    # ---------------------------------------------------------------- templates

    def templates(self) -> list[TemplateInfo]:
        pack = self._loaded.templates
        out = []
        for (reply_id, lang), cv in sorted(pack.variants.items()):
            specs = pack.variable_specs(cv.reply)
            approved = cv.variant.approved
            out.append(TemplateInfo(
                id=reply_id, template_id=cv.template_id, lang=lang, inquiry_type=cv.reply.inquiry_type,
                visibility=cv.reply.visibility, channels=list(cv.reply.channels or []),
                variables=sorted(cv.variables), required_variables=sorted(v for v in cv.variables if specs[v].required),
                tags=sorted(set(cv.reply.tags) | set(cv.variant.tags)),
                approved_by=approved.by if approved else None,
                approved_on=approved.on.isoformat() if approved else None,
                review_by=approved.review_by.isoformat() if approved and approved.review_by else None,
                source=str(cv.source), status=cv.status))
        return out

    def render(self, template_id: str, lang: str | None = None, variables: Mapping[str, object] | None = None,
               *, samples: bool = False, include_drafts: bool = False) -> str:
        """Render one approved reply; raises MissingVariablesError naming what is missing.
        Text not (or no longer) approved is an UnknownTemplateError unless `include_drafts`."""
        pack = self._loaded.templates
        reply_id = template_id
        parts = template_id.split("/")
        if len(parts) == 3:
            lang = lang or parts[0]
            reply_id = "/".join(parts[1:])
        lang = self._lang(lang, self._loaded) or pack.meta.default_lang
        cv = pack.variants.get((reply_id, lang))
        if cv is None:
            known = "no such reply" if reply_id not in pack.replies else f"no {lang} text"
            raise UnknownTemplateError(f"{template_id}: {known} in this pack")
        if not (include_drafts or cv.approved):
            why = "needs re-approval (changed since it was approved)" if cv.status == "needs_reapproval" \
                else "is not approved"
            raise UnknownTemplateError(f"{cv.template_id} {why}; drafts are rendered only when asked for (--drafts)")
        rendered = render_variant(pack, cv, variables, samples=samples)
        if rendered.missing:
            raise MissingVariablesError(cv.template_id, rendered.missing)
        return rendered.text
