"""Term start: one IEP per pupil on the register, opened and checked."""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from datetime import date
from pathlib import Path

import docx
import pytest

from formkit.documents.batch import document_path, generate
from formkit.errors import RegisterError
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

from tests.conftest import docx_text, make_docx

SAMPLES = bundled("samples")
TERM = "Autumn 2026"
TODAY = date(2026, 9, 3)


@pytest.fixture(scope="module")
def settings():
    return load_settings(None, cwd=SAMPLES)


@pytest.fixture(scope="module")
def register():
    return load_register(SAMPLES / "register.xlsx")


@pytest.fixture(scope="module")
def batch(tmp_path_factory, register, settings):
    out = tmp_path_factory.mktemp("ieps")
    return generate(register, settings, out, term=TERM, today=TODAY)


def read_manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_one_iep_per_pupil_with_k_or_e_in_year_folders(batch, register):
    on_register = register.on_register()
    assert len(on_register) == 23
    assert batch.ok and batch.count("written") == 23
    for pupil in on_register:
        path = document_path(batch.out, pupil, "IEP", TERM)
        assert path.parent.name == pupil.year_label
        assert path.name == f"{pupil.surname}, {pupil.forename} ({pupil.upn}) - IEP - Autumn 2026.docx"
        assert path.exists()
    for pupil in register.pupils:
        if not pupil.on_register:
            assert not document_path(batch.out, pupil, "IEP", TERM).exists()


def test_each_iep_holds_its_pupil_and_each_target_in_its_own_row(batch, register):
    for pupil in register.on_register():
        document = docx.Document(str(document_path(batch.out, pupil, "IEP", TERM)))
        details, targets = document.tables[0], document.tables[1]
        details_text = [cell.text for row in details.rows for cell in row.cells]
        assert pupil.name in details_text
        assert pupil.dob.strftime("%d/%m/%Y") in details_text
        assert [c.text for c in targets.rows[0].cells] == [
            "Target", "Achievement criteria", "Possible resources & techniques",
            "Possible class strategies/support", "Outcome",
        ]
        rows = targets.rows[1:]
        assert len(rows) == len(pupil.targets)
        for row, target in zip(rows, pupil.targets):
            cells = [c.text for c in row.cells]
            assert cells[:4] == [target.target, target.achievement_criteria, target.resources, target.strategies]


def test_no_iep_holds_another_pupils_name_or_upn(batch, register):
    pupils = register.pupils
    for pupil in register.on_register():
        path = document_path(batch.out, pupil, "IEP", TERM)
        document = docx.Document(str(path))
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
            + [p.text for s in document.sections for p in s.footer.paragraphs]
        )
        for other in pupils:
            if other.upn == pupil.upn:
                continue
            assert other.upn not in text, (pupil.label, other.label)
            assert f"{other.forename} {other.surname}" not in text, (pupil.label, other.label)


def test_escaped_characters_come_out_as_typed(batch, register):
    pupil = register.by_upn("D801200022022")
    [target] = [t for t in pupil.targets if "<" in t.achievement_criteria]
    assert target.achievement_criteria == "Writes for 10 minutes with < 5 prompts in 4 out of 5 writing lessons"
    document = docx.Document(str(document_path(batch.out, pupil, "IEP", TERM)))
    rows = [[c.text for c in r.cells] for r in document.tables[1].rows]
    assert [target.target, target.achievement_criteria] in [row[:2] for row in rows]
    with_ampersand = next(p for p in register.on_register() if any("&" in t.strategies for t in p.targets))
    [target] = [t for t in with_ampersand.targets if "&" in t.strategies][:1]
    document = docx.Document(str(document_path(batch.out, with_ampersand, "IEP", TERM)))
    assert target.strategies in [r.cells[3].text for r in document.tables[1].rows]


def test_manifest_lists_every_file_with_its_checksum(batch):
    rows = read_manifest(batch.out)
    assert len(rows) == 23
    for row in rows:
        assert row["status"] == "written"
        data = (batch.out / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]


def test_output_folder_is_private_and_no_temporary_files_remain(batch):
    if os.name == "posix":
        assert stat.S_IMODE(batch.out.stat().st_mode) == 0o700
    assert not [p for p in batch.out.rglob("*") if p.name.startswith(".formkit-")]


def test_existing_files_are_kept_unless_overwrite(tmp_path, register, settings):
    only = [register.on_register()[0].upn]
    first = generate(register, settings, tmp_path, term=TERM, today=TODAY, only=only)
    path = tmp_path / first.results[0].file
    path.write_bytes(b"the SENCo's own edits")
    again = generate(register, settings, tmp_path, term=TERM, today=TODAY, only=only)
    assert again.results[0].status == "kept"
    assert path.read_bytes() == b"the SENCo's own edits"
    assert read_manifest(tmp_path)[0]["sha256"] == hashlib.sha256(b"the SENCo's own edits").hexdigest()
    replaced = generate(register, settings, tmp_path, term=TERM, today=TODAY, only=only, overwrite=True)
    assert replaced.results[0].status == "written"
    assert path.read_bytes() != b"the SENCo's own edits"


def test_an_existing_file_that_cannot_be_read_fails_that_pupil_not_the_run(tmp_path, register, settings):
    """A folder where a pupil's IEP would go (or a file formkit may not read) is
    that pupil's failure, named, while the other pupils' IEPs are written."""
    pupils = register.on_register()[:2]
    first = generate(register, settings, tmp_path, term=TERM, today=TODAY, only=[pupils[0].upn])
    blocked = tmp_path / first.results[0].file
    blocked.unlink()
    blocked.mkdir()
    again = generate(register, settings, tmp_path, term=TERM, today=TODAY, only=[p.upn for p in pupils])
    results = {r.upn: r for r in again.results}
    assert results[pupils[0].upn].status == "failed"
    assert results[pupils[0].upn].reason == (f"{first.results[0].file}: is already there but cannot be read "
                                              "(Is a directory); check its permissions")
    assert results[pupils[1].upn].status == "written" and blocked.is_dir()


def test_two_jobs_write_the_same_bytes_as_one(tmp_path, register, settings):
    one = generate(register, settings, tmp_path / "one", term=TERM, today=TODAY, jobs=1)
    two = generate(register, settings, tmp_path / "two", term=TERM, today=TODAY, jobs=2)
    assert [(r.file, r.sha256) for r in one.results] == [(r.file, r.sha256) for r in two.results]


def test_only_unknown_upn_is_an_error_naming_it(tmp_path, register, settings):
    with pytest.raises(RegisterError) as caught:
        generate(register, settings, tmp_path, term=TERM, today=TODAY, only=["B801200005001"])
    assert str(caught.value) == (
        f"{SAMPLES / 'register.xlsx'}: no pupil with UPN B801200005001 could be read from the register; check the UPN"
    )
    assert not (tmp_path / "manifest.csv").exists()


def test_a_failing_pupil_is_named_and_the_rest_are_written(tmp_path, register, settings):
    template = make_docx(tmp_path / "four.docx", ["{{ pupil.name }}: {{ targets[3].target }}"])
    report = generate(register, settings, tmp_path / "out", template=template, term=TERM, today=TODAY)
    with_four = [p for p in register.on_register() if len(p.targets) >= 4]
    assert report.count("written") == len(with_four) > 0
    assert len(report.failed) == 23 - len(with_four) > 0
    failed = report.failed[0]
    assert "four.docx" in failed.reason and failed.name in failed.reason and "needs" in failed.reason
    rows = {r["name"]: r for r in read_manifest(tmp_path / "out")}
    assert rows[failed.name]["status"] == "failed" and rows[failed.name]["file"] == ""


def test_file_names_stay_inside_the_output_folder(tmp_path, settings):
    csv_path = tmp_path / "register.csv"
    csv_path.write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year,SEN Status,Primary Need\n"
        "B801200005001,../../etc,..\\evil/name,01/02/2018,Y3,K,SPLD\n",
        encoding="utf-8",
    )
    register = load_register(csv_path)
    report = generate(register, settings, tmp_path / "out", term=TERM, today=TODAY)
    assert report.ok
    written = [p for p in (tmp_path / "out").rglob("*.docx")]
    assert len(written) == 1
    assert written[0].parent == tmp_path / "out" / "Year 3"
    assert written[0].name == "-.-etc, .-evil-name (B801200005001) - IEP - Autumn 2026.docx"


def test_pupil_without_targets_gets_blank_rows_and_a_warning(tmp_path, settings):
    csv_path = tmp_path / "register.csv"
    csv_path.write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year,SEN Status,Primary Need\n"
        "B801200005001,Kowalska,Zofia,01/02/2018,Y3,K,SLCN\n",
        encoding="utf-8",
    )
    report = generate(load_register(csv_path), settings, tmp_path / "out", term=TERM, today=TODAY)
    assert any("Zofia Kowalska (B801200005001) has no targets yet" in w for w in report.warnings)
    document = docx.Document(str(tmp_path / "out" / report.results[0].file))
    assert len(document.tables[1].rows) == 1 + 3


def test_unreadable_register_row_is_a_named_failure_and_the_rest_are_written(tmp_path, settings):
    csv_path = tmp_path / "register.csv"
    csv_path.write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year,SEN Status,Primary Need\n"
        "B801200005001,Kowalska,Zofia,01/02/2018,Y3,K,SLCN\n"
        "M801200005002,Hughes,Ffion,31/02/2017,Y4,K,SPLD\n",
        encoding="utf-8",
    )
    report = generate(load_register(csv_path), settings, tmp_path / "out", term=TERM, today=TODAY)
    assert report.count("written") == 1 and len(report.failed) == 1
    failed = report.failed[0]
    assert failed.name == "Ffion Hughes (M801200005002)"
    assert "row 3" in failed.reason and "31/02/2017 is not a real date" in failed.reason
    assert [r["status"] for r in read_manifest(tmp_path / "out")] == ["failed", "written"]


def test_an_empty_file_from_an_interrupted_run_is_remade_but_any_other_is_kept(tmp_path, register, settings):
    first, second = register.on_register()[:2]
    empty = document_path(tmp_path, first, "IEP", TERM)
    edited = document_path(tmp_path, second, "IEP", TERM)
    for path, data in ((empty, b""), (edited, b"the SENCo's own edits")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    report = generate(register, settings, tmp_path, term=TERM, today=TODAY, only=[first.upn, second.upn])
    results = {r.upn: r for r in report.results}
    assert (results[first.upn].status, results[first.upn].reason) == (
        "written", "replaced an empty file left by an interrupted run")
    assert first.name in "\n".join(p.text for p in docx.Document(str(empty)).tables[0].rows[0].cells[1].paragraphs)
    assert results[second.upn].status == "kept"
    assert edited.read_bytes() == b"the SENCo's own edits"


def test_a_second_term_writes_its_own_ieps_and_keeps_only_its_own(tmp_path, register, settings):
    autumn = generate(register, settings, tmp_path, term=TERM, today=TODAY)
    spring = generate(register, settings, tmp_path, term="Spring 2027", today=TODAY)
    assert (autumn.count("written"), spring.count("written"), spring.count("kept")) == (23, 23, 0)
    again = generate(register, settings, tmp_path, term="Spring 2027", today=TODAY)
    assert (again.count("written"), again.count("kept")) == (0, 23)
    chloe = register.by_upn("Q801200023013")
    assert sorted(p.name for p in (tmp_path / "Year 3").glob("Martin, Chloé*")) == [
        "Martin, Chloé (Q801200023013) - IEP - Autumn 2026.docx",
        "Martin, Chloé (Q801200023013) - IEP - Spring 2027.docx"]
    assert "05/01/2027" in docx_text(document_path(tmp_path, chloe, "IEP", "Spring 2027"))  # the term's start


@pytest.mark.parametrize("jobs", [1, 2])
def test_contexts_are_built_as_the_documents_are_written(tmp_path, register, settings, monkeypatch, jobs):
    """The batch streams: a pupil's context is made only when its document's turn
    comes (with workers, a few chunks ahead), never all of them before the first
    document is written."""
    from formkit.documents import batch as batch_module

    out = tmp_path / "ieps"
    written_when_built: list[int] = []
    real = batch_module.build_context

    def counting(*args, **kwargs):
        written_when_built.append(len(list(out.rglob("*.docx"))) if out.exists() else 0)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, "build_context", counting)
    report = generate(register, settings, out, term=TERM, today=TODAY, jobs=jobs)
    pupils = len(register.on_register())
    assert report.count("written") == pupils and len(written_when_built) == pupils + 1  # + the preflight's
    ahead = 2 * jobs * max(1, min(64, pupils // (jobs * 4) or 1))  # what the workers may be given at most
    assert written_when_built[-1] >= pupils - ahead - 1 > 0
