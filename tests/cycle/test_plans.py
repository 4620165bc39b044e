"""Plans recorded by generate ieps, review forms pre-filled from them, and IEPs
of a reviewed term showing each target's outcome (through the CLI)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
from click.testing import CliRunner
from openpyxl import Workbook

from formkit.cli import cli
from formkit.files import sha256
from formkit.records import RecordStore
from formkit.resources import bundled

REGISTER = str(bundled("samples", "register.xlsx"))
DECLAN = "C801200024004"
RETURNED = bundled("samples", "returned", "O'Connor, Declan - IEP review.docx")


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def tables(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def only_file(folder: Path, pattern: str) -> Path:
    [found] = sorted(folder.rglob(pattern))
    return found


def test_generate_ieps_records_each_plan_with_the_documents_sha(tmp_path):
    store = tmp_path / "s.sqlite"
    output = run("generate", "ieps", "--register", REGISTER, "--out", str(tmp_path / "IEPs"), "--term", "Autumn 2026",
                 "--store", str(store))
    assert "Records store " + str(store) + ": 23 plans recorded, 0 replacing" in output
    manifest = {row["upn"]: row for row in csv.DictReader((tmp_path / "IEPs" / "manifest.csv").open(encoding="utf-8-sig"))}
    with RecordStore.open(store) as db:
        [plan] = db.plans_for(DECLAN)
    assert plan.term == "Autumn 2026" and plan.template == "iep.docx"
    assert plan.document == manifest[DECLAN]["file"]
    assert plan.document_sha256 == sha256((tmp_path / "IEPs" / plan.document).read_bytes())
    assert [t.baseline for t in plan.targets] == [35, 45, 40]
    assert plan.targets[0].target == "To read and spell the 20 Year 2 common exception words from the class list"
    again = run("generate", "ieps", "--register", REGISTER, "--out", str(tmp_path / "IEPs"), "--term", "Autumn 2026",
                "--store", str(store))
    assert "0 plans recorded, 0 replacing the term's earlier plan (kept as history), 23 unchanged." in again


def test_without_a_store_the_run_says_plans_are_not_kept(tmp_path):
    output = run("generate", "ieps", "--register", REGISTER, "--out", str(tmp_path / "IEPs"), "--only", DECLAN)
    assert "Plans not kept in a records store: give --store FILE, or run in a workspace made by 'formkit init'." in output


def targets_file(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Targets"
    sheet.append(["UPN", "Target", "Baseline %"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_review_forms_list_the_recorded_plans_targets_not_the_sheets(tmp_path):
    store = tmp_path / "s.sqlite"
    mine = targets_file(tmp_path / "mine.xlsx", [(DECLAN, "To count to 50 forwards and back", 30),
                                                  (DECLAN, "To read 10 tricky words", 20)])
    run("generate", "ieps", "--register", REGISTER, "--targets", str(mine), "--out", str(tmp_path / "IEPs"),
        "--term", "Autumn 2026", "--only", DECLAN, "--store", str(store))
    output = run("generate", "forms", "--kind", "iep-review", "--register", REGISTER, "--out", str(tmp_path / "F"),
                 "--term", "Autumn 2026", "--only", DECLAN, "--store", str(store))
    assert "Targets from the term's recorded plans: 1 pupils" in output
    text = "\n".join(" | ".join(row) for row in tables(only_file(tmp_path / "F", "*.docx")))
    assert "To count to 50 forwards and back" in text and "To read 10 tricky words" in text
    assert "common exception words" not in text
    spring = run("generate", "forms", "--kind", "iep-review", "--register", REGISTER, "--out", str(tmp_path / "G"),
                 "--term", "Spring 2027", "--only", DECLAN, "--store", str(store))
    assert "recorded plans: 0 pupils" in spring
    assert "common exception words" in "\n".join(" | ".join(r) for r in tables(only_file(tmp_path / "G", "*.docx")))


def test_an_iep_for_a_reviewed_term_shows_each_targets_outcome(tmp_path):
    store = tmp_path / "s.sqlite"
    base = ["generate", "ieps", "--register", REGISTER, "--term", "Autumn 2026", "--only", DECLAN, "--store", str(store)]
    run(*base, "--out", str(tmp_path / "before"))
    run("read", str(RETURNED), "--register", REGISTER, "--store", str(store))
    output = run(*base, "--out", str(tmp_path / "after"))
    assert "1 IEPs show the outcomes of their Autumn 2026 review." in output
    assert "0 plans recorded, 1 replacing the term's earlier plan" in output
    rows = tables(only_file(tmp_path / "after", "*.docx"))
    outcomes = [row[-1] for row in rows if row[0].startswith("To ")]
    assert outcomes == ["Partly achieved (70%): Reads all 20 words; spells 14 of 20",
                        "Partly achieved (50-74%): Reads ai, ee and igh words; oa not yet secure",
                        "Achieved (100%)"]
    before = [row[-1] for row in tables(only_file(tmp_path / "before", "*.docx")) if row[0].startswith("To ")]
    assert before == ["", "", ""]
    with RecordStore.open(store) as db:
        plans = db.plans_for(DECLAN, history=True)
    assert [p.current for p in plans] == [False, True]
    assert plans[0].targets == plans[1].targets and plans[1].targets[0].outcome == ""
    smart = run(*base, "--template", "iep_smart", "--out", str(tmp_path / "smart"))
    assert "1 IEPs show the outcomes" in smart
    achieved = [row for row in tables(only_file(tmp_path / "smart", "*.docx")) if "exception words" in row[1 if len(row) > 1 else 0]]
    assert any("70%" in cell for row in achieved for cell in row), achieved
