"""Time limits on loading and filling in a template, holding in any thread.

One watchdog thread per process keeps every open :class:`time_limit`. When one
expires, it raises :class:`RenderTimeout` in the thread that opened it, with
CPython's ``PyThreadState_SetAsyncExc`` (as a signal handler raises in the main
thread, but in any thread: the page renders in worker threads, where a
``SIGALRM`` limit set none). The exception arrives between two Python
bytecodes, so whatever the thread is doing in Python (Jinja's lexer, parser and
code generator, docxtpl's patching, a template's loop) stops there; a single
call into C runs to its end first, which is why the sandbox bounds the size of
every such call before it runs.

RenderTimeout is a BaseException, so code in the block that catches
``Exception`` (Jinja does, in places) cannot swallow it. Each limit fires once
and is then forgotten; a block that ends is forgotten first (under the
watchdog's lock), then any exception raised but not yet delivered is
withdrawn, so nothing is raised after the block. A limit opened while the same
thread is already within one sets none: the outer one bounds it. A forked child
(``--jobs`` workers) starts its own watchdog.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from typing import Any

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.restype = ctypes.c_int


class RenderTimeout(BaseException):
    """A template took longer than its time limit to load or to fill in."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in the thread at its next bytecode check; None
    withdraws one not yet delivered."""
    _set_async_exc(ctypes.c_ulong(thread_id), None if exception is None else ctypes.py_object(exception))


class _Watchdog:
    """The thread that raises RenderTimeout in each block past its deadline."""

    def __init__(self) -> None:
        self._wake = threading.Condition(threading.Lock())
        self._open: dict[int, time_limit] = {}
        self._thread: threading.Thread | None = None

    def watch(self, limit: time_limit) -> bool:
        """Keep ``limit``; False (kept not) when its thread is already within one."""
        with self._wake:
            if limit.thread_id in self._open:
                return False
            self._open[limit.thread_id] = limit
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="formkit-time-limit", daemon=True)
                self._thread.start()
            self._wake.notify()
            return True

    def forget(self, limit: time_limit) -> None:
        """After this returns the watchdog never raises for ``limit``."""
        with self._wake:
            if self._open.get(limit.thread_id) is limit:
                del self._open[limit.thread_id]

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                for thread_id, limit in list(self._open.items()):
                    if limit.due <= now:
                        del self._open[thread_id]
                        limit.fired = True
                        _raise_in(thread_id, RenderTimeout)
                self._wake.wait(min((limit.due for limit in self._open.values()), default=now + 3600) - now)


_watchdog = _Watchdog()


def _after_fork() -> None:
    global _watchdog
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_after_fork)


class time_limit:
    """Raise RenderTimeout in the calling thread if the block takes over ``seconds``.

    Holds in every thread and process. Within a limit, another one in the same
    thread sets none (the outer one bounds it, and is never extended). Use it
    directly inside ``try: ... except RenderTimeout``: the exception may arrive
    while the block is being left.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.due = 0.0
        self.fired = False
        self.thread_id = 0
        self.kept = False

    def __enter__(self) -> None:
        self.thread_id = threading.get_ident()
        self.fired = False
        self.due = time.monotonic() + self.seconds
        self.kept = _watchdog.watch(self)

    def __exit__(self, *exc: Any) -> None:
        if self.kept:
            _watchdog.forget(self)
            if self.fired:
                _raise_in(self.thread_id, None)


__all__ = ["RenderTimeout", "time_limit"]
