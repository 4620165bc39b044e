"""A tiny maker of fillable PDF forms (AcroForm) with pypdf, for tests.

Every field here is invented. ``make_pdf(fields, xfa=False)`` returns the PDF's
bytes; each field is a dict: name, type (text, tick, radio, choice), and
optionally value, tooltip, states (a tick's on state, a radio group's buttons),
options (a choice's items), max_length.
"""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                           NumberObject, TextStringObject)


def _n(name: str) -> NameObject:
    return NameObject(name if name.startswith("/") else f"/{name}")


def _appearance(writer: PdfWriter, states: list[str]) -> DictionaryObject:
    normal = DictionaryObject()
    for state in states:
        stream = DecodedStreamObject()
        stream.set_data(b"0 0 m 10 10 l S" if state != "Off" else b"")
        stream.update({_n("Type"): _n("XObject"), _n("Subtype"): _n("Form"),
                       _n("BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(12), FloatObject(12)])})
        normal[_n(state)] = writer._add_object(stream)
    return DictionaryObject({_n("N"): normal})


def make_pdf(fields: list[dict], *, xfa: bool = False) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    annots, top = ArrayObject(), ArrayObject()
    for i, spec in enumerate(fields):
        y = 800 - 24 * i
        rect = ArrayObject([FloatObject(v) for v in (200, y, 400, y + 18)])
        base = {_n("T"): TextStringObject(spec["name"])}
        if spec.get("tooltip"):
            base[_n("TU")] = TextStringObject(spec["tooltip"])
        kind = spec["type"]
        if kind == "radio":
            parent = DictionaryObject({**base, _n("FT"): _n("Btn"), _n("Ff"): NumberObject(49152),
                                       _n("V"): _n(spec.get("value") or "Off")})
            parent_ref = writer._add_object(parent)
            kids = ArrayObject()
            for j, state in enumerate(spec["states"]):
                kid_rect = ArrayObject([FloatObject(v) for v in (200 + 40 * j, y, 212 + 40 * j, y + 12)])
                kid = DictionaryObject({_n("Type"): _n("Annot"), _n("Subtype"): _n("Widget"), _n("F"): NumberObject(4),
                                        _n("Rect"): kid_rect, _n("Parent"): parent_ref, _n("P"): page.indirect_reference,
                                        _n("AS"): _n(state if spec.get("value") == state else "Off"),
                                        _n("AP"): _appearance(writer, [state, "Off"])})
                ref = writer._add_object(kid)
                kids.append(ref)
                annots.append(ref)
            parent[_n("Kids")] = kids
            top.append(parent_ref)
            continue
        widget = DictionaryObject({**base, _n("Type"): _n("Annot"), _n("Subtype"): _n("Widget"),
                                   _n("F"): NumberObject(4), _n("Rect"): rect, _n("P"): page.indirect_reference,
                                   _n("DA"): TextStringObject("/Helv 10 Tf 0 g")})
        if kind == "text":
            widget[_n("FT")] = _n("Tx")
            widget[_n("V")] = TextStringObject(spec.get("value", ""))
            if spec.get("max_length"):
                widget[_n("MaxLen")] = NumberObject(spec["max_length"])
        elif kind == "tick":
            on = spec.get("states", ["Yes"])[0]
            value = spec.get("value") or "Off"
            widget.update({_n("FT"): _n("Btn"), _n("V"): _n(value), _n("AS"): _n(value),
                           _n("AP"): _appearance(writer, [on, "Off"])})
        elif kind == "choice":
            widget.update({_n("FT"): _n("Ch"), _n("Ff"): NumberObject(131072),
                           _n("Opt"): ArrayObject([TextStringObject(o) for o in spec["options"]]),
                           _n("V"): TextStringObject(spec.get("value", ""))})
        ref = writer._add_object(widget)
        annots.append(ref)
        top.append(ref)
    page[_n("Annots")] = annots
    font = DictionaryObject({_n("Type"): _n("Font"), _n("Subtype"): _n("Type1"), _n("BaseFont"): _n("Helvetica")})
    form = DictionaryObject({_n("Fields"): top, _n("DA"): TextStringObject("/Helv 10 Tf 0 g"),
                             _n("DR"): DictionaryObject({_n("Font"): DictionaryObject({_n("Helv"): writer._add_object(font)})})})
    if xfa:
        stream = DecodedStreamObject()
        stream.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
        form[_n("XFA")] = writer._add_object(stream)
        form[_n("Fields")] = ArrayObject()
        page[_n("Annots")] = ArrayObject()
    writer._root_object[_n("AcroForm")] = writer._add_object(form)
    writer.add_metadata({"/Title": "Invented test form", "/Producer": "formkit tests"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
