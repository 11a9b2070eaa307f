"""Running the service under uvicorn: one process, or a supervisor with several worker processes.

One worker: the kit `replykit serve` loaded (and so validated) is served in
this process; SIGHUP reloads it in place. Several workers: uvicorn's
supervisor spawns them (each loads and warms its own kit before it takes
requests) and hands each new connection to the next ready worker
(handoff.py); SIGHUP to the supervisor is passed on to every worker, which
reloads in place, so connections stay open and no request is dropped, and a
broken pack keeps each worker on its last good one. Metrics then use
prometheus_client's multiprocess mode in a private folder removed at exit.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import replace
from typing import Any

from ..kit import ReplyKit
from .app import configure_logging, create_app
from .auth import KeyRing
from .settings import ENV, ServiceSettings

log = logging.getLogger("replykit.service")


def serve(settings: ServiceSettings, kit: ReplyKit | None, keys: KeyRing) -> None:
    import uvicorn

    configure_logging()
    common: dict[str, Any] = dict(host=settings.host, port=settings.port, access_log=False, server_header=False,
                                  lifespan="on", timeout_graceful_shutdown=10, log_level="info")
    if settings.workers <= 1:
        config = uvicorn.Config(create_app(settings, kit, keys), **common)
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise SystemExit(3)
        return
    _serve_workers(settings, common)


def _serve_workers(settings: ServiceSettings, common: dict[str, Any]) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from .handoff import Handoff, bind_listener, forward_hup, handoff_supported

    own_dir = None
    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not metrics_dir:
        metrics_dir = own_dir = tempfile.mkdtemp(prefix="replykit-metrics-")  # 0700
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # read by prometheus_client as workers import it
    settings = replace(settings, supervisor_pid=os.getpid(), metrics_dir=metrics_dir)
    os.environ[ENV] = settings.to_env()
    config = uvicorn.Config("replykit.service.app:app_from_env", factory=True, workers=settings.workers, **common)
    try:
        listener = bind_listener(settings.host, settings.port, config.backlog)
    except OSError as exc:  # as uvicorn's own bind: said in one line, exit 3
        log.error("cannot listen on %s:%s: %s", settings.host, settings.port, exc.strerror or exc)
        raise SystemExit(3) from None
    try:
        if handoff_supported():
            supervisor: Multiprocess = Handoff(config, listener)
        else:
            supervisor = Multiprocess(config, sockets=[listener])
            # uvicorn's own SIGHUP replaces every worker, closing its connections; reloading in place does not.
            supervisor.handle_hup = lambda: forward_hup(supervisor)  # type: ignore[method-assign]
        supervisor.run()
    finally:
        listener.close()
        if own_dir:
            shutil.rmtree(own_dir, ignore_errors=True)
