"""Build the fillable Word forms formkit sends to teachers.

    python scripts/build_form_templates.py [OUTDIR]

writes into OUTDIR (default: templates/docx/forms in the repository):

- ``referral.docx``: "Request for SEND or PASTORAL support", laid out as the All
  Saints form (seed 003, Appendix A), with tick boxes for the nature of concern
  and the four broad areas of need;
- ``iep_review.docx``: the review of a pupil's IEP targets (outcome, achieved %,
  band, evidence for each), views, next steps, the decision and the next review;
- ``impact.docx``: the intervention impact form (seed 002);
- ``parent_views.docx``: "Your views", the family's views for an EHC plan's
  annual review, each question with a box below it;
- ``pupil_views.docx``: "My views", the child's own, in simple words and a
  larger type, with a box to draw in and room to say who wrote down what the
  child said.

Every field a teacher fills is a content control whose tag is the field's name
(formkit/formfields.py) and whose alias is its label; the label is also printed
in the cell beside (or above) the control, so a form still reads after an editor
has dropped the tags. Controls formkit pre-fills hold a docxtpl tag. The output
is deterministic, and unused styles and parts are left out so each form is small.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_templates import (  # noqa: E402
    HINT_COLOUR, LABEL_FILL, add_row, add_text, cant_split, cell_text, header_and_footer, header_row,
    min_height, new_document, new_table, shade, spacer, tight, title_block, usable_width,
)

from formkit.ooxml import controls as controls
from formkit.documents.context import BANDS
from formkit.forms.fields import (
    IEP_REVIEW, IMPACT, PARENT_VIEWS, PUPIL_VIEWS, REFERRAL, FieldDef, FormDef, FormsConfig, choice_items,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "templates" / "docx" / "forms"
CONFIG = FormsConfig()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def control_for(field: FieldDef, form: FormDef, tag: str | None = None) -> etree._Element:
    """The content control of ``field``: its tag is the field name, its alias the label."""
    tag = tag or field.name
    alias = field.label if len(field.label) <= 40 else field.label.split(" with ")[0][:40]
    content = f"{{{{ {field.prefill} }}}}" if field.prefill else ""
    if field.type == "date":
        return controls.date_control(tag, alias, content)
    if field.type == "tick":
        return controls.tick_control(tag, alias, content)
    if field.type == "choice":
        return controls.choice_control(tag, alias, choice_items(field.choices, CONFIG), content,
                                       combo=field.choices == "entry_measure")
    return controls.text_control(tag, alias, content, multiline=field.type == "long")


def put(cell, element: etree._Element) -> None:
    tight(cell.paragraphs[0])._p.append(element)


def label(cell, text: str) -> None:
    cell_text(cell, text, bold=True)
    shade(cell, LABEL_FILL)


def placeholder_style(doc) -> None:
    """Word's 'Placeholder Text' character style (grey), which empty controls use."""
    style = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    style.element.set(f"{W}styleId", controls.PLACEHOLDER_STYLE)
    style.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def hint(doc, text: str) -> None:
    paragraph = tight(doc.add_paragraph(), after=2)
    add_text(paragraph, text, italic=True, size=9, colour=HINT_COLOUR)


def form_rows(doc, form: FormDef, rows: list[tuple], widths: list[int]):
    """A table of label/control rows. Each row is ('wide', name) for a label and a
    control across the rest; ('pair', name, name) for two label/control pairs;
    or ('cells', [items]) where an item is a field name (its control), ('L', text)
    (a label), or ('T', text) (plain text), one per grid column."""
    table = new_table(doc, len(rows), widths)
    for row, spec in zip(table.rows, rows):
        cells = row.cells
        if spec[0] == "wide":
            field = form.field(spec[1])
            label(cells[0], field.label)
            value = cells[1].merge(cells[-1])
            put(value, control_for(field, form))
            if field.type == "long":
                min_height(row, Cm(2.4 if len(spec) < 3 else spec[2]))
        elif spec[0] == "pair":
            first, second = form.field(spec[1]), form.field(spec[2])
            label(cells[0], first.label)
            value = cells[1].merge(cells[len(cells) - 3]) if len(cells) > 4 else cells[1]
            put(value, control_for(first, form))
            label(cells[-2], second.label)
            put(cells[-1], control_for(second, form))
        else:
            for cell, item in zip(cells, spec[1]):
                if isinstance(item, tuple) and item[0] == "L":
                    label(cell, item[1])
                elif isinstance(item, tuple):
                    cell_text(cell, item[1], size=9, colour=HINT_COLOUR)
                else:
                    put(cell, control_for(form.field(item), form))
        cant_split(row)
    return table


def below_rows(doc, form: FormDef, fields: list[tuple[str, float]], *, size: float | None = None):
    """A one-column table: each field's label in a shaded row, and its control in
    a box of the given height (cm) below it, where the reader looks for it."""
    width = usable_width(doc)
    table = new_table(doc, 2 * len(fields), [width])
    for index, (name, height) in enumerate(fields):
        field = form.field(name)
        head, box = table.rows[2 * index], table.rows[2 * index + 1]
        cell_text(head.cells[0], field.label, bold=True, size=size)
        shade(head.cells[0], LABEL_FILL)
        head.cells[0].paragraphs[0].paragraph_format.keep_with_next = True
        cant_split(head)
        put(box.cells[0], control_for(field, form))
        min_height(box, Cm(height))
        cant_split(box)
    return table


def build_referral(path: Path) -> None:
    """Appendix A of seed 003, as a form with controls."""
    doc = new_document(landscape=False, title=REFERRAL.title)
    placeholder_style(doc)
    header_and_footer(doc)
    title_block(doc, REFERRAL.title, "{{ school.name }}")
    hint(doc, "Class teacher: complete the boxes and return the form to the SENCo. The last two rows are for the SENCo.")
    total = usable_width(doc)
    first = Cm(4.6)
    rest = (total - first) // 4
    widths = [first, rest, rest, rest, total - first - 3 * rest]
    areas = [f for f in REFERRAL.fields if f.group == "areas_of_need"]
    form_rows(doc, REFERRAL, [
        ("cells", [("L", "Main nature of concern (tick one or both)"), ("L", "SEND"), "concern_send",
                   ("L", "PASTORAL"), "concern_pastoral"]),
        ("pair", "child_name", "dob"),
        ("wide", "upn"),
        ("wide", "carer_name"),
        ("wide", "referral_date"),
        ("wide", "referred_by"),
        ("wide", "reasons", 4.5),
        ("cells", [("L", "Please tick the child's main area of need."), *(("L", f.label) for f in areas)]),
        ("cells", [("T", "Tick one or more"), *(f.name for f in areas)]),
        ("wide", "interventions", 3.5),
        ("pair", "reviewed_by", "review_date"),
        ("wide", "action_taken", 2.5),
    ], widths)
    _relabel(doc, REFERRAL)
    _save(doc, path)


def _relabel(doc, form: FormDef) -> None:
    """Long instruction labels carry the seed's wording in full."""
    extra = {
        "reasons": " e.g. xxx is not making progress because xxx struggles to retain lesson content…",
        "interventions": ". Please include frequency and duration.",
    }
    for table in doc.tables:
        for row in table.rows:
            cell = row.cells[0]
            for name, tail in extra.items():
                if cell.text == form.field(name).label:
                    add_text(cell.paragraphs[0], tail, size=9, colour=HINT_COLOUR)


def build_iep_review(path: Path) -> None:
    """The review of a pupil's IEP targets (seed 003 Appendix B outcome column;
    seed 000 achieved % and bands), A4 landscape."""
    doc = new_document(landscape=True, title=IEP_REVIEW.title)
    placeholder_style(doc)
    header_and_footer(doc)
    title_block(doc, "IEP REVIEW", "{{ school.name }}")
    total = usable_width(doc)
    lab = Cm(3.6)
    value = (total - 2 * lab) // 2
    details = form_rows(doc, IEP_REVIEW, [
        ("pair", "pupil_name", "dob"),
        ("cells", [("L", "UPN"), "upn", ("L", "Year and class"), ("T", "{{ pupil.year }} {{ pupil.class }}")]),
        ("cells", [("L", "Review date"), "review_date", ("L", "Class teacher"), ("T", "{{ pupil.class_teacher }}")]),
    ], [lab, value, lab, value])
    for row in details.rows[1:]:
        for cell in row.cells[3:]:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(11)
                run.font.color.rgb = None
    spacer(doc)
    number, percent, band = Cm(1.2), Cm(2.4), Cm(3.0)
    wide = (total - number - percent - band) // 3
    widths = [number, wide, wide, percent, band, total - number - percent - band - 2 * wide]
    titles = tuple(f.label for f in IEP_REVIEW.target_fields)
    table = new_table(doc, 1, widths)
    header_row(table.rows[0], titles)
    opener = add_row(table, widths)
    cell_text(opener.cells[0].merge(opener.cells[-1]), "{%tr for t in targets %}", size=9, colour=HINT_COLOUR)
    data = add_row(table, widths)
    for cell, field in zip(data.cells, IEP_REVIEW.target_fields):
        if field.name in ("number", "target"):
            cell_text(cell, f"{{{{ {field.prefill} }}}}", bold=field.name == "number")
        else:
            put(cell, control_for(field, IEP_REVIEW, tag=f"target_{{{{ t.number }}}}_{field.name}"))
    cant_split(data)
    min_height(data, Cm(1.6))
    closer = add_row(table, widths)
    cell_text(closer.cells[0].merge(closer.cells[-1]), "{%tr endfor %}", size=9, colour=HINT_COLOUR)
    key = tight(doc.add_paragraph(), after=2)
    key.paragraph_format.space_before = Pt(3)
    add_text(key, "Bands: " + "; ".join(f"{b} {d.split('.')[0].lower()}" for b, d in BANDS) + ".",
             italic=True, size=8, colour=HINT_COLOUR)
    spacer(doc)
    closing = form_rows(doc, IEP_REVIEW, [
        ("pair", "pupil_views", "parent_views"),
        ("wide", "next_steps", 1.8),
        ("pair", "decision", "next_review_date"),
    ], [lab, value, lab, value])
    min_height(closing.rows[0], Cm(2.0))  # the views side by side, so four targets and the decision fit one page
    _save(doc, path)


def build_impact(path: Path) -> None:
    """The intervention impact form (seed 002): one intervention for one pupil."""
    doc = new_document(landscape=False, title=IMPACT.title)
    placeholder_style(doc)
    header_and_footer(doc)
    title_block(doc, "INTERVENTION IMPACT FORM", "{{ school.name }}")
    hint(doc, "Class teacher with the adult who ran the intervention: complete at the end of the "
              "intervention (or each half term) and pass to the SENCo for the provision map.")
    total = usable_width(doc)
    lab = Cm(3.8)
    value = (total - 2 * lab) // 2
    form_rows(doc, IMPACT, [
        ("pair", "pupil_name", "upn"),
        ("wide", "intervention"),
        ("wide", "delivered_by"),
        ("pair", "start_date", "end_date"),
        ("pair", "sessions_planned", "sessions_attended"),
        ("wide", "entry_measure"),
        ("pair", "entry_score", "exit_score"),
        ("wide", "impact_rating"),
        ("wide", "comment", 3.0),
        ("wide", "next_step", 2.0),
    ], [lab, value, lab, value])
    hint(doc, "Impact rating: " + "; ".join(shown for _, shown in CONFIG.impact_scale.items) + ".")
    _save(doc, path)


def build_parent_views(path: Path) -> None:
    """The family's views for the annual review of an EHC plan (Code of Practice 9.166)."""
    doc = new_document(landscape=False, title=PARENT_VIEWS.title)
    placeholder_style(doc)
    header_and_footer(doc)
    title_block(doc, "YOUR VIEWS: PARENTS AND CARERS", "{{ school.name }}")
    hint(doc, "For the annual review of {{ pupil.forename }}'s EHC plan. Write as much or as little as you like, and "
              "return it to the school office by the date in our letter. If you would rather talk it through, "
              "please ask: we can write down what you say.")
    total = usable_width(doc)
    lab = Cm(3.6)
    value = (total - 2 * lab) // 2
    form_rows(doc, PARENT_VIEWS, [
        ("pair", "pupil_name", "dob"),
        ("wide", "upn"),
        ("pair", "completed_by", "relationship"),
    ], [lab, value, lab, value])
    spacer(doc)
    below_rows(doc, PARENT_VIEWS, [("going_well", 2.8), ("concerns", 2.8), ("changes", 2.2), ("aspirations", 2.8),
                                   ("plan_changes", 2.0), ("discuss", 1.8)])
    spacer(doc)
    form_rows(doc, PARENT_VIEWS, [("wide", "date")], [lab, total - lab])
    _save(doc, path)


def build_pupil_views(path: Path) -> None:
    """The child's own views for their annual review: short questions in a larger
    type, a box to draw in, and who helped (an adult may write down what the
    child says, or the child may use symbols)."""
    doc = new_document(landscape=False, title=PUPIL_VIEWS.title)
    doc.styles["Normal"].font.size = Pt(13)
    placeholder_style(doc)
    header_and_footer(doc)
    title_block(doc, "MY VIEWS", "{{ school.name }}")
    hello = tight(doc.add_paragraph(), after=6)
    add_text(hello, "This is about you, ", size=13)
    add_text(hello, "{{ pupil.forename }}", size=13)
    add_text(hello, ". Write, draw, or tell a grown-up who can write it for you. There are no wrong answers.",
             size=13)
    total = usable_width(doc)
    lab = Cm(3.4)
    form_rows(doc, PUPIL_VIEWS, [("wide", "pupil_name")], [lab, total - lab])
    spacer(doc)
    below_rows(doc, PUPIL_VIEWS, [("like", 3.0), ("good_at", 3.0), ("hard", 3.0), ("helps", 3.0), ("future", 3.0)],
               size=14)
    spacer(doc)
    picture = new_table(doc, 2, [total])
    cell_text(picture.rows[0].cells[0], "My picture", bold=True, size=14)
    shade(picture.rows[0].cells[0], LABEL_FILL)
    picture.rows[0].cells[0].paragraphs[0].paragraph_format.keep_with_next = True
    cant_split(picture.rows[0])
    cell_text(picture.rows[1].cells[0], "Draw a picture of you at school, or of something that helps you.",
              italic=True, size=11, colour=HINT_COLOUR)
    min_height(picture.rows[1], Cm(9.0))
    cant_split(picture.rows[1])
    spacer(doc)
    below_rows(doc, PUPIL_VIEWS, [("picture", 2.0)], size=14)
    spacer(doc)
    form_rows(doc, PUPIL_VIEWS, [("wide", "how"), ("wide", "helped_by"), ("wide", "date"), ("wide", "upn")],
              [Cm(5.2), total - Cm(5.2)])
    hint(doc, "For the adult who helps: write down the child's own words, and say how they gave them: "
              + "; ".join(shown for _, shown in choice_items("views_how", CONFIG)) + ".")
    _save(doc, path)


def _save(doc, path: Path) -> None:
    """Save deterministically, without unused styles, the thumbnail, custom XML or
    stylesWithEffects (Word rebuilds what it needs), so a form is a few KB."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts = {n: d for n, d in parts.items() if not n.startswith(DROP_PARTS)}
    for name in list(parts):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            parts[name] = _drop_references(parts[name])
    parts["word/styles.xml"] = _used_styles(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _drop_references(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for el in list(root):
        target = (el.get("Target") or el.get("PartName") or "").lstrip("/")
        if any(target.startswith(d) or target.endswith(d.split("/")[-1]) and d.endswith((".xml", ".jpeg"))
               or ("customXml" in target and d == "customXml/") for d in DROP_PARTS):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _used_styles(parts: dict[str, bytes]) -> bytes:
    """styles.xml keeping only the styles the parts use (with what they are based on)."""
    styles = etree.fromstring(parts["word/styles.xml"])
    used = set()
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            used.update(re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', data))
    used = {u.decode() for u in used} | {controls.PLACEHOLDER_STYLE}
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    keep = {sid for sid, s in by_id.items() if s.get(f"{W}default") == "1"}
    todo = list(used | keep)
    while todo:
        sid = todo.pop()
        if sid in keep and sid not in used | keep:
            continue
        keep.add(sid)
        style = by_id.get(sid)
        for ref in ("basedOn", "link", "next"):
            el = style.find(f"{W}{ref}") if style is not None else None
            if el is not None and el.get(f"{W}val") not in keep:
                todo.append(el.get(f"{W}val"))
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
    latent = styles.find(f"{W}latentStyles")
    if latent is not None:
        styles.remove(latent)
    return etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    build_referral(out / "referral.docx")
    build_iep_review(out / "iep_review.docx")
    build_impact(out / "impact.docx")
    build_parent_views(out / "parent_views.docx")
    build_pupil_views(out / "pupil_views.docx")
    print(f"wrote referral.docx, iep_review.docx, impact.docx, parent_views.docx and pupil_views.docx into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
