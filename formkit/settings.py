"""The school's settings: formkit.toml, and the workspace it lives in.

``formkit init DIR`` makes a workspace: DIR/formkit.toml (a copy of the sample
school's, to edit) and DIR/templates/ (editable copies of the bundled templates).
Commands look for formkit.toml in the current folder unless given ``--config``;
without one they use the bundled sample settings and say so.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import SettingsError
from .model import School, Term
from .resources import bundled

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE_NAME = "formkit.toml"


@dataclass(frozen=True)
class Settings:
    """Everything formkit.toml says. ``path`` is None for the bundled sample."""

    school: School
    column_map: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def workspace(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def is_sample(self) -> bool:
        return self.path is None

    def term(self, name: str | None, today: date) -> Term:
        """The named term, else the term containing ``today``, else the next one."""
        where = str(self.path) if self.path else "the sample settings"
        if name:
            term = self.school.term_named(name)
            if term is None:
                names = ", ".join(t.name for t in self.school.terms) or "none"
                raise SettingsError(f"there is no term called '{name}'; the terms are: {names}", file=where)
            return term
        term = self.school.term_for(today)
        if term is None:
            raise SettingsError(
                f"no term in [[terms]] contains or follows {today:%d/%m/%Y}; add this year's term dates", file=where
            )
        return term


def load_settings(path: Path | None = None, *, cwd: Path | None = None) -> Settings:
    """Read ``path``, else ./formkit.toml, else the bundled sample settings."""
    if path is None:
        local = (cwd or Path.cwd()) / FILE_NAME
        if not local.exists():
            return _parse(bundled("samples", FILE_NAME), sample=True)
        path = local
    if not path.exists():
        raise SettingsError("settings file not found; run 'formkit init DIR' to make one", file=str(path))
    return _parse(path, sample=False)


def _parse(path: Path, *, sample: bool) -> Settings:
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SettingsError("is not UTF-8 text; save it as UTF-8", file=where) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"is not valid TOML ({exc}); compare it with the sample from 'formkit init'", file=where) from None
    school = data.get("school")
    if not isinstance(school, dict):
        raise SettingsError("has no [school] section; compare it with the sample from 'formkit init'", file=where)
    try:
        record = School(
            name=school.get("name", ""),
            address_lines=tuple(_lines(school.get("address", ()))),
            postcode=school.get("postcode", ""),
            phone=school.get("phone", ""),
            email=school.get("email", ""),
            senco=school.get("senco", ""),
            head_teacher=school.get("head_teacher", ""),
            letter_signatory=school.get("letter_signatory", ""),
            terms=tuple(Term(**t) for t in data.get("terms", [])),
        )
    except (ValidationError, TypeError) as exc:
        raise SettingsError(f"has a value formkit cannot use: {_explain(exc)}", file=where) from None
    for key in ("name", "senco"):
        if not getattr(record, key).strip():
            raise SettingsError(f"[school] {key} is empty; fill it in", file=where)
    for term in record.terms:
        if term.end < term.start:
            raise SettingsError(f"term '{term.name}' ends before it starts; check its dates", file=where)
    columns = data.get("register", {}).get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise SettingsError('[register.columns] must hold lines like "Your heading" = "legal_surname"', file=where)
    return Settings(record, dict(columns), None if sample else path)


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]
    return [str(v) for v in value]


def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}" for err in exc.errors(include_url=False)
        )
    return str(exc)


def init_workspace(folder: Path) -> list[Path]:
    """Create ``folder`` with formkit.toml and editable template copies.

    Existing files are never overwritten: if formkit.toml is already there, this is
    an error; templates already copied are left as they are. Returns what it wrote.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE_NAME
    if target.exists():
        raise SettingsError("already exists; formkit will not overwrite your settings", file=str(target))
    written = []
    shutil.copyfile(bundled("samples", FILE_NAME), target)
    written.append(target)
    source = bundled("templates", "docx")
    for item in sorted(source.rglob("*.docx")):
        dest = folder / "templates" / item.relative_to(source)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, dest)
            written.append(dest)
    return written
