"""The term cycle's commands: formkit due, formkit targets next."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from . import audit_run, cli, plain_settings, reports_errors, store_path

_FILE = click.Path(path_type=Path, dir_okay=False)


@cli.command("due")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help="The day to look from (default: today).")
@click.option("--weeks", default=8, show_default=True, type=click.IntRange(1, 104), help="How far ahead to list.")
@click.option("--ics", type=_FILE, help="Also write every date to come as calendar events (initials and UPN only).")
@click.option("--store", type=_FILE, help="Records database with the plans and reviews (default: the workspace's).")
@click.option("--meetings", type=_FILE, help="Meetings file with EHC annual review dates (default: the register's "
              "Meetings sheet).")
@click.pass_context
@reports_errors
def due(ctx: click.Context, register_file: Path, on: datetime | None, weeks: int, ics: Path | None,
        store: Path | None, meetings: Path | None) -> None:
    """List what is due, overdue first: each pupil's termly IEP review and meeting
    with parents, review forms not back, EHC annual reviews and their
    invitations (with a Meetings sheet: the meeting, and its report to the
    local authority two weeks after), and pupils with no plan yet."""
    from ..cycle import due_list, meeting_dates, write_calendar
    from ..register import load_register

    settings = plain_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    day = on.date() if on else date.today()
    held, problems = meeting_dates(data, meetings)
    found = due_list(data, settings.school.terms, store_path(settings, store), on=day, weeks=weeks, meetings=held)
    found.notes += problems
    click.echo(found.text())
    if ics is not None:
        events = [*found.coming, *found.later]
        count = write_calendar(ics, events, school=settings.school.name)
        click.echo(f"Calendar: {count} events in {ics} (overdue dates are listed above, not in the calendar).")
    audit_run(ctx, settings, templates=[], pupils=len({i.upn for i in found.items}), documents=1 if ics else 0,
              where=ics or "", ok=True)


@cli.group("targets")
def targets_group() -> None:
    """Next term's targets, from this term's reviews."""


@targets_group.command("next")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--term", required=True, help="The term to draft targets for, e.g. 'Spring 2027'.")
@click.option("--from-term", help="The term whose reviews they follow (default: the term before --term).")
@click.option("--out", required=True, type=_FILE, help="The Targets workbook to write (.xlsx).")
@click.option("--targets", type=_FILE, help="Targets file for pupils with no plan (default: the register's sheet).")
@click.option("--store", type=_FILE, help="Records database with the plans and reviews (default: the workspace's).")
@click.option("--overwrite", is_flag=True, help="Replace --out if it is already there.")
@click.pass_context
@reports_errors
def targets_next(ctx: click.Context, register_file: Path, term: str, from_term: str | None, out: Path,
                 targets: Path | None, store: Path | None, overwrite: bool) -> None:
    """Draft next term's targets for every pupil on the SEN register into OUT:
    targets not yet achieved carried with the review's achieved % as their new
    baseline and its next steps beside them, achieved ones left out, blank rows
    up to four, pupils with no review back first, and a Decisions sheet with the
    letters that follow. Edit it, then run 'generate ieps --targets OUT'."""
    from ..cycle import draft_next_targets, write_next_targets
    from ..register import load_register

    settings = plain_settings(ctx)
    data = load_register(register_file, targets=targets, column_map=settings.column_map)
    chosen = settings.term(term, date.today())
    before = settings.term(from_term, date.today()) if from_term else None
    draft = draft_next_targets(data, store_path(settings, store), settings.school.terms, chosen, before)
    write_next_targets(draft, out, overwrite=overwrite)
    click.echo(draft.text())
    click.echo(f"Written: {out} (Targets: {len(draft.rows)} rows; Decisions: {len(draft.decisions)}). Edit it, then: "
               f"formkit generate ieps --register {register_file} --targets {out} --term \"{chosen.name}\"")
    audit_run(ctx, settings, templates=[], pupils=len({r.upn for r in draft.rows}), documents=1, where=out, ok=True)
