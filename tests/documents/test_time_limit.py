"""Template time limits hold in every thread: the web page renders in worker
threads, and a signal-based limit (the main thread's alone) set none there."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from formkit.documents.deadline import RenderTimeout, time_limit
from formkit.documents.sandbox import TextTemplate
from formkit.documents.template import CompiledTemplate
from formkit.errors import TemplateError

RUNAWAY = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _in_a_thread(work: Callable[[], Any], wait: float = 6.0) -> tuple[BaseException | None, float]:
    """What ``work`` raised in a worker thread, and how long it took; fails if it
    is still running after ``wait`` seconds (the thread is a daemon, left behind)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        start = time.monotonic()
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run, daemon=True, name="formkit-test-worker")
    thread.start()
    thread.join(wait)
    assert not thread.is_alive(), f"still running after {wait:g} s: no time limit in a worker thread"
    return outcome.get("error"), outcome["seconds"]


def test_a_runaway_template_is_stopped_in_a_worker_thread(docx_factory):
    compiled = CompiledTemplate(docx_factory(RUNAWAY))
    error, seconds = _in_a_thread(lambda: compiled.render({}))
    assert isinstance(error, TemplateError) and "took over 2 s to fill in for one pupil" in str(error)
    assert seconds < 4


def test_a_template_too_slow_to_load_is_stopped_in_a_worker_thread(docx_factory):
    path = docx_factory("{{ a }}" * 100_000)
    error, seconds = _in_a_thread(lambda: CompiledTemplate(path))
    assert isinstance(error, TemplateError) and "took over 2 s to load" in str(error)
    assert seconds < 4


def test_a_field_mapping_value_is_stopped_in_a_worker_thread():
    def fill() -> None:
        TextTemplate(RUNAWAY, where="field 'School'").render({})

    error, seconds = _in_a_thread(fill)
    assert isinstance(error, TemplateError) and "took over 2 s to fill in for one pupil" in str(error)
    assert seconds < 4


def test_each_thread_has_its_own_limit(docx_factory):
    """A runaway render in one thread stops only that one; an ordinary render
    beside it, started later, finishes."""
    runaway = CompiledTemplate(docx_factory(RUNAWAY, name="runaway.docx"))
    ordinary = CompiledTemplate(docx_factory("Name: {{ name }}", name="ordinary.docx"))
    results: dict[str, Any] = {}

    def slow_then_ordinary() -> None:
        time.sleep(1.5)
        for _ in range(200):
            results["doc"] = ordinary.render({"name": "Amir"})
            time.sleep(0.005)

    beside = threading.Thread(target=slow_then_ordinary, daemon=True)
    beside.start()
    error, _ = _in_a_thread(lambda: runaway.render({}))
    beside.join(10)
    assert isinstance(error, TemplateError)
    assert not beside.is_alive() and results["doc"].startswith(b"PK")


def test_a_limit_never_fires_after_its_block():
    """Blocks that end before, at or after their limit leave nothing pending: the
    code after them runs on undisturbed, in the main thread and in a worker. (The
    watchdog needs the GIL, which a busy thread gives up every 5 ms, so some
    blocks run well past the limit to be sure some are stopped.)"""

    def straddle() -> int:
        stopped = 0
        for i in range(150):
            try:
                with time_limit(0.002):
                    end = time.monotonic() + 0.001 * (i % 15)
                    while time.monotonic() < end:
                        pass
            except RenderTimeout:
                stopped += 1
            end = time.monotonic() + 0.004
            while time.monotonic() < end:
                pass
        return stopped

    assert straddle() > 0
    error, _ = _in_a_thread(straddle, wait=20)
    assert error is None


def test_an_inner_limit_never_extends_the_outer_one():
    start = time.monotonic()
    with pytest.raises(RenderTimeout):
        with time_limit(0.3):
            with time_limit(5):
                while True:
                    pass
    assert time.monotonic() - start < 1


def _runaway_in_child(queue: Any) -> None:
    try:
        with time_limit(0.3):
            while True:
                pass
    except RenderTimeout:
        queue.put("stopped")


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_the_limit_holds_in_a_forked_worker():
    """generate ieps --jobs forks its workers, after the parent has already used a
    limit; each child needs its own watchdog."""
    with time_limit(1):
        pass
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_runaway_in_child, args=(queue,))
    child.start()
    child.join(5)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive and queue.get(timeout=1) == "stopped"
