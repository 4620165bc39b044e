"""Recent runs: the audit log's last entries (counts and places, no pupil data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import audit
from .app import page
from .workspace import Workspace

SHOWN = 30


def recent_runs(ws: Workspace) -> list[dict[str, object]]:
    return list(reversed(audit.entries(ws.root)[-SHOWN:]))


async def runs(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    return page(request, "audit.html", here="due", runs=recent_runs(ws))


def routes() -> list[Route]:
    return [Route("/audit", runs)]
