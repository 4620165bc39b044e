"""The Starlette application: routes, page rendering, and the forms' CSRF check.

Each page module (``register_page``, ``term_page``, ...) adds its routes with
:func:`routes`; they call the same library functions as the command line and
show what comes back. Pages are Jinja2 templates in ``templates/``; the one
script and the style sheet are served from ``static/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..documents import uk_date
from ..errors import FormkitError
from .security import CSRF_FIELD, LOOPBACK, Guard, same
from .uploads import Submission, UploadRefused, receive
from .workspace import Workspace

HERE = Path(__file__).parent
PAGES = [
    ("home", "/", "Start", ""),
    ("register", "/register", "Register",
     "Choose or drop the SEN register and see what needs fixing, row by row."),
    ("term", "/term-start", "Term start",
     "Preview one pupil's IEP, then write an IEP for every pupil on the SEN register."),
    ("letters", "/letters", "Letters",
     "Write a letter to each family, check one first, and print them all in one go or email them."),
    ("forms", "/forms-back", "Forms back", "Drop the forms teachers returned, check what was read, and keep them."),
    ("provision", "/provision-map", "Provision map",
     "See what would change in your provision map, then apply it, and get the report."),
    ("due", "/due", "What's due",
     "Reviews, meetings and annual reviews coming up or overdue, and the recent runs."),
]
"""The pages in the order of the SENCo's term: key, address, name, what it does."""

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
_env.filters["uk_date"] = uk_date


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the common context (the workspace, the CSRF token,
    the navigation, the school)."""
    ws: Workspace = request.app.state.workspace
    try:
        settings = ws.settings()
        school, sample, settings_error = settings.school.name, settings.is_sample, ""
    except FormkitError as exc:
        school, sample, settings_error = "", False, f"Error: {exc}"
    html = _env.get_template(template).render(
        request=request, ws=ws, csrf=ws.csrf, csrf_field=CSRF_FIELD, pages=PAGES, here=context.pop("here", ""),
        school=school, sample=sample, settings_error=settings_error, version=__version__, **context)
    return HTMLResponse(html, status_code=status)


async def form(request: Request) -> Submission:
    """A form without files, after its CSRF token is checked (UploadRefused if not)."""
    ws: Workspace = request.app.state.workspace
    data = await request.form(max_files=0, max_fields=200, max_part_size=64 * 1024)
    if not same(str(data.get(CSRF_FIELD, "")), ws.csrf):
        raise UploadRefused(403, "This form was sent from another web site, so formkit refused it.")
    found = Submission()
    for key, value in data.multi_items():
        if key != CSRF_FIELD and isinstance(value, str):
            found.fields.setdefault(key, []).append(value)
    return found


async def files_form(request: Request, purpose: str) -> Submission:
    """A form with files: the files into a new folder of the workspace (see uploads)."""
    ws: Workspace = request.app.state.workspace
    return await receive(request, ws.root, purpose, ws.csrf)


def refused(request: Request, exc: UploadRefused) -> HTMLResponse:
    return page(request, "refused.html", status=exc.status, message=exc.text)


async def job_progress(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    job = ws.jobs.get(request.path_params["job"])
    if job is None:
        return JSONResponse({"state": "gone"}, status_code=404)
    return JSONResponse(job.progress())


async def not_found(request: Request, exc: Exception) -> Response:
    return page(request, "refused.html", status=404, message="There is no such page.")


def create_app(workspace: Path, *, host: str = "127.0.0.1", token: str | None = None) -> Starlette:
    """The formkit web app for ``workspace``, wrapped in its :class:`Guard`.
    ``token`` (default: a new random one) is the secret the opened address
    carries; the app's ``state.workspace`` holds it."""
    from . import (audit_page, due_page, forms_page, home_page, letters_page, provision_page, register_page,
                   term_page)

    ws = Workspace(Path(workspace)) if token is None else Workspace(Path(workspace), token=token)
    routes: list[Any] = [Route("/jobs/{job}.json", job_progress),
                         Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static")]
    for module in (home_page, register_page, term_page, letters_page, forms_page, provision_page, due_page,
                   audit_page):
        routes += module.routes()
    app = Starlette(routes=routes, exception_handlers={404: not_found},
                    middleware=[Middleware(Guard, token=ws.token, hosts=LOOPBACK | {host})])
    app.state.workspace = ws
    return app
