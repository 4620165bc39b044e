"""The records store, exports, history, and the forms demo."""

from __future__ import annotations

import csv
import json
import os
import stat
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formkit.cli import cli
from formkit.errors import InputFileError
from formkit.records.exports import write_records
from formkit.ooxml import fill_document
from formkit.forms.read import read_forms
from formkit.demo.forms import run_forms_demo
from formkit.records.store import RecordStore, StoreError

from tests.formhelpers import REGISTER, blank_form

DATA = Path(__file__).resolve().parents[1] / "data" / "forms"
T1 = datetime(2026, 12, 11, 9, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 12, 12, 9, 0, tzinfo=timezone.utc)
IMPACT_COLUMNS = ["kind", "upn", "pupil_name", "intervention", "delivered_by", "start_date", "end_date",
                  "sessions_planned", "sessions_attended", "entry_measure", "entry_score", "exit_score",
                  "impact_rating", "comment", "next_step", "source_file", "source_sha256", "imported_at"]


def impact_form(path: Path, **changes) -> Path:
    values = {"intervention": "Lexia", "start_date": date(2026, 9, 7), "sessions_planned": "30",
              "sessions_attended": "28", "impact_rating": "+1", "comment": "=SUM(A1:A9) reads faster"}
    path.write_bytes(fill_document(blank_form("impact", "R801200021031"), values | changes))
    return path


def test_same_file_twice_changes_nothing_and_a_changed_resubmission_supersedes(tmp_path):
    first = impact_form(tmp_path / "a.docx")
    store_path = tmp_path / "store.sqlite"
    with RecordStore.open(store_path, create=True) as store:
        summary = store.import_report(read_forms([first], register=REGISTER, now=T1), now=T1)
        assert (len(summary.added), len(summary.superseded), len(summary.unchanged)) == (1, 0, 0)
        again = store.import_report(read_forms([first], register=REGISTER, now=T2), now=T2)
        assert (len(again.added), len(again.superseded), len(again.unchanged)) == (0, 0, 1)
        changed = impact_form(tmp_path / "a (2).docx", sessions_attended="29")
        later = store.import_report(read_forms([changed], register=REGISTER, now=T2), now=T2)
        assert (len(later.added), len(later.superseded), len(later.unchanged)) == (0, 1, 0)
        assert [s.record.values["sessions_attended"] for s in store.records()] == [29]
        history = store.history("r801200021031")
        assert [(s.record.values["sessions_attended"], s.current) for s in history] == [(28, False), (29, True)]
        assert history[0].superseded_by == history[1].id
        other = impact_form(tmp_path / "b.docx", intervention="Toe by Toe")
        assert len(store.import_report(read_forms([other], register=REGISTER)).added) == 1
        assert len(store.records()) == 2 and len(store.records(history=True)) == 3
        replay = store.import_report(read_forms([first], register=REGISTER))
        assert len(replay.unchanged) == 1 and len(store.records(history=True)) == 3
    if os.name == "posix":
        assert stat.S_IMODE(store_path.stat().st_mode) == 0o600


def test_history_text_via_cli(tmp_path):
    store = tmp_path / "s.sqlite"
    runner = CliRunner()
    runner.invoke(cli, ["read", str(impact_form(tmp_path / "a.docx")), "--register", str(REGISTER.file),
                        "--store", str(store)])
    runner.invoke(cli, ["read", str(impact_form(tmp_path / "c.docx", sessions_attended="30")), "--register",
                        str(REGISTER.file), "--store", str(store)])
    result = runner.invoke(cli, ["records", "history", "R801200021031", "--store", str(store)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Sam Kirkwood (R801200021031): the cycle term by term"
    assert "  Provision: Lexia (from 07/09/2026, impact +1; impact form)" in lines
    lines = lines[lines.index("2 records for Sam Kirkwood (R801200021031):"):]
    assert "impact Lexia, 2026-09-07 [superseded" in lines[1] and "by #2] from a.docx (sha256 " in lines[1]
    assert "impact Lexia, 2026-09-07 [current] from c.docx" in lines[2]
    none = runner.invoke(cli, ["records", "history", "B801200005001", "--store", str(store)])
    assert none.output == "Nothing in the store for UPN B801200005001.\n"


def test_exports_have_the_contract_columns_and_never_formulas(tmp_path):
    report = read_forms([impact_form(tmp_path / "a.docx"), DATA / "appendix-a.docx"], register=REGISTER, now=T1)
    write_records(tmp_path / "r.csv", report.records)
    write_records(tmp_path / "r.json", report.records)
    write_records(tmp_path / "r.xlsx", report.records)
    rows = list(csv.reader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:2] == ["kind", "upn"] and rows[0][-3:] == ["source_file", "source_sha256", "imported_at"]
    by_kind = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    impact, referral = by_kind["impact"], by_kind["referral"]
    assert impact["comment"] == "'=SUM(A1:A9) reads faster"
    assert impact["impact_rating"] == "'+1" and impact["start_date"] == "2026-09-07"
    assert referral["areas_of_need"] == "Communication and interaction; Social, emotional and mental health"
    objects = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert list(objects[0]) == IMPACT_COLUMNS and objects[0]["imported_at"] == "2026-12-11T09:00:00+00:00"
    assert objects[0]["sessions_planned"] == 30 and objects[0]["impact_rating"] == "+1"
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book["Impact"]
    assert [c.value for c in sheet[1]] == IMPACT_COLUMNS
    cells = {h: c for h, c in zip(IMPACT_COLUMNS, sheet[2])}
    assert cells["comment"].data_type == "s" and cells["comment"].value == "=SUM(A1:A9) reads faster"
    assert cells["impact_rating"].value == "+1" and cells["start_date"].value == datetime(2026, 9, 7)
    assert book.sheetnames == ["Referrals", "Impact"]


def test_records_export_cli_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    missing = runner.invoke(cli, ["records", "export", "--out", "x.json"])
    assert missing.exit_code == 1
    assert missing.output == ("Error: there is no records store here: give --store FILE, or run in a workspace made"
                              " by 'formkit init'\n")
    gone = runner.invoke(cli, ["records", "export", "--out", "x.json", "--store", "nope.sqlite"])
    assert gone.output == ("Error: nope.sqlite: no records store here; import forms first with 'formkit read FILES"
                           " --store nope.sqlite', or give the right --store\n")
    Path("fake.sqlite").write_text("hello", encoding="utf-8")
    fake = runner.invoke(cli, ["records", "export", "--out", "x.json", "--store", "fake.sqlite"])
    assert fake.exit_code == 1 and fake.output.startswith("Error: fake.sqlite: is not a formkit records database")
    runner.invoke(cli, ["read", str(impact_form(tmp_path / "a.docx")), "--store", "s.sqlite"])
    result = runner.invoke(cli, ["records", "export", "--out", "all.xlsx", "--store", "s.sqlite", "--history"])
    assert result.output == "1 record written to all.xlsx.\n"
    header = [c.value for c in load_workbook("all.xlsx")["Impact"][1]]
    assert header == IMPACT_COLUMNS + ["record_id", "status"]
    bad = runner.invoke(cli, ["records", "export", "--out", "x.txt", "--store", "s.sqlite"])
    assert bad.output == "Error: x.txt: must end in .json, .csv or .xlsx\n"


def test_workspace_store_is_the_default(tmp_path, monkeypatch):
    runner = CliRunner()
    runner.invoke(cli, ["init", str(tmp_path / "ws")])
    monkeypatch.chdir(tmp_path / "ws")
    result = runner.invoke(cli, ["read", str(DATA / "legacy.docx")])
    assert "Records store " + str(tmp_path / "ws" / "formkit-records.sqlite") in result.output
    assert runner.invoke(cli, ["records", "export", "--out", "r.json"]).output == "1 record written to r.json.\n"


def test_store_refuses_a_newer_schema(tmp_path):
    import sqlite3

    path = tmp_path / "new.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(StoreError, match="was made by a newer formkit"):
        RecordStore.open(path)
    with pytest.raises(InputFileError):
        (tmp_path / "x.sqlite").write_bytes(b"PK\x03\x04junk")
        RecordStore.open(tmp_path / "x.sqlite")


def test_forms_demo_generates_reads_and_stores(tmp_path):
    report = run_forms_demo(tmp_path / "demo", now=T1)
    assert report.ok, report.text()
    assert {k: r.count("written") for k, r in report.generated.items()} == {"referral": 8, "iep-review": 23,
                                                                             "impact": 23}
    assert report.read.count("rejected") == 0 and len(report.read.records) == 11
    assert len(report.imported.added) == 11
    text = report.text()
    assert "9 files: 8 read, 1 read with warnings, 0 rejected; 11 records." in text
    assert text.endswith("11 added, 0 replacing an earlier version (kept as history), 0 unchanged (already in the"
                         " store).")
    again = run_forms_demo(tmp_path / "demo", now=T2)
    assert len(again.imported.unchanged) == 11
