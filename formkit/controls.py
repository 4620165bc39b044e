"""Word content controls and legacy form fields: the one module that reads and
writes their OOXML (``w:sdt``, ``w14:checkbox``, ``w:ffData``).

Four jobs, each on a parsed part (the body, a header or a footer):

- :func:`text_control`, :func:`date_control`, :func:`choice_control`,
  :func:`tick_control` make the controls the form templates hold;
- :func:`finalise` tidies a rendered form: a control formkit filled loses its
  "placeholder showing" flag (and its date picker gets the date), one left empty
  shows Word's placeholder text, and every control gets its own id;
- :func:`layout` reads a part into tables of cells and the controls in them, for
  reading returned forms (by tag, or by the label beside a control);
- :func:`fill` and :func:`strip` do what a teacher or another editor does: set
  controls' values, or drop the controls and keep their text.

Controls are read by kind: plain and rich text, date picker, drop-down and
combo box, check box; and the legacy FORMTEXT, FORMCHECKBOX and FORMDROPDOWN
fields. LibreOffice keeps controls but drops their tags (and most aliases) and
the placeholder flag: so a control's text equal to a known placeholder is read
as empty, and cells keep their position for label-based reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .formfields import CHOICE_PLACEHOLDER, DATE_PLACEHOLDER, PLACEHOLDERS, TEXT_PLACEHOLDER

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W = f"{{{W_NS}}}"
W14 = f"{{{W14_NS}}}"
_NS = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}"'

SDT, SDT_PR, SDT_CONTENT = f"{W}sdt", f"{W}sdtPr", f"{W}sdtContent"
TBL, TR, TC, P, R, T = f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}p", f"{W}r", f"{W}t"
TAB, BR, CR = f"{W}tab", f"{W}br", f"{W}cr"
FLD_CHAR, INSTR, FF_DATA = f"{W}fldChar", f"{W}instrText", f"{W}ffData"
VAL = f"{W}val"
PLACEHOLDER_STYLE = "PlaceholderText"
CHECKED, UNCHECKED = "\u2612", "\u2610"
TICKS = frozenset({"\u2713", "\u2714", "\u2611", "\u2612", "\u25a0", "x", "yes", "y"})
_WRAPPERS = (SDT, SDT_CONTENT, f"{W}customXml", f"{W}smartTag")
_LEGACY_BLANK = re.compile(r"^[\u2002\u00a0 ]*$")


# --------------------------------------------------------------------------- making


def _sdt(pr: str, content: str, placeholder: bool) -> etree._Element:
    style = f'<w:rStyle w:val="{PLACEHOLDER_STYLE}"/>' if placeholder else ""
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    run = f'<w:r><w:rPr>{style}</w:rPr><w:t xml:space="preserve">{escape(content)}</w:t></w:r>'
    return etree.fromstring(f"<w:sdt {_NS}><w:sdtPr>{pr.replace('@FLAG@', flag)}</w:sdtPr>"
                            f"<w:sdtContent>{run}</w:sdtContent></w:sdt>")


def _names(tag: str, alias: str) -> str:
    return f"<w:alias w:val={quoteattr(alias)}/><w:tag w:val={quoteattr(tag)}/><w:id w:val=\"0\"/>@FLAG@"


def text_control(tag: str, alias: str, content: str = "", *, multiline: bool = False) -> etree._Element:
    """A plain-text control (``multiline`` allows line breaks). ``content`` is
    what it holds (a template tag such as ``{{ pupil.name }}``); empty content
    shows the placeholder text."""
    kind = '<w:text w:multiLine="1"/>' if multiline else "<w:text/>"
    return _sdt(_names(tag, alias) + kind, content or TEXT_PLACEHOLDER, True)


def date_control(tag: str, alias: str, content: str = "") -> etree._Element:
    """A date picker showing dd/mm/yyyy (British English)."""
    pr = (_names(tag, alias) + '<w:date><w:dateFormat w:val="dd/MM/yyyy"/><w:lid w:val="en-GB"/>'
          '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    return _sdt(pr, content or DATE_PLACEHOLDER, True)


def choice_control(tag: str, alias: str, items: tuple[tuple[str, str], ...], content: str = "", *,
                   combo: bool = False) -> etree._Element:
    """A drop-down list of (value, text shown) items; ``combo`` also lets the
    teacher type a value that is not in the list."""
    kind = "comboBox" if combo else "dropDownList"
    listed = "".join(f"<w:listItem w:displayText={quoteattr(shown)} w:value={quoteattr(value)}/>"
                     for value, shown in items)
    return _sdt(_names(tag, alias) + f"<w:{kind}>{listed}</w:{kind}>", content or CHOICE_PLACEHOLDER, True)


def tick_control(tag: str, alias: str, content: str = "") -> etree._Element:
    """A check box (Word 2010+). ``content`` may be a template tag giving
    ``\u2612`` (ticked) or ``\u2610``; :func:`finalise` sets the state from it."""
    pr = (_names(tag, alias).replace("@FLAG@", "") + '<w14:checkbox><w14:checked w14:val="0"/>'
          '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
          '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>')
    element = _sdt(pr, content or UNCHECKED, False)
    run_pr = element.find(f"{SDT_CONTENT}/{R}/{W}rPr")
    fonts = etree.SubElement(run_pr, f"{W}rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia"):
        fonts.set(f"{W}{attr}", "MS Gothic")
    return element


# --------------------------------------------------------------------------- reading


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
class Cell:
    """A table cell: its text, its controls, and its grid column and span."""

    text: str
    controls: list[Control]
    col: int
    span: int = 1


@dataclass
class Layout:
    """A part read for its form: tables (rows of cells), every control (those
    outside tables first), and the text of the paragraphs outside tables."""

    tables: list[list[list[Cell]]] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with ``tag``, looking through content-control and custom
    XML wrappers (a row or cell may sit inside a w:sdt)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _text(element: etree._Element) -> str:
    """Visible text: paragraphs on separate lines, tabs as spaces, breaks as new lines."""
    lines = []
    for paragraph in (element.iter(P) if element.find(f".//{P}") is not None else (element,)):
        parts = []
        for el in paragraph.iter(T, TAB, BR, CR):
            if el.tag == T:
                parts.append(el.text or "")
            else:
                parts.append(" " if el.tag == TAB else "\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _flag(pr: etree._Element, name: str) -> bool:
    el = pr.find(f"{W14}{name}") if name == "checked" else pr.find(f"{W}{name}")
    return el is not None and el.get(f"{W14}val" if name == "checked" else VAL, "1") not in ("0", "false")


def _read_sdt(sdt: etree._Element) -> Control | None:
    pr = sdt.find(SDT_PR)
    content = sdt.find(SDT_CONTENT)
    if pr is None or content is None:
        return None
    tag = pr.find(f"{W}tag")
    alias = pr.find(f"{W}alias")
    control = Control("rich", tag.get(VAL, "") if tag is not None else "",
                      alias.get(VAL, "") if alias is not None else "")
    text = _text(content).strip()
    box = pr.find(f"{W14}checkbox")
    if box is not None:
        control.kind = "tick"
        state = box.find(f"{W14}checked")
        control.checked = (state.get(f"{W14}val", "0") in ("1", "true")) if state is not None else (
            text.casefold() in TICKS)
        control.text = CHECKED if control.checked else UNCHECKED
        return control
    if content.find(f".//{SDT}") is not None and pr.find(f"{W}text") is None:
        return None  # a wrapper around other controls (LibreOffice wraps check boxes so)
    if pr.find(f"{W}showingPlcHdr") is not None or text in PLACEHOLDERS:
        text = ""
    control.text = text
    picker = pr.find(f"{W}date")
    if picker is not None:
        control.kind = "date"
        full = picker.get(f"{W}fullDate", "")
        if text and re.match(r"\d{4}-\d{2}-\d{2}", full):
            try:
                control.full_date = date.fromisoformat(full[:10])
            except ValueError:
                pass
        return control
    listing = pr.find(f"{W}dropDownList")
    if listing is None:
        listing = pr.find(f"{W}comboBox")
    if listing is not None:
        control.kind = "choice"
        control.items = tuple((item.get(f"{W}value", ""), item.get(f"{W}displayText", item.get(f"{W}value", "")))
                              for item in listing.iter(f"{W}listItem"))
        return control
    if pr.find(f"{W}text") is not None:
        control.kind = "text"
    return control


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
                current.text = "" if _LEGACY_BLANK.match(text) else text.strip()
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


def _label_before(paragraph: etree._Element, control: etree._Element) -> str:
    """The paragraph's text before ``control``, without a trailing colon."""
    parts = []
    for el in paragraph.iter(T, SDT):
        if el is control:
            break
        if el.tag == T and control not in el.iterancestors(SDT):
            parts.append(el.text or "")
    return "".join(parts).strip().rstrip(":").strip()


def layout(root: etree._Element) -> Layout:
    """Read a part (``w:document``, ``w:hdr`` or ``w:ftr``) into a :class:`Layout`.

    Cells hold their grid column (counting ``w:gridSpan``), so "the cell below"
    is the cell in the next row starting at the same column. Legacy fields are
    looked for only when the part has any.
    """
    body = root.find(f"{W}body")
    body = root if body is None else body
    legacy = body.find(f".//{FF_DATA}") is not None
    result = Layout()
    for table in body.iter(TBL):
        rows = []
        for row in _children(table, TR):
            cells, col = [], 0
            for tc in _children(row, TC):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(VAL, "1")) if span_el is not None and span_el.get(VAL, "1").isdigit() else 1
                cells.append(Cell(_text(tc).strip(), _controls(tc, legacy), col, span))
                col += span
            rows.append(cells)
        result.tables.append(rows)
    for child in body:
        if child.tag == TBL:
            continue
        paragraphs = [child] if child.tag == P else list(child.iter(P))
        for paragraph in paragraphs:
            result.paragraphs.append(_text(paragraph).strip())
        for sdt in child.iter(SDT):
            control = _read_sdt(sdt) if next(sdt.iterancestors(TC), None) is None else None
            if control is None:
                continue
            holder = next(sdt.iterancestors(P), None)
            control.label = _label_before(holder, sdt) if holder is not None else ""
            result.controls.append(control)
        if legacy and child.tag == P:
            result.controls.extend(_read_legacy(child))
    for rows in result.tables:
        for row in rows:
            for cell in row:
                result.controls.extend(cell.controls)
    return result


# --------------------------------------------------------------------------- writing


def _set_text(content: etree._Element, text: str, placeholder: bool) -> None:
    """Replace a control's content with one run of ``text`` (keeping the first
    run's formatting, and the placeholder style only when ``placeholder``)."""
    first = content.find(f".//{R}")
    run_pr = first.find(f"{W}rPr") if first is not None else None
    holder = content.find(f".//{P}")
    target = holder if holder is not None and content.find(P) is not None else content
    for child in list(target):
        if child.tag in (R, SDT, f"{W}hyperlink", f"{W}fldSimple"):
            target.remove(child)
    run = etree.SubElement(target, R)
    if run_pr is not None:
        run_pr = etree.fromstring(etree.tostring(run_pr))
        for style in run_pr.findall(f"{W}rStyle"):
            if style.get(VAL) == PLACEHOLDER_STYLE and not placeholder:
                run_pr.remove(style)
        run.append(run_pr)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i:
            etree.SubElement(run, BR)
        t = etree.SubElement(run, T)
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _show_placeholder(pr: etree._Element, showing: bool) -> None:
    flag = pr.find(f"{W}showingPlcHdr")
    if showing and flag is None:
        names = [pr.find(f"{W}{n}") for n in ("id", "tag", "alias")]
        anchor = next((n for n in names if n is not None), None)
        el = etree.Element(f"{W}showingPlcHdr")
        if anchor is not None:
            anchor.addnext(el)
        else:
            pr.insert(0, el)
    elif not showing and flag is not None:
        pr.remove(flag)


def _set_tick(pr: etree._Element, content: etree._Element, ticked: bool) -> None:
    box = pr.find(f"{W14}checkbox")
    state = box.find(f"{W14}checked")
    if state is None:
        state = etree.SubElement(box, f"{W14}checked")
        box.insert(0, state)
    state.set(f"{W14}val", "1" if ticked else "0")
    glyph_el = box.find(f"{W14}checkedState" if ticked else f"{W14}uncheckedState")
    code = glyph_el.get(f"{W14}val") if glyph_el is not None else None
    glyph = chr(int(code, 16)) if code and re.fullmatch(r"[0-9A-Fa-f]{2,6}", code) else (
        CHECKED if ticked else UNCHECKED)
    _set_text(content, glyph, False)


def finalise(root: etree._Element, start_id: int = 1000,
             choices: Callable[[str], tuple[tuple[str, str], ...] | None] | None = None) -> None:
    """Tidy a rendered part: controls holding a value lose ``w:showingPlcHdr``
    and the placeholder style; empty ones show Word's placeholder text; a date
    picker's ``w:fullDate`` is set from its dd/mm/yyyy text; a check box's state
    follows its glyph; every ``w:id`` becomes unique (rows repeated by a loop
    copy their controls' ids). ``choices(tag)`` may give a drop-down's list
    items (value, text shown), replacing the template's (the configured scale)."""
    next_id = start_id
    for sdt in root.iter(SDT):
        pr, content = sdt.find(SDT_PR), sdt.find(SDT_CONTENT)
        if pr is None or content is None:
            continue
        ident = pr.find(f"{W}id")
        if ident is not None:
            ident.set(VAL, str(next_id))
            next_id += 1
        tag = pr.find(f"{W}tag")
        listing = pr.find(f"{W}dropDownList")
        if listing is None:
            listing = pr.find(f"{W}comboBox")
        items = choices(tag.get(VAL, "")) if choices and tag is not None and listing is not None else None
        if items:
            for item in list(listing):
                listing.remove(item)
            for value, shown in items:
                item = etree.SubElement(listing, f"{W}listItem")
                item.set(f"{W}displayText", shown)
                item.set(f"{W}value", value)
        text = _text(content).strip()
        if pr.find(f"{W14}checkbox") is not None:
            _set_tick(pr, content, text.casefold() in TICKS)
            continue
        picker = pr.find(f"{W}date")
        empty = not text or text in PLACEHOLDERS
        if empty:
            placeholder = DATE_PLACEHOLDER if picker is not None else (
                CHOICE_PLACEHOLDER if pr.find(f"{W}dropDownList") is not None
                or pr.find(f"{W}comboBox") is not None else TEXT_PLACEHOLDER)
            if text != placeholder:
                _set_text(content, placeholder, True)
            _show_placeholder(pr, True)
            continue
        _show_placeholder(pr, False)
        for style in content.iter(f"{W}rStyle"):
            if style.get(VAL) == PLACEHOLDER_STYLE:
                style.getparent().remove(style)
        if picker is not None:
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
            if m:
                try:
                    day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    picker.set(f"{W}fullDate", f"{day.isoformat()}T00:00:00Z")
                except ValueError:
                    pass


def fill(root: etree._Element, values: Mapping[str, str | bool | date]) -> list[str]:
    """Set the controls tagged with the keys of ``values``, as a teacher does in
    Word: text is typed in, a date is picked (text and ``w:fullDate``), a
    drop-down item is chosen by value or text, a check box is ticked by a bool.
    Returns the tags that no control has."""
    missing = dict(values)
    for sdt in list(root.iter(SDT)):
        pr, content = sdt.find(SDT_PR), sdt.find(SDT_CONTENT)
        tag = pr.find(f"{W}tag") if pr is not None else None
        if tag is None or content is None or tag.get(VAL) not in values:
            continue
        name = tag.get(VAL, "")
        value = values[name]
        missing.pop(name, None)
        if pr.find(f"{W14}checkbox") is not None:
            _set_tick(pr, content, bool(value))
            continue
        if isinstance(value, date):
            shown = value.strftime("%d/%m/%Y")
            picker = pr.find(f"{W}date")
            if picker is not None:
                picker.set(f"{W}fullDate", f"{value.isoformat()}T00:00:00Z")
        else:
            shown = str(value)
            listing = pr.find(f"{W}dropDownList")
            if listing is None:
                listing = pr.find(f"{W}comboBox")
            if listing is not None:
                for item in listing.iter(f"{W}listItem"):
                    if shown in (item.get(f"{W}value"), item.get(f"{W}displayText")):
                        shown = item.get(f"{W}displayText", shown)
                        break
        _set_text(content, shown, False)
        _show_placeholder(pr, False)
    return list(missing)


def strip(root: etree._Element) -> int:
    """Remove every content control, keeping what it shows (as editors that
    cannot keep controls do). Returns how many were removed."""
    removed = 0
    while True:
        sdts = list(root.iter(SDT))
        if not sdts:
            return removed
        sdt = sdts[-1]
        content = sdt.find(SDT_CONTENT)
        parent = sdt.getparent()
        index = parent.index(sdt)
        for offset, child in enumerate(list(content) if content is not None else []):
            parent.insert(index + offset, child)
        parent.remove(sdt)
        removed += 1
