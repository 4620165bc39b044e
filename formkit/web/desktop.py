"""Showing a folder in the computer's own file manager (Explorer, Finder, Files)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_folder(folder: Path) -> str:
    """Open ``folder`` in the file manager; '' when it opened, else why not (the
    page then shows where the folder is)."""
    try:
        if sys.platform == "win32":
            os.startfile(folder)  # type: ignore[attr-defined]
            return ""
        program = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
        if program is None:
            return "this computer has no program to open folders (xdg-open)"
        subprocess.Popen([program, str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
        return ""
    except OSError as exc:
        return f"the folder could not be opened ({exc.strerror or exc})"
