"""Shared fixtures: the bundled kit, a throwaway copy of the pack, and a
local HTTP server that speaks LanguageTool's documented /v2 API."""
from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from replykit import ReplyKit
from replykit.kit import bundled_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    # Tests must not read or leave a pack cache in the user's home.
    import os

    os.environ["REPLYKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("REPLYKIT_LANGUAGETOOL_URL", None)
    os.environ.pop("REPLYKIT_LANGUAGETOOL_DIR", None)


@pytest.fixture(scope="session")
def kit() -> ReplyKit:
    return ReplyKit.load()


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    """A writable copy of the bundled pack: tmp/templates and tmp/rules."""
    shutil.copytree(bundled_path("templates"), tmp_path / "templates")
    shutil.copytree(bundled_path("rules"), tmp_path / "rules")
    return tmp_path


class _FakeLanguageTool(BaseHTTPRequestHandler):
    """Answers GET /v2/languages and POST /v2/check like LanguageTool does.

    Its one "rule" flags a word written twice in a row ("for for"), which is
    enough to prove the adapter sends the text, reads offsets and messages,
    and maps them onto the draft.
    """

    requests: list[dict] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def _json(self, payload, status=200):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/v2/languages"):
            self._json([{"name": "Danish", "code": "da", "longCode": "da-DK"},
                        {"name": "Dutch", "code": "nl", "longCode": "nl"},
                        {"name": "Russian", "code": "ru", "longCode": "ru-RU"}])
        else:
            self._json({"error": "not found"}, 404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        type(self).requests.append(form)
        text = form.get("text", "")
        matches = []
        words = [(m.start(), m.end(), m.group()) for m in __import__("re").finditer(r"\w+", text)]
        for (s1, _e1, w1), (_s2, e2, w2) in __import__("itertools").pairwise(words):
            if w1.lower() == w2.lower():
                matches.append({
                    "message": "Possible typo: you repeated a word",
                    "shortMessage": "Word repetition",
                    "replacements": [{"value": w1}],
                    "offset": s1, "length": e2 - s1,
                    "context": {"text": text, "offset": s1, "length": e2 - s1},
                    "sentence": text,
                    "rule": {"id": "ENGLISH_WORD_REPEAT_RULE", "description": "Word repetition",
                             "issueType": "duplication", "category": {"id": "MISC", "name": "Miscellaneous"}},
                })
        self._json({"software": {"name": "LanguageTool", "version": "6.4"},
                    "language": {"name": form.get("language"), "code": form.get("language")},
                    "matches": matches})


@pytest.fixture(scope="session")
def languagetool_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLanguageTool)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def languagetool_requests() -> list[dict]:
    """What the fake LanguageTool server received (form fields of POST /v2/check)."""
    return _FakeLanguageTool.requests


@pytest.fixture(scope="session")
def grammar_kit(languagetool_url) -> ReplyKit:
    return ReplyKit.load(languagetool_url=languagetool_url)


@pytest.fixture
def headless_chrome(tmp_path, monkeypatch):
    """Start Debian's Chromium under Selenium, headless and offline: `headless_chrome(width)` gives a
    driver, quit after the test. Skipped where Chromium, its driver or selenium is not installed."""
    chromium, chromedriver = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
    for exe in (chromium, chromedriver):
        if not exe.is_file():
            pytest.skip(f"{exe} not found: install Debian's chromium and chromium-driver (make browser-deps)")
    pytest.importorskip("selenium", reason="selenium not installed (pip install -e '.[dev]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download
    drivers = []

    def start(width: int = 1400):
        options = webdriver.ChromeOptions()
        options.binary_location = str(chromium)
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={tmp_path / f'profile-{len(drivers)}'}",
                     f"--window-size={width},1000"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=str(chromedriver), log_output=str(tmp_path / "chromedriver.log"))
        drivers.append(webdriver.Chrome(service=service, options=options))
        return drivers[-1]

    yield start
    for driver in drivers:
        driver.quit()
