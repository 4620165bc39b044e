"""The text Excel keeps in a workbook's cells: its ``_xHHHH_`` escapes, and the
text of a shared or inline string item."""

from __future__ import annotations

import html
import re

from lxml import etree

ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
"""Excel's escape of a character in cell text, ``_xHHHH_`` (HHHH: its code in hex)."""


def unescape(text: str) -> str:
    """Cell text with Excel's ``_xHHHH_`` escapes turned back into their characters."""
    return ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _local(el: etree._Element | None) -> str:
    return el.tag.rsplit("}", 1)[-1] if el is not None and isinstance(el.tag, str) else ""


def string_text(el: etree._Element) -> str:
    """The text of a shared or inline string (<si> or <is>): its <t>s, those of
    phonetic guides (<rPh>) left out, Excel's escapes undone."""
    return unescape("".join(t.text or "" for t in el.iter() if _local(t) == "t" and _local(t.getparent()) != "rPh"))


def unxml(raw: bytes) -> str:
    """Text between tags in well-formed XML (``raw``), its entities and character references undone."""
    text = raw.decode("utf-8")
    if "&" not in text:
        return text
    if "&#" in text:
        return html.unescape(text)
    # a well-formed part has XML's five entities alone besides character references
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&")
