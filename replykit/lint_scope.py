"""What a commit touches: `replykit lint --changed FILE...` (the pre-commit hook).

A commit that changes a Danish text must not be blocked by a Russian stub
somewhere else in the pack, so the hook lints only what the changed files
touch plus what depends on them:

* `templates/<lang>/<type>.yaml`: that language's texts of that inquiry type,
  plus the language's recognition data, parity and coverage;
* `templates/<lang>/_lang.yaml`, `_signals.yaml`, `labelled/...`, the folder:
  the whole language (its blocks, links and vocabulary reach every text and
  every rule there);
* `rules/.../<rule>.yaml`: that rule (its examples, its patterns);
* `templates/pack.yaml`, `templates/replies.yaml`, `replykit.yaml`: the whole pack;
* anything else (README, CI files): nothing.

The full `replykit lint` stays the check for CI and releases: a changed rule
is judged by its examples here, not against every approved text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from .pack.brand import CONFIG_NAME

WHOLE_PACK_FILES = {"pack.yaml", "replies.yaml"}


@dataclass
class Scope:
    """The part of a pack one lint run looks at (`everything`: the whole pack)."""

    everything: bool = False
    langs: set[str] = field(default_factory=set)  # languages whose texts, data and rules all count
    types: dict[str, set[str]] = field(default_factory=dict)  # lang -> inquiry types whose texts changed
    rule_ids: set[str] = field(default_factory=set)

    def languages(self, known: Iterable[str]) -> list[str]:
        """The languages any check of this scope reads."""
        touched = self.langs | set(self.types)
        return [lang for lang in known if self.everything or lang in touched]

    def text_in_scope(self, lang: str, inquiry_type: str) -> bool:
        return self.everything or lang in self.langs or inquiry_type in self.types.get(lang, set())

    def rule_in_scope(self, rule_id: str, rule_langs: list[str] | None) -> bool:
        if self.everything or rule_id in self.rule_ids:
            return True
        return bool(self.langs) and (rule_langs is None or bool(set(rule_langs) & self.langs))

    def describe(self) -> str:
        if self.everything:
            return "the whole pack"
        parts = [f"{lang} (all)" for lang in sorted(self.langs)]
        parts += [f"{lang} {', '.join(sorted(t))}" for lang, t in sorted(self.types.items()) if lang not in self.langs]
        parts += [f"rule {r}" for r in sorted(self.rule_ids)]
        return "; ".join(parts) or "nothing in the pack"


def changed_scope(pack_root: Path, files: Iterable[Path], languages: Iterable[str], cwd: Path) -> Scope:
    """The scope of `files` (as the hook passes them: relative to `cwd`) in the pack at `pack_root`."""
    scope = Scope()
    known = set(languages)
    root = pack_root.resolve()
    for name in files:
        path = (cwd / name).resolve() if not Path(name).is_absolute() else Path(name).resolve()
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            continue  # outside the pack: not ours to lint
        if not parts:
            scope.everything = True
        elif parts == (CONFIG_NAME,):
            scope.everything = True
        elif parts[0] == "templates":
            _template_file(scope, parts[1:], known)
        elif parts[0] == "rules" and path.suffix in (".yaml", ".yml"):
            rule_id = _rule_id(path)
            if rule_id:
                scope.rule_ids.add(rule_id)
    return scope


def _template_file(scope: Scope, parts: tuple[str, ...], known: set[str]) -> None:
    if not parts or (len(parts) == 1 and parts[0] in WHOLE_PACK_FILES):
        scope.everything = True
        return
    lang = parts[0]
    if lang not in known:
        return  # a language the pack does not answer in (or an unrelated file)
    if len(parts) == 2 and parts[1].endswith((".yaml", ".yml")) and not parts[1].startswith("_"):
        scope.types.setdefault(lang, set()).add(Path(parts[1]).stem)
    else:
        scope.langs.add(lang)  # _lang.yaml, _signals.yaml, labelled data, the folder: all of it


def _rule_id(path: Path) -> str | None:
    """The id a rule file declares (None: deleted, unreadable, or not a rule; the full load reports broken files)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    rule_id = data.get("id") if isinstance(data, dict) else None
    return rule_id if isinstance(rule_id, str) else None
