"""`formkit provision-map new/update/report` as a SENCo runs them, and the demo's cycle."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from formkit.cli import cli
from formkit.demo.provision import run_provision_demo
from formkit.resources import bundled

REGISTER = str(bundled("samples", "register.xlsx"))
PROVISIONS = str(bundled("samples", "provisions.xlsx"))
RECORD = {"kind": "impact", "upn": "R801200021031", "pupil_name": "Sam Kirkwood", "intervention": "Lego-based therapy",
          "start_date": "2026-09-14", "exit_score": 55, "impact_rating": "+1"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def built(tmp_path: Path) -> Path:
    out = tmp_path / "map.xlsx"
    result = run("provision-map", "new", "--register", REGISTER, "--provisions", PROVISIONS, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: 27 rows for 22 pupils. Open it in Excel; the Summary sheet adds it up.\n" in result.output
    return out


def test_new_then_update_then_report(tmp_path):
    out = built(tmp_path)
    source = tmp_path / "impact.json"
    source.write_text(json.dumps([RECORD]), encoding="utf-8")
    dry = run("provision-map", "update", str(out), "--from", str(source), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output == (
        "Row 21 (Sam Kirkwood (R801200021031), Lego-based therapy from 14/09/2026):\n"
        "  Provision!T21: (blank) -> 55\n"
        "  Provision!V21: (blank) -> +1 More than expected\n"
        f"Dry run: {out} would change: 1 row updated, 0 rows added, 2 cells. Nothing was written.\n")
    real = run("provision-map", "update", str(out), "--from", str(source))
    assert real.exit_code == 0
    assert real.output.splitlines()[:3] == dry.output.splitlines()[:3]
    assert real.output.splitlines()[-1].startswith(f"{out}: 1 row updated, 0 rows added, 2 cells. The previous"
                                                   " version is kept as map (backup ")
    report = run("provision-map", "report", str(out), "--out", str(tmp_path / "report.xlsx"))
    assert report.exit_code == 0
    assert report.output.startswith(f"Provision map report: {out}\n")
    assert "Lego-based therapy            Boxall Profile score" in report.output
    assert report.output.endswith(f"\nWrote {tmp_path / 'report.xlsx'}.\n")


def test_update_errors_exit_1(tmp_path):
    out = built(tmp_path)
    (tmp_path / "~$map.xlsx").write_text("owner")
    locked = run("provision-map", "update", str(out), "--from", PROVISIONS)
    assert locked.exit_code == 1
    assert locked.output == (f"Error: {out}: is open in Excel (its lock file ~$map.xlsx is beside it); close the"
                             " workbook and run formkit again. If Excel is not running, the lock was left by a crash:"
                             " delete ~$map.xlsx\n")
    (tmp_path / "~$map.xlsx").unlink()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{**RECORD, "upn": ""}, RECORD]), encoding="utf-8")
    result = run("provision-map", "update", str(out), "--from", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}, column 'upn', Sam Kirkwood: the UPN is blank, so formkit cannot"
                                    " tell which provision this is; fill it in\n")
    assert "1 problem above left values or rows out; fix the source and run the update again." in result.output


def test_usage_errors_exit_2(tmp_path):
    result = run("provision-map", "update", str(tmp_path / "map.xlsx"))
    assert result.exit_code == 2 and "Missing option '--from'" in result.output


def test_new_refuses_an_existing_file(tmp_path):
    out = built(tmp_path)
    again = run("provision-map", "new", "--register", REGISTER, "--out", str(out))
    assert again.exit_code == 1
    assert again.output.endswith(f"Error: {out}: already exists; formkit will not overwrite a provision map. Use"
                                 " 'formkit provision-map update' to bring it up to date, or choose another name\n")


def test_the_demo_builds_the_map_applies_the_returned_forms_and_reports(tmp_path):
    demo = run_provision_demo(tmp_path / "demo")
    assert demo.workbook == tmp_path / "demo" / "Provision map.xlsx"
    assert (demo.updated.rows_updated, demo.updated.rows_added) == (5, 1)
    text = demo.text()
    assert "Row 31 (new: Ibrahim Abdirahman (E801200022013), Talk Boost KS2 from 14/09/2026):" in text
    assert "  Provision!T13: (blank) -> 93" in text  # Alex Pembridge's returned Toe by Toe form
    assert "Numicon catch-up              Percentage                                  1      1    +25.0" in text
    # the sample register gives the new row's year, class and area of need
    assert "  Provision!C31: (blank) -> Year 4" in text and "fill in" not in demo.updated.text()
    assert "(no year group)" not in text and "(no area of need)" not in text
    assert "Year 4                                      3          4     70.2     £850.80" in text
    again = run_provision_demo(tmp_path / "demo")
    names = sorted(p.name for p in (tmp_path / "demo").iterdir())
    assert len(names) == 2 and names[0].startswith("Provision map (backup ") and names[1] == "Provision map.xlsx"
    assert again.updated.rows_added == 1


NEW_PUPIL = {"kind": "impact", "upn": "E801200022013", "pupil_name": "Ibby Abdirahman",
             "intervention": "Talk Boost KS2", "start_date": "2026-09-14", "entry_score": 71, "exit_score": 74}
ROW_31 = [
    "  Provision!F31: (blank) -> Talk Boost KS2",
    "  Provision!L31: (blank) -> 14/09/2026",
    '  Provision!N31: (blank) -> =IF(AND(ISNUMBER(L31),ISNUMBER(M31)),ROUNDUP((M31-L31+1)/7,0),"")',
    '  Provision!O31: (blank) -> =IF(OR(J31="",K31=""),"",ROUND(J31*K31/60*IF(N31="",WeeksPerYear,N31),1))',
    '  Provision!P31: (blank) -> =IF(H31="","",IFERROR(VLOOKUP(H31,Rates,2,FALSE),""))',
    '  Provision!Q31: (blank) -> =IF(OR(O31="",P31=""),"",ROUND(P31*O31/MAX(I31,1),2))',
    "  Provision!S31: (blank) -> 71",
    "  Provision!T31: (blank) -> 74",
    '  Provision!U31: (blank) -> =IF(AND(ISNUMBER(S31),ISNUMBER(T31)),T31-S31,"")',
]


def test_update_with_register_fills_a_new_pupils_details_and_changes_nothing_else(tmp_path):
    from tests.xlsx_features import cells_of, parts_of, rows_of

    first = built(tmp_path)
    plain, registered = tmp_path / "plain.xlsx", tmp_path / "registered.xlsx"
    plain.write_bytes(first.read_bytes())
    registered.write_bytes(first.read_bytes())
    before = parts_of(first)
    source = tmp_path / "impact.json"
    source.write_text(json.dumps([NEW_PUPIL]), encoding="utf-8")

    without = run("provision-map", "update", str(plain), "--from", str(source))
    assert without.exit_code == 0, without.output
    assert without.output.splitlines()[:4] == [
        "Note: row 31 (Ibby Abdirahman (E801200022013), Talk Boost KS2 from 14/09/2026) is new: fill in its Year,"
        " Class, Area of Need, which the records do not give",
        "Row 31 (new: Ibby Abdirahman (E801200022013), Talk Boost KS2 from 14/09/2026):",
        "  Provision!A31: (blank) -> E801200022013",
        "  Provision!B31: (blank) -> Ibby Abdirahman",
    ]
    assert without.output.splitlines()[4:-1] == ROW_31

    with_register = run("provision-map", "update", str(registered), "--from", str(source), "--register", REGISTER)
    assert with_register.exit_code == 0, with_register.output
    assert with_register.output.splitlines()[:-1] == [
        "Row 31 (new: Ibby Abdirahman (E801200022013), Talk Boost KS2 from 14/09/2026):",
        "  Provision!A31: (blank) -> E801200022013",
        "  Provision!B31: (blank) -> Ibrahim Abdirahman",
        "  Provision!C31: (blank) -> Year 4",
        "  Provision!D31: (blank) -> 4W",
        "  Provision!E31: (blank) -> Communication and interaction",
        *ROW_31,
    ]
    assert with_register.output.splitlines()[-1].startswith(
        f"{registered}: 0 rows updated, 1 row added, 14 cells. The previous version is kept as registered (backup ")

    # Both runs change the same parts (workbook.xml already asks for recalculation: `new` set it); the
    # register's run differs from the plain one only in B31:E31.
    plain_parts, registered_parts = parts_of(plain), parts_of(registered)
    assert list(plain_parts) == list(registered_parts) == list(before)
    changed = {name for name in before if registered_parts[name] != before[name]}
    assert changed == {name for name in before if plain_parts[name] != before[name]} == {
        "xl/worksheets/sheet1.xml", "xl/tables/table1.xml"}
    assert {name for name in before if plain_parts[name] != registered_parts[name]} == {"xl/worksheets/sheet1.xml"}
    sheet = "xl/worksheets/sheet1.xml"
    old_rows, new_rows = rows_of(before[sheet]), rows_of(registered_parts[sheet])
    assert {n for n in set(old_rows) | set(new_rows) if old_rows.get(n) != new_rows.get(n)} == {31}
    plain_cells, registered_cells = cells_of(plain_parts[sheet]), cells_of(registered_parts[sheet])
    assert {ref for ref in registered_cells if plain_cells.get(ref) != registered_cells[ref]} == {
        "B31", "C31", "D31", "E31"}
    assert registered_cells["C31"].endswith(b"<is><t>Year 4</t></is></c>")
