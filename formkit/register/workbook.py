"""The register workbook formkit writes: a new one in formkit's layout, or rows
added to the SENCo's own.

:func:`import_transfers` is ``formkit register import``: it reads Common Transfer
Files (:mod:`.ctf`) and puts their pupils into a register workbook, with a
Register sheet, a Contacts sheet and an empty Targets sheet when the workbook is
new, so the SENCo carries on in Excel. Into an existing workbook it only adds
rows, after the last row of the Register and Contacts sheets (or a Contacts sheet
of its own, when there is none), under whatever headings the SENCo's columns
have; the change is spliced into the file's bytes and saved safely
(:mod:`formkit.ooxml.workbook_file`: refused while open, checked, backed up). A
pupil already on the register is reported, never duplicated or overwritten. A
pupil whose record has problems is still written, with the values as the file
gave them, so that ``register check`` names each cell to correct.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..codes import SenStatus, normalise_upn, parse_need, parse_status
from ..errors import OutputError, Problem, RegisterError
from ..files import CONFIDENTIAL, private_dir, write_checked
from ..ooxml import (
    SheetEditor,
    Value,
    Worksheet,
    XlsxPackage,
    add_sheet,
    read_bytes,
    refuse_if_open,
    refuse_unsafe,
    save_edits,
)
from .columns import CONTACT_COLUMNS, REGISTER_COLUMNS, REGISTER_REQUIRED, TARGET_COLUMNS
from .ctf import TransferPupil, no_contacts_warning, read_transfer
from .table import Cell, find_header, heading_key
from .values import as_text

REGISTER_LAYOUT = [(name, headings[0]) for name, headings in REGISTER_COLUMNS.items()]
"""A new register's columns: each field under its first heading."""
CONTACT_LAYOUT = [(name, CONTACT_COLUMNS[name][0]) for name in (
    "upn", "name", "relationship", "parental_responsibility", "salutation", "address_1", "address_2", "address_3",
    "address_4", "town", "county", "postcode", "email", "phone", "home_language")]
TARGET_LAYOUT = [(name, headings[0]) for name, headings in TARGET_COLUMNS.items()]
_ADDRESS = ("address_1", "address_2", "address_3", "address_4", "town", "county")
_WIDE = {"legal_surname": 20, "legal_forename": 16, "preferred_surname": 18, "preferred_forename": 18, "name": 26,
         "salutation": 18, "address_1": 24, "address_2": 22, "email": 28, "phone": 44, "target": 50,
         "upn": 16, "dob": 12, "date_added": 12, "town": 14, "county": 14, "relationship": 14, "parental_responsibility": 12}


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    into: Path
    created: bool = False
    written: bool = False
    dry_run: bool = False
    read: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    added: list[tuple[str, int]] = field(default_factory=list)
    contacts_added: int = 0
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    backup: Path | None = None
    sheet: str = "Register"

    @property
    def has_errors(self) -> bool:
        return bool(self.skipped) or any(p.severity == "error" for p in self.problems)

    def text(self) -> str:
        """The report ``formkit register import`` prints."""
        lines = [f"Read {line}." for line in self.read] + [str(p) for p in self.problems]
        lines += [f"Added: {label}, row {row} of sheet '{self.sheet}'." for label, row in self.added]
        lines += [f"Kept: {line}" for line in self.kept] + [f"Not imported: {line}" for line in self.skipped]
        lines += [f"Note: {note}" for note in self.notes]
        pupils = _plural(len(self.added), "pupil")
        contacts = _plural(self.contacts_added, "contact")
        if self.dry_run:
            lines.append(f"Dry run: {self.into} would get {pupils} and {contacts}. Nothing was written.")
        elif not self.written:
            lines.append(f"{self.into} is unchanged: no pupil to add.")
        elif self.created:
            lines.append(f"Wrote {self.into}: {pupils} and {contacts}, on its Register and Contacts sheets, with an"
                         " empty Targets sheet. Open it in Excel to add classes and targets.")
        else:
            line = f"{self.into}: {pupils} and {contacts} added."
            if self.backup:
                line += f" The previous version is kept as {self.backup.name}."
            lines.append(line)
        return "\n".join(lines)


def _width(name: str, heading: str) -> int:
    """A column wide enough for its heading, and for what it usually holds."""
    return max(_WIDE.get(name, 10), len(heading) + 3)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def import_transfers(files: Sequence[Path | str], into: Path | str, *, dry_run: bool = False,
                     column_map: dict[str, str] | None = None, today: date | None = None,
                     now: datetime | None = None) -> ImportResult:
    """Put the pupils of the transfer ``files`` into the register workbook
    ``into``, made new in formkit's layout when it does not exist (see the module
    doc). ``column_map`` is formkit.toml's [register.columns], for finding the
    SENCo's headings. Raises InputFileError or RegisterError for a transfer file
    that cannot be read, OutputError for an ``into`` that is not an .xlsx
    workbook, and WorkbookError (nothing written) when the workbook is open,
    protected, changed meanwhile or cannot take the rows safely."""
    into = Path(into)
    result = ImportResult(into, dry_run=dry_run)
    if into.suffix.lower() not in (".xlsx", ".xlsm"):
        raise OutputError("formkit imports into an Excel workbook; give a name ending in .xlsx (your own register"
                          " workbook, or a new one)", file=str(into))
    incoming: list[TransferPupil] = []
    for file in files:
        transfer = read_transfer(file, today=today)
        result.read.append(f"{transfer.file}: {transfer.header.describe()}, {_plural(len(transfer.pupils), 'pupil')}")
        result.problems += transfer.problems
        missing = no_contacts_warning(transfer)
        if missing:
            result.problems.append(missing)
        incoming += transfer.pupils
    if into.exists():
        _add_to(into, incoming, result, column_map or {}, now)
    else:
        _create(into, incoming, result)
    return result


def _importable(incoming: list[TransferPupil], known: dict[str, str], result: ImportResult,
                existing: dict[str, dict[str, str]] | None = None) -> list[TransferPupil]:
    """The pupils to add: each UPN once, none already in ``known`` (UPN -> where
    it is; ``existing`` has what the register says of them, for comparing)."""
    chosen: list[TransferPupil] = []
    seen: dict[str, TransferPupil] = {}
    for p in incoming:
        if not p.upn:
            result.skipped.append(f"{_in_file(p)}: it has no usable UPN, so formkit cannot keep it apart from other"
                                  " pupils; type the pupil into the register once you have the UPN")
        elif any(q.severity == "error" and q.element == "UPN" for q in p.problems):
            result.skipped.append(f"{_in_file(p)}: the transfer file gives UPN {p.upn} to more than one pupil; ask the"
                                  " sending school which is right")
        elif p.upn in known:
            result.kept.append(f"{label_of(p)} is already on the register ({known[p.upn]}), so it was not changed"
                               + _differences(p, (existing or {}).get(p.upn, {})))
        elif p.upn in seen:
            result.kept.append(f"{label_of(p)} is in two of the transfer files; it is added once")
        else:
            seen[p.upn] = p
            chosen.append(p)
    return chosen


def _differences(p: TransferPupil, theirs: dict[str, str]) -> str:
    said = []
    for name, shown in (("sen_status", "SEN status"), ("primary_need", "primary need"),
                        ("secondary_need", "secondary need"), ("dob", "date of birth")):
        mine, there = _shown(p.values.get(name)), theirs.get(name, "")
        if mine != there and (mine or there):
            said.append(f"{shown} {mine or '(blank)'} in the transfer file, {there or '(blank)'} in the register")
    return ("; check: " + "; ".join(said) + ".") if said else "."


def _shown(value: Any) -> str:
    if isinstance(value, SenStatus):
        return value.value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _cell(name: str, value: Any) -> Value:
    """A record's value as the register's cell holds it."""
    if value is None or value == "":
        return None
    if isinstance(value, SenStatus):
        return value.value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (date, int, float, str)):
        return value
    return str(value)


def year_text(year: int, style: str = "Y") -> str | int:
    """A year group as a register writes it: 'Y4' (``style`` 'Y'), 'Year 4'
    ('Year') or 4 ('') ; Reception is 'R' ('Reception' in the 'Year' style),
    nursery 'N1' or 'N2'."""
    if year < 0:
        return f"N{year + 3}"
    if year == 0:
        return "Reception" if style == "Year" else "R"
    return {"Y": f"Y{year}", "Year": f"Year {year}"}.get(style, year)


def _year_style(values: list[str]) -> str:
    """The way most of a Year column's cells are written: 'Y', 'Year' or ''."""
    counts = {"Y": 0, "Year": 0, "": 0}
    for text in values:
        if re.fullmatch(r"Y\s?\d{1,2}", text, re.I):
            counts["Y"] += 1
        elif re.fullmatch(r"Year\s?\d{1,2}", text, re.I):
            counts["Year"] += 1
        elif text.isdigit():
            counts[""] += 1
    return max(counts, key=lambda k: counts[k]) if any(counts.values()) else "Y"


def label_of(p: TransferPupil) -> str:
    """How the import names a pupil: 'Kuba O'Brien-Kowalski (M801200031001)'."""
    if p.pupil is not None:
        return p.pupil.label
    v = p.values
    name = " ".join(x for x in (v.get("preferred_forename") or v.get("legal_forename"),
                                v.get("preferred_surname") or v.get("legal_surname")) if x)
    return f"{name} ({p.upn})" if p.upn else p.label


def _in_file(p: TransferPupil) -> str:
    files = {q.file for q in p.problems if q.file}
    return f"{p.label} of {Path(files.pop()).name}" if len(files) == 1 else p.label


def _register_row(p: TransferPupil) -> dict[str, Value]:
    row = {name: _cell(name, p.values.get(name)) for name, _ in REGISTER_LAYOUT}
    return {name: value for name, value in row.items() if value is not None}


def _contact_rows(p: TransferPupil) -> list[dict[str, Value]]:
    rows = []
    for contact in p.contacts:
        row: dict[str, Value] = {"upn": p.upn}
        lines = list(contact.get("address_lines", ()))
        for key in ("county", "town"):
            if contact.get(key) and lines and lines[-1] == contact[key]:
                row[key] = lines.pop()
        for n, line in enumerate(lines, start=1):
            row[f"address_{n}"] = line
        for name, _ in CONTACT_LAYOUT:
            if name not in row and name not in _ADDRESS and name in contact:
                row[name] = _cell(name, contact[name])
        if contact.get("home_language") == "English":
            row.pop("home_language", None)
        rows.append({k: v for k, v in row.items() if v not in (None, "")})
    return rows


# ---- a new workbook ---------------------------------------------------------------------------------------

def _create(into: Path, incoming: list[TransferPupil], result: ImportResult) -> None:
    chosen = _importable(incoming, {}, result)
    result.created = True
    contact_rows = [row for p in chosen for row in _contact_rows(p)]
    result.added = [(label_of(p), n) for n, p in enumerate(chosen, start=2)]
    result.contacts_added = len(contact_rows)
    if result.dry_run or not chosen:
        return
    data = _new_workbook([_register_row(p) for p in chosen], contact_rows)
    private_dir(into.parent)
    write_checked(into, data, lambda temporary: _check_new(temporary, [p.upn or "" for p in chosen]))
    result.written = True


def _new_workbook(register: list[dict[str, Value]], contacts: list[dict[str, Value]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    wb.properties.category = CONFIDENTIAL
    wb.properties.title = "SEN register"
    bold, fill = Font(name="Calibri", bold=True), PatternFill("solid", fgColor="DDE4EE")
    for ws, layout, rows in ((wb.active, REGISTER_LAYOUT, register), (wb.create_sheet(), CONTACT_LAYOUT, contacts),
                             (wb.create_sheet(), TARGET_LAYOUT, [])):
        ws.title = {id(REGISTER_LAYOUT): "Register", id(CONTACT_LAYOUT): "Contacts"}.get(id(layout), "Targets")
        ws.append([heading for _, heading in layout])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="top")
        for number, values in enumerate(rows, start=2):
            fitted = _fit(values, {name: 0 for name, _ in layout}, {"year": "Y", "yes": "Yes"})
            for col, (name, _) in enumerate(layout, start=1):
                value = fitted.get(name)
                if value is None:
                    continue
                cell = ws.cell(number, col, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with '='
                elif isinstance(value, date):
                    cell.number_format = "dd/mm/yyyy"
        for col, (name, heading) in enumerate(layout, start=1):
            ws.column_dimensions[ws.cell(1, col).column_letter].width = _width(name, heading)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check_new(temporary: Path, upns: list[str]) -> None:
    """The new workbook reads back as a register with exactly these pupils."""
    from .table import read_table

    table = read_table(temporary, REGISTER_COLUMNS, sheet="Register", required=REGISTER_REQUIRED,
                       error=RegisterError)
    found = [row.text("upn") for row in table.rows]
    if found != upns:
        raise OutputError("the new register did not read back as written; nothing was written", file=str(temporary))


# ---- the SENCo's own workbook -----------------------------------------------------------------------------

@dataclass
class _Sheet:
    """A sheet of the SENCo's workbook as found: its heading row, field -> column,
    the UPNs on it (UPN -> row) and the last row holding anything."""

    sheet: Worksheet
    header: int
    columns: dict[str, int]
    upns: dict[str, list[int]]
    last: int
    names: set[tuple[str, str]] = field(default_factory=set)


def _find(sheet: Worksheet, aliases: dict[str, tuple[str, ...]], mapping: dict[str, str]) -> _Sheet | None:
    numbers = sorted(sheet.rows)[:30]
    dense = []
    for n in numbers:
        cells = sheet.rows[n].cells
        row = [Cell()] * (max(cells) if cells else 0)
        for col, cell in cells.items():
            row[col - 1] = Cell(cell.value if cell.formula is None else None)
        dense.append(row)
    known = {h: f for h, f in mapping.items() if f in aliases}
    found = find_header(dense, aliases, known)
    if found is None:
        return None
    header, columns = numbers[found[0]], {name: col + 1 for name, col in found[1].items()}
    span = (min(columns.values()), max(columns.values()))
    upns: dict[str, list[int]] = {}
    names: set[tuple[str, str]] = set()
    last = header
    for row in sheet.iter_rows():
        if row.number <= header:
            continue
        cells = row.cells
        if any(not c.blank for col, c in cells.items() if span[0] <= col <= span[1]):
            last = row.number
        upn_cell = cells.get(columns["upn"]) if "upn" in columns else None
        try:
            upn = normalise_upn(as_text(upn_cell.value)) if upn_cell is not None and not upn_cell.blank else None
        except ValueError:
            upn = None
        if upn:
            upns.setdefault(upn, []).append(row.number)
            name_cell = cells.get(columns.get("name", 0))
            if name_cell is not None and not name_cell.blank:
                names.add((upn, as_text(name_cell.value).casefold()))
    return _Sheet(sheet, header, columns, upns, last, names)


def _pick(package: XlsxPackage, wanted: tuple[str, ...], aliases: dict[str, tuple[str, ...]],
          mapping: dict[str, str], required: set[str]) -> _Sheet | None:
    names = list(package.sheets)
    by_key = {heading_key(n): n for n in reversed(names)}
    order = [by_key[k] for k in wanted if k in by_key] + [n for n in names if n not in wanted]
    for name in dict.fromkeys(order):
        found = _find(package.worksheet(name), aliases, mapping)
        if found is not None and required <= set(found.columns):
            return found
    return None


def _add_to(into: Path, incoming: list[TransferPupil], result: ImportResult, mapping: dict[str, str],
            now: datetime | None) -> None:
    refuse_if_open(into)
    original = read_bytes(into)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        package = XlsxPackage(into)
    register = _pick(package, ("senregister", "register"), REGISTER_COLUMNS, mapping, REGISTER_REQUIRED)
    if register is None:
        raise RegisterError("has no register sheet formkit can find (a sheet headed UPN, Legal Surname, Legal"
                            " Forename, DOB, Year and SEN Status); is this the SEN register?", file=str(into))
    where = {upn: f"sheet '{register.sheet.name}', row {rows[0]}" for upn, rows in register.upns.items()}
    chosen = _importable(incoming, where, result, _existing_values(register))
    if not chosen:
        return
    contacts = _pick(package, ("contacts",), CONTACT_COLUMNS, mapping, {"upn", "name"})
    editors = [_append(register, [_register_row(p) for p in chosen], REGISTER_LAYOUT, result)]
    result.added = [(label_of(p), register.last + n) for n, p in enumerate(chosen, start=1)]
    result.sheet = register.sheet.name
    rows = [row for p in chosen for row in _contact_rows(p)]
    new_sheet = None
    if contacts is not None:
        rows = [r for r in rows if (str(r["upn"]), str(r.get("name", "")).casefold()) not in contacts.names]
        if rows:
            editors.append(_append(contacts, rows, CONTACT_LAYOUT, result))
    elif rows:
        new_sheet = add_sheet(package, "Contacts", [[h for _, h in CONTACT_LAYOUT]] + [
            [as_text(r.get(name)) for name, _ in CONTACT_LAYOUT] for r in rows],  # type: ignore[arg-type]
            [_width(name, h) for name, h in CONTACT_LAYOUT])
        result.notes.append(f"{into} had no Contacts sheet, so formkit added one with the new pupils' contacts; if"
                            " you keep contacts in a separate file, copy them across")
    result.contacts_added = len(rows)
    for editor in editors:
        result.notes += editor.notes
    if result.dry_run:
        return
    for found in [register] + ([contacts] if contacts is not None else []):
        refuse_unsafe(found.sheet)
    result.backup = save_edits(into, package, original, editors, now=now, new_sheet=new_sheet)
    result.written = True


def _existing_values(register: _Sheet) -> dict[str, dict[str, str]]:
    """UPN -> the register's SEN status, needs and date of birth, as shown, for comparing."""
    values: dict[str, dict[str, str]] = {}
    for upn, rows in register.upns.items():
        cells = register.sheet.rows[rows[0]].cells
        shown: dict[str, str] = {}
        for name in ("sen_status", "primary_need", "secondary_need", "dob"):
            cell = cells.get(register.columns.get(name, 0))
            text = register.sheet.display(cell) if cell is not None and not cell.blank else ""
            parse = {"sen_status": lambda t: parse_status(t).value, "primary_need": parse_need,
                     "secondary_need": parse_need}.get(name)
            try:
                shown[name] = parse(text) if parse and text else text
            except ValueError:
                shown[name] = text
        values[upn] = shown
    return values


def _append(found: _Sheet, rows: list[dict[str, Value]], layout: list[tuple[str, str]],
            result: ImportResult) -> SheetEditor:
    """An editor adding ``rows`` after the sheet's last row, under its own columns
    (:func:`_fit`); a value whose column the sheet lacks is noted, not lost silently."""
    sheet = found.sheet
    editor = SheetEditor(sheet)
    header_cells = sheet.rows[found.header].cells
    span = (min([*found.columns.values(), *header_cells]), max([*found.columns.values(), *header_cells]))
    table = next((t for t in sheet.tables if t.box[1] == found.header), None)
    model = found.last if found.last > found.header else None
    editor.append_rows(found.last + 1, len(rows), model=model, span=span, table=table, header_row=found.header)
    def shown(name: str) -> list[str]:
        col = found.columns.get(name)
        return [sheet.display(r.cells[col]) for n, r in sheet.rows.items() if n > found.header and col in r.cells]

    style = {"year": _year_style(shown("year")), "yes": _yes_style(shown("parental_responsibility"))}
    missing: list[str] = []
    headings = dict(layout) | {"address": "Address"}
    for offset, values in enumerate(rows, start=1):
        for name, value in _fit(values, found.columns, style).items():
            if name not in found.columns:
                if headings[name] not in missing:
                    missing.append(headings[name])
                continue
            editor.write(found.last + offset, found.columns[name], value, over_new_formula=True)
    if missing:
        result.notes.append(f"sheet '{sheet.name}' has no column for {', '.join(missing)}, so those values were not"
                            " written; add the column and import again, or type them in")
    return editor


def _yes_style(values: list[str]) -> str:
    """How most of a yes/no column's cells are written: 'Y' or 'Yes'."""
    short = sum(v.strip().upper() in ("Y", "N") for v in values)
    return "Y" if short * 2 > len(values) else "Yes"


def _fit(values: dict[str, Value], columns: dict[str, int], style: dict[str, str]) -> dict[str, Value]:
    """A row's values for a sheet with these columns: the year and yes/no written
    as the column's other cells are (``style``), and the address lines spread over
    the address columns it has (the last one taking any lines left over, each on
    a line of its own in that cell), or put in one Address cell, one line each."""
    out = {k: v for k, v in values.items() if k not in _ADDRESS and not k.startswith("address_")}
    if isinstance(out.get("year"), int):
        out["year"] = year_text(out["year"], style.get("year", "Y"))  # type: ignore[arg-type]
    if style.get("yes") == "Y" and out.get("parental_responsibility") in ("Yes", "No"):
        out["parental_responsibility"] = str(out["parental_responsibility"])[0]
    lines = [str(v) for k, v in sorted(values.items()) if k.startswith("address_") and v]
    town, county = str(values.get("town") or ""), str(values.get("county") or "")
    if county and "county" in columns:
        out["county"] = county
        county = ""
    if "town" in columns and (town or county):
        out["town"] = ", ".join(t for t in (town, county) if t)  # a county after the town, in its cell
    else:
        lines += [t for t in (town, county) if t]
    have = [n for n in _ADDRESS[:4] if n in columns]
    if not lines:
        return out
    if have:
        for name, line in zip(have, lines):
            out[name] = line
        if len(lines) > len(have):
            out[have[-1]] = "\n".join(lines[len(have) - 1:])  # one cell, its lines read back as lines
    else:
        out["address"] = "\n".join(lines)
    return out
