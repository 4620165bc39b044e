"""The IEPs a letter encloses: finding each pupil's, and making sure it is theirs.

``formkit generate ieps`` writes DIR/<Year N>/<Surname>, <Forename> (<UPN>) -
IEP.docx. A letter that encloses the IEP looks there first, then for the one
file anywhere below DIR named with the pupil's UPN (a school may have moved the
files into class folders). Before an IEP goes into a family's envelope it must
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
    """UPN -> the IEP .docx files under ``folder`` named as 'formkit generate ieps' names them."""
    if not folder.is_dir():
        raise LetterError("folder not found; give the folder 'formkit generate ieps' wrote the IEPs into",
                          file=str(folder))
    index: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*- IEP.docx")):
        m = re.search(r"\(([A-Z]\d{11}[0-9A-Z])\) - IEP\.docx$", path.name)
        if m and not path.name.startswith(("~$", ".")):
            index.setdefault(m.group(1), []).append(path)
    return index


def find_iep(folder: Path, pupil: Pupil, index: dict[str, list[Path]]) -> Path:
    """The pupil's IEP in ``folder``: where 'formkit generate ieps' puts it, else
    the one file anywhere below named with their UPN. It must be a real .docx
    that names the pupil. Raises LetterError (or InputFileError) saying why not."""
    expected = document_path(folder, pupil, "IEP")
    found = [expected] if expected.is_file() else index.get(pupil.upn, [])
    if not found:
        raise LetterError(f"no IEP for this pupil in {folder} (expected {expected.relative_to(folder)}); run "
                          "'formkit generate ieps' into that folder first", pupil=pupil.label)
    if len(found) > 1:
        listed = "; ".join(str(p.relative_to(folder)) for p in found)
        raise LetterError(f"{len(found)} IEPs for this pupil in {folder} ({listed}); keep one", pupil=pupil.label)
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


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


__all__ = ["find_iep", "iep_index"]
