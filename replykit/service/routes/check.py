"""POST /v1/check: a draft's verdict and findings."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...requests import CheckRequest
from ...results import CheckResult, to_json
from .common import ERRORS, json_response, read_request, service

router = APIRouter()


@router.post("/v1/check", response_model=CheckResult, responses=ERRORS, summary="Check a draft reply",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}}}}})
async def check(request: Request) -> Response:
    req: CheckRequest = await read_request(request, "check")
    state = service(request)
    # In the event loop's thread: the work is CPU-bound and the GIL would serialise a thread pool anyway;
    # several workers (--workers) give parallelism. Requests take turns, first come first served.
    async with state.turns.turn():
        result = state.served.check(req.draft, lang=req.lang, channel=req.channel, inquiry=req.inquiry,
                                    customer_name=req.customer_name, agent_name=req.agent_name,
                                    inquiry_type=req.inquiry_type, id=req.id)
    state.metrics.observe_check(result)
    return json_response(to_json(result))
