"""Build formkit's templates for one-page profiles and EHC paperwork with python-docx.

    python scripts/build_ehc_templates.py [OUTDIR]

writes into OUTDIR (default: templates/docx in the repository):

- ``one_page_profile.docx``: the pupil's one-page profile (seed 000): name, a
  box for a photo, "What people like and admire about me", "What is important
  to me" and "How best to support me", one bullet per line of the Profiles
  sheet's cell.

The output is deterministic (scripts/build_templates.py's fixed timestamps), so
the built files can be kept in the repository and rebuilt after a change here.
Tags are plain field names from formkit/documents/context.py and
formkit/ehc/profiles.py (docs/templates.md and docs/ehc.md list them), each in
a run of its own; bullet lists loop ``{%p for line in profile.admire_lines %}``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
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


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    builders = {
        "one_page_profile.docx": build_one_page_profile,
    }
    for name, build in builders.items():
        build(out / name)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
