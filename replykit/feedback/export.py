"""Reviewed feedback as labelled data in the pack's format (docs/labelled-data.md).

* a pick: the post, labelled with the type of the reply the agent picked;
* a wrong-type mark: the post, labelled with the type the agent gave (it wins over a pick);
* a missed problem: the draft, with the missed categories and the findings nobody
  dismissed as `expect`, and the quoted span where the reviewer gave one;
* a dismissed false alarm: the sentences of the draft that held the dismissed finding
  and no finding left standing, as clean reply text (the whole draft when every
  finding on it was dismissed).

Texts are the stored, masked ones. PR staff put the files under
templates/<lang>/labelled/ in a pull request, and `replykit train` learns from them.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..learn.data import CleanRecord, DraftRecord, PostRecord
from ..text.sentences import sentence_spans
from ..vocabulary import CHANNELS, INQUIRY_TYPES
from .store import FeedbackRow, FeedbackStore, ItemRow, ResultRow

PROBLEM = ("warning", "error")


def export_records(store: FeedbackStore, lang: str | None = None) -> dict[tuple[str, str], list]:
    """(lang, kind) -> records (PostRecord, DraftRecord, CleanRecord), in the order feedback came in."""
    by_result: dict[str, list[FeedbackRow]] = {}
    for row in store.feedback_rows():
        by_result.setdefault(row.result_id, []).append(row)
    out: dict[tuple[str, str], list] = {}
    for result_id, rows in by_result.items():
        found = store.result(result_id)
        if found is None or not found[0].lang or (lang and found[0].lang != lang):
            continue
        result, items = found
        kind_records = _post(result, rows) if result.kind == "suggest" else _draft_and_clean(result, items, rows)
        for kind, record in kind_records:
            out.setdefault((result.lang, kind), []).append(record)  # type: ignore[arg-type]
    return out


def _channel(result: ResultRow) -> str | None:
    return result.channel if result.channel in CHANNELS else None


def _post(result: ResultRow, rows: list[FeedbackRow]) -> list[tuple[str, object]]:
    marked = [r.inquiry_type for r in rows if r.kind == "wrong_type" and r.inquiry_type in INQUIRY_TYPES]
    picked = [r.inquiry_type for r in rows if r.kind == "pick" and r.inquiry_type in INQUIRY_TYPES]
    label = marked[-1] if marked else picked[-1] if picked else None
    if label is None or not result.text.strip():
        return []
    return [("posts", PostRecord.model_validate({"id": f"fb-{result.result_id[:16]}-p", "lang": result.lang,
                                                 "channel": _channel(result), "text": result.text, "type": label,
                                                 "writer": "feedback"}))]


def _draft_and_clean(result: ResultRow, items: list[ItemRow], rows: list[FeedbackRow]) -> list[tuple[str, object]]:
    dismissed = {r.ref for r in rows if r.kind == "dismiss"}
    findings = [i for i in items if i.item == "finding" and i.severity in PROBLEM]
    standing = [f for f in findings if f.ref not in dismissed]
    missed = [r for r in rows if r.kind == "missed" and r.category]
    out: list[tuple[str, object]] = []
    text = result.text
    if missed:
        expect = list(dict.fromkeys([*(m.category for m in missed), *(f.category for f in standing if f.category)]))
        spans = [{"category": m.category, "quote": text[m.span_start:m.span_end]} for m in missed
                 if m.span_start is not None and m.span_end is not None and text[m.span_start:m.span_end].strip()]
        itype = result.inquiry_type if result.inquiry_type in INQUIRY_TYPES else None
        out.append(("drafts", DraftRecord.model_validate({
            "id": f"fb-{result.result_id[:16]}-d", "lang": result.lang, "channel": _channel(result), "draft": text,
            "expect": expect, "spans": spans, "inquiry": result.inquiry, "inquiry_type": itype,
            "writer": "feedback"})))
    elif dismissed and not missed:
        if not standing:
            pieces = [text.strip()]
        else:
            gone = [f for f in findings if f.ref in dismissed and f.span_start is not None]
            pieces = []
            for s, e in sentence_spans(text):
                holds_dismissed = any(f.span_start < e and s < f.span_end for f in gone)  # type: ignore[operator]
                holds_standing = any(f.span_start is None or (f.span_start < e and s < f.span_end)  # type: ignore
                                     for f in standing)
                if holds_dismissed and not holds_standing and text[s:e].strip():
                    pieces.append(text[s:e].strip())
        for n, piece in enumerate(pieces):
            if piece:
                out.append(("clean", CleanRecord.model_validate({
                    "id": f"fb-{result.result_id[:16]}-c{n}", "lang": result.lang, "channel": _channel(result),
                    "text": piece, "writer": "feedback"})))
    return out


def jsonl(records: list) -> str:
    return "".join(json.dumps(r.model_dump(mode="json", exclude_none=True), ensure_ascii=False) + "\n"
                   for r in records)


def write_export(store: FeedbackStore, folder: Path, lang: str | None = None,
                 today: dt.date | None = None) -> list[tuple[Path, int]]:
    """Write <folder>/<lang>/labelled/feedback-<date>.<kind>.jsonl (the pack's layout); returns (path, lines)."""
    stamp = (today or dt.date.today()).isoformat()
    written = []
    for (record_lang, kind), records in sorted(export_records(store, lang).items()):
        path = Path(folder) / record_lang / "labelled" / f"feedback-{stamp}.{kind}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(jsonl(records), encoding="utf-8")
        written.append((path, len(records)))
    return written
