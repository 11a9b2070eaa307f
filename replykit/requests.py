"""Request models: one JSON object per `--jsonl` line and per HTTP request body.

The same models validate a batch line, a service request and the CLI's
options (command-line options are defaults; a line's own field wins).
Unknown keys are an error, so a misspelt `customerName` is never ignored.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import InputError

# A variable's value as a caller may give it; rendered as text.
VariableValue = Union[str, int, float, bool, None]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    id: str | None = Field(None, description="Your id for this request; echoed in the result.")

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        # Helpdesks number their tickets; a number is an id too.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value


class SuggestRequest(_Request):
    """Suggest approved replies for a customer's post."""

    text: str = Field(description="The customer's post.")
    lang: str | None = Field(None, description="da, no, nl or ru (aliases nb, nn, dk); default: detect.")
    channel: str | None = Field(None, description="facebook, twitter, trustpilot, vk, dm, email.")
    top: int = Field(3, ge=1, le=20, description="How many suggestions.")
    variables: dict[str, VariableValue] = Field(
        default_factory=dict, description="Template variables, e.g. customer_name, agent_name.")
    include_drafts: bool = Field(False, description="Also texts not (or no longer) approved, as approved: false.")


class CheckRequest(_Request):
    """Check an agent's draft reply."""

    draft: str = Field(description="The agent's draft reply.")
    lang: str | None = Field(None, description="da, no, nl or ru (aliases nb, nn, dk); default: detect.")
    channel: str | None = Field(None, description="facebook, twitter, trustpilot, vk, dm, email.")
    inquiry: str | None = Field(None, description="The customer's post the draft answers.")
    inquiry_type: str | None = Field(None, description="The inquiry's type when known (else read from inquiry).")
    customer_name: str | None = None
    agent_name: str | None = None


class RenderRequest(_Request):
    """Render one approved reply."""

    template_id: str = Field(description="<inquiry_type>/<name> or <lang>/<inquiry_type>/<name>.")
    lang: str | None = None
    variables: dict[str, VariableValue] = Field(default_factory=dict)
    samples: bool = Field(False, description="Fill missing variables with the pack's sample values.")
    include_drafts: bool = Field(False, description="Render a text that is not (or no longer) approved.")


class TriageRequest(_Request):
    """One incoming post for `triage` (a line of `replykit triage --jsonl`)."""

    id: str = Field(description="The post's id in your inbox; echoed in the queue.")
    time: dt.datetime = Field(description="When it was posted (ISO 8601; without a zone: UTC).")
    channel: str = Field(description="facebook, twitter, trustpilot, vk, dm, email.")
    text: str = Field(description="The customer's post.")
    lang: str | None = Field(None, description="da, no, nl or ru; default: detect.")
    author: str | None = Field(None, description="The author's name or handle (repeat posts; greeting).")


REQUESTS: dict[str, type[_Request]] = {"suggest": SuggestRequest, "check": CheckRequest, "render": RenderRequest,
                                       "triage": TriageRequest}


def parse_request(kind: str, record: object, defaults: dict[str, Any] | None = None) -> _Request:
    """Validate one request; `defaults` (command-line options) fill fields the record leaves out.
    Raises InputError with one line naming the first bad field."""
    model = REQUESTS[kind]
    if not isinstance(record, dict):
        raise InputError("expected a JSON object")
    merged = {k: v for k, v in (defaults or {}).items() if v is not None and k in model.model_fields}
    merged.update(record)
    try:
        return model.model_validate(merged)
    except ValidationError as exc:
        raise InputError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """The first problem of a validation error, in one line."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "request"
    if err["type"] == "extra_forbidden":
        return f"unknown field {where!r}"
    if err["type"] == "missing":
        return f"{where!r} is required"
    return f"{where!r}: {err['msg']}"
