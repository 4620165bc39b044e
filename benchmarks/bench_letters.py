"""Letter mailing speed: joined conversion against today's batches and one soffice per document.

Builds a synthetic register of N invented pupils (one carer each, one postal
address each, so N one-page letters) as CSV files, then, in one run:

  joined    make_letters(iep_cover, print_pdf=...): render N letters, convert
            them joined into one document per worker, cut, check, merge one
            print-ready PDF and mailing.csv (wall time, every stage included)
  batches   the same with join=False: the letters converted one document each,
            in batches of up to 150 per soffice process (formkit before issue 16)
  baseline  `soffice --convert-to pdf LETTER.docx` once per document, on a
            sample of the same letters (conversion only), scaled to N

and prints each time, the ratios, and the machine's load average (the machine
may be shared). Each time's stages are: start (writing the letters; with
joining, the first worker's joined document is converting meanwhile),
converting (the rest converted, cut and checked) and merging (the print pack). Targets (issue 16): 500 letters to one print-ready PDF in under
10 s with two workers on 2 cores; at least 100x the one-soffice-per-document
baseline and at least 3x today's batches.

    python benchmarks/bench_letters.py [--letters 500] [--baseline 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from stdnum.gb import upn as upn_check

from formkit.letters.letter import LetterRequest
from formkit.letters.mailing import make_letters
from formkit.documents.pdf import find_soffice, soffice_version
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

FORENAMES = ["Zoë", "Amir", "Chloé", "Łukasz", "Siobhán", "Kwame", "Aisha", "Oliver", "Priya", "Tomás"]
SURNAMES = ["O'Connor", "Smith-Nwosu", "Wiśniewski", "Begum", "D'Souza", "Okafor", "Hughes", "Ferreira"]
STREETS = ["Orchard Way", "Linden Road", "Beech Grove", "Station Road", "Heron Way", "Chapel Row"]


def write_register(folder: Path, pupils: int) -> tuple[Path, Path]:
    register, contacts = folder / "register.csv", folder / "contacts.csv"
    with register.open("w", newline="", encoding="utf-8") as reg, contacts.open("w", newline="", encoding="utf-8") as con:
        r, c = csv.writer(reg), csv.writer(con)
        r.writerow(["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "Reg Group", "SEN Status", "Primary Need",
                    "Pronouns", "Parents Can Support By"])
        c.writerow(["UPN", "Contact Name", "Relationship", "Salutation", "Address Line 1", "Town", "Postcode",
                    "Home Language"])
        for i in range(pupils):
            body = f"8012000{20 + i // 1000:02d}{i % 1000:03d}"
            upn = upn_check.calc_check_digit(body) + body
            year = 1 + i % 6
            surname, forename = SURNAMES[i % len(SURNAMES)], FORENAMES[i % len(FORENAMES)]
            r.writerow([upn, surname, forename, f"{1 + i % 28:02d}/0{1 + i % 9}/{2019 - year}", f"Y{year}", f"{year}A",
                        "K", "SPLD", ["he", "she", "they"][i % 3], "Reading together for ten minutes each evening"])
            c.writerow([upn, f"Sam {surname}", "Parent", f"Mx {surname}", f"{1 + i} {STREETS[i % len(STREETS)]}",
                        "Exampleton", f"EX{1 + i % 9} {1 + i % 9}AB", "English"])
    return register, contacts


CPU: list[float] = []
"""CPU seconds (formkit's and its soffice processes') of each part timed, in order."""


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(func) -> float:
    start, cpu = time.perf_counter(), cpu_seconds()
    func()
    CPU.append(cpu_seconds() - cpu)
    return time.perf_counter() - start


def mailing(register, settings, request, out: Path, pack: Path, workers: int, join: bool):
    stages: list[tuple[str, float]] = [("start", time.perf_counter())]

    def note(message: str) -> None:
        stages.append((message.split(" ")[0].lower(), time.perf_counter()))

    total = timed(lambda: make_letters(register, settings, out, request, print_pdf=pack, workers=workers,
                                       notify=note, join=join))
    stages.append(("end", time.perf_counter()))
    spans = {name: end - start for (name, start), (_, end) in zip(stages, stages[1:])}
    return total, ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spans.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--baseline", type=int, default=20, help="documents for the (slow) one-soffice-per-document "
                        "baseline, scaled to --letters")
    parser.add_argument("--workers", type=int, default=2, help="soffice processes at once")
    args = parser.parse_args()

    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="formkit-bench-letters-"))
    loads = [os.getloadavg()[0]]
    try:
        register_file, contacts_file = write_register(work, args.letters)
        settings = load_settings(None, cwd=bundled("samples"))
        term = min(settings.school.terms, key=lambda t: t.start)
        register = load_register(register_file, contacts=contacts_file)
        assert len(register.on_register()) == args.letters, register.problems[:3]
        request = LetterRequest("iep_cover", letter_date=term.start, term=term.name)

        out, pack = work / "letters", work / "print.pdf"
        joined, joined_stages = mailing(register, settings, request, out, pack, args.workers, True)
        loads.append(os.getloadavg()[0])
        pages = len(PdfReader(str(pack)).pages)
        letters = sorted(out.rglob("*.docx"))
        assert len(letters) == args.letters, f"wrote {len(letters)} of {args.letters} letters"
        one_page = sum(1 for p in out.rglob("*.pdf") if len(PdfReader(str(p)).pages) == 1)

        batched, batched_stages = mailing(register, settings, request, work / "batched", work / "batched.pdf",
                                          args.workers, False)
        loads.append(os.getloadavg()[0])
        assert len(PdfReader(str(work / "batched.pdf")).pages) == pages

        baseline_dir, profile = work / "baseline", work / "baseline-profile"
        subset = letters[: args.baseline]

        def one_call_each() -> None:
            for letter in subset:
                subprocess.run([str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                                "--convert-to", "pdf", "--outdir", str(baseline_dir), str(letter)],
                               check=True, capture_output=True, timeout=300)

        subprocess.run([str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=300)  # the baseline's profile is made before timing, as a user's is
        base = timed(one_call_each)
        loads.append(os.getloadavg()[0])
        made = len(list(baseline_dir.glob("*.pdf")))
        assert made == len(subset), f"baseline made {made} of {len(subset)} PDFs"
        scaled = base / len(subset) * args.letters

        print(f"{soffice_version(soffice)}; {os.cpu_count()} CPUs; {args.workers} workers; {args.letters} letters "
              f"({one_page} of them one page); print pack {pages} pages")
        print(f"load average (1 min) at start and after each part: {', '.join(f'{x:.1f}' for x in loads)}")
        print(f"joined, letters to one print-ready PDF : {joined:6.1f} s  ({1000 * joined / args.letters:6.1f} ms/letter)"
              f"  target < 10 s for 500")
        print(f"  stages: {joined_stages}")
        print(f"batches (join=False), the same         : {batched:6.1f} s  ({1000 * batched / args.letters:6.1f} "
              f"ms/letter)")
        print(f"  stages: {batched_stages}")
        print(f"one soffice per document, {len(subset)} scaled   : {scaled:6.1f} s  ({1000 * base / len(subset):6.1f} "
              f"ms/document, {base:.1f} s measured)")
        print(f"CPU seconds (formkit + soffice): joined {CPU[0]:.1f}, batches {CPU[1]:.1f}, one per document "
              f"{CPU[2] / len(subset) * args.letters:.1f} (scaled); on a loaded machine the wall times stretch, "
              "the CPU seconds much less")
        print(f"ratio one-per-document / joined        : {scaled / joined:6.1f}x  target >= 100x")
        print(f"ratio batches / joined                 : {batched / joined:6.1f}x  target >= 3x")
        print(f"CPU ratios: one-per-document / joined {CPU[2] / len(subset) * args.letters / CPU[0]:.1f}x, "
              f"batches / joined {CPU[1] / CPU[0]:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
