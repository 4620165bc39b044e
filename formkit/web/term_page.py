"""Term start: choose the template and term, preview one pupil's IEP, write them all."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..documents import BatchReport, generate, preview_document
from ..errors import FormkitError
from ..resources import template_names
from .app import form, page, refused
from .jobs import Job
from .register_page import relabel
from .uploads import UploadRefused
from .workspace import Workspace

KIND = "ieps"
OTHER_JOBS = {"annual_review_report", "one_page_profile"}


def templates(ws: Workspace) -> list[str]:
    """The IEP templates: the bundled ones, then the school's own in templates/."""
    bundled = [n for n in template_names() if n not in OTHER_JOBS]
    own = sorted(p.stem for p in (ws.root / "templates").glob("*.docx")
                 if p.stem not in bundled and p.stem not in OTHER_JOBS and not p.name.startswith("~$"))
    return bundled + own


def term_choices(ws: Workspace) -> dict[str, Any]:
    """What a page choosing a term and pupils offers: the terms, this term, the
    pupils on the SEN register and their classes, and an error reading them."""
    found: dict[str, Any] = {"terms": [], "term": "", "pupils": [], "classes": [], "error": ""}
    try:
        settings = ws.settings()
        found["terms"] = [t.name for t in settings.school.terms]
        found["term"] = settings.term(None, date.today()).name
    except FormkitError as exc:
        found["error"] = f"Error: {exc}"
    if ws.register is not None:
        try:
            pupils = ws.load_register().on_register()
            found["pupils"] = [(p.upn, p.label) for p in pupils]
            found["classes"] = sorted({p.class_name for p in pupils if p.class_name}, key=str.casefold)
        except FormkitError as exc:
            found["error"] = f"Error: {relabel(exc, ws.register)}"
    return found


def _choices(ws: Workspace) -> dict[str, Any]:
    return {"templates": templates(ws), **term_choices(ws)}


def _show(request: Request, status: int = 200, **context: Any) -> Response:
    ws: Workspace = request.app.state.workspace
    job = context.pop("job", None) or ws.jobs.get(request.query_params.get("job", ""), KIND)
    choices = _choices(ws)
    if context.get("error"):
        choices.pop("error")
    return page(request, "term.html", status=status, here="term", job=job, out=ws.show(ws.root / "IEPs"),
                **{**choices, **context})


async def term_start(request: Request) -> Response:
    return _show(request)


def _request(ws: Workspace, fields: Any) -> dict[str, Any]:
    template = fields.get("template") or "iep"
    if template not in templates(ws):
        raise FormkitError(f"there is no template called '{template}'; choose one from the list")
    return {"template": template, "term": fields.get("term") or None, "overwrite": fields.get("overwrite") == "yes"}


async def preview(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        data = await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    try:
        chosen = _request(ws, data)
        register = ws.load_register()
        upn = data.get("pupil") or (register.on_register()[0].upn if register.on_register() else "")
        folder = ws.root / "Previews" / "IEP"

        def make() -> Any:
            report = generate(register, ws.settings(), folder, template=chosen["template"], only=[upn],
                              overwrite=True, term=chosen["term"])
            made = next((r for r in report.results if r.status == "written" and r.file), None)
            if made is None:
                raise FormkitError(report.failed[0].reason if report.failed else "no IEP could be made")
            return preview_document(folder / made.file)

        shown = await run_in_threadpool(make)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    ws.pending["iep-preview"] = shown
    return _show(request, preview=shown, chosen=chosen, previewed=upn)


def preview_file(key: str, back: str, name: str) -> Any:
    """The route showing the PDF of the preview kept under ``key`` in the
    workspace's pending things (back to the page ``back`` when there is none)."""

    async def show(request: Request) -> Response:
        ws: Workspace = request.app.state.workspace
        shown = ws.pending.get(key)
        if shown is None or shown.pdf is None or not shown.pdf.is_file():
            return RedirectResponse(back, status_code=303)
        return FileResponse(shown.pdf, media_type="application/pdf", content_disposition_type="inline", filename=name)

    return show


preview_pdf = preview_file("iep-preview", "/term-start", "IEP preview.pdf")


async def write_all(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        data = await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    try:
        chosen = _request(ws, data)
        register = ws.load_register()
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    out = ws.root / "IEPs"

    def work(job: Job) -> BatchReport:
        job.say("writing the IEPs")
        report = generate(register, ws.settings(), out, template=chosen["template"], overwrite=chosen["overwrite"],
                          term=chosen["term"], progress=job.advance)
        ws.audit("generate ieps", templates=[report.template], pupils=len(report.results),
                 documents=report.count("written"), where=out, ok=report.ok)
        return report

    key = f"{KIND}:{register.file}:{chosen['template']}:{chosen['term']}"
    job = ws.jobs.start(key, "Writing the IEPs", KIND, work, total=len(register.on_register()))
    return RedirectResponse(f"/term-start?job={job.id}", status_code=303)


def zip_of(report: BatchReport) -> bytes:
    """The run's documents (written and kept) and its manifest, as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for result in report.results:
            if result.file and result.status in ("written", "kept"):
                zf.write(report.out / result.file, result.file)
        if report.manifest.is_file():
            zf.write(report.manifest, report.manifest.name)
    return buffer.getvalue()


async def download(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    job = ws.jobs.get(request.path_params["job"], KIND)
    if job is None or job.state != "done":
        return RedirectResponse("/term-start", status_code=303)
    data = await run_in_threadpool(zip_of, job.result)
    name = f"IEPs {job.result.term}.zip"
    return Response(data, media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


async def open_folder(request: Request) -> Response:
    from .desktop import open_folder as show_folder

    ws: Workspace = request.app.state.workspace
    try:
        await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    folder = ws.root / "IEPs"
    why = show_folder(folder) if folder.is_dir() else "there are no IEPs yet"
    job = ws.jobs.latest(KIND)
    return _show(request, job=job, opened=not why, not_opened=why)


def routes() -> list[Route]:
    return [Route("/term-start", term_start), Route("/term-start/preview", preview, methods=["POST"]),
            Route("/term-start/preview.pdf", preview_pdf), Route("/term-start/write", write_all, methods=["POST"]),
            Route("/term-start/{job}/IEPs.zip", download), Route("/term-start/open", open_folder, methods=["POST"])]

