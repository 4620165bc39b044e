"""Parent letters: formkit generate letters."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from typing import TYPE_CHECKING

from . import (
    LazyHelpOption,
    audit_run,
    generate_group,
    print_report,
    reports_errors,
    school_settings,
    store_path,
    NO_STORE,
    upns,
)

_DAY = click.DateTime(["%Y-%m-%d"])
_FILE = click.Path(path_type=Path, dir_okay=False)

if TYPE_CHECKING:
    from ..letters import LetterReport


def _time(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from ..letters import parse_time

    try:
        return parse_time(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _letter_help() -> str:
    from ..letters import letter_names

    return f"{', '.join(letter_names())}, or a .docx path."


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@generate_group.command("letters")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--letter", required=True, cls=LazyHelpOption, lazy_help=_letter_help)
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the letters.")
@click.option("--date", "letter_date", type=_DAY, metavar="YYYY-MM-DD", help="The letters' date (default: today).")
@click.option("--attach-ieps", type=click.Path(path_type=Path, file_okay=False), help="Folder of IEPs to enclose.")
@click.option("--pdf", is_flag=True, help="Also make a PDF of every letter (needs LibreOffice).")
@click.option("--print-pdf", type=_FILE, help="Merge the posted letters into this print-ready PDF (implies --pdf).")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--added-since", type=_DAY, metavar="YYYY-MM-DD", help="Only pupils added to the SEN register on or after this date.")
@click.option("--meeting-date", type=_DAY, metavar="YYYY-MM-DD", help="Review meeting date, for pupils the Meetings sheet lacks.")
@click.option("--meeting-time", callback=_time, help="Review meeting time, e.g. 15:30.")
@click.option("--meeting-with", help="Who the review meeting is with.")
@click.option("--meeting-place", help="Where the review meeting is (default: the school).")
@click.option("--agency", help="Outside agency for referral_consent, e.g. 'educational psychology'.")
@click.option("--invited", help="Who is invited to an annual review, separated by ';' (default: the family, the "
              "pupil, the school's staff, the professionals involved and the local authority).")
@click.option("--short-notice", metavar="REASON", help="Send an annual review's letters for a meeting less than two "
              "weeks away, recording this reason.")
@click.option("--professionals", type=_FILE, help="Professionals file (default: the register's Professionals sheet).")
@click.option("--meetings", type=_FILE, help="Meetings file (default: the register's Meetings sheet).")
@click.option("--referrals", type=_FILE, help="Referrals file (default: the register's Referrals sheet).")
@click.option("--contacts", type=_FILE, help="Contacts file (default: the register's Contacts sheet).")
@click.option("--term", help="Term name from formkit.toml (default: the term of the letters' date).")
@click.option("--overwrite", is_flag=True, help="Replace letters that are already in the folder.")
@click.option("--store", type=_FILE, help="Records database to note the letters sent in (default: the workspace's).")
@click.pass_context
@reports_errors
def generate_letters(ctx: click.Context, register_file: Path, letter: str, out: Path, letter_date: datetime | None,
                     attach_ieps: Path | None, pdf: bool, print_pdf: Path | None, only: tuple[str, ...],
                     added_since: datetime | None, meeting_date: datetime | None, meeting_time, meeting_with: str | None,
                     meeting_place: str | None, agency: str | None, invited: str | None, short_notice: str | None,
                     professionals: Path | None, meetings: Path | None, referrals: Path | None,
                     contacts: Path | None, term: str | None, overwrite: bool, store: Path | None) -> None:
    """Write a letter to each family of the pupils on the SEN register: one .docx
    per letter in OUT/<year group>/, with OUT/manifest.csv; with --pdf their PDFs,
    with --print-pdf one print-ready file and OUT/mailing.csv. Exits 1 if any
    pupil's letter failed. Each letter written is noted in the records store,
    for the pupil's history. removed_from_register goes to the pupils whose
    latest review in the store decided so (or --only's); referral_consent, with
    no Referrals sheet, to those whose review decided to involve a specialist or
    ask for an EHC needs assessment, to the agency the review names."""
    from ..cycle import letter_decisions, record_letters
    from ..letters import LetterDetails, LetterRequest, make_letters
    from ..records import held_store
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, contacts=contacts, column_map=settings.column_map)
    where = store_path(settings, store)
    decided = letter_decisions(data, where, settings.school.terms, letter)
    details = LetterDetails(meeting_date=_day(meeting_date), meeting_time=meeting_time,
                            meeting_with=meeting_with or "", meeting_place=meeting_place or "", agency=agency or "",
                            invited=invited or "")
    request = LetterRequest(letter=letter, letter_date=_day(letter_date), term=term, only=upns(only),
                            added_since=_day(added_since), details=details, meetings=meetings, referrals=referrals,
                            attach_ieps=attach_ieps, overwrite=overwrite, professionals=professionals,
                            short_notice=short_notice or "", from_reviews=decided)
    with held_store(where) as db:  # busy: refused before any letter is written
        report = make_letters(data, settings, out, request, pdf=pdf, print_pdf=print_pdf,
                              notify=lambda message: click.echo(message, err=True))
        print_report(report, "letter")
        _print_extras(report)
        if decided and not only:
            click.echo(f"Reviews in the records store decided this letter for {len(decided)} pupils.")
        if db is None:
            click.echo(f"Letters sent not noted in a records store: {NO_STORE}.")
        elif report.letters:
            click.echo(f"Records store {where}: {record_letters(db, report)} letters noted as sent.")
    audit_run(ctx, settings, templates=[report.template], pupils=len({r.upn for r in report.results}),
              documents=report.count("written") + report.pdfs, where=out, ok=report.ok)
    if report.unproven:
        raise click.ClickException(
            f"no letter for {'; '.join(report.unproven)}: the IEP in {attach_ieps} is not provably theirs, so it is "
            "not enclosed and nothing of theirs is made or packed (the Failed: lines above say why)")
    if not report.ok:
        sys.exit(1)


def _print_extras(report: LetterReport) -> None:
    from ..letters import MAILING

    for family in report.untranslated:
        click.echo(f"In English (no translated {report.template} for their language): {family}")
    for r in report.emailed:
        click.echo(f"To email, not in the print pack: {r.name}: {r.recipient} <{r.email}>: {r.file}")
    if report.pdfs:
        click.echo(f"{report.pdfs} PDFs made with LibreOffice.")
    if report.print_pdf is not None:
        click.echo(f"Print pack: {report.print_pdf}: {report.packs} packs, {report.pack_pages} pages; print it "
                   f"double-sided. The mailing list is {report.out / MAILING}.")
