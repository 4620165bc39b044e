"""Writing output files safely: names that stay inside the output folder, whole
files or none, private folders, and CSV cells that never run as formulas."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # Windows: stale temporaries are told by their age
    fcntl = None  # type: ignore[assignment]

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 200
"""The longest file or folder name formkit makes, in UTF-8 bytes: under the 255
bytes (or UTF-16 units) of every common file system, with room for what other
programs add beside it (" (backup 2026-09-01 101500)", LibreOffice's
".~lock.NAME#", Excel's "~$")."""
MIN_NAME_PART_BYTES = 24
"""What is left, at least, of the names before a pupil's '(UPN)' when a file name is shortened."""
_UPN_IN_NAME = re.compile(r"\([A-Z]\d{11}[0-9A-Z]\)")
_COUNTER = re.compile(r" \(\d+\)$")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
CONFIDENTIAL = "Confidential: SEN information (special category data)"
"""The marking every document and workbook formkit writes carries (its category
property, and the report's header)."""


def safe_component(text: str) -> str:
    """``text`` made safe as part of a file name on Windows, macOS and Linux.

    Path separators, reserved characters and control characters become '-', runs
    of dots become one, leading and trailing dots and spaces go; apostrophes,
    hyphens and accents stay. Never empty: an empty result is '_'. A name over
    :data:`MAX_NAME_BYTES` is shortened by :func:`fit_name`.
    """
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if text.upper().split(".")[0] in _RESERVED:
        text = "_" + text
    return fit_name(text) or "_"


def fit_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """``name`` in at most ``limit`` UTF-8 bytes, keeping what tells files apart:
    the extension, a pupil's '(UPN)', and a ' (2)' counter are kept whole; the
    names before the UPN are shortened first (to no less than
    :data:`MIN_NAME_PART_BYTES`), then
    what follows it (kind, term, recipients), each cut marked with '…' and never
    inside a character. Two names that differ in their UPN or counter still
    differ after fitting."""
    if len(name.encode("utf-8")) <= limit:
        return name
    ext = _EXTENSION.search(name)
    suffix = ext.group(0) if ext else ""
    stem = name[: len(name) - len(suffix)]
    counter = _COUNTER.search(stem)
    kept_end = (counter.group(0) if counter else "") + suffix
    stem = stem[: len(stem) - len(counter.group(0))] if counter else stem
    upn = _UPN_IN_NAME.search(stem)
    head, middle, tail = (stem[: upn.start()], upn.group(0), stem[upn.end():]) if upn else ("", "", stem)
    room = limit - _size(middle + kept_end)
    if upn:
        head = _cut(head, max(MIN_NAME_PART_BYTES, room - _size(tail)))
    tail = _cut(tail, room - _size(head))
    return head + middle + tail + kept_end


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, budget: int) -> str:
    """``text`` in ``budget`` bytes, ending '…' when cut (and the space it
    ended with)."""
    if _size(text) <= budget:
        return text
    ending = "… " if text.endswith(" ") else "…"
    if budget < _size(ending):
        return ""
    return text.encode("utf-8")[: budget - _size(ending)].decode("utf-8", "ignore").rstrip() + ending


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
    temporary file in the same folder (owner-only while it exists) is passed
    to ``check``, which raises to abandon the write (the new file does not
    open, the original changed meanwhile, ...); then it is renamed over
    ``path`` in one step and given the permission bits of the file it replaced
    (owner-only for a new file). On any failure the temporary file is removed
    and ``path`` is untouched.

    A symbolic link is followed: the file it points to is replaced, the link
    kept. A file without write permission (made read-only by its owner) is
    refused, as is a rename refused by the system (a file locked by another
    program on Windows). Temporary files left in the folder by a run that was
    killed are removed first (:func:`sweep_temporaries`)."""
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and (not target.stat().st_mode & stat.S_IWUSR or not os.access(target, os.W_OK)):
        raise OutputError("is read-only, so formkit will not replace it; make it writable (uncheck Read-only in its "
                          "Properties, or chmod u+w) and run formkit again", file=str(path))
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o600
    sweep_temporaries(target.parent)
    _replace(target, data, suffix=".part" + path.suffix, mode=mode, check=check)


TEMPORARY = re.compile(r"^\.formkit-[A-Za-z0-9_]{8}\.part(\.[A-Za-z0-9]+)?$")
"""The name of a temporary file formkit writes before renaming it into place."""
STALE_SECONDS = 3600
"""Without file locks (Windows), a temporary file this old is taken as left by a killed run."""


def sweep_temporaries(folder: Path, *, recursive: bool = False) -> int:
    """Remove the temporary files (``.formkit-*.part...``) that runs killed part-way
    left in ``folder`` (and below, with ``recursive``), and return how many. A
    temporary file a live run is still writing is locked by it and kept
    (without file locks, one younger than :data:`STALE_SECONDS` is kept)."""
    removed = 0
    try:
        found = folder.rglob(".formkit-*") if recursive else folder.glob(".formkit-*")
        for stale in found:
            if TEMPORARY.match(stale.name) and _abandoned(stale):
                stale.unlink(missing_ok=True)
                removed += 1
    except OSError:
        pass
    return removed


def _abandoned(path: Path) -> bool:
    if fcntl is None:
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _replace(path: Path, data: bytes, *, suffix: str, mode: int | None = None,
             check: Callable[[Path], None] | None = None, sync: bool = True) -> None:
    """The temporary file is owner-only and locked while this process writes and
    checks it, so :func:`sweep_temporaries` in another run leaves it alone. An
    OSError (a full disk, a folder that cannot be written) is an OutputError
    naming ``path``, with ``path`` untouched."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".formkit-", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc}); nothing was changed", file=str(path)) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(os.dup(fd), "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        if check is not None:
            check(Path(tmp))
        try:
            os.replace(tmp, path)
        except PermissionError:
            raise OutputError("cannot be replaced: another program has it open; close it and try again",
                              file=str(path)) from None
        if mode is not None and mode != 0o600:
            os.chmod(path, mode)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot be written ({exc.strerror or exc}); nothing was changed",
                              file=str(path)) from None
        raise
    finally:
        os.close(fd)


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
