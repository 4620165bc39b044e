"""The guard every input file passes before formkit parses it.

Files reach formkit from many hands: templates shared between schools, forms
returned by staff, exports from several systems. Before any parsing, a file is
checked here: it exists, it is not too big, its bytes are the kind of file its name
claims, a zip package is not a bomb (judged by the sizes it declares, before
inflating anything), and XML carries no DOCTYPE (so no entity expansion and no
external entities). Every refusal is an InputFileError naming the file and saying
what to do.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from zlib import error as zlib_error

from lxml import etree

from .errors import InputFileError

MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5000
RATIO_FROM_BYTES = 1_000_000
"""Parts up to this size may be compressed any amount; a bigger one at most :data:`MAX_RATIO` times."""

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"

KIND_NAMES = {
    "docx": "Word document (.docx)",
    "xlsx": "Excel workbook (.xlsx)",
    "pdf": "PDF",
    "csv": "CSV file",
    "json": "JSON file",
    "sqlite": "formkit records database",
}
ZIP_KINDS = {"docx", "xlsx"}
TEXT_KINDS = {"csv", "json"}

_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)


def sniff(head: bytes) -> str:
    """What the first bytes say a file is: 'zip', 'ole', 'pdf' or 'other'."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(PDF_MAGIC):
        return "pdf"
    return "other"


def check_file(path: Path | str, expect: str | set[str], *, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Check ``path`` is a readable file of one of the ``expect`` kinds and return
    which kind it is. Raises InputFileError (not found, a folder, empty, too big,
    password-protected or legacy Office file, a different kind of file renamed)."""
    path = Path(path)
    kinds = {expect} if isinstance(expect, str) else set(expect)
    wanted = " or ".join(KIND_NAMES.get(k, k) for k in sorted(kinds))
    name = str(path)
    head = _read_checked(path, f"a {wanted}", max_bytes, 1024)
    found = sniff(head)
    if found == "ole":
        raise InputFileError(
            "is password-protected, or an old-style .doc/.xls file; remove the password "
            "(File > Info > Protect) or save it again as .docx/.xlsx",
            file=name,
        )
    if found == "zip" and kinds & ZIP_KINDS:
        return _zip_kind(kinds)
    if found == "pdf" and "pdf" in kinds:
        return "pdf"
    if found == "other" and kinds & (TEXT_KINDS | {"sqlite"}):
        if "sqlite" in kinds and head.startswith(b"SQLite format 3\x00"):
            return "sqlite"
        for kind in ("csv", "json"):
            if kind in kinds:
                return kind
    actual = {
        "zip": "a Word or Excel package",
        "pdf": "a PDF",
        "other": "neither a Word or Excel package nor a PDF (plain text, or damaged)",
    }[found]
    raise InputFileError(f"is not a {wanted}: it holds {actual}. Open it and save it again as a {wanted}", file=name)


def _read_checked(path: Path, what: str, max_bytes: int, limit: int | None) -> bytes:
    """The first ``limit`` bytes of ``path`` (None: all of it) once it is known to
    be a readable, non-empty file within ``max_bytes``; ``what`` ('a PDF') names
    the kind wanted in the InputFileError otherwise."""
    name = str(path)
    if not path.exists():
        raise InputFileError("file not found; check the name and the folder", file=name)
    if path.is_dir():
        raise InputFileError(f"is a folder, not {what}", file=name)
    if check_size(path, max_bytes) == 0:
        raise InputFileError(f"is empty; it should be {what}", file=name)
    try:
        with path.open("rb") as f:
            return f.read(limit if limit is not None else -1)
    except OSError as exc:
        raise InputFileError(f"cannot be read ({exc.strerror})", file=name) from None


def check_size(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> int:
    """The file's size, from the file system (nothing is read); InputFileError
    if it is over ``max_bytes``."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputFileError(
            f"is {size / 1024 / 1024:.0f} MB; formkit reads files up to {max_bytes // 1024 // 1024} MB. "
            "Check it is the right file, or remove pictures and old sheets from it",
            file=str(path),
        )
    return size


def _zip_kind(kinds: set[str]) -> str:
    return "docx" if "docx" in kinds else "xlsx"


def open_zip(path: Path | str, expect: str | set[str]) -> zipfile.ZipFile:
    """Open a .docx/.xlsx package after :func:`check_file`, refusing a zip bomb by
    the sizes its directory declares (per member, in total, and the compression
    ratio) before anything is inflated. The caller closes it."""
    path = Path(path)
    check_file(path, expect)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputFileError("is damaged or truncated (not a complete zip package); save it again", file=str(path)) from None
    try:
        check_zip(zf, str(path))
    except BaseException:
        zf.close()
        raise
    return zf


def check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputFileError(f"refused: it holds {len(infos):,} parts; an ordinary document has a few dozen", file=name)
    _check_member_names(infos, name)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or (info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO):
            raise InputFileError(
                f"refused: its part {info.filename} would unpack to {info.file_size:,} bytes "
                f"({ratio:.0f} times its packed size); this is not an ordinary document (a zip bomb?)",
                file=name,
            )
        if info.flag_bits & 0x1:
            raise InputFileError("is encrypted; remove the password and save it again", file=name)


def _check_member_names(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a package with a member named twice (part names ignore case), or
    named as a path outside it (absolute, a drive, or '..'): Office never writes
    them, and a reader could take either copy or write outside its folder."""
    seen: set[str] = set()
    for info in infos:
        member = info.filename
        steps = member.replace("\\", "/").split("/")
        if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":") or ".." in steps:
            raise InputFileError(
                f"refused: its part {member!r} is named as a path outside the package (absolute or with '..'); "
                "Word and Excel never write that. Save it again from Word or Excel",
                file=name,
            )
        key = member.casefold()
        if key in seen:
            raise InputFileError(
                f"refused: its part {member!r} is in it twice, so which one is read is unclear; "
                "Word and Excel never write that. Save it again from Word or Excel",
                file=name,
            )
        seen.add(key)


def read_package_bytes(data: bytes, name: str) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """Every member of an in-memory .docx/.xlsx, checked as :func:`read_zip`
    checks a file's: zip-bomb limits by declared sizes before anything is
    inflated, CRCs verified, and no XML part with a DOCTYPE or entities."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputFileError("is damaged or truncated (not a complete zip package); save it again", file=name) from None
    with zf:
        check_zip(zf, name)
        return _read_members(zf, name)


def read_zip(path: Path | str, expect: str | set[str]) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """Every member of a checked package, read whole (CRCs verified)."""
    with open_zip(path, expect) as zf:
        return _read_members(zf, str(path))


def _read_members(zf: zipfile.ZipFile, name: str) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    infos = zf.infolist()
    try:
        parts = {info.filename: zf.read(info) for info in infos if not info.is_dir()}
        for part, data in parts.items():
            if part.lower().endswith((".xml", ".rels", ".vml")) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
                parse_xml(data, part=part, file=name)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib_error) as exc:
        raise InputFileError(f"is damaged or truncated ({exc}); save it again", file=name) from None
    return infos, parts


class LazyPackage(Mapping[str, bytes]):
    """A checked package (:func:`open_zip`) whose members are read, whole and
    with the same checks as :func:`read_zip`, only when asked for: for a reader
    that needs a few parts of a package and the zip directory's ``infos`` (each
    part's size and CRC-32) of the rest. Use it as a context manager."""

    def __init__(self, path: Path | str, expect: str | set[str]) -> None:
        self._path = str(path)
        self._zip = open_zip(path, expect)
        self.infos = {info.filename: info for info in self._zip.infolist() if not info.is_dir()}
        self._read: dict[str, bytes] = {}

    def __enter__(self) -> LazyPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def __getitem__(self, part: str) -> bytes:
        if part not in self._read:
            if part not in self.infos:
                raise KeyError(part)
            try:
                data = self._zip.read(self.infos[part])
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib_error) as exc:
                raise InputFileError(f"is damaged or truncated ({exc}); save it again", file=self._path) from None
            if part.lower().endswith((".xml", ".rels", ".vml")) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
                parse_xml(data, part=part, file=self._path)
            self._read[part] = data
        return self._read[part]

    def __contains__(self, part: object) -> bool:
        return part in self.infos

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def looks_like_xml(head: bytes) -> bool:
    """Whether a file's first bytes are XML's: '<' after an optional byte-order
    mark and white space (UTF-8, or UTF-16 with its mark)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be",
                                   errors="ignore").encode("utf-8")
        except UnicodeError:
            return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec ``data`` is in, by its mark or, with none, by the zero
    byte beside its first character (XML's first character is ASCII); None for
    UTF-8 and other 8-bit text."""
    if data.startswith(_BOMS[1:]):
        return "utf-16"
    if data[:1] == b"\x00" and data[1:2] != b"\x00":
        return "utf-16-be"
    if data[1:2] == b"\x00" and data[:1] != b"\x00":
        return "utf-16-le"
    return None


def iter_xml_file(path: Path | str, *, kind: str, wanted: frozenset[str], max_bytes: int = MAX_INPUT_BYTES
                  ) -> Iterator[tuple[str, etree._Element]]:
    """Read a whole XML file (``kind`` names it for messages, e.g. "a Common
    Transfer File (.xml)") as a stream: first ``("", root)`` as the root element
    starts (its children not yet read), then ``(name, element)`` for each
    complete element whose local name is in ``wanted``, in document order. Once
    the caller asks for the next one, the element is emptied and dropped, so
    memory stays that of one element however long the file.

    Parsed safely: the size is checked before reading, a DOCTYPE or entity
    declaration is refused (in UTF-8 or UTF-16; the parser's DTD is checked too),
    no network, no DTD loading, and lxml's limits on depth and node size hold (no
    ``huge_tree``). Raises InputFileError naming the file: not found, a folder,
    empty, too big, a workbook, PDF or password-protected file, not XML, or not
    well-formed (the caller may have had some elements by then)."""
    path = Path(path)
    name = str(path)
    data = _read_checked(path, kind, max_bytes, None)
    found = sniff(data[:1024])
    if found != "other" or not looks_like_xml(data[:1024]):
        holds = {"zip": "a Word or Excel package", "ole": "a password-protected or old-style Office file",
                 "pdf": "a PDF", "other": "something that is not XML"}[found]
        raise InputFileError(f"is not {kind}: it holds {holds}. Export it again from the MIS", file=name)
    refused = InputFileError(
        "refused: it declares a DOCTYPE or entities, which a school's MIS never writes (entity expansion or"
        " external entities are an attack); ask for the file to be exported again", file=name)
    wide = _utf16(data)
    if any(mark in data for mark in (b"<!DOCTYPE", b"<!ENTITY")) or (
            wide is not None and any(mark in data.decode(wide, errors="ignore") for mark in ("<!DOCTYPE", "<!ENTITY"))):
        raise refused
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    started = False
    try:
        for event, el in events:
            if event == "start":
                if not started:
                    started = True
                    info = el.getroottree().docinfo
                    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                        raise refused
                    yield "", el
                continue
            local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
            if local in wanted:
                yield local, el
                el.clear(keep_tail=True)
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = f"line {exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise InputFileError(f"is not well-formed XML ({line}{exc.msg}); the file is damaged or incomplete:"
                             " export it again from the MIS", file=name) from None


def parse_xml(data: bytes, *, part: str, file: str | None = None) -> etree._Element:
    """Parse one XML part safely: a DOCTYPE (and so any entity) is refused, no
    network, no huge trees. Raises InputFileError naming the file and the part."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputFileError(
            f"refused: its part {part} declares a DOCTYPE or entities, which Word and Excel never write "
            "(entity expansion or external entities are an attack)",
            file=file or part,
        )
    try:
        return etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(f"its part {part} is not well-formed XML ({exc.msg}); the file is damaged", file=file or part) from None
