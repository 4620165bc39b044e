"""Word content controls and legacy form fields: making, finalising, filling and
stripping them (``w:sdt``, ``w14:checkbox``, ``w:ffData``). Reading them back is
:mod:`formkit.ooxml.layout`.

- :func:`text_control`, :func:`date_control`, :func:`choice_control`,
  :func:`tick_control` make the controls the form templates hold;
- :func:`finalise` (and :func:`finalise_part` on a serialised part) tidies a
  rendered form: a control formkit filled loses its "placeholder showing" flag
  (and its date picker gets the date), one left empty shows a blank
  (:data:`~formkit.ooxml.wordml.BLANK_PROMPT`: no prompt on paper), and every
  control gets its own id;
- :func:`fill` and :func:`strip` do what a teacher or another editor does: set
  controls' values, or drop the controls and keep their text;
  :func:`fill_document` and :func:`strip_document` do it to a whole .docx in
  memory (for the returned samples, benchmarks and tests).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .docx_package import serialize
from .layout import visible_text
from .wordml import (
    BLANK_PROMPT,
    BR,
    CHECKED,
    CHOICE_PLACEHOLDER,
    DATE_PLACEHOLDER,
    NS_DECLS,
    PLACEHOLDER_STYLE,
    PLACEHOLDERS,
    SDT,
    SDT_CONTENT,
    SDT_PR,
    TEXT_PLACEHOLDER,
    TICKS,
    UNCHECKED,
    VAL,
    W14,
    P,
    R,
    T,
    W,
)


def _sdt(pr: str, content: str, placeholder: bool) -> etree._Element:
    style = f'<w:rStyle w:val="{PLACEHOLDER_STYLE}"/>' if placeholder else ""
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    run = f'<w:r><w:rPr>{style}</w:rPr><w:t xml:space="preserve">{escape(content)}</w:t></w:r>'
    return etree.fromstring(f"<w:sdt {NS_DECLS}><w:sdtPr>{pr.replace('@FLAG@', flag)}</w:sdtPr>"
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
    and the placeholder style; empty ones show a blank, not a prompt that would
    print (``BLANK_PROMPT``, still flagged as the placeholder); a date
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
        text = visible_text(content).strip()
        if pr.find(f"{W14}checkbox") is not None:
            _set_tick(pr, content, text.casefold() in TICKS)
            continue
        picker = pr.find(f"{W}date")
        empty = not text or text in PLACEHOLDERS
        if empty:
            if visible_text(content) != BLANK_PROMPT:
                _set_text(content, BLANK_PROMPT, True)
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


def finalise_part(data: bytes, *, choices: Callable[[str], tuple[tuple[str, str], ...] | None] | None = None) -> bytes:
    """A rendered part's bytes, finalised (see :func:`finalise`)."""
    root = etree.fromstring(data)
    finalise(root, choices=choices)
    return serialize(root)


_PARTS = ("word/document.xml", "word/header", "word/footer")


def _rewrite(data: bytes, change: Callable[[etree._Element], object]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename.startswith(_PARTS) and info.filename.endswith(".xml"):
                root = etree.fromstring(part)
                change(root)
                part = serialize(root)
            target.writestr(info, part)
    return out.getvalue()


def fill_document(data: bytes, values: Mapping[str, str | bool | date], *, strict: bool = True) -> bytes:
    """``data`` (a .docx) with the controls tagged by ``values``' keys set (see
    :func:`fill`). Raises KeyError naming tags no control has, unless not
    ``strict`` (a school's edited form may have dropped a box)."""
    missing: set[str] = set(values)

    def change(root: etree._Element) -> None:
        found = set(values) - set(fill(root, values))
        missing.difference_update(found)

    result = _rewrite(data, change)
    if missing and strict:
        raise KeyError(f"no control is tagged {', '.join(sorted(missing))}")
    return result


def clear_prompts(root: etree._Element) -> int:
    """Empty every control still showing its placeholder prompt ("Click or tap
    here to enter text."), so a form shown on paper (as a record of what came
    back) has blank boxes, not prompts. Returns how many were emptied."""
    cleared = 0
    for sdt in root.iter(SDT):
        pr, content = sdt.find(SDT_PR), sdt.find(SDT_CONTENT)
        if pr is None or content is None or pr.find(f"{W}showingPlcHdr") is None:
            continue
        _set_text(content, "", False)
        _show_placeholder(pr, False)
        cleared += 1
    return cleared


def clear_prompts_document(data: bytes) -> bytes:
    """``data`` (a .docx) with every unanswered control emptied (see :func:`clear_prompts`)."""
    return _rewrite(data, clear_prompts)


def strip_document(data: bytes) -> bytes:
    """``data`` (a .docx) without content controls; their text stays where it was."""
    return _rewrite(data, strip)
