"""A loaded TemplatePack as JSON and back, for the pack cache.

Models go through pydantic (`model_dump` / `model_validate`), so whatever is
read from disk is validated again. Only the keys the pack files set are
written (`exclude_unset`), so a decoded model equals the one the loader built.
A variant's reply and text are not written twice: they are looked up again
in the replies and type files, as the loader shares them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..models import LangFile, PackFile, ReplySpec, SignalsFile, TypeFile
from .brand import BrandConfig
from .templates import CompiledVariant, LangData, Source, TemplatePack


def dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json", exclude_unset=True)


def source_to_json(source: Source) -> list:
    return [str(source.path), source.line]


def source_from_json(data: list) -> Source:
    path, line = data
    return Source(Path(path), None if line is None else int(line))


def encode(pack: TemplatePack) -> dict:
    return {
        "root": str(pack.root),
        "meta": dump(pack.meta),
        "replies": [dump(r) for r in pack.replies.values()],
        "reply_sources": {rid: source_to_json(s) for rid, s in pack.reply_sources.items()},
        "langs": {lang: _lang_to_json(data) for lang, data in pack.langs.items()},
        "variants": [{"reply": rid, "lang": lang, "variables": sorted(cv.variables), "blocks": list(cv.blocks),
                      "source": source_to_json(cv.source), "digest": cv.digest,
                      "wording_digests": list(cv.wording_digests)}
                     for (rid, lang), cv in pack.variants.items()],
        "files": [str(p) for p in pack.files],
        "bases": [str(p) for p in pack.bases],
        "brand": dump(pack.brand) if pack.brand else None,
        "brand_root": str(pack.brand_root) if pack.brand_root else None,
    }


def decode(data: dict) -> TemplatePack:
    replies = {r.id: r for r in map(ReplySpec.model_validate, data["replies"])}
    langs = {lang: _lang_from_json(lang, d) for lang, d in data["langs"].items()}
    variants = {}
    for v in data["variants"]:
        reply = replies[v["reply"]]
        text = langs[v["lang"]].types[reply.inquiry_type].variants[reply.id]
        variants[(reply.id, v["lang"])] = CompiledVariant(
            reply, v["lang"], text, frozenset(v["variables"]), tuple(v["blocks"]), source_from_json(v["source"]),
            str(v["digest"]), tuple(str(d) for d in v.get("wording_digests", ())))
    return TemplatePack(
        root=Path(data["root"]),
        meta=PackFile.model_validate(data["meta"]),
        replies=replies,
        reply_sources={rid: source_from_json(s) for rid, s in data["reply_sources"].items()},
        langs=langs,
        variants=variants,
        files=tuple(Path(p) for p in data["files"]),
        bases=tuple(Path(p) for p in data["bases"]),
        brand=BrandConfig.model_validate(data["brand"]) if data["brand"] else None,
        brand_root=Path(data["brand_root"]) if data["brand_root"] else None,
    )


def _lang_to_json(data: LangData) -> dict:
    return {
        "spec": dump(data.spec),
        "blocks": data.blocks,
        "block_variables": {name: sorted(v) for name, v in data.block_variables.items()},
        "types": {t: dump(tf) for t, tf in data.types.items()},
        "type_sources": {t: str(p) for t, p in data.type_sources.items()},
        "source": str(data.source),
        "signals": dump(data.signals),
    }


def _lang_from_json(lang: str, d: dict) -> LangData:
    return LangData(
        lang=lang,
        spec=LangFile.model_validate(d["spec"]),
        blocks={str(k): str(v) for k, v in d["blocks"].items()},
        block_variables={name: frozenset(v) for name, v in d["block_variables"].items()},
        types={t: TypeFile.model_validate(tf) for t, tf in d["types"].items()},
        type_sources={t: Path(p) for t, p in d["type_sources"].items()},
        source=Path(d["source"]),
        signals=SignalsFile.model_validate(d["signals"]),
    )
