"""GET /healthz, /readyz (no API key: for load balancers and orchestrators) and /metrics (Prometheus)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..schemas import Health
from .common import ERRORS, json_response, service

router = APIRouter()
OPEN: dict[str, Any] = {"security": []}  # the OpenAPI document's way of saying: no key needed


@router.get("/healthz", response_model=Health, summary="The process answers", openapi_extra=OPEN)
async def healthz(request: Request) -> Response:
    return json_response(Health(status="ok").model_dump_json(exclude_none=True))


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}},
            summary="The pack is loaded and warm: send traffic", openapi_extra=OPEN)
async def readyz(request: Request) -> Response:
    state = service(request)
    if not state.ready or state.pack is None:
        return json_response(Health(status="loading").model_dump_json(exclude_none=True), 503)
    name, digest = state.pack
    return json_response(Health(status="ready", pack=name, digest=digest).model_dump_json())


@router.get("/metrics", responses={401: ERRORS[401]}, response_class=Response,
            summary="Prometheus metrics (text format)")
async def metrics(request: Request) -> Response:
    body, content_type = service(request).metrics.exposition()
    return Response(body, media_type=content_type)
