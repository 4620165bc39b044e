"""Formulas moved to another cell as Excel moves them, checked against openpyxl.

formkit moves formulas itself (``ooxml/formulas.py``) so that adding rows to a
provision map does not import openpyxl; openpyxl's Translator is the reference
here, on hand-picked formulas (the bundled provision map's among them) and on
formulas generated from Excel's pieces: references of every kind, ranges,
sheet names in quotes, text holding things that look like references,
structured references, error values, numbers in scientific notation,
function names that look like cells (LOG10).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.formula.translate import Translator, TranslatorError

from formkit.ooxml.cell_refs import column_letter, ref
from formkit.ooxml.formulas import FormulaError, move_formula


def openpyxl_move(formula: str, rows: int, cols: int, origin: tuple[int, int] = (500, 20)) -> str:
    row, col = origin
    return Translator("=" + formula, origin=ref(row, col)).translate_formula(ref(row + rows, col + cols))[1:]


MAP_FORMULAS = [
    'IF(AND(ISNUMBER(L500),ISNUMBER(M500)),ROUNDUP((M500-L500+1)/7,0),"")',
    'IF(OR(J500="",K500=""),"",ROUND(J500*K500/60*IF(N500="",WeeksPerYear,N500),1))',
    'IF(H500="","",IFERROR(VLOOKUP(H500,Rates,2,FALSE),""))',
    'IF(OR(O500="",P500=""),"",ROUND(P500*O500/MAX(I500,1),2))',
    'IF(AND(ISNUMBER(S500),ISNUMBER(T500)),T500-S500,"")',
]


@pytest.mark.parametrize("formula,rows,cols,expected", [
    ("A1+B2", 1, 0, "A2+B3"),
    ("$A$1+A$1+$A1", 3, 2, "$A$1+C$1+$A4"),
    ("SUM(A1:B5)*2", 10, 0, "SUM(A11:B15)*2"),
    ("SUM(A:A)+SUM(3:4)", 2, 1, "SUM(B:B)+SUM(5:6)"),
    ("'Pupil list'!C5&\"A1 stays\"", 1, 0, "'Pupil list'!C6&\"A1 stays\""),
    ("'It''s here'!B2", 1, 0, "'It''s here'!B3"),
    ("Provision[@[Exit Score]]-Provision[@[Entry Score]]", 5, 0,
     "Provision[@[Exit Score]]-Provision[@[Entry Score]]"),
    ("LOG10(A1)+ATAN2(B1,C1)", 1, 0, "LOG10(A2)+ATAN2(B2,C2)"),
    ("IF(A1>=1E+3,#N/A,TRUE)", 1, 0, "IF(A2>=1E+3,#N/A,TRUE)"),
    ("Sheet2!A1:B2", 1, 0, "Sheet2!A2:B3"),
    ("{1,2;3,4}", 1, 0, "{1,2;3,4}"),
    ("A1 B1", 1, 0, "A2 B2"),
    ("-A1%", 1, 0, "-A2%"),
])
def test_a_formula_moves_as_excel_moves_it(formula, rows, cols, expected):
    assert move_formula(formula, rows, cols) == expected
    assert openpyxl_move(formula, rows, cols) == expected


@pytest.mark.parametrize("formula", MAP_FORMULAS)
def test_the_provision_maps_formulas_move_down_as_openpyxl_moves_them(formula):
    for rows in (1, 2, 17, 19500):
        assert move_formula(formula, rows) == openpyxl_move(formula, rows, 0)


def test_a_reference_moved_off_the_sheet_is_refused():
    with pytest.raises(FormulaError, match="above row 1"):
        move_formula("A2+B1", -2)
    with pytest.raises(FormulaError, match="off the sheet's columns"):
        move_formula("B1", 0, -2)
    with pytest.raises(FormulaError, match="off the sheet's columns"):
        move_formula("XFD1", 0, 1)
    assert move_formula("$A$1+$B2", -1, -1) == "$A$1+$B1"


@pytest.mark.parametrize("formula", ['"open', "'Sheet!A1", "Table1[@Col", "A1#", "SUM(A1{1})"])
def test_a_formula_that_cannot_be_read_is_refused(formula):
    with pytest.raises(FormulaError):
        move_formula(formula, 1)


def _column(draw) -> str:
    return column_letter(draw(st.integers(1, 800)))


@st.composite
def cell(draw) -> str:
    col, row = _column(draw), str(draw(st.integers(1, 5000)))
    return f"{'$' if draw(st.booleans()) else ''}{col}{'$' if draw(st.booleans()) else ''}{row}"


@st.composite
def operand(draw) -> str:
    kind = draw(st.sampled_from(["cell", "range", "cols", "rows", "sheet", "quoted", "name", "number", "text",
                                 "error", "structured", "logical", "scientific"]))
    if kind == "cell":
        return draw(cell())
    if kind == "range":
        return f"{draw(cell())}:{draw(cell())}"
    if kind == "cols":
        return f"{'$' if draw(st.booleans()) else ''}{_column(draw)}:{_column(draw)}"
    if kind == "rows":
        return f"{draw(st.integers(1, 900))}:${draw(st.integers(1, 900))}"
    if kind == "sheet":
        return f"{draw(st.sampled_from(['Settings', 'Sheet2', 'Y6_2026']))}!{draw(cell())}"
    if kind == "quoted":
        name = draw(st.sampled_from(["Pupil list", "It''s", "Costs (2026)", "A1"]))
        return f"'{name}'!{draw(cell())}"
    if kind == "name":
        return draw(st.sampled_from(["Rates", "WeeksPerYear", "_budget", "Total.Cost"]))
    if kind == "number":
        return draw(st.sampled_from(["0", "7", "60", "0.5", "100"]))
    if kind == "text":
        inner = draw(st.sampled_from(["", "A1", "x"" ""y", "Wave 2", "=B3+1", "'C4'"]))
        return f'"{inner}"'
    if kind == "error":
        return draw(st.sampled_from(["#N/A", "#REF!", "#DIV/0!", "#VALUE!"]))
    if kind == "structured":
        return draw(st.sampled_from(["Provision[@[Exit Score]]", "Provision[[#This Row],[UPN]]", "Provision[Cost]"]))
    if kind == "logical":
        return draw(st.sampled_from(["TRUE", "FALSE"]))
    return draw(st.sampled_from(["1E+3", "2.5E-2", "1e+10"]))


@st.composite
def formula(draw, depth: int = 0) -> str:
    if depth > 2 or draw(st.integers(0, 3)) == 0:
        return draw(operand())
    shape = draw(st.sampled_from(["call", "binary", "paren", "prefix", "percent"]))
    if shape == "call":
        name = draw(st.sampled_from(["SUM", "IF", "ROUND", "LOG10", "VLOOKUP", "IFERROR", "ATAN2", "COUNTIF"]))
        args = draw(st.lists(formula(depth + 1), min_size=1, max_size=3))
        return f"{name}({','.join(args)})"
    if shape == "binary":
        op = draw(st.sampled_from(["+", "-", "*", "/", "^", "&", "=", "<>", ">=", "<=", "<", ">", " "]))
        return f"{draw(formula(depth + 1))}{op}{draw(formula(depth + 1))}"
    if shape == "paren":
        return f"({draw(formula(depth + 1))})"
    if shape == "prefix":
        return f"-{draw(formula(depth + 1))}"
    return f"{draw(formula(depth + 1))}%"


@settings(max_examples=400, deadline=None)
@given(formula(), st.integers(-300, 3000), st.integers(-30, 30))
def test_generated_formulas_move_as_openpyxl_moves_them(text, rows, cols):
    try:
        expected = openpyxl_move(text, rows, cols, origin=(4000, 400))
    except TranslatorError:
        with pytest.raises(FormulaError):
            move_formula(text, rows, cols)
        return
    assert move_formula(text, rows, cols) == expected
