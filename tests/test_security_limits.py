"""docs/security.md's table of limits and the code's constants cannot drift:
each number in the table is the constant it names, and every limit constant of
the modules the table covers is in it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "security.md"
UNITS = {"KB": 1024, "MB": 1024**2, "GB": 1024**3}
LIMIT_NAME = re.compile(r"^(MAX_[A-Z_]+|MIN_NAME_[A-Z_]+|[A-Z_]+_SECONDS|SECONDS_PER_[A-Z_]+|SHOWN_PER_KIND|"
                        r"RATIO_FROM_BYTES|HEADER_SCAN_ROWS)\b", re.MULTILINE)


def _table() -> list[tuple[str, str, str]]:
    """(what, number, dotted constant) for each row of the 'Every limit' table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Every limit, with its number", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`formkit."):
            rows.append((cells[0], cells[1], cells[2].strip("`")))
    return rows


def _value(number: str) -> float:
    """'20 MB' -> 20,971,520; '1,000,000 bytes' -> 1,000,000; '2 s' -> 2."""
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?:\s+(\w+))?", number)
    assert m, f"cannot read the number {number!r}"
    return float(m.group(1).replace(",", "")) * UNITS.get(m.group(2) or "", 1)


def _constant(dotted: str) -> float:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


ROWS = _table()


def test_the_table_is_there_and_names_each_constant_once():
    assert len(ROWS) >= 35
    names = [dotted for _, _, dotted in ROWS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("what,number,dotted", ROWS, ids=[dotted for _, _, dotted in ROWS])
def test_each_number_in_the_doc_is_the_codes(what: str, number: str, dotted: str):
    assert _value(number) == _constant(dotted), f"docs/security.md says {number} for {what}; {dotted} is " \
                                                f"{_constant(dotted)}"


def test_every_limit_constant_of_those_modules_is_in_the_table():
    """A limit added to one of the modules the table covers must be added to the
    table too (the constants a module defines, not those it imports)."""
    listed = {dotted for _, _, dotted in ROWS}
    modules = {dotted.rsplit(".", 1)[0] for dotted in listed}
    missing = []
    for module in sorted(modules):
        source = Path(importlib.import_module(module).__file__).read_text(encoding="utf-8")
        for name in LIMIT_NAME.findall(source):
            if f"{module}.{name}" not in listed and isinstance(_constant(f"{module}.{name}"), (int, float)):
                missing.append(f"{module}.{name}")
    assert missing == []


def test_the_numbers_in_the_prose_agree_with_the_table():
    """The sections above the table give the same numbers."""
    text = DOC.read_text(encoding="utf-8")
    guard = importlib.import_module("formkit.guard")
    sandbox = importlib.import_module("formkit.documents.sandbox")
    store = importlib.import_module("formkit.records.store")
    cells = importlib.import_module("formkit.register.cell_text")
    files = importlib.import_module("formkit.files")
    expected = [
        f"ratio of {guard.MAX_RATIO} for any part over {guard.RATIO_FROM_BYTES:,} bytes",
        f"numbers of at most **{sandbox.MAX_INT_BITS:,} bits**",
        f"powers up to `** {sandbox.MAX_POWER}`",
        f"After **{importlib.import_module('formkit.register.pupils').SHOWN_PER_KIND}** problems",
        f"more than **{cells.MAX_ROWS:,}** rows",
        f"up to **{cells.MAX_DETAIL_ROWS:,}**",
        f"at most {files.MAX_NAME_BYTES} UTF-8",
        f"older than {files.STALE_SECONDS:,} s",
        f"A manifest over {importlib.import_module('formkit.letters.enclosures').MAX_MANIFEST_BYTES // 1024 ** 2} MB",
        f"no bigger than {guard.MAX_INPUT_BYTES // 1024 ** 2} MB",
        f"{guard.MAX_PART_BYTES // 1024 ** 2} MB per part, {guard.MAX_TOTAL_BYTES // 1024 ** 2} MB in total, "
        f"{guard.MAX_MEMBERS:,} parts",
        f"**{sandbox.MAX_TEXT:,} characters** in any one text value",
        f"**{sandbox.MAX_SEQUENCE:,} items**",
        f"**{sandbox.MAX_WIDTH:,}** for any width",
        f"**{sandbox.COMPILE_SECONDS:g} seconds**",
        f"**{sandbox.RENDER_SECONDS:g} seconds** to fill a template in",
        f"waited for up to\n  {store.BUSY_SECONDS} s",
    ]
    assert [e for e in expected if e not in text] == []
