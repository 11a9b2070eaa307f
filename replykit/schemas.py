"""JSON Schema of everything replykit reads and writes, for editors and integrations.

Pack files (`pack.yaml`, rules, ...), labelled data records, the request
objects (a `--jsonl` line, an HTTP body) and the result objects. Requests are
described as replykit validates them; results as replykit writes them
(serialisation mode: what a client reads).
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from .requests import CheckRequest, RenderRequest, SuggestRequest
from .results import CheckResult, SuggestResult, TemplateInfo

Mode = Literal["validation", "serialization"]

# kind -> (model, how the schema reads it)
CONTRACT_MODELS: dict[str, tuple[type[BaseModel], Mode]] = {
    "suggest-request": (SuggestRequest, "validation"),
    "check-request": (CheckRequest, "validation"),
    "render-request": (RenderRequest, "validation"),
    "suggest-result": (SuggestResult, "serialization"),
    "check-result": (CheckResult, "serialization"),
    "template": (TemplateInfo, "serialization"),
}


def all_kinds() -> dict[str, tuple[type[BaseModel], Mode]]:
    """Every kind `replykit schema --kind` knows: pack files, labelled data records, requests, results."""
    from .learn.data import MODELS as LABELLED
    from .models import FILE_MODELS as PACK_FILES
    from .pack.brand import BrandConfig

    kinds: dict[str, tuple[type[BaseModel], Mode]] = {name: (model, "validation") for name, model in PACK_FILES.items()}
    kinds.update({name.rstrip("s"): (model, "validation") for name, model in LABELLED.items()})
    kinds["brand"] = (BrandConfig, "validation")
    kinds.update(CONTRACT_MODELS)
    return kinds


def schema_of(kind: str) -> dict[str, Any]:
    """One kind's JSON Schema (KeyError for an unknown kind)."""
    model, mode = all_kinds()[kind]
    return model.model_json_schema(mode=mode)


def combined_schema() -> dict[str, Any]:
    """One document holding every kind under `$defs`, each named by its kind."""
    combined: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "replykit pack files, labelled data, requests and results",
        "oneOf": [],
        "$defs": {},
    }
    for name, (model, mode) in all_kinds().items():
        sch = model.model_json_schema(mode=mode, ref_template="#/$defs/{model}")
        for def_name, definition in sch.pop("$defs", {}).items():
            known = combined["$defs"].setdefault(def_name, definition)
            if known != definition:  # one name, two shapes: never silently keep the wrong one
                raise RuntimeError(f"schema definition {def_name!r} differs between kinds")
        combined["$defs"][name] = sch
        combined["oneOf"].append({"$ref": f"#/$defs/{name}"})
    return combined
