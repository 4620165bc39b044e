"""The school's settings: formkit.toml, and the workspace it lives in.

``formkit init DIR`` makes a workspace: DIR/formkit.toml (the school's details as
FILL IN placeholders, to edit) and DIR/templates/ (editable copies of the bundled
templates). Commands look for formkit.toml in the current folder unless given
``--config``; without one they use the bundled sample settings and say so.
Commands that write documents for families call :meth:`Settings.check_details`,
which refuses settings that still hold a placeholder or a detail of the sample
school.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .files import atomic_write, private_dir
from .model import School, Term
from .resources import bundled
from .validation import RecordError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE_NAME = "formkit.toml"
PLACEHOLDER = "FILL IN"
"""What ``formkit init`` writes in each school detail a SENCo must fill in."""
DETAILS = ("name", "address", "postcode", "phone", "email", "senco", "head_teacher", "letter_signatory")
"""The [school] settings that families see on letters, IEPs and forms."""


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

    def unfinished_details(self) -> dict[str, str]:
        """The [school] settings not yet the school's own: key -> 'placeholder'
        (still says FILL IN) or 'sample' (the sample school's value, copied).
        Always empty for the sample settings themselves."""
        if self.is_sample:
            return {}
        sample = _sample_school()
        found: dict[str, str] = {}
        for key in DETAILS:
            mine, theirs = _detail(self.school, key), _detail(sample, key)
            if any(PLACEHOLDER.casefold() in value.casefold() for value in mine):
                found[key] = "placeholder"
            elif any(_same(value, other, digits=key == "phone") for value in mine for other in theirs):
                found[key] = "sample"
        return found

    def check_details(self) -> None:
        """Raise SettingsError, naming each setting, while any school detail
        families would see is a placeholder or the sample school's. Every
        command that writes documents for families calls this first."""
        found = self.unfinished_details()
        if not found:
            return
        parts = []
        placeholders = [k for k, why in found.items() if why == "placeholder"]
        copied = [k for k, why in found.items() if why == "sample"]
        if placeholders:
            parts.append(f"{_keys(placeholders)} still {'says' if len(placeholders) == 1 else 'say'} {PLACEHOLDER}")
        if copied:
            verb = "is" if len(copied) == 1 else "are"
            parts.append(f"{_keys(copied)} {verb} still the sample school's ({_sample_school().name})")
        raise SettingsError(
            f"{'; '.join(parts)}: put in your school's own details before formkit writes documents for families "
            "(a value you do not want shown can be empty, \"\")",
            file=str(self.path))

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
    sample = bundled("samples", FILE_NAME)
    return _parse(path, sample=path.resolve() == sample.resolve())


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
            terms=tuple(_term(t, where) for t in data.get("terms", [])),
        )
    except (RecordError, TypeError) as exc:
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


def _sample_school() -> School:
    return _parse(bundled("samples", FILE_NAME), sample=True).school


def _detail(school: School, key: str) -> list[str]:
    value = school.address_lines if key == "address" else (getattr(school, key),)
    return [v for v in value if v.strip()]


def _same(a: str, b: str, *, digits: bool = False) -> bool:
    """The same text, ignoring case and spacing; for a phone number (``digits``),
    the same digits however they are spaced ("01632 960 123")."""
    if digits:
        return bool(a.strip()) and [c for c in a if c.isdigit()] == [c for c in b if c.isdigit()]
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _keys(keys: list[str]) -> str:
    return f"[school] {keys[0]}" if len(keys) == 1 else f"[school] {', '.join(keys[:-1])} and {keys[-1]}"


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]
    return [str(v) for v in value]


def _term(values: Any, where: str) -> Term:
    """A [[terms]] table as a Term. A date may be written as TOML's date
    (``start = 2026-09-03``) or as ISO text in quotes (``start = "2026-09-03"``);
    text that is not an ISO date is refused, naming the term and the key."""
    if not isinstance(values, dict):
        raise TypeError("each [[terms]] entry must be a table with name, start and end")
    dates = {}
    for key in ("start", "end", "review"):
        value = values.get(key)
        if isinstance(value, str):
            try:
                dates[key] = date.fromisoformat(value.strip())
            except ValueError:
                raise SettingsError(f"term '{values.get('name', '')}' {key} '{value}' is not a date; write it as"
                                    " 2026-09-03", file=where) from None
    return Term(**(values | dates))


def _explain(exc: Exception) -> str:
    if isinstance(exc, RecordError):
        what = "[[terms]]" if exc.record == "Term" else "[school]"
        return "; ".join(f"{what} {bad.field} {bad.reason}" for bad in exc.bad)
    return str(exc)


def init_workspace(folder: Path) -> list[Path]:
    """Create ``folder`` with formkit.toml and editable template copies.

    formkit.toml holds FILL IN placeholders for the school's details (never the
    sample school's) and example term dates. Existing files are never
    overwritten: if formkit.toml is already there, this is an error; templates
    already copied are left as they are. What it makes is its owner's only (files
    0600, new folders 0700), as every file formkit writes is. Returns what it wrote.
    """
    private_dir(folder)
    target = folder / FILE_NAME
    if target.exists():
        raise SettingsError("already exists; formkit will not overwrite your settings", file=str(target))
    written = []
    atomic_write(target, bundled("templates", FILE_NAME).read_bytes())
    written.append(target)
    source = bundled("templates", "docx")
    for item in sorted(source.rglob("*.docx")):
        dest = folder / "templates" / item.relative_to(source)
        if not dest.exists():
            private_dir(dest.parent)
            atomic_write(dest, item.read_bytes())
            written.append(dest)
    return written
