"""Fillable forms for teachers, pre-filled from the SEN register, and the public
entry points for reading them back.

:func:`generate_forms` writes one form per pupil (referral, IEP review or
intervention impact) from the bundled templates in templates/docx/forms/ (or the
workspace's edited copies), using the IEP batch's file names, safe writing and
manifest. Each form's content controls are filled by the sandboxed template
engine and then finalised (see :mod:`formkit.ooxml.controls`): a control formkit
filled no longer shows as a placeholder; one it left empty shows Word's prompt.

:func:`read_forms` (from :mod:`formkit.forms.read`) reads returned forms into
records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..codes import SenStatus
from ..documents import (
    BatchReport,
    CompiledTemplate,
    DocumentResult,
    build_context,
    document_path,
    render_one,
    target_context,
)
from ..errors import FormkitError, RegisterError, TemplateError
from ..files import atomic_write, inside, private_dir, sha256
from ..model import Pupil, Target
from ..ooxml import CHECKED, UNCHECKED, clear_prompts_document, fill_document, finalise_part
from ..register import Register
from ..resources import find_template
from ..settings import Settings
from .fields import FormsConfig, form_def, scale_for
from .read import ReadReport, read_forms
from .record import FormRecord

TEMPLATES = {"referral": "referral.docx", "iep-review": "iep_review.docx", "impact": "impact.docx",
             "parent-views": "parent_views.docx", "pupil-views": "pupil_views.docx"}
VIEWS = ("parent-views", "pupil-views")
BLANK_REFERRAL = "Referral - blank form.docx"
MANIFEST = "manifest.csv"


class FormTemplate(CompiledTemplate):
    """A compiled form template whose rendered parts are finalised before the
    package is written: controls' placeholder flags, dates, ids, and the
    configured rating scales in the drop-downs."""

    def __init__(self, path: Path | str, config: FormsConfig, *, name: str | None = None) -> None:
        super().__init__(path, name=name)
        self.config = config
        write = self.package.write
        names = {self.package.document, *self.package.headers_footers}

        def finalising_write(replaced: dict[str, bytes]) -> bytes:
            return write({part: self._finalise(data) if part in names else data for part, data in replaced.items()})

        self.package.write = finalising_write  # type: ignore[method-assign]

    def _choices(self, tag: str) -> tuple[tuple[str, str], ...] | None:
        name = tag.rsplit("_", 1)[-1] if tag.startswith("target_") else tag
        choices = {"band": "progress_scale", "impact_rating": "impact_scale"}.get(name)
        scale = scale_for(choices, self.config)
        return scale.items if scale else None

    def _finalise(self, data: bytes) -> bytes:
        return finalise_part(data, choices=self._choices)


def template_path(kind: str, settings: Settings | None) -> Path:
    """The form's template: the workspace's edited copy (templates/forms/NAME.docx,
    as 'formkit init' makes it), else the bundled one."""
    name = TEMPLATES[kind].removesuffix(".docx")
    found = find_template(name, settings.workspace if settings is not None else None, "forms")
    if found is None:
        raise TemplateError(f"the {kind} form's template {name}.docx is missing from formkit's installation; reinstall formkit")
    return found


def form_context(pupil: Pupil | None, settings: Settings, term_name: str | None, today: date) -> dict[str, Any]:
    """The template data of one pupil's form: the IEP context (pupil, targets,
    school, term, iep dates) plus ``form``: the carer's name (the first contact
    with parental responsibility) and a tick glyph per broad area of need the
    pupil's needs fall in. ``pupil`` None gives a blank form's data."""
    term = settings.term(term_name, today)
    example = pupil or Pupil(upn="A000000000000", legal_forename="", legal_surname="", dob=today, year=0,
                             sen_status=SenStatus.N)
    context = build_context(example, settings.school, term, today)
    carers = [c.name for c in example.contacts if c.parental_responsibility]
    areas = {a.name for a in example.areas}
    context["form"] = {"carer_name": carers[0] if carers else ""}
    for name, area in (("area_communication", "COMMUNICATION"), ("area_cognition", "COGNITION"),
                       ("area_semh", "SEMH"), ("area_sensory", "SENSORY")):
        context["form"][name] = CHECKED if area in areas else UNCHECKED
    if pupil is None:
        context["pupil"] = {key: "" for key in context["pupil"]}
        context["targets"] = []
    return context


def select_for_form(register: Register, kind: str, only: Sequence[str] = ()) -> list[Pupil]:
    """Who gets a form: for a referral, the pupils not on the SEN register (status
    N); for an IEP review or impact form, the pupils on it (K or E); for the views
    for an annual review, the pupils with an EHC plan (E). ``only`` names pupils
    by UPN instead, whatever their status; an unknown UPN is an error."""
    if only:
        return register.pupils_named(only)
    if kind in VIEWS:
        return [p for p in register.pupils if p.sen_status is SenStatus.E]
    return [p for p in register.pupils if p.on_register != (kind == "referral")]


def generate_forms(
    register: Register,
    settings: Settings,
    out: Path,
    *,
    kind: str,
    only: Sequence[str] = (),
    overwrite: bool = False,
    term: str | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Write one ``kind`` form per chosen pupil into OUT/<year group>/, named
    "<Surname>, <Forename> (<UPN>) - <Kind> - <term>.docx", and OUT/manifest.csv. A
    referral run also writes a blank referral form for a child not yet in the
    MIS. Raises FormkitError (bad kind, template, term or --only) before writing;
    a pupil whose form fails is reported, and the others are written."""
    settings.check_details()
    form = _form(kind)
    today = today or date.today()
    config = FormsConfig.load(settings)
    path = template_path(kind, settings)
    compiled = FormTemplate(path, config, name=path.name)
    chosen_term = settings.term(term, today)
    pupils = select_for_form(register, kind, only)
    private_dir(out)
    report = BatchReport(out=out, template=path.name, term=chosen_term.name)
    tasks = []
    for pupil in pupils:
        dest = document_path(out, pupil, form.file_kind, chosen_term.name)
        context = form_context(pupil, settings, term, today)
        tasks.append((pupil.upn, pupil.name, pupil.label, context, str(dest), str(out), overwrite))
    if kind == "referral" and not only:
        tasks.append(("", "blank referral form", "a blank form", form_context(None, settings, term, today),
                      str(inside(out, BLANK_REFERRAL)), str(out), overwrite))
    for task in tasks:
        report.results.append(render_one(compiled, task))
        if progress:
            progress(1)
    report.write_manifest()
    return report


def generate_pdf_forms(
    register: Register,
    settings: Settings,
    form: Path,
    mapping_file: Path,
    out: Path,
    *,
    only: Sequence[str] = (),
    overwrite: bool = False,
    term: str | None = None,
    today: date | None = None,
) -> BatchReport:
    """Fill the fillable PDF ``form`` (a local authority's request form, say)
    once per pupil on the SEN register (or per ``only`` UPN), from the field
    mapping in ``mapping_file``, into OUT/<year group>/"<Surname>, <Forename>
    (<UPN>) - <form name>.pdf", with OUT/manifest.csv. The form (XFA-only is
    refused) and mapping are checked before anything is written; a pupil whose
    value does not fit a field (a state the check box does not have, text too
    long) is reported as failed, naming the field."""
    from .pdf_form import fill_pdf, fill_values, load_mapping, pdf_fields

    settings.check_details()
    today = today or date.today()
    fields = pdf_fields(form)
    mapping = load_mapping(mapping_file)
    chosen_term = settings.term(term, today)
    pupils = select_for_form(register, "impact", only)
    report = BatchReport(out=out, template=form.name, term=chosen_term.name)
    for pupil in pupils:
        dest = inside(out, pupil.year_label, f"{pupil.surname}, {pupil.forename} ({pupil.upn}) - {form.stem}.pdf")
        rel = dest.relative_to(out).as_posix()
        if dest.exists() and not overwrite:
            report.results.append(DocumentResult(pupil.upn, pupil.name, "kept", rel, sha256(dest.read_bytes()),
                                                 "already there; --overwrite replaces it"))
            continue
        try:
            values = fill_values(fields, mapping, form_context(pupil, settings, term, today), form=form.name,
                                 pupil=pupil.label, mapping_file=str(mapping_file))
            data = fill_pdf(form, values)
            private_dir(dest.parent)
            atomic_write(dest, data)
        except TemplateError:
            raise  # the mapping itself is unsound: no pupil's form could be filled
        except FormkitError as exc:
            report.results.append(DocumentResult(pupil.upn, pupil.name, "failed", None, "", str(exc)))
            continue
        report.results.append(DocumentResult(pupil.upn, pupil.name, "written", rel, sha256(data)))
    private_dir(out)
    report.write_manifest()
    return report


def form_from_record(record: FormRecord, pupil: Pupil, settings: Settings, *, today: date) -> bytes:
    """The form ``record`` was read from, made again: the form as
    :func:`generate_forms` makes it for ``pupil``, with each of the record's
    answers put in its box as the teacher (or family) gave it. An IEP review
    holds the record's own targets. For showing a returned form again (an EHC
    evidence pack) when only its record was kept: a box left unanswered is blank,
    without Word's prompt. A box the school's edited template no longer has is
    left out."""
    form = form_def(record.kind)
    path = template_path(record.kind, settings)
    compiled = FormTemplate(path, FormsConfig.load(settings), name=path.name)
    context = form_context(pupil, settings, None, today)
    targets = record.values.get("targets") or []
    if form.target_fields:
        context["targets"] = [target_context(int(t.get("number") or n), Target(target=t.get("target") or ""))
                              for n, t in enumerate(targets, 1)]
    values: dict[str, str | bool | date] = {}
    for field in form.fields:
        value = record.values.get(field.group or field.name)
        if field.group:
            values[field.name] = field.group_value in (value or [])
        elif value not in (None, "", []):
            values[field.name] = value if isinstance(value, date) else str(value)
    for n, target in enumerate(targets, 1):
        for field in form.target_fields:
            value = target.get(field.name)
            if field.name not in ("number", "target") and value not in (None, ""):
                shown = f"{value}%" if field.type == "percent" else str(value)
                values[f"target_{target.get('number') or n}_{field.name}"] = shown
    return clear_prompts_document(fill_document(compiled.render(context, pupil=pupil.label), values, strict=False))


def _form(kind: str):
    try:
        return form_def(kind)
    except ValueError as exc:
        raise RegisterError(str(exc)) from None


__all__ = ["FormTemplate", "form_from_record", "generate_pdf_forms", "ReadReport", "form_context", "generate_forms", "read_forms",
           "select_for_form", "DocumentResult"]
