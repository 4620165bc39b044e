"""Provision map: choose the workbook and the sources, see the dry run cell by cell,
apply it, and get the report and its chart."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import guard
from ..errors import FormkitError
from ..provision import build_report, new_map, update_map, write_report
from .app import files_form, form, page, refused
from .uploads import Submission, UploadRefused
from .workspace import Workspace

PENDING = "provision:"
DEFAULT = "Provision map.xlsx"
REPORTS = "Reports"


def workbooks(ws: Workspace) -> list[str]:
    """The workspace's workbooks a map may be in (not backups, not dropped registers)."""
    return [ws.show(p) for p in ws.files((".xlsx", ".xlsm"), depth=3)
            if "(backup" not in p.name and "Register" not in p.parent.parts[-3:-1]
            and REPORTS not in p.parts[-2:-1] and "Previews" not in ws.show(p)]


def _show(request: Request, status: int = 200, **context: Any) -> Response:
    ws: Workspace = request.app.state.workspace
    store = ws.store()
    chosen = context.pop("workbook", None) or request.query_params.get("workbook") or (
        DEFAULT if (ws.root / DEFAULT).is_file() else "")
    return page(request, "provision.html", status=status, here="provision", workbooks=workbooks(ws),
                chosen=chosen, has_store=store.is_file(), store=ws.show(store), **{"error": "", **context})


async def provision(request: Request) -> Response:
    return _show(request)


def _workbook(ws: Workspace, given: str) -> Path:
    path = ws.inside(given) if given else None
    if path is None or path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FormkitError("choose the provision map workbook from the list, or drop it")
    return path


def _sources(ws: Workspace, data: Submission) -> list[Path]:
    sources: list[Path] = []
    for received in data.files:
        if received.field == "workbook":
            continue
        if received.path.suffix == ".bin":
            raise FormkitError("is not a source formkit reads: give impact forms (.docx), a provisions sheet or "
                               "records export (.xlsx, .csv, .json) or a records store", file=received.label)
        sources.append(received.path)
    if data.get("store") == "yes":
        sources.append(ws.store())
    if not sources:
        raise FormkitError("choose what to update the map from: the forms kept in the records store, or drop "
                           "impact forms or a provisions sheet")
    return sources


async def dry_run(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        data = await files_form(request, "Provision map")
    except UploadRefused as exc:
        return refused(request, exc)
    try:
        dropped = next((f for f in data.files if f.field == "workbook"), None)
        if dropped is not None:
            guard.check_file(dropped.path, "xlsx")
            workbook = dropped.path.with_name(DEFAULT)
            dropped.path.rename(workbook)
        else:
            workbook = _workbook(ws, data.get("workbook"))
        sources = _sources(ws, data)
        register = ws.register.path if ws.register is not None and data.get("register") == "yes" else None
        result = await run_in_threadpool(lambda: update_map(workbook, sources, dry_run=True, settings=ws.settings(),
                                                            register=register))
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    plan = secrets.token_urlsafe(12)
    ws.pending[PENDING + plan] = {"workbook": workbook, "sources": sources, "register": register}
    return _show(request, result=result, plan=plan, workbook=ws.show(workbook))


async def apply(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    plan = ws.pending.pop(PENDING + request.path_params["plan"], None)
    if plan is None:
        return _show(request, 400, error="Error: this dry run is no longer waiting; run it again.")
    workbook: Path = plan["workbook"]
    try:
        result = await run_in_threadpool(lambda: update_map(workbook, plan["sources"], settings=ws.settings(),
                                                            register=plan["register"]))
        if result.written:
            ws.audit("provision-map update", templates=[], pupils=result.pupils, documents=1, where=workbook,
                     ok=not result.has_errors)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}", workbook=ws.show(workbook))
    return _show(request, result=result, applied=True, workbook=ws.show(workbook))


async def make_new(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    out = ws.root / DEFAULT
    try:
        if ws.register is None:
            ws.load_register()
        assert ws.register is not None
        result = await run_in_threadpool(lambda: new_map(ws.register.path, out, settings=ws.settings()))
        if result.written:
            ws.audit("provision-map new", templates=["provision_map.xlsx"], pupils=result.pupils, documents=1,
                     where=out, ok=not result.has_errors)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    return _show(request, made=result.text(), workbook=ws.show(out))


async def report(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        workbook = _workbook(ws, request.query_params.get("workbook", ""))
        shown = await run_in_threadpool(build_report, workbook)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    return page(request, "provision_report.html", here="provision", report=shown, workbook=ws.show(workbook))


async def download_report(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    suffix = request.path_params["suffix"]
    try:
        workbook = _workbook(ws, request.query_params.get("workbook", ""))
        out = ws.root / REPORTS / f"{workbook.stem} report.{suffix}"
        await run_in_threadpool(lambda: write_report(build_report(workbook), out))
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    kind = "image/png" if suffix == "png" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(out, media_type=kind, filename=out.name)


async def download_workbook(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    path = ws.inside(request.query_params.get("workbook", ""))
    if path is None or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return RedirectResponse("/provision-map", status_code=303)
    return FileResponse(path, filename=path.name,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def routes() -> list[Route]:
    return [Route("/provision-map", provision), Route("/provision-map/dry-run", dry_run, methods=["POST"]),
            Route("/provision-map/apply/{plan}", apply, methods=["POST"]),
            Route("/provision-map/new", make_new, methods=["POST"]),
            Route("/provision-map/report", report), Route("/provision-map/report.{suffix:str}", download_report),
            Route("/provision-map/workbook", download_workbook)]
