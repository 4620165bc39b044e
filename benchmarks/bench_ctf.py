"""Reading a Common Transfer File against reading the same pupils from a register
workbook, in one run.

Builds N invented pupils (each with an SEN history, two ranked needs and two
contacts at two addresses) as a CTF 25 file and as a register .xlsx with a
Contacts sheet (what a SENCo gives formkit today), then times:

  baseline  load_register() on the register workbook
  ctf       load_register() on the transfer file (streamed pupil by pupil)
  import    import_transfers() of the file into a new register workbook
  append    import_transfers() of the file into a copy of the sample register

and prints pupils per second, the ratio to the baseline, and each step's peak
memory (its own process). Targets (issue 14): the transfer file reads no slower
than the workbook holding the same pupils, and its largest allowed file (5,000
pupils) in under 5 s and 300 MB. Measured on the 2-core build machine: 1,000
pupils 0.45 s (0.8x the workbook), 5,000 pupils 2.1 s (0.7x) and 100 MB. A real
transfer file holds one pupil to a year group; appending 5,000 pupils at once
to a workbook peaks at about 360 MB, because the sheet editor's check parses the
edited sheet again (ooxml's cost, shared with the provision map).

    python benchmarks/bench_ctf.py [--pupils 1000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from stdnum.gb import upn as upn_check

SURNAMES = ["O'BRIEN-KOWALSKI", "MCDONALD", "PRITCHARD", "WIŚNIEWSKI", "D'SOUZA", "OKAFOR", "HUGHES", "FERREIRA"]
FORENAMES = ["SIÂN", "JAKUB", "ISLA", "KWAME", "AISHA", "OLIVER", "PRIYA", "TOMÁS"]
NEEDS = ["SPLD", "SLCN", "ASD", "SEMH", "MLD", "HI"]


def upn(n: int) -> str:
    body = f"80120{n:07d}"
    return upn_check.calc_check_digit(body) + body


def write_ctf(path: Path, pupils: int) -> None:
    parts = ["<CTfile><Header><CTFversion>25.0</CTFversion><DocumentQualifier>full</DocumentQualifier>"
             "<SourceSchool><LEA>801</LEA><Estab>2000</Estab><SchoolName>BENCH PRIMARY</SchoolName></SourceSchool>"
             "</Header><CTFpupilData>"]
    for n in range(pupils):
        surname, forename = SURNAMES[n % len(SURNAMES)], FORENAMES[n % len(FORENAMES)]
        parts.append(
            f"<Pupil><UPN>{upn(n)}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename>"
            f"<DOB>2017-03-{n % 28 + 1:02d}</DOB><Sex>{'MF'[n % 2]}</Sex><BasicDetails><NCyearActual>{n % 6 + 1}"
            "</NCyearActual></BasicDetails><SENhistory><SEN><StartDate>2021-09-06</StartDate><EndDate>2024-01-14"
            "</EndDate><SENprovision>K</SENprovision></SEN><SEN><StartDate>2024-01-15</StartDate><SENprovision>"
            f"{'KE'[n % 2]}</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>2</SENtypeRank><SENtype>"
            f"{NEEDS[(n + 1) % 6]}</SENtype></SENneed><SENneed><SENtypeRank>1</SENtypeRank><SENtype>{NEEDS[n % 6]}"
            "</SENtype></SENneed></SENneeds></SENhistory><Address><BS7666Address><PAON>12</PAON><Street>FERNHILL"
            " ROAD</Street><Town>EXAMPLETON</Town></BS7666Address><PostCode>EX1 4QT</PostCode></Address><Contacts>"
            f"<Contact><Order>1</Order><Title>MRS</Title><Forename>ANNA</Forename><Surname>{surname}</Surname>"
            "<Relationship>PAR</Relationship><Responsibility>true</Responsibility><AddressAsPupil>true"
            "</AddressAsPupil><Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>0 7700 900 123</PhoneNo>"
            "</Phone></Phones></Contact><Contact><Order>2</Order><Title>MR</Title><Forename>TOM</Forename>"
            f"<Surname>{surname}</Surname><Relationship>PAR</Relationship><Responsibility>true</Responsibility>"
            "<Address><BS7666Address><SAON>FLAT 2</SAON><PAON>14</PAON><Street>MILL &amp; FORGE LANE</Street>"
            "<Town>EXAMPLETON</Town></BS7666Address><PostCode>EX2 7HB</PostCode></Address></Contact></Contacts>"
            "</Pupil>")
    parts.append("</CTFpupilData></CTfile>")
    path.write_text("".join(parts), encoding="utf-8")


def write_workbook(path: Path, pupils: int) -> None:
    wb = Workbook()
    reg = wb.active
    reg.title = "Register"
    reg.append(["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "SEN Status", "Primary Need",
                "Secondary Need", "Pronouns", "Date Added"])
    contacts = wb.create_sheet("Contacts")
    contacts.append(["UPN", "Contact Name", "Relationship", "Parental Responsibility", "Salutation",
                     "Address Line 1", "Address Line 2", "Town", "Postcode", "Phone"])
    for n in range(pupils):
        surname, forename = SURNAMES[n % len(SURNAMES)].title(), FORENAMES[n % len(FORENAMES)].title()
        reg.append([upn(n), surname, forename, f"{n % 28 + 1:02d}/03/2017", n % 6 + 1, "KE"[n % 2], NEEDS[n % 6],
                    NEEDS[(n + 1) % 6], "he" if n % 2 == 0 else "she", "06/09/2021"])
        contacts.append([upn(n), f"Mrs Anna {surname}", "Parent", "Y", f"Mrs {surname}", "12 Fernhill Road", "",
                         "Exampleton", "EX1 4QT", "07700 900123 (mobile)"])
        contacts.append([upn(n), f"Mr Tom {surname}", "Parent", "Y", f"Mr {surname}", "Flat 2",
                         "14 Mill & Forge Lane", "Exampleton", "EX2 7HB", ""])
    wb.save(path)


def _step(name: str, folder: str, queue: multiprocessing.Queue) -> None:
    from formkit.register import import_transfers, load_register
    from formkit.resources import bundled

    base = Path(folder)
    start = time.perf_counter()
    if name == "baseline":
        count = len(load_register(base / "register.xlsx").pupils)
    elif name == "ctf":
        count = len(load_register(base / "transfer.xml").pupils)
    elif name == "import":
        count = len(import_transfers([base / "transfer.xml"], base / "new.xlsx").added)
    else:
        shutil.copy(bundled("samples", "register.xlsx"), base / "mine.xlsx")
        count = len(import_transfers([base / "transfer.xml"], base / "mine.xlsx").added)
    seconds = time.perf_counter() - start
    queue.put((count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(name: str, folder: Path) -> tuple[int, float, float]:
    """Run one step in its own process: (pupils, seconds, peak MB)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.get_context("fork").Process(target=_step, args=(name, str(folder), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_ctf(folder / "transfer.xml", args.pupils)
        write_workbook(folder / "register.xlsx", args.pupils)
        sizes = {p.name: p.stat().st_size / 1024 / 1024 for p in folder.iterdir()}
        print(f"{args.pupils} pupils: transfer.xml {sizes['transfer.xml']:.1f} MB,"
              f" register.xlsx {sizes['register.xlsx']:.1f} MB")
        base = None
        for name in ("baseline", "ctf", "import", "append"):
            count, seconds, peak = measure(name, folder)
            rate = count / seconds if seconds else float("inf")
            base = base or seconds
            print(f"  {name:8s} {seconds:6.2f} s  {rate:8.0f} pupils/s  {seconds / base:5.2f}x baseline"
                  f"  peak {peak:5.0f} MB")


if __name__ == "__main__":
    main()
