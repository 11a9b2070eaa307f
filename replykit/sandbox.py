"""A Jinja2 sandbox whose every render has a bounded cost.

Pack templates are written by PR staff, but a pack is a git repository that
more people can write to, so a template is untrusted code. Jinja's own
sandbox stops attribute walks to Python internals; it does not stop a
template from asking for a 30-million-character padding, a list of a billion
fill values, a doubling `~` concatenation or a macro calling itself twice per
level. Here:

* every operation a template can repeat (binary operators, calls, filters,
  loop iterations, `~`, output) is charged to a per-render `Budget`
  (operations, characters produced, call depth); over budget is a
  `SecurityError` raised *before* the expensive step where its size can be
  known beforehand (widths, repeat counts, integer sizes, join lengths);
* values a step produces are weighed (strings by length, containers by the
  weight of their items) and refused above the output cap, so nothing large
  can be built and kept for later;
* nothing is evaluated at compile time: Jinja folds constant expressions
  (`{{ [1]|batch(999999999, 0)|list }}`) while compiling, outside any
  sandbox check. The optimizer is off, `finalize` needs the render context
  (so `visit_Output` cannot pre-compute constants) and every bounded
  operation refuses to run outside a render's budget, which makes any other
  folding attempt "impossible" for Jinja, so it is left to run time.

The budget of the render under way is found through a `ContextVar`, out of
the template's reach (a context variable would be readable and resettable by
the template itself).
"""
from __future__ import annotations

import functools
import re
import string
import types
from contextvars import ContextVar
from typing import Any, Callable, Iterable, Iterator

from jinja2 import nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_OUTPUT_CHARS = 20_000  # a rendered reply, and any one value built while rendering
MAX_SEQUENCE = 10_000  # items of a range
MAX_OPERATIONS = 10_000  # operators, calls, filters, loop iterations and outputs per render
MAX_PRODUCED_CHARS = 100_000  # characters output per render, blocks captured by {% set %} included
MAX_CALL_DEPTH = 30  # nested macro and method calls
MACRO_CALL_COST = 25  # a macro call runs ~25 operators' worth of Jinja machinery
MAX_INT_BITS = 4_096  # about 1,200 decimal digits: no reply needs a bigger number
MAX_EXPONENT = 64


class Budget:
    """What one render may still spend."""

    __slots__ = ("operations", "produced", "depth")

    def __init__(self) -> None:
        self.operations = 0
        self.produced = 0
        self.depth = 0

    def charge(self, operations: int = 1, chars: int = 0) -> None:
        self.operations += operations
        self.produced += chars
        if self.operations > MAX_OPERATIONS:
            raise SecurityError(f"template does more than {MAX_OPERATIONS} operations")
        if self.produced > MAX_PRODUCED_CHARS:
            raise SecurityError(f"template produces more than {MAX_PRODUCED_CHARS} characters")


_CURRENT: ContextVar[Budget | None] = ContextVar("replykit_render_budget", default=None)


def current_budget() -> Budget:
    budget = _CURRENT.get()
    if budget is None:
        # Jinja tries bounded operations while compiling (constant folding); refusing
        # makes it leave them to run time, where a budget is in force.
        raise SecurityError("not rendering: no budget in force")
    return budget


def start_budget() -> tuple[Budget, Any]:
    budget = Budget()
    return budget, _CURRENT.set(budget)


def end_budget(token: Any) -> None:
    _CURRENT.reset(token)


def _charge(operations: int = 1, chars: int = 0) -> None:
    current_budget().charge(operations, chars)


def weight(value: Any, limit: int = MAX_OUTPUT_CHARS) -> int:
    """Roughly the characters `str(value)` would take, counted only up to a bit past `limit`."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += max(1, item.bit_length() // 3)
        elif isinstance(item, dict):
            total += 2 + len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + len(item)
            stack.extend(item)
        else:
            total += 1
    return total


def _check_size(value: Any, what: str = "result") -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{what} is a number larger than {MAX_INT_BITS} bits")
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) and weight(value) > MAX_OUTPUT_CHARS:
        raise SecurityError(f"{what} is larger than {MAX_OUTPUT_CHARS} characters")
    return value


def _check_number_arguments(args: Iterable[Any], what: str) -> None:
    """Widths, counts and lengths beyond the output cap can only be attacks."""
    for arg in args:
        if isinstance(arg, (int, float)) and not isinstance(arg, bool) and abs(arg) > MAX_OUTPUT_CHARS:
            raise SecurityError(f"{what}: argument {arg!r} is too large (max {MAX_OUTPUT_CHARS})")


# printf-style conversions: %(name)-#0 +<width>.<precision><length><type>
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")


def _check_printf(fmt: str) -> None:
    for width, precision in _PRINTF.findall(fmt):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_OUTPUT_CHARS):
                raise SecurityError("format width or precision too large")


def _check_format_spec(fmt: str, depth: int = 0) -> None:
    """str.format: refuse widths above the cap and widths taken from arguments."""
    if depth > 2:
        raise SecurityError("format string nested too deeply")
    for _, _, spec, _ in string.Formatter().parse(fmt):
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("format width taken from an argument")
        if any(int(n) > MAX_OUTPUT_CHARS for n in re.findall(r"\d+", spec)):
            raise SecurityError("format width or precision too large")


def _replace_size(text: str, old: str, new: str, count: int = -1) -> int:
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


def _check_method_call(obj: Any, args: tuple, kwargs: dict) -> None:
    """Bounds on the str (and bytes) methods a template can call whose cost its arguments set."""
    if not isinstance(obj, (types.BuiltinMethodType, types.MethodType)):
        return
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    _check_number_arguments([*args, *kwargs.values()], f"{name}()")
    if isinstance(owner, (str, bytes)):
        if name == "replace" and len(args) >= 2 and isinstance(args[0], type(owner)):
            count = args[2] if len(args) > 2 and isinstance(args[2], int) else -1
            if _replace_size(owner, args[0], args[1], count) > MAX_OUTPUT_CHARS:  # type: ignore[arg-type]
                raise SecurityError("replace() result too large")
        elif name == "expandtabs":
            size = args[0] if args and isinstance(args[0], int) else 8
            tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
            if len(owner) + tabs * size > MAX_OUTPUT_CHARS:
                raise SecurityError("expandtabs() result too large")
        elif name == "join" and args:
            items = args[0]
            if weight(items) + len(owner) * (len(items) if hasattr(items, "__len__") else 0) > MAX_OUTPUT_CHARS:
                raise SecurityError("join() result too large")


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter, charged to the budget, its size arguments checked, its result weighed."""
    skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1  # (context,) value

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _charge()
        value, rest = (args[skip - 1] if len(args) >= skip else None), args[skip:]
        _check_number_arguments([*rest, *kwargs.values()], f"|{name}")
        if name == "format" and isinstance(value, str):
            _check_printf(value)
        elif name == "replace" and len(rest) >= 2 and isinstance(value, str):
            count = rest[2] if len(rest) > 2 and isinstance(rest[2], int) else kwargs.get("count", -1)
            if _replace_size(value, str(rest[0]), str(rest[1]), count) > MAX_OUTPUT_CHARS:
                raise SecurityError("|replace result too large")
        elif name == "indent" and isinstance(value, str):
            width = rest[0] if rest else kwargs.get("width", 4)
            pad = len(width) if isinstance(width, str) else int(width)
            if len(value) + (value.count("\n") + 1) * pad > MAX_OUTPUT_CHARS:
                raise SecurityError("|indent result too large")
        elif name == "wordwrap" and isinstance(value, str):
            width = rest[0] if rest else kwargs.get("width", 79)
            wrap = rest[2] if len(rest) > 2 else kwargs.get("wrapstring") or "\n"
            if (len(value) // max(int(width), 1) + 1) * len(wrap) + len(value) > MAX_OUTPUT_CHARS:
                raise SecurityError("|wordwrap result too large")
        elif name == "join":
            glue = rest[0] if rest else kwargs.get("d", "")
            items = value if isinstance(value, (list, tuple, str)) else None
            if items is not None and weight(items) + len(str(glue)) * len(items) > MAX_OUTPUT_CHARS:
                raise SecurityError("|join result too large")
        elif name == "tojson":
            indent = rest[0] if rest else kwargs.get("indent")
            if indent is not None and not (isinstance(indent, int) and 0 <= indent <= 8):
                raise SecurityError("|tojson indent must be a small number")
        return _check_size(func(*args, **kwargs), f"|{name} result")

    return bounded


def _iterate(iterable: Any, body_chars: int) -> Iterator[Any]:
    """Every loop's iterable: each iteration costs one operation plus the loop body's literal text."""
    budget = current_budget()
    for item in iterable:
        budget.charge(1, body_chars)
        yield item


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # `a ~ b`: Jinja joins without asking the sandbox; doubling a string 40 times is 1 TB.
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


ITERATE_FILTER = "replykit_bounded_iteration"


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a per-render budget on everything a template can repeat."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "**", "%"])

    def __init__(self, **options: Any) -> None:
        super().__init__(optimized=False, **options)  # no compile-time folding, outside any bound
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters[ITERATE_FILTER] = _iterate

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            body_chars = sum(len(d.data) for d in loop.find_all(nodes.TemplateData))
            loop.iter = nodes.Filter(loop.iter, ITERATE_FILTER, [nodes.Const(body_chars)], [], None, None,
                                     lineno=loop.lineno)
        return tree

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        _charge()
        ints = isinstance(left, int) and isinstance(right, int)
        if operator_name == "**" and isinstance(right, (int, float)):
            if abs(right) > MAX_EXPONENT:
                raise SecurityError("exponent too large")
            if ints and right > 0 and left.bit_length() * right > MAX_INT_BITS:
                raise SecurityError(f"power larger than {MAX_INT_BITS} bits")
        elif operator_name == "*":
            if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError(f"product larger than {MAX_INT_BITS} bits")
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
                    if weight(seq) * max(count, 0) > MAX_OUTPUT_CHARS:
                        raise SecurityError("result too large")
        elif operator_name == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) and \
                    weight(left) + weight(right) > MAX_OUTPUT_CHARS:
                raise SecurityError("result too large")
        elif operator_name == "%" and isinstance(left, str):
            _check_printf(left)
        return _check_size(self.binop_table[operator_name](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        budget = current_budget()
        budget.charge(MACRO_CALL_COST if isinstance(__obj, Macro) else 1)
        _check_method_call(__obj, args, kwargs)
        if budget.depth >= MAX_CALL_DEPTH:
            raise SecurityError(f"calls nested deeper than {MAX_CALL_DEPTH}")
        budget.depth += 1
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        return _check_size(result, "call result")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            _charge()
            _check_format_spec(template)
            return _check_size(wrapped(*args, **kwargs), "format() result")

        return bounded

    def bounded_concat(self, values: Iterable[Any]) -> str:
        _charge()
        parts = []
        total = 0
        for value in values:
            if weight(value) > MAX_OUTPUT_CHARS:
                raise SecurityError("~ operand too large")
            text = str(value)
            total += len(text)
            if total > MAX_OUTPUT_CHARS:
                raise SecurityError(f"~ result longer than {MAX_OUTPUT_CHARS} characters")
            parts.append(text)
        return "".join(parts)


@pass_eval_context
def finalize(eval_ctx: Any, value: Any) -> Any:
    """Every `{{ }}` output: counted against the budget; optional variables without a value print nothing."""
    if value is None:
        return ""
    if weight(value) > MAX_OUTPUT_CHARS:
        raise SecurityError(f"output value larger than {MAX_OUTPUT_CHARS} characters")
    text = value if isinstance(value, str) else str(value)
    _charge(1, len(text))
    return text


def bounded_range(*args: int) -> range:
    _charge()
    r = range(*args)
    if len(r) > MAX_SEQUENCE:
        raise SecurityError(f"range of {len(r)} items is too large (max {MAX_SEQUENCE})")
    return r

