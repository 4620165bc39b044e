"""The parts of an EHC needs-assessment evidence pack, for one pupil.

When SEN support has not been enough, the SENCo sends the local authority the
evidence of several assess-plan-do-review cycles (seed 003: "Evidence to support
the request will be collated and forwarded to the LA by the SENCo"). For one
pupil, :func:`evidence_parts` writes each part of that evidence as a Word
document in the pupil's folder, oldest first, and says what is missing:

- the one-page profile (the Profiles sheet);
- each term's IEP (from the IEP folders; else remade from the term's plan in
  the records store, with its review's outcomes) with its review (the records
  store's IEP review, remade as the form came back), oldest first;
- the referral forms (the records store);
- the outside agencies involved and since when (the Professionals sheet and the
  provision map);
- the provision, term by term, with hours and cost, and the year's total against
  the notional SEN threshold (the provision map);
- the progress towards each target across the terms, with a chart.

:mod:`formkit.ehc.pack` makes them into the pack's PDF.
"""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .. import guard
from ..documents import TERM_PROPERTY, CompiledTemplate, build_context, resolve_template, uk_date
from ..errors import FormkitError
from ..files import atomic_write, inside, private_dir
from ..cycle import with_reviews
from ..forms import form_from_record
from ..letters import ProfessionalSheet, iep_index, prove_iep
from ..model import Pupil, Term
from ..ooxml import DocxPackage, text_of
from ..provision import by_term, pupil_provision
from ..records import Plan, RecordStore, term_key
from ..resources import find_template
from ..settings import Settings
from .history import PupilRecords, record_date
from .pages import Series, progress_chart
from .profiles import ProfileSheet, profile_context, profile_task
from .sections import (
    TermReview,
    missing_reviews,
    percent,
    professional_rows,
    provision_rows,
    provision_total,
    reviews_by_term,
)


@dataclass(frozen=True)
class Part:
    """One part of the pack: its title in the contents (and its bookmark), the
    source written in the pupil's folder (.docx, or .pdf for a page formkit draws)."""

    title: str
    source: Path

    @property
    def pdf(self) -> Path:
        return self.source.with_suffix(".pdf")


@dataclass
class Sources:
    """Where a pack's evidence comes from; any of them may be missing."""

    settings: Settings
    records: PupilRecords
    profiles: ProfileSheet | None = None
    professionals: ProfessionalSheet | None = None
    provision_map: Path | None = None
    ieps: Sequence[Path] = ()
    threshold: float = 6000.0


@dataclass
class Parts:
    """What :func:`evidence_parts` wrote, in the pack's order, and what is missing."""

    parts: list[Part] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def initials(pupil: Pupil) -> str:
    """'Ruby Clarke' -> 'R.C.'; 'Anne-Marie D'Souza' -> 'A.D.'."""
    return "".join(f"{name[0].upper()}." for name in (pupil.forename, pupil.surname) if name)


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


def document_text(path: Path) -> str:
    """The text of a .docx (body, headers and footers), after the input guard."""
    guard.check_file(path, "docx")
    return _text(DocxPackage.open(path))


def _text(package: DocxPackage) -> str:
    return " ".join(html.unescape(text_of(package.raw_xml(n))) for n in [package.document, *package.headers_footers])


def pupil_ieps(folders: Sequence[Path], pupil: Pupil) -> list[Path]:
    """The pupil's IEPs under ``folders``: Word files named with their UPN and
    'IEP' (not an IEP review), in name order."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            raise FormkitError("folder not found; give a folder 'formkit generate ieps' wrote IEPs into",
                               file=str(folder))
        for path in sorted(folder.rglob("*.docx")):
            name = path.name
            if name.startswith(("~$", ".")) or f"({pupil.upn})" not in name:
                continue
            if re.search(r"\bIEP\b", name) and not re.search(r"\bIEP review\b", name, re.IGNORECASE):
                found.append(path)
    return found


def iep_term(path: Path, text: str, terms: Sequence[Term]) -> Term | None:
    """The term an IEP is for: the term named in its path ('IEPs Autumn 2026/...'),
    else the term whose start date it shows (an IEP starts with its term)."""
    where = _folded(str(path))
    for term in terms:
        if _folded(term.name) in where:
            return term
    return next((t for t in terms if uk_date(t.start) in text), None)


def _render(name: str, context: dict[str, Any], settings: Settings, dest: Path, label: str) -> Path:
    template = find_template(name, settings.workspace, "ehc")
    if template is None:
        raise FormkitError(f"the template ehc/{name}.docx is missing from formkit's installation; reinstall formkit")
    atomic_write(dest, CompiledTemplate(template).render(context, pupil=label))
    return dest


def evidence_parts(pupil: Pupil, sources: Sources, folder: Path, day: date) -> Parts:
    """Write the pupil's parts into ``folder`` (numbered in the pack's order) and
    return them with what is missing; the parts an earlier run left there are
    removed first. Raises FormkitError, having written nothing, when an IEP
    named as the pupil's is not provably theirs (:func:`proven_ieps`), and when
    a template or a source cannot be used at all."""
    ieps, gaps = proven_ieps(pupil, sources, day)
    private_dir(folder)
    for old in folder.glob("[0-9][0-9] *"):
        old.unlink()
    settings = sources.settings
    terms = _terms(settings, day)
    result = Parts(missing=gaps)
    number = iter(range(1, 100))

    def dest(title: str, suffix: str = ".docx") -> Path:
        return inside(folder, f"{next(number):02d} {title}{suffix}")

    context, why = profile_task(pupil, settings, sources.profiles, day)
    if why is not None:
        result.missing.append(f"{why}, so the one-page profile has empty boxes")
        context["profile"] = profile_context(None)
    elif sources.profiles is None or pupil.upn not in sources.profiles.rows:
        result.missing.append(f"no row for {pupil.forename} in the Profiles sheet: the one-page profile has empty "
                              "boxes")
    profile = resolve_template("one_page_profile", settings)
    path = dest("One-page profile")
    atomic_write(path, CompiledTemplate(profile).render(context, pupil=pupil.label))
    result.parts.append(Part("One-page profile", path))

    cycle, loose = reviews_by_term(sources.records.of("iep-review"), terms)
    _plans_and_reviews(pupil, sources, ieps, cycle, loose, day, result, dest)
    _referrals(pupil, sources, day, result, dest)

    base = build_context(pupil, settings.school, terms[-1] if terms else Term(name="(no term)", start=day, end=day),
                         day)
    lines = pupil_provision(sources.provision_map, pupil.upn) if sources.provision_map else []
    professionals = sources.professionals.rows.get(pupil.upn, []) if sources.professionals else []
    gaps = [] if professionals else [f"no professionals for {pupil.forename} in the Professionals sheet"]
    agencies = [{"intervention": line.intervention, "agency": line.outside_agency, "start": uk_date(line.start_date)}
                for line in lines if line.outside_agency]
    path = _render("evidence_agencies", base | {"professionals": professional_rows(professionals),
                                                "agency_provision": agencies, "missing": gaps},
                   settings, dest("Outside agencies"), pupil.label)
    result.parts.append(Part("Outside agencies involved", path))
    result.missing += gaps

    gaps = []
    if sources.provision_map is None:
        gaps.append("no provision map was given, so the provision is not in the pack")
    elif not lines:
        gaps.append(f"the provision map has no rows for {pupil.forename}")
    groups = by_term(lines, settings.school.terms)
    total = provision_total(groups, sources.threshold)
    if total["uncosted"] != "0":
        gaps.append(f"{total['uncosted']} of {pupil.forename}'s provisions on the provision map cannot be costed: "
                    "fill in Delivered By, Sessions per Week and Minutes per Session")
    path = _render("evidence_provision", base | {"provision": provision_rows(groups), "provision_total": total,
                                                 "missing": gaps}, settings, dest("Provision"), pupil.label)
    result.parts.append(Part("Provision, term by term, with hours and cost", path))
    result.missing += gaps

    rows, series = progress(pupil, cycle)
    gaps = [] if rows else [f"no IEP review for {pupil.forename} in the records store, so no progress to show"]
    path = _render("evidence_progress", base | {"progress": rows, "missing": gaps}, settings,
                   dest("Progress"), pupil.label)
    result.parts.append(Part("Progress towards each target", path))
    chart_pdf, chart_png = progress_chart(series, [item.term.name for item in cycle],
                                          f"Progress towards each target: {pupil.name}")
    chart = dest("Progress chart", ".pdf")
    atomic_write(chart, chart_pdf)
    atomic_write(chart.with_suffix(".png"), chart_png)
    result.parts.append(Part("Progress chart", chart))
    result.missing += gaps
    return result


def proven_ieps(pupil: Pupil, sources: Sources, day: date) -> tuple[dict[str, Path], list[str]]:
    """The pupil's IEP for each term up to ``day`` in the IEP folders, each
    proved to be theirs as a letter's enclosure is (:func:`formkit.letters.prove_iep`:
    formkit's UPN and term properties, the folder's manifest, or exact Name and
    DOB fields; never a name in its text), and what is missing. The term is the
    one formkit wrote into it, else the one its folder names or whose start it
    shows. Raises IdentityError when a file named as the pupil's IEP is not
    provably theirs (the pack must not be made without it being put right), and
    InputFileError when one is not a usable .docx."""
    terms = _terms(sources.settings, day)
    ieps: dict[str, Path] = {}
    missing: list[str] = []
    manifests: dict[Path, tuple[str, str]] = {}
    for folder in sources.ieps:
        if folder.is_dir():
            manifests |= iep_index(folder).manifest
    for path in pupil_ieps(sources.ieps, pupil):
        guard.check_file(path, "docx")
        package = DocxPackage.open(path)
        made_for = package.custom_properties().get(TERM_PROPERTY, "")
        term = next((t for t in terms if made_for and _folded(t.name) == _folded(made_for)), None)
        if term is None and not made_for:
            term = iep_term(path, _text(package), terms)
        prove_iep(path, pupil, term.name if term else None, manifests)
        if term is None and made_for:
            missing.append(f"{path}: formkit wrote it for {made_for}, which is not a term up to {uk_date(day)}, so it "
                           "is left out")
        elif term is None:
            missing.append(f"{path}: formkit cannot tell which term this IEP is for, so it is left out; put "
                           "the term in its folder's name, e.g. 'IEPs Autumn 2026'")
        elif term.name in ieps:
            missing.append(f"two IEPs for {term.name} ({ieps[term.name].name} and {path.name}); the first is used")
        else:
            ieps[term.name] = path
    return ieps, missing


def _terms(settings: Settings, day: date) -> list[Term]:
    return sorted((t for t in settings.school.terms if t.start <= day), key=lambda t: t.start)


def _plans_and_reviews(pupil: Pupil, sources: Sources, ieps: dict[str, Path], cycle: list[TermReview],
                       loose: list[Any], day: date, result: Parts, dest: Any) -> None:
    """Each term's IEP (proved, ``ieps``) and its review, oldest first; what is
    missing of either."""
    if not sources.ieps and sources.records.store is None:
        result.missing.append("no IEP folders were given (--ieps) and no records store, so the IEPs are not in the"
                              " pack")
    if sources.records.store is None:
        result.missing.append("no records store was given, so the reviews and referrals are not in the pack")
    plans = _plans(pupil, sources.records.store)
    for item in cycle:
        name = item.term.name
        if name in ieps:
            copy = dest(f"IEP - {name}")
            shutil.copyfile(ieps[name], copy)
            copy.chmod(0o600)
            result.parts.append(Part(f"IEP: {name}", copy))
        elif term_key(name) in plans:
            try:
                remade = _iep_from_plan(pupil, plans[term_key(name)], item, sources.settings, day)
            except FormkitError as exc:
                result.missing.append(f"the IEP for {name} cannot be made again from its recorded plan: {exc}")
            else:
                path = dest(f"IEP - {name}")
                atomic_write(path, remade)
                result.parts.append(Part(f"IEP: {name}", path))
        elif sources.ieps:
            result.missing.append(f"no IEP for {name} in {', '.join(str(f) for f in sources.ieps)}, and no plan"
                                  " for it in the records store")
        elif sources.records.store is not None:
            result.missing.append(f"no IEP for {name}: no plan for it in the records store, and no IEP folders"
                                  " were given (--ieps)")
        if item.review is not None:
            path = dest(f"IEP review - {name}")
            atomic_write(path, form_from_record(item.review, pupil, sources.settings, today=day))
            result.parts.append(Part(f"IEP review: {name}", path))
    if sources.records.store is not None:
        result.missing += missing_reviews(cycle, day)
        result.missing += [f"{item.term.name}'s review is not due until {uk_date(item.term.review_date)}"
                           for item in cycle if item.review is None and item.term.review_date >= day]
    for review in loose:
        shown = uk_date(record_date(review))
        path = dest(f"IEP review - {shown.replace('/', '-')}")
        atomic_write(path, form_from_record(review, pupil, sources.settings, today=day))
        result.parts.append(Part(f"IEP review of {shown}", path))


def _plans(pupil: Pupil, store: Path | None) -> dict[str, Plan]:
    """The pupil's current plans in the store, by term."""
    if store is None:
        return {}
    with RecordStore.open(store) as db:
        return {term_key(plan.term): plan for plan in db.plans_for(pupil.upn)}


def _iep_from_plan(pupil: Pupil, plan: Plan, item: TermReview, settings: Settings, day: date) -> bytes:
    """The term's IEP made again from its recorded plan (its template, targets
    and baselines), each target showing the outcome of the term's review."""
    reviews = [item.review.values] if item.review is not None else []
    targets, _ = with_reviews(plan.targets, reviews)
    template = resolve_template(Path(plan.template).stem, settings)
    context = build_context(replace(pupil, targets=targets), settings.school, item.term, day)
    return CompiledTemplate(template).render(context, pupil=pupil.label)


def _referrals(pupil: Pupil, sources: Sources, day: date, result: Parts, dest: Any) -> None:
    referrals = sources.records.of("referral")
    if sources.records.store is not None and not referrals:
        result.missing.append(f"no referral form for {pupil.forename} in the records store")
    for referral in referrals:
        shown = uk_date(record_date(referral)) or "undated"
        path = dest(f"Referral - {shown.replace('/', '-')}")
        atomic_write(path, form_from_record(referral, pupil, sources.settings, today=day))
        result.parts.append(Part(f"Referral: {shown}", path))


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def progress(pupil: Pupil, cycle: Sequence[TermReview]) -> tuple[list[dict[str, str]], list[Series]]:
    """Each target's row per term it was reviewed in (its baseline from the
    register's Targets sheet), and its line for the chart."""
    baselines = {_key(t.target): t.baseline for t in pupil.targets}
    order: dict[str, str] = {}
    points: dict[str, list[tuple[str, float]]] = {}
    rows = []
    for item in cycle:
        for target in (item.review.values.get("targets") or []) if item.review else []:
            text = target.get("target") or ""
            key = _key(text)
            order.setdefault(key, text)
            achieved = target.get("achieved_percent")
            if isinstance(achieved, (int, float)):
                points.setdefault(key, []).append((item.term.name, float(achieved)))
            rows.append({"key": key, "target": text, "term": item.term.name,
                         "baseline": percent(baselines.get(key)), "achieved": percent(achieved),
                         "band": target.get("band") or "", "outcome": target.get("outcome") or ""})
    rows.sort(key=lambda r: list(order).index(r["key"]))
    for previous, row in zip([None, *rows], rows):
        if previous is not None and previous["key"] == row["key"]:
            row["target"] = ""
    series = [Series(text, tuple(points.get(key, [])),
                     None if baselines.get(key) is None else float(baselines[key]))  # type: ignore[arg-type]
              for key, text in order.items()]
    return rows, series


def example_evidence_context() -> dict[str, Any]:
    """Every section the evidence pack's own templates use, invented, for checking
    them without a register (``formkit templates check``)."""
    row = {"title": "One-page profile", "page": "3", "intervention": "Numicon catch-up", "agency": "EPS",
           "start": "21/09/2026", "target": "To ...", "term": "Autumn 2026", "baseline": "40%", "achieved": "55%",
           "band": "50-74%", "outcome": "Partly"}
    return {"pack": {"date": "20/04/2027"}, "sections": [row], "agency_provision": [row], "progress": [row]}


__all__ = ["Part", "example_evidence_context", "Parts", "Sources", "document_text", "evidence_parts", "iep_term", "initials", "progress",
           "proven_ieps", "pupil_ieps"]
