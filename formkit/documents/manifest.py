"""DIR/manifest.csv (and the print pack's mailing.csv): what formkit wrote into a
folder, run after run.

A folder collects several runs: IEPs of two terms, three kinds of form into one
``--out``, a second letter run into ``Letters/``. Each run's rows are merged into
the folder's CSV rather than replacing it, so the CSV describes every file
formkit wrote there: a row of an earlier run stays while its file is still in
the folder and this run wrote nothing under that name; a row of this run
replaces an earlier row for the same file. Rows with no file (a pupil whose
document failed, or who got no letter) describe only the run that reported
them, so an earlier run's are not kept. Columns are this run's, then any
others the earlier rows had (a letters manifest and a forms manifest in one
folder keep both shapes' columns), in one header.

An earlier CSV that cannot be read (not UTF-8, not CSV, over the size limit) is
replaced by this run's rows: it is formkit's own list, not the school's data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..files import write_csv

MAX_BYTES = 64 * 1024 * 1024
"""The largest earlier manifest merged (a million rows is far less)."""


def _unsafe(text: str) -> str:
    """A cell as it was before :func:`formkit.files.sheet_safe` marked it, so a merged row is not marked twice."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def first_file(cell: str) -> str:
    """The file a row is about: the cell's first name ('a.docx; a.pdf' -> 'a.docx')."""
    return cell.split(";")[0].strip()


def earlier_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of the CSV at ``path``; none when it is absent or unreadable."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return [], []
        reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        rows = [[_unsafe(cell) for cell in row] for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error):
        return [], []
    if not rows:
        return [], []
    header = rows[0]
    return header, [dict(zip(header, row)) for row in rows[1:] if any(row)]


def _file_of(row: dict[str, str], key: str) -> str:
    """The file an earlier row is about, under ``key`` or the other shape's column (``file`` / ``files``)."""
    return first_file(row.get(key) or row.get("file") or row.get("files") or "")


def _still_there(folder: Path, name: str, within: bool) -> bool:
    """Whether ``name`` is a file (in ``folder`` or below it, when ``within``)."""
    if not name:
        return False
    try:
        path = (folder / name).resolve()
        return (path.is_relative_to(folder.resolve()) or not within) and path.is_file()
    except (OSError, ValueError):
        return False


def merge_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], *, key: str = "file",
              exists: Path | None = None, within: bool = True) -> int:
    """Write this run's ``rows`` (under ``header``) into the CSV at ``path``,
    keeping the earlier rows that still describe a file (see the module doc).
    ``key`` is the column naming a row's file, relative to ``exists`` (default:
    the CSV's folder), where an earlier row's file must still be (anywhere it
    names, if not ``within``: a print pack may be saved elsewhere). Returns how
    many earlier rows were kept. Written atomically, every cell sheet-safe."""
    folder = exists or path.parent
    new = [["" if v is None else str(v) for v in row] for row in rows]
    at = list(header).index(key)
    mine = {first_file(row[at]) for row in new if first_file(row[at])}
    old_header, old = earlier_rows(path)
    kept = [row for row in old if _file_of(row, key) not in mine and _still_there(folder, _file_of(row, key), within)]
    extra = [h for h in old_header if h and h not in header and any(row.get(h) for row in kept)]
    columns = [*header, *extra]
    merged = [[row.get(h, "") for h in columns] for row in kept]
    merged += [row + [""] * len(extra) for row in new]
    write_csv(path, columns, merged)
    return len(kept)


__all__ = ["earlier_rows", "first_file", "merge_csv"]
