"""What keeps the page to its one user: the token, the cookie, CSRF and headers.

The server holds special category data, so every request must prove it comes
from the person who started ``formkit serve``. The address it opens carries a
random token (``?token=...``, as Jupyter does); the first visit swaps it for an
HttpOnly, SameSite=Strict cookie and sends the browser on to the same page
without it. Every other request needs that cookie. A request whose Host is not
this machine's name is refused (DNS rebinding), and a form sent from another
site is refused twice over: by its Origin / Sec-Fetch-Site headers here, and by
the CSRF token every form carries, checked where the form is read. Every
answer carries a strict Content-Security-Policy (scripts and styles only from
this server, nothing inline) and is never cached.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

log = logging.getLogger("formkit.web")

COOKIE = "formkit_token"
CSRF_FIELD = "csrf"
SAFE_METHODS = {"GET", "HEAD"}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REFUSED_TOKEN = ("This page needs the address formkit printed when it started (the one with ?token=). "
                 "Copy it from the window where 'formkit serve' is running, or start it again.")
REFUSED_SITE = "This form was sent from another web site, so formkit refused it. Use formkit's own page."
REFUSED_HOST = "formkit answers only to this computer's own address."


def new_secret() -> str:
    """A random token (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """ASGI middleware in front of the whole app (see the module doc)."""

    def __init__(self, app: ASGIApp, *, token: str, hosts: set[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method, path = scope["method"], scope["path"]
        status = await self._check(scope, headers, send)
        if status is None:
            await self.app(scope, receive, _with_headers(send, scope))
            status = scope.get("formkit.status", 0)
        log.info("%s %s %s", method, path, status)

    async def _check(self, scope: Scope, headers: dict[str, str], send: Send) -> int | None:
        if _hostname(headers.get("host", "")) not in self.hosts:
            return await _refuse(send, 400, REFUSED_HOST)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), None)
        if given is not None:
            if not same(given, self.token):
                return await _refuse(send, 403, REFUSED_TOKEN)
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await _answer(send, 303, b"", [(b"location", (scope["path"] + (f"?{rest}" if rest else "")).encode()),
                                           (b"set-cookie", cookie.encode())])
            return 303
        jar = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no cookie
            jar = SimpleCookie()
        if not same(jar[COOKIE].value if COOKIE in jar else None, self.token):
            return await _refuse(send, 403, REFUSED_TOKEN)
        if scope["method"] not in SAFE_METHODS and not _same_site(headers):
            return await _refuse(send, 403, REFUSED_SITE)
        return None


def _hostname(host: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1'; '[::1]:8765' -> '[::1]'."""
    host = host.lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0]


def _same_site(headers: dict[str, str]) -> bool:
    """A state-changing request came from this server's own pages: the
    browser's Sec-Fetch-Site says same-origin, and any Origin is this Host."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is not None and origin != f"http://{headers.get('host', '')}":
        return False
    return True


def _with_headers(send: Send, scope: Scope) -> Send:
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *HEADERS]
            scope["formkit.status"] = message["status"]
        await send(message)
    return wrapped


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", str(len(body)).encode()), *headers, *HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _refuse(send: Send, status: int, text: str) -> int:
    body = (f"<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>formkit</title></head>"
            f"<body><main><h1>formkit</h1><p>{text}</p></main></body></html>").encode()
    await _answer(send, status, body, [(b"content-type", b"text/html; charset=utf-8")])
    return status
