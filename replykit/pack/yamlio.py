"""YAML reading that remembers where every mapping key sits.

PR staff edit the pack by hand, so every error must point at a file and a
line. PyYAML's safe loader is extended to build `LineDict`s: ordinary dicts
that also know the line of each key. `line_of(data, loc)` walks a pydantic
error location down to the nearest line it knows.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import PackError


class LineDict(dict):
    """A dict that remembers the 1-based line of itself and of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    __slots__ = ("line", "item_lines")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.item_lines: list[int] = []


# libyaml's parser when the wheel has it (about 10x faster); same semantics.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from exc
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # Dates stay strings here; pydantic parses them, so errors read the same.
    return loader.construct_scalar(node)


# YAML 1.1 reads `no` (Norwegian!), `yes`, `on`, `off` as booleans. PR staff
# write `langs: [da, no]`, so only true/false are booleans here (YAML 1.2).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; any problem becomes a PackError naming path:line."""
    from .files import read_bytes  # regular files only, size-bounded, never a blocking open

    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise PackError(f"invalid YAML: {problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise PackError(f"invalid YAML: {exc}", path) from None


def line_of(data: Any, loc: tuple[Any, ...] | list[Any]) -> int | None:
    """The line of the deepest element of `loc` that has a known line."""
    line = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        inner = getattr(node, "line", None)
        if inner and not isinstance(node, (LineDict,)):
            line = line or inner
    return line
