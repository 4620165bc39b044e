"""The SENCo's workbook on disk: changed only when that is safe, and never lost.

Every change formkit makes to a user's workbook (the provision map, the SEN
register) goes through here. :func:`save_edits` refuses while the workbook is open
(Excel's ``~$name`` owner file, LibreOffice's ``.~lock.name#``) or when it changed
on disk after it was read; it builds the new package from the
:class:`~formkit.ooxml.sheet_editor.SheetEditor` changes (every other part keeps
its bytes) and reads the changed cells back from it in memory while it is
compressed (:func:`build_edits`), writes it to a temporary file in the same
folder, checks that the file opens and holds exactly those parts, byte for byte
(:func:`verify_written`), keeps a timestamped backup of the original, and
renames the new file over it in one step. A new provision map is built and
checked the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from ..errors import WorkbookError
from ..files import sha256, write_checked
from .new_sheet import NewSheet
from .sheet_xml import check_rows
from .sheet_editor import SheetEditor, recalc_workbook_xml
from .xlsx_package import Worksheet, XlsxPackage
from .zip_members import build_package


def lock_files(workbook: Path) -> list[Path]:
    """Owner and lock files that say the workbook is open: Excel's ``~$name``
    (or ``~$`` over the first two characters, as Office does for long names) and
    LibreOffice's ``.~lock.name#``; beside the file a symbolic link points to
    as well as beside the link."""
    found: list[Path] = []
    for place in dict.fromkeys([workbook, workbook.resolve()]):
        name = place.name
        candidates = [f"~${name}", f"~${name[2:]}", f".~lock.{name}#"]
        found += [place.with_name(c) for c in dict.fromkeys(candidates) if place.with_name(c).exists()]
    return found


def refuse_if_open(workbook: Path) -> None:
    """WorkbookError when a lock file says the workbook is open."""
    found = lock_files(workbook)
    if found:
        lock = found[0].name
        program = "LibreOffice" if lock.startswith(".~lock.") else "Excel"
        raise WorkbookError(f"is open in {program} (its lock file {lock} is beside it); close the workbook and run"
                            f" formkit again. If {program} is not running, the lock was left by a crash: delete"
                            f" {lock}", file=str(workbook))


def read_bytes(workbook: Path) -> bytes:
    """The workbook's bytes as they are now; WorkbookError when they cannot be read."""
    try:
        return workbook.read_bytes()
    except FileNotFoundError:
        raise WorkbookError("file not found; check the name and the folder", file=str(workbook)) from None
    except (IsADirectoryError, PermissionError, OSError) as exc:
        raise WorkbookError(f"cannot be read ({getattr(exc, 'strerror', None) or exc})", file=str(workbook)) from None


def refuse_unsafe(sheet: Worksheet) -> None:
    """WorkbookError when the sheet is protected or the workbook is shared with a
    change history, which an edit would break."""
    if sheet.protected:
        raise WorkbookError(f"sheet '{sheet.name}' is protected; unprotect it (Review > Unprotect Sheet), run"
                            " formkit, then protect it again", file=sheet.package.file)
    if any(part.startswith("xl/revisions/") for part in sheet.package.parts):
        raise WorkbookError("is a shared workbook with a change history, which formkit cannot change without"
                            " breaking it; turn off sharing (Review > Share Workbook) first", file=sheet.package.file)


def edited_parts(package: XlsxPackage, editors: Sequence[SheetEditor], new_sheet: NewSheet | None = None
                 ) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The parts the editors' changes (and the new sheet, if any) change, with
    workbook.xml set to recalculate on opening; and the parts added."""
    parts: dict[str, bytes] = {}
    for editor in editors:
        parts.update(editor.parts())
    parts[package.workbook_part] = recalc_workbook_xml(package)
    added: dict[str, bytes] = {}
    if new_sheet is not None:
        parts.update(new_sheet.changed)
        parts[package.workbook_part] = new_sheet.into_workbook(parts[package.workbook_part])
        added = dict(new_sheet.added)
    return {name: data for name, data in parts.items() if data != package.parts[name]}, added


def build_edits(package: XlsxPackage, editors: Sequence[SheetEditor], new_sheet: NewSheet | None = None,
                source: bytes | None = None) -> tuple[bytes, dict[str, bytes]]:
    """The package with the editors' changes, the new sheet if any, and
    workbook.xml set to recalculate on opening, as bytes, already checked in
    memory (:func:`check_edits`, run while the package is compressed on another
    thread); and every part that changed or was added. ``source`` is the file's
    bytes as read, whose unchanged members are copied as they are stored
    (:func:`build_package`). Raises WorkbookError (nothing is written) when the
    edits do not check out; the file written from the bytes is then checked
    with :func:`verify_written`."""
    changed, added = edited_parts(package, editors, new_sheet)
    parts = {**changed, **added}
    with ThreadPoolExecutor(1, thread_name_prefix="formkit-zip") as pool:
        building = pool.submit(build_package, package, changed, added, source)
        check_edits(package, parts, editors)
        return building.result(), parts


def check_edits(original: XlsxPackage, parts: dict[str, bytes], editors: Sequence[SheetEditor]) -> None:
    """The workbook as it will be written (``original`` with ``parts``), read from
    memory as the written file will be read: every changed or added XML part is
    well-formed, and each edited sheet reads back with the written values; else
    WorkbookError and nothing is written. An edited sheet was well-formed when
    it was read and differs from it only by whole rows
    (:attr:`SheetEditor.written_rows`), so those rows and the XML around the
    cells are parsed, not the sheet's other rows. :func:`verify_written` then
    shows the file on disk holds exactly these parts."""
    try:
        view = XlsxPackage(original.file, members=(original.infos, {**original.parts, **parts}))
        edited = {editor.sheet.part for editor in editors}
        for name in parts:
            if name.endswith((".xml", ".rels")) and name not in edited:
                view.xml(name)  # well-formed; the edited sheets are parsed as they are read back below
        for editor in editors:
            check_rows(editor.written_rows, editor.sheet.part, original.file)
            sheet = view.worksheet(editor.sheet.name, cells_checked=True)
            for change in editor.changes:
                cell = sheet.cell(change.row, change.col)
                if sheet.display(cell) != change.new:
                    raise WorkbookError(f"cell {change.cell} reads back as {sheet.display(cell)}, not {change.new}")
    except WorkbookError as exc:
        raise WorkbookError(f"the updated workbook did not check out ({exc.message}); nothing was written",
                            file=original.file) from None
    except Exception as exc:  # the guard refusing what formkit made
        raise WorkbookError(f"the updated workbook would not open ({exc}); nothing was written",
                            file=original.file) from None


def verify_written(temporary: Path, original: XlsxPackage, parts: dict[str, bytes]) -> None:
    """The file written opens (through the guard, as any input) and holds
    exactly the parts :func:`check_edits` checked, byte for byte: the parts not
    changed as the original has them, so the whole workbook is not loaded again
    (openpyxl is not used). Else WorkbookError and nothing is replaced."""
    try:
        written = XlsxPackage(temporary)
        intended = {**original.parts, **parts}
        odd = sorted(set(written.parts) ^ set(intended))
        if odd:
            raise WorkbookError(f"part {odd[0]} is {'not meant to be there' if odd[0] in written.parts else 'missing'}")
        for name, data in intended.items():
            if written.parts[name] != data:
                raise WorkbookError(f"part {name} did not come out as intended")
    except WorkbookError as exc:
        raise WorkbookError(f"the updated workbook did not check out ({exc.message}); nothing was written",
                            file=original.file) from None
    except Exception as exc:  # the guard refusing what formkit wrote
        raise WorkbookError(f"the updated workbook would not open ({exc}); nothing was written",
                            file=original.file) from None


def backup(workbook: Path, original: bytes, now: datetime) -> Path:
    """Keep ``original`` beside the workbook as 'name (backup 2026-09-01 101500).xlsx'."""
    stamp = now.strftime("%Y-%m-%d %H%M%S")
    kept = workbook.with_name(f"{workbook.stem} (backup {stamp}){workbook.suffix}")
    n = 2
    while kept.exists():
        kept = workbook.with_name(f"{workbook.stem} (backup {stamp} {n}){workbook.suffix}")
        n += 1
    write_checked(kept, original, lambda _: None)
    return kept


def save_edits(workbook: Path, package: XlsxPackage, original: bytes, editors: Sequence[SheetEditor], *,
               now: datetime | None = None, new_sheet: NewSheet | None = None) -> Path:
    """Write the editors' changes to ``workbook`` (read as ``original`` into
    ``package``) as the module doc says, and return the backup's path. Raises
    WorkbookError, with nothing written, when the workbook is open or changed on
    disk meanwhile, or the new file does not check out."""
    data, parts = build_edits(package, editors, new_sheet, original)
    digest = sha256(original)
    kept: list[Path] = []

    def check(temporary: Path) -> None:
        verify_written(temporary, package, parts)
        refuse_if_open(workbook)
        if sha256(read_bytes(workbook)) != digest:
            raise WorkbookError("changed on disk while formkit was working (was it saved in Excel?); nothing was"
                                " written. Run formkit again", file=str(workbook))
        kept.append(backup(workbook, original, now or datetime.now()))

    write_checked(workbook, data, check)
    return kept[0]
