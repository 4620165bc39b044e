"""Batch generation: one Word document per pupil, from one compiled template.

The batch never stops for one pupil's problem: that pupil is named with the
reason, the others are written, and the report says it failed. Files are written
whole or not at all, named with the pupil, the kind and the term
(:func:`document_path`), existing files are kept unless ``overwrite``, and
DIR/manifest.csv records every pupil of the run with the file's sha256, merged
with the rows of earlier runs whose files are still there (:mod:`.manifest`).

A run streams: each pupil's context is built just before the document is
written (and, with ``--jobs``, only a few chunks ahead of the workers), so memory
beyond the register stays flat however many pupils there are.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..errors import FormkitError, RegisterError, TemplateError
from ..files import atomic_write, inside, private_dir, sha256, sweep_temporaries
from ..model import Pupil
from ..register import Register
from ..resources import find_template, template_names
from ..settings import Settings
from .context import BLANK_TARGET_ROWS, build_context
from .manifest import merge_csv
from .template import CompiledTemplate, missing_fields

Status = Literal["written", "kept", "failed"]
log = logging.getLogger("formkit")
MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class DocumentResult:
    """What happened to one pupil's document. ``file`` is relative to the output
    folder; it is None when nothing could be made."""

    upn: str
    name: str
    status: Status
    file: str | None = None
    sha256: str = ""
    reason: str = ""


@dataclass
class BatchReport:
    """The outcome of a run: one result per pupil, warnings, and where it went."""

    out: Path
    template: str
    term: str
    results: list[DocumentResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.out / MANIFEST

    def write_manifest(self) -> None:
        """This run's rows merged into DIR/manifest.csv, which keeps describing
        the files earlier runs wrote there (:func:`formkit.documents.manifest.merge_csv`)."""
        merge_csv(self.manifest, ["upn", "name", "file", "sha256", "status", "detail"],
                  ([r.upn, r.name, r.file or "", r.sha256, r.status, r.reason] for r in self.results))

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[DocumentResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed


def resolve_template(name: str | Path, settings: Settings | None = None) -> Path:
    """A template given by path, or by name: the workspace's templates/NAME.docx
    first (the school's edited copy), then the bundled one; then the same for
    letters (templates/letters/NAME.docx) and the EHC evidence pack's parts
    (templates/ehc/NAME.docx)."""
    path = Path(name)
    if path.suffix.lower() == ".docx" or path.exists() or len(path.parts) > 1:
        if not path.exists():
            raise TemplateError("template not found; check the path", template=str(path))
        return path
    workspace = settings.workspace if settings is not None else None
    found = (find_template(str(name), workspace) or find_template(str(name), workspace, "letters")
             or find_template(str(name), workspace, "ehc"))
    if found is not None:
        return found
    known = ", ".join(template_names())
    raise TemplateError(f"there is no template called '{name}'; the bundled ones are: {known}, or give a path to a .docx")


def document_stem(pupil: Pupil, kind: str, term: str | None = None) -> str:
    """'<Surname>, <Forename> (<UPN>) - <kind> - <term>': the name of a pupil's
    document without its extension. The term is left out only for documents that
    belong to no term (a one-page profile); docs/decisions.md gives the scheme."""
    stem = f"{pupil.surname}, {pupil.forename} ({pupil.upn}) - {kind}"
    return f"{stem} - {term}" if term else stem


def document_path(out: Path, pupil: Pupil, kind: str, term: str | None = None, *, suffix: str = ".docx") -> Path:
    """DIR/<Year N>/<Surname>, <Forename> (<UPN>) - <kind> - <term>.docx, kept
    inside DIR. Two documents share a path exactly when they are of the same
    pupil, kind and term, which is what "kept" means in a run."""
    return inside(out, pupil.year_label, f"{document_stem(pupil, kind, term)}{suffix}")


def select_pupils(register: Register, only: Sequence[str] = ()) -> list[Pupil]:
    """The pupils on the SEN register (K or E), or just those named by UPN in
    ``only``. A UPN that is not on the register is an error naming it."""
    pupils = register.on_register()
    if not pupils and not register.unreadable_rows:
        raise RegisterError(
            "no pupil on it has SEN status K (SEN support) or E (EHC plan), so there is no IEP to write; "
            "check the SEN Status column",
            file=register.file,
        )
    if not only:
        return pupils
    chosen = register.pupils_named(only)
    for pupil in chosen:
        if not pupil.on_register:
            raise RegisterError(
                f"{pupil.label} has SEN status {pupil.sen_status.value}, so is not on the SEN register; no IEP is made",
                file=register.file,
            )
    return chosen


def generate(
    register: Register,
    settings: Settings,
    out: Path,
    *,
    template: str | Path = "iep",
    kind: str = "IEP",
    only: Sequence[str] = (),
    jobs: int = 1,
    overwrite: bool = False,
    term: str | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Write one document per pupil on the register into ``out``.

    Raises FormkitError before writing anything when the template, term or
    ``only`` list is wrong; problems with single pupils go into the report.
    """
    settings.check_details()
    today = today or date.today()
    chosen_term = settings.term(term, today)
    path = resolve_template(template, settings)
    compiled = CompiledTemplate(path)
    pupils = select_pupils(register, only)
    if pupils:
        preflight(compiled, build_context(pupils[0], settings.school, chosen_term, today), pupils[0].label)
    _clear_stale_temporaries(out)
    private_dir(out)
    report = BatchReport(out=out, template=path.name, term=chosen_term.name)
    report.results.extend(unreadable_results(register, only))
    report.warnings.extend(register.run_warnings(contacts=False, only=pupils if only else None))
    warned = {p.pupil for p in register.problems if p.topic == "targets"}
    for pupil in pupils:
        if not pupil.targets and pupil.label not in warned:
            report.warnings.append(f"{pupil.label} has no targets yet: the {kind} has {BLANK_TARGET_ROWS} blank target rows to fill in")

    def tasks() -> Iterator[tuple[Any, ...]]:  # each context built as its document's turn comes
        for pupil in pupils:
            dest = document_path(out, pupil, kind, chosen_term.name)
            context = build_context(pupil, settings.school, chosen_term, today)
            yield (pupil.upn, pupil.name, pupil.label, context, str(dest), str(out), overwrite)

    report.results.extend(_run(compiled, path, tasks(), jobs, progress, len(pupils)))
    log.info("%s: %d written, %d kept, %d failed, with %s", out, report.count("written"), report.count("kept"),
             len(report.failed), path.name)
    for result in report.results:
        log.debug("%s: %s %s", result.status, result.file or "-", result.reason)
    report.write_manifest()
    return report


def preflight(compiled: CompiledTemplate, context: dict[str, Any], label: str) -> None:
    """Render one document in memory before anything is written, so that a broken
    or unsafe template, or a field no pupil's data supplies, stops the run with
    nothing written. A failure that depends on this pupil's data alone is left
    for the batch to report."""
    static_gaps = missing_fields(compiled.fields(), context)
    try:
        compiled.render(context, pupil=label)
    except TemplateError as exc:
        if exc.fatal or static_gaps:
            raise
    if static_gaps:
        raise TemplateError(
            f"asks for {', '.join(static_gaps)}, which formkit's data does not supply; "
            "check the spelling against docs/templates.md",
            template=compiled.name,
        )


def _clear_stale_temporaries(out: Path) -> None:
    """Remove half-written files left by an interrupted run (never anything else,
    nor another live run's)."""
    if out.is_dir():
        sweep_temporaries(out, recursive=True)


def unreadable_results(register: Register, only: Sequence[str]) -> list[DocumentResult]:
    """A failed result for each register row that could not be read at all."""
    failed: dict[Any, DocumentResult] = {}
    wanted = {u.strip().upper() for u in only}
    for problem in register.unreadable_rows:
        key = (problem.file, problem.row)
        if key in failed:
            continue
        upn = (problem.pupil or "").rsplit("(", 1)[-1].rstrip(")") if problem.pupil and "(" in problem.pupil else ""
        if wanted and upn not in wanted:
            continue
        name = problem.pupil or f"row {problem.row} of {problem.file}"
        failed[key] = DocumentResult(upn=upn, name=name, status="failed", reason=str(problem))
    return list(failed.values())


_WORKER: CompiledTemplate | None = None


def _init_worker(path: str) -> None:
    global _WORKER
    if _WORKER is None or str(_WORKER.path) != path:
        _WORKER = CompiledTemplate(path)


def _render_chunk(tasks: list[tuple[Any, ...]]) -> list[DocumentResult]:
    assert _WORKER is not None
    return [render_one(_WORKER, task) for task in tasks]


def render_one(compiled: CompiledTemplate, task: tuple[Any, ...]) -> DocumentResult:
    """Render and write one document. ``task`` is (upn, name, pupil label,
    context, destination, output folder, overwrite). An existing file is kept
    unless overwrite; a pupil's data problem is a failed result; a fatal template
    error is raised, to stop the batch."""
    upn, name, label, context, dest_text, out_text, overwrite = task
    dest = Path(dest_text)
    rel = dest.relative_to(out_text).as_posix()
    remade = ""
    try:
        if dest.exists() and not overwrite:
            if dest.stat().st_size:
                return DocumentResult(upn, name, "kept", rel, sha256(dest.read_bytes()),
                                      "already there; --overwrite replaces it")
            remade = "replaced an empty file left by an interrupted run"
    except OSError as exc:
        return DocumentResult(upn, name, "failed", None, "",
                              f"{rel}: is already there but cannot be read ({exc.strerror}); check its permissions")
    try:
        data = compiled.render(context, pupil=label)
        private_dir(dest.parent)
        atomic_write(dest, data, durable=False)
    except TemplateError as exc:
        if exc.fatal:
            raise
        return DocumentResult(upn, name, "failed", None, "", str(exc))
    except FormkitError as exc:
        return DocumentResult(upn, name, "failed", None, "", str(exc))
    except OSError as exc:
        return DocumentResult(upn, name, "failed", None, "", f"{rel}: cannot write ({exc.strerror})")
    return DocumentResult(upn, name, "written", rel, sha256(data), remade)


def _run(
    compiled: CompiledTemplate,
    path: Path,
    tasks: Iterable[tuple[Any, ...]],
    jobs: int,
    progress: Callable[[int], None] | None,
    total: int,
) -> list[DocumentResult]:
    """Each task's result, in order. ``tasks`` is consumed as documents are
    written: with several workers, at most two chunks per worker are waiting,
    so only their contexts are in memory."""
    jobs = max(1, min(jobs, total, os.cpu_count() or 1))
    results: list[DocumentResult] = []
    if jobs == 1:
        for task in tasks:
            results.append(render_one(compiled, task))
            if progress:
                progress(1)
        return results
    global _WORKER
    _WORKER = compiled
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunk = max(1, min(64, total // (jobs * 4) or 1))
    waiting: deque[Future[list[DocumentResult]]] = deque()

    def collect() -> None:
        done = waiting.popleft().result()
        results.extend(done)
        if progress:
            progress(len(done))

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_init_worker, initargs=(str(path),)) as pool:
        stream = iter(tasks)
        while batch := list(islice(stream, chunk)):
            waiting.append(pool.submit(_render_chunk, batch))
            if len(waiting) >= 2 * jobs:
                collect()
        while waiting:
            collect()
    return results


def write_batch(compiled: CompiledTemplate, tasks: Sequence[tuple[Any, ...]], report: BatchReport,
                progress: Callable[[int], None] | None = None) -> BatchReport:
    """Write a job's documents (profiles, reports ...) into ``report.out``: the
    first task is rendered in memory first (:func:`preflight`), so a broken
    template writes nothing; then each task (as :func:`render_one` takes it) is
    written, its result added to ``report``, and the manifest written."""
    if tasks:
        preflight(compiled, tasks[0][3], tasks[0][2])
    private_dir(report.out)
    for task in tasks:
        report.results.append(render_one(compiled, task))
        if progress:
            progress(1)
    report.write_manifest()
    return report
