"""The state of one ``formkit serve``: its workspace folder, the register chosen,
the jobs running, and the forms read but not yet kept.

Everything the page writes goes inside the workspace: what is dropped under
``Dropped files/``, documents in the same folders the README's commands use
(``IEPs``, ``Letters``, ``Forms``), the records store and the audit log where
the command line keeps them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import audit
from ..errors import FormkitError
from ..forms import FormsConfig
from ..records import default_store
from ..register import Register, load_register
from ..settings import FILE_NAME, Settings, load_settings
from .jobs import Jobs
from .security import new_secret

REGISTER_SUFFIXES = (".xlsx", ".csv", ".xml")
NO_REGISTER = "no register is chosen yet; choose or drop the SEN register on the Register page first"


@dataclass(frozen=True)
class Chosen:
    """A file the SENCo chose or dropped: where it is, and the name to show."""

    path: Path
    label: str


@dataclass
class Workspace:
    root: Path
    token: str = field(default_factory=new_secret)
    csrf: str = field(default_factory=new_secret)
    jobs: Jobs = field(default_factory=Jobs)
    register: Chosen | None = None
    pending: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        if self.register is None:
            found = [p for p in self.files(REGISTER_SUFFIXES, depth=0) if p.stem.casefold().startswith("register")]
            if found:
                self.register = Chosen(found[0], found[0].name)

    @property
    def settings_file(self) -> Path | None:
        path = self.root / FILE_NAME
        return path if path.exists() else None

    def settings(self) -> Settings:
        """formkit.toml of the workspace (read again each time, so edits show),
        else the sample school's."""
        return load_settings(self.settings_file, cwd=self.root)

    def load_register(self) -> Register:
        if self.register is None:
            raise FormkitError(NO_REGISTER)
        return load_register(self.register.path, column_map=self.settings().column_map)

    def show(self, path: Path | str) -> str:
        """A path as the page shows it: relative to the workspace when inside it."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def files(self, suffixes: tuple[str, ...], depth: int = 1) -> list[Path]:
        """The workspace's files with these suffixes, at most ``depth`` folders
        down (lock and temporary files left out), sorted by name."""
        found: list[Path] = []
        folders = [self.root]
        for level in range(depth + 1):
            next_folders = []
            for folder in folders:
                try:
                    entries = sorted(folder.iterdir())
                except OSError:
                    continue
                for entry in entries:
                    if entry.name.startswith((".", "~$")):
                        continue
                    if entry.is_file() and entry.suffix.lower() in suffixes:
                        found.append(entry)
                    elif entry.is_dir() and level < depth:
                        next_folders.append(entry)
            folders = next_folders
        return found

    def inside(self, given: str) -> Path | None:
        """The workspace file named by a page's choice (a path relative to the
        workspace), or None if it is not a file inside the workspace."""
        path = (self.root / given).resolve()
        if self.root in path.parents and path.is_file():
            return path
        return None

    def store(self) -> Path:
        """The records store: [forms] store in formkit.toml, else the workspace's."""
        where = default_store(self.root, FormsConfig.load(self.settings()).store)
        assert where is not None
        return where

    def audit(self, command: str, *, templates: list[str], pupils: int, documents: int, where: Path | str,
              ok: bool) -> None:
        """One line in the workspace's audit log, as the command line writes it."""
        audit.record(self.root, command=command, templates=templates, pupils=pupils, documents=documents,
                     where=self.show(where), outcome="ok" if ok else "some failed")
