"""manifest.csv and mailing.csv describe every file formkit wrote into their
folder, run after run: several form kinds into one --out, a second letter run
into Letters/, a second print pack."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

from formkit.documents import merge_csv
from formkit.forms.generate import generate_forms
from formkit.letters.letter import LetterRequest, generate_letters
from formkit.letters.pack import PackEntry, PackItem, PrintPack, write_mailing_csv
from tests.formhelpers import REGISTER, SETTINGS, TERM_START

DAY = date(2026, 9, 3)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_a_run_merges_into_the_folders_manifest(tmp_path):
    manifest = tmp_path / "manifest.csv"
    for name in ("a.docx", "b.docx", "gone.docx"):
        (tmp_path / name).write_text(name)
    header = ["upn", "name", "file", "sha256", "status", "detail"]
    merge_csv(manifest, header, [["U1", "=Ann", "a.docx", "1", "written", ""], ["U2", "Bo", "b.docx", "2", "written", ""],
                                 ["U3", "Cy", "gone.docx", "3", "written", ""], ["U4", "Di", "", "", "failed", "why"]])
    (tmp_path / "gone.docx").unlink()
    (tmp_path / "c.docx").write_text("c")
    kept = merge_csv(manifest, header, [["U2", "Bo", "b.docx", "22", "written", ""],
                                        ["U5", "Ed", "c.docx", "5", "written", ""]])
    rows = rows_of(manifest)
    assert kept == 1
    # a.docx from the first run stays (its name still marked formula-safe, once); b.docx is this run's;
    # gone.docx is no longer there; the first run's failure was that run's
    assert [(r["file"], r["sha256"], r["name"]) for r in rows] == [("a.docx", "1", "'=Ann"), ("b.docx", "22", "Bo"),
                                                                    ("c.docx", "5", "Ed")]


def test_a_manifest_of_another_shape_keeps_its_columns(tmp_path):
    manifest = tmp_path / "manifest.csv"
    (tmp_path / "letter.docx").write_text("x")
    (tmp_path / "form.docx").write_text("y")
    merge_csv(manifest, ["recipient", "files", "status"], [["Mrs A", "letter.docx; letter.pdf", "written"]],
              key="files")
    merge_csv(manifest, ["upn", "file", "status"], [["U1", "form.docx", "written"]])
    assert rows_of(manifest) == [{"upn": "", "file": "", "status": "written", "recipient": "Mrs A",
                                  "files": "letter.docx; letter.pdf"},
                                 {"upn": "U1", "file": "form.docx", "status": "written", "recipient": "",
                                  "files": ""}]


def test_three_form_kinds_into_one_folder_are_all_in_its_manifest(tmp_path):
    written = {}
    for kind in ("iep-review", "impact", "referral"):
        report = generate_forms(REGISTER, SETTINGS, tmp_path, kind=kind, term="Autumn 2026", today=TERM_START)
        assert report.ok
        written[kind] = {r.file for r in report.results if r.file}
    rows = rows_of(tmp_path / "manifest.csv")
    files = [r["file"] for r in rows]
    assert len(files) == len(set(files)) == sum(len(v) for v in written.values())
    assert set(files) == set().union(*written.values())
    for row in rows:
        assert hashlib.sha256((tmp_path / row["file"]).read_bytes()).hexdigest() == row["sha256"]
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.docx")}
    assert on_disk == set(files)


def test_a_second_letter_run_into_the_folder_keeps_the_first_runs_letters_in_the_manifest(tmp_path):
    register = REGISTER
    out = tmp_path / "Letters"
    first = generate_letters(register, SETTINGS, out, LetterRequest("iep_cover", letter_date=DAY, term="Autumn 2026"))
    second = generate_letters(register, SETTINGS, out, LetterRequest(
        "sen_register", letter_date=DAY, term="Autumn 2026", only=["L801200025022", "Q801200023013"]))
    assert len(second.letters) >= 2
    rows = rows_of(out / "manifest.csv")
    listed = [r["files"] for r in rows if r["files"]]
    expected = [r.file for r in first.letters + second.letters]
    assert sorted(listed) == sorted(expected) and len(set(listed)) == len(listed)
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.docx")} == set(listed)
    # the same run again lists each letter once, as kept
    again = generate_letters(register, SETTINGS, out, LetterRequest(
        "sen_register", letter_date=DAY, term="Autumn 2026", only=["L801200025022", "Q801200023013"]))
    assert again.count("kept") == len(second.letters)
    assert sorted(r["files"] for r in rows_of(out / "manifest.csv") if r["files"]) == sorted(expected)


def pack(path: Path, *who: tuple[str, str]) -> PrintPack:
    path.write_bytes(b"%PDF-1.4 pretend pack")
    entries = tuple(PackEntry(PackItem(recipient, pupil, "U", "1P, Year 1", ("1 Road", "Town"), "EX1 1AA", ()),
                              n, 2 * n - 1, 2) for n, (recipient, pupil) in enumerate(who, 1))
    return PrintPack(path, 2 * len(who), 1, entries)


def test_mailing_csv_describes_every_print_pack_still_there(tmp_path):
    mailing = tmp_path / "mailing.csv"
    autumn = pack(tmp_path / "autumn.pdf", ("Mrs Clarke", "Ruby Clarke"), ("Mr Martin", "Chloé Martin"))
    write_mailing_csv(autumn, mailing, "IEP letter")
    write_mailing_csv(pack(tmp_path / "invites.pdf", ("Mrs Clarke", "Ruby Clarke")), mailing, "Review invitation")
    assert [(r["print_file"], r["pack"], r["letter"]) for r in rows_of(mailing)] == [
        ("autumn.pdf", "1", "IEP letter"), ("autumn.pdf", "2", "IEP letter"), ("invites.pdf", "1", "Review invitation")]
    write_mailing_csv(pack(tmp_path / "autumn.pdf", ("Mr Martin", "Chloé Martin")), mailing, "IEP letter")
    (tmp_path / "invites.pdf").unlink()
    write_mailing_csv(pack(tmp_path / "autumn.pdf", ("Mr Martin", "Chloé Martin")), mailing, "IEP letter")
    assert [(r["print_file"], r["recipient"]) for r in rows_of(mailing)] == [("autumn.pdf", "Mr Martin")]
