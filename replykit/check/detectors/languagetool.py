"""A LanguageTool server, reached with hard bounds, and started and stopped by its kit.

A grammar server is a network peer: it can answer one byte a second, not at
all, with 100 MB, or with an error page that echoes the draft. So each check
has a total deadline (connect, send, every byte of the answer), the answer a
size cap, and consecutive failures open a circuit breaker: grammar is skipped
with a notice for a cool-down period instead of costing the deadline on every
check. Failures are described by kind only ("HTTP 500", "timed out"): a
server's words are never logged or returned, as they may quote the draft.

The client speaks LanguageTool's documented HTTP API (POST /v2/check) over a
plain socket, because a library's per-read timeouts cannot bound a trickling
answer. A local LanguageTool (`languagetool_dir`) is started on first use, on
a loopback port, once per kit (a reload keeps it), and stopped by `close()`.
"""
from __future__ import annotations

import json
import logging
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

log = logging.getLogger("replykit.grammar")

DEADLINE_S = 3.0  # per check, everything included
MAX_RESPONSE_BYTES = 1_000_000  # a real answer for a 10,000-character draft is well under 200 kB
FAILURES_TO_OPEN = 2  # consecutive failures before grammar is skipped
COOL_DOWN_S = 60.0
START_TIMEOUT_S = 20.0
MAX_MATCHES = 200


class Unavailable(Exception):
    """LanguageTool could not be used this time; the message names the kind of failure only."""


class LanguageToolClient:
    """One per kit: the server's address (or the local server it started) and the breaker's state."""

    def __init__(self, url: str | None = None, directory: str | None = None, *, deadline_s: float = DEADLINE_S,
                 max_response_bytes: int = MAX_RESPONSE_BYTES, failures_to_open: int = FAILURES_TO_OPEN,
                 cool_down_s: float = COOL_DOWN_S):
        self.url = url
        self.directory = directory
        self.deadline_s = deadline_s
        self.max_response_bytes = max_response_bytes
        self.failures_to_open = failures_to_open
        self.cool_down_s = cool_down_s
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._local_url: str | None = None
        self._failures = 0
        self._open_until = 0.0
        self._last_error = ""
        self._closed = False

    @property
    def configured(self) -> bool:
        return bool(self.url or self.directory)

    @property
    def process(self) -> subprocess.Popen | None:
        return self._process

    # ------------------------------------------------------------------ checks

    def check(self, text: str, language: str) -> list[dict[str, Any]]:
        """LanguageTool's matches for the text; raises Unavailable (breaker open, failure) instead."""
        with self._lock:
            if self._closed:
                raise Unavailable("closed")
            wait = self._open_until - time.monotonic()
            if wait > 0:
                raise Unavailable(f"skipped for {wait:.0f} s after {self._failures} failures ({self._last_error})")
            try:
                base = self.url or self._local()
            except Unavailable as exc:
                self._failed(str(exc))
                raise
        try:
            answer = self._post(base, "/v2/check", {"language": language, "text": text})
            matches = _matches(answer)
        except Unavailable as exc:
            with self._lock:
                self._failed(str(exc))
            raise
        with self._lock:
            self._failures = 0
        return matches

    def _failed(self, kind: str) -> None:
        self._failures += 1
        self._last_error = kind
        if self._failures >= self.failures_to_open:
            self._open_until = time.monotonic() + self.cool_down_s
        log.warning("LanguageTool unavailable: %s", kind)  # the kind only: never the server's words

    def _post(self, base: str, path: str, form: dict[str, str]) -> bytes:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unavailable("bad URL (http:// or https:// expected)")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        body = urlencode(form).encode()
        target = (parts.path.rstrip("/") + path) or path
        request = (f"POST {target} HTTP/1.1\r\nHost: {parts.hostname}:{port}\r\n"
                   "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                   f"Content-Length: {len(body)}\r\nAccept: application/json\r\nConnection: close\r\n\r\n").encode()
        deadline = time.monotonic() + self.deadline_s
        try:
            sock = socket.create_connection((parts.hostname, port), timeout=self.deadline_s)
        except OSError as exc:
            raise Unavailable(f"cannot connect ({type(exc).__name__})") from None
        try:
            if parts.scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
            _send(sock, request + body, deadline)
            raw = self._receive(sock, deadline)
        except OSError as exc:
            raise Unavailable(f"connection failed ({type(exc).__name__})") from None
        finally:
            sock.close()
        return _http_body(raw)

    def _receive(self, sock: socket.socket, deadline: float) -> bytes:
        data = bytearray()
        limit = self.max_response_bytes + 16_384  # the body's cap plus room for headers
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Unavailable(f"no complete answer within {self.deadline_s:g} s")
            sock.settimeout(left)
            try:
                chunk = sock.recv(65_536)
            except (socket.timeout, TimeoutError):
                raise Unavailable(f"no complete answer within {self.deadline_s:g} s") from None
            if not chunk:
                return bytes(data)
            data += chunk
            if len(data) > limit:
                raise Unavailable(f"answer larger than {self.max_response_bytes} bytes")

    # ------------------------------------------------------------ local server

    def _local(self) -> str:
        """The local server's URL, starting it if it is not running (called with the lock held)."""
        if self._process is not None and self._process.poll() is None and self._local_url:
            return self._local_url
        folder = Path(self.directory or "")
        jars = list(folder.glob("languagetool-server.jar")) or list(folder.glob("*/languagetool-server.jar"))
        java = shutil.which("java")
        if not jars:
            raise Unavailable("no languagetool-server.jar in the configured folder")
        if not java:
            raise Unavailable("java is not installed")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self._stop()  # one server per kit: a dead one is reaped before another starts
        self._process = subprocess.Popen(  # noqa: S603 - a jar the user pointed us at
            [java, "-cp", str(jars[0]), "org.languagetool.server.HTTPServer", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    self._local_url = f"http://127.0.0.1:{port}"
                    return self._local_url
            except OSError:
                if self._process.poll() is not None:
                    self._stop()
                    raise Unavailable("local LanguageTool exited at start") from None
                time.sleep(0.2)
        self._stop()
        raise Unavailable(f"local LanguageTool did not start within {START_TIMEOUT_S:g} s")

    def _stop(self) -> None:
        process, self._process, self._local_url = self._process, None, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def close(self) -> None:
        """Stop the local server this client started; later checks skip grammar with a notice."""
        with self._lock:
            self._closed = True
            self._stop()


def _send(sock: socket.socket, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Unavailable("request not accepted in time")
        sock.settimeout(left)
        try:
            sent = sock.send(view)
        except (socket.timeout, TimeoutError):
            raise Unavailable("request not accepted in time") from None
        view = view[sent:]


def _http_body(raw: bytes) -> bytes:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise Unavailable("incomplete HTTP answer")
    lines = head.split(b"\r\n")
    status = lines[0].split(b" ", 2)
    if len(status) < 2 or not status[0].startswith(b"HTTP/") or not status[1].isdigit():
        raise Unavailable("not an HTTP answer")
    code = int(status[1])
    if code != 200:
        raise Unavailable(f"HTTP {code}")  # the error page itself may quote the draft: never shown
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if headers.get(b"transfer-encoding") == b"chunked":
        return _dechunk(body)
    length = headers.get(b"content-length")
    if length is not None and length.isdigit() and len(body) < int(length):
        raise Unavailable("answer cut short")
    return body


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    rest = body
    while True:
        size_line, sep, rest = rest.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            raise Unavailable("bad chunked answer") from None
        if not sep or size == 0:
            return bytes(out)
        out += rest[:size]
        rest = rest[size + 2:]


def _matches(body: bytes) -> list[dict[str, Any]]:
    """The matches, checked field by field: a server's answer is untrusted input."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise Unavailable("answer is not JSON") from None
    matches = data.get("matches") if isinstance(data, dict) else None
    if not isinstance(matches, list):
        raise Unavailable("answer has no matches list")
    out = []
    for m in matches[:MAX_MATCHES]:
        if not isinstance(m, dict):
            continue
        offset, length = m.get("offset"), m.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            continue
        rule_raw = m.get("rule")
        rule: dict[str, Any] = rule_raw if isinstance(rule_raw, dict) else {}
        category_raw = rule.get("category")
        category: dict[str, Any] = category_raw if isinstance(category_raw, dict) else {}
        offered = m.get("replacements")
        offered = offered[:3] if isinstance(offered, list) else []
        replacements: list[str] = [r["value"] for r in offered
                                   if isinstance(r, dict) and isinstance(r.get("value"), str)]
        out.append({"offset": offset, "length": length, "message": str(m.get("message", ""))[:300],
                    "rule_id": str(rule.get("id", ""))[:80], "category": str(category.get("id", ""))[:80],
                    "replacements": [r[:60] for r in replacements]})
    return out
