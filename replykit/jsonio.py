"""Decoding one JSON request, from a `--jsonl` line or an HTTP body, whatever the bytes hold.

Every way a request can be unusable ends in one `InputError` with a one-line
message: bytes that are not UTF-8, text that is not JSON, JSON nested deeper
than the parser's recursion allows, something other than an object, and
strings holding lone surrogates ("\\ud800": valid JSON, but no UTF-8 can carry
it back out, so the answer could not be written).
"""
from __future__ import annotations

import json
from typing import Any

from .errors import InputError


def decode_object(raw: bytes) -> dict[str, Any]:
    """One JSON object from `raw`; InputError naming what is wrong otherwise."""
    record = parse_object(raw)
    require_unicode(record)
    return record


def parse_object(raw: bytes) -> dict[str, Any]:
    """The JSON object in `raw`; its strings may still hold lone surrogates (see `require_unicode`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at character {exc.pos})") from None
    except RecursionError:
        raise InputError("not usable JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, found {_kind(record)}")
    return record


def require_unicode(record: dict[str, Any]) -> None:
    """InputError if a string of the record holds a lone surrogate."""
    # Paired escapes ("\ud83d\ude00") decode to one character; only a lone half fails to encode.
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"a string holds a lone surrogate (U+{ord(exc.object[exc.start]):04X}), "
                         "which is not valid Unicode text") from None
    except RecursionError:
        raise InputError("not usable JSON (nested too deeply)") from None


def _kind(value: object) -> str:
    return {list: "an array", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")
