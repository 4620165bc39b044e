"""The command line starts without loading what its command does not use.

``formkit --help`` loads no library wing and no third-party library but click;
``formkit register check`` on a CSV register loads the register wing but none of
openpyxl, pypdf, python-docx, docxtpl, Jinja2, matplotlib, icalendar or the web
framework. Each run is a fresh interpreter, so what it imported is exactly what
``sys.modules`` holds at the end. (How long start-up takes is measured by
``benchmarks/bench_startup.py``, not here.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

HEAVY = ("openpyxl", "numpy", "pypdf", "fontTools", "docx", "docxtpl", "jinja2", "matplotlib", "PIL", "icalendar",
         "starlette", "uvicorn", "multipart")

RUN = """
import json, sys
from formkit.cli import main
sys.argv = ["formkit", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("\\n" + json.dumps(sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if m.startswith("formkit.")})))
"""


def modules_loaded(*args: str) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(args)], capture_output=True, text=True, timeout=120,
                          check=True)
    output, _, last = done.stdout.rstrip().rpartition("\n")
    return output, set(json.loads(last))


def test_help_loads_no_library_wing_and_no_heavy_library():
    output, loaded = modules_loaded("--help")
    assert "register" in output and "provision-map" in output
    assert sorted(loaded & set(HEAVY)) == []
    assert "pydantic" not in loaded and "lxml" not in loaded
    wings = sorted(m for m in loaded if m.startswith("formkit.") and not m.startswith("formkit.cli"))
    assert wings == ["formkit.errors"]


def test_register_check_loads_only_what_reading_a_csv_register_needs():
    output, loaded = modules_loaded("register", "check", str(SAMPLES / "register.csv"))
    assert "30 rows read" in output
    assert sorted(loaded & set(HEAVY)) == []
    assert "formkit.register.pupils" in loaded and "formkit.model" in loaded
    assert "pydantic" not in loaded  # the records are checked without it
    assert sorted(m for m in loaded if m.startswith(("formkit.ooxml", "formkit.documents", "formkit.letters"))) == []


def test_register_check_reads_a_workbook_without_openpyxl_or_the_word_modules():
    output, loaded = modules_loaded("register", "check", str(SAMPLES / "register.xlsx"))
    assert "30 rows read" in output
    assert sorted(loaded & set(HEAVY)) == []
    assert sorted(m for m in loaded if m.startswith("formkit.ooxml")) == [
        "formkit.ooxml", "formkit.ooxml.cell_refs", "formkit.ooxml.cell_strings", "formkit.ooxml.formulas",
        "formkit.ooxml.number_formats", "formkit.ooxml.sheet_cells", "formkit.ooxml.sheet_values",
        "formkit.ooxml.sheet_xml", "formkit.ooxml.xlsx_package"]


def test_a_subcommands_help_shows_choices_and_help_the_library_gives():
    output, loaded = modules_loaded("read", "--help")
    assert "[auto|referral|iep-review|impact|parent-views|pupil-views]" in output
    output, _ = modules_loaded("generate", "letters", "--help")
    output = " ".join(output.split())  # click wraps the list where it likes
    assert "iep_cover, " in output and "or a .docx path." in output


def test_updating_the_provision_map_loads_no_spreadsheet_or_word_library(tmp_path):
    """Adding a row copies the row above's formulas (moved by formkit, not
    openpyxl) and changing a row reads only the map's XML: an impact records
    export goes in without openpyxl, numpy, python-docx, docxtpl, Jinja2 or pypdf."""
    workbook, source = tmp_path / "map.xlsx", tmp_path / "impact.json"
    subprocess.run([sys.executable, "-m", "formkit", "provision-map", "new", "--register", str(SAMPLES / "register.csv"),
                    "--provisions", str(SAMPLES / "provisions.xlsx"), "--out", str(workbook)], check=True,
                   capture_output=True, timeout=120)
    source.write_text(json.dumps([
        {"kind": "impact", "upn": "R801200021031", "pupil_name": "Sam Kirkwood", "intervention": "Lego-based therapy",
         "start_date": "2026-09-14", "exit_score": 55, "impact_rating": "+1"},
        {"kind": "impact", "upn": "R801200021031", "pupil_name": "Sam Kirkwood", "intervention": "Talk Boost KS2",
         "start_date": "2027-01-11", "entry_score": 71}]), encoding="utf-8")
    output, loaded = modules_loaded("provision-map", "update", str(workbook), "--from", str(source))
    assert "1 row updated, 1 row added" in output
    assert sorted(loaded & set(HEAVY)) == []
    assert sorted(m for m in loaded if m.startswith(("formkit.documents", "formkit.letters"))) == [
        "formkit.documents", "formkit.documents.context"]  # the forms' rating bands; no template engine
