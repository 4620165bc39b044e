"""Nothing the user has is overwritten or lost without a word. Each case runs the
real command in its own process: an `Error:` line naming the file, exit 1, the
user's file byte for byte as it was, nothing half-done, within 5 s and 300 MB
(the busy store case waits the store's busy timeout first).
"""

from __future__ import annotations

import fcntl
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from formkit.records import RecordStore
from formkit.records.store import BUSY_SECONDS
from formkit.resources import bundled
from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS, contents

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")

TRACKER = Path(__file__).resolve().parents[1] / "data" / "forms" / "tracker.xlsx"
PROVISIONS = str(bundled("samples", "provisions.xlsx"))
BLANK_MAP = bundled("templates", "xlsx", "provision_map.xlsx")


def run(args: list[str], cwd: Path, *, file_limit: int | None = None, timeout: float = 60
        ) -> tuple[int, str, float, float]:
    """formkit in its own process (optionally unable to write files over
    ``file_limit`` bytes, as on a full disk; killed after ``timeout`` s): exit
    code, output, seconds, peak MB."""
    def limit() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    out_path = cwd.parent / f"{cwd.name}.output"
    with out_path.open("wb") as sink:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "formkit", *args], cwd=cwd, stdout=sink,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=limit)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        seconds = time.monotonic() - start
    output = out_path.read_text(encoding="utf-8", errors="replace")
    return os.waitstatus_to_exitcode(status), output, seconds, usage.ru_maxrss / 1024


def refused(code: int, output: str, says: str, seconds: float, peak_mb: float, *, wait: float = 0) -> None:
    assert code == 1, output
    assert "Traceback" not in output, output
    assert says in [line for line in output.splitlines() if line.startswith("Error: ")], output
    assert seconds < MAX_SECONDS + wait, f"took {seconds:.1f} s"
    assert peak_mb < MAX_RSS_MB, f"used {peak_mb:.0f} MB"


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """A folder with the SENCo's provision map (updated once, as in use) and an empty work folder."""
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "Provision map.xlsx").write_bytes(BLANK_MAP.read_bytes())
    (tmp_path / "work").mkdir()
    return folder


def refuse_not_records(out: str) -> str:
    return (f"Error: {out}: already exists and is not a records file formkit wrote, so formkit will not replace it; "
            "give another file name, or add --overwrite to replace it")


def test_records_export_never_replaces_the_provision_map(school: Path, tmp_path: Path):
    workbook = school / "Provision map.xlsx"
    before = workbook.read_bytes()
    RecordStore.open(tmp_path / "records.db", create=True).close()
    code, output, seconds, peak = run(["records", "export", "--out", str(workbook), "--store",
                                       str(tmp_path / "records.db")], tmp_path / "work")
    refused(code, output, refuse_not_records(str(workbook)), seconds, peak)
    assert workbook.read_bytes() == before and contents(school) == ["Provision map.xlsx"]


def test_read_never_replaces_the_provision_map_nor_stores_half_a_run(school: Path, tmp_path: Path):
    workbook = school / "Provision map.xlsx"
    before = workbook.read_bytes()
    code, output, seconds, peak = run(["read", str(TRACKER), "--out", str(workbook), "--store",
                                       str(tmp_path / "records.db")], tmp_path / "work")
    refused(code, output, refuse_not_records(str(workbook)), seconds, peak)
    assert workbook.read_bytes() == before and not (tmp_path / "records.db").exists()


def test_an_update_through_a_link_sees_the_lock_beside_the_real_workbook(school: Path, tmp_path: Path):
    real = school / "Provision map.xlsx"
    before = real.read_bytes()
    (school / ".~lock.Provision map.xlsx#").write_text("someone,at,their,desk")
    link = tmp_path / "work" / "map.xlsx"
    link.symlink_to(real)
    code, output, seconds, peak = run(["provision-map", "update", "map.xlsx", "--from", PROVISIONS], tmp_path / "work")
    refused(code, output, "Error: map.xlsx: is open in LibreOffice (its lock file .~lock.Provision map.xlsx# is beside "
            "it); close the workbook and run formkit again. If LibreOffice is not running, the lock was left by a "
            "crash: delete .~lock.Provision map.xlsx#", seconds, peak)
    assert link.is_symlink() and real.read_bytes() == before


def test_an_update_through_a_link_changes_the_real_workbook_and_keeps_the_link(school: Path, tmp_path: Path):
    real = school / "Provision map.xlsx"
    before = real.read_bytes()
    link = tmp_path / "work" / "map.xlsx"
    link.symlink_to(real)
    code, output, _, _ = run(["provision-map", "update", "map.xlsx", "--from", PROVISIONS], tmp_path / "work")
    assert code == 0, output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() != before and b"X801200026022" in _sheet_bytes(real)


def _sheet_bytes(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/"))


def test_a_read_only_workbook_is_refused_not_replaced(school: Path, tmp_path: Path):
    workbook = school / "Provision map.xlsx"
    before = workbook.read_bytes()
    workbook.chmod(0o444)
    code, output, seconds, peak = run(["provision-map", "update", str(workbook), "--from", PROVISIONS],
                                      tmp_path / "work")
    refused(code, output, f"Error: {workbook}: is read-only, so formkit will not replace it; make it writable "
            "(uncheck Read-only in its Properties, or chmod u+w) and run formkit again", seconds, peak)
    assert workbook.read_bytes() == before and workbook.stat().st_mode & 0o777 == 0o444
    assert contents(school) == ["Provision map.xlsx"]


def test_a_killed_runs_temporary_copy_is_swept_and_a_live_ones_kept(school: Path, tmp_path: Path):
    workbook = school / "Provision map.xlsx"
    stale = school / ".formkit-k1lled00.part.xlsx"
    stale.write_bytes(workbook.read_bytes())
    live = school / ".formkit-w0rking0.part.xlsx"
    live.write_bytes(b"another run is writing this")
    with live.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, output, seconds, _ = run(["provision-map", "update", str(workbook), "--from", PROVISIONS],
                                       tmp_path / "work")
    assert code == 0, output
    assert not stale.exists() and live.exists()
    assert [p for p in contents(school) if p.startswith(".formkit-")] == [live.name]
    assert seconds < MAX_SECONDS


def test_a_full_disk_during_an_update_leaves_the_workbook_and_no_copy(school: Path, tmp_path: Path):
    workbook = school / "Provision map.xlsx"
    before = workbook.read_bytes()
    code, output, seconds, peak = run(["provision-map", "update", str(workbook), "--from", PROVISIONS],
                                      tmp_path / "work", file_limit=4096)
    refused(code, output, f"Error: {workbook}: cannot be written (File too large); nothing was changed", seconds, peak)
    assert workbook.read_bytes() == before and contents(school) == ["Provision map.xlsx"]


def test_a_full_disk_during_an_export_names_the_file(tmp_path: Path):
    (tmp_path / "work").mkdir()
    code, output, _, _ = run(["read", str(TRACKER), "--store", str(tmp_path / "records.db")], tmp_path / "work")
    assert code == 0, output
    out = tmp_path / "records.json"
    code, output, seconds, peak = run(["records", "export", "--out", str(out), "--store",
                                       str(tmp_path / "records.db")], tmp_path / "work", file_limit=1024)
    refused(code, output, f"Error: {out}: cannot be written (File too large); nothing was changed", seconds, peak)
    assert not out.exists() and [p for p in contents(tmp_path) if ".formkit-" in p] == []


@contextmanager
def locked(store: Path, how: str) -> Iterator[None]:
    """A new empty store, locked by another connection (``how``: IMMEDIATE, the
    write lock a run storing records takes; EXCLUSIVE, no reading either)."""
    RecordStore.open(store, create=True).close()
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute(f"BEGIN {how}")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def busy(store: Path, nothing_was: str) -> str:
    return (f"Error: {store}: the store is busy: another program (another formkit run?) has had it locked for over "
            f"{BUSY_SECONDS} s, so nothing was {nothing_was}; try again when it has finished")


def test_a_busy_store_is_waited_for_then_named_busy_and_nothing_is_half_done(tmp_path: Path):
    (tmp_path / "work").mkdir()
    store = tmp_path / "records.db"
    with locked(store, "EXCLUSIVE"):
        code, output, seconds, peak = run(["read", str(TRACKER), "--store", str(store), "--out", "records.json"],
                                          tmp_path / "work")
    refused(code, output, busy(store, "read or stored"), seconds, peak, wait=BUSY_SECONDS)
    assert seconds >= BUSY_SECONDS
    assert not (tmp_path / "work" / "records.json").exists()
    with RecordStore.open(store) as db:
        assert db.records() == []


def test_a_manifest_that_cannot_be_written_is_named(tmp_path: Path):
    """A write that fails at the end of a batch (here manifest.csv, with a folder
    in its place; a full disk is the same OSError) is an Error: line naming the
    file, not a traceback; the IEP already written is whole and no temporary is
    left."""
    out = tmp_path / "work" / "out"
    (out / "manifest.csv").mkdir(parents=True)
    code, output, seconds, peak = run(["generate", "ieps", "--register", str(bundled("samples", "register.xlsx")),
                                       "--out", "out", "--term", "Autumn 2026", "--only", "X801200026022"],
                                      tmp_path / "work")
    refused(code, output, "Error: out/manifest.csv: cannot be written (Is a directory); nothing was changed", seconds,
            peak)
    [iep] = [p for p in out.rglob("*.docx")]
    assert iep.name == "Chaudhry, Aarav (X801200026022) - IEP - Autumn 2026.docx" and iep.read_bytes()[:2] == b"PK"
    assert [p for p in contents(out) if ".formkit-" in p] == []
