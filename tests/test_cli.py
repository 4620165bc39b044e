"""The command line: thin, exact errors, exit codes 0/1/2."""

from __future__ import annotations

from pathlib import Path

import click
import docx
import openpyxl
from click.testing import CliRunner

from formkit.cli import cli
from formkit.resources import bundled

from tests.conftest import fill_in_school, make_docx

SAMPLE_REGISTER = str(bundled("samples", "register.xlsx"))


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_generate_ieps_writes_the_register_and_reports(tmp_path):
    out = tmp_path / "IEPs"
    result = run("generate", "ieps", "--register", SAMPLE_REGISTER, "--out", str(out), "--term", "Autumn 2026")
    assert result.exit_code == 0, result.output
    assert f"Autumn 2026: 23 IEPs written, 0 kept (already there), 0 failed, from template iep.docx.\nFiles are in {out}; the list is {out / 'manifest.csv'}.\n" in result.output
    assert len(list(out.rglob("*.docx"))) == 23


def test_missing_register_is_error_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("generate", "ieps", "--register", "nothere.xlsx", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.output.endswith("Error: nothere.xlsx: file not found; check the name and the folder\n")
    assert not (tmp_path / "o").exists()


def test_usage_error_is_exit_2():
    result = run("generate", "ieps", "--out", "x")
    assert result.exit_code == 2
    assert "Error: Missing option '--register'." in result.output


def test_only_takes_several_upns(tmp_path):
    out = tmp_path / "o"
    result = run("generate", "ieps", "--register", SAMPLE_REGISTER, "--out", str(out), "--term", "Autumn 2026",
                 "--only", "Z801200026004, X801200026022")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.rglob("*.docx")) == [
        "Chaudhry, Aarav (X801200026022) - IEP - Autumn 2026.docx",
        "Whitmore, Zoë (Z801200026004) - IEP - Autumn 2026.docx",
    ]


def test_failed_pupils_are_named_and_exit_1(tmp_path):
    template = make_docx(tmp_path / "bad.docx", ["{{ pupil.name }} {{ targets[3].target }}"])
    result = run("generate", "ieps", "--register", SAMPLE_REGISTER, "--out", str(tmp_path / "o"),
                 "--template", str(template), "--term", "Autumn 2026")
    assert result.exit_code == 1
    assert "Failed: Aarav Chaudhry: bad.docx, pupil Aarav Chaudhry (X801200026022): {{ targets[3].target }}" in result.output


def test_templates_check_lists_fields_and_exits_0():
    result = run("templates", "check", "iep")
    assert result.exit_code == 0
    assert result.output.startswith("iep.docx uses 19 fields:\n  iep.review_date\n")
    assert "Every field is supplied." in result.output


def test_templates_check_names_unknown_fields_and_exits_1(tmp_path):
    template = make_docx(tmp_path / "typo.docx", ["{{ pupil.nmae }} {{ pupil.dob }}"])
    result = run("templates", "check", str(template), "--register", SAMPLE_REGISTER)
    assert result.exit_code == 1
    assert "typo.docx uses 2 fields:\n  pupil.dob\n  pupil.nmae\nNot supplied by formkit's data (fix the spelling; see docs/templates.md):\n  pupil.nmae\n" in result.output


def test_templates_check_broken_template_is_an_error(tmp_path):
    template = make_docx(tmp_path / "broken.docx", ["{% for t in targets %}{{ t.target }}"])
    result = run("templates", "check", str(template))
    assert result.exit_code == 1
    assert result.output.startswith('Error: broken.docx: a tag in the paragraph "{% for t in targets %}{{ t.target }}" is broken (')


def test_unknown_template_name_lists_the_bundled_ones():
    result = run("templates", "check", "letter")
    assert result.exit_code == 1
    assert result.output == (
        "Error: there is no template called 'letter'; the bundled ones are: annual_review_report, iep, iep_smart,"
        " one_page_profile, or give a path to a .docx\n"
    )


def test_register_check_clean_sample_exits_0():
    result = run("register", "check", SAMPLE_REGISTER)
    assert result.exit_code == 0
    assert result.output.endswith(
        "30 rows read: 23 on the SEN register (18 K, 5 E), 7 without SEN; 0 errors, 0 warnings.\n"
    )


def test_register_check_with_errors_exits_1(tmp_path):
    bad = tmp_path / "reg.csv"
    bad.write_text("UPN,Surname,Forename,DOB,Year,SEN Status\nB801200005001,Nowak,Ola,31/02/2017,Y3,K\n", encoding="utf-8")
    result = run("register", "check", str(bad))
    assert result.exit_code == 1
    assert "row 2" in result.output and "31/02/2017 is not a real date" in result.output


def test_init_makes_a_workspace_and_refuses_to_overwrite(tmp_path):
    result = run("init", str(tmp_path / "school"))
    assert result.exit_code == 0
    assert (tmp_path / "school" / "formkit.toml").exists()
    assert (tmp_path / "school" / "templates" / "iep.docx").exists()
    again = run("init", str(tmp_path / "school"))
    assert again.exit_code == 1
    assert again.output == f"Error: {tmp_path / 'school' / 'formkit.toml'}: already exists; formkit will not overwrite your settings\n"


def test_workspace_template_and_settings_are_used(tmp_path):
    run("init", str(tmp_path / "school"))
    toml = tmp_path / "school" / "formkit.toml"
    fill_in_school(toml)
    out = tmp_path / "o"
    result = run("--config", str(toml), "generate", "ieps", "--register", SAMPLE_REGISTER, "--out", str(out),
                 "--term", "Autumn 2026", "--only", "Z801200026004")
    assert result.exit_code == 0, result.output
    assert "Note:" not in result.output
    document = docx.Document(str(next(out.rglob("*.docx"))))
    assert "Elm Street Academy" in "\n".join(p.text for p in document.paragraphs)


def test_demo_runs_the_terms_paperwork(tmp_path):
    out = tmp_path / "demo"
    result = run("demo", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Autumn 2026: 23 IEPs written" in result.output
    assert len(list((out / "IEPs").rglob("*Autumn 2026.docx"))) == 23
    assert len(list((out / "IEPs").rglob("*Spring 2027.docx"))) == 23
    assert len(list((out / "letters").rglob("*.docx"))) == 24
    assert len(list((out / "forms" / "impact").rglob("*.docx"))) == 23
    assert "9 files: 8 read, 1 read with warnings, 0 rejected; 11 records." in result.output
    assert (out / "records.sqlite").exists()
    assert (out / "Provision map.xlsx").exists()
    assert "4. Next term: the reviews back draft the spring targets, and the spring IEPs are written" in result.output
    assert ("Spring 2027's targets drafted from Autumn 2026: 2 pupils reviewed, 6 targets carried, 1 achieved (not "
            "carried)") in result.output
    assert "Spring 2027: 23 IEPs written from them, beside the autumn ones in " in result.output
    declan = [row for row in openpyxl.load_workbook(out / "Targets Spring 2027.xlsx")["Targets"].iter_rows(
        values_only=True) if row[0] == "C801200024004"]
    assert [(row[7], row[9]) for row in declan] == [
        (70, "carried from Autumn 2026: partly achieved, 70%"),
        (50, "carried from Autumn 2026: partly achieved, band 50-74%"),
        (None, "new target for Spring 2027"), (None, "new target for Spring 2027")]
    [spring] = (out / "IEPs").rglob("O'Connor, Declan (C801200024004) - IEP - Spring 2027.docx")
    targets = [row.cells[0].text for table in docx.Document(str(spring)).tables for row in table.rows
               if row.cells[0].text.startswith("To ")]
    assert [t[:30] for t in targets] == ["To read and spell the 20 Year ", "To read words with the sounds "]
    assert "5. The provision map, updated from the returned impact forms" in result.output
    assert "6. EHC paperwork: an annual review invitation and an evidence pack" in result.output
    assert len(list((out / "EHC" / "Letters").rglob("*.docx"))) == 1
    assert f"Annual review invitation: 1 letter in {out / 'EHC' / 'Letters'}" in result.output
    assert (out / "EHC" / "Clarke, Ruby (L801200025022) - EHC evidence pack.pdf").exists()


def all_commands(group: click.Group, prefix: str = "formkit") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += all_commands(command, path)
        else:
            found.append((path, command))
    return found


def test_every_command_has_help_and_is_in_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    commands = all_commands(cli)
    assert len(commands) >= 5
    for path, command in commands:
        assert command.help and command.help.strip(), path
        assert f"`{path}" in readme, f"{path} is not in the README's command reference"


def test_templates_check_finds_letter_templates_by_name():
    result = run("templates", "check", "sen_register")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sen_register.docx uses ")
    assert "Every field is supplied." in result.output


def test_init_writes_placeholders_and_documents_wait_until_they_are_filled_in(tmp_path):
    run("init", str(tmp_path / "school"))
    toml = tmp_path / "school" / "formkit.toml"
    text = toml.read_text(encoding="utf-8")
    for sample in ("Hollybrook", "01632 960123", "office@hollybrook", "Okafor", "Whitfield", "EX1 2AB"):
        assert sample not in text
    out = tmp_path / "o"
    ieps = ("--config", str(toml), "generate", "ieps", "--register", SAMPLE_REGISTER, "--out", str(out),
            "--term", "Autumn 2026", "--only", "Z801200026004")
    refused = run(*ieps)
    assert refused.exit_code == 1
    assert refused.output == (
        f"Error: {toml}: [school] name, address, postcode, phone, email, senco, head_teacher and letter_signatory "
        "still say FILL IN: put in your school's own details before formkit writes documents for families (a value "
        "you do not want shown can be empty, \"\")\n")
    assert not out.exists()
    fill_in_school(toml, head_teacher="")
    assert run(*ieps).exit_code == 0


def test_details_copied_from_the_sample_school_are_refused_by_name(tmp_path):
    toml = tmp_path / "formkit.toml"
    toml.write_text(bundled("samples", "formkit.toml").read_text(encoding="utf-8")
                    .replace("Hollybrook Primary School", "Elm Street Academy"), encoding="utf-8")
    fill_in_school(toml, address=["1 Elm Street", "Exampleton"], postcode="EX1 2AB", phone="01632 960 123")
    for command in (["generate", "letters", "--letter", "iep_cover"], ["generate", "forms", "--kind", "impact"],
                    ["generate", "ieps"]):
        result = run("--config", str(toml), *command, "--register", SAMPLE_REGISTER, "--out", str(tmp_path / "o"))
        assert result.exit_code == 1, command
        assert result.output == (
            f"Error: {toml}: [school] address, postcode and phone are still the sample school's (Hollybrook Primary "
            "School): put in your school's own details before formkit writes documents for families (a value you do "
            "not want shown can be empty, \"\")\n")
    assert not (tmp_path / "o").exists()
    checked = run("--config", str(toml), "register", "check", SAMPLE_REGISTER)
    assert checked.exit_code == 0


def test_without_a_formkit_toml_the_sample_school_is_used_with_a_note(tmp_path):
    result = run("generate", "ieps", "--register", SAMPLE_REGISTER, "--out", str(tmp_path / "o"),
                 "--term", "Autumn 2026", "--only", "Z801200026004")
    assert result.exit_code == 0
    assert ("Note: no formkit.toml here, so the sample school's settings (Hollybrook Primary School) are used; "
            "run 'formkit init DIR' to make your own.") in result.output
