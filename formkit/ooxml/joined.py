"""Many rendered Word documents from one template joined into one, to convert once.

LibreOffice's cost is per document (loading, styles, layout), so converting 250
letters as one document is many times faster than 250 documents. The join is
only made where it can be proved to lay each document out as it would alone:

- :func:`read_joinable` reads a rendered document and says whether it may be
  joined (``Joinable.reason`` is why not) and with which others: ``key`` is a
  hash of the name, size and CRC-32 (the zip's own checksum of its content) of
  every part but the body, headers, footers and document properties, so
  documents with the same key share their styles, numbering, settings, theme
  and images (they come from one template);
- :func:`write_joined` writes the documents of one key as one package: each
  document one section, starting on a new page, its page numbers starting again,
  with its own copies of its headers and footers (which name its pupil), and a
  bookmark at its start that LibreOffice exports as a named PDF destination, so
  the joined PDF can be cut back into one PDF per document by page.

Not joined (``reason`` says why): more than one section; footnotes, endnotes,
comments or embedded documents (their parts are per document); numbered lists
(their numbers would run on from one document to the next); a page-count field
inside another field; a section type that has no header or footer of its own
(it would show the document before it's). A page-count field (NUMPAGES) would
count the whole joined document, so it is written as the number the caller
expects each document to have; the caller checks the PDF has exactly that many.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import guard
from ..errors import InputFileError
from .docx_package import (
    CORE_PART,
    CP_NS,
    CT_NS,
    DC_NS,
    FOOTER_REL,
    HEADER_REL,
    OFFICE_DOC,
    REL_NS,
    _rels_name,
    parse_xml,
    relationships,
    serialize,
)
from .wordml import FLD_CHAR, INSTR, P, R, T, TBL, W

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
JOIN_MARK = "formkitjoin"
"""Bookmarks named JOIN_MARK + a five-digit number mark where each joined document starts."""
_PAGE_COUNT = re.compile(r"^\s*(NUMPAGES|SECTIONPAGES)\b", re.I)
_NOT_JOINED = {"footnoteReference": "footnotes", "endnoteReference": "endnotes", "commentReference": "comments",
               "altChunk": "an embedded document", "subDoc": "an embedded document"}
_FROM_PROPERTIES = re.compile(
    rb"(?:instrText[^>]*>|w:instr=\")\s*(?:DOCPROPERTY|TITLE|SUBJECT|AUTHOR|KEYWORDS|COMMENTS|FILENAME|INFO|"
    rb"LASTSAVEDBY|DOCVARIABLE|CREATEDATE|SAVEDATE|PRINTDATE|REVNUM|TEMPLATE)\b|<w:dataBinding\b", re.I)
_HF_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_SECT_AFTER_TYPE = ("pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
                    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
                    "sectPrChange")
_SECT_AFTER_PGNUM = _SECT_AFTER_TYPE[_SECT_AFTER_TYPE.index("cols"):]
_PROPERTIES = {"title": (DC_NS, "title"), "author": (DC_NS, "creator"), "subject": (DC_NS, "subject"),
               "keywords": (CP_NS, "keywords")}


@dataclass(frozen=True)
class Joinable:
    """What :func:`read_joinable` found: ``key`` groups documents that may be
    joined (same template parts); ``reason`` is why this one may not ('' when it
    may); ``counts_pages`` is whether it shows its page count; ``properties``
    its title, author, subject and keywords (for its own PDF's metadata);
    ``own`` the bytes of the parts that are its own (body, headers, footers and
    their relationships), kept so that joining need not read the file again."""

    path: Path
    key: str
    reason: str = ""
    counts_pages: bool = False
    properties: dict[str, str] = field(default_factory=dict)
    own: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)


def read_joinable(path: Path) -> Joinable:
    """Read a rendered .docx for joining (only the parts that are its own, and
    the settings and styles the checks need; the others by the size and CRC-32
    the zip directory gives them, for ``key``). Raises InputFileError when it is
    not a readable Word document (it would not convert alone either)."""
    with guard.LazyPackage(path, "docx") as parts:
        document, own = _own_parts(parts, str(path))
        digest = hashlib.sha256()
        for name in sorted(parts.infos):
            if name not in own and not name.startswith("docProps/"):
                info = parts.infos[name]
                digest.update(f"{name}\0{info.file_size}\0{info.CRC:08x}\0".encode())
        root = parse_xml(parts[document], name=document, file=str(path))
        reason = _why_not(root, parts, document)
        counts = False
        for name in sorted(own):
            if not name.endswith(".rels") and name in parts and b"PAGES" in parts[name]:
                found = _rewrite_page_counts(parse_xml(parts[name], name=name), 1)
                if found is None:
                    reason = reason or "it has a page-count field inside another field"
                counts = counts or bool(found)
        kept = {name: parts[name] for name in (*own, _rels_name(document)) if name in parts} if not reason else {}
        return Joinable(path, digest.hexdigest(), reason, counts, _properties(parts), kept)


def _own_parts(parts: Mapping[str, bytes], source: str) -> tuple[str, set[str]]:
    """The main document part, and the parts each document has its own of (the
    body, headers and footers; the document properties are each document's own
    too, but the joined package keeps the first one's: see :func:`_why_not`)."""
    main = [name for kind, name in relationships(parts, "") if kind == OFFICE_DOC]
    if not main or main[0] not in parts:
        raise InputFileError("is not a Word document: it has no main document part", file=source)
    document = main[0]
    own = {document}
    for kind, name in relationships(parts, document):
        if kind in (HEADER_REL, FOOTER_REL):
            own.update({name, _rels_name(name)})
    return document, own


def _why_not(root: etree._Element, parts: Mapping[str, bytes], document: str) -> str:
    body = root.find(f"{W}body")
    if body is None or not len(body) or body[-1].tag != f"{W}sectPr":
        return "it has no page settings of its own"
    if body.find(f".//{W}pPr/{W}sectPr") is not None:
        return "it has more than one section"
    for local, what in _NOT_JOINED.items():
        if body.find(f".//{W}{local}") is not None:
            return f"it has {what}"
    for name in [document, *(n for k, n in relationships(parts, document) if k in (HEADER_REL, FOOTER_REL))]:
        data = parts.get(name, b"")
        if (b"instr" in data or b"dataBinding" in data) and _FROM_PROPERTIES.search(data):
            return "it shows its document properties, which would be the first joined document's"
    if len(body) < 2 or body[-2].tag not in (P, TBL):
        return "it does not end with a paragraph or a table"
    if _numbered(body, parts):
        return "it has numbered lists, which would run on from one document to the next"
    sect = body[-1]
    needed = ["default"]
    if _on(sect.find(f"{W}titlePg")):
        needed.append("first")
    settings = parts.get("word/settings.xml", b"")
    if b"evenAndOddHeaders" in settings and _on(parse_xml(settings, name="settings").find(f"{W}evenAndOddHeaders")):
        needed.append("even")
    for kind in ("header", "footer"):
        have = {ref.get(f"{W}type", "default") for ref in sect.findall(f"{W}{kind}Reference")}
        if not set(needed) <= have:
            return f"it has no {kind} of its own on every page, so it would show the one before it"
    return ""


def _on(element: etree._Element | None) -> bool:
    return element is not None and element.get(f"{W}val", "true") not in ("0", "false", "off")


def _numbered(body: etree._Element, parts: Mapping[str, bytes]) -> bool:
    if any(num.get(f"{W}val") != "0" for num in body.iter(f"{W}numId")):
        return True
    used = {s.get(f"{W}val") for s in body.iter(f"{W}pStyle")}
    styles = parts.get("word/styles.xml")
    if not used or styles is None or b"numPr" not in styles:
        return False
    for style in parse_xml(styles, name="word/styles.xml").iter(f"{W}style"):
        if style.get(f"{W}styleId") in used:
            num = style.find(f"{W}pPr/{W}numPr/{W}numId")
            if num is not None and num.get(f"{W}val") != "0":
                return True
    return False


def _properties(parts: Mapping[str, bytes]) -> dict[str, str]:
    if CORE_PART not in parts:
        return {}
    root = parse_xml(parts[CORE_PART], name=CORE_PART)
    found = {}
    for name, (ns, local) in _PROPERTIES.items():
        el = root.find(f"{{{ns}}}{local}")
        if el is not None and el.text:
            found[name] = el.text
    return found


def _rewrite_page_counts(root: etree._Element, pages: int) -> bool | None:
    """Replace each NUMPAGES/SECTIONPAGES field in ``root`` by the text ``pages``.
    True if there was one, False if none, None if one sits inside another field."""
    found = False
    for simple in list(root.iter(f"{W}fldSimple")):
        if _PAGE_COUNT.match(simple.get(f"{W}instr", "")):
            runs = simple.findall(R)
            run = runs[0] if runs else etree.Element(R)
            for extra in runs[1:]:
                simple.remove(extra)
            _set_text(run, str(pages))
            simple.addprevious(run)
            simple.getparent().remove(simple)
            found = True
    for paragraph in root.iter(P):
        fields: list[dict] = []
        for run in list(paragraph.iter(R)):
            char = run.find(FLD_CHAR)
            kind = char.get(f"{W}fldCharType") if char is not None else None
            if kind == "begin":
                fields.append({"instr": "", "runs": [run], "result": [], "separated": False})
            elif not fields:
                continue
            elif kind == "separate":
                fields[-1]["separated"] = True
                fields[-1]["runs"].append(run)
            elif kind == "end":
                done = fields.pop()
                if _PAGE_COUNT.match(done["instr"]):
                    if fields:
                        return None
                    result = done["result"] or [done["runs"][0]]
                    for other in done["runs"] + [run]:
                        if other is not result[0]:
                            other.getparent().remove(other)
                    for extra in result[1:]:
                        extra.getparent().remove(extra)
                    _set_text(result[0], str(pages))
                    found = True
            elif fields[-1]["separated"]:
                fields[-1]["result"].append(run)
            else:
                fields[-1]["instr"] += "".join(t.text or "" for t in run.iter(INSTR))
                fields[-1]["runs"].append(run)
    return found


def _set_text(run: etree._Element, text: str) -> None:
    for child in list(run):
        if child.tag != f"{W}rPr":
            run.remove(child)
    etree.SubElement(run, T).text = text


def write_joined(documents: Sequence[tuple[Joinable, int]], dest: Path) -> None:
    """Join ``documents`` (each with the pages it is expected to have, shown by
    its page-count fields) into ``dest``, in order; document ``n`` (from 1)
    starts at the bookmark ``JOIN_MARK`` + ``f"{n:05d}"``. All must share one ``key``
    and have no ``reason``."""
    if not documents or len({d.key for d, _ in documents}) != 1 or any(d.reason for d, _ in documents):
        raise ValueError("only documents of one template that may be joined are joined")
    _, parts = guard.read_zip(documents[0][0].path, "docx")
    document, own = _own_parts(parts, str(documents[0][0].path))
    root = parse_xml(parts[document], name=document)
    body = root.find(f"{W}body")
    for child in list(body):
        body.remove(child)
    rels = parse_xml(parts[_rels_name(document)], name=_rels_name(document))
    types = parse_xml(parts["[Content_Types].xml"], name="[Content_Types].xml")
    for rel in list(rels):
        if rel.get("Type") in (HEADER_REL, FOOTER_REL):
            rels.remove(rel)
    dropped = {"/" + name for name in own if name != document}
    for override in list(types):
        if override.get("PartName") in dropped:
            types.remove(override)
    out = {name: data for name, data in parts.items() if name not in own}
    folder = posixpath.dirname(document)
    for number, (joinable, pages) in enumerate(documents, 1):
        theirs = joinable.own
        own_body = parse_xml(theirs[document], name=document).find(f"{W}body")
        targets = dict(_rel_ids(theirs, document))
        sect = own_body[-1]
        for ref in [*sect.findall(f"{W}headerReference"), *sect.findall(f"{W}footerReference")]:
            kind = "header" if ref.tag.endswith("headerReference") else "footer"
            old = targets[ref.get(f"{{{R_NS}}}id")]
            new = posixpath.join(folder, f"{kind}-j{number}-{ref.get(f'{W}type', 'default')}.xml")
            part = parse_xml(theirs[old], name=old)
            _rewrite_page_counts(part, pages)
            out[new] = serialize(part)
            if _rels_name(old) in theirs:
                out[_rels_name(new)] = theirs[_rels_name(old)]
            rid = f"rIdJoin{number}{kind[0]}{ref.get(f'{W}type', 'default')[0]}"
            etree.SubElement(rels, f"{{{REL_NS}}}Relationship", Id=rid, Type=HEADER_REL if kind == "header"
                             else FOOTER_REL, Target=posixpath.relpath(new, folder))
            etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + new, ContentType=_HF_CT.format(kind))
            ref.set(f"{{{R_NS}}}id", rid)
        _new_page(sect)
        _rewrite_page_counts(own_body, pages)
        content = list(own_body)[:-1]
        _mark(content, number)
        for child in content:
            body.append(child)
        if number < len(documents):
            if content[-1].tag == TBL:
                content.append(_section_end())
                body.append(content[-1])
            ppr = content[-1].find(f"{W}pPr")
            if ppr is None:
                ppr = etree.Element(f"{W}pPr")
                content[-1].insert(0, ppr)
            change = ppr.find(f"{W}pPrChange")
            if change is not None:
                change.addprevious(sect)
            else:
                ppr.append(sect)
        else:
            body.append(sect)
    out[document] = serialize(root)
    out[_rels_name(document)] = serialize(rels)
    out["[Content_Types].xml"] = serialize(types)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in out.items():
            package.writestr(name, data, compresslevel=1)
    dest.write_bytes(buffer.getvalue())


def _section_end() -> etree._Element:
    """The paragraph that ends a section after a table (Word and LibreOffice both
    put a paragraph after a table that ends a document), as small as one can be."""
    paragraph = etree.Element(P)
    ppr = etree.SubElement(paragraph, f"{W}pPr")
    etree.SubElement(ppr, f"{W}spacing", {f"{W}before": "0", f"{W}after": "0", f"{W}line": "20",
                                          f"{W}lineRule": "exact"})
    etree.SubElement(etree.SubElement(ppr, f"{W}rPr"), f"{W}sz", {f"{W}val": "2"})
    return paragraph


def _rel_ids(parts: dict[str, bytes], source: str) -> list[tuple[str, str]]:
    root = parse_xml(parts[_rels_name(source)], name=_rels_name(source))
    base = posixpath.dirname(source)
    return [(rel.get("Id", ""), posixpath.normpath(posixpath.join(base, rel.get("Target", ""))))
            for rel in root.iter(f"{{{REL_NS}}}Relationship") if rel.get("TargetMode") != "External"]


def _new_page(sect: etree._Element) -> None:
    """The section starts on a new page (not an odd or even one: no blank pages
    between documents) and its page numbers start at 1 unless it says otherwise."""
    kind = sect.find(f"{W}type")
    if kind is None:
        kind = etree.Element(f"{W}type")
        _insert_before(sect, kind, _SECT_AFTER_TYPE)
    kind.set(f"{W}val", "nextPage")
    numbers = sect.find(f"{W}pgNumType")
    if numbers is None:
        numbers = etree.Element(f"{W}pgNumType")
        _insert_before(sect, numbers, _SECT_AFTER_PGNUM)
    if numbers.get(f"{W}start") is None:
        numbers.set(f"{W}start", "1")


def _insert_before(parent: etree._Element, new: etree._Element, later: tuple[str, ...]) -> None:
    for child in parent:
        if child.tag in {f"{W}{name}" for name in later}:
            child.addprevious(new)
            return
    parent.append(new)


def _mark(content: list[etree._Element], number: int) -> None:
    """A bookmark at the start of the document's first paragraph."""
    first = next((el for block in content for el in block.iter(P)), None)
    if first is None:  # pragma: no cover - _why_not requires a final paragraph
        raise ValueError("a document to join has no paragraph")
    start = etree.Element(f"{W}bookmarkStart", {f"{W}id": str(900000 + number), f"{W}name": f"{JOIN_MARK}{number:05d}"})
    end = etree.Element(f"{W}bookmarkEnd", {f"{W}id": str(900000 + number)})
    ppr = first.find(f"{W}pPr")
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    start.addnext(end)


__all__ = ["JOIN_MARK", "Joinable", "read_joinable", "write_joined"]
