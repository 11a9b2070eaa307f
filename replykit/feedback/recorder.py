"""`FeedbackLog`: what a kit with a feedback store does (`kit.feedback`).

It stores each suggest and check result (masked) under a fresh `result_id`, and
records what the team did with it: the reply picked and the text sent, a
finding dismissed as a false alarm, a problem missed, a post of the wrong
type. Nothing of a stored text is logged, at any level.
"""
from __future__ import annotations

import os
import time
import uuid
from typing import Any, Callable, Mapping

from rapidfuzz.distance import Levenshtein

from ..check.ruleset import RuleSet
from ..errors import InputError
from ..results import CheckResult, SuggestResult
from ..vocabulary import CATEGORIES, INQUIRY_TYPES
from .masking import Masker
from .prior import PickPrior
from .stats import FeedbackStats, compute_stats
from .store import DAY, FeedbackRow, FeedbackStore, ItemRow, ResultRow

DEFAULT_RETENTION_DAYS = 90
ENV_DB = "REPLYKIT_FEEDBACK_DB"
ENV_RETENTION = "REPLYKIT_FEEDBACK_RETENTION_DAYS"
MAX_NOTE = 2_000  # a reason or sent text longer than this is cut before masking and storing


def open_store(target: str | os.PathLike) -> FeedbackStore:
    """A path (SQLite file), `sqlite:///path`, or a `postgresql://` URL."""
    text = str(target).strip()
    if not text:
        raise InputError("the feedback database is empty: give a file path or a postgresql:// URL")
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(text)
    from .sqlite import SqliteStore

    return SqliteStore(text.removeprefix("sqlite://") if text.startswith("sqlite:///") else text)


def retention_from_env() -> int:
    raw = os.environ.get(ENV_RETENTION)
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise InputError(f"{ENV_RETENTION} must be a whole number of days, not {raw!r}") from None
    if days < 1:
        raise InputError(f"{ENV_RETENTION} must be at least 1 day")
    return days


class FeedbackLog:
    """The feedback side of a kit: recording results and the team's feedback, stats, export, purge, prior."""

    def __init__(self, store: FeedbackStore, rules: Callable[[], RuleSet], *, retention_days: int | None = None,
                 clock: Callable[[], float] = time.time):
        self.store = store
        self.retention_days = retention_days or retention_from_env()
        self._clock = clock
        self._masker = Masker(rules)
        self.prior = PickPrior(store)
        self.store.purge(self._clock() - self.retention_days * DAY)  # the retention promise holds from the start

    # ---------------------------------------------------------------- results

    def record_suggest(self, result: SuggestResult, text: str, variables: Mapping[str, object] | None
                       ) -> SuggestResult:
        result_id = uuid.uuid4().hex
        mask = self._masker.mask
        row = ResultRow(result_id, "suggest", self._clock(), result.lang, None, result.inquiry_type,
                        mask(text, result.lang, variables).text)
        items = [ItemRow(result_id, "suggestion", i, s.template_id, inquiry_type=s.inquiry_type,
                         text=self._masker.mask_rendered(s.text, s.lang or result.lang, variables).text)
                 for i, s in enumerate(result.suggestions)]
        self.store.add_result(row, items)
        return result.model_copy(update={"result_id": result_id})

    def record_check(self, result: CheckResult, draft: str, inquiry: str | None, inquiry_type: str | None,
                     names: Mapping[str, object]) -> CheckResult:
        result_id = uuid.uuid4().hex
        masked = self._masker.mask(draft, result.lang, names, result.findings)
        row = ResultRow(result_id, "check", self._clock(), result.lang, result.channel, inquiry_type, masked.text,
                        self._masker.mask(inquiry, result.lang, names).text if inquiry else None)
        items = []
        for i, f in enumerate(result.findings):
            start, end = masked.span(f.start, f.end)
            items.append(ItemRow(result_id, "finding", i, f.rule_id, category=f.category, severity=f.severity,
                                 span_start=start, span_end=end))
        self.store.add_result(row, items)
        return result.model_copy(update={"result_id": result_id})

    # --------------------------------------------------------------- feedback

    def pick(self, result_id: str, template_id: str, sent: str | None = None, *, agent: str | None = None,
             team: str | None = None, variables: Mapping[str, object] | None = None) -> dict[str, Any]:
        """The agent used this suggestion (and sent `sent`, the text as finally sent)."""
        result, items = self._result(result_id, "suggest", "pick")
        template_id = _required(template_id, "template id")
        chosen = next((i for i in items if i.item == "suggestion" and i.ref == template_id), None)
        if chosen is None:
            offered = ", ".join(i.ref for i in items if i.item == "suggestion") or "none"
            raise InputError(f"{template_id} was not suggested in result {result_id} (suggested: {offered})")
        masked_sent = distance = None
        if sent is not None:
            masked_sent = self._masker.mask(_note(sent, "sent text"), result.lang or "da", variables).text
            distance = round(Levenshtein.normalized_distance(masked_sent, chosen.text or ""), 4)
        row = FeedbackRow(result_id, "pick", self._clock(), _opt(agent), _opt(team), ref=template_id,
                          inquiry_type=chosen.inquiry_type, sent=masked_sent, edit_distance=distance)
        return self._add(row)

    def dismiss(self, result_id: str, rule_id: str, reason: str | None = None, *, agent: str | None = None,
                team: str | None = None, variables: Mapping[str, object] | None = None) -> dict[str, Any]:
        """A finding of this rule was a false alarm."""
        result, items = self._result(result_id, "check", "dismiss")
        rule_id = _required(rule_id, "rule id")
        if not any(i.item == "finding" and i.ref == rule_id for i in items):
            fired = ", ".join(sorted({i.ref for i in items if i.item == "finding"})) or "none"
            raise InputError(f"rule {rule_id} found nothing in result {result_id} (fired: {fired})")
        masked = self._masker.mask(_note(reason, "reason"), result.lang or "da", variables).text if reason else None
        return self._add(FeedbackRow(result_id, "dismiss", self._clock(), _opt(agent), _opt(team), ref=rule_id,
                                     reason=masked))

    def missed(self, result_id: str, category: str, quote: str | None = None, *, agent: str | None = None,
               team: str | None = None, variables: Mapping[str, object] | None = None) -> dict[str, Any]:
        """The draft has a problem of this category that the check did not find (at `quote`, when given;
        `variables`: the names in it, masked as the stored draft was)."""
        result, _ = self._result(result_id, "check", "missed")
        if category not in CATEGORIES:
            raise InputError(f"unknown category {category!r} (known: {', '.join(CATEGORIES)})")
        start = end = None
        if quote:
            # The stored draft had the names the check was given masked; the quote may name them or not.
            tries = [self._masker.mask(quote, result.lang or "da", v).text.strip() for v in (variables, None)]
            words, found = next(((w, result.text.find(w)) for w in tries if w and w in result.text), ("", -1))
            if found < 0:
                raise InputError("the quoted words are not in the checked draft")
            start, end = found, found + len(words)
        return self._add(FeedbackRow(result_id, "missed", self._clock(), _opt(agent), _opt(team),
                                     category=category, span_start=start, span_end=end))

    def wrong_type(self, result_id: str, inquiry_type: str, template_id: str | None = None, *,
                   agent: str | None = None, team: str | None = None) -> dict[str, Any]:
        """The post is of `inquiry_type`, not the type the suggestions were for."""
        self._result(result_id, "suggest", "wrong-type")
        if inquiry_type not in INQUIRY_TYPES:
            raise InputError(f"unknown inquiry type {inquiry_type!r} (known: {', '.join(INQUIRY_TYPES)})")
        return self._add(FeedbackRow(result_id, "wrong_type", self._clock(), _opt(agent), _opt(team),
                                     ref=_opt(template_id), inquiry_type=inquiry_type))

    # ---------------------------------------------------------------- the rest

    def stats(self) -> FeedbackStats:
        return compute_stats(self.store)

    def purge(self, everything: bool = False, days: int | None = None) -> dict[str, int]:
        """Delete what is older than the retention period (`days` instead, when given), or everything."""
        if days is not None and days < 0:
            raise InputError("days must be 0 or more")
        before = None if everything else self._clock() - (self.retention_days if days is None else days) * DAY
        return self.store.purge(before)

    def prior_table(self) -> Mapping[str, float]:
        return self.prior.table()

    def _result(self, result_id: str, kind: str, action: str):  # noqa: ANN202
        found = self.store.result(_required(result_id, "result id"))
        if found is None:
            raise InputError(f"no stored result {result_id!r} (unknown, or purged after the retention period)")
        if found[0].kind != kind:
            raise InputError(f"{action} is feedback on a {kind} result; {result_id} is a {found[0].kind} result")
        return found

    def _add(self, row: FeedbackRow) -> dict[str, Any]:
        feedback_id = self.store.add_feedback(row)
        out: dict[str, Any] = {"feedback_id": feedback_id, "result_id": row.result_id, "kind": row.kind}
        if row.edit_distance is not None:
            out["edit_distance"] = row.edit_distance
        return out


def _required(value: str | None, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"a {what} is required")
    return value.strip()


def _opt(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value[:200] or None


def _note(text: str | None, what: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"the {what} must be text")
    return text[:MAX_NOTE]
