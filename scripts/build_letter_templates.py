"""Build formkit's parent letter templates with python-docx.

    python scripts/build_letter_templates.py [OUTDIR]

writes into OUTDIR (default: templates/docx/letters in the repository):

- ``sen_register.docx``: seed 003 Appendix D, placing the child on the SEN
  register, with the IEP enclosed and the tear-off reply slip;
- ``sen_register.pl.docx``: the same letter in Polish, a sample translated
  variant (a qualified translator must check it before a school uses it);
- ``iep_cover.docx``: the termly IEP copy home, with "Parents can support by";
- ``review_invite.docx``: the termly review meeting invitation (SEN support's, or the
  IEP review of a pupil with an EHC plan), with a reply slip;
- ``referral_consent.docx``: asking consent before a referral to an outside agency;
- ``removed_from_register.docx``: the child no longer needs SEN support (their
  review decided so): what the school will keep doing, and who to contact;
- ``annual_review_invite.docx``: the invitation to the annual review of an EHC
  plan: date, time, place, who is invited, and the family's and child's views
  asked for, with a reply slip;
- ``advice_request.docx``: the request for advice to each professional working
  with a child with an EHC plan, due two weeks before the review meeting.

The output is deterministic (scripts/build_templates.py's fixed timestamps), so
the built files can be kept in the repository and rebuilt after a change here.

Rules the letters keep (docs/letters.md and docs/templates.md explain them):
- every tag is in a run of its own; tags are plain field names from
  formkit/context.py, formkit/addressing.py and formkit/letter_details.py, and
  the address lines loop ``{%p for line in recipient.address_lines %}``;
- the letterhead (school name, address, phone, email) is in the page header;
- the addressee block ("Private and confidential", names, address, postcode)
  starts 48 mm from the top and 20 mm from the left, inside a 90 mm wide cell,
  so it shows through the window of a DL envelope when the A4 sheet is folded
  in three;
- Calibri 11 (Carlito, metric-compatible, where Calibri is not installed), so
  the letters paginate the same in Word and LibreOffice; each letter fits on one
  A4 page.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_templates as base  # noqa: E402  (the IEP builder's helpers: runs, tables, deterministic save)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "templates" / "docx" / "letters"

TOP = Mm(48)  # the addressee block starts here: inside a DL window when the sheet is folded in three
LEFT = Mm(20)
RIGHT = Mm(20)
BOTTOM = Mm(16)
ADDRESS_WIDTH = Mm(90)
ADDRESS_HEIGHT = Mm(36)
GREY = RGBColor(0x59, 0x59, 0x59)
_TAGS = re.compile(r"({{.*?}}|{%.*?%})")


# --------------------------------------------------------------------------- runs and paragraphs


def write(paragraph: Paragraph, text: str, **fmt) -> Paragraph:
    """Add ``text`` to ``paragraph``, each tag in a run of its own, all alike formatted."""
    for piece in _TAGS.split(text):
        if piece:
            base.add_text(paragraph, piece, **fmt)
    return paragraph


def para(doc, text: str = "", *, after: float = 6, before: float = 0, align=None, keep: bool = False,
         **fmt) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if align is not None:
        paragraph.alignment = align
    if keep:
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
    return write(paragraph, text, **fmt)


def border(paragraph: Paragraph, side: str, style: str = "single") -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", style), ("sz", "6"), ("space", "4"), ("color", "808080")):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


# --------------------------------------------------------------------------- the page


def letter_document(title: str, footer: str):
    """An A4 portrait letter with the school's letterhead in the header and a
    confidential footer; margins place the addressee block for a DL window."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(7)
    base._set_defaults(doc, base.usable_width(doc))
    props = doc.core_properties
    props.title = title
    props.author = "formkit"
    props.last_modified_by = "formkit"
    props.revision = 1
    props.created = props.modified = props.last_printed = base.FIXED_TIME

    header = section.header
    name = header.paragraphs[0]
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    base.tight(name)
    write(name, "{{ school.name }}", bold=True, size=15, colour=base.TITLE_COLOUR)
    for line in ("{{ school.address }}", "Telephone {{ school.phone }}   Email {{ school.email }}"):
        paragraph = base.tight(header.add_paragraph())
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        write(paragraph, line, size=9, colour=GREY)
    last = base.tight(header.add_paragraph())
    last.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    write(last, "SENCo: {{ school.senco }}", size=9, colour=GREY)
    border(last, "bottom")

    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Footer"]
    write(foot, footer, size=8, colour=GREY)
    base.add_text(foot, "\t")
    base.add_field(foot, "PAGE", "1")
    base.add_text(foot, " / ")
    base.add_field(foot, "NUMPAGES", "1")
    return doc


def address_block(doc, date_tag: str, confidential: str) -> None:
    """The addressee block (left) and the date (right), in a borderless table."""
    width = base.usable_width(doc)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    no_borders(table)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right", "top", "bottom"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    widths = [ADDRESS_WIDTH, width - ADDRESS_WIDTH]
    for column, cell, w in zip(table.columns, table.rows[0].cells, widths):
        column.width = w
        cell.width = w
    base.min_height(table.rows[0], ADDRESS_HEIGHT)
    base.cant_split(table.rows[0])
    left, right = table.rows[0].cells
    lines = [
        (confidential, {"bold": True, "size": 9}),
        ("{{ recipient.names }}", {}),
        ("{%p for line in recipient.address_lines %}", {}),
        ("{{ line }}", {}),
        ("{%p endfor %}", {}),
        ("{{ recipient.postcode }}", {}),
    ]
    for index, (text, fmt) in enumerate(lines):
        paragraph = base.tight(left.paragraphs[0] if index == 0 else left.add_paragraph())
        paragraph.paragraph_format.line_spacing = 1.0
        write(paragraph, text, **fmt)
    date = base.tight(right.paragraphs[0])
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    write(date, date_tag)


def sign_off(doc, closing: str, enclosure: str | None) -> None:
    para(doc, closing, after=30, keep=True)
    para(doc, "{{ school.signatory }}", after=0 if enclosure else 6, keep=bool(enclosure))
    if enclosure:
        para(doc, enclosure, before=6, size=10)


def bullets(doc, points) -> None:
    """A bulleted point per paragraph, hanging 6 mm, kept with the next."""
    for point in points:
        item = para(doc, "\u2022\t" + point, after=2, keep=True)
        item.paragraph_format.left_indent = Mm(6)
        item.paragraph_format.first_line_indent = Mm(-6)


def reply_slip(doc, cut: str, lines: list[str], sign: str) -> None:
    """The tear-off slip: a dashed cutting line, then lines kept on one page."""
    top = para(doc, cut, before=20, after=6, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True, size=8, italic=True,
               colour=GREY)
    border(top, "top", "dashed")
    for text in lines:
        para(doc, text, after=6, keep=True)
    para(doc, sign, before=10, after=0)


def details_table(doc, rows: list[tuple[str, str]]) -> None:
    """The meeting's date, time, place and people, in a small shaded table."""
    label = Cm(3.2)
    table = base.new_table(doc, len(rows), [label, base.usable_width(doc) - label])
    for row, (name, value) in zip(table.rows, rows):
        base.cell_text(row.cells[0], name, bold=True)
        base.shade(row.cells[0], base.LABEL_FILL)
        write(base.tight(row.cells[1].paragraphs[0]), value)
        base.cant_split(row)
    para(doc, "", after=0)


# --------------------------------------------------------------------------- the letters

FOOTER = "Private and confidential – {{ pupil.name }} – {{ school.name }}"
SIGNED = "Signed: ___________________________     Name: ___________________________     Date: ___________"


def build_sen_register(path: Path) -> None:
    """Seed 003, Appendix D, with the pupil's own pronouns and the reply slip."""
    doc = letter_document("Letter: placing a child on the SEN register", FOOTER)
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): Special Educational Needs register", bold=True)
    para(doc, "{%p if pupil.sen_status == 'E' %}")
    para(doc, "{{ pupil.forename }} has an Education, Health and Care (EHC) plan, so we are placing "
              "{{ pupil.them }} on our Special Educational Needs (SEN) register. This means that the school will "
              "make the provision set out in {{ pupil.their }} plan, and {{ pupil.forename }} will have an "
              "Individual Education Plan (IEP): the targets {{ pupil.they_are }} working towards this term, as steps "
              "towards the outcomes in {{ pupil.their }} EHC plan. {{ pupil.They }} will talk about the targets with "
              "{{ pupil.their }} teacher, and {{ pupil.their }} views will be taken into account. The EHC plan "
              "itself is reviewed with you at least once a year, at its annual review.")
    para(doc, "{%p else %}")
    para(doc, "In discussions with staff who work with your child, it would seem that {{ pupil.forename }} is "
              "finding it difficult to make the expected progress.")
    para(doc, "In order to support {{ pupil.forename }}, we are placing {{ pupil.them }} on our Special "
              "Educational Needs (SEN) register. This means that {{ pupil.they_are }} receiving SEN support: help "
              "that is additional to or different from what most children of {{ pupil.their }} age receive. As part "
              "of this process {{ pupil.forename }} will be given an Individual Education Plan (IEP) with targets "
              "to work towards. {{ pupil.They }} will talk about the targets with {{ pupil.their }} "
              "teacher, and {{ pupil.their }} views will be taken into account.")
    para(doc, "{%p endif %}")
    para(doc, "We would like to involve you in working with us to help {{ pupil.forename }} to meet these targets, "
              "which are detailed on the enclosed copy of the IEP.")
    para(doc, "You will have an opportunity to talk about these targets with the class teacher at Parent "
              "Consultation meetings, but you are most welcome to contact the school at any time to discuss how "
              "best to support {{ pupil.forename }}. This can involve a meeting with the class teacher and myself.")
    para(doc, "Thank you for your support.")
    sign_off(doc, "Yours sincerely", "Enc. Individual Education Plan (IEP)")
    reply_slip(
        doc,
        "Please cut off this slip and return it to the school office",
        ["To: {{ school.senco }}, SENCo",
         "I can confirm that I have received your letter explaining that my child {{ pupil.name }} "
         "({{ pupil.year }}) is on the SEN register."],
        SIGNED,
    )
    base.save_deterministic(doc, path)


def build_sen_register_pl(path: Path) -> None:
    """The SEN register letter in Polish: a sample translated variant. The
    wording avoids gendered forms by speaking of 'Państwa dziecko' (your child);
    the reply slip is in Polish and English so the school can read it."""
    doc = letter_document("Pismo: wpisanie dziecka do rejestru SEN",
                          "Poufne / Private and confidential – {{ pupil.name }} – {{ school.name }}")
    address_block(doc, "{{ today }}", "Poufne / Private and confidential")
    para(doc, "Szanowni Państwo,", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): rejestr specjalnych potrzeb edukacyjnych (SEN register)",
         bold=True)
    para(doc, "Z rozmów z pracownikami szkoły, którzy pracują z Państwa dzieckiem, wynika, że {{ pupil.forename }} "
              "ma trudności z osiąganiem oczekiwanych postępów w nauce.")
    para(doc, "{%p if pupil.sen_status == 'E' %}")
    para(doc, "Państwa dziecko ma plan edukacji, zdrowia i opieki (Education, Health and Care plan, EHC plan), "
              "dlatego wpisujemy je do szkolnego rejestru uczniów ze specjalnymi potrzebami edukacyjnymi (Special "
              "Educational Needs register). Szkoła zapewni wsparcie opisane w planie, a dla dziecka zostanie "
              "przygotowany Indywidualny Plan Edukacyjny (Individual Education Plan, IEP) z celami na ten semestr, "
              "które prowadzą do rezultatów zapisanych w planie EHC. Sam plan EHC jest omawiany z Państwem co "
              "najmniej raz w roku, podczas przeglądu rocznego (annual review).")
    para(doc, "{%p else %}")
    para(doc, "Aby wspierać Państwa dziecko, wpisujemy je do szkolnego rejestru uczniów ze specjalnymi potrzebami "
              "edukacyjnymi (Special Educational Needs register). Oznacza to, że dziecko otrzyma wsparcie dodatkowe "
              "lub inne niż to, które otrzymuje większość dzieci w tym samym wieku (SEN support). W ramach tego "
              "procesu dla dziecka zostanie przygotowany Indywidualny Plan Edukacyjny (Individual Education Plan, "
              "IEP) z celami, nad którymi będzie pracować.")
    para(doc, "{%p endif %}")
    para(doc, "Chcielibyśmy zaangażować Państwa we wspólną pracę, aby pomóc dziecku w osiągnięciu tych celów. "
              "Cele są opisane w załączonej kopii IEP.")
    para(doc, "Będą Państwo mieli okazję porozmawiać o tych celach z wychowawcą klasy podczas zebrań z rodzicami "
              "(Parent Consultation meetings), ale zapraszamy do kontaktu ze szkołą w dowolnym momencie, aby "
              "omówić, jak najlepiej wspierać dziecko. Może to być spotkanie z wychowawcą klasy i ze mną.")
    para(doc, "Dziękujemy za Państwa wsparcie.")
    sign_off(doc, "Z wyrazami szacunku", "Zał. Indywidualny Plan Edukacyjny (IEP)")
    reply_slip(
        doc,
        "Proszę odciąć ten formularz i oddać go w sekretariacie szkoły / Please cut off this slip and return it "
        "to the school office",
        ["Do / To: {{ school.senco }}, SENCo",
         "Potwierdzam, że otrzymałem/otrzymałam pismo informujące, że moje dziecko {{ pupil.name }} "
         "({{ pupil.year }}) jest wpisane do rejestru SEN. / I confirm that I have received your letter "
         "explaining that my child is on the SEN register."],
        "Podpis / Signed: ____________________   Imię i nazwisko / Name: ____________________   "
        "Data / Date: ________",
    )
    base.save_deterministic(doc, path)


def build_iep_cover(path: Path) -> None:
    """The termly IEP copy home, with the IEP's 'Parents can support by'."""
    doc = letter_document("Letter: your child's IEP", FOOTER)
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): Individual Education Plan for {{ term.name }}", bold=True)
    para(doc, "Please find enclosed a copy of {{ pupil.forename }}'s Individual Education Plan (IEP) for "
              "{{ term.name }}. The IEP sets out {{ pupil.their }} targets for this term, what we will do in school "
              "to help {{ pupil.them }} reach them, and how we will know {{ pupil.they_have }} achieved them."
              "{% if pupil.sen_status == 'E' %} The targets are this term's steps towards the outcomes in "
              "{{ pupil.their }} Education, Health and Care (EHC) plan.{% endif %}")
    para(doc, "{{ pupil.They_are }} working on these targets from {{ iep.start_date }}, and we will review them "
              "together with you by {{ iep.review_date }}.")
    para(doc, "You can help at home too. On the IEP, under \u201cParents can support by\u201d, we have written:",
         keep=True)
    box = base.new_table(doc, 1, [base.usable_width(doc)])
    write(base.tight(box.rows[0].cells[0].paragraphs[0]), "{{ pupil.parents_can_support }}", italic=True)
    base.shade(box.rows[0].cells[0], base.LABEL_FILL)
    base.cant_split(box.rows[0])
    base.min_height(box.rows[0], Cm(1.4))
    para(doc, "", after=0)
    para(doc, "If you have any questions about the IEP, please speak to the class teacher, or contact me through "
              "the school office on {{ school.phone }}. You are always welcome to come in and talk about how "
              "{{ pupil.forename }} is getting on.")
    para(doc, "Thank you for your support.")
    sign_off(doc, "Yours sincerely", "Enc. Individual Education Plan (IEP)")
    base.save_deterministic(doc, path)


def build_review_invite(path: Path) -> None:
    """The termly review meeting: SEN support's (Code of Practice 6.65: at least
    three a year), or, for a pupil with an EHC plan, the termly IEP review that is
    not the plan's annual review."""
    doc = letter_document("Letter: review meeting", FOOTER)
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): {% if pupil.sen_status == 'E' %}IEP review meeting"
              "{% else %}SEN support review meeting{% endif %}", bold=True)
    para(doc, "{%p if pupil.sen_status == 'E' %}")
    para(doc, "We meet parents and carers each term to review {{ pupil.forename }}'s progress against the targets "
              "on {{ pupil.their }} Individual Education Plan (IEP), the steps towards the outcomes in "
              "{{ pupil.their }} Education, Health and Care (EHC) plan, to hear how you think "
              "{{ pupil.they_are }} getting on, and to agree the next steps together. This is not the annual "
              "review of the EHC plan, which we invite you to separately. We would like to invite you to a review "
              "meeting:", keep=True)
    para(doc, "{%p else %}")
    para(doc, "As part of {{ pupil.forename }}'s SEN support we meet parents and carers at least three times a "
              "year, to review {{ pupil.their }} progress against the targets on {{ pupil.their }} Individual "
              "Education Plan (IEP), to hear how you think {{ pupil.they_are }} getting on, and to agree the next "
              "steps together. We would like to invite you to a review meeting:", keep=True)
    para(doc, "{%p endif %}")
    details_table(doc, [
        ("Date", "{{ letter.meeting_date }}"),
        ("Time", "{{ letter.meeting_time }}"),
        ("With", "{{ letter.meeting_with }}"),
        ("Where", "{{ letter.meeting_place }}"),
    ])
    para(doc, "It helps if you think beforehand about what is going well at home and anything you are worried "
              "about. You are welcome to bring someone with you, and {{ pupil.forename }} is welcome to join part "
              "of the meeting if you would both like that.")
    para(doc, "If this time is not convenient, please contact the school office on {{ school.phone }} or at "
              "{{ school.email }} as soon as you can, and we will arrange another time.")
    sign_off(doc, "Yours sincerely", None)
    reply_slip(
        doc,
        "Please cut off this slip and return it to the school office",
        ["Review meeting for {{ pupil.name }} ({{ pupil.year }}) on {{ letter.meeting_date }} at "
         "{{ letter.meeting_time }}",
         "\u2610  I/We will come to the meeting.        \u2610  I/We cannot come: please contact me to arrange "
         "another time.",
         "Telephone: ______________________________"],
        SIGNED,
    )
    base.save_deterministic(doc, path)


def build_referral_consent(path: Path) -> None:
    """Consent before a referral to an outside agency (seed 003: 'Once parental permission ...')."""
    doc = letter_document("Letter: consent for a referral to an outside agency", FOOTER)
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): consent for a referral to {{ letter.agency }}", bold=True)
    para(doc, "We have been {% if pupil.sen_status == 'E' %}supporting {{ pupil.forename }} through the provision "
              "in {{ pupil.their }} Education, Health and Care (EHC) plan{% else %}working with "
              "{{ pupil.forename }} through SEN support{% endif %}, and we would now like to ask for advice from "
              "{{ letter.agency }}. Specialists can help us to understand {{ pupil.their }} needs and to plan the right "
              "support, in school and at home.")
    para(doc, "Before we make a referral we need your consent. If you agree, a specialist may observe "
              "{{ pupil.forename }} in class, work with {{ pupil.them }}, talk with you and with staff, and read "
              "the school's records of {{ pupil.their }} special educational needs. They will share their advice "
              "with you and with the school.")
    para(doc, "Please fill in the form below and return it to the school office. You can withdraw your consent at "
              "any time. If you would like to talk about the referral first, please contact me through the school "
              "office on {{ school.phone }}.")
    sign_off(doc, "Yours sincerely", None)
    reply_slip(
        doc,
        "Please cut off this form and return it to the school office",
        ["Consent for a referral: {{ pupil.name }} ({{ pupil.year }}), born {{ pupil.dob }}",
         "\u2610  I give consent for {{ pupil.forename }} to be referred to {{ letter.agency }}, and for the "
         "school to share information about {{ pupil.their }} special educational needs with them.",
         "\u2610  I do not give consent.",
         "I have parental responsibility for {{ pupil.forename }}."],
        SIGNED,
    )
    base.save_deterministic(doc, path)


def build_removed_from_register(path: Path) -> None:
    """The child no longer needs SEN support (a review decided so): what the
    school will keep doing, and who to contact (seed 003's letters' voice)."""
    doc = letter_document("Letter: no longer on the SEN register", FOOTER)
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): no longer on the SEN register", bold=True)
    para(doc, "I am pleased to tell you that {{ pupil.forename }} has made good progress with the extra support "
              "{{ pupil.they_have }} had. At {{ pupil.their }} last review we agreed that {{ pupil.forename }} no "
              "longer needs special educational needs (SEN) support, so {{ pupil.they_have }} been taken off the "
              "school's SEN register. {{ pupil.They }} will not have an Individual Education Plan (IEP) from now on.")
    para(doc, "What we will keep doing", bold=True, after=2, keep=True)
    bullets(doc, ("{{ pupil.forename }}'s class teacher will keep using the ways of working that have helped "
                  "{{ pupil.them }}, as part of the teaching every child in the class receives;",
                  "we will keep a close eye on {{ pupil.their }} progress, as we do for every pupil;",
                  "if we become concerned again, we will talk to you first, and {{ pupil.forename }} can have SEN "
                  "support again whenever it is needed."))
    para(doc, "", after=2)
    para(doc, "Who to contact", bold=True, after=2, keep=True)
    para(doc, "If you have any questions, or are worried about {{ pupil.forename }} at any time, please speak to "
              "{{ pupil.their }} class teacher, or contact me, {{ school.senco }}, the school's SENCo, through the "
              "school office on {{ school.phone }} or at {{ school.email }}.")
    para(doc, "Thank you for all your support.")
    sign_off(doc, "Yours sincerely", None)
    base.save_deterministic(doc, path)


def build_annual_review_invite(path: Path) -> None:
    """The annual review of an EHC plan (Code of Practice 9.166-9.176): at least two
    weeks' notice, who is invited, and the family's and child's views asked for."""
    doc = letter_document("Letter: annual review of an EHC plan", FOOTER)
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}): annual review of {{ pupil.their }} Education, Health and Care "
              "plan", bold=True)
    para(doc, "Each year we review {{ pupil.forename }}'s Education, Health and Care (EHC) plan together: what is "
              "going well, the progress {{ pupil.they_have }} made towards the outcomes in the plan, and whether "
              "the plan should change. You are warmly invited to the review meeting:", keep=True)
    details_table(doc, [
        ("Date", "{{ letter.meeting_date }}"),
        ("Time", "{{ letter.meeting_time }}"),
        ("Where", "{{ letter.meeting_place }}"),
        ("Invited", "{{ letter.invited }}"),
    ])
    para(doc, "Your views, and {{ pupil.forename }}'s, matter most. Please fill in the enclosed \u201cYour "
              "views\u201d, and help {{ pupil.forename }} with \u201cMy views\u201d ({{ pupil.they }} can draw "
              "or tell someone instead of writing). Please return them by {{ letter.advice_due }}, so that everyone "
              "can read them before the meeting; we will send you the advice we receive by then.")
    para(doc, "If this time is not convenient, or you would like an interpreter, please contact the school office "
              "on {{ school.phone }} or at {{ school.email }}.")
    sign_off(doc, "Yours sincerely", "Enc. \u201cYour views\u201d (parents and carers); \u201cMy views\u201d "
                                     "(for {{ pupil.forename }})")
    reply_slip(
        doc,
        "Please cut off this slip and return it to the school office",
        ["Annual review for {{ pupil.name }} ({{ pupil.year }}) on {{ letter.meeting_date }} at "
         "{{ letter.meeting_time }}",
         "\u2610  I/We will come.        \u2610  I/We cannot come: please contact me to arrange another time.",
         "{{ pupil.forename }} will come to:   \u2610 all of the meeting   \u2610 part of it   \u2610 none of it"],
        SIGNED,
    )
    base.save_deterministic(doc, path)


def build_advice_request(path: Path) -> None:
    """To each professional working with the child: advice for the annual review,
    due two weeks before the meeting so it can go to everyone (9.176)."""
    doc = letter_document("Letter: request for advice for an annual review",
                          "Private and confidential – {{ pupil.name }} – {{ school.name }}")
    address_block(doc, "{{ today_long }}", "Private and confidential")
    para(doc, "Dear {{ recipient.salutation }}", before=6)
    para(doc, "Request for advice: {{ pupil.name }}, born {{ pupil.dob }}: annual review of {{ pupil.their }} "
              "EHC plan", bold=True)
    para(doc, "{{ pupil.name }} ({{ pupil.year }}, {{ school.name }}) has an Education, Health and Care plan, "
              "which we review each year with {{ pupil.their }} family. As you work with {{ pupil.forename }} "
              "({{ recipient.service }}), we would be grateful for your advice and information for the review, "
              "and you are invited to the meeting:", keep=True)
    details_table(doc, [
        ("Date", "{{ letter.meeting_date }}"),
        ("Time", "{{ letter.meeting_time }}"),
        ("Where", "{{ letter.meeting_place }}"),
        ("Advice by", "{{ letter.advice_due }}"),
    ])
    para(doc, "Please send your advice by {{ letter.advice_due }}, covering:", keep=True)
    bullets(doc, ("{{ pupil.forename }}'s progress since the last review towards the outcomes in the plan;",
                  "{{ pupil.their }} needs now, and any change you have seen;",
                  "whether the outcomes and the provision in the plan are still right;",
                  "your recommendations for the next year."))
    para(doc, "", after=2)
    para(doc, "We will send everything we receive to {{ pupil.forename }}'s family and to everyone invited at least "
              "two weeks before the meeting (SEND Code of Practice 9.176), so advice that arrives later may not "
              "be read before it.")
    para(doc, "Please let us know whether you can come to the meeting, and send your advice to {{ school.email }} "
              "(marked confidential) or by post. If you have any questions, please contact me through the school "
              "office on {{ school.phone }}.")
    sign_off(doc, "Yours sincerely", None)
    base.save_deterministic(doc, path)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    builders = {
        "sen_register.docx": build_sen_register,
        "sen_register.pl.docx": build_sen_register_pl,
        "iep_cover.docx": build_iep_cover,
        "review_invite.docx": build_review_invite,
        "referral_consent.docx": build_referral_consent,
        "removed_from_register.docx": build_removed_from_register,
        "annual_review_invite.docx": build_annual_review_invite,
        "advice_request.docx": build_advice_request,
    }
    for name, build in builders.items():
        build(out / name)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
