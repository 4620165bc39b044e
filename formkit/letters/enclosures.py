"""The IEPs a letter encloses: finding each pupil's, and proving it is theirs.

``formkit generate ieps`` writes DIR/<Year N>/<Surname>, <Forename> (<UPN>) -
IEP - <term>.docx. A letter that encloses the IEP looks there first, then for
the one file anywhere below DIR named with the pupil's UPN and the letter's term
(a school may have moved the files into class folders): another term's IEP never
goes into the envelope.

A file's name proves nothing (an IEP saved over another pupil's file keeps the
name), and neither does a name found in its text ("Ann Lee" is inside "Joann
Leeds", and an IEP may mention a classmate). Before an IEP goes into a family's
envelope it must pass the input guard and prove whose it is, by one of:

- the custom document properties formkit writes into every pupil's document
  ("formkit UPN" and "formkit term"; Word and LibreOffice keep them when the
  IEP is edited): the pupil's UPN, and the letter's term when it is given;
- its sha256 in DIR/manifest.csv against this pupil's UPN (an IEP formkit wrote
  before documents carried the properties, unchanged since);
- for an IEP the school made by hand, a Name field that is exactly the pupil's
  name (preferred or legal, whole, never a part) and a date of birth field that
  is their date of birth: a table cell labelled "Name" or "DOB" (or "Date of
  birth", "Pupil name", ...) and the cell beside or below it, or a paragraph
  "Name: ...".

Anything that contradicts (another pupil's UPN property, another term's, a Name
or DOB field that is not this pupil's) refuses the IEP even when something else
matches. A refused IEP fails its pupil's letter with the reason; the run names
the pupil and exits 1.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import guard
from ..documents import TERM_PROPERTY, UPN_PROPERTY, document_path
from ..errors import IdentityError, LetterError
from ..files import sha256
from ..model import Pupil
from ..ooxml import DocxPackage, Layout, read_layouts
from ..register import parse_date

MANIFEST = "manifest.csv"
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
NAME_LABELS = {"name", "pupil name", "pupil's name", "child's name", "childs name", "student name", "name of pupil",
               "name of child", "full name", "pupil"}
DOB_LABELS = {"dob", "d.o.b", "d.o.b.", "date of birth", "birth date", "birthday"}


@dataclass
class IepIndex:
    """The IEPs below a folder: UPN -> the files named as 'formkit generate ieps'
    names them (any term), and the folder's manifest (file -> (UPN, sha256))."""

    folder: Path
    files: dict[str, list[Path]] = field(default_factory=dict)
    manifest: dict[Path, tuple[str, str]] = field(default_factory=dict)


def iep_index(folder: Path) -> IepIndex:
    """The IEP .docx files under ``folder`` named as 'formkit generate ieps'
    names them, of any term, and what DIR/manifest.csv says formkit wrote. A
    manifest that cannot be read is no proof, not an error."""
    if not folder.is_dir():
        raise LetterError("folder not found; give the folder 'formkit generate ieps' wrote the IEPs into",
                          file=str(folder))
    index = IepIndex(folder, manifest=_read_manifest(folder / MANIFEST))
    for path in sorted(folder.rglob("*- IEP*.docx")):
        m = _IEP_NAME.search(path.name)
        if m and not path.name.startswith(("~$", ".")):
            index.files.setdefault(m.group(1), []).append(path)
    return index


def find_iep(folder: Path, pupil: Pupil, index: IepIndex, term: str) -> Path:
    """The pupil's IEP for ``term`` in ``folder``: where 'formkit generate ieps'
    puts it, else the one file anywhere below named with their UPN and that term.
    It must be a real .docx that proves it is this pupil's (see the module's
    docstring). Raises LetterError (or InputFileError) saying why not."""
    expected = document_path(folder, pupil, "IEP", term)
    tail = expected.name[expected.name.index(f"({pupil.upn})"):]
    candidates = index.files.get(pupil.upn, [])
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
    prove_iep(path, pupil, term, index.manifest)
    return path


def prove_iep(path: Path, pupil: Pupil, term: str | None = None,
              manifest: dict[Path, tuple[str, str]] | None = None) -> None:
    """Raise IdentityError unless ``path`` proves it is ``pupil``'s IEP (for
    ``term``, when given) and nothing in it says otherwise; InputFileError when
    it is not a usable .docx. ``manifest`` is :attr:`IepIndex.manifest`."""
    guard.check_file(path, "docx")
    package = DocxPackage.open(path)
    properties = package.custom_properties()
    fields = _identity_fields(read_layouts(path))
    refuse = _refusal(path, pupil)
    upn = properties.get(UPN_PROPERTY, "")
    if upn and upn != pupil.upn:
        raise refuse(f"formkit wrote it for another pupil (its '{UPN_PROPERTY}' property is not {pupil.upn})")
    made_for = properties.get(TERM_PROPERTY, "")
    if upn and made_for and term is not None and _folded(made_for) != _folded(term):
        raise refuse(f"formkit wrote it for {made_for}, not {term}")
    names = {_folded(n) for n in (pupil.name, f"{pupil.legal_forename} {pupil.legal_surname}",
                                  f"{pupil.surname}, {pupil.forename}", f"{pupil.legal_surname}, {pupil.legal_forename}")}
    wrong_names = [v for v in fields.names if _folded(v) not in names]
    if wrong_names:
        raise refuse(f"its Name field says '{wrong_names[0]}', not {pupil.name}")
    wrong_dobs = [v for v in fields.dobs if _as_date(v) != pupil.dob]
    if wrong_dobs:
        raise refuse(f"its date of birth field says '{wrong_dobs[0]}', not {pupil.dob:%d/%m/%Y}")
    if upn:
        return
    listed = (manifest or {}).get(path.resolve())
    if listed is not None and listed[0] == pupil.upn and listed[1] == sha256(path.read_bytes()):
        return
    if fields.names and fields.dobs:
        return
    raise refuse(f"nothing in it proves whose it is: it has no '{UPN_PROPERTY}' property, is not as formkit wrote it "
                 f"for this pupil, and has no Name and date of birth fields giving {pupil.name} and "
                 f"{pupil.dob:%d/%m/%Y}")


def _refusal(path: Path, pupil: Pupil):
    def refuse(why: str) -> IdentityError:
        return IdentityError(f"{path} is not provably {pupil.name}'s IEP: {why}. It is left out; put this pupil's own "
                             f"IEP there (formkit generate ieps --only {pupil.upn} --overwrite remakes it)",
                             pupil=pupil.label)
    return refuse


@dataclass
class _Fields:
    names: list[str] = field(default_factory=list)
    dobs: list[str] = field(default_factory=list)


def _identity_fields(layouts: list[Layout]) -> _Fields:
    """The values of the Name and date of birth fields: beside a label cell (or
    below it, when the cell beside is another label or absent), after 'Label:'
    in a cell or paragraph. A label with no value gives nothing."""
    found = _Fields()

    def add(label: str, value: str) -> None:
        key, value = _label(label), re.sub(r"\s+", " ", value).strip()
        if not value:
            return
        if key in NAME_LABELS:
            found.names.append(value)
        elif key in DOB_LABELS:
            found.dobs.append(value)

    def inline(text: str) -> bool:
        label, colon, value = text.partition(":")
        if colon and _label(label) in NAME_LABELS | DOB_LABELS:
            add(label, value)
            return True
        return False

    for layout in layouts:
        for rows in layout.tables:
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    if inline(cell.text) or _label(cell.text) not in NAME_LABELS | DOB_LABELS:
                        continue
                    beside = row[c + 1].text if c + 1 < len(row) else ""
                    if beside and _label(beside) not in NAME_LABELS | DOB_LABELS:
                        add(cell.text, beside)
                    elif r + 1 < len(rows):
                        below = [x for x in rows[r + 1] if x.col == cell.col]
                        if below:
                            add(cell.text, below[0].text)
        for paragraph in layout.paragraphs:
            inline(paragraph)
    return found


def _label(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().rstrip(":").strip().casefold()


def _as_date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        pass
    for shape in ("%d %B %Y", "%d %b %Y", "%A %d %B %Y"):
        try:
            return datetime.strptime(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text), shape).date()
        except ValueError:
            continue
    return None


def _read_manifest(path: Path) -> dict[Path, tuple[str, str]]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return {}
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        return {(path.parent / row["file"]).resolve(): (row["upn"], row["sha256"])
                for row in rows if row.get("file") and row.get("upn") and row.get("sha256")}
    except (OSError, UnicodeDecodeError, csv.Error, KeyError, ValueError):
        return {}


_IEP_NAME = re.compile(r"\(([A-Z]\d{11}[0-9A-Z])\) - IEP(?: - (.+))?\.docx$")


def _term_of(path: Path) -> str:
    m = _IEP_NAME.search(path.name)
    return m.group(2) if m and m.group(2) else "no term (named before IEPs carried their term)"


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


__all__ = ["IepIndex", "find_iep", "iep_index", "prove_iep"]
