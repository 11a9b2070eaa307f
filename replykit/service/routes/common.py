"""What every route shares: reading a request body within its limit, validating it as a `--jsonl`
line is validated (replykit/requests.py), and JSON error answers."""
from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ...errors import InputError
from ...jsonio import decode_object
from ...requests import parse_request
from ..schemas import ErrorBody
from ..state import ServiceState


class ApiError(Exception):
    """An answer other than 2xx: status and a one-line message (plus fields such as `missing`)."""

    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No API key, or not a known one."},
    413: {"model": ErrorBody, "description": "The body is larger than the service's limit."},
    422: {"model": ErrorBody, "description": "Not a valid request (unknown field, bad value, text too long)."},
}


def service(request: Request) -> ServiceState:
    return request.app.state.service


async def read_request(request: Request, kind: str) -> Any:
    """The validated request model of a body: exactly a `--jsonl` line's JSON object."""
    body = await read_body(request, service(request).settings.max_body_bytes)
    return parse_request(kind, decode_object(body))


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the body is {declared} bytes; the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():  # a chunked body without a length is counted as it comes
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"the body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def json_response(payload: str | bytes, status: int = 200) -> Response:
    return Response(payload, status_code=status, media_type="application/json")


def error_response(exc: Exception) -> Response:
    """The JSON answer to an exception raised while serving (the same for every path to a route)."""
    if isinstance(exc, ApiError):
        return _error(exc.status, exc.message, **exc.extra)
    if isinstance(exc, InputError):
        return _error(422, str(exc).splitlines()[0] if str(exc) else "invalid request")
    if isinstance(exc, HTTPException):
        return _error(exc.status_code, str(exc.detail).lower() if exc.detail else "error", headers=exc.headers)
    if isinstance(exc, RequestValidationError):
        return _error(422, "invalid request")
    # A bug: logged by the outer layer (type and where, no message); the caller learns only the type.
    return _error(500, f"internal error ({type(exc).__name__})", internal=True)


def _error(status: int, message: str, headers: Any = None, **extra: Any) -> Response:
    return Response(json.dumps({"error": message, **extra}, ensure_ascii=False), status_code=status,
                    media_type="application/json", headers=headers)
