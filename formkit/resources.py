"""Where the bundled templates and samples are, installed or in a checkout.

A wheel carries them inside the package (formkit/_bundled/, see pyproject.toml);
an editable install or a checkout uses the repository's top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_root() -> Path:
    inside = _PACKAGE / "_bundled"
    return inside if inside.is_dir() else _PACKAGE.parent


def bundled(*parts: str) -> Path:
    """The path of a bundled file or folder, e.g. bundled('templates', 'docx', 'iep.docx')."""
    return bundled_root().joinpath(*parts)


def template_names() -> list[str]:
    """Names of the bundled document templates, without .docx ('iep', 'iep_smart').

    Only the top folder: letters (templates/docx/letters/) and forms have their
    own commands and lists."""
    folder = bundled("templates", "docx")
    return sorted(p.stem for p in folder.glob("*.docx"))


def find_template(name: str, workspace: Path | None, folder: str = "") -> Path | None:
    """templates/[FOLDER/]NAME.docx: the school's edited copy in ``workspace``
    (where 'formkit init' puts it) if there is one, else the bundled one, else None."""
    parts = [folder] if folder else []
    candidates = [workspace.joinpath("templates", *parts, f"{name}.docx")] if workspace is not None else []
    candidates.append(bundled("templates", "docx", *parts, f"{name}.docx"))
    return next((c for c in candidates if c.is_file()), None)
