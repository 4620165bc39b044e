"""A whole term cycle through the CLI: autumn IEPs, review forms filled in as a
teacher does in Word (content controls), read back, next term's targets drafted,
spring IEPs written from them; the autumn IEP re-generated shows the outcomes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from formkit.cli import cli
from formkit.ooxml import fill_document
from formkit.resources import bundled

REGISTER = str(bundled("samples", "register.xlsx"))
DECLAN = "C801200024004"
WORDS = "To read 10 tricky words from the Year 2 list"
COUNT = "To count forwards and back in 2s to 30"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def only_file(folder: Path, pattern: str) -> Path:
    [found] = sorted(folder.rglob(pattern))
    return found


def target_rows(path: Path) -> list[list[str]]:
    """The IEP's target rows: those whose Target cell starts 'To '."""
    rows = [[cell.text.strip() for cell in row.cells] for table in docx.Document(str(path)).tables for row in table.rows]
    return [row for row in rows if any(cell.startswith("To ") for cell in row[:2])]


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def my_targets(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Targets"
    sheet.append(["UPN", "Target", "Achievement Criteria", "Baseline %"])
    sheet.append([DECLAN, WORDS, "Reads all 10 in a week of checks", 20])
    sheet.append([DECLAN, COUNT, "Counts without a number line", 30])
    book.save(path)
    return path


def review_form(tmp_path: Path, store: Path, folder: str, values: dict[str, object]) -> Path:
    """The term's IEP review form for Declan, generated and filled in."""
    run("generate", "forms", "--kind", "iep-review", "--register", REGISTER, "--out", str(tmp_path / folder),
        "--term", "Autumn 2026", "--only", DECLAN, "--store", str(store))
    form = only_file(tmp_path / folder, "*.docx")
    form.write_bytes(fill_document(form.read_bytes(), values))
    return form


END_OF_TERM = {
    "target_1_outcome": "Reads all 10", "target_1_achieved_percent": "100%",
    "target_2_outcome": "Counts to 20 in 2s", "target_2_achieved_percent": "60%",
    "next_steps": "Count in 2s with the bead string daily", "decision": "Set new targets",
}


def test_a_whole_cycle_from_autumn_reviews_to_spring_ieps(tmp_path):
    store = tmp_path / "records.sqlite"
    mine = str(my_targets(tmp_path / "autumn targets.xlsx"))
    ieps = tmp_path / "IEPs"
    autumn = ["generate", "ieps", "--register", REGISTER, "--targets", mine, "--term", "Autumn 2026", "--only",
              DECLAN, "--store", str(store)]
    run(*autumn, "--out", str(ieps))
    form = review_form(tmp_path, store, "Reviews", END_OF_TERM)
    assert "1 added" in run("read", str(form), "--register", REGISTER, "--store", str(store))

    drafted = tmp_path / "next-targets.xlsx"
    output = run("targets", "next", "--register", REGISTER, "--term", "Spring 2027", "--out", str(drafted),
                 "--store", str(store))
    assert ("Spring 2027's targets drafted from Autumn 2026: 1 pupils reviewed, 1 targets carried, 1 achieved (not"
            in output)
    rows = sheet_rows(drafted, "Targets")
    declan = [r for r in rows if r["UPN"] == DECLAN]
    assert declan[0] == {
        "UPN": DECLAN, "Pupil": "Declan O'Connor", "Target": COUNT, "Area": None,
        "Achievement Criteria": "Counts without a number line", "Resources": None, "Strategies": None,
        "Baseline %": 60, "Next steps": "Count in 2s with the bead string daily",
        "From": "carried from Autumn 2026: partly achieved, 60%"}
    assert [r["Target"] for r in declan[1:]] == [None, None, None]
    assert [r["From"] for r in declan[1:]] == ["new target for Spring 2027"] * 3
    assert rows.index(declan[0]) == len(rows) - 4  # the pupils with no review back come first
    assert str(rows[0]["From"]).startswith("no review back for Autumn 2026")
    assert sheet_rows(drafted, "Decisions") == []

    spring = run("generate", "ieps", "--register", REGISTER, "--targets", str(drafted), "--term", "Spring 2027",
                 "--only", DECLAN, "--store", str(store), "--template", "iep_smart", "--out", str(ieps))
    assert "Spring 2027: 1 IEPs written" in spring
    [(number, target, baseline, half_term, achieved)] = target_rows(only_file(ieps, "*Spring 2027.docx"))
    assert (number, target, baseline, half_term, achieved) == ("1", COUNT, "60%", "", "")

    again = run(*autumn, "--out", str(tmp_path / "IEPs again"))
    assert "1 IEPs show the outcomes of their Autumn 2026 review." in again
    outcomes = [row[-1] for row in target_rows(only_file(tmp_path / "IEPs again", "*Autumn 2026.docx"))]
    assert outcomes == ["Achieved (100%): Reads all 10", "Partly achieved (60%): Counts to 20 in 2s"]
    assert [p.name for p in sorted(ieps.rglob("*.docx"))] == [
        "O'Connor, Declan (C801200024004) - IEP - Autumn 2026.docx",
        "O'Connor, Declan (C801200024004) - IEP - Spring 2027.docx"]

    reread = run("read", str(form), "--register", REGISTER, "--store", str(store))
    assert "0 added, 0 replacing an earlier version (kept as history), 1 unchanged" in reread
    redrafted = tmp_path / "again.xlsx"
    run("targets", "next", "--register", REGISTER, "--term", "Spring 2027", "--out", str(redrafted), "--store",
        str(store))
    assert sheet_rows(redrafted, "Targets") == rows


def test_a_half_term_review_fills_the_smart_plans_half_term_column(tmp_path):
    store = tmp_path / "records.sqlite"
    mine = str(my_targets(tmp_path / "autumn targets.xlsx"))
    autumn = ["generate", "ieps", "--register", REGISTER, "--targets", mine, "--term", "Autumn 2026", "--only",
              DECLAN, "--store", str(store), "--template", "iep_smart"]
    run(*autumn, "--out", str(tmp_path / "IEPs"))
    half = review_form(tmp_path, store, "Half term", {"review_date": date(2026, 10, 21),
                                                      "target_1_achieved_percent": "40%", "target_2_band": "25-49%"})
    end = review_form(tmp_path, store, "End of term", {"target_1_achieved_percent": "100%", "target_2_band": "50-74%"})
    run("read", str(half), str(end), "--register", REGISTER, "--store", str(store))
    run(*autumn, "--out", str(tmp_path / "Reviewed"))
    shown = [row[2:] for row in target_rows(only_file(tmp_path / "Reviewed", "*.docx"))]
    assert shown == [["20%", "40%", "100%"], ["30%", "25-49%", "50-74%"]]


def test_targets_next_refuses_to_replace_an_edited_draft_and_needs_a_store(tmp_path):
    drafted = tmp_path / "next.xlsx"
    drafted.write_bytes(b"my edits")
    result = CliRunner().invoke(cli, ["targets", "next", "--register", REGISTER, "--term", "Spring 2027", "--out",
                                      str(drafted), "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1
    assert result.output == (f"Error: targets are drafted from the plans and reviews in the records store "
                             f"({tmp_path / 'none.sqlite'} does not exist); give --store FILE (the one 'generate ieps'"
                             " and 'read' used), or run in a workspace made by 'formkit init'\n")
    store = tmp_path / "s.sqlite"
    run("generate", "ieps", "--register", REGISTER, "--term", "Autumn 2026", "--only", DECLAN, "--store", str(store),
        "--out", str(tmp_path / "IEPs"))
    result = CliRunner().invoke(cli, ["targets", "next", "--register", REGISTER, "--term", "Spring 2027", "--out",
                                      str(drafted), "--store", str(store)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {drafted}: is already there (perhaps with your edits); give another --out, or "
                             "--overwrite to replace it\n")
    assert drafted.read_bytes() == b"my edits"
    first = CliRunner().invoke(cli, ["targets", "next", "--register", REGISTER, "--term", "Autumn 2026", "--out",
                                     str(tmp_path / "x.xlsx"), "--store", str(store)])
    assert first.output == ("Error: Autumn 2026 is the first term in formkit.toml, so there is no term before it to "
                            "draft from; give --from-term NAME\n")
