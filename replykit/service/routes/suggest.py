"""POST /v1/suggest: approved replies for a customer's post."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...requests import SuggestRequest
from ...results import SuggestResult, to_json
from .common import ERRORS, json_response, read_request, service

router = APIRouter()


@router.post("/v1/suggest", response_model=SuggestResult, responses=ERRORS, summary="Suggest approved replies",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"$ref": "#/components/schemas/SuggestRequest"}}}}})
async def suggest(request: Request) -> Response:
    req: SuggestRequest = await read_request(request, "suggest")
    state = service(request)
    async with state.turns.turn():  # first come, first served (service/turns.py)
        result = state.served.suggest(req.text, lang=req.lang, channel=req.channel, top=req.top,
                                      variables=req.variables, id=req.id, include_drafts=req.include_drafts)
    return json_response(to_json(result))
