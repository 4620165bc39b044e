"""The sandbox every formkit template runs in, and the limits on what it may cost.

Beyond Jinja's own sandbox (no attribute starting with '_', no unsafe methods),
every operation a template can use to make a value is bounded *before* it runs:
no text over :data:`MAX_TEXT` characters, no list, dict or set over
:data:`MAX_SEQUENCE` items, no width, padding or tab size over :data:`MAX_WIDTH`,
no number over :data:`MAX_INT_BITS` bits. That covers the operators (``*``,
``**``, ``%``, ``+``, ``~``), ``str`` methods (``format`` with widths positional,
keyword or nested, ``replace``, ``join``, ``expandtabs``, padding), list, dict and
set methods that grow them (``append`` in a loop), every filter (``batch``,
``join``, ``indent``, ``format``, ``sum``, ...) and turning a list into text.
Within :class:`render_budget` (one document) all the values made together are
bounded too (:data:`MAX_MADE`), so values kept in a list cannot pile up.

Templates compile with Jinja's optimizer off, so no expression is evaluated at
load time (folding ``([1]|batch(500000000, 0)|first)|length`` used to take
gigabytes before the render limit applied), and :class:`~.deadline.time_limit`
bounds both loading (:data:`COMPILE_SECONDS`) and each render
(:data:`RENDER_SECONDS`), in whichever thread they run.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import TemplateError
from .deadline import RenderTimeout, time_limit

MAX_OUTPUT_CHARS = 32 * 1024 * 1024
"""Characters of text one document part may render to."""
MAX_TEXT = 1_000_000
"""Characters in any one value a template makes (about 300 pages of text)."""
MAX_SEQUENCE = 100_000
"""Items in any one list, dict or set a template makes."""
MAX_WIDTH = 10_000
"""Largest width, padding, precision, tab size or batch size a template may ask for."""
MAX_INT_BITS = 4096
"""Largest number (in bits, about 1,200 digits) a template may compute."""
MAX_MADE = 32 * 1024 * 1024
"""Characters (or list items) of new values all the tags of one document may make
together, so that even values kept in a list stay bounded."""
MAX_POWER = 64
"""Largest exponent of ``**``."""
MAX_POWER_BASE = 10**6
"""Largest number raised to a power with ``**``."""
MAX_LIPSUM_PARAGRAPHS = 100
"""Paragraphs of placeholder text ``lipsum()`` may make."""
MAX_LIPSUM_WORDS = 1000
"""Words in each of them."""
RENDER_SECONDS = 2.0
"""Seconds one document may take to render."""
COMPILE_SECONDS = 2.0
"""Seconds one template may take to load (an ordinary one takes under 50 ms)."""


class TooBig(SecurityError):
    """A tag would use more memory or time than any document needs."""


def _weight(value: Any, budget: int = MAX_TEXT) -> int:
    """About how many characters ``value`` is as text, counting into lists, dicts
    and sets (shared and nested items each time they appear). Stops counting once
    past ``budget``, so the cost is bounded whatever the value."""
    total = 0
    stack = [value]
    while stack and total <= budget:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(itertools.islice(item, budget))
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            stack.extend(itertools.islice(itertools.chain.from_iterable(item.items()), budget))
        else:
            total += 8
    return total


def _as_text(value: Any, what: str) -> Any:
    """``value``, refused if turning it into text would pass :data:`MAX_TEXT`."""
    if not isinstance(value, str) and _weight(value) > MAX_TEXT:
        raise TooBig(f"{what} would be over {MAX_TEXT:,} characters")
    return value


_SPENT: ContextVar[list[int] | None] = ContextVar("formkit_template_spent", default=None)


class render_budget:
    """Within this, the values all tags make together are counted against
    :data:`MAX_MADE` (one document's render)."""

    def __enter__(self) -> None:
        self._token = _SPENT.set([0])

    def __exit__(self, *exc: object) -> None:
        _SPENT.reset(self._token)


def _spend(size: int) -> None:
    spent = _SPENT.get()
    if spent is not None:
        spent[0] += size
        if spent[0] > MAX_MADE:
            raise TooBig(f"its tags would make over {MAX_MADE // 1024 // 1024} MB of values for one document")


def _made(value: Any) -> Any:
    """A value an operation made, refused if it is over the limits."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise TooBig(f"it would make text of over {MAX_TEXT:,} characters")
        _spend(len(value))
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        if len(value) > MAX_SEQUENCE:
            raise TooBig(f"it would make a list of over {MAX_SEQUENCE:,} items")
        _spend(len(value))
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TooBig("the number would be too large")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _width(value: Any, what: str = "a width") -> None:
    if _number(value) and abs(value) > MAX_WIDTH:
        raise TooBig(f"{what} of {value:,} is over formkit's limit of {MAX_WIDTH:,}")


def _expect(size: int, what: str = "it") -> None:
    if size > MAX_TEXT:
        raise TooBig(f"{what} would make text of over {MAX_TEXT:,} characters")


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_BRACE_WIDTH = re.compile(r"\d+")


def _format_size(template: str, args: Iterable[Any], percent: bool) -> int:
    """An upper bound on the length of ``template`` formatted with ``args``
    (printf-style when ``percent``, else str.format); refuses widths and
    precisions over :data:`MAX_WIDTH`, written in the template or taken from the
    arguments (``'%*s'``, ``'{:{w}}'``)."""
    args = list(args)
    widest = max((_weight(a) for a in args), default=0)
    if percent:
        fields = list(_PERCENT_FIELD.finditer(template))
        specs = [g for m in fields for g in m.groups() if g]
    else:
        try:
            parsed = [spec for _, name, spec, _ in __import__("string").Formatter().parse(template) if name is not None]
        except ValueError:
            parsed = []
        fields, specs = parsed, [n for spec in parsed for n in _BRACE_WIDTH.findall(spec or "")]
        if any("{" in (spec or "") for spec in parsed):
            specs.append("*")
    pad = 0
    for spec in specs:
        if spec == "*":
            for a in args:
                _width(a)
            pad = max(pad, max((abs(int(a)) for a in args if _number(a)), default=0))
        else:
            _width(int(spec))
            pad = max(pad, int(spec))
    return len(template) + len(fields) * (widest + pad)


def _format_args(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> list[Any]:
    found = [*args, *kwargs.values()]
    for a in list(found):
        if isinstance(a, Mapping):
            found.extend(a.values())
    return found


def _percent(template: Any, right: Any) -> None:
    if isinstance(template, str):
        items = list(right.values()) if isinstance(right, Mapping) else list(right) if isinstance(right, tuple) else [right]
        _expect(_format_size(template, items, percent=True), "formatting with %")


def _replace_size(text: str, old: Any, new: Any, count: Any = -1) -> int:
    if not (isinstance(old, str) and isinstance(new, str)):
        return len(text)
    times = len(text) + 1 if old == "" else text.count(old)
    if _number(count) and count >= 0:
        times = min(times, int(count))
    return len(text) + times * max(0, len(new) - len(old))


def _bounded_items(iterable: Any) -> list[Any]:
    """The items of ``iterable`` as a list, refused past :data:`MAX_SEQUENCE`."""
    items = list(itertools.islice(iterable, MAX_SEQUENCE + 1))
    if len(items) > MAX_SEQUENCE:
        raise TooBig(f"it would make a list of over {MAX_SEQUENCE:,} items")
    return items


def _str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Check a call of ``text.<name>(...)`` before it runs; the arguments to use
    (an iterator given to ``join`` is read once, here)."""
    given = [*args, *kwargs.values()]
    if name in ("center", "ljust", "rjust", "zfill"):
        for a in given[:1]:
            _width(a)
    elif name == "expandtabs":
        size = next(iter(given), 8)
        _width(size, "a tab size")
        _expect(len(text) + text.count("\t") * int(size or 0), "expandtabs()")
    elif name == "replace":
        _expect(_replace_size(text, *given[:3]), "replace()")
    elif name == "join" and given:
        items = _bounded_items(given[0])
        _expect(sum(_weight(i) for i in items) + len(text) * len(items), "join()")
        args, kwargs = (items,), {}
    elif name in ("format", "format_map"):
        _expect(_format_size(text, _format_args(args, kwargs), percent=False), f"{name}()")
    return args, kwargs


_GROWING = {"append": 1, "insert": 1, "add": 1, "setdefault": 1, "extend": None, "update": None}


def _grows(owner: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Check a list, dict or set method that adds items before it runs."""
    if name not in _GROWING:
        return args, kwargs
    more = _GROWING[name]
    if more is None:
        if args and not isinstance(args[0], (list, tuple, dict, set, frozenset, str)):
            args = (_bounded_items(args[0]), *args[1:])
        more = sum(len(a) for a in args if hasattr(a, "__len__")) + len(kwargs)
    if len(owner) + more > MAX_SEQUENCE:
        raise TooBig(f"{name}() would make a list of over {MAX_SEQUENCE:,} items")
    return args, kwargs


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with every value a template makes bounded (see the module)."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "//", "/", "-"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and ((_number(right) and abs(right) > MAX_POWER)
                                 or (_number(left) and abs(left) > MAX_POWER_BASE)):
            raise TooBig(f"{left!r} ** {right!r} is too large to compute")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    limit = MAX_TEXT if isinstance(seq, str) else MAX_SEQUENCE
                    if len(seq) * times > limit:
                        raise TooBig("repeating text or a list that many times would exhaust memory")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TooBig("the number would be too large")
        if operator == "%":
            _percent(left, right)
        if operator == "+" and isinstance(left, str) and isinstance(right, str):
            _expect(len(left) + len(right), "joining text")
        if operator == "+" and isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            if len(left) + len(right) > MAX_SEQUENCE:
                raise TooBig(f"it would make a list of over {MAX_SEQUENCE:,} items")
        return _made(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str):
            args, kwargs = _str_method(owner, name, args, kwargs)
        elif isinstance(owner, (list, dict, set)):
            args, kwargs = _grows(owner, name, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return result if isinstance(__obj, jinja2.runtime.Macro) else _made(result)

    def checked_parts(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a ``~`` expression, refused if together too long."""
        size = sum(_weight(p) for p in parts)
        _expect(size, "joining text with ~")
        _spend(size)
        return parts


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with ``a ~ b`` checked by :meth:`_Sandbox.checked_parts` first."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.checked_parts((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "round", "filesizeformat"}
_TEXT_FILTERS = {"string", "pprint", "tojson", "urlize", "e", "escape", "forceescape", "safe", "striptags",
                 "title", "capitalize", "upper", "lower", "trim", "wordcount", "urlencode", "xmlattr"}


def _check_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    """Check a filter's arguments before it runs; the value to give it."""
    given = [*args, *kwargs.values()]
    if name in _WIDTH_FILTERS:
        for a in given:
            _width(a)
    if name in _TEXT_FILTERS:
        _as_text(value, f"the {name} filter's text")
    elif name == "indent" and isinstance(value, str):
        width = given[0] if given else 4
        _expect(len(value) + value.count("\n") * (len(width) if isinstance(width, str) else int(width)), "indent")
    elif name == "replace" and isinstance(value, str):
        _expect(_replace_size(value, *given[:3]), "replace")
    elif name == "join":
        value = _bounded_items(value)
        separator = given[0] if given and isinstance(given[0], str) else ""
        _expect(sum(_weight(v) for v in value) + len(separator) * len(value), "join")
    elif name == "format" and isinstance(value, str):
        _expect(_format_size(value, _format_args(args, kwargs), percent=True), "format")
    elif name == "sum":
        value = _bounded_items(value)
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if not _number(start) and sum(len(v) for v in value if hasattr(v, "__len__")) > MAX_SEQUENCE:
            raise TooBig(f"sum would make a list of over {MAX_SEQUENCE:,} items")
    return value, args, kwargs


def _bounded(name: str, filter_func: Callable[..., Any]) -> Callable[..., Any]:
    passes = 1 if getattr(filter_func, "jinja_pass_arg", None) else 0

    @functools.wraps(filter_func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > passes:
            value, rest, kwargs = _check_filter(name, args[passes], args[passes + 1:], kwargs)
            args = (*args[:passes], value, *rest)
        return _made(filter_func(*args, **kwargs))

    return bounded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    """Jinja's placeholder text, at most :data:`MAX_LIPSUM_PARAGRAPHS` paragraphs of
    at most :data:`MAX_LIPSUM_WORDS` words."""
    from jinja2.utils import generate_lorem_ipsum

    if (not (_number(n) and _number(min) and _number(max)) or n > MAX_LIPSUM_PARAGRAPHS or max > MAX_LIPSUM_WORDS
            or min > MAX_LIPSUM_WORDS):
        raise TooBig(f"lipsum() is limited to {MAX_LIPSUM_PARAGRAPHS} paragraphs of {MAX_LIPSUM_WORDS:,} words")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def make_environment(autoescape: bool = True) -> SandboxedEnvironment:
    """The Jinja environment every formkit template runs in: sandboxed, strict,
    unoptimized (nothing is evaluated while compiling) and with every value a
    template makes bounded (see the module)."""
    env = _Sandbox(autoescape=autoescape, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                   optimized=False, finalize=lambda value: _as_text(value, "showing that value"))
    env.code_generator_class = _BoundedCodeGenerator
    env.filters = {name: _bounded(name, func) for name, func in env.filters.items()}
    env.globals["lipsum"] = _lipsum
    return env


class TextTemplate:
    """A short piece of template text (a PDF field's value in a field mapping),
    compiled once in the sandbox within :data:`COMPILE_SECONDS` and rendered
    within :data:`RENDER_SECONDS` to at most :data:`MAX_TEXT` characters: the
    same limits as a Word template.

    Raises TemplateError (naming ``where``) for a broken tag, one that reaches
    Python internals, asks for too much, or runs too long; any other failure (a
    field the data lacks) is the caller's to report for that pupil.
    """

    _env: SandboxedEnvironment | None = None

    def __init__(self, text: str, *, where: str, file: str | None = None) -> None:
        if TextTemplate._env is None:
            TextTemplate._env = make_environment(autoescape=False)
        self.where, self.text, self.file = where, text, file
        try:
            with time_limit(COMPILE_SECONDS):
                self._template = TextTemplate._env.from_string(text)
        except jinja2.TemplateSyntaxError as exc:
            raise self._error(f"has a broken tag ({(exc.message or 'syntax error').rstrip('.')})") from None
        except (RenderTimeout, RecursionError, MemoryError):
            raise self._error(f"took over {COMPILE_SECONDS:g} s to load; simplify its tags") from None

    def _error(self, what: str) -> TemplateError:
        return TemplateError(f"{self.where} ({self.text}) {what}", template=self.file)

    def render(self, context: Mapping[str, Any]) -> str:
        size = 0
        chunks = []
        try:
            with render_budget(), time_limit(RENDER_SECONDS):
                for chunk in self._template.generate(context):
                    size += len(chunk)
                    if size > MAX_TEXT:
                        raise TooBig(f"it would make text of over {MAX_TEXT:,} characters")
                    chunks.append(chunk)
        except RenderTimeout:
            raise self._error(f"took over {RENDER_SECONDS:g} s to fill in for one pupil; "
                              "a loop in it probably runs away") from None
        except TooBig as exc:
            raise self._error(f"asks for too much ({exc}); formkit refuses it") from None
        except SecurityError as exc:
            raise self._error(f"tries to reach Python internals ({str(exc).rstrip('.')}); it may only show data") from None
        return "".join(chunks)


__all__ = [
    "COMPILE_SECONDS", "MAX_INT_BITS", "MAX_LIPSUM_PARAGRAPHS", "MAX_LIPSUM_WORDS", "MAX_MADE", "MAX_OUTPUT_CHARS",
    "MAX_POWER", "MAX_POWER_BASE", "MAX_SEQUENCE", "MAX_TEXT", "MAX_WIDTH", "RENDER_SECONDS",
    "TextTemplate", "TooBig", "make_environment", "render_budget",
]
