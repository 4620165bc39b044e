"""--out replaces only what formkit wrote for it; --overwrite replaces anything;
a link is followed; temporary copies stay private while they exist."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.errors import OutputError
from formkit.files import write_checked
from formkit.records.exports import is_records_file, write_records
from formkit.forms.read import read_forms

TRACKER = Path(__file__).resolve().parents[1] / "data" / "forms" / "tracker.xlsx"


@pytest.fixture(scope="module")
def records():
    return read_forms([TRACKER], None, "auto").records


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_an_export_formkit_wrote_is_replaced_and_anything_else_refused(tmp_path, records, suffix):
    out = tmp_path / f"records{suffix}"
    write_records(out, records[:1])
    assert is_records_file(out)
    write_records(out, records)
    other = tmp_path / f"mine{suffix}"
    other.write_bytes(b"the SENCo's own notes")
    with pytest.raises(OutputError, match="already exists and is not a records file formkit wrote"):
        write_records(other, records)
    assert other.read_bytes() == b"the SENCo's own notes"
    write_records(other, records, overwrite=True)
    assert is_records_file(other)


def test_cli_overwrite_replaces_a_file_formkit_did_not_write(tmp_path):
    out = tmp_path / "notes.csv"
    out.write_text("name,notes\nsomeone,private\n", encoding="utf-8")
    store = tmp_path / "records.db"
    refused = CliRunner().invoke(cli, ["read", str(TRACKER), "--out", str(out), "--store", str(store)])
    assert refused.exit_code == 1 and not store.exists()
    assert refused.output.endswith(f"Error: {out}: already exists and is not a records file formkit wrote, so "
                                   "formkit will not replace it; give another file name, or add --overwrite to "
                                   "replace it\n")
    done = CliRunner().invoke(cli, ["read", str(TRACKER), "--out", str(out), "--store", str(store), "--overwrite"])
    assert done.exit_code == 0, done.output
    assert is_records_file(out)
    again = CliRunner().invoke(cli, ["records", "export", "--out", str(out), "--store", str(store)])
    assert again.exit_code == 0, again.output


def test_an_export_through_a_link_replaces_the_linked_file(tmp_path, records):
    real = tmp_path / "shared" / "records.json"
    real.parent.mkdir()
    write_records(real, records[:1])
    link = tmp_path / "records.json"
    link.symlink_to(real)
    write_records(link, records)
    assert link.is_symlink() and real.read_text(encoding="utf-8").count('"kind"') == len(records)


def test_the_temporary_copy_is_private_and_the_result_keeps_the_files_mode(tmp_path):
    target = tmp_path / "map.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    seen = []
    write_checked(target, b"new", lambda temporary: seen.append(stat.S_IMODE(temporary.stat().st_mode)))
    assert seen == [0o600]
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["map.xlsx"]
