"""`--jsonl` batches: one request per line in, one JSON result per line out.

Order is kept, a bad line becomes `{"id": ..., "error": "..."}` and the batch
goes on. Large batches are spread over worker processes (forked after the
pack is loaded, so each starts warm); small ones run in-process.
"""
from __future__ import annotations

import json
import multiprocessing
import os
from typing import Any, Iterator

from .errors import ReplyKitError
from .results import to_json

PARALLEL_MIN_LINES = 400
CHUNK = 64

_kit: Any = None  # set before forking; each worker inherits it


class LineProblem(Exception):
    pass


def _opt(rec: dict, key: str, kind: type = str) -> Any:
    value = rec.get(key)
    if value is not None and not isinstance(value, kind):
        raise LineProblem(f"'{key}' must be a {kind.__name__}")
    return value


def _request_id(value: Any) -> str | None:
    return None if value is None else str(value)


def _check(rec: dict, defaults: dict) -> Any:
    if not isinstance(rec.get("draft"), str):
        raise LineProblem("'draft' must be a string")
    return _kit.check(rec["draft"], lang=_opt(rec, "lang"), channel=_opt(rec, "channel"),
                      inquiry=_opt(rec, "inquiry"), customer_name=_opt(rec, "customer_name"),
                      agent_name=_opt(rec, "agent_name"), inquiry_type=_opt(rec, "inquiry_type"),
                      id=_request_id(rec.get("id")))


def _suggest(rec: dict, defaults: dict) -> Any:
    if not isinstance(rec.get("text"), str):
        raise LineProblem("'text' must be a string")
    top = rec.get("top", defaults.get("top", 3))
    if not isinstance(top, int) or isinstance(top, bool):
        raise LineProblem("'top' must be a whole number")
    return _kit.suggest(rec["text"], lang=_opt(rec, "lang"), channel=_opt(rec, "channel"), top=top,
                        variables=_opt(rec, "variables", dict), id=_request_id(rec.get("id")))


HANDLERS = {"check": _check, "suggest": _suggest}


def one_line(job: tuple[int, bytes, str, dict]) -> tuple[str, str]:
    """(output line, status): status is ok, blocked or error."""
    n, raw, kind, defaults = job
    rec_id = None
    try:
        try:
            rec = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise LineProblem(f"line {n}: not valid UTF-8") from None
        except json.JSONDecodeError as exc:
            raise LineProblem(f"line {n}: not valid JSON ({exc.msg})") from None
        if not isinstance(rec, dict):
            raise LineProblem(f"line {n}: expected a JSON object")
        rec_id = rec.get("id")
        result = HANDLERS[kind](rec, defaults)
        status = "blocked" if getattr(result, "verdict", None) == "blocked" else "ok"
        return to_json(result), status
    except (LineProblem, ReplyKitError, TypeError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, LineProblem) and not message.startswith("line "):
            message = f"line {n}: {message}"
        return json.dumps({"id": rec_id, "error": message}, ensure_ascii=False), "error"


def run(kit: Any, raw_lines: list[bytes], kind: str, defaults: dict, workers: int | None = None
        ) -> Iterator[tuple[str, str] | None]:
    """Results in input order; None for a blank line (nothing to write)."""
    global _kit
    _kit = kit
    jobs = [(n, raw, kind, defaults) for n, raw in enumerate(raw_lines, 1)]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= PARALLEL_MIN_LINES and "fork" in multiprocessing.get_all_start_methods():
        kit.warm()  # load dictionaries and compile rules once, before the workers copy the process
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for job, out in zip(jobs, pool.imap(_blank_or_line, jobs, chunksize=CHUNK)):
                yield out
        return
    for job in jobs:
        yield _blank_or_line(job)


def _blank_or_line(job: tuple[int, bytes, str, dict]) -> tuple[str, str] | None:
    return None if not job[1].strip() else one_line(job)
