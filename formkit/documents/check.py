"""Checking a template before a batch: which fields it uses, which the data lacks.

A field the data does not supply would stop every pupil's document, so it is
reported up front. With a register, fields that are blank for some pupils are
listed too: they are allowed (an IEP is a working document), but the SENCo should
know before printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..codes import SenStatus
from ..errors import TemplateError
from ..model import Pupil, Term
from ..register import Register
from ..settings import Settings
from .context import build_context
from .template import CompiledTemplate, empty_fields, missing_fields

_EXAMPLE = Pupil(
    upn="B801200005001",
    legal_forename="Example",
    legal_surname="Pupil",
    dob=date(2018, 1, 1),
    year=3,
    sen_status=SenStatus.K,
)


@dataclass
class TemplateCheck:
    """What ``formkit templates check`` found."""

    template: str
    fields: list[str]
    missing: list[str]
    blank: dict[str, list[str]] = field(default_factory=dict)
    pupils: int = 0
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    def text(self) -> str:
        lines = [f"{self.template} uses {len(self.fields)} fields:"]
        lines += [f"  {shown_field(name)}" for name in self.fields]
        if self.missing:
            lines.append("Not supplied by formkit's data (fix the spelling; see docs/templates.md):")
            lines += [f"  {shown_field(name)}" for name in self.missing]
        else:
            lines.append("Every field is supplied.")
        if self.pupils:
            for name, who in sorted(self.blank.items()):
                shown = ", ".join(who[:5]) + (f" and {len(who) - 5} more" if len(who) > 5 else "")
                lines.append(f"Blank for {len(who)} of {self.pupils} pupils: {shown_field(name)} ({shown})")
        if self.extra:
            lines.append("The register's own columns, which templates can use:")
            lines += [f"  {shown_field(EXTRA + heading)}" for heading in self.extra]
        return "\n".join(lines)


EXTRA = "pupil.extra."


def shown_field(name: str) -> str:
    """A field as a template writes it: 'pupil.extra.Favourite subject' ->
    'pupil.extra["Favourite subject"]'; other names as they are."""
    if name.startswith(EXTRA):
        return f'pupil.extra["{name[len(EXTRA):]}"]'
    return name


def check_template(path: Path, settings: Settings, register: Register | None = None, today: date | None = None,
                   *, sections: Mapping[str, object] | None = None) -> TemplateCheck:
    """Compile ``path`` (raising TemplateError if it is broken) and compare its
    fields with the data formkit supplies, for the register's pupils if given.
    With a register, its columns formkit does not know are listed too: a
    template can show them as ``pupil.extra["Heading"]``.

    ``sections`` are example data for context sections a job adds on top of a
    pupil's (a letter's ``recipient`` and ``letter``): they are added to every
    context when the template uses any of them.

    The template is also filled in once, in memory, for the first pupil (or an
    example one), so a tag that asks for too much, runs too long or breaks the
    document is a TemplateError here, before any batch."""
    today = today or date.today()
    compiled = CompiledTemplate(path)
    used = sorted(compiled.fields())
    term = settings.term(None, today) if settings.school.terms else None
    if term is None:
        term = Term(name="(no term)", start=today, end=today)
    pupils = register.on_register() if register else []
    contexts = [build_context(p, settings.school, term, today) for p in pupils] or [
        build_context(_EXAMPLE, settings.school, term, today)
    ]
    if sections and any(name.split(".", 1)[0].removesuffix("[]") in sections for name in used):
        contexts = [ctx | dict(sections) for ctx in contexts]
    missing = sorted({name for ctx in contexts for name in missing_fields(used, ctx)})
    if not missing:
        _trial_render(compiled, contexts[0])
    blank: dict[str, list[str]] = {}
    for pupil, ctx in zip(pupils, contexts):
        for name in empty_fields(used, ctx):
            blank.setdefault(name, []).append(pupil.name)
    extra = list(dict.fromkeys(heading for p in (register.pupils if register else []) for heading in p.extra))
    return TemplateCheck(path.name, used, missing, blank, len(pupils), extra)


def _trial_render(compiled: CompiledTemplate, context: Mapping[str, object]) -> None:
    """Fill the template in once; a fault of the template itself is raised, one
    pupil's missing data is left to the field lists."""
    try:
        compiled.render(context)
    except TemplateError as exc:
        if exc.fatal:
            raise
