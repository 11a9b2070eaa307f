"""The service's outer ASGI layer: lifespan (load the pack before serving), request ids, API keys,
access logs and request metrics, written as plain ASGI so each request pays microseconds for them.

Access logs are JSON lines on the `replykit.access` logger: time, method, path
(one of the service's own routes, else "other": a path is never a place for
customer text, but a caller may put some there), status, milliseconds,
request id, worker pid. Never a body, a query string or a header value.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
import traceback
import uuid
from typing import Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ..errors import ReplyKitError
from .routes.common import error_response
from .state import ServiceState

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("replykit.access")
log = logging.getLogger("replykit.service")

OPEN_PATHS = frozenset({"/healthz", "/readyz"})  # answered without an API key (load balancers, orchestrators)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class ServiceASGI:
    def __init__(self, inner: ASGIApp, state: ServiceState, known_paths: frozenset[str], api: Any = None,
                 direct: dict[tuple[str, str], Callable[[Request], Awaitable[Response]]] | None = None):
        self.inner = inner
        self.state = state
        self.known_paths = known_paths
        self.api = api
        self.direct = direct or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:  # websockets: not offered
            await self.inner(scope, receive, send)

    # ----------------------------------------------------------------- http

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        headers = _headers(scope)
        given = headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        path = scope["path"] if scope["path"] in self.known_paths else "other"

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            if self._refused(scope, headers):
                await _json(send_with_id, 401, {"error": "missing or unknown API key (Authorization: Bearer <key>)"},
                            [(b"www-authenticate", b"Bearer")])
            elif (endpoint := self.direct.get((scope["method"], scope["path"]))) is not None:
                scope["app"] = self.api  # what `request.app` reads
                try:
                    response = await endpoint(Request(scope, receive))
                except Exception as exc:  # noqa: BLE001 - every error is a JSON answer
                    response = error_response(exc)
                    if response.status_code == 500:
                        self._log_internal(exc, path, request_id)
                await response(scope, receive, send_with_id)  # type: ignore[arg-type]
            else:
                await self.inner(scope, receive, send_with_id)
        except Exception as exc:  # noqa: BLE001 - answered as a JSON 500 inside; here only kept out of the log
            self._log_internal(exc, path, request_id)
        finally:
            elapsed = time.perf_counter() - started
            self.state.metrics.observe(path, scope["method"], status, elapsed)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(json.dumps({
                    "ts": round(time.time(), 3), "method": scope["method"], "path": path, "status": status,
                    "ms": round(elapsed * 1000, 2), "request_id": request_id, "pid": os.getpid()}))

    @staticmethod
    def _log_internal(exc: Exception, path: str, request_id: str) -> None:
        # The type and where, never the message: it may quote a draft.
        log.error("internal error (%s) on %s, request %s\n%s", type(exc).__name__, path, request_id,
                  "".join(traceback.format_tb(exc.__traceback__)))

    def _refused(self, scope: Scope, headers: dict[str, str]) -> bool:
        if not self.state.auth_required or scope["path"] in OPEN_PATHS:
            return False
        if scope["method"] == "OPTIONS" and self.state.settings.cors_origins:
            return False  # CORS preflight carries no credentials; the actual request still needs the key
        return not self.state.keys.allows(headers.get("authorization"))

    # ------------------------------------------------------------- lifespan

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.state.start()
                except Exception as exc:  # noqa: BLE001 - one line in the server's log, no traceback
                    text = str(exc).splitlines()[0] if str(exc) else ""
                    kind = "" if isinstance(exc, ReplyKitError) else f"{type(exc).__name__}: "
                    await send({"type": "lifespan.startup.failed",
                                "message": f"replykit: pack not loaded: {kind}{text}"})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.state.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def _json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": payload})
