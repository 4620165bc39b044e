"""Hostile and broken input: a clear one-line error, nothing written, nothing run,
within 5 s and 300 MB. Each case runs the real command in its own process.

The case files are in tests/hostile/cases/ (rebuild with build_cases.py); the
50 MB file is made here, sparse, at test time.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from formkit.resources import bundled

CASES = Path(__file__).resolve().parent / "cases"
REGISTER = str(bundled("samples", "register.xlsx"))
TERM = ["--term", "Autumn 2026"]
MAX_SECONDS = 5.0
MAX_RSS_MB = 300


@dataclass
class Case:
    name: str
    args: list[str]
    says: list[str]
    exit: int = 1
    files: list[str] = field(default_factory=list)


def ieps_with_template(case: str) -> list[str]:
    return ["generate", "ieps", "--register", REGISTER, "--out", "out", "--template", str(CASES / case), *TERM]


def ieps_with_register(case: str) -> list[str]:
    return ["generate", "ieps", "--register", str(CASES / case), "--out", "out", *TERM]


HOSTILE = [
    Case("template reaches Python internals", ieps_with_template("internals.docx"),
         ["internals.docx: {{ cycler.__init__.__globals__ }}", "tries to reach Python internals ('__init__')"]),
    Case("template walks the class hierarchy", ieps_with_template("mro.docx"),
         ["mro.docx: {{ ''.__class__.__mro__ }}", "tries to reach Python internals ('__class__')"]),
    Case("template asks for a field nobody has", ieps_with_template("missing-field.docx"),
         ["missing-field.docx", "{{ pupil.shoe_size }} in the paragraph \"Shoe size: {{ pupil.shoe_size }}\" needs 'shoe_size'"]),
    Case("template has an unclosed for", ieps_with_template("unclosed.docx"),
         ["unclosed.docx: a tag in the paragraph \"{% for t in targets %}{{ t.target }}\" is broken"]),
    Case("template has a broken tag", ieps_with_template("broken-tag.docx"),
         ["broken-tag.docx: a tag in the paragraph", "is broken (unexpected '}')"]),
    Case("template would exhaust memory", ieps_with_template("memory.docx"),
         ["memory.docx: a tag in the paragraph \"{{ 'x' * 900000000 }}\" asks for too much"]),
    Case("template loops without end", ieps_with_template("runaway.docx"),
         ["runaway.docx: the template took over 2 s to fill in for one pupil"]),
    Case("template is not a zip", ieps_with_template("not-a-zip.docx"),
         ["not-a-zip.docx: is not a Word document (.docx): it holds neither a Word or Excel package nor a PDF"]),
    Case("template is truncated", ieps_with_template("truncated.docx"),
         ["truncated.docx: is damaged or truncated (not a complete zip package); save it again"]),
    Case("template is a PDF named .docx", ieps_with_template("pdf-named.docx"),
         ["pdf-named.docx: is not a Word document (.docx): it holds a PDF"]),
    Case("template is a workbook named .docx", ieps_with_template("workbook-named.docx"),
         ["workbook-named.docx: is not a Word document: it holds an Excel workbook or another kind of package"]),
    Case("template is a zip bomb", ieps_with_template("zip-bomb.docx"),
         ["zip-bomb.docx: refused: its part word/media/zeros.bin would unpack to 209,715,200 bytes"]),
    Case("template expands entities", ieps_with_template("entities.docx"),
         ["entities.docx: refused: its part word/document.xml declares a DOCTYPE or entities"]),
    Case("template has an external entity", ieps_with_template("external-entity.docx"),
         ["external-entity.docx: refused: its part word/document.xml declares a DOCTYPE or entities"]),
    Case("register is not a zip", ieps_with_register("not-a-zip.xlsx"),
         ["not-a-zip.xlsx: this file is not an Excel workbook (.xlsx) or CSV file"]),
    Case("register is truncated", ieps_with_register("truncated.xlsx"),
         ["truncated.xlsx: is damaged or truncated (not a complete zip package); save it again"]),
    Case("register is a Word document named .xlsx", ieps_with_register("document-named.xlsx"),
         ["document-named.xlsx: this file is not an Excel workbook (.xlsx) or CSV file"]),
    Case("register is a zip bomb", ieps_with_register("zip-bomb.xlsx"),
         ["zip-bomb.xlsx: refused: its part xl/media/zeros.bin would unpack to 20,971,520 bytes"]),
    Case("register expands entities", ieps_with_register("entities.xlsx"),
         ["entities.xlsx: refused: its part xl/worksheets/sheet1.xml declares a DOCTYPE or entities"]),
    Case("register has an external entity", ieps_with_register("external-entity.xlsx"),
         ["external-entity.xlsx: refused: its part xl/worksheets/sheet1.xml declares a DOCTYPE or entities"]),
    Case("register is password-protected", ieps_with_register("password.xlsx"),
         ["password.xlsx: this file is password-protected or an old .xls workbook; remove the password"]),
    Case("register lacks required columns", ieps_with_register("missing-columns.csv"),
         ["missing-columns.csv, row 1: the heading row has no columns for DOB", "SEN Status"]),
    Case("register has only blank rows", ieps_with_register("blank-rows.csv"),
         ["blank-rows.csv: has a heading row but no pupils below it"]),
    Case("register has duplicate UPNs", ["register", "check", str(CASES / "duplicates.csv")],
         ["duplicates.csv, row 2, column 'UPN'", "UPN B801200005001 is on rows 2 and 3; keep one row per pupil"]),
    Case("register has an impossible date", ["register", "check", str(CASES / "impossible-date.csv")],
         ["impossible-date.csv, row 2, column 'DOB'", "31/02/2017 is not a real date"]),
    Case("register has a birth date in the future", ["register", "check", str(CASES / "future-dob.csv")],
         ["future-dob.csv, row 2, column 'DOB'", "the date of birth 01/02/2031 is in the future"]),
    *[Case(f"transfer file {what}", ["register", "check", str(CASES / name)], [f"{name}: {says}"])
      for what, name, says in [
          ("has a DOCTYPE", "ctf-doctype.xml", "refused: it declares a DOCTYPE or entities"),
          ("expands entities", "ctf-entities.xml", "refused: it declares a DOCTYPE or entities"),
          ("has an external entity", "ctf-external-entity.xml", "refused: it declares a DOCTYPE or entities"),
          ("hides entities in UTF-16", "ctf-utf16-entities.xml", "refused: it declares a DOCTYPE or entities"),
          ("hides entities in UTF-16 without a mark", "ctf-utf16-no-mark.xml",
           "refused: it declares a DOCTYPE or entities"),
          ("is nested without end", "ctf-deep.xml", "is not well-formed XML (line 1: Excessive depth in document"),
          ("is truncated", "ctf-truncated.xml", "is not well-formed XML (line 1: "),
      ]],
    Case("IEPs from a transfer file that expands entities", ieps_with_register("ctf-entities.xml"),
         ["ctf-entities.xml: refused: it declares a DOCTYPE or entities"]),
    Case("import from a transfer file that expands entities",
         ["register", "import", str(CASES / "ctf-entities.xml"), "--into", "register.xlsx"],
         ["ctf-entities.xml: refused: it declares a DOCTYPE or entities"]),
    Case("import into a register that expands entities",
         ["register", "import", str(Path(__file__).resolve().parents[1] / "data" / "ctf" / "transfer.xml"),
          "--into", str(CASES / "entities.xlsx")],
         ["entities.xlsx: refused: its part xl/worksheets/sheet1.xml declares a DOCTYPE or entities"]),
    Case("import into a register that is a zip bomb",
         ["register", "import", str(Path(__file__).resolve().parents[1] / "data" / "ctf" / "transfer.xml"),
          "--into", str(CASES / "zip-bomb.xlsx")],
         ["zip-bomb.xlsx: refused: its part xl/media/zeros.bin would unpack to 20,971,520 bytes"]),
    Case("form is an XFA-only PDF", ["read", str(CASES / "xfa-only.pdf"), "--out", "records.json"],
         ["xfa-only.pdf: is an XFA form (made with Adobe LiveCycle Designer)"]),
    Case("form is not a zip", ["read", str(CASES / "not-a-zip.docx"), "--out", "records.json"],
         ["not-a-zip.docx: is not a Word document (.docx)"]),
    Case("form is a zip bomb", ["read", str(CASES / "zip-bomb.docx"), "--out", "records.csv"],
         ["zip-bomb.docx: refused: its part word/media/zeros.bin would unpack to 209,715,200 bytes"]),
    Case("form expands entities", ["read", str(CASES / "entities.docx"), "--out", "records.xlsx"],
         ["entities.docx: refused: its part word/document.xml declares a DOCTYPE or entities"]),
    Case("form tracker is password-protected", ["read", str(CASES / "password.xlsx"), "--out", "records.json"],
         ["password.xlsx: is password-protected"]),
    Case("unknown option", ["generate", "ieps", "--registr", "x.xlsx"], ["Error: No such option '--registr'.", "'--register'"], exit=2),
]


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """Run formkit in its own process: exit code, output, seconds, peak MB."""
    out_path = cwd.parent / f"{cwd.name}.output"
    with out_path.open("wb") as sink:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "formkit", *args], cwd=cwd, stdout=sink, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    output = out_path.read_text(encoding="utf-8", errors="replace")
    return proc.returncode, output, seconds, usage.ru_maxrss / 1024


def contents(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_hostile_input_is_refused_cleanly(case: Case, tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured(case.args, work)
    assert code == case.exit, output
    error_lines = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert error_lines, output
    for text in case.says:
        assert any(text in line for line in error_lines), (text, output)
    assert "Traceback" not in output
    assert contents(work) == [], "something was written"
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    assert peak_mb < MAX_RSS_MB, f"used {peak_mb:.0f} MB"


@pytest.mark.parametrize("command, name", [(["register", "check"], "big.xlsx"), (["templates", "check"], "big.docx"),
                                           (["register", "check"], "big.xml")])
def test_a_50_mb_file_is_refused_before_reading(tmp_path: Path, command: list[str], name: str):
    big = tmp_path / name
    with big.open("wb") as f:
        f.write(b"<CTfile>" if name.endswith(".xml") else b"PK\x03\x04")
        f.truncate(50 * 1024 * 1024)
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured([*command, str(big)], work)
    assert code == 1
    assert f"Error: {big}: is 50 MB; formkit reads files up to 20 MB." in output
    assert contents(work) == [] and seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB


def test_a_transfer_file_with_too_many_pupils_is_refused_within_bounds(tmp_path: Path):
    pupil = (b"<Pupil><UPN>B801200005001</UPN><Surname>Nowak</Surname><Forename>Ola</Forename><DOB>2018-02-01</DOB>"
             b"<BasicDetails><NCyearActual>3</NCyearActual></BasicDetails></Pupil>")
    count = 19 * 1024 * 1024 // len(pupil)
    (tmp_path / "many.xml").write_bytes(b"<CTfile><CTFpupilData>" + pupil * count + b"</CTFpupilData></CTfile>")
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured(["register", "check", str(tmp_path / "many.xml")], work)
    assert code == 1 and "Traceback" not in output
    assert f"Error: {tmp_path / 'many.xml'}: holds more than 5,000 pupils; formkit reads up to 5,000" in output
    assert contents(work) == [] and seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB, (seconds, peak_mb)


def test_a_tag_split_across_runs_still_works(tmp_path: Path):
    code, output, _, _ = run_measured(ieps_with_template("split-runs.docx") + ["--only", "Z801200026004"], tmp_path)
    assert code == 0, output
    import docx

    [path] = list((tmp_path / "out").rglob("*.docx"))
    assert "Name: Zoë Whitmore" in [p.text for p in docx.Document(str(path)).paragraphs]


def test_names_with_path_characters_stay_inside_the_output_folder(tmp_path: Path):
    code, output, _, _ = run_measured(ieps_with_register("path-names.csv"), tmp_path)
    assert code == 0, output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".docx"]
    assert len(written) == 2
    for path in written:
        assert path.resolve().is_relative_to((tmp_path / "out" / "Year 3").resolve())
    assert not (tmp_path.parent / "evil").exists()


def test_cells_starting_with_formula_characters_are_written_as_text(tmp_path: Path):
    code, output, _, _ = run_measured(ieps_with_register("formulas.csv"), tmp_path)
    assert code == 0, output
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    names = [row["name"] for row in rows]
    assert names == ["'+SUM(1) =HYPERLINK(\"http://x\")", "Ola -2+3"]
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@"), value


WORKBOOK_CASES = [
    ("zip-bomb.xlsx", "refused: its part xl/media/zeros.bin would unpack to 20,971,520 bytes"),
    ("entities.xlsx", "refused: its part xl/worksheets/sheet1.xml declares a DOCTYPE or entities"),
    ("password.xlsx", "is password-protected"),
    ("truncated.xlsx", "is damaged or truncated"),
    ("document-named.xlsx", "is not an Excel workbook (.xlsx): its main part word/document.xml is not a workbook"),
]


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize(("case", "says"), WORKBOOK_CASES, ids=[c for c, _ in WORKBOOK_CASES])
def test_a_hostile_provision_map_is_refused_and_left_as_it_was(tmp_path: Path, case: str, says: str):
    folder = tmp_path / "maps"
    folder.mkdir()
    workbook = folder / "Provision map.xlsx"
    workbook.write_bytes((CASES / case).read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured(
        ["provision-map", "update", str(workbook), "--from", str(bundled("samples", "provisions.xlsx"))], work)
    assert code == 1, output
    assert f"Error: {workbook}: {says}" in output
    assert workbook.read_bytes() == (CASES / case).read_bytes()
    assert contents(folder) == ["Provision map.xlsx"] and contents(work) == []
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB


def test_an_oversized_records_file_is_refused(tmp_path: Path):
    big = tmp_path / "records.json"
    with big.open("wb") as f:
        f.write(b'{"records": [')
        f.truncate(30 * 1024 * 1024)
    workbook = tmp_path / "map.xlsx"
    workbook.write_bytes(bundled("templates", "xlsx", "provision_map.xlsx").read_bytes())
    code, output, _, _ = run_measured(["provision-map", "update", str(workbook), "--from", str(big)], tmp_path)
    assert code == 1
    assert f"Error: {big}: is 30 MB; formkit reads files up to 20 MB." in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.xlsx", "records.json"]
