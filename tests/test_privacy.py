"""Privacy by default: no pupil data in logs or the audit log, private output."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from pathlib import Path

import docx
from click.testing import CliRunner

from formkit import audit
from formkit.cli import cli
from formkit.register.pupils import load_register
from formkit.resources import bundled

from tests.conftest import fill_in_school, make_docx

REGISTER = bundled("samples", "register.xlsx")


def pupil_strings() -> list[str]:
    pupils = load_register(REGISTER).pupils
    return [p.upn for p in pupils] + [p.surname for p in pupils] + [p.legal_forename for p in pupils]


def workspace(tmp_path: Path) -> Path:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "school")])
    assert result.exit_code == 0
    fill_in_school(tmp_path / "school" / "formkit.toml")
    return tmp_path / "school"


def test_audit_log_records_the_run_without_pupil_data(tmp_path):
    ws = workspace(tmp_path)
    out = tmp_path / "IEPs"
    result = CliRunner().invoke(cli, ["--config", str(ws / "formkit.toml"), "generate", "ieps", "--register", str(REGISTER),
                                      "--out", str(out), "--term", "Autumn 2026", "--only", "Z801200026004"])
    assert result.exit_code == 0, result.output
    log = ws / "formkit-audit.jsonl"
    [entry] = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert entry["command"] == "generate ieps"
    assert entry["templates"] == ["iep.docx"]
    assert (entry["pupils"], entry["documents"], entry["where"], entry["outcome"]) == (
        1, 1, audit.place(ws, out), "ok")
    assert entry["where"].startswith("outside the workspace, #")
    text = log.read_text(encoding="utf-8")
    for secret in pupil_strings():
        assert secret not in text
    if os.name == "posix":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_audit_log_is_appended_to(tmp_path):
    ws = workspace(tmp_path)
    for _ in range(2):
        CliRunner().invoke(cli, ["--config", str(ws / "formkit.toml"), "generate", "ieps", "--register", str(REGISTER),
                                 "--out", str(tmp_path / "o"), "--term", "Autumn 2026"])
    entries = [json.loads(line) for line in (ws / "formkit-audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["documents"] for e in entries] == [23, 0]


def test_log_lines_up_to_info_hold_no_pupil_data_even_when_pupils_fail(tmp_path, caplog):
    template = make_docx(tmp_path / "four.docx", ["{{ pupil.name }} {{ targets[3].target }}"])
    with caplog.at_level(logging.INFO, logger="formkit"):
        result = CliRunner().invoke(cli, ["-v", "generate", "ieps", "--register", str(REGISTER), "--out", str(tmp_path / "o"),
                                          "--template", str(template), "--term", "Autumn 2026"])
    assert result.exit_code == 1
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "written" in logged
    for secret in pupil_strings():
        assert secret not in logged


def test_generated_documents_are_marked_confidential(tmp_path):
    out = tmp_path / "o"
    CliRunner().invoke(cli, ["generate", "ieps", "--register", str(REGISTER), "--out", str(out), "--term", "Autumn 2026"])
    for path in out.rglob("*.docx"):
        properties = docx.Document(io.BytesIO(path.read_bytes())).core_properties
        assert properties.category == "Confidential: SEN information (special category data)"


def test_letters_forms_and_reading_are_audited_without_pupil_data(tmp_path):
    ws = workspace(tmp_path)
    config = ["--config", str(ws / "formkit.toml")]
    runs = [
        ["generate", "letters", "--register", str(REGISTER), "--letter", "iep_cover", "--out", str(tmp_path / "letters"),
         "--term", "Autumn 2026", "--date", "2026-09-10"],
        ["generate", "forms", "--kind", "impact", "--register", str(REGISTER), "--out", str(tmp_path / "forms"),
         "--term", "Autumn 2026"],
        ["read", str(bundled("samples", "returned")), "--register", str(REGISTER), "--out", str(tmp_path / "r.json")],
    ]
    for args in runs:
        result = CliRunner().invoke(cli, config + args)
        assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in (ws / "formkit-audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["command"] for e in entries] == ["generate letters", "generate forms", "read"]
    assert entries[0]["documents"] == 24 and entries[1]["documents"] == 23 and entries[2]["documents"] == 11
    text = (ws / "formkit-audit.jsonl").read_text(encoding="utf-8")
    for secret in pupil_strings():
        assert secret not in text
    for folder in ("letters", "forms"):
        if os.name == "posix":
            assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700


def test_provision_map_runs_are_audited_but_a_dry_run_is_not(tmp_path):
    ws = workspace(tmp_path)
    config = ["--config", str(ws / "formkit.toml")]
    workbook = tmp_path / "Provision map.xlsx"
    provisions = str(bundled("samples", "provisions.xlsx"))
    returned = str(bundled("samples", "returned"))
    for args in (["provision-map", "new", "--register", str(REGISTER), "--provisions", provisions, "--out", str(workbook)],
                 ["provision-map", "update", str(workbook), "--from", returned, "--register", str(REGISTER), "--dry-run"],
                 ["provision-map", "update", str(workbook), "--from", returned, "--register", str(REGISTER)]):
        result = CliRunner().invoke(cli, config + args)
        assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in (ws / "formkit-audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["command"], e["where"]) for e in entries] == [
        ("provision-map new", audit.place(ws, workbook)), ("provision-map update", audit.place(ws, workbook))]
    text = (ws / "formkit-audit.jsonl").read_text(encoding="utf-8")
    for secret in pupil_strings():
        assert secret not in text
