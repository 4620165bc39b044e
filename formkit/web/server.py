"""Running the page: uvicorn on this computer's own address, and the browser opened.

The server binds 127.0.0.1 unless told another address (the command line
warns). It listens on a socket formkit binds itself, so a port already in use
is a clear error, not a traceback. uvicorn's access log is off: formkit logs
each request's method, path and status only (paths hold no pupil data, and
the token is never logged). When it stops, it waits for running jobs to end.
"""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path

import uvicorn

from ..errors import FormkitError
from .app import create_app
from .security import LOOPBACK
from .workspace import Workspace

DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


class Server:
    """One ``formkit serve``: :meth:`run` blocks (the command line), or
    :meth:`start` and :meth:`stop` run it in a thread (tests)."""

    def __init__(self, workspace: Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        if not Path(workspace).is_dir():
            raise FormkitError("is not a folder; give the folder with your formkit.toml (or any folder to work in)",
                               file=str(workspace))
        self.app = create_app(Path(workspace), host=host)
        self.host = host
        self.socket = _bind(host, port)
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off",
                                server_header=False, timeout_graceful_shutdown=5)
        self.uvicorn = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def workspace(self) -> Workspace:
        return self.app.state.workspace

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The address to open: with the token, which the first visit swaps for a cookie."""
        return f"{self.base}/?token={self.workspace.token}"

    def run(self, *, open_browser: bool = True) -> None:
        """Serve until interrupted (Ctrl+C), opening the browser once it is up;
        then wait for running jobs to finish."""
        if open_browser:
            threading.Thread(target=self._open_when_up, daemon=True).start()
        try:
            self.uvicorn.run(sockets=[self.socket])
        finally:
            self.socket.close()
            self.workspace.jobs.wait()

    def _open_when_up(self) -> None:
        for _ in range(200):
            if self.uvicorn.started:
                webbrowser.open(self.url)
                return
            threading.Event().wait(0.05)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.uvicorn.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self._thread.start()
        for _ in range(400):
            if self.uvicorn.started:
                return
            threading.Event().wait(0.025)
        raise RuntimeError("the web server did not start")

    def stop(self) -> None:
        self.workspace.jobs.wait(60)
        self.uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(15)
        self.socket.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if port and exc.errno in (98, 48, 10048):
            raise FormkitError(f"port {port} is already in use (is formkit serve running in another window?); "
                               "give another with --port") from None
        raise FormkitError(f"cannot listen on {host}:{port} ({exc.strerror}); check --host and --port") from None
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.listen(64)
    sock.set_inheritable(True)
    return sock
