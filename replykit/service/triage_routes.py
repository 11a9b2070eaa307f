"""`POST /v1/triage`: the triage queue over HTTP, as a router the service mounts.

Wiring (for the service's app factory): `app.include_router(triage_routes.router(kit))`.
Body: {"posts": [{"id", "time", "channel", "text", "lang"?, "author"?}, ...], "now"?: ISO 8601,
"variables"?: {...}}; answer: the `TriageResult` JSON (items in queue order, storms, errors).
A bad post is reported in `errors` and left out; a bad body is a 422 with one line.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..requests import TriageRequest, VariableValue, describe
from ..triage import Triage
from ..triage.results import TriageResult


class TriageBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posts: list[dict[str, Any]] = Field(max_length=100_000, description="TriageRequest objects")
    now: dt.datetime | None = None
    variables: dict[str, VariableValue] = Field(default_factory=dict)


def router(kit: Any) -> APIRouter:
    routes = APIRouter()

    @routes.post("/v1/triage", response_model=TriageResult)
    def triage(body: dict[str, Any]) -> TriageResult:
        try:
            parsed = TriageBody.model_validate(body)
        except ValidationError as exc:
            raise HTTPException(status_code=422, detail=describe(exc)) from None
        return Triage(kit).run(parsed.posts, now=parsed.now, variables=parsed.variables)

    return routes


__all__ = ["router", "TriageBody", "TriageRequest"]
