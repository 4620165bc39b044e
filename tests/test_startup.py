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
        "formkit.ooxml", "formkit.ooxml.cell_refs", "formkit.ooxml.cell_strings", "formkit.ooxml.number_formats",
        "formkit.ooxml.sheet_values", "formkit.ooxml.sheet_xml", "formkit.ooxml.xlsx_package"]


def test_a_subcommands_help_shows_choices_and_help_the_library_gives():
    output, loaded = modules_loaded("read", "--help")
    assert "[auto|referral|iep-review|impact|parent-views|pupil-views]" in output
    output, _ = modules_loaded("generate", "letters", "--help")
    output = " ".join(output.split())  # click wraps the list where it likes
    assert "iep_cover, " in output and "or a .docx path." in output
