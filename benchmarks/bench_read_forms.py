"""Reading returned forms: formkit's reader against its floor and python-docx, in one run.

Builds N filled intervention impact forms (invented pupils; content controls set
as a teacher would), then times, on one core:

  floor     unzip, parse and walk: each form's zip opened, its main document,
            headers and footers inflated and parsed with lxml, every element
            visited; nothing read from them (no reader can do less)
  baseline  python-docx: Document(path) for each form, then walking every
            content control (w:sdt) for its tag and text; no typing, matching
            or report (so it does less than formkit)
  formkit   read_forms(folder, register): guard checks, sha256, controls by
            tag (the table model is not built when tags find every field, and a
            header or footer with no control is not parsed), typed values,
            register matching, the per-file report

and prints forms per second and the ratios, with the load average (the machine
may be shared; the floor and formkit are timed in turn, ``--rounds`` times, and
the best of each kept). Targets: issue 4, 1000 forms read into records in under 5 s on
one core; issue 16, in under 0.6 s, and (since the floor itself is slower on a
slower machine) no more than 1.3 times the floor measured in the same run.

    python benchmarks/bench_read_forms.py [--forms 1000] [--baseline-forms 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import docx
from lxml import etree
from stdnum.gb import upn as upn_check

from formkit.ooxml import fill_document
from formkit.forms.read import read_forms
from formkit.forms.generate import FormTemplate, form_context
from formkit.forms.fields import FormsConfig
from formkit.model import Pupil
from formkit.register.pupils import Register
from formkit.resources import bundled
from formkit.settings import load_settings

FORENAMES = ["Zoë", "Amir", "Chloé", "Łukasz", "Siobhán", "Kwame", "Aisha", "Oliver", "Priya", "Tomás"]
SURNAMES = ["O'Connor", "Smith-Nwosu", "Wiśniewski", "Begum", "D'Souza", "Okafor", "Hughes", "Ferreira"]
FLOOR_RATIO = 1.3
"""A stricter target as a ratio to the floor, set here when the floor alone took 0.6 s."""
ISSUE_FLOOR = 0.29
"""Issue 16's floor for 1000 forms on its own machine (seconds): its 0.6 s is about 2.1x that."""
INTERVENTIONS = ["Lexia", "Precision teaching", "Lego-based therapy", "Talk Boost", "Numicon catch-up"]


def pupils(n: int) -> list[Pupil]:
    found = []
    for i in range(n):
        body = f"8012000{20 + i // 1000:02d}{i % 1000:03d}"
        found.append(Pupil(upn=upn_check.calc_check_digit(body) + body, legal_forename=FORENAMES[i % 10],
                           legal_surname=SURNAMES[i % 8], dob=date(2017, 1, 1) + timedelta(days=i % 900),
                           year=1 + i % 6, sen_status="K", primary_need="SPLD"))
    return found


def build(folder: Path, people: list[Pupil]) -> None:
    settings = load_settings(None, cwd=bundled("samples"))
    template = FormTemplate(bundled("templates", "docx", "forms", "impact.docx"), FormsConfig())
    for i, pupil in enumerate(people):
        blank = template.render(form_context(pupil, settings, "Autumn 2026", date(2026, 9, 3)), pupil=pupil.label)
        filled = fill_document(blank, {
            "intervention": INTERVENTIONS[i % 5], "delivered_by": "Mrs Ellis (TA)", "start_date": date(2026, 9, 14),
            "end_date": date(2026, 12, 4), "sessions_planned": "24", "sessions_attended": str(18 + i % 7),
            "entry_measure": "Standardised score", "entry_score": str(70 + i % 20), "exit_score": str(80 + i % 20),
            "impact_rating": ["-1", "0", "+1", "+2"][i % 4], "comment": "Reads with more confidence & speed",
            "next_step": "Continue next term"})
        (folder / f"form-{i:04d}.docx").write_bytes(filled)


def floor(files: list[Path]) -> int:
    """Unzip, parse and walk: the parts formkit reads (main document, headers,
    footers), every element visited; returns how many elements were seen."""
    seen = 0
    for path in files:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n == "word/document.xml" or n.startswith(("word/header", "word/footer"))]
            for name in names:
                for _ in etree.fromstring(zf.read(name)).iter():
                    seen += 1
    return seen


def baseline(files: list[Path]) -> int:
    found = 0
    tag = docx.oxml.ns.qn("w:tag")
    val = docx.oxml.ns.qn("w:val")
    text = docx.oxml.ns.qn("w:t")
    for path in files:
        document = docx.Document(str(path))
        for sdt in document.element.body.iter(docx.oxml.ns.qn("w:sdt")):
            el = sdt.find(f".//{tag}")
            if el is not None and el.get(val):
                "".join(t.text or "" for t in sdt.iter(text))
                found += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--baseline-forms", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="floor and formkit timed this many times, best kept")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="formkit-bench-read-"))
    try:
        people = pupils(args.forms)
        start = time.perf_counter()
        build(work, people)
        print(f"built {args.forms} filled impact forms in {time.perf_counter() - start:.1f} s")
        register = Register("bench", people, [], len(people))
        files = sorted(work.glob("*.docx"))
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        least = ours = float("inf")
        for _ in range(args.rounds):  # the floor and formkit in turn, the best of each: a shared machine's noise
            start = time.perf_counter()
            elements = floor(files)
            least = min(least, time.perf_counter() - start)
            start = time.perf_counter()
            report = read_forms([work], register=register)
            ours = min(ours, time.perf_counter() - start)
        start = time.perf_counter()
        controls_seen = baseline(files[:args.baseline_forms])
        base = time.perf_counter() - start
        assert len(report.records) == args.forms and report.ok, report.text()[-500:]
        assert all(r.upn for r in report.records)
        base_rate = args.baseline_forms / base
        rate = args.forms / ours
        print(f"floor     unzip, parse, walk: {args.forms} forms in {least:.2f} s ({elements} elements;"
              f" floor and formkit: best of {args.rounds} rounds)")
        print(f"baseline  python-docx Document() + walk controls: {args.baseline_forms} forms in {base:.2f} s"
              f" ({base_rate:.0f} forms/s, {controls_seen} tagged controls)")
        print(f"formkit   read_forms(): {args.forms} forms into typed, matched records in {ours:.2f} s"
              f" ({rate:.0f} forms/s)")
        print(f"ratio     formkit is {rate / base_rate:.1f}x the python-docx baseline per form, and takes"
              f" {ours / least:.2f}x the floor")
        scaled = ours * 1000 / args.forms
        ratio = ours / least
        print(f"targets   per 1000 forms {scaled:.2f} s: under 5 s (issue 4) {'met' if scaled < 5 else 'NOT met'};"
              f" under 0.6 s (issue 16) {'met' if scaled < 0.6 else 'NOT met'}"
              f" (floor {least * 1000 / args.forms:.2f} s); at most {FLOOR_RATIO}x the floor"
              f" {'met' if ratio <= FLOOR_RATIO else 'NOT met'} ({ratio:.2f}x); issue 16's own ratio, 0.6 s"
              f" against its {ISSUE_FLOOR} s floor ({0.6 / ISSUE_FLOOR:.2f}x),"
              f" {'met' if ratio <= 0.6 / ISSUE_FLOOR else 'NOT met'}")
        return 0 if ours < 5 * args.forms / 1000 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
