"""Files dropped on the page: streamed into the workspace, never named by the browser.

A form with files is read as it arrives, with python-multipart's parser: each
file goes straight into a new private folder inside the workspace (0700, files
0600), under a name formkit makes (``0001.xlsx``: a number, and an extension
only from the list of kinds formkit reads). The name the browser sent is kept
only as a label to show; it never chooses a path. The same limits hold as for
every input (formkit.guard): each file at most ``guard.MAX_INPUT_BYTES``, the
whole form at most ``guard.MAX_TOTAL_BYTES``. The form's CSRF token must come
before its first file, so a forged form writes nothing at all. If anything goes
wrong, every file of the form is removed.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from .. import guard
from ..errors import InputFileError
from ..files import private_dir
from .security import CSRF_FIELD, same

SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xml", ".docx", ".docm", ".pdf", ".json", ".sqlite", ".db")
MAX_FILES = 500
MAX_FIELD_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadRefused(Exception):
    """The form cannot be taken: ``status`` is the HTTP status, ``text`` says why
    in the words the page shows."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


@dataclass(frozen=True)
class Received:
    """One file as stored: ``path`` (formkit's name for it) and ``label`` (the
    name the browser gave, to show, never to open)."""

    path: Path
    label: str
    field: str


@dataclass
class Submission:
    """A form's fields (each name's values in order) and its files."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[Received] = field(default_factory=list)
    folder: Path | None = None

    def get(self, name: str, default: str = "") -> str:
        values = self.fields.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self.fields.get(name, []))


def label_of(filename: str) -> str:
    """A browser's file name as a label: its last part, no control characters."""
    name = re.split(r"[\\/]", filename)[-1]
    return _CONTROL.sub("", name).strip()[:200] or "unnamed file"


def suffix_of(label: str) -> str:
    suffix = Path(label).suffix.lower()
    return suffix if suffix in SUFFIXES else ".bin"


def upload_folder(workspace: Path, purpose: str) -> Path:
    """A new private folder for one form's files: WORKSPACE/Dropped files/PURPOSE/<time>."""
    parent = private_dir(private_dir(workspace / "Dropped files") / purpose)
    stamp = datetime.now().strftime("%Y-%m-%d %H.%M.%S")
    for n in range(1, 1000):
        folder = parent / (stamp if n == 1 else f"{stamp} ({n})")
        try:
            folder.mkdir(mode=0o700)
            return folder
        except FileExistsError:
            continue
    raise InputFileError("too many files were dropped at once; wait a second and try again")


async def receive(request: Request, workspace: Path, purpose: str, csrf: str) -> Submission:
    """Read a multipart form from ``request``, its files into a new folder in
    ``workspace`` (see the module doc). Raises UploadRefused."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused(400, "This form must be sent from formkit's page.")
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > guard.MAX_TOTAL_BYTES:
        raise UploadRefused(413, f"These files are more than {guard.MAX_TOTAL_BYTES // 1024 // 1024} MB together; "
                                 "drop fewer at a time.")
    reader = _Reader(workspace, purpose, csrf)
    parser = MultipartParser(boundary, reader.callbacks(), max_size=guard.MAX_TOTAL_BYTES)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        if not reader.csrf_ok:
            raise UploadRefused(403, "This form was sent from another web site, so formkit refused it.")
    except UploadRefused:
        reader.discard()
        raise
    except Exception:
        reader.discard()
        raise UploadRefused(400, "The files did not arrive whole; try dropping them again.") from None
    return reader.submission


class _Reader:
    """The parser's callbacks: headers gathered, each part to a field or a file."""

    def __init__(self, workspace: Path, purpose: str, csrf: str) -> None:
        self.workspace, self.purpose, self.csrf = workspace, purpose, csrf
        self.submission = Submission()
        self.csrf_ok = False
        self._headers: list[tuple[bytes, bytes]] = []
        self._field, self._value = b"", b""
        self._name = ""
        self._label: str | None = None
        self._data = bytearray()
        self._file: int | None = None
        self._path: Path | None = None
        self._size = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._add("_field", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _begin(self) -> None:
        self._headers, self._field, self._value = [], b"", b""
        self._name, self._label, self._data, self._size = "", None, bytearray(), 0

    def _header_end(self) -> None:
        self._headers.append((self._field.lower(), self._value))
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        disposition = dict(self._headers).get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            return
        self._label = label_of(filename.decode("utf-8", "replace"))
        if not filename:
            return  # an empty file input
        if not self.csrf_ok:
            raise UploadRefused(403, "This form was sent from another web site, so formkit refused it.")
        if len(self.submission.files) >= MAX_FILES:
            raise UploadRefused(413, f"formkit takes at most {MAX_FILES} files at once; drop fewer.")
        if self.submission.folder is None:
            self.submission.folder = upload_folder(self.workspace, self.purpose)
        number = len(self.submission.files) + 1
        self._path = self.submission.folder / f"{number:04d}{suffix_of(self._label)}"
        self._file = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._size += end - start
        if self._file is not None:
            if self._size > guard.MAX_INPUT_BYTES:
                raise UploadRefused(413, f"{self._label}: is more than {guard.MAX_INPUT_BYTES // 1024 // 1024} MB; "
                                         "formkit reads files up to that size. Check it is the right file.")
            os.write(self._file, data[start:end])
        elif self._label is None:
            if self._size > MAX_FIELD_BYTES:
                raise UploadRefused(413, "A box on the form holds too much text.")
            self._data += data[start:end]

    def _part_end(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None
            assert self._path is not None and self._label is not None
            if self._size == 0:
                self._path.unlink()
            else:
                self.submission.files.append(Received(self._path, self._label, self._name))
            self._path = None
        elif self._label is None:
            value = self._data.decode("utf-8", "replace")
            if self._name == CSRF_FIELD:
                self.csrf_ok = self.csrf_ok or same(value, self.csrf)
            else:
                self.submission.fields.setdefault(self._name, []).append(value)

    def discard(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None
        if self.submission.folder is not None:
            shutil.rmtree(self.submission.folder, ignore_errors=True)
        self.submission.files.clear()
