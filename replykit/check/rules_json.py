"""Rule specs and their prefilter needles as JSON and back, for the pack cache.

Specs go through pydantic, so whatever is read from disk is validated again;
needles and leads (the slow part to work out, ~0.8 ms a pattern) are plain strings.
"""
from __future__ import annotations

from pathlib import Path

from ..models import RuleSpec
from ..pack.templates_json import dump, source_from_json, source_to_json
from .prefilter import Leads

Read = tuple  # (specs, sources, files, needle_map, lead_map), as ruleset._read_for_cache returns it


def encode(read: Read) -> dict:
    specs, sources, files, needle_map, lead_map = read
    return {
        "specs": [dump(s) for s in specs.values()],
        "sources": {rid: source_to_json(s) for rid, s in sources.items()},
        "files": [str(p) for p in files],
        # A list of pairs: JSON object keys would do, but a pattern is not a name.
        "needles": [[p, None if n is None else sorted(n)] for p, n in needle_map.items()],
        "leads": [[p, None, False] if n is None else [p, sorted(n.strings), n.word_start] for p, n in lead_map.items()],
    }


def decode(data: dict) -> Read:
    specs = {s.id: s for s in map(RuleSpec.model_validate, data["specs"])}
    sources = {rid: source_from_json(s) for rid, s in data["sources"].items()}
    files = [Path(p) for p in data["files"]]
    needle_map = {str(p): None if n is None else frozenset(map(str, n)) for p, n in data["needles"]}
    lead_map = {str(p): None if n is None else Leads(frozenset(map(str, n)), bool(w)) for p, n, w in data["leads"]}
    return specs, sources, files, needle_map, lead_map
