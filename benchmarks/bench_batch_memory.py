"""Batch memory: a big IEP batch's peak RSS against reading the register alone, in one run.

Builds a synthetic register of N invented pupils (4 targets each, as
bench_ieps.py), then runs, each in a fresh process so each peak is its own:

  register  load_register() alone: the floor, what any batch must hold
  eager     every pupil's context built first, then generate() (the batch as
            it was before it streamed: contexts held for the whole run)
  formkit   load_register() then generate(): contexts built as documents are
            written

and prints each peak RSS (ru_maxrss), formkit's and eager's growth over the
register, per pupil, and the load average (the machine may be shared). Target
(issue 16): a 20,000-pupil IEP batch peaks at no more than the register read
alone + 50 MB. One worker (--jobs 1), so one process holds everything. Above
10,000 pupils (formkit's default limit for a register) the register is read
with load_register(max_rows=N), as a library caller with a trust's central
register would, and the output says so.

    python benchmarks/bench_batch_memory.py [--pupils 20000] [--skip-eager]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_MB = 50.0

CHILD = """
import resource, sys
from pathlib import Path
from formkit.register.pupils import load_register
from formkit.settings import load_settings
from formkit.resources import bundled
mode, register_file, targets_file, out, max_rows = sys.argv[1:6]
settings = load_settings(None, cwd=bundled("samples"))
term = min(settings.school.terms, key=lambda t: t.start)
register = load_register(register_file, targets=targets_file, max_rows=int(max_rows))
if mode != "register":
    from formkit.documents.batch import generate, select_pupils
    from formkit.documents.context import build_context
    held = [build_context(p, settings.school, term, term.start) for p in select_pupils(register)] if mode == "eager" else []
    report = generate(register, settings, Path(out), term=term.name, today=term.start, jobs=1)
    assert report.ok and report.count("written") == len(register.on_register()), report.failed[:3]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mb(mode: str, register: Path, targets: Path, out: Path, max_rows: int) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one fresh process running ``mode``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(register), str(targets), str(out), str(max_rows)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1]) / 1024, time.perf_counter() - start


def main() -> None:
    from bench_ieps import write_register

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=20000)
    parser.add_argument("--skip-eager", action="store_true", help="skip the eager run (it takes as long as formkit's)")
    args = parser.parse_args()
    from formkit.register import MAX_ROWS

    max_rows = max(MAX_ROWS, args.pupils)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores;"
          f" {args.pupils} pupils, 4 targets each")
    if max_rows > MAX_ROWS:
        print(f"          (over formkit's {MAX_ROWS:,}-row default: the register is read with"
              f" load_register(max_rows={max_rows:_}), targets up to five rows a pupil)")
    work = Path(tempfile.mkdtemp(prefix="formkit-bench-memory-"))
    try:
        register, targets = write_register(work, args.pupils)
        floor, took = peak_mb("register", register, targets, work / "none", max_rows)
        print(f"register  load_register alone:          peak {floor:7.1f} MB  ({took:.1f} s)")
        ours, took = peak_mb("stream", register, targets, work / "stream", max_rows)
        grown = ours - floor
        print(f"formkit   generate (streaming):         peak {ours:7.1f} MB  ({took:.1f} s): +{grown:.1f} MB over the"
              f" register, {1024 * grown / args.pupils:.2f} kB per pupil")
        if not args.skip_eager:
            shutil.rmtree(work / "stream", ignore_errors=True)
            eager, took = peak_mb("eager", register, targets, work / "eager", max_rows)
            print(f"eager     contexts first, then generate: peak {eager:7.1f} MB  ({took:.1f} s): +{eager - floor:.1f} MB,"
                  f" {1024 * (eager - floor) / args.pupils:.2f} kB per pupil")
        print(f"target    no more than the register + {TARGET_MB:.0f} MB: {'met' if grown <= TARGET_MB else 'NOT met'}"
              f"{'' if args.pupils >= 20000 else f' (at {args.pupils} pupils; the target is for 20,000)'}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
