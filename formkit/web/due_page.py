"""What's due: each pupil's reviews, meetings and annual reviews, overdue first
(``formkit due``), and the audit log's recent runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..cycle import DueList, calendar_bytes, due_list
from ..errors import FormkitError
from .app import page
from .audit_page import recent_runs
from .register_page import relabel
from .workspace import Workspace

WEEKS = 8


def _asked(request: Request) -> tuple[date, int]:
    """The day to look from and the weeks ahead, from the address (?on=&weeks=)."""
    given = request.query_params.get("on", "")
    try:
        on = date.fromisoformat(given) if given else date.today()
    except ValueError:
        raise FormkitError(f"'{given}' is not a date; give it as YYYY-MM-DD") from None
    weeks = request.query_params.get("weeks", "")
    if not weeks:
        return on, WEEKS
    if not weeks.isdigit() or not 1 <= int(weeks) <= 104:
        raise FormkitError(f"'{weeks}' is not a number of weeks from 1 to 104")
    return on, int(weeks)


def _due(ws: Workspace, on: date, weeks: int) -> DueList:
    return due_list(ws.load_register(), ws.settings().school.terms, ws.store(), on=on, weeks=weeks)


async def due(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    context: dict[str, Any] = {"error": "", "found": None, "on": date.today(), "weeks": WEEKS}
    try:
        context["on"], context["weeks"] = _asked(request)
        if ws.register is not None:
            context["found"] = await run_in_threadpool(_due, ws, context["on"], context["weeks"])
    except FormkitError as exc:
        context["error"] = f"Error: {relabel(exc, ws.register) if ws.register else exc}"
    status = 400 if context["error"] else 200
    return page(request, "due.html", status=status, here="due", runs=recent_runs(ws), **context)


async def calendar(request: Request) -> Response:
    """Every date to come as calendar events (initials and UPN only), as ``--ics``."""
    ws: Workspace = request.app.state.workspace
    try:
        on, weeks = _asked(request)
        found = await run_in_threadpool(_due, ws, on, weeks)
        data = calendar_bytes([*found.coming, *found.later], school=ws.settings().school.name)
    except FormkitError as exc:
        return page(request, "due.html", status=400, here="due", runs=recent_runs(ws), found=None, on=date.today(),
                    weeks=WEEKS, error=f"Error: {exc}")
    return Response(data, media_type="text/calendar",
                    headers={"content-disposition": 'attachment; filename="SEN dates.ics"'})


def routes() -> list[Route]:
    return [Route("/due", due), Route("/due/calendar.ics", calendar)]
