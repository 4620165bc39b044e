"""The term cycle's commands: formkit due."""

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
@click.pass_context
@reports_errors
def due(ctx: click.Context, register_file: Path, on: datetime | None, weeks: int, ics: Path | None,
        store: Path | None) -> None:
    """List what is due, overdue first: each pupil's termly IEP review and meeting
    with parents, review forms not back, EHC annual reviews and their
    invitations, and pupils with no plan yet."""
    from ..cycle import due_list, write_calendar
    from ..register import load_register

    settings = plain_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    day = on.date() if on else date.today()
    found = due_list(data, settings.school.terms, store_path(settings, store), on=day, weeks=weeks)
    click.echo(found.text())
    if ics is not None:
        events = [*found.coming, *found.later]
        count = write_calendar(ics, events, school=settings.school.name)
        click.echo(f"Calendar: {count} events in {ics} (overdue dates are listed above, not in the calendar).")
    audit_run(ctx, settings, templates=[], pupils=len({i.upn for i in found.items}), documents=1 if ics else 0,
              where=ics or "", ok=True)
