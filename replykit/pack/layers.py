"""The files of a pack as the loader reads them: one folder, or a brand folder over its base.

`open_files(path)` gives the loader (`templates.load_templates`) one object to
read every pack file through. For an ordinary pack it reads the folder. For a
brand pack (a folder with `replykit.yaml`, see `brand.py`) it reads the base
pack and merges the brand's files over it, file by file, as parsed YAML, so
the loader validates the merged data exactly as it validates a plain pack:

* `pack.yaml` comes from the base, with the config's brand name, languages,
  default language and variable values;
* `replies.yaml`: a brand reply with a base reply's id replaces it in place,
  new replies are appended (the pack's order breaks ties in suggest);
* `<lang>/_lang.yaml`: variables, samples, blocks and finding messages key by
  key, vocabulary and detection words added, then the config's links and
  vocabulary;
* `<lang>/_signals.yaml`: cues added;
* `<lang>/<type>.yaml`: recognition triggers, examples and negative cues
  added; a variant with a base variant's id replaces its text (a new body
  brings no base approval with it) or, without a body, sets keys on it
  (`prefer:`);

Every merged mapping and list remembers which file each entry came from
(`origin_of`), so errors and sources name the brand's file for the brand's
texts and the base's file for inherited ones.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..errors import PackError
from .brand import BrandPack, brand_root, read_brand
from .yamlio import LineDict, LineList, load_yaml

MERGED_MAPS = ("variables", "samples", "blocks", "finding_messages")
RECOGNITION_LISTS = ("triggers", "examples", "negative")


class SourcedDict(LineDict):
    """A merged mapping that knows the file each key came from."""

    __slots__ = ("origins",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origins: dict[Any, Path] = {}


class SourcedList(LineList):
    """A merged list that knows the file each item came from."""

    __slots__ = ("origins",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.origins: list[Path | None] = []


def origin_of(container: Any, key: Any, default: Path) -> Path:
    """The file an entry of a (possibly merged) mapping or list came from."""
    origins = getattr(container, "origins", None)
    if isinstance(origins, dict):
        return origins.get(key, default)
    if isinstance(origins, list) and isinstance(key, int) and 0 <= key < len(origins):
        return origins[key] or default
    return default


class PlainFiles:
    """An ordinary pack: one templates folder."""

    brand: BrandPack | None = None

    def __init__(self, root: Path):
        self.root = Path(root)
        self.bases: tuple[Path, ...] = ()

    def read(self, rel: str) -> tuple[Any, Path] | None:
        path = self.root / rel
        return (load_yaml(path), path) if path.is_file() else None

    def own_folders(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [e for e in sorted(self.root.iterdir()) if e.is_dir() and not e.name.startswith((".", "_"))]

    def lang_folder(self, lang: str) -> Path | None:
        folder = self.root / lang
        return folder if folder.is_dir() else None

    def type_names(self, lang: str) -> list[str]:
        folder = self.lang_folder(lang)
        if folder is None:
            return []
        return [p.name for p in sorted(folder.glob("*.yaml")) if not p.name.startswith("_")]

    def cache_roots(self) -> list[Path]:
        return [self.root]


class LayeredFiles(PlainFiles):
    """A brand pack's templates folder merged over its base pack."""

    brand: BrandPack

    def __init__(self, brand: BrandPack):
        super().__init__(brand.templates)
        self.brand = brand
        self.base = open_files(brand.base_templates)
        self.bases = (brand.base_templates, *self.base.bases)

    def read(self, rel: str) -> tuple[Any, Path] | None:
        if rel == "pack.yaml":
            if (self.root / "pack.yaml").is_file():
                raise PackError("a brand pack sets its name, languages and variables in "
                                f"{self.brand.config_path.name}, not templates/pack.yaml", self.root / "pack.yaml")
            base = self.base.read(rel)
            return (self._meta(base[0]), self.brand.config_path) if base else None
        base = self.base.read(rel)
        own = super().read(rel)
        name = rel.rsplit("/", 1)[-1]
        if name == "_lang.yaml":
            data, path = own or base or (None, self.root / rel)
            merged = _merge_lang(base[0] if base else None, own[0] if own else None)
            return self._configured_lang(merged, rel.split("/")[0]), path
        if base is None or own is None:
            return own or base
        if name == "replies.yaml":
            return _merge_replies(base, own), own[1]
        if name == "_signals.yaml":
            return _merge_lists(base[0], own[0]), own[1]
        return _merge_type(base, own), own[1]

    def lang_folder(self, lang: str) -> Path | None:
        return super().lang_folder(lang) or self.base.lang_folder(lang)

    def type_names(self, lang: str) -> list[str]:
        return sorted(set(super().type_names(lang)) | set(self.base.type_names(lang)))

    def cache_roots(self) -> list[Path]:
        # The config sits beside templates/: hash the whole brand folder, then every base.
        return [self.brand.root, *self.base.cache_roots()]

    def _meta(self, base: Any) -> Any:
        config = self.brand.config
        if not isinstance(base, dict):
            return base
        out = _copy(base)
        out["name"] = config.brand
        if config.description:
            out["description"] = config.description
        languages = list(config.languages or base.get("languages") or [])
        if config.languages:
            out["languages"] = _list(languages, getattr(base.get("languages"), "line", 0))
        default = config.default_lang or base.get("default_lang")
        if languages and default not in languages:
            default = languages[0]
        out["default_lang"] = default
        variables = _copy(base.get("variables") or LineDict())
        values = {"brand_name": config.brand, **config.variables}
        for key, value in values.items():
            spec = _copy(variables.get(key) or LineDict())
            spec["default"] = value
            variables[key] = spec
        out["variables"] = variables
        return out

    def _configured_lang(self, data: Any, lang: str) -> Any:
        config = self.brand.config
        if not isinstance(data, dict):
            return data
        out = _copy(data)
        variables = _copy(out.get("variables") or LineDict())
        # A value the base set per language (brand_site) follows the brand's pack-wide value too.
        variables.update({k: v for k, v in config.variables.items() if k in variables})
        variables.update(config.links.get(lang, {}))  # type: ignore[call-overload]
        out["variables"] = variables
        words = config.vocabulary.get(lang)  # type: ignore[call-overload]
        if words:
            out["vocabulary"] = _concat(out.get("vocabulary"), words)
        return out


def open_files(path: Path) -> PlainFiles:
    """How the loader reads the pack at `path` (a templates folder, or a brand folder / its templates/)."""
    root = brand_root(Path(path))
    if root is not None:
        return LayeredFiles(read_brand(root))
    return PlainFiles(Path(path))


def cache_roots(path: Path) -> list[Path]:
    """The folders whose content decides what the pack at `path` loads to (the load cache's key)."""
    try:
        return open_files(path).cache_roots()
    except PackError:
        return [Path(path)]  # the loader will report it


def rule_layout(path: Path | None) -> tuple[list[Path], list[str], Path] | None:
    """(rule folders, disabled rule ids, config file) of the brand pack at `path`; None for an ordinary pack."""
    root = brand_root(Path(path)) if path is not None else None
    if root is None:
        return None
    brand = read_brand(root)
    return brand.rule_folders(), brand.disabled_rules(), brand.config_path


# ------------------------------------------------------------------ merging


def _copy(data: Any) -> SourcedDict:
    out = SourcedDict(data)
    out.line = getattr(data, "line", 0)
    out.key_lines = dict(getattr(data, "key_lines", {}))
    out.origins = dict(getattr(data, "origins", {}))
    return out


def _list(items: Iterable[Any], line: int = 0, lines: list[int] | None = None) -> SourcedList:
    out = SourcedList(items)
    out.line = line
    out.item_lines = lines if lines is not None else [line] * len(out)
    out.origins = [None] * len(out)
    return out


def _concat(base: Any, more: Any) -> SourcedList:
    base = base or []
    more = more or []
    out = _list([*base, *more], getattr(base, "line", 0) or getattr(more, "line", 0))
    out.item_lines = list(getattr(base, "item_lines", [0] * len(base))) + \
        list(getattr(more, "item_lines", [0] * len(more)))
    return out


def _overlay(base: Any, own: Any) -> Any:
    """Keys of `own` over a copy of `base` (both mappings), lines kept."""
    if not isinstance(base, dict) or not isinstance(own, dict):
        return own
    out = _copy(base)
    out.update(own)
    out.key_lines.update(getattr(own, "key_lines", {}))
    return out


def _merge_lang(base: Any, own: Any) -> Any:
    if base is None or own is None:
        return base if own is None else own
    if not isinstance(base, dict) or not isinstance(own, dict):
        return own
    out = _overlay(base, own)
    for key in MERGED_MAPS:
        if key in base and key in own:
            out[key] = _overlay(base[key], own[key])
    if "vocabulary" in base and "vocabulary" in own:
        out["vocabulary"] = _concat(base["vocabulary"], own["vocabulary"])
    if isinstance(base.get("detection"), dict) and isinstance(own.get("detection"), dict):
        detection = _overlay(base["detection"], own["detection"])
        detection["words"] = _concat(base["detection"].get("words"), own["detection"].get("words"))
        out["detection"] = detection
    return out


def _merge_lists(base: Any, own: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(own, dict):
        return own
    out = _overlay(base, own)
    for key, value in own.items():
        if isinstance(base.get(key), list) and isinstance(value, list):
            out[key] = _concat(base[key], value)
    return out


def _merge_replies(base: tuple[Any, Path], own: tuple[Any, Path]) -> Any:
    (bdata, bpath), (odata, opath) = base, own
    if not isinstance(bdata, dict) or not isinstance(odata, dict):
        return odata
    breplies, oreplies = bdata.get("replies") or [], odata.get("replies") or []
    if not isinstance(breplies, list) or not isinstance(oreplies, list):
        return odata
    items = list(breplies)
    lines = list(getattr(breplies, "item_lines", [0] * len(items)))
    origins: list[Path | None] = [origin_of(breplies, i, bpath) for i in range(len(items))]
    index = {r.get("id"): i for i, r in enumerate(items) if isinstance(r, dict)}
    own_lines = getattr(oreplies, "item_lines", [0] * len(oreplies))
    for j, reply in enumerate(oreplies):
        rid = reply.get("id") if isinstance(reply, dict) else None
        if rid in index:  # same id: the brand's reply replaces the base's, in the base's place
            items[index[rid]], lines[index[rid]], origins[index[rid]] = reply, own_lines[j], opath
        else:
            index[rid] = len(items)
            items.append(reply)
            lines.append(own_lines[j])
            origins.append(opath)
    out = _overlay(bdata, odata)
    merged = _list(items, getattr(oreplies, "line", 0), lines)
    merged.origins = origins
    out["replies"] = merged
    return out


def _merge_type(base: tuple[Any, Path], own: tuple[Any, Path]) -> Any:
    (bdata, bpath), (odata, opath) = base, own
    if not isinstance(bdata, dict) or not isinstance(odata, dict):
        return odata
    out = _overlay(bdata, odata)
    if isinstance(bdata.get("recognition"), dict) and isinstance(odata.get("recognition"), dict):
        recognition = _overlay(bdata["recognition"], odata["recognition"])
        for key in RECOGNITION_LISTS:
            recognition[key] = _concat(bdata["recognition"].get(key), odata["recognition"].get(key))
        out["recognition"] = recognition
    bvars, ovars = bdata.get("variants") or LineDict(), odata.get("variants") or LineDict()
    if isinstance(bvars, dict) and isinstance(ovars, dict):
        variants = _copy(bvars)
        variants.origins = {k: origin_of(bvars, k, bpath) for k in bvars}
        for rid, variant in ovars.items():
            inherited = bvars.get(rid)
            if isinstance(inherited, dict) and isinstance(variant, dict) and "body" not in variant:
                variants[rid] = _overlay(inherited, variant)  # e.g. only prefer: the base's text stays
            else:
                variants[rid] = variant
                variants.origins[rid] = opath
                variants.key_lines[rid] = ovars.key_lines.get(rid, 0) if isinstance(ovars, LineDict) else 0
        out["variants"] = variants
    return out
