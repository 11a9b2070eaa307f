"""Putting a variant's variables together and rendering it.

Values come in three layers, later winning: the pack's defaults
(`pack.yaml`), the language's values (`_lang.yaml`), the caller's. Blocks
(greeting, signature, ...) are rendered with the same values first and
handed to the body as ready text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .pack.templates import CompiledVariant, TemplatePack
from .render import render_template
from .variables import VariableGuard, guard_for_pack


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: list[str]


@dataclass
class RenderMemo:
    """What one call rendering several replies (suggest) need not do twice: check a caller value
    (per name and language), render a block with the very same values (per language, block and
    every value it could read). Lives for that one call only."""

    cleaned: dict[tuple[str, str], str | None] = field(default_factory=dict)
    blocks: dict[tuple, str] = field(default_factory=dict)


def values_for(pack: TemplatePack, cv: CompiledVariant, variables: Mapping[str, object] | None,
               samples: bool = False, guard: VariableGuard | None = None,
               memo: RenderMemo | None = None) -> tuple[dict[str, str | None], list[str]]:
    """`guard`: the pack's (guard_for_pack), when the caller keeps one; `memo`: the call's RenderMemo."""
    specs = pack.variable_specs(cv.reply)
    lang = pack.langs[cv.lang].spec
    values: dict[str, str | None] = {name: spec.default for name, spec in specs.items()}
    values.update({k: v for k, v in lang.variables.items() if v is not None})
    if samples:
        values.update({n: s.sample for n, s in specs.items() if s.sample is not None})
        values.update(lang.samples)
    if variables:
        guard = guard or guard_for_pack(pack)  # caller values are data for a public reply: checked, never trusted
        for key, value in variables.items():
            if key in specs:
                if memo is None:
                    values[key] = guard.clean(key, value, cv.lang)
                    continue
                if (key, cv.lang) not in memo.cleaned:
                    memo.cleaned[(key, cv.lang)] = guard.clean(key, value, cv.lang)
                values[key] = memo.cleaned[(key, cv.lang)]
    missing = sorted(n for n in cv.variables if specs[n].required and not values.get(n))
    return values, missing


def render_variant(pack: TemplatePack, cv: CompiledVariant, variables: Mapping[str, object] | None = None,
                   samples: bool = False, wording: int = 0, guard: VariableGuard | None = None,
                   memo: RenderMemo | None = None) -> Rendered:
    """Render; a missing required variable shows as [name] and is reported, never blank.
    `wording` 0 is the body, 1.. the variant's alternative `wordings` in order. `guard`, `memo`:
    see values_for and RenderMemo (one call rendering several replies)."""
    values, missing = values_for(pack, cv, variables, samples, guard, memo)
    body = cv.variant.body if wording == 0 else cv.variant.wordings[wording - 1].body
    context: dict[str, object] = dict(values)
    for name in missing:
        context[name] = f"[{name}]"
    lang = pack.langs[cv.lang]
    for block in cv.blocks:
        key = _block_key(cv.lang, block, lang.block_variables[block], context) if memo is not None else None
        text = memo.blocks.get(key) if memo is not None and key is not None else None
        if text is None:
            text = render_template(lang.blocks[block], context, f"{cv.lang}/_lang.yaml block {block}")
            if memo is not None and key is not None:
                memo.blocks[key] = text
        context[block] = text
    text = render_template(body, context, cv.template_id if wording == 0 else f"{cv.template_id}#{wording}")
    return Rendered(text, missing)


_ABSENT = object()  # a name the context does not hold, apart from one it holds as None


def _block_key(lang: str, block: str, reads: frozenset[str], context: dict[str, object]) -> tuple | None:
    """A block's source is the language's and reads variables only (the pack refuses anything else):
    with the values of the names it reads the same, so is its text, whichever reply it closes."""
    key = (lang, block, tuple((name, context.get(name, _ABSENT)) for name in sorted(reads)))
    try:
        hash(key)
    except TypeError:  # a value that cannot be compared this way: render it
        return None
    return key


def render_samples(pack: TemplatePack, lang: str) -> list[tuple[CompiledVariant, str]]:
    """Every variant of a language rendered with its sample values, in a stable order.

    A variant that does not render is left out: lint reports it, and neither the closest-template
    search nor training should fail on it.
    """
    out = []
    for (_, vlang), cv in sorted(pack.variants.items()):
        if vlang != lang:
            continue
        try:
            out.append((cv, render_variant(pack, cv, samples=True).text))
        except Exception:  # noqa: BLE001 - reported by lint
            continue
    return out
