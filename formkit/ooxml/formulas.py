"""A formula's references moved, as Excel moves them when a formula is copied.

When formkit adds a row to the provision map it copies the row above's
formulas into it, and a shared formula (one written once for a block of cells)
is read back for each of its cells: in both, every relative reference moves by
the rows and columns between the two cells, and an absolute one (``$A$1``)
stays. :func:`move_formula` does that. It reads a formula as openpyxl's
tokenizer does (``tests/ooxml/test_formulas.py`` checks the two agree on
generated formulas), so that adding rows does not load openpyxl (and numpy) for
it: only what is in an operand that is a reference moves; text in quotes,
sheet names, structured references (``Table1[@Score]``), numbers, names and
function names stay as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .cell_refs import column_letter, column_number

_ENDERS = frozenset(",;}) +-*/^&=><%\n")
_SCIENTIFIC = re.compile(r"[1-9](\.[0-9]+)?[Ee]")
_STRING = {'"': re.compile('"(?:[^"]*"")*[^"]*"(?!")'), "'": re.compile("'(?:[^']*'')*[^']*'(?!')")}
_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})")
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})")
_CELL = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})")


class FormulaError(ValueError):
    """The formula cannot be moved: a reference would leave the sheet (Excel
    writes #REF! there), or the formula cannot be read."""


def move_formula(formula: str, rows: int, cols: int = 0) -> str:
    """``formula`` (without its ``=``) as it reads ``rows`` rows down and ``cols``
    columns right of where it is written. Raises FormulaError (see there). A
    formula is read once and then moved as often as asked (a column's formula
    into each new row)."""
    out: list[str] = []
    for piece in _pieces(formula):
        if isinstance(piece, str):
            out.append(piece)
        elif piece[0] == "row":
            moved = piece[1] + rows
            if moved <= 0:
                raise FormulaError("a reference would move above row 1")
            out.append(str(moved))
        else:
            try:
                out.append(column_letter(piece[1] + cols))  # Excel's columns, A to XFD
            except ValueError:
                raise FormulaError("a reference would move off the sheet's columns") from None
    return "".join(out)


_Piece = str | tuple[str, int]
"""Text that stays, or ('row', n) / ('col', n): a relative row or column that moves."""


@lru_cache(maxsize=1024)
def _pieces(formula: str) -> tuple[_Piece, ...]:
    """The formula read as openpyxl's tokenizer reads it: the operands that are
    references split into what moves and what stays."""
    out: list[_Piece] = []
    token: list[str] = []
    i, n = 0, len(formula)

    def flush() -> None:
        if token:
            out.extend(_operand("".join(token)))
            token.clear()

    def only_after(allowed: str) -> None:
        if token and token[-1][-1:] not in allowed:
            raise FormulaError(f"unexpected {formula[i]!r} at {i + 1} in {formula!r}")

    while i < n:
        c = formula[i]
        if c in "+-" and token and _SCIENTIFIC.fullmatch("".join(token)):
            token.append(c)
            i += 1
            continue
        if c in _ENDERS:
            flush()
        if c in "\"'":
            only_after(":")
            found = _STRING[c].match(formula, i)
            if found is None:
                raise FormulaError(f"a quote is not closed in {formula!r}")
            if c == '"':
                flush()
                out.append(found.group())
            else:
                token.append(found.group())
            i = found.end()
        elif c == "[":
            depth, j = 0, i
            while j < n:
                depth += {"[": 1, "]": -1}.get(formula[j], 0)
                j += 1
                if depth == 0:
                    break
            if depth:
                raise FormulaError(f"a '[' is not closed in {formula!r}")
            token.append(formula[i:j])
            i = j
        elif c == "#":
            only_after("!")
            error = next((e for e in _ERRORS if formula.startswith(e, i)), None)
            if error is None:
                raise FormulaError(f"unknown error value at {i + 1} in {formula!r}")
            out.append("".join(token) + error)
            token.clear()
            i += len(error)
        elif c == "(":
            out.append("".join(token) + c)  # a function's name, or a bracket
            token.clear()
            i += 1
        elif c == "{":
            only_after("")
            out.append(c)
            i += 1
        elif c in _ENDERS:
            out.append(c)
            i += 1
        else:
            token.append(c)
            i += 1
    flush()
    return tuple(out)


def _operand(text: str) -> list[_Piece]:
    if text in ("TRUE", "FALSE"):
        return [text]
    try:
        float(text)
        return [text]
    except ValueError:
        return _range(text)


def _range(text: str) -> list[_Piece]:
    sheet, bang, where = text.rpartition("!")
    prefix: list[_Piece] = [sheet + bang] if bang else []
    if found := _ROW_RANGE.fullmatch(where):
        return [*prefix, _row(found.group(1)), ":", _row(found.group(2))]
    if found := _COL_RANGE.fullmatch(where):
        return [*prefix, _col(found.group(1)), ":", _col(found.group(2))]
    if ":" in where:
        pieces = prefix
        for k, part in enumerate(where.split(":")):
            pieces += ([":"] if k else []) + _range(part)
        return pieces
    if found := _CELL.fullmatch(where):
        return [*prefix, _col(found.group(1)), _row(found.group(2))]
    return [*prefix, where]  # a name


def _row(text: str) -> _Piece:
    return text if text.startswith("$") else ("row", int(text))


def _col(text: str) -> _Piece:
    return text if text.startswith("$") else ("col", column_number(text))


__all__ = ["FormulaError", "move_formula"]
