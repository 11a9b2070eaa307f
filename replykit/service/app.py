"""The FastAPI app: routers, JSON errors, the OpenAPI document from the request and result models."""
from __future__ import annotations

import logging
import sys
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import InputError
from ..kit import ReplyKit
from ..requests import REQUESTS
from . import feedback_routes
from .asgi import ServiceASGI
from .auth import KeyRing
from .routes import admin, check, health, render, suggest, triage
from .routes.common import ApiError, error_response
from .settings import ServiceSettings
from .state import ServiceState

ROUTERS = [suggest.router, check.router, render.router, triage.router, admin.router, health.router]

DESCRIPTION = """Approved replies and draft checks for telecom customer service on social media.
Request bodies are the JSON objects of a `replykit check|suggest --jsonl` line; results are the
JSON of `replykit ... --json`. Every endpoint except /healthz and /readyz needs
`Authorization: Bearer <key>`. Errors are `{"error": "..."}`."""


def create_app(settings: ServiceSettings, kit: ReplyKit | None = None, keys: KeyRing | None = None) -> ServiceASGI:
    """The ASGI app of one service process; loads the pack at startup unless `kit` is given."""
    state = ServiceState(settings, kit, keys)
    api = FastAPI(title="replykit", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")  # no pages that load scripts from a CDN
    api.state.service = state
    for router in ROUTERS:
        api.include_router(router)
    # Concepts with their own routers, over the kit the service serves (it changes on reload).
    feedback = feedback_routes.router(lambda: state.served, prefix="/v1/feedback")
    api.include_router(feedback)
    _errors(api)
    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    inner: Any = api
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        inner = CORSMiddleware(api, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                               allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                               expose_headers=["X-Request-ID"])
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    served = [*routes, *(r for r in feedback.routes if isinstance(r, APIRoute))]
    known = frozenset([api.openapi_url or "", *(r.path for r in served)])
    # The service's own routes are called directly (their endpoints take the request alone): FastAPI's
    # per-request routing and dependency resolution cost ~0.3 ms here, a third of the overhead budget.
    # CORS headers come from its middleware, so with CORS on everything goes through FastAPI.
    direct = {} if settings.cors_origins else {
        (method, r.path): r.endpoint for r in routes for method in r.methods or ()}
    return ServiceASGI(inner, state, known, api, direct)


def app_from_env() -> ServiceASGI:
    """uvicorn's factory in each worker process: settings from the environment `replykit serve` set."""
    configure_logging()
    return create_app(ServiceSettings.from_env())


def configure_logging() -> None:
    """Access logs as JSON lines on stderr; service events as plain lines. Never above what is set already."""
    for name, fmt in (("replykit.access", "%(message)s"), ("replykit.service", "replykit: %(message)s"),
                      ("replykit.batch", "replykit: %(message)s")):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(fmt))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False


def _errors(api: FastAPI) -> None:
    async def handler(_: Request, exc: Exception) -> Response:
        return error_response(exc)

    for kind in (ApiError, InputError, HTTPException, RequestValidationError, Exception):
        api.add_exception_handler(kind, handler)


def _openapi(api: FastAPI) -> dict[str, Any]:
    if api.openapi_schema:
        return api.openapi_schema
    schema = get_openapi(title=api.title, version=api.version, description=api.description, routes=api.routes)
    components = schema.setdefault("components", {})
    models = components.setdefault("schemas", {})
    for model in REQUESTS.values():  # request bodies are read by hand (as --jsonl lines): add their schemas
        sch = model.model_json_schema(ref_template="#/components/schemas/{model}")
        models.update(sch.pop("$defs", {}))
        models[model.__name__] = sch
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    schema["security"] = [{"bearer": []}]
    api.openapi_schema = schema
    return schema
