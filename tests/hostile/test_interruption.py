"""A batch killed half-way leaves no truncated file, and running the same
command again completes the rest."""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from stdnum.gb import upn as upn_check

PUPILS = 300


def write_register(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "SEN Status", "Primary Need"])
        for i in range(PUPILS):
            body = f"8012000{30 + i // 1000:02d}{i % 1000:03d}"
            out.writerow([upn_check.calc_check_digit(body) + body, f"Surname{i:04d}", "Sam", "01/02/2018", "Y3", "K", "SPLD"])


def command(tmp_path: Path) -> list[str]:
    return [sys.executable, "-m", "formkit", "generate", "ieps", "--register", str(tmp_path / "register.csv"),
            "--out", str(tmp_path / "out"), "--term", "Autumn 2026"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_batch_leaves_no_truncated_file_and_a_rerun_completes_it(tmp_path: Path):
    write_register(tmp_path / "register.csv")
    out = tmp_path / "out"
    proc = subprocess.Popen(command(tmp_path), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(out.rglob("*.docx"))) < 40:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    first = {p: p.read_bytes() for p in out.rglob("*.docx")}
    assert 40 <= len(first) < PUPILS, "the batch was not interrupted half-way"
    for path in first:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
        docx.Document(str(path))
    assert not (out / "manifest.csv").exists()

    rerun = subprocess.run(command(tmp_path), cwd=tmp_path, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{PUPILS - len(first)} IEPs written, {len(first)} kept (already there), 0 failed" in rerun.stdout
    assert len(list(out.rglob("*.docx"))) == PUPILS
    assert not list(out.rglob(".formkit-*"))
    for path, data in first.items():
        assert path.read_bytes() == data
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == PUPILS
