"""Rendering approved replies in a Jinja2 sandbox.

Templates are written by PR staff; values come from callers and, through
them, from strangers. So: a sandbox that refuses attribute walks to Python
internals and bounds anything that could exhaust memory, `StrictUndefined`
so a typo never renders as blank, and values passed only as data (a customer
called `{{ 7*7 }}` is rendered literally, never evaluated).
"""
from __future__ import annotations

import operator
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import RenderError

MAX_OUTPUT_CHARS = 20_000
MAX_SEQUENCE = 10_000


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, plus bounds on `*`, `**`, `+` and `range`."""

    intercepted_binops = frozenset(["*", "**", "+"])

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    if len(seq) * max(count, 0) > MAX_OUTPUT_CHARS:
                        raise SecurityError("result too large")
            return operator.mul(left, right)
        result = operator.add(left, right)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_OUTPUT_CHARS:
            raise SecurityError("result too large")
        return result


def _bounded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_SEQUENCE:
        raise SecurityError(f"range of {len(r)} items is too large (max {MAX_SEQUENCE})")
    return r


def _finalize(value: Any) -> Any:
    # Optional variables without a value render as nothing, never as "None".
    return "" if value is None else value


def make_environment() -> jinja2.Environment:
    env = _BoundedSandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals = {"range": _bounded_range}
    return env


ENV = make_environment()


def template_variables(source: str) -> set[str]:
    """Names a template reads from its context (raises TemplateSyntaxError)."""
    return meta.find_undeclared_variables(ENV.parse(source)) - set(ENV.globals)


@lru_cache(maxsize=100_000)
def compile_template(source: str) -> jinja2.Template:
    # Compiled on first render, not at load: a CLI call renders a handful of
    # the pack's templates, and the load already checked every one parses.
    return ENV.from_string(source)


def render_template(source: str, context: dict[str, Any], name: str) -> str:
    try:
        text = compile_template(source).render(context)
    except SecurityError as exc:
        raise RenderError(f"{name}: refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{name}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"{name}: {exc}") from None
    except (ArithmeticError, TypeError, ValueError, RecursionError, MemoryError) as exc:
        raise RenderError(f"{name}: template failed: {type(exc).__name__}: {exc}") from None
    if len(text) > MAX_OUTPUT_CHARS:
        raise RenderError(f"{name}: rendered text is longer than {MAX_OUTPUT_CHARS} characters")
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    # Keep paragraph breaks, fold the rest: YAML block bodies read naturally.
    out: list[str] = []
    for line in lines:
        if line:
            if out and out[-1] != "":
                out[-1] += " " + line
            else:
                out.append(line)
        elif out and out[-1] != "":
            out.append("")
    return "\n\n".join(p for p in out if p)
