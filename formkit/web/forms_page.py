"""Forms back: drop the returned forms, see what was read field by field, keep them."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import FormkitError
from ..forms import KINDS, ReadReport, read_forms
from ..records import RecordStore
from .app import files_form, form, page, refused
from .uploads import UploadRefused
from .workspace import Workspace

PENDING = "forms-read:"


def _show(request: Request, status: int = 200, **context: Any) -> Response:
    ws: Workspace = request.app.state.workspace
    return page(request, "forms.html", status=status, here="forms", kinds=KINDS, store=ws.show(ws.store()),
                **{"error": "", **context})


async def forms_back(request: Request) -> Response:
    return _show(request)


async def read(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        data = await files_form(request, "Returned forms")
    except UploadRefused as exc:
        return refused(request, exc)
    if not data.files:
        return _show(request, 400, error="Error: choose the returned forms to read (Word, PDF or Excel files).")
    kind = data.get("kind", "auto")
    labels = {f.path: f.label for f in data.files}
    try:
        register = ws.load_register() if ws.register is not None else None
        report = await run_in_threadpool(read_forms, [f.path for f in data.files], register,
                                         kind if kind in KINDS else "auto", settings=ws.settings(), labels=labels)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}")
    read_id = secrets.token_urlsafe(12)
    ws.pending[PENDING + read_id] = report
    return _show(request, report=report, read_id=read_id, by_file=_by_file(report))


def _by_file(report: ReadReport) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for record in report.records:
        found.setdefault(record.source_file, []).append(record)
    return found


async def keep(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    read_id = request.path_params["read"]
    report: ReadReport | None = ws.pending.get(PENDING + read_id)
    if report is None:
        return _show(request, 400, error="Error: these forms are no longer waiting; drop them again.")
    where = ws.store()
    try:
        def store() -> str:
            with RecordStore.open(where, create=True) as db:
                return db.import_report(report, now=datetime.now(timezone.utc)).text()

        summary = await run_in_threadpool(store)
        ws.audit("read", templates=[], pupils=len({r.upn for r in report.records}), documents=len(report.records),
                 where=where, ok=report.ok)
    except FormkitError as exc:
        return _show(request, 400, error=f"Error: {exc}", report=report, read_id=read_id, by_file=_by_file(report))
    ws.pending.pop(PENDING + read_id, None)
    return _show(request, kept=f"Records store {ws.show(where)}: {summary}")


def routes() -> list[Route]:
    return [Route("/forms-back", forms_back), Route("/forms-back/read", read, methods=["POST"]),
            Route("/forms-back/keep/{read}", keep, methods=["POST"])]
