"""Long jobs in the background: one thread each, their progress to poll.

A page starts a job under a key (what it does and with what), and the browser
polls the job's progress. Starting a job whose key is already running gives
back the running one, so a second click never starts the same work twice.
Closing the tab stops nothing: the job runs to its end, and the library's
whole-file writes mean no half-written file is ever left. A FormkitError ends
the job with the same 'Error: ...' text the command line prints.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import FormkitError

log = logging.getLogger("formkit.web")
State = Literal["running", "done", "failed"]
KEEP = 50


@dataclass
class Job:
    """One job: ``done`` of ``total`` steps (total 0 while not yet known),
    ``stage`` in words, and at the end its ``result`` or ``error``."""

    id: str
    key: str
    title: str
    kind: str
    total: int = 0
    done: int = 0
    stage: str = ""
    state: State = "running"
    result: Any = None
    error: str = ""
    started: float = field(default_factory=time.time)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def advance(self, steps: int = 1) -> None:
        with self._lock:
            self.done += steps

    def expect(self, total: int) -> None:
        with self._lock:
            self.total = total

    def say(self, stage: str) -> None:
        self.stage = stage

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def progress(self) -> dict[str, Any]:
        """What the page polls."""
        return {"state": self.state, "done": self.done, "total": self.total, "percent": self.percent,
                "stage": self.stage, "error": self.error}


class Jobs:
    """The jobs of one server: started, looked up by id, waited for at the end."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self, key: str, title: str, kind: str, work: Callable[[Job], Any], total: int = 0) -> Job:
        """Run ``work(job)`` in a thread, or give back the job with ``key`` that is
        still running."""
        with self._lock:
            running = next((j for j in self._jobs.values() if j.key == key and j.state == "running"), None)
            if running is not None:
                return running
            job = Job(secrets.token_urlsafe(12), key, title, kind, total=total)
            self._jobs[job.id] = job
            for old in [j for j in self._jobs.values() if j.state != "running"][:-KEEP]:
                del self._jobs[old.id]
            thread = threading.Thread(target=self._run, args=(job, work), name=f"formkit-{kind}")
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job

    def _run(self, job: Job, work: Callable[[Job], Any]) -> None:
        try:
            job.result = work(job)
            job.state = "done"
        except FormkitError as exc:
            job.error = f"Error: {exc}"
            job.state = "failed"
        except Exception as exc:  # a bug: say so without pupil data (no message, no values)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            log.error("job %s (%s) hit a bug: %s at %s:%s", job.id, job.kind, type(exc).__name__,
                      where.filename.rsplit("/", 1)[-1], where.lineno)
            job.error = ("Error: formkit hit a problem it did not expect, and stopped. Files already written are "
                         "whole; please report this to formkit's developers.")
            job.state = "failed"

    def get(self, job_id: str, kind: str | None = None) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and (kind is None or job.kind == kind) else None

    def latest(self, kind: str) -> Job | None:
        found = [j for j in self._jobs.values() if j.kind == kind]
        return max(found, key=lambda j: j.started) if found else None

    def running(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.state == "running"]

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every job to end; False if some were still running at ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)
