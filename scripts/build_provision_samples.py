"""Build samples/provisions.xlsx: the sample school's provisions sheet.

    python scripts/build_provision_samples.py [OUT.xlsx]

One row per pupil per intervention for the invented pupils with SEN support (K)
or an EHC plan (E) in samples/register.xlsx: the intervention, who delivers it,
group size, how often and for how long, the date it commenced (September 2026),
the entry measure and score, and any outside agency. It is what a SENCo keeps
before the provision map exists, with the headings a SENCo might type
("Date Commenced", "Frequency", "Time Allocated"), so `formkit provision-map new`
shows that headings and values are read as schools write them.

The interventions of Sam Kirkwood, Alex Pembridge, Oliver Thompson, Anne-Marie
D'Souza and José Ferreira match the impact forms and tracker in samples/returned/
(same intervention and start date), so the demo updates those rows; Ibrahim
Abdirahman's Talk Boost KS2 is left off on purpose, so the demo adds its row.

Every pupil and person here is invented. The output is deterministic.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from build_samples import FIXED_STAMP as FIXED  # noqa: E402
from build_samples import save_deterministic  # noqa: E402

DEFAULT_OUT = REPO / "samples" / "provisions.xlsx"

HEADINGS = ("UPN", "Pupil", "Intervention", "Area of Need", "Wave", "Delivered By", "Group Size", "Frequency",
            "Time Allocated", "Date Commenced", "End Date", "Entry Measure", "Entry Score", "Outside Agency")

C_I, C_L, SEMH, S_P = ("Communication and interaction", "Cognition and learning",
                       "Social, emotional and mental health", "Sensory and/or physical needs")
SALT = "NHS Speech and Language Therapy"

# (UPN, pupil, intervention, area, wave, delivered by, group size, frequency, minutes, start, end,
#  entry measure, entry score, outside agency)
PROVISIONS: tuple[tuple[object, ...], ...] = (
    ("X801200026022", "Aarav Chaudhry", "Speech & language programme", C_I, "Wave 2", "Teaching assistant", 2,
     "3x weekly", "15 mins", date(2026, 9, 14), None, "Speech sounds correct (of 20)", 6, SALT),
    ("Z801200026004", "Zoë Whitmore", "Speech & language programme", C_I, "Wave 2", "Teaching assistant", 2,
     "3x weekly", "15 mins", date(2026, 9, 14), None, "Speech sounds correct (of 20)", 8, SALT),
    ("L801200025022", "Ruby Clarke", "Lego-based therapy", C_I, "Wave 2", "Teaching assistant", 3,
     "Twice weekly", "30 mins", date(2026, 9, 21), None, "Social communication checklist (of 20)", 5, None),
    ("L801200025022", "Ruby Clarke", "Speech & language programme", C_I, "Wave 3", "Speech and language therapist",
     1, "Weekly", "30 mins", date(2026, 9, 21), None, "Speech sounds correct (of 20)", 9, SALT),
    ("N801200025004", "Łukasz Nowak", "Speech & language programme", C_I, "Wave 2", "Teaching assistant", 2,
     "3x weekly", "15 mins", date(2026, 9, 14), None, "Speech sounds correct (of 20)", 11, SALT),
    ("B801200024013", "Hafsa Ahmed", "Pre-teaching vocabulary", S_P, "Wave 3", "Teaching assistant", 1,
     "3x weekly", "15 mins", date(2026, 9, 14), None, "Topic words known (of 30)", 12,
     "Sensory Support Service (hearing)"),
    ("C801200024004", "Declan O'Connor", "Precision teaching", C_L, "Wave 3", "Teaching assistant", 1,
     "Daily", "10 mins", date(2026, 9, 14), date(2026, 10, 23), "High-frequency words read (of 100)", 34, None),
    ("A801200024022", "Jayden Smith-Nwosu", "Zones of Regulation", SEMH, "Wave 2", "Learning mentor", 4,
     "Weekly", "30 mins", date(2026, 9, 21), None, "Self-regulation checklist (of 20)", 7, None),
    ("Q801200023013", "Chloé Martin", "ELSA", SEMH, "Wave 3", "Teaching assistant", 1,
     "Weekly", "30 mins", date(2026, 9, 28), date(2026, 12, 11), "Emotional literacy checklist (of 40)", 18, None),
    ("R801200023004", "Alex Pembridge", "Toe by Toe", C_L, "Wave 3", "HLTA", 1,
     "Daily", "15 mins", date(2026, 9, 21), None, "Reading age (months)", 84, None),
    ("N801200023031", "Riley Parker-Evans", "Lego-based therapy", C_I, "Wave 2", "Teaching assistant", 3,
     "Twice weekly", "30 mins", date(2026, 9, 21), None, "Social communication checklist (of 20)", 8, None),
    ("P801200023022", "Bartosz Wiśniewski", "Precision teaching", C_L, "Wave 3", "Teaching assistant", 1,
     "Daily", "10 mins", date(2026, 9, 14), date(2026, 10, 23), "High-frequency words read (of 100)", 41, None),
    ("F801200022004", "Anne-Marie D'Souza", "Lexia", C_L, "Wave 2", "Teaching assistant", 4,
     "3x weekly", "20 mins", date(2026, 9, 7), None, "Standardised score", 78, None),
    ("D801200022022", "Oliver Thompson", "Fine motor skills group", S_P, "Wave 2", "Teaching assistant", 4,
     "Twice weekly", "20 mins", date(2026, 9, 8), None, "Other", 6, "NHS Occupational Therapy"),
    ("D801200022022", "Oliver Thompson", "Physiotherapy programme", S_P, "Wave 3", "Teaching assistant", 1,
     "Daily", "15 mins", date(2026, 9, 8), None, "Physiotherapy targets met (of 10)", 3, "NHS Physiotherapy"),
    ("V801200021004", "José Ferreira", "Numicon catch-up", C_L, "Wave 2", "HLTA", 3,
     "Twice weekly", "30 mins", date(2026, 9, 8), None, "Percentage", 35, None),
    ("U801200021013", "Siobhán Gallagher", "ELSA", SEMH, "Wave 3", "Teaching assistant", 1,
     "Weekly", "30 mins", date(2026, 9, 28), date(2026, 12, 11), "Emotional literacy checklist (of 40)", 21, None),
    ("R801200021031", "Sam Kirkwood", "Lego-based therapy", SEMH, "Wave 2", "Teaching assistant", 3,
     "Twice weekly", "30 mins", date(2026, 9, 14), None, "Boxall Profile score", 42, "CAMHS"),
    ("R801200021031", "Sam Kirkwood", "Zones of Regulation", SEMH, "Wave 2", "Learning mentor", 4,
     "Weekly", "30 mins", date(2026, 9, 21), None, "Self-regulation checklist (of 20)", 6, "CAMHS"),
    ("T801200021022", "Libby Okonkwo", "Touch typing", S_P, "Wave 3", "Teaching assistant", 1,
     "3x weekly", "20 mins", date(2026, 9, 14), None, "Words per minute", 9,
     "Sensory Support Service (vision)"),
    ("E801200020040", "Jordan Ellery-Shaw", "Speech & language programme", C_I, "Wave 3",
     "Speech and language therapist", 1, "Weekly", "30 mins", date(2026, 9, 21), None,
     "Speech sounds correct (of 20)", 12, SALT),
    ("E801200020040", "Jordan Ellery-Shaw", "ELSA", SEMH, "Wave 3", "Teaching assistant", 1,
     "Weekly", "30 mins", date(2026, 9, 28), date(2026, 12, 11), "Emotional literacy checklist (of 40)", 15, None),
    ("F801200020031", "Max Greenwood", "Zones of Regulation", SEMH, "Wave 2", "Learning mentor", 4,
     "Weekly", "30 mins", date(2026, 9, 21), None, "Self-regulation checklist (of 20)", 9, None),
    ("F801200020031", "Max Greenwood", "Toe by Toe", C_L, "Wave 3", "Teaching assistant", 1,
     "Daily", "15 mins", date(2026, 9, 14), None, "Reading age (months)", 101, None),
    ("J801200020004", "Aurélie Lambert", "Toe by Toe", C_L, "Wave 3", "Teaching assistant", 1,
     "Daily", "15 mins", date(2026, 9, 14), None, "Reading age (months)", 98, None),
    ("H801200020013", "Ioana Popescu", "Precision teaching", C_L, "Wave 3", "Teaching assistant", 1,
     "Daily", "10 mins", date(2026, 9, 14), date(2026, 10, 23), "Times tables facts recalled (of 50)", 17, None),
    ("G801200020022", "Rahim Uddin", "Lego-based therapy", C_I, "Wave 2", "Teaching assistant", 3,
     "Twice weekly", "30 mins", date(2026, 9, 21), None, "Social communication checklist (of 20)", 10,
     "Educational Psychology Service"),
)


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Provisions"
    ws.append(["Hollybrook Primary School: interventions, Autumn 2026"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(list(HEADINGS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in PROVISIONS:
        ws.append(list(row))
    for row in ws.iter_rows(min_row=4):
        for cell in row[9:11]:
            cell.number_format = "dd/mm/yyyy"
    widths = (16, 22, 28, 32, 8, 28, 7, 13, 10, 12, 12, 36, 8, 34)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.freeze_panes = "A4"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "formkit sample data (invented)"
    return wb


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    save_deterministic(build(), out)
    print(f"wrote {out}: {len(PROVISIONS)} provisions for {len({p[0] for p in PROVISIONS})} pupils")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
