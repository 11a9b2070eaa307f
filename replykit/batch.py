"""`--jsonl` batches and the streaming worker: one request per line in, one JSON result per line out.

Output line N answers input line N, always: a blank line, bytes that are not
UTF-8, JSON of any shape or depth, unknown keys or bad values give an error
line `{"id": ..., "error": "..."}` in its place and the batch goes on.
Command-line options are defaults for every line; a line's own field wins (for
`variables`, key by key). Input errors carry their message; an unexpected
exception (a bug) gives `{"id": ..., "error": "internal error (Type)",
"internal": true}`, is logged at ERROR without the line's text, and the batch
goes on too.

`stream` answers each line as soon as it is read (a long-lived worker behind
pipes); `run` answers a whole file, spread over forked worker processes when
it is large. No module-level kit: the kit is passed in, and a forked pool
worker receives it through its initializer.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import traceback
from dataclasses import dataclass
from typing import IO, Any, Iterator

from .errors import InputError, ReplyKitError
from .jsonio import parse_object, require_unicode
from .requests import CheckRequest, SuggestRequest, parse_request
from .results import to_json
from .runtime import freeze_heap

log = logging.getLogger("replykit.batch")

PARALLEL_MIN_LINES = 400
CHUNK = 64


@dataclass
class Counts:
    """How many lines ended ok, blocked (check) or in error."""

    ok: int = 0
    blocked: int = 0
    error: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


def split_lines(data: bytes) -> list[bytes]:
    """A file's lines as `stream` reads them (LF or CRLF); a final newline ends the last line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def merge_defaults(record: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The record over the defaults; `variables` merge key by key (the line's value wins)."""
    given = defaults.get("variables")
    if given and isinstance(record.get("variables"), dict):
        record = {**record, "variables": {**given, **record["variables"]}}
    return record


def answer_line(kit: Any, n: int, raw: bytes, kind: str, defaults: dict[str, Any]) -> tuple[str, str]:
    """(output line, status) for input line `n`: status is ok, blocked or error."""
    rec_id: Any = None
    try:
        if not raw.strip():
            raise InputError("blank line (no request)")
        record = parse_object(raw)
        rec_id = _echo_id(record.get("id"))
        require_unicode(record)
        request = parse_request(kind, merge_defaults(record, defaults), defaults)
        result = _call(kit, kind, request)
        line = to_json(result)
        status = "blocked" if getattr(result, "verdict", None) == "blocked" else "ok"
        return line, status
    except ReplyKitError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # Output line N answers input line N,, so the message need not repeat the number.
        return _error_line(rec_id, message), "error"
    except Exception as exc:  # noqa: BLE001 - a bug must not cost the rest of the batch
        # The type and where, never the message: it may quote the draft or the post.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("line %d: internal error (%s)\n%s", n, type(exc).__name__, frames)
        return _error_line(rec_id, f"internal error ({type(exc).__name__})", internal=True), "error"


def _call(kit: Any, kind: str, request: Any) -> Any:
    if isinstance(request, CheckRequest):
        return kit.check(request.draft, lang=request.lang, channel=request.channel, inquiry=request.inquiry,
                         customer_name=request.customer_name, agent_name=request.agent_name,
                         inquiry_type=request.inquiry_type, id=request.id)
    assert isinstance(request, SuggestRequest), kind
    return kit.suggest(request.text, lang=request.lang, channel=request.channel, top=request.top,
                       variables=request.variables, id=request.id, include_drafts=request.include_drafts)


def _echo_id(value: Any) -> str | None:
    # Echo what the caller can match on; anything else (a list, an object) is not an id.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be written back out
        return None
    return text


def _error_line(rec_id: str | None, message: str, internal: bool = False) -> str:
    body: dict[str, Any] = {"id": rec_id, "error": message}
    if internal:
        body["internal"] = True
    return json.dumps(body, ensure_ascii=False)


# ------------------------------------------------------------------ streaming


def stream(kit: Any, source: IO[bytes], sink: IO[bytes], kind: str, defaults: dict[str, Any]) -> Counts:
    """Answer each line of `source` as soon as it is read, flushing after every answer."""
    counts = Counts()
    n = 0
    while True:
        raw = source.readline()
        if not raw:
            break
        n += 1
        line, status = answer_line(kit, n, raw.rstrip(b"\n").removesuffix(b"\r"), kind, defaults)
        sink.write(line.encode("utf-8") + b"\n")
        sink.flush()
        counts.add(status)
    return counts


# ---------------------------------------------------------------- whole files


class _PoolWorker:
    """What a forked pool worker answers with: set once per worker process by the initializer."""

    kit: Any = None

    @classmethod
    def start(cls, kit: Any) -> None:
        cls.kit = kit

    @classmethod
    def answer(cls, job: tuple[int, bytes, str, dict[str, Any]]) -> tuple[str, str]:
        return answer_line(cls.kit, *job)


def run(kit: Any, raw_lines: list[bytes], kind: str, defaults: dict[str, Any], workers: int | None = None
        ) -> Iterator[tuple[str, str]]:
    """(output line, status) for every input line, in input order."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(raw_lines) >= PARALLEL_MIN_LINES and "fork" in multiprocessing.get_all_start_methods():
        kit.warm()  # load dictionaries and compile rules once, before the workers copy the process
        freeze_heap()  # no full collection walks (and so copies) the pack in each worker (runtime.py)
        jobs = ((n, raw, kind, defaults) for n, raw in enumerate(raw_lines, 1))
        # With fork the initializer's argument is inherited, not pickled: each worker starts warm.
        with multiprocessing.get_context("fork").Pool(workers, initializer=_PoolWorker.start,
                                                      initargs=(kit,)) as pool:
            yield from pool.imap(_PoolWorker.answer, jobs, chunksize=CHUNK)
        return
    for n, raw in enumerate(raw_lines, 1):
        yield answer_line(kit, n, raw, kind, defaults)
