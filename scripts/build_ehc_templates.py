"""Build formkit's templates for one-page profiles and EHC paperwork with python-docx.

    python scripts/build_ehc_templates.py [OUTDIR]

writes into OUTDIR (default: templates/docx in the repository):

- ``one_page_profile.docx``: the pupil's one-page profile (seed 000): name, a
  box for a photo, "What people like and admire about me", "What is important
  to me" and "How best to support me", one bullet per line of the Profiles
  sheet's cell;
- ``annual_review_report.docx``: the school's report of the annual review of an
  EHC plan, pre-filled before the meeting (outcomes with this year's IEP targets
  as evidence, the year's IEP reviews, the provision with hours and cost, the
  family's and the child's views, the professionals asked for advice), with the
  meeting's decisions left to fill in;
- ``ehc/evidence_cover.docx``, ``ehc/evidence_agencies.docx``,
  ``ehc/evidence_provision.docx`` and ``ehc/evidence_progress.docx``: the parts
  of an EHC needs-assessment evidence pack that formkit writes itself (the
  cover and contents, the outside agencies, the provision term by term, each
  target's progress). Their footers carry no page numbers: the pack numbers its
  pages itself.

The output is deterministic (scripts/build_templates.py's fixed timestamps), so
the built files can be kept in the repository and rebuilt after a change here.
Tags are plain field names from formkit/documents/context.py and
formkit/ehc/profiles.py (docs/templates.md and docs/ehc.md list them), each in
a run of its own; bullet lists loop ``{%p for line in profile.admire_lines %}``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_templates as base  # noqa: E402  (the IEP builder's helpers: runs, tables, deterministic save)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "templates" / "docx"

ADMIRE_FILL = "FFF2CC"  # pale yellow, pale green, pale blue: distinct on screen, still clear in grey
IMPORTANT_FILL = "E2EFDA"
SUPPORT_FILL = "DDEBF7"
PHOTO_GREY = RGBColor(0xA6, 0xA6, 0xA6)


def bullets(cell, key: str) -> None:
    """The cell's lines: one bullet paragraph per line of ``profile.<key>_lines``."""
    for index, marker in enumerate((f"{{%p for line in profile.{key}_lines %}}", None, "{%p endfor %}")):
        paragraph = base.tight(cell.paragraphs[0] if index == 0 else cell.add_paragraph(), after=2)
        if marker is None:
            paragraph.paragraph_format.left_indent = Cm(0.45)
            paragraph.paragraph_format.first_line_indent = Cm(-0.45)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.45))
            base.add_text(paragraph, "\u2022\t")
            base.add_text(paragraph, "{{ line }}")
        else:
            base.add_text(paragraph, marker, size=9, colour=base.HINT_COLOUR)


def boxes(doc, sections: list[tuple[str, str, str]], height, widths) -> None:
    """Side by side: a heading bar in each section's colour, and below it a box
    of bullets; the two rows are kept together on one page."""
    table = base.new_table(doc, 2, widths)
    head, body = table.rows
    for (key, title, fill), top, box in zip(sections, head.cells, body.cells):
        base.cell_text(top, title, bold=True, size=13, colour=base.TITLE_COLOUR)
        base.shade(top, fill)
        top.paragraphs[0].paragraph_format.keep_with_next = True
        bullets(box, key)
    base.cant_split(head)
    base.min_height(body, height)
    base.cant_split(body)
    base.spacer(doc, 8)


def build_one_page_profile(path: Path) -> None:
    """The one-page profile, A4 portrait, on one page: the pupil and a photo box,
    what people admire across the page, then what is important and how best to
    support them side by side."""
    doc = base.new_document(landscape=False, title="One-page profile")
    base.header_and_footer(doc)
    base.title_block(doc, "ONE-PAGE PROFILE", "{{ school.name }}")
    total = base.usable_width(doc)
    photo = Cm(4.2)
    top = base.new_table(doc, 1, [total - photo, photo])
    left, right = top.rows[0].cells
    name = base.tight(left.paragraphs[0], after=2)
    base.add_text(name, "{{ pupil.name }}", bold=True, size=22, colour=base.TITLE_COLOUR)
    about = base.tight(left.add_paragraph(), after=2)
    for text in ("{{ pupil.year }}", "   Class ", "{{ pupil.class }}", "   Date ", "{{ profile.date }}"):
        base.add_text(about, text, size=12)
    hint = base.tight(left.add_paragraph(), after=0)
    hint.paragraph_format.space_before = Pt(10)
    for text in ("Written with ", "{{ pupil.forename }}", ", ", "{{ pupil.their }}", " family and the staff who "
                 "know ", "{{ pupil.them }}", " best: what matters to ", "{{ pupil.them }}", " and how ",
                 "{{ pupil.they }}", " like to be supported."):
        base.add_text(hint, text, italic=True, size=10, colour=base.HINT_COLOUR)
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    label = base.tight(right.paragraphs[0])
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    base.add_text(label, "Photo", size=12, colour=PHOTO_GREY)
    right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    base.min_height(top.rows[0], Cm(4.8))
    base.cant_split(top.rows[0])
    base.spacer(doc, 8)
    boxes(doc, [("admire", "What people like and admire about me", ADMIRE_FILL)], Cm(5.0), [total])
    half = total // 2
    boxes(doc, [("important", "What is important to me", IMPORTANT_FILL),
                ("support", "How best to support me", SUPPORT_FILL)], Cm(11.5), [half, total - half])
    base.save_deterministic(doc, path)


def heading(doc, text: str) -> None:
    """A numbered section heading, kept with what follows."""
    paragraph = base.tight(doc.add_paragraph(), after=3)
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.keep_with_next = True
    base.add_text(paragraph, text, bold=True, size=13, colour=base.TITLE_COLOUR)


def note(doc, text: str) -> None:
    paragraph = base.tight(doc.add_paragraph(), after=3)
    for piece in re.split(r"({{.*?}})", text):
        if piece:
            base.add_text(paragraph, piece, italic=True, size=9, colour=base.HINT_COLOUR)


def loop_table(doc, titles: tuple[str, ...], widths, loop: str, cells: list[str], *, height=None) -> None:
    """A table with a header row and one row per item of ``loop``; each cell a tag."""
    table = base.new_table(doc, 1, widths)
    base.header_row(table.rows[0], titles)
    base.loop_rows(table, widths, loop, [[(text, {})] for text in cells], data_height=height)


def question_table(doc, rows: list[tuple[str, str]], label) -> None:
    """Questions (shaded) beside their answers."""
    width = base.usable_width(doc)
    table = base.new_table(doc, len(rows), [label, width - label])
    for row, (question, answer) in zip(table.rows, rows):
        base.cell_text(row.cells[0], question, bold=True, size=10)
        base.shade(row.cells[0], base.LABEL_FILL)
        base.cell_text(row.cells[1], answer)
        base.cant_split(row)


def boxes_to_fill(doc, rows: list[tuple[str, float]], label) -> None:
    """The meeting's decisions: a label and an empty box for each."""
    width = base.usable_width(doc)
    table = base.new_table(doc, len(rows), [label, width - label])
    for row, (text, height) in zip(table.rows, rows):
        paragraph = base.tight(row.cells[0].paragraphs[0])
        for piece in re.split(r"({{.*?}})", text):
            if piece:
                base.add_text(paragraph, piece, bold=True, size=10)
        base.shade(row.cells[0], base.LABEL_FILL)
        base.min_height(row, Cm(height))
        base.cant_split(row)


def build_annual_review_report(path: Path) -> None:
    """The annual review report, A4 portrait: the details, what is not in it yet,
    then six numbered sections; the last is the meeting's, to fill in."""
    doc = base.new_document(landscape=False, title="Annual review of an EHC plan")
    base.header_and_footer(doc)
    base.title_block(doc, "ANNUAL REVIEW OF AN EDUCATION, HEALTH AND CARE PLAN", "{{ school.name }}")
    total = base.usable_width(doc)
    label = Cm(3.3)
    value = (total - 2 * label) // 2
    details = base.new_table(doc, 4, [label, value, label, value])
    for row, cells in zip(details.rows, (
            ("Name", "{{ pupil.name }}", "Date of birth", "{{ pupil.dob }}"),
            ("Year", "{{ pupil.year }}", "Class", "{{ pupil.class }}"),
            ("UPN", "{{ pupil.upn }}", "Primary need", "{{ pupil.primary_need_name }}"),
            ("Meeting", "{{ review.meeting_date }}", "Report due", "{{ review.report_due }}"))):
        for index, (cell, text) in enumerate(zip(row.cells, cells)):
            base.cell_text(cell, text, bold=index % 2 == 0)
            if index % 2 == 0:
                base.shade(cell, base.LABEL_FILL)
        base.cant_split(row)
    note(doc, "Prepared before the meeting from the school's records, for the year from {{ review.year_from }}. "
              "Each IEP target is placed under the outcome it shares most words with: move any that belong "
              "elsewhere. Section 6 is filled in at the meeting. Send the completed report to the local authority "
              "by {{ review.report_due }} (SEND Code of Practice 9.176).")
    missing_block(doc, "missing", "Not in this report yet:")

    heading(doc, "1. Progress towards the outcomes in the EHC plan")
    number = Cm(1.0)
    rest = total - number
    loop_table(doc, ("No.", "Outcome in the plan", "This year's IEP targets towards it", "Progress (at the meeting)"),
               [number, rest * 3 // 10, rest * 4 // 10, rest - rest * 3 // 10 - rest * 4 // 10],
               "{%tr for o in outcomes %}", ["{{ o.number }}", "{{ o.outcome }} ({{ o.area }}; by {{ o.by }})",
                                             "{{ o.evidence }}", ""], height=Cm(1.6))
    for text in ("{%p if other_targets %}", "Other IEP targets this year: ", "{%p endif %}"):
        paragraph = base.tight(doc.add_paragraph(), after=2)
        if text.startswith("{%"):
            base.add_text(paragraph, text, size=9, colour=base.HINT_COLOUR)
        else:
            base.add_text(paragraph, text, bold=True, size=10)
            base.add_text(paragraph, "{{ other_targets }}", size=10)
    heading(doc, "2. IEP reviews this year")
    term, percent = Cm(2.7), Cm(1.9)
    loop_table(doc, ("Term", "No.", "Target", "Outcome", "Achieved", "Band"),
               [term, number, (total - term - number - 2 * percent) // 2,
                total - term - number - 2 * percent - (total - term - number - 2 * percent) // 2, percent, percent],
               "{%tr for r in reviews %}", ["{{ r.term }}", "{{ r.number }}", "{{ r.target }}", "{{ r.outcome }}",
                                           "{{ r.achieved }}", "{{ r.band }}"])
    base.spacer(doc)
    loop_table(doc, ("Term", "Reviewed", "Decision", "Next steps"),
               [term, Cm(2.4), Cm(5.0), total - term - Cm(2.4) - Cm(5.0)],
               "{%tr for d in decisions %}", ["{{ d.term }}", "{{ d.review_date }}", "{{ d.decision }}",
                                             "{{ d.next_steps }}"])

    heading(doc, "3. Provision this year")
    money, hours = Cm(2.1), Cm(1.5)
    loop_table(doc, ("Term", "Provision", "Delivered by", "How often", "Hours", "Cost"),
               [term, Cm(4.6), Cm(3.4), total - term - Cm(4.6) - Cm(3.4) - hours - money, hours, money],
               "{%tr for p in provision %}", ["{{ p.term }}", "{{ p.intervention }}", "{{ p.delivered_by }}",
                                             "{{ p.how_often }}", "{{ p.hours }}", "{{ p.cost }}"])
    total_line = base.tight(doc.add_paragraph(), after=2)
    total_line.paragraph_format.space_before = Pt(4)
    for text, bold in (("The year: ", True), ("{{ provision_total.hours }}", False), (" hours, ", False),
                       ("{{ provision_total.cost }}", True), (": ", False), ("{{ provision_total.against }}", False),
                       (".", False)):
        base.add_text(total_line, text, bold=bold)

    heading(doc, "4. Views")
    question = Cm(5.6)
    sub = base.tight(doc.add_paragraph(), after=2)
    base.add_text(sub, "The family", bold=True)
    question_table(doc, [
        ("Written by", "{{ parent_views.by }}"),
        ("What is going well", "{{ parent_views.going_well }}"),
        ("What is not going so well", "{{ parent_views.concerns }}"),
        ("What has changed", "{{ parent_views.changes }}"),
        ("Hopes for next year and the future", "{{ parent_views.aspirations }}"),
        ("Changes to the plan", "{{ parent_views.plan_changes }}"),
        ("To talk about", "{{ parent_views.discuss }}"),
    ], question)
    sub = base.tight(doc.add_paragraph(), after=2)
    sub.paragraph_format.space_before = Pt(6)
    base.add_text(sub, "{{ pupil.forename }}", bold=True)
    question_table(doc, [
        ("How", "{{ pupil_views.by }}"),
        ("What I like at school", "{{ pupil_views.like }}"),
        ("What I am good at", "{{ pupil_views.good_at }}"),
        ("What I find hard", "{{ pupil_views.hard }}"),
        ("What helps me", "{{ pupil_views.helps }}"),
        ("Next year, and when I am older", "{{ pupil_views.future }}"),
        ("My picture", "{{ pupil_views.picture }}"),
    ], question)

    heading(doc, "5. Advice and information asked for")
    loop_table(doc, ("Name", "Service", "Involved since", "Advice received (date)"),
               [Cm(4.2), Cm(6.0), Cm(2.6), total - Cm(12.8)],
               "{%tr for a in professionals %}", ["{{ a.name }}", "{{ a.service }}", "{{ a.since }}", ""])

    heading(doc, "6. The meeting's decisions (to fill in at the meeting)")
    boxes_to_fill(doc, [
        ("Who attended", 1.6),
        ("Does the EHC plan still meet {{ pupil.forename }}'s needs?  \u2610 keep it as it is   \u2610 amend it   "
         "\u2610 cease it", 1.2),
        ("Changes to the outcomes", 2.2),
        ("Changes to the provision", 2.2),
        ("Recommendations and next steps", 2.6),
        ("Next annual review by", 0.9),
        ("Signed (SENCo) and date", 0.9),
    ], Cm(5.0))
    base.save_deterministic(doc, path)


def evidence_document(title: str):
    """A part of the evidence pack: the school and CONFIDENTIAL in the header; a
    footer without page numbers (formkit numbers the pack's pages itself)."""
    doc = base.new_document(landscape=False, title=title)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    base.add_text(header, "{{ school.name }}")
    base.add_text(header, "\t")
    base.add_text(header, "CONFIDENTIAL", bold=True, size=10, colour=base.CONFIDENTIAL_COLOUR)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    base.add_text(footer, "Confidential \u2013 ")
    base.add_text(footer, "{{ pupil.name }}")
    base.add_text(footer, " \u2013 ")
    base.add_text(footer, "{{ school.name }}")
    return doc


def missing_block(doc, loop: str, title: str) -> None:
    """``title`` and a bullet for each item of ``loop`` (a list of sentences), when it has any."""
    for text in (f"{{%p if {loop} %}}", title, f"{{%p for m in {loop} %}}", None, "{%p endfor %}",
                 "{%p endif %}"):
        paragraph = base.tight(doc.add_paragraph(), after=1)
        if text is None:
            paragraph.paragraph_format.left_indent = Cm(0.45)
            base.add_text(paragraph, "\u2022  ", colour=base.CONFIDENTIAL_COLOUR)
            base.add_text(paragraph, "{{ m }}", colour=base.CONFIDENTIAL_COLOUR)
        elif text.startswith("{%"):
            base.add_text(paragraph, text, size=9, colour=base.HINT_COLOUR)
        else:
            paragraph.paragraph_format.space_before = Pt(8)
            base.add_text(paragraph, text, bold=True, colour=base.CONFIDENTIAL_COLOUR)


def tagged(paragraph, text: str, **fmt) -> None:
    """``text`` into ``paragraph``, each tag in a run of its own."""
    for piece in re.split(r"({{.*?}})", text):
        if piece:
            base.add_text(paragraph, piece, **fmt)


def build_evidence_cover(path: Path) -> None:
    """The pack's cover (the request, the pupil, who made it) and, on a page of
    its own, the contents with each section's page, and what is missing."""
    doc = evidence_document("Evidence for an EHC needs assessment request")
    title = base.tight(doc.add_paragraph(), after=6)
    title.paragraph_format.space_before = Pt(60)
    base.add_text(title, "EVIDENCE FOR AN EHC NEEDS ASSESSMENT REQUEST", bold=True, size=20, colour=base.TITLE_COLOUR)
    school = base.tight(doc.add_paragraph(), after=24)
    base.add_text(school, "{{ school.name }}", bold=True, size=14)
    total = base.usable_width(doc)
    label = Cm(4.5)
    rows = (("Name", "{{ pupil.name }}"), ("Date of birth", "{{ pupil.dob }}"), ("UPN", "{{ pupil.upn }}"),
            ("Year and class", "{{ pupil.year }}, {{ pupil.class }}"),
            ("Primary need", "{{ pupil.primary_need_name }}"), ("Secondary need", "{{ pupil.secondary_need_name }}"),
            ("On the SEN register since", "{{ pupil.date_added }}"),
            ("Prepared by", "{{ school.senco }}, SENCo, on {{ pack.date }}"))
    table = base.new_table(doc, len(rows), [label, total - label])
    for row, (name, value) in zip(table.rows, rows):
        base.cell_text(row.cells[0], name, bold=True)
        base.shade(row.cells[0], base.LABEL_FILL)
        tagged(base.tight(row.cells[1].paragraphs[0]), value)
        base.cant_split(row)
        base.min_height(row, Cm(0.8))
    warning = base.tight(doc.add_paragraph(), after=0)
    warning.paragraph_format.space_before = Pt(24)
    base.add_text(warning, "Confidential. ", bold=True, colour=base.CONFIDENTIAL_COLOUR)
    base.add_text(warning, "This pack holds special category data about one child. Share it only with the local "
                           "authority's SEN team, by secure means, and keep it in the school's secure storage.")
    evidence = base.tight(doc.add_paragraph(), after=0)
    evidence.paragraph_format.space_before = Pt(8)
    tagged(evidence, "It brings together the school's evidence of the graduated approach (assess, plan, do, review) "
                     "for {{ pupil.forename }}: each term's plan and its review, the referrals, the outside agencies "
                     "involved, the provision with its hours and cost, and the progress towards each target.", size=10)
    brk = doc.add_paragraph()
    brk.add_run().add_break(WD_BREAK.PAGE)
    base.title_block(doc, "CONTENTS", "{{ pupil.name }}")
    page = Cm(2.2)
    contents = base.new_table(doc, 1, [total - page, page])
    base.header_row(contents.rows[0], ("Section", "Page"))
    base.loop_rows(contents, [total - page, page], "{%tr for s in sections %}",
                   [[("{{ s.title }}", {})], [("{{ s.page }}", {})]])
    missing_block(doc, "missing", "Not in this pack:")
    base.save_deterministic(doc, path)


def build_evidence_agencies(path: Path) -> None:
    """The outside agencies involved with the pupil, and since when."""
    doc = evidence_document("Outside agencies involved")
    base.title_block(doc, "OUTSIDE AGENCIES INVOLVED", "{{ pupil.name }}")
    total = base.usable_width(doc)
    day = Cm(2.6)
    loop_table(doc, ("Name", "Service", "Involved since", "Until"),
               [Cm(4.4), total - Cm(4.4) - 2 * day, day, day],
               "{%tr for a in professionals %}", ["{{ a.name }}", "{{ a.service }}", "{{ a.since }}", "{{ a.until }}"])
    heading(doc, "Named on the provision map")
    loop_table(doc, ("Provision", "Outside agency", "Started"), [Cm(6.0), total - Cm(6.0) - day, day],
               "{%tr for p in agency_provision %}", ["{{ p.intervention }}", "{{ p.agency }}", "{{ p.start }}"])
    missing_block(doc, "missing", "Not known:")
    base.save_deterministic(doc, path)


def build_evidence_provision(path: Path) -> None:
    """The pupil's provision term by term, with hours and cost, and the year's
    total against the notional SEN threshold."""
    doc = evidence_document("Provision, term by term")
    base.title_block(doc, "PROVISION, TERM BY TERM", "{{ pupil.name }}")
    total = base.usable_width(doc)
    term, money, hours = Cm(2.7), Cm(2.1), Cm(1.5)
    loop_table(doc, ("Term", "Provision", "Delivered by", "How often", "Hours", "Cost"),
               [term, Cm(4.4), Cm(3.4), total - term - Cm(4.4) - Cm(3.4) - hours - money, hours, money],
               "{%tr for p in provision %}", ["{{ p.term }}", "{{ p.intervention }}", "{{ p.delivered_by }}",
                                             "{{ p.how_often }}", "{{ p.hours }}", "{{ p.cost }}"])
    line = base.tight(doc.add_paragraph(), after=2)
    line.paragraph_format.space_before = Pt(6)
    for text, bold in (("The year: ", True), ("{{ provision_total.hours }}", False), (" hours, ", False),
                       ("{{ provision_total.cost }}", True), (": ", False), ("{{ provision_total.against }}", False),
                       (".", False)):
        base.add_text(line, text, bold=bold)
    note(doc, "Costs are this pupil's share of staff time (the role's hourly rate x hours / the group size), as the "
              "provision map works them out; a provision running all year is shared out over the terms by their "
              "days. The notional SEN threshold ({{ provision_total.threshold }}) is the school's setting.")
    missing_block(doc, "missing", "Not known:")
    base.save_deterministic(doc, path)


def build_evidence_progress(path: Path) -> None:
    """Each target's baseline and achieved % at each review, term by term."""
    doc = evidence_document("Progress towards each target")
    base.title_block(doc, "PROGRESS TOWARDS EACH TARGET", "{{ pupil.name }}")
    total = base.usable_width(doc)
    term, percent = Cm(2.7), Cm(2.0)
    loop_table(doc, ("Target", "Term", "Baseline", "Achieved", "Band", "Outcome"),
               [Cm(6.0), term, percent, percent, percent, total - Cm(6.0) - term - 3 * percent],
               "{%tr for p in progress %}", ["{{ p.target }}", "{{ p.term }}", "{{ p.baseline }}", "{{ p.achieved }}",
                                            "{{ p.band }}", "{{ p.outcome }}"])
    note(doc, "The baseline is the one recorded when the target was set; the achieved % and band are those recorded "
              "at the term's review (seed 000's percentages). The chart on the next page shows the same.")
    missing_block(doc, "missing", "Not known:")
    base.save_deterministic(doc, path)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    builders = {
        "one_page_profile.docx": build_one_page_profile,
        "annual_review_report.docx": build_annual_review_report,
        "ehc/evidence_cover.docx": build_evidence_cover,
        "ehc/evidence_agencies.docx": build_evidence_agencies,
        "ehc/evidence_provision.docx": build_evidence_provision,
        "ehc/evidence_progress.docx": build_evidence_progress,
    }
    for name, build in builders.items():
        build(out / name)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
