"""Trim the styles of formkit's shipped Word templates to the ones they use.

    python scripts/trim_template_styles.py [FOLDER]

python-docx's blank document carries 164 styles, and every template built from
it did too, though a letter uses about 15: LibreOffice reads and lays out every
style of every document it opens, so the unused ones cost time on every PDF.
This rewrites each .docx under FOLDER (default: templates/docx) in place with
only the styles it uses, the styles they are based on, linked to or followed
by, and the defaults (``formkit.ooxml.styles.trim_styles``); every other part is
kept byte for byte, so the templates open and edit in Word and LibreOffice as
before. The build scripts trim what they build the same way
(``build_templates.save_deterministic``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from formkit.ooxml.styles import trim_styles, unused_styles

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else REPO / "templates" / "docx"
    for path in sorted(folder.rglob("*.docx")):
        data = path.read_bytes()
        unused = unused_styles(data)
        if unused:
            path.write_bytes(trim_styles(data))
            print(f"{path.relative_to(folder)}: {len(unused)} unused styles removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
