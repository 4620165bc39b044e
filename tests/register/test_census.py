"""The census checks: the same rules for a register spreadsheet as for a
Common Transfer File, each reported where the user can find it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from formkit.register import load_register

TODAY = date(2026, 9, 1)
HEAD = "UPN,Surname,Forename,DOB,Year,SEN Status,Primary Need,Secondary Need\n"


def problems(tmp_path: Path, rows: str) -> list[str]:
    path = tmp_path / "register.csv"
    path.write_text(HEAD + rows, encoding="utf-8")
    register = load_register(path, today=TODAY)
    no_targets = ("Warning: there is no Targets sheet and no targets file, so IEPs will have blank target rows to fill"
                  " in; add a sheet named Targets or give a targets file")
    no_contacts = ("Warning: no pupil on the SEN register has a contact, so letters home cannot be made; add a sheet"
                   " named Contacts (one row per parent or carer, keyed by UPN) or give --contacts FILE")
    found = [str(p).replace(f"{path}, ", "").replace(f"{path}: ", "") for p in register.problems]
    assert found[0] == no_targets and found[-1] == no_contacts
    return found[1:-1]


def test_a_spreadsheet_is_held_to_the_census_rules(tmp_path: Path) -> None:
    found = problems(tmp_path, "B801200005001,Nowak,Ola,01/02/2018,3,E,ASD,NSA\n"
                               "Q801200005002,Brown,Amy,01/02/2018,3,N,SPLD,\n"
                               "E801200005003,Khan,Sami,01/02/2018,3,K,SEMH,SEMH\n"
                               "U801200005004,Jones,Tom,01/02/2018,3,K,,MLD\n"
                               "H801200005005,Ali,Zara,01/02/2018,3,K,XYZ,\n"
                               "X801200005006,Lee,Max,01/02/2018,3,K,,\n")
    assert found == [
        "Warning: row 2, column 'Secondary Need', Ola Nowak (B801200005001): NSA (no specialist assessment) is only"
        " used with K; an EHC plan names the need, so write its census code, e.g. ASD",
        "Warning: row 3, column 'Primary Need', Amy Brown (Q801200005002): the SEN status is N (no SEN), but SPLD is"
        " recorded as a need; the census records needs only with K or E, so correct the status or remove the need",
        "Warning: row 4, column 'Secondary Need', Sami Khan (E801200005003): SEMH is both the primary and the"
        " secondary need; the census records each need once, so clear the secondary need or change it",
        "Warning: row 5, column 'Secondary Need', Tom Jones (U801200005004): there is a secondary need (MLD) but no"
        " primary need; the census ranks the main need first, so move it to the primary need",
        "Warning: row 5, column 'Primary Need', Tom Jones (U801200005004): the primary need is blank, so the IEP"
        " title will show no area of need; add the census code, e.g. SPLD",
        "Error: row 6, column 'Primary Need', Zara Ali (H801200005005): 'XYZ' is not a census SEN type; use one of"
        " SLCN, ASD, SPLD, MLD, SLD, PMLD, SEMH, HI, VI, MSI, PD, OTH, NSA",
        "Warning: row 7, column 'Primary Need', Max Lee (X801200005006): the primary need is blank, so the IEP"
        " title will show no area of need; add the census code, e.g. SPLD",
    ]


def test_a_clean_row_raises_nothing(tmp_path: Path) -> None:
    assert problems(tmp_path, "B801200005001,Nowak,Ola,01/02/2018,3,K,NSA,\nQ801200005002,Brown,Amy,01/02/2018,3,N,,\n"
                    ) == []
