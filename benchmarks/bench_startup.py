"""Start-up of the command line: import time and wall time against ``python -c pass``.

Runs each command in a fresh interpreter with ``-X importtime`` and sums the
self time of every import (what ``python -X importtime`` reports), best of N
runs, and times the whole process the same way:

  baseline  python -c pass
  help      python -m formkit --help
  check     python -m formkit register check samples/register.csv  (a CSV
            register: reading it needs no spreadsheet library)
  check-x   python -m formkit register check samples/register.xlsx (openpyxl
            is loaded to read the workbook: that is the command's work)

and prints milliseconds and the ratio to the baseline, with the load average
(the machine may be shared). The runs may write and use bytecode caches
(PYTHONDONTWRITEBYTECODE is dropped for them, and one run warms them), as an
installed formkit has them: compiling the sources is not start-up. Target (issue 16): ``--help`` and ``register
check`` under 150 ms of imports.

    python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TARGET_MS = 150.0
LINE = re.compile(r"import time:\s+(\d+) \|")


def one_run(args: list[str]) -> tuple[float, float]:
    """(ms of imports, ms of wall time) for one fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, env=env)
    wall = (time.perf_counter() - start) * 1000
    imports = sum(int(m.group(1)) for m in LINE.finditer(done.stderr)) / 1000
    return imports, wall


def best(args: list[str], runs: int) -> tuple[float, float]:
    one_run(args)  # bytecode caches written
    results = [one_run(args) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command; the best is reported")
    runs = parser.parse_args().runs
    cases = {
        "baseline (python -c pass)": ["-c", "pass"],
        "formkit --help": ["-m", "formkit", "--help"],
        "formkit register check (.csv)": ["-m", "formkit", "register", "check", str(SAMPLES / "register.csv")],
        "formkit register check (.xlsx)": ["-m", "formkit", "register", "check", str(SAMPLES / "register.xlsx")],
    }
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
          f"best of {runs} runs")
    base_imports, base_wall = best(cases.pop("baseline (python -c pass)"), runs)
    print(f"{'baseline (python -c pass)':34} imports {base_imports:7.1f} ms   wall {base_wall:7.1f} ms")
    for name, args in cases.items():
        imports, wall = best(args, runs)
        verdict = "under" if imports < TARGET_MS else "OVER"
        print(f"{name:34} imports {imports:7.1f} ms   wall {wall:7.1f} ms   "
              f"x{imports / base_imports:5.1f} / x{wall / base_wall:4.1f} the baseline; "
              f"{verdict} the {TARGET_MS:.0f} ms target")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
