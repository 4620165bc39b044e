"""EHC and profile commands: generate profiles."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..ehc import generate_profiles
from ..register import load_register
from . import (
    audit_run,
    generate_group,
    print_report,
    reports_errors,
    school_settings,
    upns,
    with_progress,
)

_FILE = click.Path(path_type=Path, dir_okay=False)
_DIR = click.Path(path_type=Path, file_okay=False)


@generate_group.command("profiles")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--out", required=True, type=_DIR, help="Folder for the profiles.")
@click.option("--profiles", type=_FILE, help="Profiles file (default: the register's Profiles sheet).")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--template", default="one_page_profile", show_default=True, help="Template name or a .docx path.")
@click.option("--overwrite", is_flag=True, help="Replace profiles that are already in the folder.")
@click.pass_context
@reports_errors
def generate_profiles_command(ctx: click.Context, register_file: Path, out: Path, profiles: Path | None,
                              only: tuple[str, ...], template: str, overwrite: bool) -> None:
    """Write a one-page profile for every pupil on the SEN register (and any
    other pupil with a Profiles row), one .docx each in OUT/<year group>/, with
    OUT/manifest.csv. Exits 1 if any profile failed."""
    settings = school_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    report = with_progress(len(data.on_register()), lambda progress: generate_profiles(
        data, settings, out, profiles=profiles, only=upns(only), template=template, overwrite=overwrite,
        progress=progress))
    print_report(report, "profile")
    audit_run(ctx, settings, templates=[report.template], pupils=len(report.results),
              documents=report.count("written"), where=out, ok=report.ok)
    if not report.ok:
        sys.exit(1)
