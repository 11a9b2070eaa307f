"""The pack's labelled data: what `replykit train` learns from and `lint` validates.

Each language folder may hold `labelled/*.{posts,drafts,clean}.jsonl`, one JSON
object a line (docs/labelled-data.md):

* posts: a customer post and its inquiry type (and escalations where they apply);
* drafts: an agent's draft and the finding categories it has, with the quoted
  words where the problem sits in some words;
* clean: reply text a good agent may send as it is (the precision corpus).

Any number of files of each kind: the bundled sets, a brand's own, feedback
exports. A malformed line is a `PackError` naming its path and line.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import PackError
from ..vocabulary import Category, Channel, InquiryType, Lang

KINDS = ("posts", "drafts", "clean")
EscalationKind = Literal["legal", "media", "regulator", "safety", "troll"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    lang: Lang | None = Field(None, description="Must be the folder's language when given")
    channel: Channel | None = None
    writer: str | None = Field(None, description="Who wrote it (provenance; variety is checked per writer)")


class PostRecord(_Record):
    """A customer's post labelled with its inquiry type."""

    text: str = Field(min_length=1)
    type: InquiryType
    escalation: list[EscalationKind] = Field(default_factory=list)


class Span(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category
    quote: str = Field(min_length=1, description="The exact words of the draft where the problem sits")


class DraftRecord(_Record):
    """An agent's draft labelled with the finding categories it has (`[]`: fine to send)."""

    draft: str = Field(min_length=1)
    expect: list[Category]
    spans: list[Span] = Field(default_factory=list)
    inquiry: str | None = None
    inquiry_type: InquiryType | None = None
    customer_name: str | None = None
    agent_name: str | None = None

    @model_validator(mode="after")
    def _spans_fit(self) -> "DraftRecord":
        for span in self.spans:
            if span.category not in self.expect:
                raise ValueError(f"span of {span.category} but that category is not in expect")
            if span.quote not in self.draft:
                raise ValueError(f"span quote {span.quote!r} is not in the draft")
        return self

    def span_offsets(self, category: str) -> list[tuple[int, int]]:
        out = []
        for span in self.spans:
            if span.category == category:
                start = self.draft.find(span.quote)
                out.append((start, start + len(span.quote)))
        return out


class CleanRecord(_Record):
    """Reply text a good agent may send as it is: every finding on it is a false alarm."""

    text: str = Field(min_length=1)


MODELS: dict[str, type[_Record]] = {"posts": PostRecord, "drafts": DraftRecord, "clean": CleanRecord}


@dataclass(frozen=True)
class Labelled:
    """One language's labelled data, with where each record came from."""

    lang: str
    posts: tuple[PostRecord, ...]
    drafts: tuple[DraftRecord, ...]
    clean: tuple[CleanRecord, ...]
    files: tuple[Path, ...]
    digest: str  # sha256 of every file's name and bytes: a model trained on other data is stale

    def counts(self) -> dict[str, int]:
        return {"posts": len(self.posts), "drafts": len(self.drafts), "clean": len(self.clean)}


def labelled_files(lang_folder: Path) -> list[Path]:
    folder = Path(lang_folder) / "labelled"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file() and _kind(p) is not None)


def data_digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def load_labelled(lang_folder: Path, lang: str) -> Labelled:
    """Read and validate every labelled file of one language folder."""
    files = labelled_files(lang_folder)
    found: dict[str, list] = {kind: [] for kind in KINDS}
    seen: dict[str, str] = {}
    for path in files:
        kind = _kind(path)
        assert kind is not None
        for line_no, record in _read(path, MODELS[kind]):
            if record.lang is not None and record.lang != lang:
                raise PackError(f"record {record.id!r} says lang {record.lang!r} in the {lang}/ folder", path, line_no)
            where = f"{path.name}:{line_no}"
            if record.id in seen:
                raise PackError(f"duplicate id {record.id!r} (also at {seen[record.id]})", path, line_no)
            seen[record.id] = where
            found[kind].append(record)
    return Labelled(lang, tuple(found["posts"]), tuple(found["drafts"]), tuple(found["clean"]),
                    tuple(files), data_digest(files))


def _kind(path: Path) -> str | None:
    parts = path.name.rsplit(".", 2)
    return parts[-2] if len(parts) == 3 and parts[-2] in KINDS else None


def json_lines(path: Path, what: str = "labelled data") -> Iterator[tuple[int, dict]]:
    """(line number, object) of each non-blank line of a JSON Lines file; a line that is not a JSON
    object, or a file that cannot be read, is a PackError naming the file (and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"cannot read {what}: {exc}", path) from None
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PackError(f"not a JSON object: {exc.msg} (column {exc.colno})", path, line_no) from None
        if not isinstance(raw, dict):
            raise PackError("each line must be one JSON object", path, line_no)
        yield line_no, raw


def _read(path: Path, model: type[_Record]):  # noqa: ANN202 - generator of (line, record)
    for line_no, raw in json_lines(path):
        try:
            yield line_no, model.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "record"
            raise PackError(f"{loc}: {err['msg']}", path, line_no) from None
