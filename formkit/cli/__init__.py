"""The formkit command line: each command parses, calls the library, reports.

A FormkitError becomes ``Error: ...`` and exit code 1; click's usage errors exit 2.
This package is the only place that imports click. Each module in it adds the
commands of one job (term start, letters, forms, the provision map) to the groups
defined here; every module is imported when the package is.

Start-up is kept quick (``formkit --help`` loads no library wing): a command
module imports the library inside its commands, where it is used, never at the
top; an option whose choices or help come from the library uses
:class:`LazyChoice` or :class:`LazyHelpOption`. ``tests/test_startup.py`` checks
this and ``benchmarks/bench_startup.py`` measures it.
"""

from __future__ import annotations

import functools
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..errors import FormkitError

if TYPE_CHECKING:
    from ..documents import BatchReport
    from ..settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn a FormkitError raised by the library into click's 'Error: ...', exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FormkitError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


class LazyChoice(click.Choice):
    """A choice among values the library holds, looked up only when a command
    parses or shows help: ``LazyChoice(lambda: KINDS, "auto")`` lists "auto" first."""

    def __init__(self, load: Callable[[], Sequence[str]], *first: str) -> None:
        self._load = load
        self._first = first
        self.case_sensitive = True

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        return (*self._first, *self._load())


class LazyHelpOption(click.Option):
    """An option whose help text is made from the library when help is shown:
    ``@click.option(..., cls=LazyHelpOption, lazy_help=lambda: "...")``."""

    def __init__(self, *args: Any, lazy_help: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy_help = lazy_help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self._lazy_help()
        return super().get_help_record(ctx)


def school_settings(ctx: click.Context, *, for_families: bool = True) -> Settings:
    """The settings for a command that writes documents; says so when they are the
    sample's. For documents families see (``for_families``), settings still holding
    a FILL IN placeholder or a detail of the sample school are refused, naming them."""
    from ..settings import load_settings

    settings = load_settings(ctx.obj.get("config"))
    if for_families:
        settings.check_details()
    if settings.is_sample:
        click.echo(
            f"Note: no formkit.toml here, so the sample school's settings ({settings.school.name}) are used; "
            "run 'formkit init DIR' to make your own.",
            err=True,
        )
    return settings


def plain_settings(ctx: click.Context) -> Settings:
    from ..settings import load_settings

    return load_settings(ctx.obj.get("config"))


def store_path(settings: Settings, given: Path | None) -> Path | None:
    """The records store: --store, else the workspace's ([forms] store in
    formkit.toml, else formkit-records.sqlite); None outside a workspace."""
    from ..forms import FormsConfig
    from ..records import default_store

    return given or default_store(settings.workspace, FormsConfig.load(settings).store)


NO_STORE = "give --store FILE, or run in a workspace made by 'formkit init'"


def upns(values: tuple[str, ...]) -> list[str]:
    """--only values: repeated, or separated by commas or spaces."""
    return [u for value in values for u in value.replace(",", " ").split()]


def audit_run(
    ctx: click.Context,
    settings: Settings,
    *,
    templates: list[str],
    pupils: int,
    documents: int,
    where: Path | str,
    ok: bool,
) -> None:
    """Append this run to the workspace's audit log (no pupil data, ever)."""
    from .. import audit

    audit.record(
        settings.workspace,
        command=" ".join(ctx.command_path.split()[1:]),
        templates=templates,
        pupils=pupils,
        documents=documents,
        where=Path(where).absolute() if str(where) else "",
        outcome="ok" if ok else "some failed",
    )


def spread_only(args: list[str]) -> list[str]:
    """``--only A B C`` as ``--only A --only B --only C``: the UPNs after --only,
    up to the next option, each given to it (for a command that takes no
    arguments of its own, where they could mean nothing else)."""
    out: list[str] = []
    state = "other"  # "value": the next token is --only's own; "more": further UPNs
    for index, arg in enumerate(args):
        if arg == "--":
            return out + args[index:]
        if state == "more" and not arg.startswith("-"):
            out += ["--only", arg]
            continue
        out.append(arg)
        if state == "value":
            state = "more"
        elif arg == "--only":
            state = "value"
        else:
            state = "more" if arg.startswith("--only=") else "other"
    return out


class _Command(click.Command):
    """A command whose --only takes several UPNs after it, as the README shows."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(p.name == "only" for p in self.params) and not any(isinstance(p, click.Argument) for p in self.params):
            args = spread_only(args)
        return super().parse_args(ctx, args)


class _Group(click.Group):
    command_class = _Command
    group_class = type


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formkit")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="formkit.toml to use (default: ./formkit.toml).")
@click.option("-v", "--verbose", count=True, help="Log more (-v: progress; -vv: each file, which names pupils).")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, verbose: int) -> None:
    """formkit: SEN paperwork from the SEN register, in Word and Excel."""
    ctx.ensure_object(dict)
    ctx.obj["config"] = config
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logger = logging.getLogger("formkit")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("formkit: %(message)s"))
        logger.addHandler(handler)


@cli.group("generate")
def generate_group() -> None:
    """Generate documents for the pupils on the SEN register."""


def with_progress(total: int, work: Callable[[Callable[[int], None] | None], BatchReport]) -> BatchReport:
    if not sys.stderr.isatty() or total < 2:
        return work(None)
    with click.progressbar(length=total, label="Writing", file=sys.stderr) as bar:
        return work(bar.update)


def print_report(report: BatchReport, kind: str) -> None:
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for result in report.failed:
        click.echo(f"Failed: {result.name}: {result.reason}", err=True)
    written, kept, failed = report.count("written"), report.count("kept"), len(report.failed)
    click.echo(
        f"{report.term}: {written} {kind}s written, {kept} kept (already there), {failed} failed, "
        f"from template {report.template}."
    )
    click.echo(f"Files are in {report.out}; the list is {report.manifest}.")




for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    cli(prog_name="formkit")


__all__ = ["cli", "main", "generate_group", "audit_run", "reports_errors", "school_settings", "plain_settings", "upns",
           "store_path", "NO_STORE", "LazyChoice", "LazyHelpOption"]
