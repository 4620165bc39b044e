"""Writing output files safely: names that stay inside the output folder, whole
files or none, private folders, and CSV cells that never run as formulas."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .errors import OutputError

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 150
CONFIDENTIAL = "Confidential: SEN information (special category data)"
"""The marking every document and workbook formkit writes carries (its category
property, and the report's header)."""


def safe_component(text: str) -> str:
    """``text`` made safe as part of a file name on Windows, macOS and Linux.

    Path separators, reserved characters and control characters become '-', runs
    of dots become one, leading and trailing dots and spaces go; apostrophes,
    hyphens and accents stay. Never empty: an empty result is '_'.
    """
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if text.upper().split(".")[0] in _RESERVED:
        text = "_" + text
    return text[:MAX_NAME] or "_"


def inside(folder: Path, *parts: str) -> Path:
    """``folder/parts...`` after making each part safe; raise OutputError if the
    result would still resolve outside ``folder``."""
    path = folder.joinpath(*(safe_component(p) for p in parts))
    root = folder.resolve()
    if root not in path.resolve().parents:
        raise OutputError(f"refused to write {path}: it is outside the output folder", file=str(folder))
    return path


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the current user only (0700 on
    POSIX) when it is new; an existing folder is left as it is."""
    try:
        if not path.exists():
            try:
                path.mkdir(parents=True, mode=0o700)
                if os.name == "posix":
                    os.chmod(path, 0o700)
            except FileExistsError:
                pass
        if not path.is_dir():
            raise OutputError("exists and is not a folder; choose another output folder", file=str(path))
    except OSError as exc:
        raise OutputError(f"cannot create the folder ({exc.strerror})", file=str(path)) from None
    return path


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file in the same
    folder, then renamed over ``path``, so a killed process never leaves half a
    file. ``durable`` also flushes it to disk first, so that a power cut cannot
    leave it empty; a batch of documents skips that, because its rerun remakes
    any empty file it finds."""
    _replace(path, data, suffix=".part", sync=durable)



def write_checked(path: Path, data: bytes, check: Callable[[Path], None]) -> None:
    """Write ``data`` to ``path`` whole or not at all, after checking it: a
    temporary file in the same folder (with the permission bits of the file it
    replaces, or owner-only for a new file) is passed to ``check``, which raises
    to abandon the write (the new file does not open, the original changed
    meanwhile, ...); then it is renamed over ``path`` in one step. On any failure
    the temporary file is removed and ``path`` is untouched. A PermissionError
    from the rename (a file locked by another program on Windows) becomes an
    OutputError."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    try:
        _replace(path, data, suffix=".part" + path.suffix, mode=mode, check=check)
    except PermissionError:
        raise OutputError("cannot be replaced: another program has it open; close it and try again",
                          file=str(path)) from None


def _replace(path: Path, data: bytes, *, suffix: str, mode: int | None = None,
             check: Callable[[Path], None] | None = None, sync: bool = True) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".formkit-", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sheet_safe(value: object) -> str:
    """A cell value as text that Excel and LibreOffice show as typed and never run:
    text starting with = + - @ (or a tab or carriage return) gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A UTF-8 CSV (with BOM, so Excel reads accents right), every cell sheet-safe,
    written atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([sheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([sheet_safe(v) for v in row])
    atomic_write(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
