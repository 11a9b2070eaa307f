"""`replykit init DIR --brand NAME --languages da,nl`: start a brand pack that extends another.

Writes `DIR/replykit.yaml` (what it extends, the brand's name, its links per
language copied from the base for PR to change, vocabulary, approvers,
switched-off rules) and empty `templates/<lang>/` and `rules/` folders: a
brand pack holds only what it changes. The result is loaded once before
returning, so a pack that `init` writes always loads.
"""
from __future__ import annotations

import json
from pathlib import Path

from .errors import InputError
from .pack.brand import CONFIG_NAME, read_brand
from .pack.templates import load_templates


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def init_brand(folder: Path, brand: str, languages: list[str], extends: str = "bundled") -> list[Path]:
    """Create the brand pack; returns the files and folders written."""
    folder = Path(folder)
    brand = brand.strip()
    if not brand:
        raise InputError("--brand: give the brand's name")
    if (folder / CONFIG_NAME).exists():
        raise InputError(f"{folder / CONFIG_NAME} already exists: this folder is a brand pack already")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder")
    if extends != "bundled":
        from .pack.brand import brand_root, plain_pack

        target = Path(extends)
        base_templates = brand_root(target) or plain_pack(target)[0]
        if base_templates is None:
            raise InputError(f"--extends {extends}: neither a brand pack (replykit.yaml) nor a pack (templates/)")
        extends = str(target.resolve())
        base = load_templates(base_templates)
    else:
        from .kit import bundled_path

        base = load_templates(bundled_path("templates"))
    unknown = [lang for lang in languages if lang not in base.langs]
    if unknown or not languages:
        raise InputError(f"--languages: {', '.join(unknown) or 'none given'}: the base pack has "
                         f"{', '.join(base.meta.languages)}")
    lines = [
        f"# The brand pack of {brand}: it extends {extends} and holds only what {brand} changes.",
        "# Texts, recognition data and rules go under templates/<lang>/ and rules/ in the same layout",
        "# as the bundled pack; a file there is merged over the base's file of the same name.",
        "# Guide: docs/brand-packs.md",
        f"extends: {_q(extends)}",
        f"brand: {_q(brand)}",
        f"languages: [{', '.join(languages)}]",
        "# Values every language shares ({{ brand_name }} is the brand by default).",
        "variables: {}",
        "# Links and other values per language: change them to the brand's own.",
        "links:",
    ]
    for lang in languages:
        values = {k: v for k, v in base.langs[lang].spec.variables.items() if v}
        lines.append(f"  {lang}:")
        lines += [f"    {key}: {_q(str(value))}" for key, value in values.items()]
    lines += ["# Brand words the spell checker accepts, per language.", "vocabulary:"]
    lines += [f"  {lang}: [{_q(brand)}]" for lang in languages]
    lines += ["# Who may approve texts (replykit approve ... --by NAME); empty: anyone.", "approvers: []",
              "# Rule ids switched off for this brand.", "disabled_rules: []"]
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / CONFIG_NAME]
    (folder / CONFIG_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for sub in [*(Path("templates") / lang for lang in languages), Path("rules")]:
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / ".gitkeep").touch()
        written.append(folder / sub)
    try:
        read_brand(folder)
        load_templates(folder)
    except Exception:
        (folder / CONFIG_NAME).unlink()
        raise
    return written
