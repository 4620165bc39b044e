"""The provision map report: what provision costs, and which interventions work.

:func:`build_report` reads the Provision sheet (any layout :class:`ProvisionMap`
reads) and the Settings sheet, and adds up cost, hours and pupils by year group
and by area of need, and for each intervention (and entry measure) the pupils,
how many have both an entry and an exit score, and their average progress (exit
minus entry). Cost and hours are worked out as the template's formulas do, so the
report is right even before Excel has recalculated an updated file; a number
typed over a formula is used as typed, and a formula's cached result is used when
the workbook was last saved by a spreadsheet program (no pending recalculation).

The report names no pupil. :func:`write_report` saves it as a workbook sheet
(.xlsx, with a chart, marked confidential in its category property as formkit's
documents are) or as a chart picture (.png, drawn with matplotlib).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..codes import parse_year, year_label
from ..errors import OutputError
from ..files import atomic_write, private_dir
from .columns import Lists
from .workbook import MapRow, ProvisionMap

NO_YEAR, NO_AREA = "(no year group)", "(no area of need)"


@dataclass
class Group:
    """Totals for one year group or area of need."""

    label: str
    upns: set[str] = field(default_factory=set)
    provisions: int = 0
    hours: float = 0.0
    cost: float = 0.0

    @property
    def pupils(self) -> int:
        return len(self.upns)


@dataclass
class InterventionLine:
    """One intervention (with one entry measure): who had it, and the progress."""

    intervention: str
    measure: str
    upns: set[str] = field(default_factory=set)
    progress: list[float] = field(default_factory=list)
    hours: float = 0.0
    cost: float = 0.0

    @property
    def pupils(self) -> int:
        return len(self.upns)

    @property
    def average(self) -> float | None:
        return sum(self.progress) / len(self.progress) if self.progress else None


@dataclass
class ProvisionReport:
    """The report of one provision map. ``waiting`` counts rows with a pupil but
    no intervention yet; ``uncosted`` counts provisions whose cost could not be
    worked out (no role rate, sessions or minutes)."""

    file: str
    by_year: list[Group]
    by_area: list[Group]
    total: Group
    interventions: list[InterventionLine]
    waiting: int = 0
    uncosted: int = 0

    def text(self) -> str:
        out = [f"Provision map report: {self.file}",
               "Confidential: SEN provision. Costs are each pupil's share of staff time.", ""]
        for title, groups in (("By year group", self.by_year), ("By area of need", self.by_area)):
            out.append(f"{title:<38}{'Pupils':>7}{'Provisions':>11}{'Hours':>9}{'Cost':>12}")
            for g in [*groups, self.total]:
                out.append(f"{g.label:<38}{g.pupils:>7}{g.provisions:>11}{g.hours:>9.1f}{_money(g.cost):>12}")
            out.append("")
        out.append("Interventions, best average progress first (progress = exit score - entry score)")
        out.append(f"{'Intervention':<30}{'Entry measure':<38}{'Pupils':>7}{'Scored':>7}{'Average':>9}"
                   f"{'Cost':>12}")
        for line in self.interventions:
            average = "-" if line.average is None else f"{line.average:+.1f}"
            out.append(f"{line.intervention[:29]:<30}{(line.measure or '-')[:37]:<38}{line.pupils:>7}"
                       f"{len(line.progress):>7}{average:>9}{_money(line.cost):>12}")
        if self.waiting:
            out.append(f"\n{self.waiting} row{'s' if self.waiting != 1 else ''} name a pupil but no intervention yet.")
        if self.uncosted:
            out.append(f"{self.uncosted} provision{'s' if self.uncosted != 1 else ''} could not be costed: fill in"
                       " Delivered By (a role on the Settings sheet), Sessions per Week and Minutes per Session.")
        return "\n".join(out)


def _money(value: float) -> str:
    return f"£{value:,.2f}"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _given(pmap: ProvisionMap, row: MapRow, name: str) -> float | None:
    """A number the SENCo typed, or a formula's result saved by a spreadsheet program."""
    if name in row.formulas and pmap.package.full_calc_on_load:
        return None
    return _number(row.values.get(name))


def row_costing(pmap: ProvisionMap, row: MapRow, lists: Lists) -> tuple[float | None, float | None]:
    """(hours, cost per pupil) of one row, as the template's formulas work them out."""
    weeks = _given(pmap, row, "weeks")
    start, end = row.values.get("start_date"), row.values.get("end_date")
    if weeks is None and isinstance(start, date) and isinstance(end, date):
        weeks = float(math.ceil(((end - start).days + 1) / 7))
    hours = _given(pmap, row, "hours")
    if hours is None:
        sessions, minutes = _number(row.values.get("sessions_per_week")), _number(row.values.get("minutes"))
        if sessions is not None and minutes is not None:
            hours = round(sessions * minutes / 60 * (weeks if weeks is not None else lists.weeks_per_year), 1)
    cost = _given(pmap, row, "cost_per_pupil")
    if cost is None and hours is not None:
        rate = _given(pmap, row, "hourly_cost")
        if rate is None:
            rate = lists.rate(row.text("delivered_by"))
        if rate is not None:
            group = _number(row.values.get("group_size")) or 1
            cost = round(rate * hours / max(group, 1), 2)
    return hours, cost


def _year(text: str) -> str:
    if not text:
        return NO_YEAR
    try:
        return year_label(parse_year(text))
    except ValueError:
        return text


def build_report(path: Path | str) -> ProvisionReport:
    """Read the provision map at ``path`` and add it up (see the module doc)."""
    pmap = ProvisionMap(path)
    lists = pmap.lists
    years: dict[str, Group] = {}
    areas: dict[str, Group] = {a: Group(a) for a in lists.areas}
    total = Group("All pupils")
    lines: dict[tuple[str, str], InterventionLine] = {}
    waiting = uncosted = 0
    for row in pmap.rows:
        upn = "".join(row.text("upn").split()).upper() or f"row {row.number}"
        intervention = row.text("intervention")
        if not intervention:
            waiting += 1 if row.text("upn") else 0
            continue
        hours, cost = row_costing(pmap, row, lists)
        if cost is None:
            uncosted += 1
        area = lists.area(row.text("area")) or row.text("area") or NO_AREA
        year = _year(row.text("year"))
        for group in (years.setdefault(year, Group(year)), areas.setdefault(area, Group(area)), total):
            group.upns.add(upn)
            group.provisions += 1
            group.hours += hours or 0.0
            group.cost += cost or 0.0
        measure = row.text("entry_measure")
        key = (" ".join(intervention.casefold().split()), measure.casefold())
        line = lines.setdefault(key, InterventionLine(intervention, measure))
        line.upns.add(upn)
        line.hours += hours or 0.0
        line.cost += cost or 0.0
        entry, exit_ = _number(row.values.get("entry_score")), _number(row.values.get("exit_score"))
        if entry is not None and exit_ is not None:
            line.progress.append(exit_ - entry)
    order = {year_label(n): n for n in range(-2, 15)}
    by_year = sorted(years.values(), key=lambda g: (order.get(g.label, 99), g.label))
    ranked = sorted(lines.values(), key=lambda l: (l.average is None, -(l.average or 0), l.intervention.casefold()))
    return ProvisionReport(str(path), by_year, list(areas.values()), total, ranked, waiting, uncosted)


def write_report(report: ProvisionReport, out: Path | str) -> Path:
    """Save the report as ``out``: a workbook (.xlsx) with the report's tables on
    a sheet and a cost chart, its category property formkit's confidentiality
    marker, or a picture (.png) of three charts. Written whole
    or not at all; raises OutputError for another file type or, for .png, when
    matplotlib is not installed."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".png"):
        raise OutputError("the report can be written as an Excel workbook (.xlsx) or a chart picture (.png)",
                          file=str(out))
    private_dir(out.parent)
    atomic_write(out, _xlsx(report) if suffix == ".xlsx" else _png(report, str(out)))
    return out


def _rows(report: ProvisionReport) -> Iterable[tuple[str, list[list[object]]]]:
    for title, groups in (("By year group", report.by_year), ("By area of need", report.by_area)):
        rows: list[list[object]] = [["", "Pupils", "Provisions", "Hours", "Cost (£)"]]
        rows += [[g.label, g.pupils, g.provisions, round(g.hours, 1), round(g.cost, 2)]
                 for g in [*groups, report.total]]
        yield title, rows
    lines: list[list[object]] = [["Intervention", "Entry measure", "Pupils", "Scored", "Average progress", "Hours",
                                  "Cost (£)"]]
    lines += [[l.intervention, l.measure, l.pupils, len(l.progress),
               None if l.average is None else round(l.average, 1), round(l.hours, 1), round(l.cost, 2)]
              for l in report.interventions]
    yield "Interventions: which work", lines


def _xlsx(report: ProvisionReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    from ..files import CONFIDENTIAL, sheet_safe

    wb = Workbook()
    wb.properties.category = CONFIDENTIAL
    ws = wb.worksheets[0]
    ws.title = "Report"
    ws.append([f"Provision map report: {Path(report.file).name}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Confidential: SEN provision. Costs are each pupil's share of staff time."])
    first_block: tuple[int, int] | None = None
    for title, rows in _rows(report):
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        top = ws.max_row + 1
        for row in rows:
            ws.append([sheet_safe(v) if isinstance(v, str) else v for v in row])
        for cell in ws[top]:
            cell.font = Font(bold=True)
        if first_block is None:
            first_block = (top, ws.max_row - 1)
        cost = rows[0].index("Cost (£)") + 1
        for number in range(top + 1, ws.max_row + 1):
            ws.cell(number, cost).number_format = '"£"#,##0.00'
    for letter, width in zip("ABCDEFG", (38, 36, 10, 8, 10, 10, 12)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if cell.font.bold and cell.column > 1 and cell.value not in (None, "Entry measure"):
                cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="right")
    _print_layout(ws)
    if first_block:
        chart = BarChart()
        chart.title = "Cost by year group"
        chart.y_axis.title = "£"
        top, bottom = first_block
        chart.add_data(Reference(ws, min_col=5, min_row=top, max_row=bottom), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=bottom))
        chart.legend = None
        chart.width, chart.height = 18, 7.5  # cm: below the tables, inside the printed page's width
        ws.add_chart(chart, f"A{ws.max_row + 2}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _print_layout(ws) -> None:  # type: ignore[no-untyped-def]
    """A4 landscape, one page wide, the confidentiality marking and page numbers in the footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddFooter.left.text = "Confidential: SEN provision"
    ws.oddFooter.right.text = "Page &P of &N"


def _png(report: ProvisionReport, name: str) -> bytes:
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt
    except ImportError:
        raise OutputError("writing a chart picture needs matplotlib (pip install matplotlib); or write the report"
                          " as .xlsx", file=name) from None
    scored = [l for l in report.interventions if l.average is not None]
    fig, axes = plt.subplots(1, 3, figsize=(16, 5.5), gridspec_kw={"width_ratios": [1, 1.2, 1.4]})
    years = report.by_year
    axes[0].bar([g.label for g in years], [g.cost for g in years], color="#4472C4")
    axes[0].set_title("Cost by year group (£)")
    plt.setp(axes[0].get_xticklabels(), rotation=40, ha="right")
    areas = report.by_area
    axes[1].barh([a.label for a in areas][::-1], [a.cost for a in areas][::-1], color="#70AD47")
    axes[1].set_title("Cost by area of need (£)")
    labels = [f"{l.intervention}, {l.measure or 'no measure'} ({len(l.progress)} scored)"[:60]
              for l in scored][::-1]
    values = [l.average or 0.0 for l in scored][::-1]
    axes[2].barh(labels, values, color=["#70AD47" if v > 0 else "#C00000" for v in values])
    axes[2].axvline(0, color="#595959", linewidth=0.8)
    axes[2].set_title("Average progress: exit - entry score")
    if not scored:
        axes[2].text(0.5, 0.5, "No exit scores yet", ha="center", va="center", transform=axes[2].transAxes)
    fig.suptitle(f"Provision map report: {Path(report.file).name} (confidential)")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
