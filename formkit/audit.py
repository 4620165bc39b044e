"""The audit log: an append-only record of what formkit wrote, never pupil data.

One JSON line per run, in ``formkit-audit.jsonl`` in the workspace (the folder of
formkit.toml, else the current folder): when, which command, which templates, how
many pupils and documents, where they were written, and how the run ended. The
file is created readable by its owner only and is only ever appended to.

Nothing the user typed is recorded: paths and file names hold pupils' names and
UPNs ("IEPs for Zoë Whitmore Z801200026004"). ``where`` is only whether the
output is in the workspace, and a short hash of its full path (the same folder
gives the same hash, so runs into one folder can be told apart from runs into
another); a template is named only when it is one of formkit's own (a school's
edited copy keeps the bundled name), else "own template".
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from .errors import OutputError
from .resources import bundled

FILE_NAME = "formkit-audit.jsonl"
OWN_TEMPLATE = "own template"
HASH_CHARS = 12


def audit_file(workspace: Path | None) -> Path:
    return (workspace or Path.cwd()) / FILE_NAME


def record(
    workspace: Path | None,
    *,
    command: str,
    templates: Sequence[str] = (),
    pupils: int = 0,
    documents: int = 0,
    where: Path | str = "",
    outcome: str = "ok",
) -> Path:
    """Append one entry and return the log's path. ``command`` is the command's
    name only (never its arguments, which may hold UPNs); ``templates`` are the
    templates' paths or names and ``where`` the output's path, each recorded as
    the module says (no user-given text). Raises OutputError if the log cannot
    be written."""
    entry = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "templates": [template_label(t) for t in templates],
        "pupils": pupils,
        "documents": documents,
        "where": place(workspace, where),
        "outcome": outcome,
    }
    path = audit_file(workspace)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write the audit log ({exc.strerror})", file=str(path)) from None
    return path


def place(workspace: Path | None, where: Path | str) -> str:
    """'in the workspace, #<hash>' or 'outside the workspace, #<hash>' for a
    path (a relative one is taken from the workspace); '' for none."""
    if not str(where):
        return ""
    root = Path(os.path.abspath(workspace or Path.cwd()))
    path = Path(os.path.abspath(root / Path(where).expanduser()))
    inside = path == root or root in path.parents
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:HASH_CHARS]
    return f"{'in' if inside else 'outside'} the workspace, #{digest}"


def template_label(template: Path | str) -> str:
    """A bundled template's file name, a label formkit gives (no file
    extension), else 'own template'."""
    name = Path(template).name
    if not Path(name).suffix:
        return name
    return name if name in _bundled_names() else OWN_TEMPLATE


_NAMES: set[str] = set()


def _bundled_names() -> set[str]:
    if not _NAMES:
        _NAMES.update(p.name for p in bundled("templates").rglob("*") if p.is_file())
    return _NAMES


def entries(workspace: Path | None) -> list[dict[str, object]]:
    """The entries so far, oldest first (for tests and for reading it back)."""
    path = audit_file(workspace)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
