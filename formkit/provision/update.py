"""Building a provision map, and keeping the SENCo's one up to date without harm.

:func:`update_map` applies records (see :mod:`formkit.provision.sources`) to the
Provision sheet of an existing workbook. Rows are matched by (UPN, intervention,
start date); a matched row's cells are changed where the record says something
new, and records with no row are appended after the last provision row, inside
the table, drop-downs and conditional formats, with the row above's formulas.
Rows no record matches, and columns formkit does not know, are never touched;
nothing is deleted. Cells holding formulas keep them. Given the SEN register, an
appended row for a pupil new to the map takes the pupil's details from it, as
:func:`new_map` does. The edit is made at the XML level (:mod:`formkit.ooxml.xlsx_package`
reads, :mod:`formkit.ooxml.sheet_editor` edits), so everything else in the file keeps its
bytes.

A real run refuses while the workbook is open (Excel's ``~$name`` owner file,
LibreOffice's ``.~lock.name#``) or when the file changed on disk after it was
read; it keeps a timestamped backup beside the workbook, writes the new file to a
temporary file in the same folder, checks that it opens and holds the intended
cells, and renames it over the original in one step. ``dry_run`` reports the same
changes and writes nothing.

:func:`new_map` builds a new workbook from the bundled template, the SEN register
and (optionally) a provisions sheet, with the same machinery.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..codes import year_label
from ..errors import OutputError, Problem, WorkbookError
from ..files import private_dir, write_checked
from ..model import Pupil
from ..ooxml import (
    Change,
    SheetEditor,
    Value,
    build_edits,
    read_bytes,
    refuse_if_open,
    refuse_unsafe,
    save_edits,
    show,
    verify_written,
)
from ..register import Register, as_text, load_register
from ..resources import bundled
from ..settings import Settings
from .columns import (
    COLUMNS,
    FILL_ONLY_FIELDS,
    FORMULA_FIELDS,
    PUPIL_FIELDS,
    ProvisionRecord,
    is_known,
)
from .sources import Sources, read_sources
from .workbook import ProvisionMap

TEMPLATE = ("templates", "xlsx", "provision_map.xlsx")


@dataclass
class UpdateResult:
    """What an update or a new map did (or, for a dry run, would do)."""

    workbook: Path
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_updated: int = 0
    rows_added: int = 0
    backup: Path | None = None
    written: bool = False
    dry_run: bool = False
    created: bool = False
    pupils: int = 0
    rows: dict[int, tuple[str, bool]] = field(default_factory=dict)
    """Row number -> (the provision it holds, whether the row is new)."""

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        if self.created:
            pupils = self.pupils
            return (f"Wrote {self.workbook}: {self.rows_added} row{'s' if self.rows_added != 1 else ''} for"
                    f" {pupils} pupil{'s' if pupils != 1 else ''}. Open it in Excel; the Summary sheet adds it up.")
        cells = len(self.changes)
        counts = (f"{self.rows_updated} row{'s' if self.rows_updated != 1 else ''} updated,"
                  f" {self.rows_added} row{'s' if self.rows_added != 1 else ''} added, {cells} cells")
        if self.dry_run:
            return f"Dry run: {self.workbook} would change: {counts}. Nothing was written."
        if not self.changes:
            return f"{self.workbook} is up to date: nothing to change."
        line = f"{self.workbook}: {counts}."
        if self.backup:
            line += f" The previous version is kept as {self.backup.name}."
        return line

    def text(self) -> str:
        lines = [str(p) for p in self.problems] + [f"Note: {n}" for n in self.notes]
        if not self.created:
            lines += self.change_lines()
        lines.append(self.summary())
        errors = sum(1 for p in self.problems if p.severity == "error")
        if errors:
            lines.append(f"{errors} problem{'s' if errors != 1 else ''} above left values or rows out; fix the"
                         " source and run the update again.")
        return "\n".join(lines)


    def change_lines(self) -> list[str]:
        """Every change, cell by cell, grouped under the row it is in."""
        by_row: dict[int, list[Change]] = {}
        for change in self.changes:
            by_row.setdefault(change.row, []).append(change)
        lines = []
        for number in sorted(by_row):
            if number in self.rows:
                label, new = self.rows[number]
                lines.append(f"Row {number} ({'new: ' if new else ''}{label}):")
            for change in sorted(by_row[number], key=lambda c: c.col):
                lines.append(f"  {change}" if number in self.rows else str(change))
        return lines


def update_map(workbook: Path | str, sources: Sequence[Path | str], *, dry_run: bool = False,
               now: datetime | None = None, settings: Settings | None = None,
               register: Path | str | None = None) -> UpdateResult:
    """Apply ``sources`` to the provision map ``workbook``; see the module doc.
    ``settings`` gives the forms reader the school's rating scales (and the
    register's column map).

    With ``register`` (the SEN register), a row added for a pupil not yet on the
    map takes the pupil's name, year group and class from the register, and the
    area of need of their primary need unless the record gives one; a pupil
    already on the map keeps the map's details, and the register fills only what
    they leave blank. Impact forms are read with the register, so the forms
    reader matches and checks their pupils, and a sheet's row with no UPN is
    matched by name and date of birth. The register's row errors are reported.

    Raises WorkbookError (nothing written) when the workbook is open, changed on
    disk while formkit worked, is protected, or cannot take the change without
    losing something; InputFileError or RegisterError when a source or the
    register cannot be read.
    """
    workbook = Path(workbook)
    refuse_if_open(workbook)
    original = read_bytes(workbook)
    pmap = ProvisionMap(workbook, required=("upn", "intervention", "start_date"))
    refuse_unsafe(pmap.sheet)
    pupils = load_register(register, column_map=settings.column_map if settings else None) if register else None
    found = read_sources(sources, pmap.lists, settings=settings, register=pupils)
    problems = [p for p in pupils.problems if p.severity == "error"] if pupils else []
    result = UpdateResult(workbook, problems=problems + found.problems, notes=found.notes, dry_run=dry_run)
    editor = plan(pmap, found.records, result, pupils)
    result.changes = editor.changes
    result.notes += editor.notes
    if dry_run or not editor.changed:
        return result
    result.backup = save_edits(workbook, pmap.package, original, [editor], now=now)
    result.written = True
    return result


def _same(current: object, new: object) -> bool:
    if current is None or (isinstance(current, str) and not current.strip()):
        return new is None or (isinstance(new, str) and not new.strip())
    if isinstance(new, date) or isinstance(current, date):
        return current == new
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        try:
            return math.isclose(float(current), float(new), abs_tol=1e-9)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    return as_text(current) == as_text(new)  # type: ignore[arg-type]


def plan(pmap: ProvisionMap, records: Sequence[ProvisionRecord], result: UpdateResult,
         register: Register | None = None) -> SheetEditor:
    """Record in a SheetEditor every change the records make to the map; rows
    added for new provisions take pupil details from the map's other rows for
    the pupil, else from ``register`` (see :func:`update_map`)."""
    editor = SheetEditor(pmap.sheet)
    index: dict[tuple[str, str, date | str | None], list[int]] = {}
    by_upn: dict[str, list[int]] = {}
    placeholders: dict[str, list[int]] = {}
    # the records' pupils' rows, from the key columns only: a row is decoded whole when it changes
    for row in pmap.rows_of({record.key[0] for record in records}):
        key = row.key
        if key is not None:
            index.setdefault(key, []).append(row.number)
        upn = "".join(row.upn.split()).upper()
        by_upn.setdefault(upn, []).append(row.number)
        if not row.intervention:
            placeholders.setdefault(upn, []).append(row.number)
    merged: dict[tuple[str, str, date | str | None], ProvisionRecord] = {}
    for record in records:
        earlier = merged.get(record.key)
        if earlier is None:
            merged[record.key] = ProvisionRecord(record.upn, record.intervention, record.start_date,
                                                 dict(record.values), record.source)
        else:
            earlier.values.update(record.values)
            result.notes.append(f"{record.label} is in {earlier.source} and {record.source}; the later values win")
    missing_columns: set[str] = set()
    new: list[ProvisionRecord] = []
    near: dict[tuple[str, str], list[int]] = {}
    for key, numbers in index.items():
        near.setdefault(key[:2], []).extend(numbers)
    for key, record in merged.items():
        numbers = index.get(key, [])
        if len(numbers) > 1:
            listed = " and ".join(str(n) for n in numbers)
            result.problems.append(Problem("error", f"rows {listed} of the provision map are both this provision;"
                                           " formkit changes neither until one is removed", record.source,
                                           pupil=record.label))
            continue
        if numbers:
            changed = _apply_row(editor, pmap, _values(pmap, numbers[0]), numbers[0], record, missing_columns)
            result.rows_updated += changed
            if changed:
                result.rows[numbers[0]] = (record.label, False)
            continue
        _hint(record, near.get(record.key[:2], []), result)
        waiting = placeholders.get(record.key[0])
        if waiting:
            number = waiting.pop(0)
            _fill_placeholder(editor, pmap, _values(pmap, number), number, record, missing_columns)
            result.rows_updated += 1
            result.rows[number] = (record.label, False)
            continue
        new.append(record)
    if new:
        for number, record in _append(editor, pmap, new, by_upn, missing_columns, register):
            result.rows[number] = (record.label, True)
        result.rows_added = len(new)
    pmap.fit_rows(editor)
    for name in sorted(missing_columns):
        result.notes.append(f"the provision map has no {name.replace('_', ' ')} column, so those values are not"
                            " written")
    return editor


def _values(pmap: ProvisionMap, number: int) -> dict[str, Value]:
    row = pmap.row(number)
    return row.values if row is not None else {}


def _hint(record: ProvisionRecord, near: list[int], result: UpdateResult) -> None:
    """Warn when the pupil has this intervention with another start date: a typing mistake adds a row."""
    if near:
        result.problems.append(Problem(
            "warning", f"row {near[0]} has this pupil and intervention with another start date, so a new row is"
            " added; if one of the dates is a typing mistake, correct it and delete the extra row",
            record.source, pupil=record.label))


def _fill_placeholder(editor: SheetEditor, pmap: ProvisionMap, current: dict, number: int,
                      record: ProvisionRecord, missing: set[str]) -> None:
    """Give the pupil's placeholder row (a UPN and no intervention, as
    ``provision-map new`` writes them without a provisions sheet) this
    provision, instead of listing the pupil twice. The SENCo's own values in the
    row stay as :func:`_apply_row` keeps them."""
    for name, value in (("intervention", record.intervention), ("start_date", record.start_date)):
        col = pmap.columns.get(name)
        if value not in (None, "") and col is not None:
            editor.write(number, col, value)
    _apply_row(editor, pmap, current, number, record, missing)


def _apply_row(editor: SheetEditor, pmap: ProvisionMap, current: dict, number: int, record: ProvisionRecord,
               missing: set[str]) -> bool:
    changed = False
    for name, value in record.values.items():
        if name in ("upn", "intervention", "start_date"):
            continue
        col = pmap.columns.get(name)
        if col is None:
            missing.add(name)
            continue
        cell = pmap.sheet.cell(number, col)
        if cell is not None and (cell.formula is not None or cell.rich):
            if name not in FORMULA_FIELDS:
                editor.notes.append(f"{pmap.sheet.name}!{cell.ref} keeps its formula; {show(value)} from"
                                    f" {record.source} is not written there")
            continue
        old = current.get(name)
        if _same(old, value) or (old not in (None, "") and (name in FILL_ONLY_FIELDS
                                                            or not is_known(name, value, pmap.lists))):
            continue
        editor.write(number, col, value)
        changed = True
    return changed


def _append(editor: SheetEditor, pmap: ProvisionMap, records: list[ProvisionRecord],
            by_upn: Mapping[str, list[int]], missing: set[str], register: Register | None = None
            ) -> list[tuple[int, ProvisionRecord]]:
    """Add a row per record after the last provision row. Pupil details come
    from the pupil's rows already on the map (``by_upn``: their numbers), else from
    ``register``; a note names the ones still to fill in."""
    last = pmap.last_data_row
    header = pmap.header_row
    prepared = pmap.sheet.rows.get(header + 1)
    model = last if last > header else (header + 1 if prepared and any(
        c.formula is not None for c in prepared.cells.values()) else None)
    editor.append_rows(last + 1, len(records), model=model, span=pmap.span, table=pmap.table, header_row=header)
    added: list[tuple[int, ProvisionRecord]] = []
    for offset, record in enumerate(records):
        number = last + 1 + offset
        values = dict(record.values)
        known = [pmap.values_of(n, PUPIL_FIELDS) for n in by_upn.get(record.upn, [])]
        pupil = register.by_upn(record.upn) if register is not None else None
        if pupil is not None and not known:
            _add_pupil(values, pupil)
        for name in PUPIL_FIELDS:
            choices = {as_text(v.get(name)) for v in known if as_text(v.get(name))}  # type: ignore[arg-type]
            if len(choices) == 1 and (name not in values or name in FILL_ONLY_FIELDS):
                values[name] = choices.pop()
        if pupil is not None and known:
            details: dict[str, Value] = {}
            _add_pupil(details, pupil)
            for name, value in details.items():
                values.setdefault(name, value)
        blank = [COLUMNS[n][0] for n in PUPIL_FIELDS if n not in values and n in pmap.columns]
        if blank and record.intervention:
            unknown = f" (UPN {record.upn} is not in the register {register.file})" if (
                register is not None and pupil is None) else ""
            editor.notes.append(f"row {number} ({record.label}) is new: fill in its {', '.join(blank)}, which"
                                f" the records do not give{unknown}")
        added.append((number, record))
        for name, value in values.items():
            col = pmap.columns.get(name)
            if col is None:
                missing.add(name)
                continue
            cell = pmap.sheet.cell(number, col)
            if cell is not None and cell.formula is not None:
                continue
            editor.write(number, col, value, over_new_formula=True)
    return added


def new_map(register: Path | str, out: Path | str, *, settings: Settings, provisions: Path | str | None = None,
            today: date | None = None) -> UpdateResult:
    """Build a new provision map at ``out`` from the bundled template.

    With ``provisions``, one row per provision in it, with each pupil's name,
    year group, class and area of need from the register (a provision for a UPN
    not on the register is kept, with a warning). Without it, one row per pupil
    with SEN support or an EHC plan, with the intervention left to fill in.
    Refuses (OutputError) to replace an existing file.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise OutputError("the provision map must be an Excel workbook whose name ends in .xlsx", file=str(out))
    if out.exists():
        raise OutputError("already exists; formkit will not overwrite a provision map. Use 'formkit provision-map"
                          " update' to bring it up to date, or choose another name", file=str(out))
    data = load_register(register, column_map=settings.column_map, today=today)
    pmap = ProvisionMap(bundled(*TEMPLATE), required=("upn", "intervention", "start_date"))
    result = UpdateResult(out, problems=[p for p in data.problems if p.severity == "error"])
    pupils = {p.upn: p for p in data.pupils}
    records: list[ProvisionRecord] = []
    if provisions is not None:
        found: Sources = read_sources([provisions], pmap.lists, settings=settings, register=data)
        result.problems += found.problems
        result.notes += found.notes
        for record in found.records:
            pupil = pupils.get(record.upn)
            if pupil is None:
                result.problems.append(Problem("warning", f"UPN {record.upn} is not in the register {register}; the"
                                               " row is added with the provisions sheet's details", record.source,
                                               pupil=record.label))
            else:
                _add_pupil(record.values, pupil)
            records.append(record)
    else:
        for pupil in data.on_register():
            values: dict[str, Value] = {"upn": pupil.upn}
            _add_pupil(values, pupil)
            records.append(ProvisionRecord(pupil.upn, "", None, values, str(register)))
    order = {upn: i for i, upn in enumerate(pupils)}
    records.sort(key=lambda r: (order.get(r.upn, len(order)), r.start_date or date.max, r.intervention.casefold()))
    editor = SheetEditor(pmap.sheet)
    editor.write(1, 1, f"Provision map: {settings.school.name}")
    merged: dict[object, ProvisionRecord] = {}
    for record in records:
        if record.intervention and record.key in merged:
            result.problems.append(Problem("warning", "this provision is listed twice; the row is added once",
                                           record.source, pupil=record.label))
            continue
        merged[record.key if record.intervention else (record.upn, id(record))] = record
    unique = list(merged.values())
    if unique:
        for number, record in _append(editor, pmap, unique, {}, set()):
            result.rows[number] = (record.label, True)
    pmap.fit_rows(editor)
    result.rows_added = len(unique)
    result.pupils = len({r.upn for r in unique})
    result.created = True
    result.changes = editor.changes
    data_bytes, parts = build_edits(pmap.package, [editor])
    private_dir(out.parent)
    write_checked(out, data_bytes, lambda temporary: verify_written(temporary, pmap.package, parts))
    result.written = True
    return result


def _add_pupil(values: dict[str, Value], pupil: Pupil) -> None:
    """The register's name, year group and class (the MIS is right about those);
    the area of need of the pupil's primary need unless the provision gives one."""
    values["pupil"] = pupil.name
    values["year"] = year_label(pupil.year)
    if pupil.class_name:
        values["class_name"] = pupil.class_name
    if pupil.areas:
        values.setdefault("area", pupil.areas[0].value)
