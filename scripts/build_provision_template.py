"""Build formkit's provision map workbook template with openpyxl.

    python scripts/build_provision_template.py [OUT.xlsx]

writes templates/xlsx/provision_map.xlsx (or OUT.xlsx): the SENCo's provision map
as a school would adopt it.

- **Provision**: one row per pupil per intervention, headings in row 3 inside the
  Excel table ``ProvisionMap``, one prepared row (row 4) holding the formulas for
  weeks, hours, hourly cost, cost per pupil and progress; drop-downs for area of
  need, wave, delivered by and impact rating (lists on the Settings sheet);
  conditional formatting on the impact rating and progress; frozen headings.
  Printed on A4 landscape at 85%, three pages across (:data:`PAGES`), UPN, Pupil
  and the heading row repeated on every page, wide columns' text wrapped.
- **Summary**: pupils, provisions, hours and cost by year group and by area of
  need, as formulas over the table (structured references grow with it); one
  page wide in portrait.
- **Settings**: hourly rate by role, weeks per year (38), and the lists.

Its category property is formkit's confidentiality marker
(``formkit.template.CONFIDENTIAL``, as on every Word document formkit writes),
and every map ``provision-map new`` builds keeps it.

The columns and lists come from formkit.provision, so the template and the code
that reads it agree. The output is deterministic (fixed timestamps, as scripts/build_samples.py saves),
so a rebuild gives identical bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from build_samples import FIXED_STAMP as FIXED  # noqa: E402
from build_samples import save_deterministic  # noqa: E402

from formkit.provision.columns import AREAS, COLUMNS, DEFAULT_RATES, RATINGS, WAVES, WEEKS_PER_YEAR
from formkit.files import CONFIDENTIAL

DEFAULT_OUT = REPO / "templates" / "xlsx" / "provision_map.xlsx"
HEADER_ROW = 3
FIRST = HEADER_ROW + 1
TITLE = Font(name="Calibri", size=16, bold=True, color="1F3864")
NOTE = Font(name="Calibri", size=10, italic=True, color="595959")
BOLD = Font(name="Calibri", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY = '"£"#,##0.00'
YEARS = ("Nursery", "Reception", *(f"Year {n}" for n in range(1, 7)))
LIST_ROWS = 17  # Settings rows 4-20: room for the school's own roles

COL = {name: get_column_letter(i + 1) for i, name in enumerate(COLUMNS)}
WIDTHS = {"upn": 15, "pupil": 20, "year": 10, "class_name": 6, "area": 22, "intervention": 24, "wave": 7,
          "delivered_by": 17, "group_size": 7, "sessions_per_week": 9, "minutes": 9, "start_date": 11,
          "end_date": 11, "weeks": 7, "hours": 7, "hourly_cost": 8, "cost_per_pupil": 9, "entry_measure": 24,
          "entry_score": 7, "exit_score": 7, "progress": 9, "impact_rating": 20, "outside_agency": 18, "notes": 34}
WRAPPED = ("pupil", "area", "intervention", "delivered_by", "entry_measure", "impact_rating", "outside_agency",
           "notes")
"""Columns whose text wraps in its cell rather than running under the next column (on screen and on paper)."""
PAGES = (("upn", "delivered_by"), ("group_size", "cost_per_pupil"), ("entry_measure", "notes"))
"""The columns printed on each page across: who and what, then time and cost, then measures and impact. UPN and
Pupil are repeated on every page, and the heading row at the top of each."""
FORMATS = {"start_date": "dd/mm/yyyy", "end_date": "dd/mm/yyyy", "weeks": "0", "hours": "0.0",
           "hourly_cost": MONEY, "cost_per_pupil": MONEY, "group_size": "0", "sessions_per_week": "0.#",
           "minutes": "0"}


def formulas(row: int) -> dict[str, str]:
    """The formula columns of one Provision row (Excel copies them down the table)."""
    c = {name: f"{letter}{row}" for name, letter in COL.items()}
    return {
        "weeks": f'=IF(AND(ISNUMBER({c["start_date"]}),ISNUMBER({c["end_date"]})),'
                 f'ROUNDUP(({c["end_date"]}-{c["start_date"]}+1)/7,0),"")',
        "hours": f'=IF(OR({c["sessions_per_week"]}="",{c["minutes"]}=""),"",'
                 f'ROUND({c["sessions_per_week"]}*{c["minutes"]}/60*IF({c["weeks"]}="",WeeksPerYear,{c["weeks"]}),1))',
        "hourly_cost": f'=IF({c["delivered_by"]}="","",IFERROR(VLOOKUP({c["delivered_by"]},Rates,2,FALSE),""))',
        "cost_per_pupil": f'=IF(OR({c["hours"]}="",{c["hourly_cost"]}=""),"",'
                          f'ROUND({c["hourly_cost"]}*{c["hours"]}/MAX({c["group_size"]},1),2))',
        "progress": f'=IF(AND(ISNUMBER({c["entry_score"]}),ISNUMBER({c["exit_score"]})),'
                    f'{c["exit_score"]}-{c["entry_score"]},"")',
    }


def build_provision(wb: Workbook) -> None:
    ws = wb.active
    ws.title = "Provision"
    ws["A1"] = "Provision map"
    ws["A1"].font = TITLE
    ws["A2"] = ("Confidential: SEN information about named pupils. One row per pupil per intervention."
                " Cost per pupil = hourly rate x hours per session x sessions per week x weeks / group size;"
                " rates and weeks per year are on the Settings sheet.")
    ws["A2"].font = NOTE
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A2:{COL[PAGES[0][1]]}2")
    ws.row_dimensions[2].height = 30
    for name, letter in COL.items():
        cell = ws[f"{letter}{HEADER_ROW}"]
        cell.value = COLUMNS[name][0]
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = WIDTHS[name]
        body = ws[f"{letter}{FIRST}"]
        body.border = BOX
        body.alignment = Alignment(vertical="top", wrap_text=name in WRAPPED)
        body.number_format = FORMATS.get(name, "General")
    for name, formula in formulas(FIRST).items():
        ws[f"{COL[name]}{FIRST}"] = formula
    ws.row_dimensions[HEADER_ROW].height = 45  # three lines: 'Minutes / per / Session'
    last = COL["notes"]
    table = Table(displayName="ProvisionMap", ref=f"A{HEADER_ROW}:{last}{FIRST}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    lists = {"area": ("AreasOfNeed", "Choose the broad area of need."),
             "wave": ("Waves", "Wave 1: quality first teaching; 2: small group; 3: individual or specialist."),
             "delivered_by": ("Roles", "Choose a role from the Settings sheet; its hourly rate is used."),
             "impact_rating": ("Ratings", "Choose the impact rating from the intervention impact form.")}
    for name, (list_name, prompt) in lists.items():
        dv = DataValidation(type="list", formula1=f"={list_name}", allow_blank=True, errorStyle="warning",
                            showErrorMessage=True, showInputMessage=True,
                            errorTitle="Not on the list", error="This is not one of the choices on the Settings"
                            " sheet. Add it there, or choose one from the list.", promptTitle=COLUMNS[name][0],
                            prompt=prompt)
        dv.add(f"{COL[name]}{FIRST}")
        ws.add_data_validation(dv)
    rating = f"${COL['impact_rating']}{FIRST}"
    colours = (("C6EFCE", "006100", f'OR(LEFT({rating},1)="+",{rating}="Achieved")'),
               ("E2EFDA", "375623", f'LEFT({rating},1)="0"'),
               ("FFEB9C", "9C5700", f'OR(LEFT({rating},2)="-1",{rating}="Partially achieved")'),
               ("FFC7CE", "9C0006", f'OR(LEFT({rating},2)="-2",{rating}="Not achieved")'))
    for fill, font, formula in colours:
        ws.conditional_formatting.add(f"{COL['impact_rating']}{FIRST}", FormulaRule(
            formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=font)))
    progress = f"{COL['progress']}{FIRST}"
    ws.conditional_formatting.add(progress, CellIsRule(operator="lessThan", formula=["0"], font=Font(color="9C0006")))
    ws.conditional_formatting.add(progress, CellIsRule(operator="greaterThan", formula=["0"],
                                                       font=Font(color="006100", bold=True)))
    ws.freeze_panes = f"C{FIRST}"
    print_layout(ws, landscape=True, scale=85)
    ws.page_setup.pageOrder = "overThenDown"
    for _, last_col in PAGES[:-1]:
        ws.col_breaks.append(Break(id=list(COL).index(last_col) + 1))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_title_cols = f"A:{COL['pupil']}"
    ws.oddFooter.left.text = "Confidential: SEN provision"
    ws.oddFooter.right.text = "Page &P of &N"


def print_layout(ws, *, landscape: bool, scale: int | None = None) -> None:
    """A4 with narrow margins; at ``scale`` per cent, else fitted to one page wide
    (a sheet that is narrow enough to print at nearly full size)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    if scale is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    else:
        ws.page_setup.scale = scale


def _group_block(ws, top: int, title: str, labels: tuple[str, ...], column: str) -> int:
    ws[f"A{top}"] = title
    ws[f"A{top}"].font = Font(name="Calibri", size=12, bold=True, color="1F3864")
    heads = ("Pupils", "Provisions", "Hours", "Cost (£)")
    ws[f"A{top + 1}"] = title.replace("By ", "").capitalize()
    for i, head in enumerate(heads):
        ws.cell(top + 1, 2 + i, head)
    for cell in ws[top + 1]:
        if cell.value:
            cell.font = BOLD
            cell.fill = HEADER_FILL
    t = "ProvisionMap"
    by, upn = f"{t}[{column}]", f"{t}[UPN]"
    for i, label in enumerate(labels):
        r = top + 2 + i
        ws[f"A{r}"] = label
        ws[f"B{r}"] = (f'=SUMPRODUCT(({by}=$A{r})*({upn}<>"")/COUNTIFS({upn},{upn}&"",{by},{by}&""))')
        ws[f"C{r}"] = f'=COUNTIFS({by},$A{r},{t}[Intervention],"<>")'
        ws[f"D{r}"] = f"=SUMIFS({t}[Hours],{by},$A{r})"
        ws[f"E{r}"] = f"=SUMIFS({t}[Cost per Pupil],{by},$A{r})"
    total = top + 2 + len(labels)
    ws[f"A{total}"] = "All pupils"
    ws[f"B{total}"] = f'=SUMPRODUCT(({upn}<>"")/COUNTIF({upn},{upn}&""))'
    ws[f"C{total}"] = f'=COUNTIFS({upn},"<>",{t}[Intervention],"<>")'
    ws[f"D{total}"] = f"=SUM({t}[Hours])"
    ws[f"E{total}"] = f"=SUM({t}[Cost per Pupil])"
    for r in range(top + 2, total + 1):
        ws[f"D{r}"].number_format = "#,##0.0"
        ws[f"E{r}"].number_format = MONEY
        for col in "ABCDE":
            ws[f"{col}{r}"].border = BOX
    for col in "ABCDE":
        ws[f"{col}{total}"].font = BOLD
    return total + 2


def build_summary(wb: Workbook) -> None:
    ws = wb.create_sheet("Summary")
    ws["A1"] = "Provision map summary"
    ws["A1"].font = TITLE
    ws["A2"] = ("Worked out from the Provision sheet. Hours are the hours each pupil receives; cost is each pupil's"
                " share of the staff time. A pupil with several interventions is counted once.")
    ws["A2"].font = NOTE
    after = _group_block(ws, 4, "By year group", YEARS, "Year")
    _group_block(ws, after, "By area of need", AREAS, "Area of Need")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:E2")
    ws.row_dimensions[2].height = 45
    ws.column_dimensions["A"].width = 34
    for col in "BCDE":
        ws.column_dimensions[col].width = 11
    ws.column_dimensions["E"].width = 13
    print_layout(ws, landscape=False)
    ws.oddFooter.left.text = "Confidential: SEN provision"
    ws.oddFooter.right.text = "Page &P of &N"


def build_settings(wb: Workbook) -> None:
    ws = wb.create_sheet("Settings")
    ws["A1"] = "Settings"
    ws["A1"].font = TITLE
    ws["A2"] = ("Edit these for your school. Hourly rates include on-costs. The lists give the drop-downs on the"
                " Provision sheet; add a role in an empty row and it appears there.")
    ws["A2"].font = NOTE
    heads = {"A": "Role", "B": "Hourly rate (£)", "D": "Area of need", "F": "Wave", "H": "Impact rating",
             "J": "Weeks per year"}
    for col, head in heads.items():
        ws[f"{col}3"] = head
        ws[f"{col}3"].font = BOLD
        ws[f"{col}3"].fill = HEADER_FILL
    last = FIRST + LIST_ROWS - 1
    for i in range(LIST_ROWS):
        r = FIRST + i
        if i < len(DEFAULT_RATES):
            ws[f"A{r}"], ws[f"B{r}"] = DEFAULT_RATES[i]
        ws[f"B{r}"].number_format = MONEY
        for col in "AB":
            ws[f"{col}{r}"].border = BOX
    for col, values in (("D", AREAS), ("F", WAVES), ("H", RATINGS)):
        for i, value in enumerate(values):
            ws[f"{col}{FIRST + i}"] = value
    ws[f"J{FIRST}"] = WEEKS_PER_YEAR
    ws[f"J{FIRST}"].border = BOX
    for col, width in (("A", 30), ("B", 15), ("C", 3), ("D", 36), ("E", 3), ("F", 9), ("G", 3), ("H", 36),
                       ("I", 3), ("J", 15)):
        ws.column_dimensions[col].width = width
    names = {"Roles": f"$A${FIRST}:$A${last}", "Rates": f"$A${FIRST}:$B${last}",
             "AreasOfNeed": f"$D${FIRST}:$D${FIRST + 9}", "Waves": f"$F${FIRST}:$F${FIRST + 5}",
             "Ratings": f"$H${FIRST}:$H${FIRST + 9}", "WeeksPerYear": f"$J${FIRST}"}
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:H2")
    ws.row_dimensions[2].height = 30
    print_layout(ws, landscape=True)
    for name, cells in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"Settings!{cells}")


def build() -> Workbook:
    wb = Workbook()
    build_provision(wb)
    build_summary(wb)
    build_settings(wb)
    wb.properties.title = "Provision map"
    wb.properties.creator = "formkit"
    wb.properties.category = CONFIDENTIAL
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    return wb


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    save_deterministic(build(), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
