"""The start page: the term's jobs in the order a SENCo meets them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .app import page


async def home(request: Request) -> Response:
    return page(request, "home.html", here="home")


def routes() -> list[Route]:
    return [Route("/", home)]
