"""The raw OOXML work for Word documents: the one module that opens .docx zips.

A :class:`DocxPackage` is a template's zip read once into memory. It names the
parts docxtpl renders (the document body, headers, footers, footnotes, core
properties), gives their XML as docxtpl sees it, and writes a new package where
only the rendered parts differ from the template, byte for byte everywhere else.
A :class:`DocxFile` is a document to read (a returned form): its bytes read
once, each part inflated only when asked for.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .. import guard
from ..errors import InputFileError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CORE_PART = "docProps/core.xml"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

# python-docx parses parts this way; docxtpl's tag patching depends on it.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)

# The core properties docxtpl renders as templates, in its order.
CORE_TEXT_PROPERTIES = (
    (DC_NS, "creator"),
    (DC_NS, "description"),
    (DC_NS, "identifier"),
    (DC_NS, "language"),
    (DC_NS, "subject"),
    (DC_NS, "title"),
)


def parse_xml(data: bytes | str, *, name: str, file: str | None = None) -> etree._Element:
    """Parse one part as python-docx does (blank text removed), after the guard's
    DOCTYPE check; raise InputFileError when it is not well-formed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        guard.parse_xml(raw, part=name, file=file)
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(f"its part {name} is not well-formed XML ({exc.msg}); the file is damaged", file=file or name) from None


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def external_targets(parts: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(relationships part, kind, target) for every relationship to something
    outside the package that Word or LibreOffice would fetch or open: a linked
    image, an attached template, a linked object or sub-document. Hyperlinks
    (opened only when clicked) are left out."""
    found = []
    for name in sorted(parts):
        if not name.endswith(".rels"):
            continue
        for rel in parse_xml(parts[name], name=name).iter(f"{{{REL_NS}}}Relationship"):
            kind = rel.get("Type", "")
            if rel.get("TargetMode") == "External" and kind != HYPERLINK_REL:
                found.append((name, kind.rsplit("/", 1)[-1], rel.get("Target", "")))
    return found


def relationships(parts: Mapping[str, bytes], source: str) -> list[tuple[str, str]]:
    """(type, target part name) for each internal relationship of ``source``.
    A relationships part is parsed once for the same bytes (forms of one
    template share them), so reading many documents parses few."""
    rels = parts.get(_rels_name(source) if source else "_rels/.rels")
    if rels is None:
        return []
    return list(_internal_targets(rels, source))


@lru_cache(maxsize=64)
def _internal_targets(rels: bytes, source: str) -> tuple[tuple[str, str], ...]:
    root = parse_xml(rels, name=_rels_name(source))
    base = posixpath.dirname(source)
    found = []
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found.append((rel.get("Type", ""), name))
    return tuple(found)


_LOCAL_HEADER = struct.Struct("<4s22xHH")


class DocxFile(guard.LazyPackage):
    """A .docx to read, held as its bytes: the file is read once (``data``, for
    its hash too) after the guard's checks (size, real kind, zip bomb by the
    declared sizes, encryption, part names), and each part is inflated only
    when asked for, at once from those bytes, and checked against the size and
    CRC-32 the zip's directory declares.

    As a :class:`~formkit.guard.LazyPackage`: a part that cannot be inflated
    raises InputFileError (damaged or truncated), a missing one KeyError, and a
    part with a DOCTYPE or entities is refused when read, before any parsing."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        self.source = self._path = str(path)
        guard.check_file(path, "docx")
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            raise InputFileError(f"cannot be read ({exc.strerror})", file=self.source) from None
        try:
            zf = zipfile.ZipFile(io.BytesIO(self.data))
        except (zipfile.BadZipFile, OSError, EOFError):
            raise InputFileError("is damaged or truncated (not a complete zip package); save it again",
                                 file=self.source) from None
        with zf:
            guard.check_zip(zf, self.source)
            self.infos = {info.filename: info for info in zf.infolist() if not info.is_dir()}
        self._read: dict[str, bytes] = {}
        self._zip = _Members(self.data)  # type: ignore[assignment]


class _Members:
    """The members of a zip held in memory, read as ``zipfile.ZipFile.read``
    reads them (its errors for a damaged one), without its file machinery."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def close(self) -> None:
        pass

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The local header found and its name checked against the directory's;
        stored or deflated data unpacked (never past the declared size) and its
        size and CRC-32 checked; other methods through zipfile."""
        offset = info.header_offset
        try:
            magic, name_length, extra_length = _LOCAL_HEADER.unpack_from(self.data, offset)
        except struct.error:
            raise zipfile.BadZipFile(f"the part {info.filename} is missing") from None
        start = offset + _LOCAL_HEADER.size
        name = self.data[start:start + name_length]
        if magic != b"PK\x03\x04" or name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
            raise zipfile.BadZipFile(f"the part {info.filename} is not where the zip's directory says")
        start += name_length + extra_length
        packed = self.data[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            data = packed
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            data = zlib.decompressobj(-15).decompress(packed, info.file_size + 1)
        else:
            try:
                with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                    return zf.read(info)
            except NotImplementedError as exc:  # a compression method zipfile has no module for
                raise zipfile.BadZipFile(str(exc)) from None
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        return data


@dataclass
class DocxPackage:
    """A .docx template held in memory, with the names of its renderable parts."""

    source: str
    infos: list[zipfile.ZipInfo]
    parts: dict[str, bytes]
    document: str
    headers_footers: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path) -> DocxPackage:
        infos, parts = guard.read_zip(path, "docx")
        main = [name for kind, name in relationships(parts, "") if kind == OFFICE_DOC]
        if not main or main[0] not in parts:
            raise InputFileError(
                "is not a Word document: it has no main document part. Open it in Word and save it as .docx",
                file=str(path),
            )
        document = main[0]
        root = parse_xml(parts[document], name=document, file=str(path))
        if root.tag != f"{{{W_NS}}}document":
            raise InputFileError(
                "is not a Word document: it holds an Excel workbook or another kind of package. "
                "Give the Word template (.docx)",
                file=str(path),
            )
        hf = [name for kind, name in relationships(parts, document) if kind in (HEADER_REL, FOOTER_REL) and parts.get(name)]
        types = parse_xml(parts.get("[Content_Types].xml", b"<Types/>"), name="[Content_Types].xml")
        footnotes = [
            o.get("PartName", "").lstrip("/")
            for o in types.iter(f"{{{CT_NS}}}Override")
            if o.get("ContentType") == FOOTNOTES_CT and o.get("PartName", "").lstrip("/") in parts
        ]
        return cls(str(path), infos, parts, document, hf, footnotes)

    def document_root(self) -> etree._Element:
        """A fresh parse of the main document part (the caller may change it)."""
        return parse_xml(self.parts[self.document], name=self.document)

    def body_xml(self, root: etree._Element) -> str:
        """The <w:body> of ``root`` as one unindented string, as docxtpl reads it."""
        body = root.find(f"{{{W_NS}}}body")
        if body is None:
            raise InputFileError("has no document body; save it again from Word", file=self.source)
        return etree.tostring(body, encoding="unicode", pretty_print=False)

    def part_xml(self, name: str) -> str:
        """A header or footer part re-serialised as docxtpl reads it."""
        return etree.tostring(parse_xml(self.parts[name], name=name), encoding="unicode", pretty_print=False)

    def raw_xml(self, name: str) -> str:
        """A part's XML text exactly as stored (docxtpl reads footnotes this way)."""
        return self.parts[name].decode("utf-8")

    def core_properties(self) -> dict[tuple[str, str], str]:
        """The text core properties docxtpl renders, that the template sets."""
        if CORE_PART not in self.parts:
            return {}
        root = parse_xml(self.parts[CORE_PART], name=CORE_PART)
        found = {}
        for ns, local in CORE_TEXT_PROPERTIES:
            el = root.find(f"{{{ns}}}{local}")
            if el is not None and el.text:
                found[(ns, local)] = el.text
        return found

    def core_xml(self, values: dict[tuple[str, str], str], category: str | None) -> bytes | None:
        """docProps/core.xml with rendered ``values``, the category set, and
        'Confidential' first in the keywords (LibreOffice carries keywords into
        the PDFs it makes), or None when the template has no core properties part."""
        if CORE_PART not in self.parts:
            return None
        root = parse_xml(self.parts[CORE_PART], name=CORE_PART)
        for (ns, local), text in values.items():
            el = root.find(f"{{{ns}}}{local}")
            if el is not None:
                el.text = text
        if category is not None:
            el = root.find(f"{{{CP_NS}}}category")
            if el is None:
                el = etree.SubElement(root, f"{{{CP_NS}}}category")
            el.text = category
            keywords = root.find(f"{{{CP_NS}}}keywords")
            if keywords is None:
                keywords = etree.SubElement(root, f"{{{CP_NS}}}keywords")
            if "Confidential" not in (keywords.text or ""):
                keywords.text = f"Confidential {keywords.text}" if keywords.text else "Confidential"
        return serialize(root)

    def custom_properties(self) -> dict[str, str]:
        """The text of each custom document property (File > Info > Properties >
        Custom in Word), by name; {} when the package has none."""
        if CUSTOM_PART not in self.parts:
            return {}
        root = parse_xml(self.parts[CUSTOM_PART], name=CUSTOM_PART, file=self.source)
        return {p.get("name", ""): "".join(p.itertext()).strip() for p in root.iter(f"{{{CUSTOM_NS}}}property")}

    def make_room_for_custom_properties(self) -> None:
        """Declare docProps/custom.xml in the package (its content type and the
        package relationship) when the template has no custom properties yet,
        so that :meth:`custom_xml` can be written into each document. Call it
        before :meth:`prepare`."""
        if CUSTOM_PART in self.parts:
            return
        types = parse_xml(self.parts.get("[Content_Types].xml", b"<Types/>"), name="[Content_Types].xml")
        override = etree.SubElement(types, f"{{{CT_NS}}}Override")
        override.set("PartName", "/" + CUSTOM_PART)
        override.set("ContentType", CUSTOM_CT)
        self.parts["[Content_Types].xml"] = serialize(types)
        rels = parse_xml(self.parts.get("_rels/.rels", b'<Relationships xmlns="%s"/>' % REL_NS.encode()),
                         name="_rels/.rels")
        taken = {rel.get("Id") for rel in rels}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
        rel.set("Id", f"rId{number}")
        rel.set("Type", CUSTOM_REL)
        rel.set("Target", CUSTOM_PART)
        self.parts["_rels/.rels"] = serialize(rels)

    def custom_xml(self, values: dict[str, str], *, replacing: str) -> bytes:
        """docProps/custom.xml with the template's own custom properties, except
        those whose names start with ``replacing`` (a document made from a
        document formkit wrote must not keep the first pupil's), and ``values``
        as text properties."""
        if CUSTOM_PART in self.parts:
            root = parse_xml(self.parts[CUSTOM_PART], name=CUSTOM_PART, file=self.source)
        else:
            root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
        for prop in list(root.iter(f"{{{CUSTOM_NS}}}property")):
            if prop.get("name", "").startswith(replacing):
                prop.getparent().remove(prop)
        pids = [int(p.get("pid", "1")) for p in root.iter(f"{{{CUSTOM_NS}}}property") if p.get("pid", "").isdigit()]
        pid = max([1, *pids])
        for name, text in values.items():
            pid += 1
            prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=_CUSTOM_FMTID, pid=str(pid), name=name)
            etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = text
        return serialize(root)

    def prepare(self, changing: set[str]) -> None:
        """Compress, once, every member that renders never change, so that
        :meth:`write` only compresses the parts in ``changing``."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                if not info.is_dir() and info.filename not in changing:
                    self._put(out, info, self.parts[info.filename])
        self._base = buffer.getvalue()
        self._changing = [info for info in self.infos if info.filename in changing]

    def write(self, replaced: dict[str, bytes]) -> bytes:
        """A new package: the template's members with ``replaced`` parts swapped in
        (a part the template lacks, such as docProps/custom.xml, is added).

        Timestamps are the template's, so equal input gives equal bytes. The
        unchanging members come first, as prepared; the parts a render changes
        follow, each once, in the template's order.
        """
        if not hasattr(self, "_base"):
            self.prepare(set(replaced))
        buffer = io.BytesIO(self._base)
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as out:
            for info in self._changing:
                self._put(out, info, replaced.get(info.filename, self.parts[info.filename]))
            known = {info.filename for info in self.infos}
            for name, data in replaced.items():
                if name not in known:
                    self._put(out, zipfile.ZipInfo(name, date_time=self.infos[0].date_time), data)
        return buffer.getvalue()

    @staticmethod
    def _put(out: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
        member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        member.compress_type = zipfile.ZIP_DEFLATED
        member.external_attr = info.external_attr
        out.writestr(member, data, compresslevel=6)


def serialize(root: etree._Element) -> bytes:
    """A part as python-docx saves it: UTF-8 with a standalone declaration."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


class BodySlot:
    """The main document part split around its <w:body>, to put a new body in.

    Moving a parsed body into the document tree costs more than the rest of a
    render; joining bytes gives the same XML (lxml drops the namespace
    declarations the document element already makes, and so does this).
    """

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        whole = serialize(root)
        start = whole.index(b"<w:body")
        end = whole.find(b"</w:body>")
        end = whole.index(b">", start) + 1 if end < 0 else end + len(b"</w:body>")
        self.prefix, self.suffix = whole[:start], whole[end:]
        self.declared = {(p or "").encode(): uri.encode() for p, uri in root.nsmap.items()}

    def fill(self, body: etree._Element) -> bytes:
        data = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
        end = data.index(b">")
        head = re.sub(
            rb' xmlns(?::([\w.-]+))?="([^"]*)"',
            lambda m: b"" if self.declared.get(m.group(1) or b"") == m.group(2) else m.group(0),
            data[:end],
        )
        if b"xmlns" in head or b"xmlns" in data[end:]:
            return self._reparent(body)
        return self.prefix + head + data[end:] + self.suffix

    def _reparent(self, body: etree._Element) -> bytes:
        """The slow, general way, for a body that redeclares a namespace prefix."""
        old = self.root.find(f"{{{W_NS}}}body")
        assert old is not None, "BodySlot is only made for a document with a body"
        self.root.replace(old, body)
        try:
            return serialize(self.root)
        finally:
            self.root.replace(body, old)


def text_of(xml: str) -> str:
    """The visible text of a fragment of WordprocessingML (tags dropped)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", xml)).strip()


class BrokenXML(ValueError):
    """A rendered part that is not well-formed XML: ``message`` says why, ``line``
    is where (when known)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_rendered(xml: str) -> etree._Element:
    """Parse a part as rendered from a template, strictly (no entities, no network,
    no huge trees). Raises :class:`BrokenXML` when it is not well formed."""
    try:
        return etree.fromstring(xml.encode("utf-8"), _STRICT_PARSER)
    except etree.XMLSyntaxError as exc:
        raise BrokenXML(exc.msg, getattr(exc, "lineno", None)) from None


def tables_need_fixing(body: etree._Element) -> bool:
    """Whether docxtpl's fix_tables would change this body: some row has more cells
    than the table has grid columns, or every row spans fewer."""
    w = f"{{{W_NS}}}"
    for table in body.iter(f"{w}tbl"):
        grid = table.find(f"{w}tblGrid")
        columns = len(grid.findall(f"{w}gridCol")) if grid is not None else 0
        widest = 0
        for row in table.iter(f"{w}tr"):
            cells = row.findall(f"{w}tc")
            if len(cells) > columns:
                return True
            spans = 0
            for cell in cells:
                span = cell.find(f"{w}tcPr/{w}gridSpan")
                spans += int(span.get(f"{w}val", "1")) if span is not None else 1
            widest = max(widest, spans)
        if columns > widest:
            return True
    return False


