"""The web face: ``formkit serve``, a page in the SENCo's own browser for every job.

Like the command line, it only presents the library: each page calls the same
functions the CLI calls and shows what they return, with the same error text.

- :mod:`.server`: uvicorn on 127.0.0.1, the browser opened with the token;
- :mod:`.app`: the Starlette app, page rendering and the forms' CSRF check;
- :mod:`.security`: the token, the cookie, Host/Origin checks and the headers;
- :mod:`.uploads`: dropped files streamed into the workspace under formkit's names;
- :mod:`.jobs`: long jobs in background threads, with progress to poll;
- :mod:`.workspace`: the folder, the register chosen, the forms not yet kept;
- one ``*_page`` module per page, its Jinja2 template in ``templates/``.
"""

from __future__ import annotations

from .app import create_app
from .server import DEFAULT_PORT, Server, is_loopback

__all__ = ["create_app", "DEFAULT_PORT", "Server", "is_loopback"]
