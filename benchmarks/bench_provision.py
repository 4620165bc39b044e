"""Provision map update speed: formkit's in-place update against its floor and openpyxl, in one run.

For each size (default 3,000 and 20,000 rows: a third as many invented pupils x
3 interventions), builds a provision map with `formkit provision-map new`, and an
impact records export (JSON, the forms reader's format) holding 200 records: 100
for existing rows (end date, exit score, rating, comment) and 100 for new
interventions. Then times, on fresh copies of the same workbook:

  formkit   update_map(): read and check the package, match rows (their key
            columns only), plan the changes, splice them into the sheet XML,
            verify the new file opens and reads back, keep a backup, replace
            the workbook atomically
  floor     unzip every member and zip it again: what any in-place update costs
  baseline  openpyxl: load_workbook, set the same cells, append the same rows,
            save (what a script using openpyxl would do; it also loses
            everything openpyxl does not model, which formkit keeps)
  command   `formkit provision-map update MAP --from impact.json` in a fresh
            interpreter, as a SENCo runs it: start-up and imports included,
            against `python -c pass` (the imports alone from -X importtime)

and prints the best of --repeat runs of each (openpyxl once above 5,000 rows),
the ratios and the load average (the machine may be shared). Targets (issue
16): 200 changed rows into a 3,000-row map under 0.3 s; 20,000 rows under 1 s.

    python benchmarks/bench_provision.py [--rows 3000 20000] [--changes 200] [--repeat 3] [--no-openpyxl]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from stdnum.gb import upn as upn_check

from formkit.provision.update import new_map, update_map
from formkit.settings import load_settings
from formkit.resources import bundled

INTERVENTIONS = ("Toe by Toe", "Precision teaching", "Lego-based therapy", "ELSA", "Zones of Regulation",
                 "Speech & language programme", "Fine motor skills group", "Numicon catch-up")
ROLES = ("Teaching assistant", "HLTA", "Learning mentor", "Teacher")


def upn(i: int) -> str:
    body = f"8012000{20 + i // 1000:02d}{i % 1000:03d}"
    return upn_check.calc_check_digit(body) + body


def write_inputs(folder: Path, rows: int, changes: int) -> tuple[Path, Path, Path]:
    pupils = rows // 3
    register, provisions, impact = folder / "register.csv", folder / "provisions.csv", folder / "impact.json"
    with register.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "Reg Group", "SEN Status",
                    "Primary Need"])
        for i in range(pupils):
            year = 1 + i % 6
            w.writerow([upn(i), f"Surname{i}", f"Forename{i}", f"{1 + i % 28:02d}/0{1 + i % 9}/{2019 - year}",
                        f"Y{year}", f"{year}A", "K - SEN Support", ("SPLD", "SLCN", "SEMH", "PD")[i % 4]])
    start = date(2026, 9, 7)
    with provisions.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["UPN", "Intervention", "Wave", "Delivered By", "Group Size", "Sessions per Week",
                    "Minutes per Session", "Start Date", "Entry Measure", "Entry Score"])
        for r in range(rows):
            w.writerow([upn(r // 3), INTERVENTIONS[r % len(INTERVENTIONS)], "Wave 2", ROLES[r % 4], 1 + r % 4,
                        1 + r % 5, 15 + 5 * (r % 4), (start + timedelta(days=7 * (r % 3))).strftime("%d/%m/%Y"),
                        "Standardised score", 70 + r % 20])
    records = []
    half = changes // 2
    for k in range(half):
        r = k * (rows // half)
        records.append({"kind": "impact", "upn": upn(r // 3), "pupil_name": f"Forename{r // 3} Surname{r // 3}",
                        "intervention": INTERVENTIONS[r % len(INTERVENTIONS)], "delivered_by": "Mrs Ellis (TA)",
                        "start_date": (start + timedelta(days=7 * (r % 3))).isoformat(), "end_date": "2026-12-11",
                        "sessions_planned": 30, "sessions_attended": 27, "entry_measure": "Standardised score",
                        "entry_score": 70 + r % 20, "exit_score": 80 + r % 20, "impact_rating": "+1",
                        "comment": "Reading more fluently", "next_step": "Continue"})
    for k in range(changes - half):
        records.append({"kind": "impact", "upn": upn(k), "pupil_name": f"Forename{k} Surname{k}",
                        "intervention": "Talk Boost KS2", "delivered_by": "Miss Patel (TA)",
                        "start_date": "2027-01-11", "end_date": "2027-03-26", "sessions_planned": 20,
                        "sessions_attended": 18, "entry_measure": "Standardised score", "entry_score": 71,
                        "exit_score": 76, "impact_rating": "0", "comment": "Joins in more", "next_step": "Review"})
    impact.write_text(json.dumps(records), encoding="utf-8")
    return register, provisions, impact


def openpyxl_update(workbook: Path, records: list[dict]) -> None:
    """The same change with openpyxl: find each row, set its cells, append the rest, save."""
    wb = load_workbook(workbook)
    ws = wb["Provision"]
    header = [c.value for c in ws[3]]
    col = {name: header.index(name) + 1 for name in header if name}
    index = {}
    for row in ws.iter_rows(min_row=4):
        key = (row[col["UPN"] - 1].value, row[col["Intervention"] - 1].value, row[col["Start Date"] - 1].value)
        index[key] = row[0].row
    last = ws.max_row
    for record in records:
        start = datetime.fromisoformat(record["start_date"])
        number = index.get((record["upn"], record["intervention"], start))
        if number is None:
            last += 1
            number = last
            ws.cell(number, col["UPN"], record["upn"])
            ws.cell(number, col["Intervention"], record["intervention"])
            ws.cell(number, col["Start Date"], start)
        ws.cell(number, col["End Date"], datetime.fromisoformat(record["end_date"]))
        ws.cell(number, col["Exit Score"], record["exit_score"])
        ws.cell(number, col["Impact Rating"], record["impact_rating"])
        ws.cell(number, col["Notes"], record["comment"])
    wb.save(workbook)


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|")


def fresh_process(args: list[str]) -> tuple[float, float]:
    """(wall seconds, seconds of imports) of ``python -X importtime ARGS``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stdout[-500:] + done.stderr[-500:]
    return wall, sum(int(m.group(1)) for m in IMPORT_LINE.finditer(done.stderr)) / 1e6


def best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        times.append(func())
    return min(times)


def floor(workbook: Path, out: Path) -> float:
    """Unzip every member of the workbook and zip it again (deflated): the least
    any update of the file in place can cost."""
    start = time.perf_counter()
    with zipfile.ZipFile(workbook) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
    return time.perf_counter() - start


TARGETS = {3000: 0.3, 20000: 1.0}
"""Issue 16's targets (seconds) by map size; issue 5's was 2 s for 3000 rows."""
ISSUE_FLOOR = {20000: 0.28}
"""The unzip/rezip floor issue 16 measured on its own machine (seconds), by map size: its
targets are seconds on that machine, so they are also read as a ratio to the floor."""


def run_case(work: Path, rows: int, changes: int, repeat: int, with_openpyxl: bool) -> bool:
    folder = work / f"rows-{rows}"
    folder.mkdir()
    register, provisions, impact = write_inputs(folder, rows, changes)
    settings = load_settings(None, cwd=bundled("samples"))
    master = folder / "map.xlsx"
    started = time.perf_counter()
    new_map(register, master, settings=settings, provisions=provisions)
    built = time.perf_counter() - started
    records = json.loads(impact.read_text(encoding="utf-8"))
    print(f"\nworkbook: {rows} rows, {master.stat().st_size / 1024:.0f} KB (built in {built:.1f} s);"
          f" {changes} records ({changes // 2} changed rows, {changes - changes // 2} new)")

    def run_formkit() -> float:
        copy = folder / "formkit" / "map.xlsx"
        shutil.rmtree(copy.parent, ignore_errors=True)
        copy.parent.mkdir()
        shutil.copyfile(master, copy)
        start = time.perf_counter()
        result = update_map(copy, [impact])
        elapsed = time.perf_counter() - start
        assert result.written and result.rows_added == changes - changes // 2, result.summary()
        return elapsed

    def run_baseline() -> float:
        copy = folder / "baseline.xlsx"
        shutil.copyfile(master, copy)
        start = time.perf_counter()
        openpyxl_update(copy, records)
        return time.perf_counter() - start

    run_formkit()  # warm: imports and caches, as every later run has them
    formkit_time = best(run_formkit, repeat)
    least = best(lambda: floor(master, folder / "floor.xlsx"), repeat)
    print(f"formkit  update_map (full: check, plan, write, verify, backup, replace): {formkit_time:.3f} s")
    print(f"floor    unzip and rezip every member:                                 {least:.3f} s"
          f"  (formkit takes {formkit_time / least:.1f}x the floor)")
    if with_openpyxl:
        baseline_time = best(run_baseline, 1 if rows > 5000 else repeat)
        print(f"baseline openpyxl load + edit + save:                                   {baseline_time:.3f} s"
              f"  (formkit is {baseline_time / formkit_time:.1f}x faster)")
    def run_command() -> tuple[float, float]:
        copy = folder / "command" / "map.xlsx"
        shutil.rmtree(copy.parent, ignore_errors=True)
        copy.parent.mkdir()
        shutil.copyfile(master, copy)
        return fresh_process(["-m", "formkit", "provision-map", "update", str(copy), "--from", str(impact)])

    fresh_process(["-c", "pass"])
    empty = min(fresh_process(["-c", "pass"])[0] for _ in range(repeat))
    runs = [run_command() for _ in range(repeat)]
    wall, imports = min(r[0] for r in runs), min(r[1] for r in runs)
    print(f"command  formkit provision-map update, a fresh process:               {wall:.3f} s"
          f"  (imports {imports:.3f} s; python -c pass {empty:.3f} s)")
    target = TARGETS.get(rows)
    if target is None:
        return True
    print(f"target   under {target} s: {'met' if formkit_time < target else 'NOT met'}")
    if rows in ISSUE_FLOOR:
        allowed = target / ISSUE_FLOOR[rows]
        print(f"         as a ratio: the issue's machine unzipped and rezipped this map in {ISSUE_FLOOR[rows]} s, so"
              f" {target} s was {allowed:.1f}x its floor; here formkit takes {formkit_time / least:.1f}x this"
              f" machine's floor: {'met' if formkit_time / least <= allowed else 'NOT met'}")
    return formkit_time < target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[3000, 20000])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the openpyxl baseline (slow at 20,000 rows)")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="formkit-bench-"))
    try:
        met = [run_case(work, rows, args.changes, args.repeat, not args.no_openpyxl) for rows in args.rows]
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if all(met) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
