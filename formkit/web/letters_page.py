"""Letters: choose the letter and the pupils, preview one, write them all with the
print-ready PDF and mailing.csv, and see the families to email or translate for.

The run is ``formkit generate letters`` (:func:`formkit.letters.make_letters`),
into ``Letters/<letter>/`` in the workspace; the letters written are noted in
the records store, as the command line does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..codes import SenStatus
from ..cycle import record_letters
from ..documents import find_soffice, preview_document
from ..errors import ConversionError, FormkitError
from ..letters import (
    LETTERS,
    MAILING,
    LetterDetails,
    LetterReport,
    LetterRequest,
    letter_names,
    make_letters,
    parse_time,
)
from ..records import held_store
from ..register import Register
from .app import form, page, refused
from .jobs import Job
from .term_page import preview_file, term_choices, zip_of
from .uploads import Submission, UploadRefused
from .workspace import Workspace

KIND = "letters"
FOLDER = "Letters"
PACK = "Print pack.pdf"
CHOSEN = "letters-chosen:"
FIELDS = ("pupil", "letter_date", "added_since", "class", "meeting_date", "meeting_time", "meeting_with", "meeting_place",
          "agency", "short_notice")
"""The form's text fields, shown again as they were sent."""
CHOOSE = {"all": "all", "added": "added", "class": "class", "list": "list"}


def letters(ws: Workspace) -> list[tuple[str, str]]:
    """(name, what it is called) of each letter: the bundled ones (the school's
    edited copy in templates/letters/ is used for these), then the school's own."""
    bundled = [(n, LETTERS[n].title) for n in letter_names()]
    own = sorted(p.stem for p in (ws.root / "templates" / "letters").glob("*.docx")
                 if p.stem not in LETTERS and "." not in p.stem and not p.name.startswith("~$"))
    return bundled + [(n, n) for n in own]


def _soffice() -> str:
    """Why there can be no PDF (empty when LibreOffice is there)."""
    try:
        find_soffice()
    except ConversionError as exc:
        return str(exc)
    return ""


def _choices(ws: Workspace) -> dict[str, Any]:
    return {**term_choices(ws), "letters": letters(ws), "no_pdf": _soffice(), "ieps": (ws.root / "IEPs").is_dir(),
            "today": date.today().isoformat()}


def _show(request: Request, status: int = 200, **context: Any) -> Response:
    ws: Workspace = request.app.state.workspace
    job = context.pop("job", None) or ws.jobs.get(request.query_params.get("job", ""), KIND)
    choices = _choices(ws)
    if context.get("error"):
        choices.pop("error")
    chosen = {**{f: "" for f in FIELDS}, "letter": "iep_cover", "choose": "all", "pdf": not choices["no_pdf"],
              "ieps": choices["ieps"], "overwrite": False, "pupils": [], "term": choices["term"],
              **(context.pop("chosen", None) or (ws.pending.get(CHOSEN + job.id, {}) if job else {}))}
    return page(request, "letters.html", status=status, here="letters", job=job, chosen=chosen, mailing=MAILING,
                **{**choices, **context})


async def letters_home(request: Request) -> Response:
    return _show(request)


def _day(text: str, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormkitError(f"'{text}' is not a date for {what}; give it as YYYY-MM-DD") from None


def _pupils(register: Register, data: Submission, letter: str) -> tuple[list[str], date | None]:
    """The UPNs chosen (empty: the letter's own pupils) and the added-since date."""
    how = CHOOSE.get(data.get("choose"), "all")
    if how == "added":
        since = _day(data.get("added_since"), "new since")
        if since is None:
            raise FormkitError("give the date: the pupils added to the SEN register on or after it get the letter")
        return [], since
    if how == "class":
        ehc = letter in LETTERS and LETTERS[letter].choose == "ehc"
        chosen = [p.upn for p in register.in_class(data.get("class")) if p.on_register
                  and (not ehc or p.sen_status is SenStatus.E)]
        if not chosen:
            raise FormkitError(f"no pupil in class '{data.get('class')}' is on the SEN register"
                               f"{' with an EHC plan' if ehc else ''}; choose another class")
        return chosen, None
    if how == "list":
        chosen = data.getlist("pupils")
        if not chosen:
            raise FormkitError("tick the pupils to write to, or choose all the letter's pupils")
        return chosen, None
    return [], None


def _request(ws: Workspace, register: Register, data: Submission) -> tuple[LetterRequest, dict[str, Any]]:
    """The LetterRequest of the form, and what was chosen (to show it again)."""
    names = [n for n, _ in letters(ws)]
    letter = data.get("letter") or "iep_cover"
    if letter not in names:
        raise FormkitError(f"there is no letter called '{letter}'; choose one from the list")
    only, since = _pupils(register, data, letter)
    try:
        meeting_time = parse_time(data.get("meeting_time")) if data.get("meeting_time") else None
    except ValueError as exc:
        raise FormkitError(f"meeting time: {exc}") from None
    details = LetterDetails(meeting_date=_day(data.get("meeting_date"), "the meeting date"),
                            meeting_time=meeting_time, meeting_with=data.get("meeting_with"),
                            meeting_place=data.get("meeting_place"), agency=data.get("agency"))
    ieps = data.get("ieps") == "yes"
    request = LetterRequest(letter=letter, letter_date=_day(data.get("letter_date"), "the letters' date"),
                            term=data.get("term") or None, only=only, added_since=since, details=details,
                            attach_ieps=ws.root / "IEPs" if ieps else None, overwrite=data.get("overwrite") == "yes",
                            short_notice=data.get("short_notice"))
    chosen = {**{k: v[0] for k, v in data.fields.items() if v}, "pupils": data.getlist("pupils"), "ieps": ieps,
              "pdf": data.get("pdf") == "yes", "overwrite": request.overwrite, "choose": CHOOSE.get(
                  data.get("choose"), "all")}
    return request, chosen


async def _parse(request: Request) -> Response | tuple[Workspace, Submission, Register, LetterRequest, dict]:
    """The form (CSRF checked) as (workspace, fields, register, LetterRequest,
    what was chosen), or the page that says why it cannot be."""
    ws: Workspace = request.app.state.workspace
    try:
        data = await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    chosen: dict[str, Any] | None = None
    try:
        register = ws.load_register()
        asked, chosen = _request(ws, register, data)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}", **({"chosen": chosen} if chosen else {}))
    return ws, data, register, asked, chosen


def clear(folder: Path) -> None:
    """Remove the last preview: formkit's own files in its Previews folder."""
    for old in folder.rglob("*") if folder.is_dir() else ():
        if old.is_file() and old.suffix.lower() in (".docx", ".pdf", ".csv"):
            old.unlink()


async def preview(request: Request) -> Response:
    parsed = await _parse(request)
    if isinstance(parsed, Response):
        return parsed
    ws, data, register, asked, chosen = parsed
    try:
        upn = data.get("pupil") or (register.on_register()[0].upn if register.on_register() else "")
        folder = ws.root / "Previews" / "Letter"

        def make() -> Any:
            clear(folder)
            one = replace(asked, only=[upn], added_since=None, overwrite=True)
            report = make_letters(register, ws.settings(), folder, one)
            made = next((r for r in report.letters if r.status == "written"), None)
            if made is None:
                raise FormkitError(report.failed[0].reason if report.failed else "no letter could be made")
            return preview_document(folder / made.file)

        shown = await run_in_threadpool(make)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}", chosen=chosen)
    ws.pending["letter-preview"] = shown
    return _show(request, preview=shown, chosen={**chosen, "pupil": upn})


preview_pdf = preview_file("letter-preview", "/letters", "Letter preview.pdf")


async def write_all(request: Request) -> Response:
    parsed = await _parse(request)
    if isinstance(parsed, Response):
        return parsed
    ws, _, register, asked, chosen = parsed
    out = ws.root / FOLDER / str(asked.letter)
    pack = out / PACK if chosen["pdf"] else None

    def work(job: Job) -> LetterReport:
        job.say("writing the letters")
        with held_store(ws.store()) as db:  # busy: refused before any letter is written
            report = make_letters(register, ws.settings(), out, asked, print_pdf=pack, notify=job.say,
                                  progress=job.advance, expect=job.expect)
            if report.letters and db is not None:
                record_letters(db, report)
        ws.audit("generate letters", templates=[report.template], pupils=len({r.upn for r in report.results}),
                 documents=report.count("written") + report.pdfs, where=out, ok=report.ok)
        return report

    key = f"{KIND}:{register.file}:{asked.letter}:{asked.term}:{sorted(asked.only)}:{asked.added_since}"
    job = ws.jobs.start(key, "Writing the letters", KIND, work)
    ws.pending[CHOSEN + job.id] = chosen
    return RedirectResponse(f"/letters?job={job.id}", status_code=303)


def _done(request: Request) -> LetterReport | None:
    ws: Workspace = request.app.state.workspace
    job = ws.jobs.get(request.path_params["job"], KIND)
    return job.result if job is not None and job.state == "done" else None


async def download_pack(request: Request) -> Response:
    report = _done(request)
    if report is None or report.print_pdf is None or not report.print_pdf.is_file():
        return RedirectResponse("/letters", status_code=303)
    return FileResponse(report.print_pdf, media_type="application/pdf",
                        filename=f"{report.letter} - {report.term} - print pack.pdf")


async def download_mailing(request: Request) -> Response:
    report = _done(request)
    mailing = report.out / MAILING if report is not None else None
    if mailing is None or report is None or report.print_pdf is None or not mailing.is_file():
        return RedirectResponse("/letters", status_code=303)
    return FileResponse(mailing, media_type="text/csv", filename=MAILING)


async def download_zip(request: Request) -> Response:
    report = _done(request)
    if report is None:
        return RedirectResponse("/letters", status_code=303)
    data = await run_in_threadpool(zip_of, report)
    name = f"{report.letter} - {report.term}.zip"
    return Response(data, media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def routes() -> list[Route]:
    return [Route("/letters", letters_home), Route("/letters/preview", preview, methods=["POST"]),
            Route("/letters/preview.pdf", preview_pdf), Route("/letters/write", write_all, methods=["POST"]),
            Route("/letters/{job}/print-pack.pdf", download_pack), Route("/letters/{job}/mailing.csv", download_mailing),
            Route("/letters/{job}/letters.zip", download_zip)]
