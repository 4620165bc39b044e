"""Word documents to PDF with LibreOffice, many documents per soffice process.

Starting soffice takes a second or more, so :func:`convert` hands each process a
batch of documents (never one process per document). It keeps each batch well
under the ~240 files beyond which soffice silently stops converting, gives every
concurrent process its own user profile (processes sharing a profile silently
lose files), stops a process that runs past its time limit, and checks that every
expected PDF exists and is a whole PDF. Documents missing after their batch are
tried once more in a fresh batch; any still missing are reported by name.

Inputs are linked or copied into a private work folder under simple numbered
names, so a pupil's name in a file name can never be read as an soffice option
and two documents with the same name in different folders cannot collide. The
work folder (with the profiles, whose recent-documents list would name pupils)
is deleted afterwards.

Every profile is made offline before soffice first starts: links to untrusted
places are blocked and all web traffic goes to a proxy that does not exist, so a
linked image or attached template in a document is never fetched (a URL could
carry a pupil's UPN), and macros never run.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConversionError, FormkitError
from ..files import atomic_write, private_dir

MAX_BATCH = 150
"""Documents per soffice call: well under the ~240 at which soffice silently stops."""
MIN_PER_WORKER = 8
"""A second soffice process is started only when it gets at least this many documents."""
SOFFICE_ENV = "FORMKIT_SOFFICE"
START_SECONDS = 90
SECONDS_PER_DOCUMENT = 10
_MARKED = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
"""The PDF filter with bookmarks exported as named destinations (JSON filter options: LibreOffice 7.4+)."""

_SETTING = '<item oor:path="/org.openoffice.{0}"><prop oor:name="{1}" oor:op="fuse"><value>{2}</value></prop></item>'
_OFFLINE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "\n".join(_SETTING.format(*item) for item in [
        ("Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
        ("Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
        ("Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
        *(("Inet/Settings", key, value) for key, value in [
            ("ooInetProxyType", "1"), ("ooInetNoProxy", ""),
            ("ooInetHTTPProxyName", "127.0.0.1"), ("ooInetHTTPProxyPort", "9"),
            ("ooInetHTTPSProxyName", "127.0.0.1"), ("ooInetHTTPSProxyPort", "9"),
            ("ooInetFTPProxyName", "127.0.0.1"), ("ooInetFTPProxyPort", "9"),
        ]),
    ])
    + "\n</oor:items>\n"
)
"""A new soffice profile's settings: fetch nothing from the network, run no macros."""

INSTALL_HELP = (
    "LibreOffice is needed to make PDFs, and formkit cannot find it. Install it "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-crosextra-carlito "
    "fonts-crosextra-caladea; Windows and macOS: https://www.libreoffice.org/download/), "
    f"or set {SOFFICE_ENV} to the full path of the soffice program"
)

_INSTALL_FOLDERS = {
    "darwin": ("/Applications/LibreOffice.app/Contents/MacOS/soffice",),
    "win32": (r"C:\Program Files\LibreOffice\program\soffice.exe",
              r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
}


def find_soffice(explicit: str | Path | None = None) -> Path:
    """The soffice program: ``explicit``, else $FORMKIT_SOFFICE, else ``soffice`` or
    ``libreoffice`` on PATH, else (on Windows and macOS, where the installer does
    not add it to PATH) LibreOffice's usual install folder.

    Raises ConversionError saying how to install LibreOffice.
    """
    given = str(explicit) if explicit is not None else os.environ.get(SOFFICE_ENV, "")
    if given:
        found = shutil.which(given)
        if found is None:
            raise ConversionError(f"there is no soffice program at {given}. {INSTALL_HELP}")
        return Path(found)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in _INSTALL_FOLDERS.get(sys.platform, ()):
        if Path(place).is_file():
            return Path(place)
    raise ConversionError(INSTALL_HELP)


@dataclass
class Conversion:
    """The outcome of :func:`convert`: each document's PDF, or why it has none."""

    converted: dict[Path, Path] = field(default_factory=dict)
    failed: dict[Path, str] = field(default_factory=dict)
    calls: int = 0
    pages: dict[Path, list[Any]] = field(default_factory=dict)
    """Only from :func:`formkit.documents.convert_joined` asked to keep them: each
    written PDF's pages (pypdf pages of the joined PDF it was cut from, which the
    file holds exactly), so a merge need not read the files back."""

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Job:
    source: Path
    dest: Path
    staged: Path


def convert(
    documents: Sequence[tuple[Path, Path]],
    *,
    soffice: str | Path | None = None,
    work_dir: Path | None = None,
    workers: int | None = None,
    batch_size: int = MAX_BATCH,
    timeout: float | None = None,
    progress: Callable[[int], None] | None = None,
    min_per_worker: int = MIN_PER_WORKER,
    marked: bool = False,
    together: Sequence[Sequence[int]] | None = None,
) -> Conversion:
    """Convert each (source .docx, destination .pdf) pair.

    ``workers`` soffice processes run at once (default: one per CPU, at most 4),
    each with its own profile, each converting batches of at most ``batch_size``
    documents. ``timeout`` is the seconds one batch may take (default: 90 s plus
    10 s per document). ``work_dir`` is where the private work folder is made
    (default: next to the first destination, so PDFs are moved, not copied).
    A second worker starts only for ``min_per_worker`` documents or more. With
    ``marked``, each bookmark becomes a named destination in the PDF (where
    :mod:`.joined` finds each joined document's first page). ``together``
    (indexes into ``documents``, each index in one group) makes the first try
    one soffice process per group instead of ``batch_size`` batches.
    Raises ConversionError when soffice is missing or cannot run at all; a
    document that does not convert is in ``Conversion.failed`` with the reason.
    """
    program = find_soffice(soffice)
    result = Conversion()
    if not documents:
        return result
    batch_size = max(1, min(batch_size, MAX_BATCH))
    workers = max(1, min(workers or min(os.cpu_count() or 1, 4), len(documents) // max(1, min_per_worker) or 1))
    base = work_dir or documents[0][1].parent
    private_dir(base)
    work = Path(tempfile.mkdtemp(prefix=".formkit-convert-", dir=base)).resolve()
    try:
        jobs = _stage(documents, work / "in")
        pending = jobs
        for attempt in (1, 2):
            if attempt == 1 and together is not None:
                batches = [[jobs[index] for index in group] for group in together if group]
            else:
                batches = _batches(pending, batch_size, workers)
            failures = _run_batches(program, batches, work, workers, timeout, attempt, result, progress,
                                    marked)
            pending = [job for job in pending if job.source not in result.converted]
            if not pending:
                break
            if attempt == 2:
                for job in pending:
                    result.failed[job.source] = failures.get(job.source, "LibreOffice did not write a PDF for it")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _stage(documents: Sequence[tuple[Path, Path]], folder: Path) -> list[_Job]:
    folder.mkdir(parents=True, mode=0o700)
    jobs = []
    for index, (source, dest) in enumerate(documents, 1):
        staged = folder / f"{index:05d}{source.suffix.lower() or '.docx'}"
        try:
            os.link(source, staged)
        except OSError:
            shutil.copyfile(source, staged)
        jobs.append(_Job(source, dest, staged))
    return jobs


def _batches(jobs: list[_Job], batch_size: int, workers: int) -> list[list[_Job]]:
    """Even batches, at least one per worker, none over ``batch_size``."""
    count = max(-(-len(jobs) // batch_size), min(workers, len(jobs)))
    size = -(-len(jobs) // count)
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def _run_batches(
    program: Path, batches: list[list[_Job]], work: Path, workers: int, timeout: float | None, attempt: int,
    result: Conversion, progress: Callable[[int], None] | None, marked: bool = False,
) -> dict[Path, str]:
    todo: queue.Queue[tuple[int, list[_Job]]] = queue.Queue()
    for number, batch in enumerate(batches):
        todo.put((number, batch))
    failures: dict[Path, str] = {}
    fatal: list[ConversionError] = []
    lock = threading.Lock()

    def worker(slot: int) -> None:
        profile = work / f"profile-{slot}"
        _offline_profile(profile)
        while not fatal:
            try:
                number, batch = todo.get_nowait()
            except queue.Empty:
                return
            out = work / f"out-{attempt}-{number}"
            out.mkdir(mode=0o700)
            try:
                reason = _soffice(program, profile, batch, out, timeout, marked)
            except ConversionError as exc:
                fatal.append(exc)
                return
            with lock:
                result.calls += 1
            for job in batch:
                made = out / (job.staged.stem + ".pdf")
                why = "" if _whole_pdf(made) else reason or "LibreOffice did not write a PDF for it"
                if not why:
                    try:
                        _move(made, job.dest)
                    except (OSError, FormkitError) as exc:
                        why = f"its PDF could not be saved as {job.dest} ({getattr(exc, 'strerror', None) or exc})"
                with lock:
                    if why:
                        failures[job.source] = why
                    else:
                        result.converted[job.source] = job.dest
                if progress and not why:
                    progress(1)

    threads = [threading.Thread(target=worker, args=(slot,), daemon=True) for slot in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if fatal:
        raise fatal[0]
    return failures


def _offline_profile(profile: Path) -> None:
    """Seed a soffice profile with :data:`_OFFLINE` (once: soffice keeps what it finds)."""
    settings = profile / "user" / "registrymodifications.xcu"
    if not settings.exists():
        settings.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        settings.write_text(_OFFLINE, encoding="utf-8")


def _soffice(program: Path, profile: Path, batch: list[_Job], out: Path, timeout: float | None,
             marked: bool = False) -> str:
    """Run one soffice process on ``batch``; '' if it ended normally, else why not."""
    limit = timeout if timeout is not None else START_SECONDS + SECONDS_PER_DOCUMENT * len(batch)
    command = [
        str(program), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
        "--nologo", "--norestore", "--nodefault", "--nolockcheck", "--nofirststartwizard",
        "--convert-to", _MARKED if marked else "pdf:writer_pdf_Export", "--outdir", str(out), *(str(job.staged) for job in batch),
    ]
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=(os.name == "posix"), cwd=out,
        )
    except OSError as exc:
        raise ConversionError(f"{program} could not be started ({exc.strerror or exc}). {INSTALL_HELP}") from None
    try:
        _, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return f"LibreOffice took longer than {limit:g} s for a batch of {len(batch)} documents and was stopped"
    if process.returncode != 0:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return f"LibreOffice stopped with exit code {process.returncode} ({last[0][:200]})"
    return ""


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _whole_pdf(path: Path) -> bool:
    """A non-empty file that starts as a PDF and ends with %%EOF."""
    try:
        size = path.stat().st_size
        if size < 64:
            return False
        with path.open("rb") as f:
            head = f.read(8)
            f.seek(max(0, size - 1024))
            tail = f.read()
    except OSError:
        return False
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def _move(made: Path, dest: Path) -> None:
    """Put a finished PDF at ``dest`` whole: a rename on the same disk, else an atomic copy."""
    private_dir(dest.parent)
    try:
        os.chmod(made, 0o600)  # LibreOffice writes 0644; every file formkit writes is private
        os.replace(made, dest)
    except OSError:
        atomic_write(dest, made.read_bytes())


METRIC_FONTS = {"Carlito": "Calibri", "Caladea": "Cambria"}
"""Metric-compatible fonts -> the Microsoft fonts whose widths they match."""


def missing_fonts() -> list[str]:
    """The metric-compatible fonts that fontconfig cannot find (nor the Microsoft
    font they stand in for). Without them LibreOffice breaks lines and pages
    differently from Word. [] where there is no fontconfig (Windows, macOS)."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    try:
        done = subprocess.run([program, ":", "family"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    families = {line.strip().casefold() for text in done.stdout.decode("utf-8", "replace").splitlines()
                for line in text.split(",")}
    return [font for font, original in METRIC_FONTS.items()
            if font.casefold() not in families and original.casefold() not in families]


def soffice_version(program: str | Path | None = None) -> str:
    """'LibreOffice 7.4.7.2 ...' as soffice reports it (for benchmarks and reports)."""
    path = find_soffice(program)
    try:
        done = subprocess.run([str(path), "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.decode("utf-8", "replace").strip() or "unknown"


__all__ = ["Conversion", "MAX_BATCH", "convert", "find_soffice", "missing_fonts", "soffice_version", "INSTALL_HELP"]
