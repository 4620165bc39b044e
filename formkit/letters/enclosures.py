"""The IEPs a letter encloses: finding each pupil's, and making sure it is theirs.

``formkit generate ieps`` writes DIR/<Year N>/<Surname>, <Forename> (<UPN>) -
IEP - <term>.docx. A letter that encloses the IEP looks there first, then for
the one file anywhere below DIR named with the pupil's UPN and the letter's term
(a school may have moved the files into class folders): another term's IEP never
goes into the envelope. Before an IEP goes into a family's envelope it must
pass the input guard and name the pupil in its text: a file saved over the
wrong pupil's IEP is caught here rather than posted.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from .. import guard
from ..documents import document_path
from ..errors import LetterError
from ..model import Pupil
from ..ooxml import DocxPackage, text_of


def iep_index(folder: Path) -> dict[str, list[Path]]:
    """UPN -> the IEP .docx files under ``folder`` named as 'formkit generate ieps'
    names them, of any term."""
    if not folder.is_dir():
        raise LetterError("folder not found; give the folder 'formkit generate ieps' wrote the IEPs into",
                          file=str(folder))
    index: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*- IEP*.docx")):
        m = _IEP_NAME.search(path.name)
        if m and not path.name.startswith(("~$", ".")):
            index.setdefault(m.group(1), []).append(path)
    return index


def find_iep(folder: Path, pupil: Pupil, index: dict[str, list[Path]], term: str) -> Path:
    """The pupil's IEP for ``term`` in ``folder``: where 'formkit generate ieps'
    puts it, else the one file anywhere below named with their UPN and that term.
    It must be a real .docx that names the pupil. Raises LetterError (or
    InputFileError) saying why not."""
    expected = document_path(folder, pupil, "IEP", term)
    tail = expected.name[expected.name.index(f"({pupil.upn})"):]
    candidates = index.get(pupil.upn, [])
    found = [expected] if expected.is_file() else [p for p in candidates if p.name.endswith(tail)]
    if not found:
        others = sorted({_term_of(p) for p in candidates})
        held = f"; the folder has this pupil's IEP for {', '.join(others)} only" if others else ""
        raise LetterError(f"no {term} IEP for this pupil in {folder} (expected {expected.relative_to(folder)}){held};"
                          f" run 'formkit generate ieps --term \"{term}\"' into that folder first", pupil=pupil.label)
    if len(found) > 1:
        listed = "; ".join(str(p.relative_to(folder)) for p in found)
        raise LetterError(f"{len(found)} {term} IEPs for this pupil in {folder} ({listed}); keep one",
                          pupil=pupil.label)
    path = found[0]
    guard.check_file(path, "docx")
    package = DocxPackage.open(path)
    text = _folded(" ".join(html.unescape(text_of(package.raw_xml(n)))
                            for n in [package.document, *package.headers_footers]))
    names = {pupil.name, f"{pupil.legal_forename} {pupil.legal_surname}", pupil.upn}
    if not any(_folded(n) in text for n in names):
        raise LetterError(f"{path} does not name {pupil.name}; check it is this pupil's IEP before it is sent",
                          pupil=pupil.label)
    return path


_IEP_NAME = re.compile(r"\(([A-Z]\d{11}[0-9A-Z])\) - IEP(?: - (.+))?\.docx$")


def _term_of(path: Path) -> str:
    m = _IEP_NAME.search(path.name)
    return m.group(2) if m and m.group(2) else "no term (named before IEPs carried their term)"


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


__all__ = ["find_iep", "iep_index"]
