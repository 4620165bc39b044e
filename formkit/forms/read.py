"""Reading returned forms: files and folders of .docx, .pdf and .xlsx into records.

:func:`read_forms` reads every file it is given (folders are searched, sorted by
name) and reports each one: **read**, **read with warnings** (each naming the
field and the problem) or **rejected** (why). One bad file never stops the rest,
and a user's file never causes a traceback. System files in folders (``.DS_Store``,
``Thumbs.db``, Word's ``~$`` lock files) and the lists formkit writes beside
the documents it makes (``manifest.csv``, ``mailing.csv``), so that a folder of
forms formkit wrote can be read back whole, are listed as ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from .. import guard
from ..errors import FormkitError, InputFileError, Problem
from ..register import Register
from ..settings import Settings
from ..ooxml import DocxFile, read_layouts
from .choices import read_choice_words, unanswered_choices
from .docx_form import detect_kind, read_docx
from .fields import KINDS, FormsConfig, form_def
from .record import FormRecord, PupilIndex, RawForm, build_record

Status = Literal["read", "read with warnings", "rejected"]
SUFFIXES = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".xlsx": "xlsx", ".xlsm": "xlsx"}
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}
FORMKIT_LISTS = {"manifest.csv", "mailing.csv"}
"""The lists formkit writes into a folder of documents: never forms, so a
folder search passes over them (a file named on its own is still read, and
rejected as no form)."""


@dataclass
class FileOutcome:
    """What happened to one input file."""

    file: str
    status: Status
    kind: str = ""
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    reason: str = ""
    pupils: list[str] = field(default_factory=list)

    def text(self) -> str:
        if self.status == "rejected":
            return f"Error: {self.file}: {self.reason}"
        who = ", ".join(self.pupils[:3]) + (f" and {len(self.pupils) - 3} more" if len(self.pupils) > 3 else "")
        head = f"{self.status}: {self.file} ({self.kind}, {who})"
        lines = [head]
        for problem in self.problems:
            where = ", ".join(p for p in (f"row {problem.row}" if problem.row else "",
                                          f"field '{problem.field}'" if problem.field else "") if p)
            lines.append(f"  {problem.severity}: {where + ': ' if where else ''}{problem.message}")
        return "\n".join(lines)


@dataclass
class ReadReport:
    """The records read and the outcome of every file, in the order read."""

    records: list[FormRecord] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def ok(self) -> bool:
        return not self.rejected

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status == status)

    def text(self) -> str:
        """One block per file, then 'N files: ... read, ... with warnings, ...
        rejected; N records.'"""
        lines = [f.text() for f in self.files]
        if self.ignored:
            lines.append(f"ignored (system files and formkit's lists): {', '.join(self.ignored)}")
        n = len(self.files)
        lines.append(f"{n} file{'s' if n != 1 else ''}: {self.count('read')} read, "
                     f"{self.count('read with warnings')} read with warnings, {self.count('rejected')} rejected; "
                     f"{len(self.records)} record{'s' if len(self.records) != 1 else ''}.")
        return "\n".join(lines)


_WHO = {"upn", "pupil_name", "child_name", "dob", "targets"}


def records_table(records: Sequence[FormRecord], *, rows: int = 20, columns: int = 4, width: int = 24) -> str:
    """A short table of what was read, one per kind: the pupil, then the
    ``columns`` fields most often filled in (in the form's order), one line a
    record, at most ``rows`` lines a kind; values cut at ``width`` characters
    (a target list shows its first target). Empty for no records."""
    blocks = []
    for kind in dict.fromkeys(r.kind for r in records):
        chosen = [r for r in records if r.kind == kind]
        shown = [[(label, value) for (label, value), name in zip(r.shown(), form_def(kind).record_fields)
                  if name not in _WHO] for r in chosen]
        filled = [sum(bool(row[i][1]) for row in shown) for i in range(len(shown[0]))]
        picked = sorted(sorted(range(len(filled)), key=lambda i: -filled[i])[:columns])
        picked = [i for i in picked if filled[i]]
        table = [["Pupil", *(shown[0][i][0] for i in picked)]]
        table += [[r.label(), *(row[i][1] for i in picked)] for r, row in zip(chosen[:rows], shown)]
        cut = [[_cut(cell.split("\n")[0], width + 16 if j == 0 else width) for j, cell in enumerate(line)]
               for line in table]
        sizes = [max(len(line[j]) for line in cut) for j in range(len(cut[0]))]
        lines = [f"{kind} ({len(chosen)}):"]
        lines += ["  " + "  ".join(cell.ljust(size) for cell, size in zip(line, sizes)).rstrip() for line in cut]
        if len(chosen) > rows:
            lines.append(f"  ... and {len(chosen) - rows} more")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def expand(paths: Iterable[Path | str]) -> tuple[list[Path], list[str]]:
    """The files to read (folders searched recursively, by name) and the system
    files ignored. A path that does not exist is kept, to be reported."""
    files: list[Path] = []
    ignored: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.append(path)
            continue
        for found in sorted(p for p in path.rglob("*") if p.is_file()):
            name = found.name
            if name.startswith((".", "~$")) or name.casefold() in SYSTEM_FILES | FORMKIT_LISTS:
                ignored.append(str(found))
            else:
                files.append(found)
    return files, ignored


def read_forms(
    paths: Sequence[Path | str],
    register: Register | None = None,
    kind: str = "auto",
    *,
    settings: Settings | None = None,
    config: FormsConfig | None = None,
    now: datetime | None = None,
    labels: Mapping[Path, str] | None = None,
) -> ReadReport:
    """Read returned forms into typed records.

    ``paths`` are files or folders; ``register`` (optional) matches pupils by
    UPN, else by name and date of birth; ``kind`` is 'auto' (from each form's
    title and labels) or one of referral, iep-review, impact. Ratings use the
    scales of ``config`` (default: from ``settings``' [forms], else the
    five-point impact scale and the seed 000 bands). Every record carries its
    source file name, sha256 and ``now`` (the import time). ``labels`` give the
    name to report and record for a file instead of its path (a file that was
    uploaded under another name); they are never used as paths.
    """
    if kind != "auto" and kind not in KINDS:
        raise InputFileError(f"--kind '{kind}' is not a form formkit knows; use auto, {', '.join(KINDS)}")
    config = config or FormsConfig.load(settings)
    now = now or datetime.now(timezone.utc)
    pupils = PupilIndex(register)
    files, ignored = expand(paths)
    report = ReadReport(ignored=ignored)
    for empty in _empty_folders(paths, files):
        report.files.append(FileOutcome(str(empty), "rejected", reason="the folder holds no files to read; put the"
                                        " returned forms (.docx, .pdf or .xlsx) in it"))
    for path in files:
        label = (labels or {}).get(path, str(path))
        outcome, records = _read_one(path, label, None if kind == "auto" else kind, pupils, config, now)
        report.files.append(outcome)
        report.records.extend(records)
    return report


def _empty_folders(paths: Sequence[Path | str], files: list[Path]) -> list[Path]:
    """The folders given that hold no file to read."""
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    return [f for f in folders if not any(f == file.parent or f in file.parents for file in files)]


def _read_one(path: Path, name: str, kind: str | None, pupils: PupilIndex, config: FormsConfig, now: datetime
              ) -> tuple[FileOutcome, list[FormRecord]]:
    try:
        if not path.exists():
            what = "file" if path.suffix.lower() in SUFFIXES else "file or folder"
            raise InputFileError(f"{what} not found; check the name and the folder", file=name)
        file_kind = SUFFIXES.get(path.suffix.lower())
        if file_kind is None:
            raise InputFileError("is not a form file formkit reads: give Word (.docx), PDF (.pdf) or Excel (.xlsx)"
                                 " files", file=name)
        if file_kind == "xlsx":
            guard.open_zip(path, "xlsx").close()  # refuse a zip bomb before openpyxl inflates anything
        if file_kind == "docx":
            package = DocxFile(path)  # the guard's checks, and the file read once: parts and hash
            raws, problems = _docx_forms(package, kind)
            data = package.data
        else:
            raws, problems = _raw_forms(path, file_kind, kind, config)  # each reader passes the file through the guard
            data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
    except FormkitError as exc:
        return FileOutcome(name, "rejected", reason=exc.message), []
    except OSError as exc:
        return FileOutcome(name, "rejected", reason=f"cannot be read ({exc.strerror or exc})"), []
    records: list[FormRecord] = []
    reasons: list[str] = []
    for raw in raws:
        record, found, why = build_record(raw, file=name, sha256=sha, pupils=pupils, config=config)
        problems.extend(found)
        if record is None:
            reasons.append(f"row {raw.row}: {why}" if raw.row else str(why))
            continue
        record.imported_at = now
        records.append(record)
    kind_shown = raws[0].kind if raws else (kind or "")
    if not records:
        reason = "; ".join(reasons) or "it holds no forms or rows to read"
        other = _other_kind(path, file_kind, kind)
        if other:
            reason = (f"is {_a(other)} form, not {_a(kind or '')} form; read it with --kind {other}, or"
                      " --kind auto")
        return FileOutcome(name, "rejected", kind_shown, reason=reason, problems=problems), []
    for why in reasons:
        problems.append(Problem("warning", f"not used: {why}", name))
    status: Status = "read with warnings" if problems else "read"
    return FileOutcome(name, status, kind_shown, len(records), problems, pupils=[r.label() for r in records]), records


_NAMES = {"referral": "a referral", "iep-review": "an IEP review", "impact": "an intervention impact",
          "parent-views": "a family's views", "pupil-views": "a child's views"}


def _a(kind: str) -> str:
    return _NAMES.get(kind, f"a {kind}")


def _other_kind(path: Path, file_kind: str, kind: str | None) -> str | None:
    """For a Word or PDF form read as ``kind`` that gave nothing: the kind its
    title and labels (or a PDF's field names) say it is, when that is another (a
    referral read with --kind impact)."""
    if kind is None or file_kind not in ("docx", "pdf"):
        return None
    try:
        if file_kind == "docx":
            found = detect_kind(read_layouts(path))
        else:
            from .pdf_form import read_pdf

            found = read_pdf(path).kind
    except FormkitError:
        return None
    return found if found not in (None, kind) else None


def _docx_forms(package: DocxFile, kind: str | None) -> tuple[list[RawForm], list[Problem]]:
    """A Word form read from its parts, parsed once: by tag, then (for what tags
    did not find) by label, then a choice answered in words."""
    layouts = read_layouts(package)
    raw = read_docx(package.source, kind, layouts=layouts)
    form = form_def(raw.kind)
    if not unanswered_choices(form, raw):
        return [raw], []
    found = read_choice_words(form, layouts, raw)
    return [raw], [Problem("warning", message, package.source, field=group) for group, message in found]


def _raw_forms(path: Path, file_kind: str, kind: str | None, config: FormsConfig
               ) -> tuple[list[RawForm], list[Problem]]:
    if file_kind == "pdf":
        from .pdf_form import read_pdf

        return [read_pdf(path, kind)], []
    if kind not in (None, "impact"):
        raise InputFileError(f"is a spreadsheet; formkit reads impact records from tracker sheets, not {kind} forms",
                             file=str(path))
    from .tracker import read_tracker

    return read_tracker(path)
