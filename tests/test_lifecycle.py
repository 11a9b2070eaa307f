"""Lifecycles and state on instances (#15 items 4 and 9): LanguageTool calls are
bounded (deadline, size cap, circuit breaker) and never surface the server's
words; a local LanguageTool is owned by its kit; dictionaries and caches are
per kit."""
from __future__ import annotations

import ast
import gc
import json
import logging
import os
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import weakref
from pathlib import Path

import pytest

from replykit import ReplyKit

DRAFT = "Hej Peter, tak for for din besked om Hemmeligvej 7. Hilsen Sofie"
SECRET = "Hemmeligvej 7"


class FakeServer:
    """A loopback TCP server whose every connection is handled by `serve(conn, request_bytes)`."""

    def __init__(self, serve):  # noqa: ANN001
        self.serve = serve
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self.stopped = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length")), b"0"))
                while len(body) < length:
                    body += conn.recv(65536)
                self.serve(conn, body, self.stopped)
            except OSError:
                pass

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


@pytest.fixture
def server():
    made: list[FakeServer] = []

    def make(serve):  # noqa: ANN001, ANN202
        made.append(FakeServer(serve))
        return made[-1]

    yield make
    for s in made:
        s.close()


def _answer(status: str, body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            .encode() + body)


def _kit(url: str, deadline_s: float = 0.5) -> ReplyKit:
    kit = ReplyKit.load(languagetool_url=url)
    kit._sources[2]["languagetool"].deadline_s = deadline_s
    return kit


def _timed_check(kit: ReplyKit):  # noqa: ANN202
    start = time.perf_counter()
    result = kit.check(DRAFT, lang="da", channel="dm")
    return result, time.perf_counter() - start


def _grammar_notice(result) -> str:  # noqa: ANN001
    return next(n for n in result.notices if n.startswith("grammar"))


def test_a_trickling_server_costs_the_deadline_not_forever(server):
    def trickle(conn, body, stopped):  # noqa: ANN001
        for byte in _answer("200 OK", json.dumps({"matches": []}).encode() * 50):
            if stopped.wait(0.2):  # one byte per 0.2 s: 30 s for the whole answer
                return
            conn.sendall(bytes([byte]))

    kit = _kit(server(trickle).url)
    result, elapsed = _timed_check(kit)
    assert elapsed < 2.0
    assert "no complete answer within 0.5 s" in _grammar_notice(result)


def test_a_silent_server_opens_the_breaker(server):
    fake = server(lambda conn, body, stopped: stopped.wait(30))
    kit = _kit(fake.url)
    for _ in range(2):  # two failures, each costing the deadline
        result, elapsed = _timed_check(kit)
        assert elapsed < 2.0 and "unavailable" in _grammar_notice(result)
    result, elapsed = _timed_check(kit)  # then skipped at once, for the cool-down
    assert "skipped for" in _grammar_notice(result)
    assert fake.connections == 2
    assert elapsed < 1.0


def test_a_huge_answer_is_cut_at_the_cap(server):
    def flood(conn, body, stopped):  # noqa: ANN001
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n{\"matches\": [")
        chunk = b"1," * 32768
        for _ in range(100_000_000 // len(chunk)):
            if stopped.is_set():
                return
            conn.sendall(chunk)

    kit = _kit(server(flood).url, deadline_s=3.0)
    kit.check("Hej", lang="da", channel="dm")  # load dictionaries and rules outside the measure
    tracemalloc.start()
    result, elapsed = _timed_check(kit)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "answer larger than 1000000 bytes" in _grammar_notice(result)
    assert peak < 20_000_000 and elapsed < 3.0


def test_an_error_body_echoing_the_draft_is_never_logged_or_returned(server, caplog):
    def echo(conn, body, stopped):  # noqa: ANN001
        conn.sendall(_answer("500 Internal Server Error", b"error while checking: " + body))

    kit = _kit(server(echo).url)
    with caplog.at_level(logging.DEBUG):
        result, _ = _timed_check(kit)
    assert "HTTP 500" in _grammar_notice(result)
    dumped = result.model_dump_json()
    assert "Hemmeligvej" not in dumped.replace(json.dumps(DRAFT)[1:-1], "")
    assert not any(n for n in result.notices if "Hemmeligvej" in n)
    assert "Hemmeligvej" not in caplog.text


def test_a_good_server_still_gives_findings(grammar_kit):
    result = grammar_kit.check(DRAFT, lang="da", channel="dm")
    assert any(f.category == "language.grammar" for f in result.findings)


# --------------------------------------------------------------- local server

FAKE_LT = textwrap.dedent('''
    import json, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.dumps({"matches": []}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
    HTTPServer(("127.0.0.1", int(sys.argv[sys.argv.index("--port") + 1])), H).serve_forever()
''')


@pytest.fixture
def local_languagetool(tmp_path, monkeypatch):
    """A LanguageTool folder and a `java` on PATH that runs a tiny LanguageTool-speaking server."""
    folder = tmp_path / "LanguageTool"
    folder.mkdir()
    (folder / "languagetool-server.jar").write_bytes(b"not a real jar")
    (tmp_path / "fake_lt.py").write_text(FAKE_LT)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = bin_dir / "java"
    java.write_text(f"#!/bin/sh\nexec {sys.executable} {tmp_path / 'fake_lt.py'} \"$@\"\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _pid(kit: ReplyKit) -> int:
    process = kit._sources[2]["languagetool"].process
    assert process is not None
    return process.pid


def test_the_local_server_is_owned_kept_across_reloads_and_stopped_on_close(local_languagetool):
    kit = ReplyKit.load(languagetool_dir=local_languagetool)
    result = kit.check(DRAFT, lang="da", channel="dm")
    assert not any("unavailable" in n for n in result.notices)
    pid = _pid(kit)
    kit.reload()
    kit.check(DRAFT, lang="nl", channel="dm")
    assert _pid(kit) == pid  # a reload never starts another
    kit.close()
    assert not _alive(pid)
    after = kit.check(DRAFT, lang="da", channel="dm")
    assert any("closed" in n for n in after.notices)


def test_the_context_manager_stops_the_server(local_languagetool):
    with ReplyKit.load(languagetool_dir=local_languagetool) as kit:
        kit.check(DRAFT, lang="da", channel="dm")
        pid = _pid(kit)
        assert _alive(pid)
    assert not _alive(pid)


def test_interpreter_exit_stops_the_server(local_languagetool):
    script = ("from replykit import ReplyKit\n"
              f"kit = ReplyKit.load(languagetool_dir={str(local_languagetool)!r})\n"
              "kit.check('Hej Peter, tak for for din besked. Hilsen Sofie', lang='da', channel='dm')\n"
              "print(kit._sources[2]['languagetool'].process.pid)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env=os.environ.copy())
    assert out.returncode == 0, out.stderr[-500:]
    pid = int(out.stdout.strip().splitlines()[-1])
    time.sleep(0.2)
    assert not _alive(pid)


# ------------------------------------------------------------ state per kit

def test_dictionaries_are_per_kit(tmp_path):
    tiny = tmp_path / "dicts"
    tiny.mkdir()
    (tiny / "da_DK.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (tiny / "da_DK.dic").write_text("3\nhej\ntak\nhilsen\n", encoding="utf-8")
    draft = "Hej Peter, tak for din besked om regningen. Hilsen Sofie"
    usual = ReplyKit.load()
    assert not [f for f in usual.check(draft, lang="da", channel="dm").findings if f.category == "language.spelling"]
    own = ReplyKit.load(dictionaries=tiny)  # once ignored: the first kit's Danish dictionary was global
    flagged = [f for f in own.check(draft, lang="da", channel="dm").findings if f.category == "language.spelling"]
    assert flagged


def test_reload_lets_old_detectors_go():
    kit = ReplyKit.load()
    kit.check("Hej Peter, tak for din besked. Hilsen Sofie", lang="da", channel="dm")
    old = weakref.ref(kit._loaded.rules.detectors["spelling"])
    kit.reload()
    gc.collect()
    assert old() is None  # no lru_cache on a method holding it


def test_no_module_level_caches_on_methods_or_globals_in_the_library():
    root = Path(__file__).resolve().parent.parent / "replykit"
    problems = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
                for dec in fn.decorator_list:
                    name = ast.unparse(dec)
                    if "lru_cache" in name or name.endswith("cache") and "cached_property" not in name:
                        problems.append(f"{path.name}: {cls.name}.{fn.name} has @{name}")
        rel = path.relative_to(root).as_posix()
        if rel == "batch.py":
            continue  # the batch runner's worker kit: the service branch's to change
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                problems.append(f"{rel}: global {', '.join(node.names)}")
    assert not problems, problems
