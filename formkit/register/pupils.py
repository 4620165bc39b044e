"""Reading the SEN register, its targets and contacts into Pupil records.

:func:`load_register` reads the register (a sheet of an .xlsx workbook or a CSV
file, as a MIS exports it), the pupils' IEP targets and their parents' or carers'
contact details, and returns a :class:`Register`: the pupils whose rows could be
used, each with their targets and contacts, and a list of problems. A problem of
severity ``error`` means the row was left out; a ``warning`` means the row was
used but someone should look at it. Each problem names the file, row, the column
heading as the user wrote it, and the pupil, and says how to fix it.
docs/register.md is the user's description of all of this.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..codes import (
    SenStatus,
    normalise_upn,
    year_label,
)
from ..errors import Problem, RegisterError, SettingsError
from ..model import Contact, Pupil, Target
from .cell_text import MAX_DETAIL_ROWS, MAX_ROWS
from .census import NO_PRIMARY_NEED
from .columns import (
    CONTACT_COLUMNS,
    CONTACT_REQUIRED,
    MAX_TARGETS,
    REGISTER_COLUMNS,
    REGISTER_REQUIRED,
    TARGET_COLUMNS,
    TARGET_REQUIRED,
)
from .ctf import TransferPupil, is_transfer_file, no_contacts_warning, read_transfer
from .rows import RowReport, read_contact, read_pupil, read_target, read_upn, row_label
from .table import Row, Table, heading_key, read_table, sheet_names


Warn = Callable[[str, str], None]
"""Adds a warning about one pupil, at that pupil's row or element: (message, topic)."""


@dataclass
class Register:
    """The pupils read from a register, in file order, and the problems found.

    ``rows_read`` counts the register's non-blank data rows; rows with an error
    are not in ``pupils``.
    """

    file: str
    pupils: list[Pupil]
    problems: list[Problem]
    rows_read: int
    source: str = ""
    unit: str = "row"
    """What ``rows_read`` counts: spreadsheet rows, or a transfer file's pupils."""
    origin: str = ""
    """For a transfer file, what it is and who sent it."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def unreadable_rows(self) -> list[Problem]:
        """Errors on the register sheet itself: each is a pupil row not used."""
        return [p for p in self.errors if p.file == self.source]

    def run_warnings(self, *, targets: bool = True, contacts: bool = True,
                     only: Sequence[Pupil] | None = None) -> list[str]:
        """The problems a batch run reports as warnings, each without its
        severity ("register.xlsx, row 4, ...: message"): every problem but the
        unreadable rows (those pupils are reported as failed), leaving out those
        about targets when the run's documents show none (``targets``), those
        about contacts when they go to nobody (``contacts``) and, for a run for
        some pupils (``only``), those naming another pupil."""
        skipped = {topic for topic, wanted in (("targets", targets), ("contacts", contacts)) if not wanted}
        unreadable = self.unreadable_rows
        chosen = None if only is None else {p.upn for p in only}
        return [p.warning_text for p in self.problems
                if p not in unreadable and p.topic not in skipped
                and (chosen is None or p.pupil is None or _named_upn(p.pupil) in chosen)]

    def on_register(self) -> list[Pupil]:
        """The pupils with SEN support (K) or an EHC plan (E)."""
        return [p for p in self.pupils if p.on_register]

    def by_upn(self, upn: str) -> Pupil | None:
        """The pupil with this UPN (any case, spaces ignored), or None."""
        wanted = "".join(upn.split()).upper()
        return next((p for p in self.pupils if p.upn == wanted), None)

    def in_class(self, name: str) -> list[Pupil]:
        """The pupils whose class is ``name`` (any case, spaces ignored), in file
        order; RegisterError naming the classes there are when none is."""
        wanted = " ".join(name.split()).casefold()
        chosen = [p for p in self.pupils if " ".join(p.class_name.split()).casefold() == wanted]
        if not chosen:
            classes = ", ".join(self.classes()) or "none"
            raise RegisterError(f"no pupil is in class '{name}'; the classes are: {classes}", file=self.file)
        return chosen

    def classes(self) -> list[str]:
        """The class names the pupils have, sorted, each once."""
        return sorted({p.class_name for p in self.pupils if p.class_name}, key=str.casefold)

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """The pupils counted by year group and SEN status: (year label,
        {'K': n, 'E': n, 'N': n}) in year order, then a row labelled 'All'."""
        years: dict[int, dict[str, int]] = {}
        for pupil in self.pupils:
            row = years.setdefault(pupil.year, {s.value: 0 for s in SenStatus})
            row[pupil.sen_status.value] += 1
        total = {s.value: sum(r[s.value] for r in years.values()) for s in SenStatus}
        return [*((year_label(y), years[y]) for y in sorted(years)), ("All", total)]

    def pupils_named(self, upns: Sequence[str]) -> list[Pupil]:
        """The pupils with these UPNs (an --only list), in the order given, each
        once. Raises RegisterError naming a UPN that is not a UPN, or that no
        readable row of the register holds."""
        chosen: list[Pupil] = []
        for raw in upns:
            try:
                upn = normalise_upn(raw)
            except ValueError as exc:
                raise RegisterError(f"--only {exc}", file=self.file) from None
            pupil = self.by_upn(upn)
            if pupil is None:
                raise RegisterError(f"no pupil with UPN {upn} could be read from the register; check the UPN", file=self.file)
            if pupil not in chosen:
                chosen.append(pupil)
        return chosen


def load_register(
    path: str | Path,
    *,
    targets: Path | None = None,
    contacts: Path | None = None,
    column_map: dict[str, str] | None = None,
    today: date | None = None,
    max_rows: int = MAX_ROWS,
) -> Register:
    """Read the SEN register at ``path`` with its targets and contacts.

    The register is the sheet named 'SEN Register' or 'Register' if there is one,
    else the first sheet holding the register's columns. Targets come from the
    ``targets`` file if given, else a 'Targets' sheet in the register workbook;
    contacts likewise from ``contacts`` or a 'Contacts' sheet. ``column_map``
    ("Their heading" -> field) applies to all three; a field unknown to all of
    them raises SettingsError. ``today`` (default: today) checks dates of birth.
    ``max_rows`` is how many pupils' rows the register may have (default
    :data:`~.cell_text.MAX_ROWS`; a trust's central register may pass more);
    targets and contacts may have five times as many (:data:`~.cell_text.MAX_DETAIL_ROWS`
    at the default).

    A Common Transfer File (.xml, the DfE's XML record of pupils moving school)
    is read too (:mod:`.ctf`): its pupils and their contacts, with targets from
    ``targets`` and, if given, the ``contacts`` file instead of its own.

    Raises InputFileError or RegisterError when a file cannot be used at all;
    problems with single rows are returned in ``Register.problems``.
    """
    today = today or date.today()
    mapping = _split_map(column_map or {})
    side_rows = MAX_DETAIL_ROWS * max_rows // MAX_ROWS
    if is_transfer_file(path):
        return _load_transfer(path, targets, contacts, mapping, today, side_rows)
    names = sheet_names(path, max_rows=max_rows)
    table = read_table(path, REGISTER_COLUMNS, sheet=_pick_sheet(names, "senregister", "register"),
                       required=REGISTER_REQUIRED, column_map=mapping["register"], error=RegisterError,
                       max_rows=max_rows)
    if not table.rows:
        raise RegisterError(
            "has a heading row but no pupils below it; export the register again with its pupils",
            file=table.source,
        )
    problems: list[Problem] = []
    report = RowReport(table, problems)
    read: list[tuple[Row, str | None, Pupil | None]] = []
    for row in table.rows:
        report.failed = False
        upn, pupil = read_pupil(row, report, today)
        read.append((row, upn, None if report.failed else pupil))
    pupils, excluded = _drop_duplicates(read, report)
    _check_primary_need(table, pupils, report)
    _check_extra_headings(table, report)

    def warn_at(row: Row, pupil: Pupil) -> Warn:
        return lambda message, topic: report.add("warning", row.number, None, message, pupil.label, topic)

    finished = _attach({upn: (warn_at(row, pupil), pupil) for upn, (row, pupil) in pupils.items()}, excluded,
                       table.source, problems, _side_table(path, targets, names, "targets", TARGET_COLUMNS,
                                                           TARGET_REQUIRED, mapping, side_rows),
                       _side_table(path, contacts, names, "contacts", CONTACT_COLUMNS, CONTACT_REQUIRED, mapping,
                                   side_rows),
                       "there is no Targets sheet and no targets file, so IEPs will have blank target rows to fill"
                       " in; add a sheet named Targets or give a targets file",
                       "no pupil on the SEN register has a contact, so letters home cannot be made; add a sheet"
                       " named Contacts (one row per parent or carer, keyed by UPN) or give --contacts FILE")
    return Register(str(path), finished, problems, len(table.rows), table.source)


def _load_transfer(path: str | Path, targets: Path | None, contacts: Path | None,
                   mapping: dict[str, dict[str, str]], today: date, side_rows: int) -> Register:
    """A Common Transfer File as the register: its pupils and their contacts
    (a ``contacts`` file replaces the file's own), and targets from ``targets``."""
    transfer = read_transfer(path, today=today)
    problems = list(transfer.problems)
    missing = no_contacts_warning(transfer)
    if missing and contacts is None:
        problems.append(replace(missing, topic="contacts"))
    usable = {p.upn: p for p in transfer.pupils if p.pupil is not None and p.upn}
    excluded = {p.upn for p in transfer.pupils if p.pupil is None and p.upn}

    def warn_at(entry: TransferPupil) -> Warn:
        return lambda message, topic: problems.append(Problem("warning", message, transfer.file, pupil=entry.label,
                                                              topic=topic))

    target_table = contact_table = None
    if targets is not None:
        target_table = read_table(targets, TARGET_COLUMNS, required=TARGET_REQUIRED,
                                  column_map=mapping["targets"], error=RegisterError, max_rows=side_rows)
    if contacts is not None:
        contact_table = read_table(contacts, CONTACT_COLUMNS, required=CONTACT_REQUIRED,
                                   column_map=mapping["contacts"], error=RegisterError, max_rows=side_rows)
    finished = _attach({upn: (warn_at(p), p.pupil) for upn, p in usable.items() if p.pupil}, excluded,
                       transfer.file, problems, target_table, contact_table,
                       "a transfer file holds no targets, so IEPs will have blank target rows to fill in; give a"
                       " targets file", None)
    return Register(transfer.file, finished, problems, len(transfer.pupils), transfer.file, unit="pupil",
                    origin=transfer.header.describe())


def _attach(
    pupils: dict[str, tuple[Warn, Pupil]], excluded: set[str], register: str, problems: list[Problem],
    target_table: Table | None, contact_table: Table | None, no_targets: str, no_contacts: str | None,
) -> list[Pupil]:
    """The pupils with their targets and contacts from the side tables (a
    contacts table replaces any contacts the pupils came with); warnings for
    missing or too many targets, and for pupils on the SEN register with no one
    to write to (``no_contacts``: the warning when no contacts table is given
    and nobody has a contact; None when the caller warns of that itself)."""
    sources = [register]
    found_targets: dict[str, list[Target]] = {upn: [] for upn in pupils}
    if target_table is not None:
        sources.append(target_table.source)
        _read_side(target_table, pupils, excluded, register, problems, "target", read_target, found_targets)
        _tag(problems, target_table.source, "targets")
    found_contacts: dict[str, list[Contact]] = {upn: list(p.contacts) for upn, (_, p) in pupils.items()}
    if contact_table is not None:
        sources.append(contact_table.source)
        found_contacts = {upn: [] for upn in pupils}
        _read_side(contact_table, pupils, excluded, register, problems, "contact", read_contact, found_contacts)
        _tag(problems, contact_table.source, "contacts")
    finished: list[Pupil] = []
    for upn, (warn, pupil) in pupils.items():
        own = found_targets[upn]
        if pupil.on_register and target_table is not None:
            if not own:
                warn(f"there are no targets for this pupil in {target_table.source}; the IEP will have blank"
                     " target rows to fill in", "targets")
            elif len(own) > MAX_TARGETS:
                warn(f"this pupil has {len(own)} targets in {target_table.source}; an IEP holds 3 or 4, so keep"
                     " the ones for this term", "targets")
        if pupil.on_register and contact_table is not None and not found_contacts[upn]:
            warn(f"there are no contacts for this pupil in {contact_table.source}, so no letter home can be"
                 " made for them; add a row for each parent or carer", "contacts")
        finished.append(replace(pupil, targets=tuple(own), contacts=tuple(found_contacts[upn])))
    on_register = [p for p in finished if p.on_register]
    if target_table is None and on_register:
        problems.append(Problem("warning", no_targets, register, topic="targets"))
    order = {source: i for i, source in enumerate(sources)}
    problems.sort(key=lambda p: (order.get(p.file or "", len(order)), p.row or 0))
    if no_contacts and contact_table is None and on_register and not any(p.contacts for p in on_register):
        problems.append(Problem("warning", no_contacts, register, topic="contacts"))
    return finished


def _named_upn(label: str) -> str | None:
    """The UPN a problem's pupil label ends with: "Zoë Whitmore (Z801200026004)"."""
    found = re.search(r"\(([^()]+)\)\s*$", label)
    return found.group(1) if found else None


def _tag(problems: list[Problem], source: str, topic: str) -> None:
    """Mark the problems found in a side table as being about its ``topic``."""
    problems[:] = [replace(p, topic=topic) if p.file == source and p.topic is None else p for p in problems]


def _split_map(column_map: dict[str, str]) -> dict[str, dict[str, str]]:
    tables = {"register": REGISTER_COLUMNS, "targets": TARGET_COLUMNS, "contacts": CONTACT_COLUMNS}
    known = {name for columns in tables.values() for name in columns}
    for heading, name in column_map.items():
        if name not in known:
            raise SettingsError(
                f"[register.columns] in formkit.toml maps '{heading}' to '{name}', which is not a formkit"
                f" field; the fields are listed in docs/register.md (e.g. upn, legal_surname, dob, target)"
            )
    return {kind: {h: n for h, n in column_map.items() if n in columns} for kind, columns in tables.items()}


def _pick_sheet(names: list[str], *wanted: str) -> str | None:
    """The first sheet named exactly like one of ``wanted``, else the first whose
    name contains the last of them ('Targets 2026' for 'target')."""
    keys = {heading_key(n): n for n in reversed(names)}
    for key in wanted:
        if key in keys:
            return keys[key]
    return next((n for n in names if wanted[-1] in heading_key(n)), None)


def _side_table(
    path: str | Path, given: Path | None, names: list[str], kind: str,
    columns: dict[str, tuple[str, ...]], required: set[str], mapping: dict[str, dict[str, str]], max_rows: int,
) -> Table | None:
    """The targets or contacts table (at most ``max_rows`` rows): the given
    file, else the sheet in the register workbook."""
    if given is not None:
        return read_table(given, columns, required=required, column_map=mapping[kind], error=RegisterError,
                          max_rows=max_rows)
    sheet = _pick_sheet(names, kind, kind[:-1])
    if sheet is None:
        return None
    return read_table(path, columns, sheet=sheet, required=required, column_map=mapping[kind],
                      error=RegisterError, max_rows=max_rows)


def _drop_duplicates(
    read: list[tuple[Row, str | None, Pupil | None]], report: RowReport
) -> tuple[dict[str, tuple[Row, Pupil]], set[str]]:
    """UPN -> (row, pupil) for usable rows, and the UPNs whose rows were left out."""
    rows_of: dict[str, list[int]] = {}
    for row, upn, _ in read:
        if upn:
            rows_of.setdefault(upn, []).append(row.number)
    pupils: dict[str, tuple[Row, Pupil]] = {}
    excluded: set[str] = set()
    for row, upn, pupil in read:
        if upn and len(rows_of[upn]) > 1:
            numbers = rows_of[upn]
            listed = (", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}" if len(numbers) <= 5
                      else ", ".join(map(str, numbers[:4])) + f" and {len(numbers) - 4:,} more")
            report.add("error", row.number, "upn", f"UPN {upn} is on rows {listed}; keep one row per pupil",
                       row_label(row, upn))
            excluded.add(upn)
        elif pupil is not None:
            pupils[pupil.upn] = (row, pupil)
        elif upn:
            excluded.add(upn)
    return pupils, excluded


def _check_primary_need(table: Table, pupils: dict[str, tuple[Row, Pupil]], report: RowReport) -> None:
    missing = [(row, p) for row, p in pupils.values() if p.on_register and not p.primary_need]
    if not missing:
        return
    if not table.has("primary_need"):
        report.add("warning", None, None,
                   "there is no primary need column, so IEP titles will show no area of need; add a column"
                   " headed Primary Need holding the census code, e.g. SPLD")
        return
    for row, pupil in missing:
        report.add("warning", row.number, "primary_need", NO_PRIMARY_NEED, pupil.label)


def _check_extra_headings(table: Table, report: RowReport) -> None:
    """Two columns formkit does not know with one heading: templates see the first."""
    seen: set[str] = set()
    for heading in table.unknown_headings:
        if heading in seen:
            report.add("warning", table.header_row, None,
                       f"two columns are headed '{heading}'; templates see the first as"
                       f" pupil.extra[\"{heading}\"], so rename the other")
        seen.add(heading)


def _read_side(
    table: Table, pupils: Mapping[str, tuple[Any, Pupil]], excluded: set[str], register: str,
    problems: list[Problem], kind: str, reader: Callable[[Row, RowReport, str | None], Any],
    found: dict[str, list[Any]],
) -> None:
    """Read target or contact rows and attach each usable one to its pupil."""
    report = RowReport(table, problems)
    for row in table.rows:
        report.failed = False
        upn = read_upn(row, report, None, kind)
        if upn is None or upn in excluded:
            continue
        if upn not in pupils:
            report.add("warning", row.number, "upn",
                       f"UPN {upn} is not on the SEN register in {register}, so this {kind} is not used;"
                       " check the UPN")
            continue
        record = reader(row, report, pupils[upn][1].label)
        if record is not None and not report.failed:
            found[upn].append(record)


def upn_rows(table: Table, register: Register, what: str) -> tuple[list[tuple[Row, str]], list[Problem]]:
    """The rows of a sheet kept beside the register (profiles, professionals ...)
    whose UPN is a pupil's on ``register``, with that UPN; and a warning for each
    other row, naming it and saying it is not used. ``what`` names a row's
    record in those warnings ('profile')."""
    found: list[tuple[Row, str]] = []
    problems: list[Problem] = []
    for row in table.rows:
        try:
            upn = normalise_upn(row.text("upn"))
        except ValueError as exc:
            problems.append(Problem("warning", f"{exc}; this row is not used", table.source, row.number,
                                    table.heading("upn")))
            continue
        if register.by_upn(upn) is None:
            problems.append(Problem("warning", f"UPN {upn} is not on the register in {register.file}, so this {what}"
                                    " is not used; check the UPN", table.source, row.number, table.heading("upn")))
            continue
        found.append((row, upn))
    return found, problems


SHOWN_PER_KIND = 50
"""Problems of one kind ``register check`` lists before it counts the rest."""


def _summarised(problems: list[Problem]) -> list[str]:
    count: dict[tuple[str, str | None, str], int] = {}
    first: dict[tuple[str, str | None, str], Problem] = {}
    lines: list[str] = []
    for problem in problems:
        key = (problem.severity, problem.field, " ".join(re.sub(r"\S*\d\S*|'[^']*'", "#", problem.what).split()[:4]))
        count[key] = count.get(key, 0) + 1
        first.setdefault(key, problem)
        if count[key] <= SHOWN_PER_KIND:
            lines.append(str(problem))
    for key, seen in count.items():
        if seen > SHOWN_PER_KIND:
            column = f" in the column '{first[key].field}'" if first[key].field else ""
            lines.append(f"... and {seen - SHOWN_PER_KIND:,} more {key[0]}s like the ones above{column}"
                         f" ({first[key].what[:80]}).")
    return lines


def format_report(register: Register) -> str:
    """The text of ``formkit register check``: one problem a line, then a summary.

    The summary reads like "30 rows read: 23 on the SEN register (18 K, 5 E), 7
    without SEN; 0 errors, 2 warnings." and adds "N not used" when rows had errors.
    Past :data:`SHOWN_PER_KIND` problems of one kind (the same severity, column
    and first words of what is wrong, values left out), the rest are counted in
    one line.
    """
    def plural(count: int, noun: str) -> str:
        return f"{count} {noun}" if count == 1 else f"{count} {noun}s"

    lines = _summarised(register.problems)
    k = sum(p.sen_status is SenStatus.K for p in register.pupils)
    e = sum(p.sen_status is SenStatus.E for p in register.pupils)
    without = sum(p.sen_status is SenStatus.N for p in register.pupils)
    unused = register.rows_read - len(register.pupils)
    if register.origin:
        lines.insert(0, f"{register.file}: {register.origin}.")
    summary = (f"{plural(register.rows_read, register.unit)} read: {k + e} on the SEN register ({k} K, {e} E),"
               f" {without} without SEN")
    if unused:
        summary += f", {unused} not used because of errors"
    summary += f"; {plural(len(register.errors), 'error')}, {plural(len(register.warnings), 'warning')}."
    lines.append(summary)
    return "\n".join(lines)
