"""The sandbox every formkit template runs in, and the limits on what it may cost.

Beyond Jinja's own sandbox (no attribute starting with '_', no unsafe methods),
operators that could build a huge string or number are refused, filters that pad
text are bounded, and :class:`time_limit` stops a render that runs too long.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_OUTPUT_CHARS = 32 * 1024 * 1024
MAX_SEQUENCE = 100_000
RENDER_SECONDS = 2.0


class TooBig(SecurityError):
    """A tag would use more memory or time than any document needs."""


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with the arithmetic that can exhaust memory or time bounded:
    repeating text or lists, huge powers, and padding widths."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (_big(right, 64) or _big(left, 10**6)):
            raise TooBig(f"{left!r} ** {right!r} is too large to compute")
        if operator == "*" and (_long(left, right) or _long(right, left)):
            raise TooBig("repeating text or a list that many times would exhaust memory")
        if operator == "%" and isinstance(left, str) and re.search(r"\d{5,}", left):
            raise TooBig("a format width that large would exhaust memory")
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT_CHARS:
            raise TooBig("joining text that long would exhaust memory")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None) or getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        if owner.__class__ is str and (
            any(_big(a, 10_000) for a in args) or (__obj.__name__ in ("format", "format_map") and re.search(r"\d{5,}", owner))
        ):
            raise TooBig(f"{__obj.__name__}() with a width that large would exhaust memory")
        return super().call(__context, __obj, *args, **kwargs)


def _big(value: Any, limit: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > limit


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _long(seq: Any, times: Any) -> bool:
    return isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE


def make_environment(autoescape: bool = True) -> SandboxedEnvironment:
    """The Jinja environment every formkit template runs in: sandboxed and strict.

    Beyond Jinja's sandbox (no attribute starting with '_', no unsafe methods),
    operators that could build a huge string or number are refused, and filters
    that pad text are bounded.
    """
    env = _Sandbox(autoescape=autoescape, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    for name in ("center", "indent", "wordwrap", "truncate", "format"):
        env.filters[name] = _bounded(env.filters[name])
    return env


def _bounded(filter_func: Any) -> Any:
    import functools

    @functools.wraps(filter_func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if any(_big(a, 10_000) for a in [*args[1:], *kwargs.values()]) or (
            args and isinstance(args[0], str) and filter_func.__name__ == "do_format" and re.search(r"\d{5,}", args[0])
        ):
            raise TooBig("a width that large would exhaust memory")
        return filter_func(*args, **kwargs)

    return bounded


class RenderTimeout(Exception):
    pass


class time_limit:
    """Raise RenderTimeout in the main thread after ``seconds`` (POSIX; elsewhere no limit)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False

    def __enter__(self) -> None:
        import signal
        import threading

        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.active = True

    @staticmethod
    def _expire(signum: int, frame: Any) -> None:
        raise RenderTimeout()

    def __exit__(self, *exc: object) -> None:
        if self.active:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


__all__ = ["MAX_OUTPUT_CHARS", "MAX_SEQUENCE", "RENDER_SECONDS", "RenderTimeout", "TooBig", "make_environment", "time_limit"]
