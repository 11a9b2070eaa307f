"""Brand packs: a small `replykit.yaml` at a folder's root that extends another pack.

A brand pack holds only what it changes: its config (brand name, variables,
links, vocabulary, approvers, switched-off rules) and, under `templates/` and
`rules/`, the replies, texts, recognition data and rules it overrides or
adds, in the same layout as the bundled pack. `layers.py` merges it over its
base at load time, so an update of the base reaches every brand that did not
override that part.

The config is found the way Vale finds `.vale.ini`: from the current folder
upwards (`discover`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PackError
from ..vocabulary import Lang

CONFIG_NAME = "replykit.yaml"
MAX_DEPTH = 8  # brand over brand over ...: deeper than this is a cycle


class BrandConfig(BaseModel):
    """replykit.yaml: what a brand pack extends and the values it sets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extends: str = Field("bundled", description="bundled, or the path of the pack this one extends")
    brand: str = Field(min_length=1, description="The brand's name: the pack's name and {{ brand_name }}")
    description: str = ""
    languages: list[Lang] | None = Field(None, description="The languages this brand answers in (default: the base's)")
    default_lang: Lang | None = None
    variables: dict[str, str] = Field(default_factory=dict, description="Values every language shares")
    links: dict[Lang, dict[str, str]] = Field(default_factory=dict, description="Per-language variable values")
    vocabulary: dict[Lang, list[str]] = Field(default_factory=dict, description="Brand words the speller accepts")
    approvers: list[str] = Field(default_factory=list, description="Who may approve texts (empty: anyone)")
    disabled_rules: list[str] = Field(default_factory=list, description="Rule ids switched off for this brand")


@dataclass(frozen=True)
class BrandPack:
    """A brand folder, its config, and the pack it extends."""

    root: Path
    config: BrandConfig
    base_templates: Path  # the base's templates folder (bundled, a plain pack, or a brand's)
    base_rules: tuple[Path, ...]  # the base's rule folders, bundled first
    base: "BrandPack | None" = None  # when the base is itself a brand pack

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def rules(self) -> Path:
        return self.root / "rules"

    def rule_folders(self) -> list[Path]:
        """Base rules first, the brand's last: later folders override rule by rule."""
        own = [self.rules] if self.rules.is_dir() else []
        return [*self.base_rules, *own]

    def disabled_rules(self) -> list[str]:
        inherited = self.base.disabled_rules() if self.base else []
        return list(dict.fromkeys([*inherited, *self.config.disabled_rules]))

    def label(self) -> str:
        extends = self.config.extends if self.config.extends == "bundled" else str(self.base_templates)
        return f"{self.config.brand} ({self.config_path}, extends {extends})"


def brand_root(path: Path) -> Path | None:
    """The brand folder a path names: the folder holding replykit.yaml, or its templates/ folder."""
    path = Path(path)
    if (path / CONFIG_NAME).is_file():
        return path
    if path.name == "templates" and (path.parent / CONFIG_NAME).is_file():
        return path.parent
    return None


def read_brand(root: Path, depth: int = 0) -> BrandPack:
    """Read and validate a brand folder's config and resolve what it extends."""
    from ..kit import bundled_path  # the kit imports the loader: resolve lazily
    from .templates import validate
    from .yamlio import load_yaml

    if depth > MAX_DEPTH:
        raise PackError("extends: packs extend each other in a circle", root / CONFIG_NAME)
    path = Path(root) / CONFIG_NAME
    data = load_yaml(path)
    config = validate(BrandConfig, data, path)
    if config.extends == "bundled":
        return BrandPack(Path(root), config, bundled_path("templates"), (bundled_path("rules"),))
    target = (Path(root) / config.extends).resolve() if not Path(config.extends).is_absolute() \
        else Path(config.extends)
    base_root = brand_root(target)
    if base_root is not None:
        base = read_brand(base_root, depth + 1)
        return BrandPack(Path(root), config, base.templates, tuple(base.rule_folders()), base)
    templates, rules = plain_pack(target)
    if templates is None:
        from .yamlio import line_of

        raise PackError(f"extends: {config.extends!r} is neither 'bundled', a brand pack (replykit.yaml) nor a "
                        "pack (templates/pack.yaml)", path, line_of(data, ("extends",)))
    return BrandPack(Path(root), config, templates,
                     (bundled_path("rules"), *([rules] if rules is not None else [])))


def plain_pack(path: Path) -> tuple[Path | None, Path | None]:
    """(templates folder, rules folder) of an ordinary pack folder, or a templates folder itself."""
    path = Path(path)
    if (path / "templates" / "pack.yaml").is_file():
        return path / "templates", (path / "rules" if (path / "rules").is_dir() else None)
    if (path / "pack.yaml").is_file():
        sibling = path.parent / "rules"
        return path, (sibling if path.name == "templates" and sibling.is_dir() else None)
    return None, None


def discover(start: Path) -> Path | None:
    """The pack folder the current folder belongs to: the nearest folder upwards holding
    replykit.yaml (a brand pack) or templates/pack.yaml (an ordinary pack)."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / "templates" / "pack.yaml").is_file() or (
                (folder / "pack.yaml").is_file() and (folder / "replies.yaml").is_file()):
            return folder
    return None


@dataclass(frozen=True)
class Located:
    """The pack a command uses: templates and rules to load, and how to name it (None: said nowhere)."""

    templates: Path | None
    rules: Path | None
    label: str | None = None


def locate(pack: Path | None, templates: Path | None, rules: Path | None, cwd: Path) -> Located:
    """A PACK argument, else --templates/--rules, else the pack the current folder belongs to, else bundled.

    A brand folder (or its templates/) loads with its own rules layered over its base's; an ordinary
    pack folder with its rules/ beside templates/.
    """
    from ..kit import bundled_path

    if pack is None and (templates is not None or rules is not None):
        root = brand_root(templates) if templates is not None else None
        return Located(templates, rules, read_brand(root).label() if root else None)
    found = Path(pack) if pack is not None else discover(cwd)
    if found is None:
        return Located(None, None)
    if not found.is_dir():
        raise PackError("no such folder", found)
    root = brand_root(found)
    if root is not None:
        return Located(root, rules, read_brand(root).label())
    plain_templates, plain_rules = plain_pack(found)
    if plain_templates is None:
        raise PackError("neither a brand pack (replykit.yaml), a pack (templates/, rules/) nor a templates "
                        "folder (pack.yaml)", found)
    if pack is None and plain_templates.resolve() == bundled_path("templates").resolve():
        return Located(None, None)  # inside replykit's own checkout: the bundled pack, said nowhere
    label = f"{plain_templates.parent if plain_templates.name == 'templates' else plain_templates}"
    return Located(plain_templates, plain_rules or rules, label if pack is None else None)
