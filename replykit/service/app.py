"""The FastAPI app: routers, JSON errors, the OpenAPI document from the request and result models."""
from __future__ import annotations

import logging
import sys
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import InputError
from ..kit import ReplyKit
from ..requests import REQUESTS
from .asgi import ServiceASGI
from .auth import KeyRing
from .routes import admin, check, health, render, suggest
from .routes.common import ApiError
from .settings import ServiceSettings
from .state import ServiceState

ROUTERS = [suggest.router, check.router, render.router, admin.router, health.router]

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
    _errors(api)
    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    inner: Any = api
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        inner = CORSMiddleware(api, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                               allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                               expose_headers=["X-Request-ID"])
    paths = [r.path for router in ROUTERS for r in router.routes if hasattr(r, "path")]
    known = frozenset([api.openapi_url or "", *paths])
    return ServiceASGI(inner, state, known)


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
    def body(status: int, message: str, **extra: Any) -> JSONResponse:
        return JSONResponse({"error": message, **extra}, status_code=status)

    @api.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return body(exc.status, exc.message, **exc.extra)

    @api.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return body(422, str(exc).splitlines()[0] if str(exc) else "invalid request")

    @api.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return body(exc.status_code, str(exc.detail).lower() if exc.detail else "error")

    @api.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return body(422, "invalid request")

    @api.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        # Logged by the outer layer (type and where, no message); the caller learns only the type.
        return body(500, f"internal error ({type(exc).__name__})", internal=True)


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
