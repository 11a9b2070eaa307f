"""Rendering approved replies in a Jinja2 sandbox.

Templates are written by PR staff; values come from callers and, through
them, from strangers. So: a sandbox that refuses attribute walks to Python
internals and gives every render a budget (`sandbox.py`: operations,
characters, call depth; the output capped while it is generated),
`StrictUndefined` so a typo never renders as blank, and values passed only
as data (a customer called `{{ 7*7 }}` is rendered literally, never
evaluated; what a value may hold is `variables.py`'s).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import SecurityError

from .errors import RenderError
from .sandbox import MAX_OUTPUT_CHARS, MAX_SEQUENCE, BoundedSandbox, bounded_range, end_budget, finalize, start_budget

__all__ = ["MAX_OUTPUT_CHARS", "MAX_SEQUENCE", "make_environment", "template_variables", "render_template"]


def make_environment() -> jinja2.Environment:
    env = BoundedSandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals = {"range": bounded_range}
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
    """Render within the sandbox's budget; the output is capped while it is produced."""
    parts: list[str] = []
    size = 0
    budget_token = None
    stream = None
    try:
        template = compile_template(source)
        _, budget_token = start_budget()
        stream = template.generate(context)
        for chunk in stream:
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise RenderError(f"{name}: rendered text is longer than {MAX_OUTPUT_CHARS} characters")
            parts.append(chunk)
    except SecurityError as exc:
        raise RenderError(f"{name}: refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{name}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"{name}: {exc}") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, RecursionError, MemoryError) as exc:
        raise RenderError(f"{name}: template failed: {type(exc).__name__}: {exc}") from None
    finally:
        if stream is not None:
            stream.close()  # type: ignore[attr-defined]  # a generator: ends the template's frames now
        if budget_token is not None:
            end_budget(budget_token)
    return _tidy("".join(parts))


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
