"""Pack health for PR staff: `replykit lint`.

Loads the pack (schema errors stop here, with file and line), then looks for
what makes a pack unsafe or incomplete: templates that do not render or do
not pass the brand's own checks, missing translations, coverage holes,
near-duplicates, overdue reviews, thin recognition data, and rules whose
examples do not behave as stated.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz

from .check.pack_values import resolve_example
from .compose import render_variant
from .errors import PackError, RenderError, ReplyKitError
from .lint_scope import Scope
from .models import Example, RuleSpec, Trigger
from .text.phrases import compile_phrase
from .vocabulary import INQUIRY_TYPES

REVIEW_WARNING_DAYS = 30
NEAR_DUPLICATE = 90
MIN_TRIGGERS = 10
MIN_EXAMPLES = 3
CHECK_CHANNELS = {"public": ("facebook", "twitter"), "private": ("dm",), "any": ("facebook", "dm")}


@dataclass
class Problem:
    code: str
    severity: str  # error | warning
    message: str
    path: str | None = None
    line: int | None = None
    lang: str | None = None

    @property
    def where(self) -> str:
        if not self.path:
            return "pack"
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)
    coverage: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # type -> lang -> vis -> n
    checked_templates: int = 0
    checked_rules: int = 0
    unusable: bool = False
    pack: str | None = None  # the pack's name (a brand pack: the brand)
    # (template id, wording) -> [(channel, finding, quoted text)]: the report marks them inside the text
    text_findings: dict[tuple[str, int], list] = field(default_factory=dict, repr=False)

    def add(self, code: str, severity: str, message: str, source: object = None, lang: str | None = None) -> None:
        path = str(getattr(source, "path", source)) if source is not None else None
        line = getattr(source, "line", None)
        self.problems.append(Problem(code, severity, message, path, line, lang))

    @property
    def exit_code(self) -> int:
        """2 unusable, 1 an error, else 0: warnings (a review due soon, a takeover) never fail a commit."""
        if self.unusable:
            return 2
        return 1 if any(p.severity == "error" for p in self.problems) else 0

    def to_json(self) -> dict:
        return {"ok": self.exit_code == 0, "exit_code": self.exit_code, "pack": self.pack,
                "templates": self.checked_templates,
                "rules": self.checked_rules, "problems": [asdict(p) for p in self.problems],
                "coverage": self.coverage}


def lint_pack(templates: Path | None = None, rules: Path | None = None, langs: Iterable[str] | None = None,
              today: dt.date | None = None, scope: Scope | None = None) -> LintReport:
    """`scope`: only what a commit touches (lint_scope.py, the pre-commit hook); None: the whole pack."""
    from .kit import ReplyKit

    report = LintReport()
    try:
        kit = ReplyKit.load(templates, rules)
    except PackError as exc:
        report.add("schema", "error", exc.reason, _Src(exc.path, exc.line))
        return report
    except ReplyKitError as exc:
        report.add("unusable", "error", str(exc))
        report.unusable = True
        return report
    loaded = kit._loaded  # noqa: SLF001 - lint is the pack's own inspector
    pack = loaded.templates
    report.pack = pack.meta.name
    unknown = [lang for lang in langs or [] if lang not in pack.meta.languages]
    if unknown:
        report.add("unknown-language", "error", f"unknown language {unknown[0]!r} (this pack has "
                   f"{', '.join(pack.meta.languages)})")
        report.unusable = True
        return report
    wanted: list[str] = [lang for lang in pack.meta.languages if not langs or lang in langs]
    today = today or dt.date.today()
    scope = scope or Scope(everything=True)
    rule_langs = wanted
    wanted = scope.languages(wanted)

    _templates(kit, report, wanted, today, scope)
    _approvals(pack, report, wanted, scope)
    _takeovers(pack, report, wanted)
    _parity_and_coverage(pack, report, wanted)
    _duplicates(kit, report, wanted)
    _recognition(pack, report, wanted)
    _rules(kit, report, rule_langs, scope)
    _labelled(kit, report, wanted)
    return report


def _labelled(kit, report: LintReport, langs: list[str]) -> None:
    """The labelled data validates line by line, and each trained model matches the data it claims."""
    from .learn.data import load_labelled
    from .learn.packs import find_model, model_folder

    pack = kit._loaded.templates  # noqa: SLF001
    for lang in langs:
        folder = model_folder(pack, lang)
        try:
            load_labelled(folder, lang)
        except PackError as exc:
            report.add("labelled-data", "error", exc.reason, _Src(exc.path, exc.line), lang)
            continue
        try:
            state = find_model(pack, lang)
        except PackError as exc:
            report.add("model", "error", exc.reason, _Src(exc.path, exc.line), lang)
            continue
        if state.notice:
            report.add("model-stale", "warning", state.notice, folder / "model.json", lang)


@dataclass(frozen=True)
class _Src:
    path: str | None
    line: int | None


def _templates(kit, report: LintReport, langs: list[str], today: dt.date, scope: Scope) -> None:
    pack = kit._loaded.templates  # noqa: SLF001
    for (_reply_id, lang), cv in sorted(pack.variants.items()):
        if lang not in langs or not scope.text_in_scope(lang, cv.reply.inquiry_type):
            continue
        report.checked_templates += 1
        for wording in range(1 + len(cv.variant.wordings)):  # the body, then each alternative wording
            _template_text(kit, report, cv, wording, today)
    # Variables declared on a reply that none of its variants uses.
    used: dict[str, set[str]] = defaultdict(set)
    for (reply_id, _), cv in pack.variants.items():
        used[reply_id] |= cv.variables
    for reply_id, reply in pack.replies.items() if scope.everything else ():
        for name in sorted(set(reply.variables) - used[reply_id]):
            report.add("unused-variable", "warning", f"{reply_id}: variable {name!r} is declared but never used",
                       pack.reply_sources[reply_id])


def _template_text(kit, report: LintReport, cv, wording: int, today: dt.date) -> None:
    """One text of a variant (0: the body, 1..: its wordings): renders, is approved, passes check."""
    pack = kit._loaded.templates  # noqa: SLF001
    lang = cv.lang
    src = cv.source
    name = cv.template_id if wording == 0 else f"{cv.template_id} wording {wording}"
    try:
        rendered = render_variant(pack, cv, samples=True, wording=wording)
    except RenderError as exc:
        report.add("render", "error", str(exc), src, lang)
        return
    if rendered.missing:
        report.add("render", "error", f"{name}: no sample value for required "
                   f"{', '.join(rendered.missing)}", src, lang)
    approval = cv.variant.approved if wording == 0 else cv.variant.wordings[wording - 1].approved
    if wording and approval is not None and cv.wording_status(wording) == "needs_reapproval":
        what = "has no digest of the text it approved" if approval.digest is None else "the text changed since"
        report.add("needs-reapproval", "error", f"{name}: needs re-approval: approved by {approval.by} on "
                   f"{approval.on}, but {what}; storms do not send it until `replykit approve "
                   f"{cv.reply.id} --lang {lang} --wording {wording} --by NAME`", src, lang)
    if approval is None:
        report.add("approval-missing", "warning", f"{name}: no approval (approved: by, on, review_by)",
                   src, lang)
    elif approval.review_by is not None:
        days = (approval.review_by - today).days
        if days < 0:
            report.add("review-overdue", "error", f"{name}: review was due {approval.review_by}",
                       src, lang)
        elif days <= REVIEW_WARNING_DAYS:
            report.add("review-due", "warning", f"{name}: review due {approval.review_by} "
                       f"(in {days} days)", src, lang)
    samples = {**{n: s.sample for n, s in pack.variable_specs(cv.reply).items() if s.sample},
               **pack.langs[lang].spec.samples}
    channels = cv.reply.channels or CHECK_CHANNELS[cv.reply.visibility]
    for channel in channels:
        result = kit.check(rendered.text, lang=lang, channel=channel, customer_name=samples.get("customer_name"),
                           agent_name=samples.get("agent_name"), inquiry_type=cv.reply.inquiry_type)
        for f in result.findings:
            if f.severity in ("warning", "error"):
                report.text_findings.setdefault((cv.template_id, wording), []).append(
                    (channel, f, rendered.text[f.start:f.end]))
                report.add("template-check", "error",
                           f"{name} on {channel}: {f.category} ({f.rule_id}) at "
                           f"“{rendered.text[f.start:f.end][:40]}”: {f.message}", src, lang)


def _approvals(pack, report: LintReport, langs: list[str], scope: Scope) -> None:
    """Approvals bound to text: a text changed since it was approved, and approvers not on the brand's list."""
    approvers = set(pack.brand.approvers) if pack.brand is not None else set()
    own = Path(pack.root).resolve()
    for (reply_id, lang), cv in sorted(pack.variants.items()):
        approval = cv.variant.approved
        if lang not in langs or approval is None or not scope.text_in_scope(lang, cv.reply.inquiry_type):
            continue
        if cv.status == "needs_reapproval":
            what = "has no digest of the text it approved" if approval.digest is None else \
                "the text (body or a block it uses) changed since"
            report.add("needs-reapproval", "error", f"{cv.template_id}: needs re-approval: approved by "
                       f"{approval.by} on {approval.on}, but {what}; it is not served until "
                       f"`replykit approve {reply_id} --lang {lang} --by NAME`", cv.source, lang)
        in_brand = own in Path(cv.source.path).resolve().parents
        if approvers and in_brand and approval.by not in approvers:
            report.add("approver", "error", f"{cv.template_id}: approved by {approval.by}, who is not on the "
                       f"approvers list ({', '.join(sorted(approvers))})", cv.source, lang)


def _takeovers(pack, report: LintReport, langs: list[str]) -> None:
    from .takeover import takeovers

    for reply_id, lang, n, before, example in takeovers(pack, langs):
        report.add("takeover", "warning", f"{lang}/{reply_id} now wins {n} post(s) that {lang}/{before} won "
                   f"before, e.g. “{example[:60]}”: give the replies prefer: data (phrases or example posts) "
                   "so each wins its own posts", pack.reply_sources[reply_id], lang)


def _parity_and_coverage(pack, report: LintReport, langs: list[str]) -> None:
    for reply_id, reply in pack.replies.items():
        present = {lang for (rid, lang) in pack.variants if rid == reply_id}
        for lang in langs:
            if lang not in present and lang not in reply.not_needed:
                report.add("parity", "error", f"{reply_id}: no {lang} text (add it to {lang}/{reply.inquiry_type}.yaml "
                           f"or list {lang} under not_needed)", pack.reply_sources[reply_id], lang)
        # Only what callers must supply counts: links and brand values come from the pack.
        pack_given = {n for n, spec in pack.variable_specs(reply).items() if spec.default is not None}
        pack_given |= {n for data in pack.langs.values() for n, v in data.spec.variables.items() if v}
        var_sets = {lang: pack.variants[(reply_id, lang)].variables - pack_given for lang in present}
        if len({frozenset(v) for v in var_sets.values()}) > 1:
            detail = "; ".join(f"{lang}: {', '.join(sorted(v)) or '-'}" for lang, v in sorted(var_sets.items()))
            report.add("parity-variables", "warning", f"{reply_id}: languages use different variables ({detail})",
                       pack.reply_sources[reply_id])
    for itype in INQUIRY_TYPES:
        report.coverage[itype] = {}
        for lang in langs:
            counts = {"public": 0, "private": 0}
            for (_rid, vlang), cv in pack.variants.items():
                if vlang != lang or cv.reply.inquiry_type != itype:
                    continue
                for vis in ("public", "private"):
                    if cv.reply.visibility in (vis, "any"):
                        counts[vis] += 1
            report.coverage[itype][lang] = counts
            for vis, n in counts.items():
                if n == 0:
                    report.add("coverage", "error", f"no {vis} {itype} reply in {lang}", pack.root / lang, lang)


def _duplicates(kit, report: LintReport, langs: list[str]) -> None:
    pack = kit._loaded.templates  # noqa: SLF001
    for lang in langs:
        closest = kit._loaded.closest(lang)  # noqa: SLF001
        items = list(zip(closest.ids, closest.texts, strict=True))
        for i, (a_id, a) in enumerate(items):
            for b_id, b in items[i + 1:]:
                score = fuzz.ratio(a, b)
                if score >= NEAR_DUPLICATE:
                    rid = a_id.split("/", 1)[1]
                    report.add("near-duplicate", "warning", f"{a_id} and {b_id} are {score:.0f}% alike: "
                               "merge them or make the difference clear", pack.variants[(rid, lang)].source, lang)


def _recognition(pack, report: LintReport, langs: list[str]) -> None:
    for lang in langs:
        data = pack.langs[lang]
        owners: dict[tuple, list[str]] = defaultdict(list)
        for itype in INQUIRY_TYPES:
            tf = data.types.get(itype)
            path = data.type_sources.get(itype, pack.root / lang / f"{itype}.yaml")
            triggers = tf.recognition.triggers if tf else []
            examples = tf.recognition.examples if tf else []
            if len(triggers) < MIN_TRIGGERS or len(examples) < MIN_EXAMPLES:
                report.add("recognition-thin", "warning", f"{lang} {itype}: {len(triggers)} triggers, {len(examples)} "
                           f"examples (want at least {MIN_TRIGGERS} and {MIN_EXAMPLES})", path, lang)
            for item in triggers:
                phrase = item.phrase if isinstance(item, Trigger) else item
                owners[compile_phrase(phrase, lang)].append(itype)
        for tests, types in owners.items():
            distinct = sorted(set(types))
            if len(distinct) > 1 and tests:
                words = " ".join(v or "*" for _, v in tests)
                report.add("recognition-collision", "warning", f"{lang}: trigger '{words}' is listed for "
                           f"{', '.join(distinct)}: it cannot tell them apart", pack.root / lang, lang)


def example_failures(kit, spec: RuleSpec) -> list[str]:
    """What is wrong with one rule's examples (empty: they behave as stated)."""
    failures = []
    grammar_off = spec.kind == "detector" and spec.detector == "grammar" and \
        not kit._loaded.rules.detectors["grammar"].configured  # noqa: SLF001
    if not spec.examples.bad and not grammar_off:
        failures.append("has no bad example")
    if not spec.examples.good:
        failures.append("has no good example")
    for expect, items in (("bad", spec.examples.bad), ("good", spec.examples.good)):
        if expect == "bad" and grammar_off:
            continue
        for item in items:
            ex = item if isinstance(item, Example) else Example(text=item)
            lang = ex.lang or (spec.langs[0] if spec.langs else "da")
            if lang not in kit.languages:
                continue
            # {{ brand_site }} and {{ brand_name }} in an example: this pack's values (check/pack_values.py)
            resolved = resolve_example(ex, kit._loaded.rules.values.get(lang, {}))  # noqa: SLF001
            if isinstance(resolved, str):
                failures.append(resolved)
                continue
            ex = resolved
            channel = ex.channel or ("facebook" if spec.channels in ("any", "public") else
                                     "dm" if spec.channels == "private" else spec.channels[0])
            result = kit.check(ex.text, lang=lang, channel=channel, inquiry=ex.inquiry,
                               customer_name=ex.customer_name, agent_name=ex.agent_name,
                               inquiry_type=ex.inquiry_type, merge=False, models=False)  # every rule that fired
            fired = any(f.rule_id == spec.id for f in result.findings)
            if expect == "bad" and not fired:
                failures.append(f"bad example not caught: {ex.text[:70]!r}")
            if expect == "good" and fired:
                failures.append(f"good example flagged: {ex.text[:70]!r}")
            if expect == "good" and not fired:
                # A good example says "this is fine for <category>": another rule of that category
                # flagging it means the two rules contradict each other.
                others = sorted({f.rule_id for f in result.findings
                                 if f.category == spec.category and f.rule_id != spec.id})
                if others:
                    failures.append(f"good example flagged by {', '.join(others)} (the rules contradict each "
                                    f"other): {ex.text[:70]!r}")
    return failures


def _rules(kit, report: LintReport, langs: list[str], scope: Scope) -> None:
    rules = kit._loaded.rules  # noqa: SLF001
    for rule_id, spec in sorted(rules.specs.items()):
        if not spec.enabled or (spec.langs is not None and not set(spec.langs) & set(langs)):
            continue
        if not scope.rule_in_scope(rule_id, spec.langs):
            continue
        report.checked_rules += 1
        for failure in example_failures(kit, spec):
            report.add("rule-example", "error", f"{rule_id}: {failure}", rules.sources[rule_id])
        # Patterns are judged by structure when the rules are read (check/redos.py): an unsafe one
        # stops the load with file:line, so no timing probe here (its answer depended on machine load).


def show_lint(report: LintReport) -> None:
    from rich.console import Console
    from rich.markup import escape

    con = Console(highlight=False, emoji=False)
    for p in report.problems:
        colour = "red" if p.severity == "error" else "yellow"
        con.print(f"{escape(p.where)}: [{colour}]{p.severity}[/] {escape('[' + p.code + ']')} {escape(p.message)}",
                  soft_wrap=True)
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    summary = (f"{report.checked_templates} templates, {report.checked_rules} rules: "
               f"{errors} errors, {warnings} warnings")
    con.print(f"[bold {'green' if not report.problems else 'red'}]{summary}[/]")

