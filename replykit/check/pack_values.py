"""Pack variables inside rules: `{{ brand_name }}`, `{{ brand_site }}`, `{{ status_url }}` ...

Bundled rules must not hard-code the demo brand: a rule that knows the
company's own name or web site says `{{ brand_name }}` or `{{ brand_site }}`
and gets the loaded pack's value for the language it is compiled for. A brand
pack that sets `brand: Acme` and `brand_site: acme.dk` therefore gets rules
about Acme and acme.dk without touching a rule file.

Values are put in when a language's rules are compiled (once per pack), in
the form each field needs: regular-expression escaped in `patterns` and
`unless` (lower-cased where the pattern is matched case-free, so the fast
lower-case path still works), as words in phrase lists, verbatim in examples.
The names of the people in a conversation (`customer_name`, `agent_name` and
their parts) differ per draft and stay for check time (patterns.fill).
A pattern or phrase naming a variable the pack leaves empty in a language is
left out there: it cannot describe that pack.
"""
from __future__ import annotations

import regex

from ..models import Example, RuleSpec
from .patterns import PLACEHOLDERS, case_free

_VARIABLE = regex.compile(r"\{\{\s*(\w+)\s*\}\}")
# Filled per draft at check time, never at load.
RUN_TIME = frozenset(PLACEHOLDERS) - {"brand_name"}


def pack_variables(text: str) -> set[str]:
    """The load-time variables a rule text names."""
    return {m.group(1) for m in _VARIABLE.finditer(text) if m.group(1) not in RUN_TIME}


def substitute(text: str, values: dict[str, str], escape: bool = False, lower: bool = False) -> str | None:
    """`text` with its load-time variables filled in; None when one has no value."""
    missing = False

    def put(m: regex.Match) -> str:
        nonlocal missing
        name = m.group(1)
        if name in RUN_TIME:
            return m.group(0)
        value = (values.get(name) or "").strip()
        if not value:
            missing = True
            return ""
        value = value.lower() if lower else value
        return regex.escape(value) if escape else value

    out = _VARIABLE.sub(put, text)
    return None if missing else out


def sample_filled(pattern: str) -> str:
    """A pattern with every load-time variable replaced by a word: to check it compiles when read."""
    return _VARIABLE.sub(lambda m: m.group(0) if m.group(1) in RUN_TIME else "x", pattern)


def _patterns(items: list[str], values: dict[str, str]) -> list[str]:
    out = []
    for pattern in items:
        if not pack_variables(pattern):
            out.append(pattern)
            continue
        filled = substitute(pattern, values, escape=True, lower=case_free(pattern))
        if filled is not None:
            out.append(filled)
    return out


def _phrases(items: list[str], values: dict[str, str]) -> list[str]:
    out = []
    for phrase in items:
        filled = substitute(phrase, values) if pack_variables(phrase) else phrase
        if filled is not None:
            out.append(filled)
    return out


def _names_variables(spec: RuleSpec) -> bool:
    texts = [*spec.patterns, *spec.unless, *spec.phrases, *spec.swap, *spec.none_of,
             *(p for group in spec.all_of for p in group)]
    return any("{{" in t and pack_variables(t) for t in texts)


def resolve_spec(spec: RuleSpec, values: dict[str, str]) -> RuleSpec:
    """The rule as it applies to a pack whose variables (in one language) are `values`."""
    if not _names_variables(spec):
        return spec
    swap = {}
    for phrase, replacement in spec.swap.items():
        filled = substitute(phrase, values) if pack_variables(phrase) else phrase
        if filled is not None:
            swap[filled] = substitute(replacement, values) or replacement
    return spec.model_copy(update={
        "patterns": _patterns(spec.patterns, values), "unless": _patterns(spec.unless, values),
        "phrases": _phrases(spec.phrases, values), "none_of": _phrases(spec.none_of, values),
        "all_of": [_phrases(group, values) for group in spec.all_of], "swap": swap})


def resolve_example(example: Example, values: dict[str, str]) -> Example | str:
    """The example with the pack's values in it, or why it cannot run (a variable the pack leaves empty)."""
    names = pack_variables(example.text)
    if not names:
        return example
    filled = substitute(example.text, values)
    if filled is None:
        empty = sorted(n for n in names if not (values.get(n) or "").strip())
        return f"example names {{{{ {empty[0]} }}}}, which the pack does not set: {example.text[:60]!r}"
    return example.model_copy(update={"text": filled})
