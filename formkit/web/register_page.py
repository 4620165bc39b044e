"""Register: choose or drop the SEN register, and see its check report."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import guard
from ..errors import FormkitError
from ..register import format_report
from .app import files_form, form, page, refused
from .uploads import UploadRefused
from .workspace import REGISTER_SUFFIXES, Chosen, Workspace

KINDS = {".xlsx": "xlsx", ".csv": "csv"}


def _show(request: Request, error: str = "", status: int = 200) -> Response:
    ws: Workspace = request.app.state.workspace
    result = None
    if ws.register is not None and not error:
        try:
            result = ws.load_register()
        except FormkitError as exc:
            error = f"Error: {relabel(exc, ws.register)}"
    summary = format_report(result).splitlines()[-1] if result is not None else ""
    return page(request, "register.html", status=status, here="register", result=result, error=error, summary=summary,
                choices=[ws.show(p) for p in ws.files(REGISTER_SUFFIXES)])


def relabel(exc: FormkitError, chosen: Chosen) -> FormkitError:
    """An error about a dropped file, naming it as the SENCo named it."""
    if exc.file == str(chosen.path):
        exc.file = chosen.label
    return exc


async def register(request: Request) -> Response:
    return _show(request)


async def choose(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        data = await form(request)
    except UploadRefused as exc:
        return refused(request, exc)
    path = ws.inside(data.get("file"))
    if path is None or path.suffix.lower() not in REGISTER_SUFFIXES:
        return _show(request, "Error: choose one of the workspace's registers from the list.", 400)
    ws.register = Chosen(path, ws.show(path))
    return RedirectResponse("/register", status_code=303)


async def drop(request: Request) -> Response:
    ws: Workspace = request.app.state.workspace
    try:
        data = await files_form(request, "Register")
    except UploadRefused as exc:
        return refused(request, exc)
    if len(data.files) != 1:
        return _show(request, "Error: drop one file: the SEN register (.xlsx, .csv or .xml).", 400)
    received = data.files[0]
    chosen = Chosen(received.path, received.label)
    try:
        suffix = received.path.suffix.lower()
        if suffix not in REGISTER_SUFFIXES:
            raise FormkitError("is not a register formkit reads: give an Excel workbook (.xlsx), a CSV file or "
                               "a Common Transfer File (.xml)", file=received.label)
        if suffix in KINDS:
            guard.check_file(received.path, KINDS[suffix])
    except FormkitError as exc:
        received.path.unlink(missing_ok=True)
        return _show(request, f"Error: {relabel(exc, chosen)}", 400)
    ws.register = chosen
    return RedirectResponse("/register", status_code=303)


def routes() -> list[Route]:
    return [Route("/register", register), Route("/register/choose", choose, methods=["POST"]),
            Route("/register/drop", drop, methods=["POST"])]
