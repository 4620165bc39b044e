"""A busy records store never half-does a run that writes documents and notes
them in the store. Another process holds the store's write lock, as another
formkit run storing records does; the command, in its own process, waits the
store's busy timeout, then exits 1 with the `Error:` line, having written no
document and no manifest, and stored nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formkit.records import RecordStore
from formkit.records.store import BUSY_SECONDS
from tests.hostile.test_hostile import REGISTER, TERM, contents
from tests.hostile.test_nothing_lost import busy, locked, refused, run

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")

RUNS = {
    "generate ieps": ["generate", "ieps", "--register", REGISTER, "--out", "out", *TERM],
    "generate letters": ["generate", "letters", "--register", REGISTER, "--letter", "iep_cover", "--out", "out",
                         *TERM, "--date", "2026-09-10"],
}


@pytest.mark.parametrize("command", list(RUNS))
def test_a_busy_store_stops_a_document_run_before_it_writes_anything(tmp_path: Path, command: str):
    work = tmp_path / "work"
    work.mkdir()
    store = tmp_path / "records.db"
    with locked(store, "IMMEDIATE"):
        code, output, seconds, peak = run([*RUNS[command], "--store", str(store)], work)
    refused(code, output, busy(store, "written or stored"), seconds, peak, wait=BUSY_SECONDS)
    assert contents(work) == [], "no document, no manifest"
    with RecordStore.open(store) as db:
        assert db.plans() == [] and db.db.execute("SELECT count(*) FROM letters_sent").fetchone() == (0,)
