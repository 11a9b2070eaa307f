"""POST /v1/reload: re-read the pack (the same as SIGHUP), keeping the last good pack if the new one is broken."""
from __future__ import annotations

import os
import signal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..schemas import ErrorBody, ReloadResult
from .common import ApiError, json_response, service

router = APIRouter()


@router.post("/v1/reload", response_model=ReloadResult, summary="Reload the pack",
             responses={401: {"model": ErrorBody}, 409: {
                 "model": ErrorBody, "description": "The pack on disk is broken; the last good pack still serves."}})
async def reload(request: Request) -> Response:
    state = service(request)
    outcome = await state.reload("POST /v1/reload")
    if outcome.error is not None:
        raise ApiError(409, f"pack not reloaded, still serving {outcome.pack} {outcome.digest[:12]}: {outcome.error}")
    signalled = False
    supervisor = state.settings.supervisor_pid
    if supervisor:
        # This worker has reloaded; the supervisor passes SIGHUP on to every worker (this one finds
        # the pack unchanged), so all serve the new pack.
        try:
            os.kill(supervisor, signal.SIGHUP)
            signalled = True
        except OSError:
            pass
    result = ReloadResult(outcome=outcome.outcome, pack=outcome.pack, digest=outcome.digest,
                          workers_signalled=signalled)
    return json_response(result.model_dump_json())
