"""`replykit serve`: the HTTP/JSON service (needs the `serve` extra); see docs/service.md."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from ..kit import DEFAULT_MAX_CHARS
from .base import _fail, _state, app, kit


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=0, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes (each loads the pack)."),
    api_key_file: Optional[str] = typer.Option(None, "--api-key-file",
                                               help="API keys, one a line (also REPLYKIT_API_KEYS, comma-separated)."),
    no_auth: bool = typer.Option(False, "--no-auth", help="Serve without API keys (loopback hosts only)."),
    cors_origin: Optional[List[str]] = typer.Option(None, "--cors-origin",
                                                    help="Allow browser calls from this origin (repeatable)."),
    max_body_bytes: int = typer.Option(1_048_576, "--max-body-bytes", min=1024,
                                       help="Larger request bodies are refused with 413."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", min=1,
                                  help="Longer drafts and posts are refused with 422."),
) -> None:
    """Serve suggest, check, render and templates over HTTP/JSON (POST /v1/check, ...)."""
    try:
        import fastapi  # noqa: F401
        import prometheus_client  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        _fail(f"the service needs the 'serve' extra ({exc.name} is not installed): pip install 'replykit[serve]'")
    from ..service.auth import KeyRing, is_loopback
    from ..service.server import serve as run_server
    from ..service.settings import ServiceSettings

    keys = KeyRing.from_environment(api_key_file)
    if no_auth:
        if not is_loopback(host):
            _fail(f"--no-auth is only allowed on a loopback host (127.0.0.1, ::1), not {host!r}; "
                  "give API keys instead")
        if len(keys):
            _fail("--no-auth and API keys given together: drop one")
        sys.stderr.write(f"replykit: authentication is OFF: anyone who can connect to {host}:{port} "
                         "on this machine may call the service\n")
    elif not len(keys):
        _fail("no API keys: set REPLYKIT_API_KEYS (comma-separated) or give --api-key-file "
              "(or --no-auth on a loopback host)")
    settings = ServiceSettings(
        host=host, port=port, workers=workers,
        templates=str(_state["templates"]) if _state.get("templates") else None,
        rules=str(_state["rules"]) if _state.get("rules") else None,
        languagetool_url=_state.get("languagetool_url"), api_key_file=api_key_file, no_auth=no_auth,
        cors_origins=tuple(cors_origin or ()), max_body_bytes=max_body_bytes, max_chars=max_chars)
    # Loaded here first, so a broken pack is one line on stderr before anything listens. One worker
    # serves this very kit; several load their own (and this one is dropped).
    loaded = kit()
    loaded.max_chars = max_chars
    if workers > 1:
        _state.pop("kit", None)  # each worker loads its own
        loaded = None
    run_server(settings, loaded, keys)
