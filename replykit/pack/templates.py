"""Reading a template pack folder into validated, compiled, immutable data.

Everything that can be wrong in a pack is found here, at load time, and
reported as one `PackError` naming the file and line: a pack never
half-loads.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from pydantic import BaseModel, ValidationError

from .. import render
from ..errors import PackError
from ..models import LangFile, PackFile, RepliesFile, ReplySpec, SignalsFile, TypeFile, VariableSpec, Variant
from ..vocabulary import INQUIRY_TYPES, LANGUAGES
from .brand import BrandConfig
from .layers import PlainFiles, open_files, origin_of
from .yamlio import line_of

M = TypeVar("M", bound=BaseModel)

REQUIRED_BLOCKS = ("greeting", "signature", "private_message")


@dataclass(frozen=True)
class Source:
    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class CompiledVariant:
    reply: ReplySpec
    lang: str
    variant: Variant
    variables: frozenset[str]  # variables read, blocks resolved
    blocks: tuple[str, ...]  # blocks the body uses
    source: Source
    digest: str = ""  # sha256 of the body and the blocks it uses: what an approval approves
    wording_digests: tuple[str, ...] = ()  # the same for each alternative wording, in order

    @property
    def template_id(self) -> str:
        return f"{self.lang}/{self.reply.id}"

    @property
    def status(self) -> str:
        """approved | needs_reapproval (the text changed since, or the approval has no digest) | unapproved."""
        approval = self.variant.approved
        if approval is None:
            return "unapproved"
        return "approved" if approval.digest == self.digest else "needs_reapproval"

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    def wording_status(self, wording: int) -> str:
        """The status of one text of the variant: 0 is the body, 1.. its alternative wordings."""
        if wording == 0:
            return self.status
        approval = self.variant.wordings[wording - 1].approved
        if approval is None:
            return "unapproved"
        known = self.wording_digests[wording - 1] if wording <= len(self.wording_digests) else None
        return "approved" if known is not None and approval.digest == known else "needs_reapproval"


@dataclass(frozen=True)
class LangData:
    lang: str
    spec: LangFile
    blocks: dict[str, str]  # name -> Jinja source
    block_variables: dict[str, frozenset[str]]
    types: dict[str, TypeFile]
    type_sources: dict[str, Path]
    source: Path
    signals: SignalsFile = field(default_factory=SignalsFile)


@dataclass(frozen=True)
class TemplatePack:
    root: Path
    meta: PackFile
    replies: dict[str, ReplySpec]
    reply_sources: dict[str, Source]
    langs: dict[str, LangData]
    variants: dict[tuple[str, str], CompiledVariant]  # (reply id, lang)
    files: tuple[Path, ...] = field(default=())
    bases: tuple[Path, ...] = field(default=())  # a brand pack's base templates folders, nearest first
    brand: BrandConfig | None = None  # a brand pack's replykit.yaml
    brand_root: Path | None = None

    def variable_specs(self, reply: ReplySpec) -> dict[str, VariableSpec]:
        return {**self.meta.variables, **reply.variables}


def validate(model: type[M], data: Any, path: Path) -> M:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PackError(f"expected a mapping at the top level, found {type(data).__name__}", path, 1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # A typo in a key shows up twice (unknown key + missing field): name the typo.
        errors = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
        err = errors[0]
        loc = tuple(err.get("loc", ()))
        shown = ".".join(str(p) for p in loc)
        line = line_of(data, loc)
        msg = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            msg = "unknown key (typo?)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise PackError(f"{shown or 'file'}: {msg}{more}", path, line) from None


def text_digest(body: str, blocks: dict[str, str]) -> str:
    """What an approval approves: the exact body and the text of each block it uses."""
    h = hashlib.sha256(body.encode("utf-8"))
    for name in sorted(blocks):
        h.update(f"\0{name}\0".encode() + blocks[name].encode("utf-8"))
    return "sha256:" + h.hexdigest()


def load_templates(root: Path) -> TemplatePack:
    """Load a templates folder, or a brand pack (its folder or its templates/) merged over its base."""
    root = Path(root)
    reader = open_files(root)
    root = reader.root
    if not root.is_dir() and reader.brand is None:
        raise PackError("template folder not found", root)
    read = reader.read("pack.yaml")
    if read is None:
        raise PackError("missing pack.yaml (name, languages, default_lang, variables)", root)
    pack_data, pack_path = read
    meta = validate(PackFile, pack_data, pack_path)
    files = [pack_path]

    read = reader.read("replies.yaml")
    if read is None:
        raise PackError("missing replies.yaml (the logical replies of the pack)", root)
    replies_data, replies_path = read
    replies_file = validate(RepliesFile, replies_data, replies_path)
    files.append(replies_path)
    replies: dict[str, ReplySpec] = {}
    reply_sources: dict[str, Source] = {}
    for i, reply in enumerate(replies_file.replies):
        line = line_of(replies_data, ("replies", i))
        replies_path = origin_of(replies_data.get("replies"), i, read[1])
        if reply.id in replies:
            raise PackError(f"duplicate reply id {reply.id!r} (first at line {reply_sources[reply.id].line})",
                            replies_path, line)
        if reply.id.split("/")[0] != reply.inquiry_type:
            raise PackError(f"reply id {reply.id!r} must start with its inquiry type "
                            f"{reply.inquiry_type!r}", replies_path, line)
        clash = set(reply.variables) & set(meta.variables)
        if clash:
            raise PackError(f"{reply.id}: variable(s) {', '.join(sorted(clash))} already declared in pack.yaml",
                            replies_path, line)
        replies[reply.id] = reply
        reply_sources[reply.id] = Source(replies_path, line)

    for entry in reader.own_folders():
        if entry.name not in LANGUAGES:
            raise PackError(f"unknown language folder {entry.name!r} (known: {', '.join(LANGUAGES)})", entry)
        if entry.name not in meta.languages:
            raise PackError(f"language folder {entry.name!r} is not listed in pack.yaml languages", entry)

    langs: dict[str, LangData] = {}
    variants: dict[tuple[str, str], CompiledVariant] = {}
    for lang in meta.languages:
        folder = reader.lang_folder(lang)
        if folder is None:
            raise PackError(f"pack.yaml lists language {lang!r} but there is no folder {lang}/", pack_path)
        data, lang_files = _load_language(reader, lang, meta, replies, variants)
        langs[lang] = data
        files += lang_files
    if meta.default_lang not in langs:
        raise PackError(f"default_lang {meta.default_lang!r} is not one of the pack's languages", pack_path)
    brand = reader.brand
    return TemplatePack(root, meta, replies, reply_sources, langs, variants, tuple(files), reader.bases,
                        brand.config if brand else None, brand.root if brand else None)


def _load_language(reader: PlainFiles, lang: str, meta: PackFile, replies: dict[str, ReplySpec],
                   variants: dict[tuple[str, str], CompiledVariant]) -> tuple[LangData, list[Path]]:
    folder = reader.lang_folder(lang) or reader.root / lang
    read = reader.read(f"{lang}/_lang.yaml")
    if read is None:
        raise PackError("missing _lang.yaml (blocks, variables, samples)", folder)
    lang_data, lang_path = read
    spec = validate(LangFile, lang_data, lang_path)
    files = [lang_path]
    for name in REQUIRED_BLOCKS:
        if name not in spec.blocks:
            raise PackError(f"block {name!r} is missing (every language needs {', '.join(REQUIRED_BLOCKS)})",
                            lang_path, getattr(lang_data, "line", None))
    for key in spec.variables:
        if key not in meta.variables:
            raise PackError(f"variables.{key}: not declared in pack.yaml", lang_path,
                            line_of(lang_data, ("variables", key)))
    blocks: dict[str, str] = {}
    block_vars: dict[str, frozenset[str]] = {}
    for name, source in spec.blocks.items():
        line = line_of(lang_data, ("blocks", name))
        used = _parse(source, lang_path, line, f"block {name!r}")
        inner = used & set(spec.blocks)
        if inner:
            raise PackError(f"block {name!r} uses other block(s) {', '.join(sorted(inner))}; "
                            "blocks may use variables only", lang_path, line)
        unknown = used - set(meta.variables)
        if unknown:
            raise PackError(f"block {name!r} uses undeclared variable(s) {', '.join(sorted(unknown))} "
                            "(declare them in pack.yaml)", lang_path, line)
        blocks[name] = source
        block_vars[name] = frozenset(used)

    signals = SignalsFile()
    read = reader.read(f"{lang}/_signals.yaml")
    if read is not None:
        signals = validate(SignalsFile, read[0], read[1])
        files.append(read[1])
    types: dict[str, TypeFile] = {}
    type_sources: dict[str, Path] = {}
    for name in reader.type_names(lang):
        data, path = reader.read(f"{lang}/{name}")  # type: ignore[misc]
        files.append(path)
        if path.stem not in INQUIRY_TYPES:
            raise PackError(f"file name {path.name!r} is not an inquiry type ({', '.join(INQUIRY_TYPES)})", path)
        tf = validate(TypeFile, data, path)
        if tf.inquiry_type != path.stem:
            raise PackError(f"inquiry_type {tf.inquiry_type!r} does not match the file name {path.name!r}",
                            path, line_of(data, ("inquiry_type",)))
        types[tf.inquiry_type] = tf
        type_sources[tf.inquiry_type] = path
        file_path = path
        for reply_id, variant in tf.variants.items():
            path = origin_of(data.get("variants"), reply_id, file_path)
            line = line_of(data, ("variants", reply_id))
            reply = replies.get(reply_id)
            if reply is None:
                raise PackError(f"variants.{reply_id}: no such reply in replies.yaml", path, line)
            if reply.inquiry_type != tf.inquiry_type:
                raise PackError(f"variants.{reply_id}: a {reply.inquiry_type} reply cannot live in {path.name}",
                                path, line)
            if lang in reply.not_needed:
                raise PackError(f"variants.{reply_id}: replies.yaml marks {lang!r} as not needed", path, line)
            body_line = line_of(data, ("variants", reply_id, "body"))
            used = _parse(variant.body, path, body_line, f"{reply_id} body", offset=1)
            allowed = set(meta.variables) | set(reply.variables) | set(spec.blocks)
            unknown = used - allowed
            if unknown:
                raise PackError(f"variants.{reply_id}: undeclared variable(s) {', '.join(sorted(unknown))} "
                                "(declare them in pack.yaml or on the reply in replies.yaml)", path, body_line)
            wording_blocks = []
            for i, wording in enumerate(variant.wordings):  # checked like the body; one variable set for all
                w_line = line_of(data, ("variants", reply_id, "wordings", i, "body"))
                w_used = _parse(wording.body, path, w_line, f"{reply_id} wording {i + 1}", offset=1)
                wording_blocks.append(sorted(w_used & set(spec.blocks)))
                if w_used - allowed:
                    raise PackError(f"variants.{reply_id}.wordings.{i}: undeclared variable(s) "
                                    f"{', '.join(sorted(w_used - allowed))}", path, w_line)
                used |= w_used
            used_blocks = tuple(sorted(used & set(spec.blocks)))
            variables = (used - set(used_blocks)).union(*(block_vars[b] for b in used_blocks))
            variants[(reply_id, lang)] = CompiledVariant(
                reply, lang, variant, frozenset(variables),
                used_blocks, Source(path, body_line), text_digest(variant.body, {b: blocks[b] for b in used_blocks}),
                tuple(text_digest(w.body, {b: blocks[b] for b in wb})
                      for w, wb in zip(variant.wordings, wording_blocks, strict=True)))
    return LangData(lang, spec, blocks, block_vars, types, type_sources, lang_path, signals), files


def _parse(source: str, path: Path, line: int | None, what: str, offset: int = 0) -> set[str]:
    try:
        return render.template_variables(source)
    except jinja2.TemplateSyntaxError as exc:
        at = (line + offset + (exc.lineno or 1) - 1) if line else None
        raise PackError(f"{what}: Jinja syntax error: {exc.message}", path, at) from None
