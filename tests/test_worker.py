"""The streaming worker and --jsonl batches: answers as lines arrive, defaults and overrides,
error lines in place for any bad line, internal errors that do not stop the batch, the fork pool."""
from __future__ import annotations

import json
import logging
import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

from replykit import batch
from replykit.results import CheckResult

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "replykit"]
BLOCKED = "Hej Bo, ring til mig på 22 33 44 55. Hilsen Line"
GOOD = "Hej Bo, tak for din besked. Vi kigger på det og vender tilbage i dag. Hilsen Line"


class Worker:
    """`replykit ... --jsonl -` behind pipes, read one answer at a time with a deadline."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen(CLI + list(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=ROOT, env=dict(os.environ))
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)

    def send(self, raw: bytes | str) -> None:
        self.proc.stdin.write(raw.encode("utf-8") if isinstance(raw, str) else raw)
        self.proc.stdin.flush()

    def ask(self, raw: bytes | str, timeout: float = 120) -> dict:
        self.send(raw)
        return self.answer(timeout)

    def answer(self, timeout: float = 120) -> dict:
        if not self.sel.select(timeout):
            self.proc.kill()
            pytest.fail(f"no answer within {timeout} s while stdin is still open")
        return json.loads(self.proc.stdout.readline())

    def close(self) -> tuple[int, str]:
        self.proc.stdin.close()
        rest = self.proc.stdout.read()
        err = self.proc.stderr.read().decode()
        code = self.proc.wait(timeout=60)
        assert not rest.strip(), f"answers after stdin closed: {rest!r}"
        return code, err


def test_stream_answers_each_line_before_stdin_closes_with_defaults_and_overrides():
    w = Worker("check", "--jsonl", "-", "--lang", "da", "--channel", "facebook", "--customer-name", "Bo",
               "--agent-name", "Line")
    try:
        first = w.ask(json.dumps({"id": "a", "draft": BLOCKED}) + "\n")
        assert first["id"] == "a" and first["verdict"] == "blocked" and first["channel"] == "facebook"
        # The line's own field wins over the command line's default.
        second = w.ask(json.dumps({"id": "b", "draft": GOOD, "channel": "dm"}) + "\n")
        assert second["id"] == "b" and second["channel"] == "dm" and second["lang"] == "da"
        unknown = w.ask(json.dumps({"id": "c", "draft": GOOD, "customerName": "Bo"}) + "\n")
        assert unknown == {"id": "c", "error": "unknown field 'customerName'"}
        after = w.ask(json.dumps({"id": "d", "draft": GOOD}) + "\n")
        assert after["id"] == "d" and "verdict" in after
    finally:
        code, err = w.close()
    assert code == 2 and "Traceback" not in err  # one line was an error


def test_stream_bad_lines_keep_their_place_and_the_batch_goes_on():
    bad = [
        b"\n",  # blank
        b"   \r\n",  # blank with CRLF
        b"[" * 100_000 + b"\n",  # nesting past the parser's recursion limit
        b'{"id": "s", "draft": "Hej \\ud800 Bo"}\n',  # a lone surrogate: valid JSON, not valid Unicode
        b'{"id": "\\udc00", "draft": "Hej"}\n',  # ... in the id itself
        b'{"id": "u", "draft": "Hej \xff"}\n',  # not UTF-8
        b'{"id": "x", "draft": 42}\n',
        b"null\n",
        b'"just a string"\n',
        b'{"id": {"nested": 1}, "draft": "Hej"}\n',
    ]
    lines = []
    for i, raw in enumerate(bad):
        lines += [raw, (json.dumps({"id": f"ok{i}", "draft": GOOD}) + "\n").encode()]
    proc = subprocess.run(CLI + ["check", "--jsonl", "-", "--lang", "da", "--channel", "dm"], input=b"".join(lines),
                          capture_output=True, cwd=ROOT, timeout=180)
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(out) == len(lines)
    for i in range(len(bad)):
        assert set(out[2 * i]) == {"id", "error"}, out[2 * i]
        assert out[2 * i + 1]["id"] == f"ok{i}" and "verdict" in out[2 * i + 1]
    assert "blank line" in out[0]["error"] and "blank line" in out[2]["error"]
    assert "nested too deeply" in out[4]["error"]
    assert out[6]["id"] == "s" and "lone surrogate" in out[6]["error"]
    assert out[8]["id"] is None and "lone surrogate" in out[8]["error"]
    assert "UTF-8" in out[10]["error"] and out[12]["id"] == "x"
    assert out[18]["id"] is None  # an object is not an id to echo
    assert proc.returncode == 2 and "Traceback" not in proc.stderr.decode()


def test_file_batch_defaults_variables_merge_and_blank_lines(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": 1, "text": "Mit net er nede igen!! Hele vejen er uden internet",
                    "variables": {"customer_name": "Peter"}}),
        "",
        json.dumps({"id": 2, "text": "Mit net er nede igen!! Hele vejen er uden internet",
                    "variables": {"customer_name": "Peter", "agent_name": "Mads"}, "top": 2}),
    ]) + "\n", encoding="utf-8")
    proc = subprocess.run(CLI + ["suggest", "--jsonl", str(path), "--lang", "da", "--channel", "facebook",
                                 "--var", "agent_name=Sofie", "--top", "1"], capture_output=True, cwd=ROOT,
                          timeout=180)
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r.get("id") for r in out] == ["1", None, "2"]
    first = out[0]["suggestions"]
    assert len(first) == 1 and "Peter" in first[0]["text"] and "Sofie" in first[0]["text"]  # merged key by key
    assert "blank line" in out[1]["error"]
    assert len(out[2]["suggestions"]) == 2 and "Mads" in out[2]["suggestions"][0]["text"]  # the line wins
    assert proc.returncode == 2


# ----------------------------------------------------------- in-process, no CLI


class _FakeKit:
    """Checks without a pack: a draft containing "boom" is a bug (an exception that is not an input error)."""

    def check(self, draft, **kw):  # noqa: ANN001, ANN003
        if "boom" in draft:
            raise KeyError(draft)  # the message quotes the draft, as a real bug's might
        return CheckResult(id=kw.get("id"), lang=kw.get("lang") or "da", channel=kw.get("channel"),
                           verdict="blocked" if "bad" in draft else "ok", findings=[], scores={})

    def warm(self) -> None:
        pass


def test_internal_error_is_a_line_logged_without_text_and_the_batch_goes_on(caplog):
    lines = [json.dumps({"id": 1, "draft": "secret-customer-words boom"}).encode(),
             json.dumps({"id": 2, "draft": "fine"}).encode()]
    with caplog.at_level(logging.DEBUG, logger="replykit.batch"):
        out = [json.loads(line) for line, _ in batch.run(_FakeKit(), lines, "check", {}, workers=1)]
    assert out[0] == {"id": "1", "error": "internal error (KeyError)", "internal": True}
    assert out[1]["id"] == "2" and out[1]["verdict"] == "ok"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "KeyError" in errors[0].getMessage()
    assert all("secret-customer-words" not in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(sys.platform == "win32", reason="the pool forks")
def test_fork_pool_keeps_order_and_leaves_no_kit_in_this_process():
    n = batch.PARALLEL_MIN_LINES + 37
    lines = [json.dumps({"id": i, "draft": "bad" if i % 7 == 0 else "fine", "lang": "nl"}).encode()
             if i % 50 else b"" for i in range(n)]
    out = [(json.loads(line), status) for line, status in batch.run(_FakeKit(), lines, "check", {"channel": "dm"},
                                                                     workers=2)]
    assert len(out) == n
    for i, (result, status) in enumerate(out):
        if i % 50 == 0:
            assert status == "error" and result == {"id": None, "error": "blank line (no request)"}
        else:
            assert result["id"] == str(i) and result["channel"] == "dm"
            assert status == ("blocked" if i % 7 == 0 else "ok")
    assert batch._PoolWorker.kit is None  # only the forked workers were given the kit


def test_split_lines_matches_streaming():
    assert batch.split_lines(b"a\r\nb\n\nc") == [b"a", b"b", b"", b"c"]
    assert batch.split_lines(b"a\n") == [b"a"] and batch.split_lines(b"") == []
