"""The text of PDF pages, read fast enough to check every page of a large run.

pypdf's ``extract_text`` takes tens of milliseconds for a letter's page (it
parses every operator of the content stream in Python), which for 500 letters
costs more than converting them. LibreOffice writes text in a regular way: one
``BT ... ET`` block per line, the glyphs as hex strings in ``Tj``/``TJ`` under a
font selected with ``Tf``, every font with a ``ToUnicode`` map. :func:`page_text`
reads exactly that with regular expressions, and hands any page that is written
another way (literal strings, dictionaries in the stream, form XObjects, a font
without a map) to pypdf, so the answer is always the page's text, only faster
for the usual page.
"""

from __future__ import annotations

import re

from pypdf import PageObject
from pypdf.generic import IndirectObject

_SELECT = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+[-+\d.]+\s+Tf")
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_UNKNOWN = "\ufffd"
_OTHER_WAYS = re.compile(rb"\(|<<|\bBI\b|\bDo\b")
_SPACE = re.compile(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")

Font = tuple[int, dict[int, str]]
"""Bytes per code, and each code's text (for one-byte codes, every code: the unknown as U+FFFD)."""


class TextReader:
    """Reads pages' text; fonts shared between pages (as in one joined PDF) are
    read once. Keep the PDFs read open while the reader is in use (fonts are
    known by their PDF and object number)."""

    def __init__(self) -> None:
        self._fonts: dict[object, Font | None] = {}

    def squashed(self, page: PageObject) -> str:
        """The page's text with all white space taken out (for finding names
        whatever the line breaks)."""
        fast = self._fast(page)
        return fast if fast is not None else "".join(page.extract_text().split())

    def _fast(self, page: PageObject) -> str | None:
        contents = page.get_contents()
        if contents is None:
            return ""
        data = contents.get_data()
        if _OTHER_WAYS.search(data):
            return None
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        fonts = fonts.get_object() if fonts is not None else {}
        pieces = _SELECT.split(data)
        if _HEX.search(pieces[0]):
            return None
        found = []
        for name, run in zip(pieces[1::2], pieces[2::2]):
            ref = fonts.get("/" + name.decode("latin-1"))
            font = self._font(ref) if ref is not None else None
            if font is None:
                return None
            width, table = font
            raw = bytes.fromhex(b"".join(_HEX.findall(run)).translate(None, b" \t\r\n").decode("ascii"))
            if width == 1:
                text = raw.decode("latin-1").translate(table)
            else:
                text = "".join(table.get(int.from_bytes(raw[i:i + 2], "big"), _UNKNOWN) for i in range(0, len(raw), 2))
            if _UNKNOWN in text:
                return None
            found.append(text)
        return "".join("".join(found).split())

    def _font(self, ref: object) -> Font | None:
        key = (id(ref.pdf), ref.idnum) if isinstance(ref, IndirectObject) else id(ref)
        if key not in self._fonts:
            self._fonts[key] = _read_font(ref.get_object())
        return self._fonts[key]


def _read_font(font) -> Font | None:
    stream = font.get("/ToUnicode")
    if stream is None:
        return None
    data = stream.get_object().get_data()
    space = _SPACE.search(data)
    width = len(space.group(1)) // 2 if space else 1
    codes: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        for source, target in _PAIR.findall(block):
            codes[int(source, 16)] = _utf16(target)
    for block in _BFRANGE.findall(data):
        for low, high, target in _RANGE.findall(block):
            first, last = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", target)):
                    codes[first + offset] = _utf16(item)
            else:
                start = int(target[1:-1] or b"0", 16)
                for offset in range(last - first + 1):
                    codes[first + offset] = _utf16(b"%04X" % (start + offset))
    if width == 1:
        return 1, {code: codes.get(code, _UNKNOWN) for code in range(256)}
    return (2, codes) if width == 2 else None


def _utf16(hexes: bytes) -> str:
    return bytes.fromhex(hexes.decode("ascii")).decode("utf-16-be", "replace")


__all__ = ["TextReader"]
