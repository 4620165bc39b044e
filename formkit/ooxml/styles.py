"""A Word document's styles: which it uses, and a copy carrying only those.

python-docx's blank document carries 164 styles; a letter uses about 15, and
LibreOffice reads and lays out every one of them for every document it opens.
:func:`trim_styles` keeps what the document needs to look and edit the same in
Word and LibreOffice: every style a part names (paragraph, run, table and
numbering styles in the body, headers, footers, notes and numbering), the
styles those are based on, linked to or followed by (so Enter after a heading
still gives the style Word would), and each kind's default style. The latent
style list (which of Word's built-in styles the gallery offers) and the
document defaults are kept whole.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from .docx_package import parse_xml, serialize
from .wordml import W

STYLE_PARTS = ("word/styles.xml", "word/stylesWithEffects.xml")
_NAMED = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')
_CHAINS = ("basedOn", "link", "next")


def used_styles(parts: dict[str, bytes]) -> set[str]:
    """The style ids the document's parts (other than the style parts) name,
    with everything they are based on, linked to or followed by, and the defaults."""
    named = {m.decode("utf-8") for name, data in parts.items()
             if name.startswith("word/") and name.endswith(".xml") and name not in STYLE_PARTS
             for m in _NAMED.findall(data)}
    styles = parts.get(STYLE_PARTS[0])
    if styles is None:
        return named
    root = parse_xml(styles, name=STYLE_PARTS[0])
    by_id = {style.get(f"{W}styleId"): style for style in root.iter(f"{W}style")}
    keep = {sid for sid, style in by_id.items() if style.get(f"{W}default") in ("1", "true", "on")}
    todo = [sid for sid in named | keep]
    while todo:
        sid = todo.pop()
        keep.add(sid)
        style = by_id.get(sid)
        if style is None:
            continue
        for chain in _CHAINS:
            link = style.find(f"{W}{chain}")
            if link is not None and link.get(f"{W}val") not in keep:
                todo.append(link.get(f"{W}val"))
    return keep


def unused_styles(data: bytes) -> list[str]:
    """The style ids a .docx (given as bytes) defines and does not use."""
    parts = _parts(data)
    if STYLE_PARTS[0] not in parts:
        return []
    keep = used_styles(parts)
    root = parse_xml(parts[STYLE_PARTS[0]], name=STYLE_PARTS[0])
    return [s.get(f"{W}styleId") for s in root.iter(f"{W}style") if s.get(f"{W}styleId") not in keep]


def trim_styles(data: bytes) -> bytes:
    """The .docx ``data`` with only the styles it uses (see the module), every
    other part and every zip member's name, date and order as they were."""
    parts = _parts(data)
    keep = used_styles(parts)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            body = parts[info.filename]
            if info.filename in STYLE_PARTS:
                root = parse_xml(body, name=info.filename)
                for style in list(root.iter(f"{W}style")):
                    if style.get(f"{W}styleId") not in keep:
                        style.getparent().remove(style)
                body = serialize(root)
            package.writestr(info, body)
    return out.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


__all__ = ["trim_styles", "unused_styles", "used_styles"]
