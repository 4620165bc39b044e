"""Reading a returned Word form into a :class:`~formkit.forms.record.RawForm`.

A field's value is found, in this order:

1. a content control or legacy form field whose tag (or field name) is the
   field's name, anywhere: body, table cells, headers, footers;
2. a control whose alias is the field's label (LibreOffice keeps some aliases);
3. the field's label in a table cell: the value is in the cell beside it (or
   below it, for the area-of-need tick boxes and the target table's columns).
   That cell's control is read if it has one (LibreOffice keeps controls but
   drops their tags), else its text; a tick cell is ticked by ✓ ✔ ☑ ☒ ■ X x or
   "yes". "Label: value" in one cell or paragraph works too.

So the same form reads with its controls, after LibreOffice has re-saved it,
after its controls are stripped, and when a school's own form is laid out as in
seed 003 Appendix A. Only the parts a form can hold fields in are read (the
main document, headers and footers), which keeps reading fast: a header or
footer is parsed only when it holds a control or its text is needed; and the
tables of cells (:attr:`~formkit.ooxml.Layout.tables`, the costly view) are
built only when tags leave a field unfound, or for a form with a target table
(the IEP review), whose rows are read from the table.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputFileError
from ..ooxml import PLACEHOLDERS, TICKS, Control, Layout, read_layouts
from ..ooxml import LayoutCell as Cell
from .fields import FORMS, FieldDef, FormDef, label_key
from .record import Raw, RawForm

_TARGET_TAG = re.compile(r"target_(\d+)_(\w+)")
LONG_LABEL = 20
_TITLES = tuple((form.kind, label_key(title)) for form in FORMS.values() for title in form.titles)
"""Each form's titles as compared, in the forms' order: worked out once."""


def detect_kind(layouts: list[Layout]) -> str | None:
    """The form's kind: from its title, else the kind whose labels and tags it
    holds most of (at least three)."""
    body = layouts[0]
    for text in body.paragraphs[:12]:
        key = label_key(text)
        for kind, title in _TITLES:
            if key == title or key.startswith(title + " "):
                return kind
    cells = {label_key(cell.text) for layout in layouts for rows in layout.tables for row in rows for cell in row}
    tags = {c.tag for layout in layouts for c in layout.controls if c.tag}
    best, score = None, 2
    for form in FORMS.values():
        points = sum(1 for f in (*form.fields, *form.target_fields) if cells & set(f.keys) or f.name in tags)
        if points > score:
            best, score = form.kind, points
    return best


def read_docx(path: Path | str, kind: str | None = None, *, layouts: list[Layout] | None = None) -> RawForm:
    """Read ``path`` as a form of ``kind`` (None: detect it); ``layouts`` are its
    parts when the caller has read them already. Raises InputFileError when the
    file is not a Word document or not a known form."""
    layouts = read_layouts(Path(path)) if layouts is None else layouts
    kind = kind or detect_kind(layouts)
    if kind is None:
        raise InputFileError(
            "is not a form formkit knows: no referral, IEP review, intervention impact or views title or labels"
            " found. Use the forms from 'formkit generate forms', or give --kind", file=str(path))
    form = FORMS[kind]
    raw = RawForm(kind)
    tagged: dict[int, dict[str, Raw]] = {}
    for layout in layouts:
        _by_tag(form, layout.controls, raw, tagged)
    for layout in layouts:
        _by_alias(form, layout.controls, raw)
    body = layouts[0]
    complete = all(f.name in raw.values for f in form.fields)
    if form.target_fields or not complete:  # the table model, only for what tags did not find
        for rows in body.tables:
            if form.target_fields and not raw.targets and _target_columns(form, rows):
                raw.targets = _read_target_table(form, rows)
            if not complete:
                _by_label(form, rows, raw)
    _merge_targets(raw, tagged)
    if not complete:
        _by_inline(form, body, raw)
        for layout in layouts[1:]:
            _by_labelled_controls(form, layout, raw)
    return raw


def _merge_targets(raw: RawForm, tagged: dict[int, dict[str, Raw]]) -> None:
    """Tagged target controls override the target table's cells, row by number."""
    for number, values in sorted(tagged.items()):
        while len(raw.targets) < number:
            raw.targets.append({})
        raw.targets[number - 1].update(values)


def _raw(control: Control, how: str) -> Raw:
    return Raw(control.value, control.checked, control.full_date, how)


def _by_tag(form: FormDef, found: list[Control], raw: RawForm, targets: dict[int, dict[str, Raw]]) -> None:
    names = {f.name for f in form.fields}
    for control in found:
        if control.tag in names and control.tag not in raw.values:
            raw.values[control.tag] = _raw(control, "tag")
        elif form.target_fields:
            m = _TARGET_TAG.fullmatch(control.tag)
            if m:
                targets.setdefault(int(m.group(1)), {})[m.group(2)] = _raw(control, "tag")


def _by_alias(form: FormDef, found: list[Control], raw: RawForm) -> None:
    for control in found:
        if not control.alias or control.tag:
            continue
        key = label_key(control.alias)
        for definition in form.fields:
            if definition.name not in raw.values and key == label_key(definition.label)[:len(key)] and key:
                raw.values[definition.name] = _raw(control, "alias")
                break


def _matches(cell_key: str, definition: FieldDef) -> bool:
    return any(cell_key == key or (len(key) >= LONG_LABEL and cell_key.startswith(key)) for key in definition.keys)


def _fields_for(form: FormDef, key: str, row_keys: set[str], raw: RawForm) -> FieldDef | None:
    """The field a label cell names: among fields with that label, one whose
    ``row_with`` label is in the same row wins; then the first not yet found."""
    candidates = [f for f in form.fields if _matches(key, f)]
    paired = [f for f in candidates if f.row_with and row_keys & set(form.field(f.row_with).keys)]
    plain = [f for f in candidates if not f.row_with or f in paired]
    for definition in paired or plain:
        if definition.name not in raw.values:
            return definition
    return None


def _is_label(form: FormDef, cell: Cell) -> bool:
    key = label_key(cell.text)
    return bool(key) and not cell.controls and any(_matches(key, f) for f in (*form.fields, *form.target_fields))


def _cell_raw(cell: Cell, definition: FieldDef) -> Raw:
    if cell.controls:
        if definition.type == "tick":
            tick = next((c for c in cell.controls if c.kind in ("tick", "legacy-tick")), cell.controls[0])
            return _raw(tick, "label")
        return _raw(cell.controls[0], "label")
    text = cell.text.strip()
    return Raw("" if text in PLACEHOLDERS else text, how="cell")


def _below(rows: list[list[Cell]], r: int, cell: Cell) -> Cell | None:
    if r + 1 < len(rows):
        return next((c for c in rows[r + 1] if c.col == cell.col), None)
    return None


def _by_label(form: FormDef, rows: list[list[Cell]], raw: RawForm) -> None:
    for r, row in enumerate(rows):
        row_keys = {label_key(c.text) for c in row}
        for i, cell in enumerate(row):
            if cell.controls:
                continue
            key = label_key(cell.text)
            if not key:
                continue
            definition = _fields_for(form, key, row_keys, raw)
            if definition is None:
                continue
            beside = row[i + 1] if i + 1 < len(row) else None
            below = _below(rows, r, cell)
            order = (below, beside) if definition.place == "below" else (beside, below)
            target = next((c for c in order if c is not None and not _is_label(form, c)), None)
            if target is not None:
                raw.values[definition.name] = _cell_raw(target, definition)


def _target_columns(form: FormDef, rows: list[list[Cell]]) -> dict[int, FieldDef] | None:
    for row in rows[:2]:
        columns = {}
        for cell in row:
            key = label_key(cell.text)
            definition = next((f for f in form.target_fields if _matches(key, f)), None) if key else None
            if definition is not None:
                columns[cell.col] = definition
        if len(columns) >= 3 and any(f.name == "target" for f in columns.values()):
            return columns
    return None


def _read_target_table(form: FormDef, rows: list[list[Cell]]) -> list[dict[str, Raw]]:
    """One target per row below the heading row of the target table."""
    columns = _target_columns(form, rows) or {}
    start = next(i for i, row in enumerate(rows) if any(label_key(c.text) in columns[c.col].keys
                                                        for c in row if c.col in columns))
    targets = []
    for row in rows[start + 1:]:
        found = {columns[c.col].name: _cell_raw(c, columns[c.col]) for c in row if c.col in columns}
        if any(v.text.strip() or v.checked for v in found.values()):
            targets.append(found)
    return targets


def _by_inline(form: FormDef, layout: Layout, raw: RawForm) -> None:
    """'Label: value' in a cell or paragraph, a tick written beside a label
    ('SEND \u2713'), and controls labelled by the text before them."""
    texts = [c.text for rows in layout.tables for row in rows for c in row if not c.controls]
    texts += layout.paragraphs
    for text in texts:
        for line in text.split("\n"):
            _inline(form, line, raw)
    _by_labelled_controls(form, layout, raw)


def _by_labelled_controls(form: FormDef, layout: Layout, raw: RawForm) -> None:
    for control in layout.controls:
        if control.label and not control.tag:
            key = label_key(control.label)
            definition = next((f for f in form.fields if f.name not in raw.values and _matches(key, f)), None)
            if definition is not None:
                raw.values[definition.name] = _raw(control, "label")


def _inline(form: FormDef, line: str, raw: RawForm) -> None:
    if ":" in line:
        head, _, tail = line.partition(":")
        key = label_key(head)
        definition = next((f for f in form.fields if f.name not in raw.values and _matches(key, f)), None) if key else None
        if definition is not None and tail.strip():
            raw.values[definition.name] = Raw(tail.strip(), how="inline")
            return
    words = line.strip().split()
    if len(words) >= 2:
        for tick, label in ((words[-1], " ".join(words[:-1])), (words[0], " ".join(words[1:]))):
            if tick.casefold() in TICKS and not tick.isalpha() or tick in ("X", "x"):
                key = label_key(label)
                definition = next((f for f in form.fields if f.type == "tick" and f.name not in raw.values
                                   and _matches(key, f)), None)
                if definition is not None:
                    raw.values[definition.name] = Raw(tick, how="inline")
                    return
