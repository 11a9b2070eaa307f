"""Section 10 of `make bench`: `replykit serve` under a bounded load on loopback.

Starts the service (one worker per core) in its own process, waits for /readyz,
and drives it from another process: an asyncio load generator holding N
keep-alive connections, each sending its next request as soon as the answer
arrives (closed loop), for a fixed time per level. Reported per endpoint and
concurrency (1, 8, 32 clients): requests/s and p50/p99 latency as the client
sees it (request written to last byte read). `check` is called as integrations
call it, with the customer's post passed as `inquiry`; both rotate over the
four languages. The in-process call's p50 over the same requests is the
reference: the service's overhead is service p50 at 1 client minus that.
The server is stopped by this section, whatever happens. Nothing is asserted.

Run alone: .venv/bin/python bench/run.py --only 10 [--quick]
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

LANGS = ("da", "no", "nl", "ru")
LEVELS = (1, 8, 32)
CHECK_P99_TARGET_S = 0.010  # at 8 clients
OVERHEAD_TARGET_S = 0.001  # at p50


def bench_service(rep, kit, cfg: dict, h: ModuleType | None = None) -> None:  # noqa: ANN001 - Report, ReplyKit
    """`h` holds the shared helpers and texts (fmt, timed, summary, cli_path, check_kwargs, draft_600,
    POSTS, NAMES): run.py's module, or else they are taken from common.py and texts.py."""
    h = h or _shared_helpers()
    rep.section("10. service: replykit serve on loopback (requests/s, p50/p99 at 1, 8, 32 clients)", in_process=False)
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        rep.line("  skipped: the 'serve' extra is not installed (pip install 'replykit[serve]')")
        return
    seconds = 5.0 if cfg["budget_s"] >= 10 else 1.5
    bodies = _bodies(h)
    workers = os.cpu_count() or 1
    out: dict[str, Any] = {"workers": workers, "seconds_per_level": seconds, "levels": {}}
    inproc = _in_process(kit, h, cfg)
    out["in_process_p50_s"] = inproc
    asgi = _asgi_overhead(kit, bodies, cfg)
    out["asgi_overhead_p50_s"] = asgi
    with _Server(h, workers) as srv:
        for kind in ("check", "suggest"):  # every worker sees every body once before anything is timed
            _load(srv, kind, bodies[kind], 8, 2.0)
        rows = []
        for kind in ("check", "suggest"):
            for clients in LEVELS:
                res = _load(srv, kind, bodies[kind], clients, seconds)
                out["levels"][f"{kind}@{clients}"] = res
                rows.append([kind, clients, f"{res['rps']:.0f}", h.fmt(res["p50_s"]), h.fmt(res["p99_s"]),
                             res["errors"], f"{res['load_avg']:.2f}"])
    rep.line(f"  server: {workers} worker process(es); load generator: one asyncio process, keep-alive "
             f"connections, {seconds:g} s per level")
    rep.table(["endpoint", "clients", "req/s", "p50", "p99", "errors", "load avg"], rows)
    for kind in ("check", "suggest"):
        one = out["levels"][f"{kind}@1"]["p50_s"]
        overhead = one - inproc[kind]
        out[f"{kind}_overhead_p50_s"] = overhead
        rep.line(f"  {kind}: in-process p50 {h.fmt(inproc[kind])}, over HTTP at 1 client {h.fmt(one)}: "
                 f"service overhead {h.fmt(overhead)} (target <= {h.fmt(OVERHEAD_TARGET_S)})")
    rep.line("  the same measured inside one process (the ASGI app called directly, no sockets, calls interleaved "
             "with the library's, so machine load cancels out): overhead p50 "
             + ", ".join(f"{kind} {h.fmt(v)}" for kind, v in asgi.items()))
    p99 = out["levels"]["check@8"]["p99_s"]
    rep.line(f"  check p99 at 8 clients: {h.fmt(p99)} (target <= {h.fmt(CHECK_P99_TARGET_S)}: "
             f"{'met' if p99 <= CHECK_P99_TARGET_S else 'NOT met'})")
    rep.data["service"] = out


def _shared_helpers() -> Any:
    import types

    import common  # type: ignore[import-not-found]  # noqa: I001 - bench's own modules, beside this file
    import texts  # type: ignore[import-not-found]

    merged = {**vars(common), **vars(texts)}
    return types.SimpleNamespace(**{k: v for k, v in merged.items() if not k.startswith("__")})


def _bodies(h: ModuleType) -> dict[str, list[bytes]]:
    checks, suggests = [], []
    for lang in LANGS:
        kw = h.check_kwargs(lang)
        for post in h.POSTS[lang][:3]:
            checks.append(json.dumps({"draft": h.draft_600(lang), **kw, "inquiry": post}).encode())
            suggests.append(json.dumps({"text": post, "channel": "facebook",
                                        "variables": {"agent_name": h.NAMES[lang][1]}}).encode())
    return {"check": checks, "suggest": suggests}


def _in_process(kit, h: ModuleType, cfg: dict) -> dict[str, float]:  # noqa: ANN001
    from replykit.requests import parse_request

    calls = {"check": [], "suggest": []}
    for kind, bodies in _bodies(h).items():
        for body in bodies:
            req = parse_request(kind, json.loads(body))
            if kind == "check":
                calls[kind].append(lambda r=req: kit.check(r.draft, lang=r.lang, channel=r.channel, inquiry=r.inquiry,
                                                           customer_name=r.customer_name, agent_name=r.agent_name))
            else:
                calls[kind].append(lambda r=req: kit.suggest(r.text, channel=r.channel, variables=r.variables))
    return {kind: _p50_rotating(h, fns, cfg) for kind, fns in calls.items()}


def _p50_rotating(h: ModuleType, fns: list, cfg: dict) -> float:
    turn = iter(range(10**9))
    samples = h.timed(lambda: fns[next(turn) % len(fns)](), cfg["check_n"], warmup=len(fns),
                      budget_s=cfg["budget_s"] / 2)
    return h.summary(samples)["p50_s"]


def _asgi_overhead(kit, bodies: dict[str, list[bytes]], cfg: dict) -> dict[str, float]:  # noqa: ANN001
    """Median of (the app's time - the library's time) for the same request, pairs taken back to back."""
    import statistics

    from replykit.requests import parse_request
    from replykit.service.app import create_app
    from replykit.service.auth import KeyRing
    from replykit.service.settings import ServiceSettings

    app = create_app(ServiceSettings(), kit=kit, keys=KeyRing(["bench-key"]))

    async def via_app(path: str, body: bytes) -> None:
        sent: list[dict] = []
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "headers": [(b"authorization", b"Bearer bench-key"), (b"content-type", b"application/json"),
                             (b"content-length", str(len(body)).encode())], "http_version": "1.1",
                 "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "root_path": "",
                 "asgi": {"version": "3.0"}}
        await app(scope, receive, send)
        assert sent[0]["status"] == 200, sent[0]

    def direct(kind: str, body: bytes) -> None:
        r = parse_request(kind, json.loads(body))
        if kind == "check":
            kit.check(r.draft, lang=r.lang, channel=r.channel, inquiry=r.inquiry, customer_name=r.customer_name,
                      agent_name=r.agent_name)
        else:
            kit.suggest(r.text, channel=r.channel, variables=r.variables)

    async def measure() -> dict[str, float]:
        result = {}
        n = max(40, min(400, cfg["check_n"] // 4))
        for kind, items in bodies.items():
            diffs = []
            for i in range(n):
                body = items[i % len(items)]
                # Which goes first alternates: the second call of a pair finds the first one's caches warm.
                t0 = time.perf_counter()
                await via_app(f"/v1/{kind}", body) if i % 2 else direct(kind, body)
                t1 = time.perf_counter()
                direct(kind, body) if i % 2 else await via_app(f"/v1/{kind}", body)
                t2 = time.perf_counter()
                app_s, lib_s = (t1 - t0, t2 - t1) if i % 2 else (t2 - t1, t1 - t0)
                diffs.append(app_s - lib_s)
            result[kind] = statistics.median(diffs)
        return result

    return asyncio.run(measure())


class _Server:
    def __init__(self, h: ModuleType, workers: int):
        self.h, self.workers = h, workers
        self.key = secrets.token_urlsafe(24)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = tempfile.TemporaryFile()

    def __enter__(self) -> "_Server":
        env = {**os.environ, "REPLYKIT_API_KEYS": self.key, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([self.h.cli_path(), "serve", "--port", str(self.port),
                                      "--workers", str(self.workers)], env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"replykit serve exited with {self.proc.returncode}")
            if self._ready():
                break
            time.sleep(0.3)
        else:
            self.__exit__()
            raise RuntimeError("replykit serve not ready in 300 s")
        time.sleep(2 if self.workers > 1 else 0)  # the other workers finish warming up
        return self

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _load(srv: _Server, kind: str, bodies: list[bytes], clients: int, seconds: float) -> dict[str, Any]:
    spec = {"port": srv.port, "key": srv.key, "path": f"/v1/{kind}", "bodies": [b.decode() for b in bodies],
            "clients": clients, "seconds": seconds}
    proc = subprocess.run([sys.executable, __file__, "--generate"], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=seconds * 4 + 120)
    if proc.returncode:
        raise RuntimeError(f"load generator failed: {proc.stderr.strip()[-400:]}")
    res = json.loads(proc.stdout)
    lat = sorted(res.pop("latencies"))
    res.update(p50_s=_pct(lat, 50), p99_s=_pct(lat, 99), load_avg=os.getloadavg()[0])
    return res


def _pct(sorted_samples: list[float], p: float) -> float:
    if not sorted_samples:
        return float("nan")
    k = max(0, min(len(sorted_samples) - 1, -(-len(sorted_samples) * p // 100) - 1))
    return sorted_samples[int(k)]


# -------------------------------------------------------- the load generator (its own process)

_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


async def _client(spec: dict, requests: list[bytes], offset: int, warm_until: float, end: float,
                  latencies: list[float], counts: dict[str, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", spec["port"])
    i = offset
    try:
        while True:
            now = time.perf_counter()
            if now >= end:
                break
            request = requests[i % len(requests)]
            i += 1
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            match = _LENGTH.search(head)
            await reader.readexactly(int(match.group(1)) if match else 0)
            done = time.perf_counter()
            if done < warm_until:
                continue
            latencies.append(done - now)
            counts["ok" if head.startswith(b"HTTP/1.1 200") else "errors"] += 1
    finally:
        writer.close()


async def _generate(spec: dict) -> dict[str, Any]:
    requests = [(f"POST {spec['path']} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {spec['key']}\r\n"
                 f"Content-Type: application/json\r\nContent-Length: {len(b.encode())}\r\n\r\n").encode() + b.encode()
                for b in spec["bodies"]]
    start = time.perf_counter()
    warm_until = start + min(1.0, spec["seconds"] / 3)  # connections opened and every body seen once
    end = warm_until + spec["seconds"]
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    await asyncio.gather(*(_client(spec, requests, k, warm_until, end, latencies, counts)
                           for k in range(spec["clients"])))
    return {"rps": len(latencies) / spec["seconds"], "requests": len(latencies), "errors": counts["errors"],
            "latencies": latencies}


if __name__ == "__main__" and sys.argv[1:] == ["--generate"]:
    print(json.dumps(asyncio.run(_generate(json.loads(sys.stdin.read())))))
elif __name__ == "__main__":
    sys.exit(f"run it through bench/run.py --only 10 ({Path(__file__).name} --generate is the load generator)")
