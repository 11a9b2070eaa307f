"""POST /v1/render and GET /v1/templates: the pack's approved replies."""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import MissingVariablesError, UnknownTemplateError
from ...requests import RenderRequest
from ...results import TemplateInfo
from ..schemas import ErrorBody, RenderResult
from .common import ERRORS, ApiError, json_response, read_request, service

router = APIRouter()


@router.post("/v1/render", response_model=RenderResult,
             responses={**ERRORS, 404: {"model": ErrorBody, "description": "No such reply in that language."}},
             summary="Render one approved reply",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"$ref": "#/components/schemas/RenderRequest"}}}}})
async def render(request: Request) -> Response:
    req: RenderRequest = await read_request(request, "render")
    kit = service(request).served
    try:
        text = kit.render(req.template_id, lang=req.lang, variables=req.variables, samples=req.samples,
                          include_drafts=req.include_drafts)
    except UnknownTemplateError as exc:
        raise ApiError(404, str(exc)) from None
    except MissingVariablesError as exc:
        raise ApiError(422, str(exc), missing=exc.missing) from None
    result = RenderResult(id=req.id, template_id=req.template_id, text=text)  # as `render --json` prints it
    return json_response(result.model_dump_json())


@router.get("/v1/templates", response_model=list[TemplateInfo], responses={401: ERRORS[401]},
            summary="Every variant of the pack with its approval")
async def templates(request: Request) -> Response:
    items = service(request).served.templates()
    return json_response(json.dumps([t.model_dump(mode="json") for t in items], ensure_ascii=False))
