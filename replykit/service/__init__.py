"""`replykit serve`: the HTTP/JSON service over `ReplyKit` (FastAPI app, run by uvicorn).

Modules: `settings` (what `replykit serve` was told, handed to worker
processes), `auth` (API keys, hashed), `metrics` (Prometheus), `state` (the
kit, its pack identity and reloads), `asgi` (the outer layer: lifespan, request
ids, access logs, metrics, API keys), `app` (the FastAPI app and its OpenAPI
document), `routes/` (one router per concept: a new concept adds a router
there and one line in `app.ROUTERS`), `server` (uvicorn, one or several workers).
Needs the `serve` extra: pip install 'replykit[serve]'.
"""
