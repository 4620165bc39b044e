"""Fillable PDF forms (AcroForm): reading returned ones, and filling any, such as
a local authority's request form, from a pupil's record.

Reading maps each PDF field to a form field by its name (``child_name``), or by
a name or tooltip that is one of the field's labels ("Child's name"). A check
box is ticked when its value is its own "on" state (whatever the form calls it:
/Yes, /On, /1); a radio group gives the chosen button's state; a list or combo
box gives its choice.

Filling takes a field-mapping file (TOML): PDF field name = template text, such
as ``"Child's full name" = "{{ pupil.name }}"`` or ``"Consent given" = "Yes"``,
rendered in formkit's sandboxed template engine with the limits of a Word
template (2 s, a million characters; see docs/security.md). Every value is checked against
its field before anything is written: a check box takes yes/no or its own state
names, a radio group or list one of its states or options, a text field no more
than its maximum length. Each filled copy has the form's active content removed (JavaScript, open and
page actions, embedded files; see :func:`strip_active_content`), so nothing runs
when a family opens it. XFA-only forms (Adobe LiveCycle) are refused: their
fields are not in the PDF's AcroForm, so no value could be read or set.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import sys
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import guard
from ..documents import TextTemplate
from ..errors import FormkitError, InputFileError
from .fields import FORMS, FieldDef, label_key
from .record import Raw, RawForm

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TARGET = re.compile(r"target_(\d+)_(\w+)")
_YES = {"yes", "y", "true", "1", "on", "x", "\u2713", "\u2714", "\u2612", "ticked"}
_NO = {"", "no", "n", "false", "0", "off", "\u2610"}
XFA_ONLY = ("is an XFA form (made with Adobe LiveCycle Designer): its fields are not PDF form fields, so formkit"
            " cannot read or fill it. Ask for a fillable (AcroForm) version, or print it and fill it by hand")


class PdfFormError(FormkitError):
    """A PDF form cannot be filled as the mapping asks."""


@dataclass(frozen=True)
class PdfField:
    """One AcroForm field: full name, type (text, tick, radio, choice), value,
    tooltip, allowed states or options, maximum length."""

    name: str
    type: str
    value: str
    tooltip: str = ""
    states: tuple[str, ...] = ()
    max_length: int | None = None
    editable: bool = False

    @property
    def on_state(self) -> str:
        return next((s for s in self.states if s != "Off"), "Yes")

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def _reader(path: Path):
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    guard.check_file(path, "pdf")
    try:
        with _quiet_pypdf():
            reader = PdfReader(str(path))
            if reader.is_encrypted:
                raise InputFileError("is password-protected; save a copy without the password", file=str(path))
            root = reader.trailer["/Root"].get_object()
            if not isinstance(root, DictionaryObject):
                raise InputFileError(f"is damaged: its catalogue (/Root) is not a dictionary ({type(root).__name__}); "
                                     "save it again", file=str(path))
            form = root.get("/AcroForm")
            form = form.get_object() if form is not None else None
            if form is not None and not isinstance(form, DictionaryObject):
                raise InputFileError(f"is damaged: its form (/AcroForm) is not a dictionary ({type(form).__name__}); "
                                     "save it again", file=str(path))
            fields = form.get("/Fields") if form is not None else None
    except FormkitError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise InputFileError(f"is damaged or not a PDF formkit can read ({type(exc).__name__}: {exc}); save it again",
                             file=str(path)) from None
    if form is not None and "/XFA" in form and not fields:
        raise InputFileError(XFA_ONLY, file=str(path))
    if not fields:
        raise InputFileError("has no form fields (it is a flat PDF); formkit reads fillable PDF forms", file=str(path))
    return reader, form


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf's warnings about a damaged file (one per bad object, thousands for
    some files) are not shown: formkit says in one line what is wrong."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def pdf_fields(path: Path) -> list[PdfField]:
    """Every terminal field of the PDF's AcroForm, in order."""
    reader, form = _reader(path)
    try:
        with _quiet_pypdf():
            found = reader.get_fields() or {}
            lengths = _max_lengths(form.get("/Fields", []), "", 0)
    except Exception as exc:  # pypdf raises many kinds on a broken form tree
        raise InputFileError(f"has a damaged form ({type(exc).__name__}); save it again", file=str(path)) from None
    return [_field(name, dict(data) | ({"/MaxLen": lengths[name]} if name in lengths else {}))
            for name, data in found.items() if data.get("/FT")]


def _max_lengths(fields: Any, prefix: str, depth: int) -> dict[str, int]:
    """Each text field's /MaxLen by its full name (pypdf's field list leaves it out)."""
    found: dict[str, int] = {}
    if depth > 20:
        return found
    for item in fields or []:
        field = item.get_object()
        name = f"{prefix}.{field['/T']}" if prefix and "/T" in field else str(field.get("/T", prefix))
        if "/MaxLen" in field:
            found[name] = int(field["/MaxLen"])
        if "/Kids" in field:
            found.update(_max_lengths(field["/Kids"], name, depth + 1))
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    text = str(value)
    return text[1:] if text.startswith("/") else text


def _field(name: str, data: Mapping[str, Any]) -> PdfField:
    kind = data.get("/FT")
    flags = int(data.get("/Ff", 0) or 0)
    states = tuple(_text(s) for s in data.get("/_States_", ()) if s)
    tooltip = _text(data.get("/TU"))
    value = _text(data.get("/V"))
    if kind == "/Btn":
        radio = bool(flags & (1 << 15))
        return PdfField(name, "radio" if radio else "tick", value, tooltip, states)
    if kind == "/Ch":
        options = []
        for option in data.get("/Opt", ()) or ():
            options.append(_text(option[0] if isinstance(option, list) else option))
        return PdfField(name, "choice", value, tooltip, tuple(options), editable=bool(flags & (1 << 18)))
    length = data.get("/MaxLen")
    return PdfField(name, "text", value, tooltip, max_length=int(length) if length else None)


def _definition(form, pdf: PdfField) -> FieldDef | None:
    keys = {label_key(pdf.name), label_key(pdf.short_name), label_key(pdf.tooltip)} - {""}
    for definition in form.fields:
        if definition.name in (pdf.name, pdf.short_name) or keys & set(definition.keys):
            return definition
    return None


def read_pdf(path: Path, kind: str | None = None) -> RawForm:
    """A returned PDF form as a raw form of ``kind`` (None: the kind whose fields
    it has most of, at least three). Raises InputFileError."""
    fields = pdf_fields(path)
    if kind is None:
        scores = {k: sum(1 for f in fields if _definition(form, f) or _TARGET.fullmatch(f.short_name))
                  for k, form in FORMS.items()}
        kind = max(scores, key=lambda k: scores[k])
        if scores[kind] < 3:
            raise InputFileError("is not a form formkit knows: its fields are not those of a referral, IEP review"
                                 " or impact form. Give --kind, or name the fields as in docs/forms.md",
                                 file=str(path))
    form = FORMS[kind]
    raw = RawForm(kind)
    targets: dict[int, dict[str, Raw]] = {}
    for pdf in fields:
        m = _TARGET.fullmatch(pdf.short_name)
        if m and form.target_fields:
            targets.setdefault(int(m.group(1)), {})[m.group(2)] = Raw(pdf.value, how="pdf")
            continue
        if pdf.type == "radio":
            for definition in form.fields:
                if definition.group and label_key(definition.group) in {label_key(pdf.short_name),
                                                                        label_key(pdf.tooltip)}:
                    ticked = label_key(pdf.value) in definition.keys or pdf.value == definition.group_value
                    raw.values.setdefault(definition.name, Raw(checked=ticked, how="pdf"))
            definition = _definition(form, pdf)
            if definition is not None and definition.name not in raw.values:
                raw.values[definition.name] = Raw(pdf.value if pdf.value != "Off" else "", how="pdf")
            continue
        definition = _definition(form, pdf)
        if definition is None or definition.name in raw.values:
            continue
        if pdf.type == "tick":
            raw.values[definition.name] = Raw(checked=pdf.value not in ("", "Off") and pdf.value == pdf.on_state,
                                              how="pdf")
        else:
            raw.values[definition.name] = Raw(pdf.value, how="pdf")
    raw.targets = [targets[n] | {"number": Raw(str(n))} for n in sorted(targets)]
    return raw


def load_mapping(path: Path) -> dict[str, str]:
    """A field-mapping file: PDF field name = template text (TOML strings)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError("file not found; check the name and the folder", file=str(path)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(f"is not a valid field-mapping file ({exc}); write lines like"
                             " \"Child's name\" = \"{{ pupil.name }}\"", file=str(path)) from None
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise InputFileError(f"the value of '{bad[0]}' must be text in quotes, e.g. \"{{{{ pupil.name }}}}\"",
                             file=str(path))
    for name, text in data.items():
        _mapped(name, text, str(path))
    return dict(data)


def fill_values(fields: list[PdfField], mapping: Mapping[str, str], context: Mapping[str, Any], *,
                form: str, pupil: str | None = None, mapping_file: str | None = None) -> dict[str, str]:
    """The value of each mapped field, rendered and checked against the field:
    a check box gets its on state or Off, a radio group or list one of its own
    states, a text field no more than its maximum length. Raises PdfFormError
    naming the field and what it allows, and TemplateError (naming
    ``mapping_file``) for a value that is broken, unsafe, too big or too slow
    whoever the pupil."""
    by_name = {f.name: f for f in fields} | {f.short_name: f for f in fields}
    values: dict[str, str] = {}
    for name, text in mapping.items():
        pdf = by_name.get(name)
        if pdf is None:
            listed = ", ".join(f"'{f.name}'" for f in fields[:40])
            raise PdfFormError(f"the mapping names a field '{name}' that the PDF does not have; its fields are:"
                               f" {listed}", file=form)
        try:
            value = _mapped(name, text, mapping_file).render(context).strip()
        except FormkitError:
            raise
        except Exception as exc:  # the mapping's tags are the user's
            raise PdfFormError(f"the value for '{name}' ({text}) cannot be filled: {exc}", file=form,
                               pupil=pupil) from None
        values[pdf.name] = _check(pdf, value, form, pupil)
    return values


@functools.lru_cache(maxsize=256)
def _mapped(name: str, text: str, file: str | None) -> TextTemplate:
    """A mapping's value compiled once (TemplateError if it is broken)."""
    return TextTemplate(text, where=f"the value for '{name}'", file=file)


def _check(pdf: PdfField, value: str, form: str, pupil: str | None) -> str:
    if pdf.type == "tick":
        key = value.casefold()
        if key in _YES or value == pdf.on_state:
            return f"/{pdf.on_state}"
        if key in _NO:
            return "/Off"
        raise PdfFormError(f"'{value}' is not a state of the check box '{pdf.name}'; it can be"
                           f" {pdf.on_state} (or yes) or Off (or no)", file=form, pupil=pupil)
    if pdf.type in ("radio", "choice") and value:
        allowed = [s for s in pdf.states if s != "Off"]
        match = next((s for s in allowed if s.casefold() == value.casefold()), None)
        if match is None and not pdf.editable:
            raise PdfFormError(f"'{value}' is not one of the choices of '{pdf.name}': {', '.join(allowed)}",
                               file=form, pupil=pupil)
        return f"/{match}" if pdf.type == "radio" and match else (match or value)
    if pdf.max_length is not None and len(value) > pdf.max_length:
        raise PdfFormError(f"'{value}' is {len(value)} characters; the field '{pdf.name}' holds at most"
                           f" {pdf.max_length}", file=form, pupil=pupil)
    return value


def fill_pdf(path: Path, values: Mapping[str, str]) -> bytes:
    """The PDF at ``path`` with ``values`` (from :func:`fill_values`) set, a
    hybrid form's XFA removed (so viewers show the values) and appearances
    regenerated by the viewer."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    reader, _ = _reader(path)
    with _quiet_pypdf():
        writer = PdfWriter(clone_from=reader)
        form = writer._root_object["/AcroForm"]
        if "/XFA" in form:
            del form[NameObject("/XFA")]
        if strip_active_content(writer._root_object):
            _drop_unreachable(writer)
        for page in writer.pages:
            writer.update_page_form_field_values(page, dict(values), auto_regenerate=False)
        writer.set_need_appearances_writer(True)
        buffer = io.BytesIO()
        writer.write(buffer)
    return buffer.getvalue()


def _drop_unreachable(writer: Any) -> None:
    """Leave out of ``writer``'s file every object nothing refers to any more (the
    scripts :func:`strip_active_content` cut off), as pypdf does for one it removes."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reachable: set[int] = set()
    stack: list[Any] = [writer._root_object.indirect_reference, getattr(writer, "_info_obj", None)]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in reachable:
                continue
            reachable.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    for index in range(len(writer._objects)):
        if index + 1 not in reachable:
            writer._objects[index] = None


_ACTIVE_KEYS = ("/AA", "/OpenAction", "/JavaScript", "/JS", "/EmbeddedFiles", "/RichMedia")
_SAFE_ACTIONS = ("/URI", "/GoTo", "/Named")


def strip_active_content(root: Any) -> int:
    """Remove everything in a PDF that runs or launches something when it is
    opened or used: the document's /OpenAction, every /AA (page, field and
    annotation triggers), the JavaScript name tree, embedded files, and any
    action other than a link (/URI, /GoTo, /Named). Walks every object reachable
    from ``root`` once; returns how many entries were removed."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    removed = 0
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in _ACTIVE_KEYS:
                if key in item:
                    del item[key]
                    removed += 1
            action = item.get("/A")
            if action is not None and getattr(action.get_object(), "get", lambda _: None)("/S") not in _SAFE_ACTIONS:
                del item["/A"]
                removed += 1
            stack.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return removed
