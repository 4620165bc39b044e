"""Term-start speed: formkit's batch against the plain docxtpl loop, in one run.

Builds a synthetic register of N invented pupils (4 targets each) as a CSV and a
targets CSV, then times, on the same template and the same contexts:

  baseline  docxtpl loop: DocxTemplate(path), render, save, per pupil
  formkit   generate(), one process (--jobs 1)
  formkit   generate(), two processes (--jobs 2)
  cli       `formkit generate ieps --jobs 2` as a user runs it (wall time,
            including start-up and reading the register)

and prints documents per second and the ratios. Targets (issue 2): formkit at
least 10x the baseline per document on one core; 1000 IEPs under 3 s of wall
time with --jobs 2 on a 2-core machine.

    python benchmarks/bench_ieps.py [--pupils 1000] [--baseline-pupils 200] [--template iep]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate
from stdnum.gb import upn as upn_check

from formkit.documents.batch import generate, resolve_template, select_pupils
from formkit.documents.context import build_context
from formkit.register.pupils import load_register
from formkit.settings import load_settings
from formkit.resources import bundled
from formkit.documents.sandbox import make_environment

FORENAMES = ["Zoë", "Amir", "Chloé", "Łukasz", "Siobhán", "Kwame", "Aisha", "Oliver", "Priya", "Tomás"]
SURNAMES = ["O'Connor", "Smith-Nwosu", "Wiśniewski", "Begum", "D'Souza", "Okafor", "Hughes", "Ferreira"]
NEEDS = ["SPLD", "SLCN", "ASD", "SEMH", "MLD", "HI"]


def write_register(folder: Path, pupils: int) -> tuple[Path, Path]:
    register, targets = folder / "register.csv", folder / "targets.csv"
    with register.open("w", newline="", encoding="utf-8") as reg, targets.open("w", newline="", encoding="utf-8") as tgt:
        r, t = csv.writer(reg), csv.writer(tgt)
        r.writerow(["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "Reg Group", "SEN Status", "Primary Need", "Pronouns", "Strengths", "Concerns", "Parents Can Support By"])
        t.writerow(["UPN", "Area", "Target", "Achievement Criteria", "Resources", "Strategies", "Baseline %"])
        for i in range(pupils):
            body = f"8012000{20 + i // 1000:02d}{i % 1000:03d}"
            upn = upn_check.calc_check_digit(body) + body
            year = 1 + i % 6
            r.writerow([upn, SURNAMES[i % len(SURNAMES)], FORENAMES[i % len(FORENAMES)], f"{1 + i % 28:02d}/0{1 + i % 9}/{2019 - year}",
                        f"Y{year}", f"{year}A", "K - SEN Support" if i % 5 else "E - EHC Plan", NEEDS[i % len(NEEDS)], ["he", "she", "they"][i % 3],
                        "Kind to others; loves drawing & building", "Reading fluency; working memory", "Reading together for ten minutes each evening"])
            for n in range(4):
                t.writerow([upn, "Cognition and learning", f"Target {n + 1}: to read and spell 20 common exception words",
                            "8 out of 10 times across one week", "Precision teaching & word cards", "Visual prompts; chunked instructions", 30 + n * 10])
    return register, targets


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--baseline-pupils", type=int, default=200, help="pupils for the (slow) docxtpl loop")
    parser.add_argument("--template", default="iep")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="formkit-bench-"))
    try:
        register_file, targets_file = write_register(work, args.pupils)
        settings = load_settings(None, cwd=bundled("samples"))
        term = min(settings.school.terms, key=lambda t: t.start)
        today = term.start
        read_time = timed(lambda: load_register(register_file, targets=targets_file))
        register = load_register(register_file, targets=targets_file)
        pupils = select_pupils(register)
        assert len(pupils) == args.pupils, f"read {len(pupils)} of {args.pupils} pupils: {register.problems[:3]}"
        template = resolve_template(args.template, settings)
        contexts = [build_context(p, settings.school, term, today) for p in pupils[: args.baseline_pupils]]

        def docxtpl_loop() -> None:
            out = work / "docxtpl"
            out.mkdir()
            for i, context in enumerate(contexts):
                doc = DocxTemplate(str(template))
                doc.render(context, jinja_env=make_environment())
                doc.save(str(out / f"{i}.docx"))

        base = timed(docxtpl_loop)
        one = timed(lambda: generate(register, settings, work / "j1", template=template, term=term.name, today=today, jobs=1))
        two = timed(lambda: generate(register, settings, work / "j2", template=template, term=term.name, today=today, jobs=2))
        cli = timed(lambda: subprocess.run(
            [sys.executable, "-m", "formkit", "generate", "ieps", "--register", str(register_file), "--targets", str(targets_file),
             "--out", str(work / "cli"), "--template", str(template), "--term", term.name, "--jobs", "2"],
            check=True, capture_output=True, cwd=bundled("samples"),
        ))
        written = len(list((work / "j1").rglob("*.docx")))
        assert written == args.pupils, f"formkit wrote {written} of {args.pupils}"

        base_rate = len(contexts) / base
        rate_one, rate_two = args.pupils / one, args.pupils / two
        print(f"template: {template.name}; pupils: {args.pupils} (baseline on {len(contexts)}); 4 targets each")
        print(f"reading the register (CSV + targets): {read_time:.2f} s")
        print(f"baseline docxtpl loop        : {base_rate:8.1f} docs/s  ({1000 * base / len(contexts):.1f} ms/doc)")
        print(f"formkit generate, --jobs 1   : {rate_one:8.1f} docs/s  ({1000 * one / args.pupils:.1f} ms/doc)  {rate_one / base_rate:5.1f}x baseline (target >= 10x)")
        print(f"formkit generate, --jobs 2   : {rate_two:8.1f} docs/s  ({two:.2f} s for {args.pupils})  {rate_two / base_rate:5.1f}x baseline")
        print(f"formkit CLI, --jobs 2 (wall) : {cli:.2f} s for {args.pupils} IEPs, start-up and register included (target < 3 s for 1000)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
