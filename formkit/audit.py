"""The audit log: an append-only record of what formkit wrote, never pupil data.

One JSON line per run, in ``formkit-audit.jsonl`` in the workspace (the folder of
formkit.toml, else the current folder): when, which command, which templates, how
many pupils and documents, where they were written, and how the run ended. The
file is created readable by its owner only and is only ever appended to.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from .errors import OutputError

FILE_NAME = "formkit-audit.jsonl"


def audit_file(workspace: Path | None) -> Path:
    return (workspace or Path.cwd()) / FILE_NAME


def record(
    workspace: Path | None,
    *,
    command: str,
    templates: Sequence[str] = (),
    pupils: int = 0,
    documents: int = 0,
    where: str = "",
    outcome: str = "ok",
) -> Path:
    """Append one entry and return the log's path. ``command`` is the command's
    name only (never its arguments, which may hold UPNs); ``templates`` are file
    names. Raises OutputError if the log cannot be written."""
    entry = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "templates": [Path(t).name for t in templates],
        "pupils": pupils,
        "documents": documents,
        "where": where,
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


def entries(workspace: Path | None) -> list[dict[str, object]]:
    """The entries so far, oldest first (for tests and for reading it back)."""
    path = audit_file(workspace)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
