"""POST /v1/triage: the triage queue over HTTP (docs/triage.md).

Like the service's other routers: the endpoint takes the request alone, reads the body within the
service's limit, answers JSON and raises `ApiError` for a bad body.

Body: {"posts": [{"id", "time", "channel", "text", "lang"?, "author"?}, ...], "now"?: ISO 8601,
"variables"?: {...}}. Answer: the `TriageResult` JSON (items in queue order, storms, errors); a
bad post is reported in `errors` and left out, a bad body is a 422 with one line.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...requests import VariableValue, describe
from ...triage import Triage
from ...triage.results import TriageResult
from .common import ERRORS, ApiError, json_response, read_body, service

MAX_POSTS = 20_000  # one storm night is hundreds; a bigger export is a job for the CLI


class TriageBody(BaseModel):
    """The body of POST /v1/triage."""

    model_config = ConfigDict(extra="forbid")

    posts: list[dict[str, Any]] = Field(max_length=MAX_POSTS, description="TriageRequest objects")
    now: dt.datetime | None = Field(None, description="Judge overdue posts at this time (default: the clock)")
    variables: dict[str, VariableValue] = Field(
        default_factory=dict, description="For storm replies: agent_name, area, eta, incident_id, status_url")


router = APIRouter()


@router.post("/v1/triage", response_model=TriageResult, responses=ERRORS, summary="Triage incoming posts")
async def triage(request: Request) -> Response:
    state = service(request)
    raw = await read_body(request, state.settings.max_body_bytes)
    try:
        body = TriageBody.model_validate(json.loads(raw))
    except ValueError as exc:  # json's and pydantic's errors are both ValueErrors
        message = describe(exc) if isinstance(exc, ValidationError) else "the body is not valid JSON"
        raise ApiError(422, message) from None
    async with state.turns.turn():  # first come, first served (service/turns.py)
        result = Triage(state.served).run(body.posts, now=body.now, variables=body.variables)
    return json_response(result.model_dump_json())
