"""Reading a Word part as a form: tables of cells, the content controls and
legacy form fields in them, and the labels beside them.

:func:`layout` reads a parsed part (the body, a header or a footer);
:func:`read_layouts` opens a .docx through the guard and reads its main document,
headers and footers. Controls are read by kind: plain and rich text, date
picker, drop-down and combo box, check box; and the legacy FORMTEXT,
FORMCHECKBOX and FORMDROPDOWN fields. LibreOffice keeps controls but drops their
tags (and most aliases) and the placeholder flag: so a control's text equal to a
known placeholder is read as empty, and cells keep their position for
label-based reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lxml import etree

from .. import guard
from ..errors import InputFileError
from .docx_package import FOOTER_REL, HEADER_REL, OFFICE_DOC, DocxFile, relationships
from .wordml import (
    BR,
    CHECKED,
    CR,
    FF_DATA,
    FLD_CHAR,
    LEGACY_BLANK,
    PLACEHOLDERS,
    SDT,
    SDT_CONTENT,
    SDT_PR,
    TAB,
    TBL,
    TC,
    TICKS,
    TR,
    UNCHECKED,
    VAL,
    W14,
    WRAPPERS,
    P,
    T,
    W,
)


@dataclass
class Control:
    """One control as read: ``kind`` is text, rich, date, choice, tick,
    legacy-text, legacy-tick or legacy-choice. ``text`` is '' when the control
    shows its placeholder. ``label`` is the text before it in its paragraph."""

    kind: str
    tag: str = ""
    alias: str = ""
    text: str = ""
    checked: bool | None = None
    full_date: date | None = None
    items: tuple[tuple[str, str], ...] = ()
    label: str = ""

    @property
    def value(self) -> str:
        """The stored value of a drop-down (its item's value), else the text."""
        for value, shown in self.items:
            if self.text == shown:
                return value
        return self.text


@dataclass
class LayoutCell:
    """A table cell: its text, its controls, and its grid column and span."""

    text: str
    controls: list[Control]
    col: int
    span: int = 1


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with ``tag``, looking through content-control and custom
    XML wrappers (a row or cell may sit inside a w:sdt)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def visible_text(element: etree._Element) -> str:
    """Visible text: paragraphs on separate lines, tabs as spaces, breaks as new lines.
    (One pass over the element: a paragraph's text runs until the next paragraph.)"""
    lines: list[str] | None = None  # None until a paragraph is seen
    parts: list[str] = []
    for el in element.iter(P, T, TAB, BR, CR):
        tag = el.tag
        if tag == T:
            parts.append(el.text or "")
        elif tag == P:
            if lines is None:
                lines = []  # text before the first paragraph is in none: not shown
            else:
                lines.append("".join(parts))
            parts = []
        else:
            parts.append(" " if tag == TAB else "\n")
    if lines is None:
        return "".join(parts)
    lines.append("".join(parts))
    return "\n".join(lines)


def _flag(pr: etree._Element, name: str) -> bool:
    el = pr.find(f"{W14}{name}") if name == "checked" else pr.find(f"{W}{name}")
    return el is not None and el.get(f"{W14}val" if name == "checked" else VAL, "1") not in ("0", "false")


_TAG, _ALIAS, _TEXT, _SHOWING = f"{W}tag", f"{W}alias", f"{W}text", f"{W}showingPlcHdr"
_BOX, _BOX_STATE, _BOX_VAL = f"{W14}checkbox", f"{W14}checked", f"{W14}val"
_PICKER, _FULL_DATE, _LIST, _COMBO = f"{W}date", f"{W}fullDate", f"{W}dropDownList", f"{W}comboBox"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ITEM, _VALUE, _DISPLAY = f"{W}listItem", f"{W}value", f"{W}displayText"


def _read_sdt(sdt: etree._Element) -> Control | None:
    pr = content = None
    for child in sdt:  # the first of each, as find() gives, in one pass
        if child.tag == SDT_PR:
            if pr is None:
                pr = child
        elif child.tag == SDT_CONTENT and content is None:
            content = child
    if pr is None or content is None:
        return None
    props = {child.tag: child for child in reversed(pr)}  # the first of each kind, as find() gives
    tag = props.get(_TAG)
    alias = props.get(_ALIAS)
    names = (tag.get(VAL, "") if tag is not None else "", alias.get(VAL, "") if alias is not None else "")
    text = visible_text(content).strip()
    box = props.get(_BOX)
    if box is not None:
        state = box.find(_BOX_STATE)
        checked = state.get(_BOX_VAL, "0") in ("1", "true") if state is not None else text.casefold() in TICKS
        return Control("tick", *names, CHECKED if checked else UNCHECKED, checked)
    if _TEXT not in props and next(content.iter(SDT), None) is not None:
        return None  # a wrapper around other controls (LibreOffice wraps check boxes so)
    if _SHOWING in props or text in PLACEHOLDERS:
        text = ""
    picker = props.get(_PICKER)
    if picker is not None:
        full = picker.get(_FULL_DATE, "")
        day = None
        if text and _ISO_DATE.match(full):
            try:
                day = date.fromisoformat(full[:10])
            except ValueError:
                pass
        return Control("date", *names, text, full_date=day)
    listing = props.get(_LIST)
    if listing is None:
        listing = props.get(_COMBO)
    if listing is not None:
        items = tuple((item.get(_VALUE, ""), item.get(_DISPLAY, item.get(_VALUE, ""))) for item in listing.iter(_ITEM))
        return Control("choice", *names, text, items=items)
    return Control("text" if _TEXT in props else "rich", *names, text)


def _read_legacy(element: etree._Element) -> list[Control]:
    """Legacy form fields (FORMTEXT, FORMCHECKBOX, FORMDROPDOWN) in ``element``."""
    found: list[Control] = []
    current: Control | None = None
    collecting = False
    result: list[str] = []
    for el in element.iter(FLD_CHAR, T):
        if el.tag == T:
            if collecting:
                result.append(el.text or "")
            continue
        kind = el.get(f"{W}fldCharType")
        if kind == "begin":
            data = el.find(FF_DATA)
            current = _legacy_control(data) if data is not None else None
            collecting, result = False, []
        elif kind == "separate" and current is not None:
            collecting = True
        elif kind == "end" and current is not None:
            if current.kind == "legacy-text":
                text = "".join(result)
                current.text = "" if LEGACY_BLANK.match(text) else text.strip()
            found.append(current)
            current, collecting = None, False
    return found


def _legacy_control(data: etree._Element) -> Control:
    name = data.find(f"{W}name")
    control = Control("legacy-text", name.get(VAL, "") if name is not None else "")
    box = data.find(f"{W}checkBox")
    if box is not None:
        control.kind = "legacy-tick"
        state = box.find(f"{W}checked")
        if state is None:
            state = box.find(f"{W}default")
        control.checked = state is not None and state.get(VAL, "1") not in ("0", "false")
        control.text = CHECKED if control.checked else UNCHECKED
        return control
    listing = data.find(f"{W}ddList")
    if listing is not None:
        control.kind = "legacy-choice"
        entries = [e.get(VAL, "") for e in listing.findall(f"{W}listEntry")]
        chosen = listing.find(f"{W}result")
        if chosen is None:
            chosen = listing.find(f"{W}default")
        index = int(chosen.get(VAL, "0")) if chosen is not None and chosen.get(VAL, "0").isdigit() else 0
        control.items = tuple((e, e) for e in entries)
        control.text = entries[index] if 0 <= index < len(entries) else ""
    return control


def _controls(element: etree._Element, legacy: bool) -> list[Control]:
    found = [c for c in map(_read_sdt, element.iter(SDT)) if c is not None]
    return found + _read_legacy(element) if legacy else found


def _in_cell(sdt: etree._Element) -> bool:
    """Whether a control is in a table cell that :attr:`Layout.tables` holds: in
    a w:tc, in a w:tr, in a w:tbl, with only wrappers between them."""
    cell = next(sdt.iterancestors(TC), None)
    if cell is None:
        return False
    for wanted in (TR, TBL):
        cell = cell.getparent()
        while cell is not None and cell.tag in WRAPPERS:
            cell = cell.getparent()
        if cell is None or cell.tag != wanted:
            return False
    return True


def _label_before(paragraph: etree._Element, control: etree._Element) -> str:
    """The paragraph's text before ``control``, without a trailing colon."""
    parts = []
    for el in paragraph.iter(T, SDT):
        if el is control:
            break
        if el.tag == T and control not in el.iterancestors(SDT):
            parts.append(el.text or "")
    return "".join(parts).strip().rstrip(":").strip()


class Layout:
    """A part read for its form, each view built when first asked for:

    - :attr:`controls`: every control, those outside tables first, then those in
      table cells (table by table, row by row), found without building the tables;
    - :attr:`paragraphs`: the text of the paragraphs outside tables;
    - :attr:`tables`: tables as rows of :class:`LayoutCell` (text, controls,
      grid column), the costly view, built only for reading by label.

    Cells hold their grid column (counting ``w:gridSpan``), so "the cell below"
    is the cell in the next row starting at the same column. Legacy fields are
    looked for only when the part has any.
    """

    def __init__(self, root: etree._Element | None) -> None:
        self._root = root
        self._body_el: etree._Element | None = None
        self._part: tuple[bytes, str, str | None] | None = None
        self._outside: tuple[list[Control], list[str]] | None = None
        self._tables: list[list[list[LayoutCell]]] | None = None
        self._controls: list[Control] | None = None
        self._legacy_seen: bool | None = None

    @classmethod
    def unparsed(cls, data: bytes, part: str, file: str | None = None) -> Layout:
        """A part (a header or footer) parsed, through the guard, only when a view
        of it is asked for; its :attr:`controls` are known to be none without
        parsing when its bytes name no content control or legacy field. A part
        that is not well-formed raises InputFileError then, naming the part."""
        made = cls(None)
        made._part = (data, part, file)
        return made

    @property
    def _body(self) -> etree._Element:
        if self._body_el is None:
            if self._root is None:
                assert self._part is not None
                data, part, file = self._part
                self._root = guard.parse_xml(data, part=part, file=file)
            body = self._root.find(f"{W}body")
            self._body_el = self._root if body is None else body
        return self._body_el

    @property
    def _legacy(self) -> bool:
        if self._legacy_seen is None:
            self._legacy_seen = self._body.find(f".//{FF_DATA}") is not None
        return self._legacy_seen

    def _cells(self) -> Iterator[etree._Element]:
        """Every table cell (w:tc) in the tables' order, as :attr:`tables` holds them."""
        for table in self._body.iter(TBL):
            for tr in _children(table, TR):
                yield from _children(tr, TC)

    @property
    def tables(self) -> list[list[list[LayoutCell]]]:
        if self._tables is None:
            tables: list[list[list[LayoutCell]]] = []
            for table in self._body.iter(TBL):
                rows = []
                for tr in _children(table, TR):
                    cells, col = [], 0
                    for tc in _children(tr, TC):
                        span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                        span = int(span_el.get(VAL, "1")) if span_el is not None and span_el.get(VAL, "1").isdigit() else 1
                        cells.append(LayoutCell(visible_text(tc).strip(), _controls(tc, self._legacy), col, span))
                        col += span
                    rows.append(cells)
                tables.append(rows)
            self._tables = tables
        return self._tables

    @property
    def paragraphs(self) -> list[str]:
        return self._read_outside()[1]

    @property
    def controls(self) -> list[Control]:
        if self._controls is None and self._part is not None and self._root is None and not _may_hold_controls(
                self._part[0]):
            self._controls = []
        if self._controls is None:
            outside = list(self._read_outside()[0])
            if self._tables is not None:
                inside = [c for rows in self._tables for row in rows for cell in row for c in cell.controls]
            elif self._legacy or self._nested_tables():
                inside = [c for tc in self._cells() for c in _controls(tc, self._legacy)]
            else:  # each control in one cell at most, so in the document's order
                inside = [c for c in map(_read_sdt, filter(_in_cell, self._body.iter(SDT))) if c is not None]
            self._controls = outside + inside
        return self._controls

    def _nested_tables(self) -> bool:
        return any(next(table.iterancestors(TBL), None) is not None for table in self._body.iter(TBL))

    def _read_outside(self) -> tuple[list[Control], list[str]]:
        if self._outside is None:
            controls: list[Control] = []
            paragraphs: list[str] = []
            for child in self._body:
                if child.tag == TBL:
                    continue
                for paragraph in ([child] if child.tag == P else child.iter(P)):
                    paragraphs.append(visible_text(paragraph).strip())
                for sdt in child.iter(SDT):
                    control = _read_sdt(sdt) if next(sdt.iterancestors(TC), None) is None else None
                    if control is None:
                        continue
                    holder = next(sdt.iterancestors(P), None)
                    control.label = _label_before(holder, sdt) if holder is not None else ""
                    controls.append(control)
                if self._legacy and child.tag == P:
                    controls.extend(_read_legacy(child))
            self._outside = (controls, paragraphs)
        return self._outside


def layout(root: etree._Element) -> Layout:
    """Read a part (``w:document``, ``w:hdr`` or ``w:ftr``) into a :class:`Layout`;
    nothing is read until a view of it is asked for."""
    return Layout(root)


def _may_hold_controls(data: bytes) -> bool:
    """Whether a part's bytes may hold a content control or a legacy form field:
    they name one, or are not in an ASCII-compatible encoding (UTF-16), where
    names cannot be looked for as bytes."""
    head = data[:64]
    ascii_like = b"\x00" not in head and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    return b"sdt" in data or b"ffData" in data or not ascii_like


def read_layouts(path: Path | DocxFile) -> list[Layout]:
    """The layouts of a .docx's main document, then its headers and footers.

    ``path`` is a file, or a :class:`DocxFile` already read (whose ``data`` the
    caller hashes). The package passes the guard (size, zip bomb, DOCTYPE); only
    the parts named by the relationships are inflated, and headers and footers
    are parsed only when a view of them needs it (a header with no control is
    never parsed when tags find every field). Raises InputFileError for
    anything that is not a Word document."""
    package = path if isinstance(path, DocxFile) else DocxFile(path)
    main, others = _main_parts(package)
    return [layout(_main_root(package, main)), *(Layout.unparsed(package[name], name, package.source)
                                                 for name in others)]


def text_lines(path: Path) -> list[str]:
    """The visible text of a .docx's main document, a line per paragraph (table
    cells' paragraphs in reading order too), blank paragraphs dropped; read as
    :func:`read_layouts` reads it."""
    package = DocxFile(path)
    root = _main_root(package, _main_parts(package)[0])
    return [line for p in root.iter(P) if p.find(f".//{P}") is None
            for line in visible_text(p).splitlines() if line.strip()]


def _main_parts(package: DocxFile) -> tuple[str, list[str]]:
    """The main document's part name, and its headers' and footers'."""
    main = next((target for kind, target in relationships(package, "") if kind == OFFICE_DOC and target in package),
                None)
    if main is None:
        raise InputFileError("is not a Word document: it has no main document part. Open it in Word and"
                             " save it as .docx", file=package.source)
    return main, [t for kind, t in relationships(package, main) if kind in (HEADER_REL, FOOTER_REL) and t in package]


def _main_root(package: DocxFile, main: str) -> etree._Element:
    root = guard.parse_xml(package[main], part=main, file=package.source)
    if root.tag != f"{W}document":
        raise InputFileError("is not a Word document: it holds another kind of package. Open it in Word"
                             " and save it as .docx", file=package.source)
    return root
