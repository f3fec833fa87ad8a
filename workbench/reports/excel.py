"""Report tables as Excel workbooks: a sheet per table, numbers in cells.

Counts, shares and coefficients are numbers (so Excel sums and charts them), shown as the
table prints them: "9 (56%)" becomes a count column and a percent column, "73%" the number
.73 formatted as a percentage, ".743" a number with three decimals. The heading is above the
table and the notes below, as in :mod:`workbench.reports.word`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from workbench.reports.tables import DASH, Table

Cell = int | float | str | None  # a sheet's cell: a number where it is one, else text


def _number(cell: str) -> int | str:
    """Whole-number cells become numbers in Excel (so they sum); the rest stay text."""
    return int(cell) if re.fullmatch(r"\d+", cell) else cell


_COUNT_PCT = re.compile(r"(\d+) \((\d+)%\)")
_PCT = re.compile(r"(\d+(?:\.\d+)?)%")
_COEFFICIENT = re.compile(r"-?\d*\.\d{3}")  # .743, -.317, 1.000 (workbench.numerals)
_SIZED = re.compile(r"(.*) \(n=[\d,]+\)")


def _excel_columns(
    table: Table,
) -> tuple[list[str], list[list[Cell]], list[str | None], list[str]]:
    """Columns, cell values, number formats and alignments for a sheet: numbers in cells, so
    Excel can sum and chart them. "9 (56%)" splits into a count column and a percent column;
    "73%" is the number .73 shown as 73% (the printed, half-up rounded share)."""
    columns, formats, aligns = [], [], []
    values: list[list[Cell]] = [[] for _ in table.rows]
    for j, (name, align) in enumerate(
        zip(table.print_columns or table.columns, table.align, strict=True)
    ):
        cells = [row[j] for row in table.rows]
        filled = [c for c in cells if c and c != DASH]
        if filled and all(_COUNT_PCT.fullmatch(c) for c in filled):
            # "HP (n=6)" names its n already: "HP (n=6)" and "HP (%)", not "HP (n=6) (n)".
            sized = _SIZED.fullmatch(name)
            columns += [name, f"{sized[1]} (%)"] if sized else [f"{name} (n)", f"{name} (%)"]
            formats += [None, "0%"]
            aligns += ["r", "r"]
            for out, c in zip(values, cells, strict=True):
                m = _COUNT_PCT.fullmatch(c)
                out += [int(m[1]), int(m[2]) / 100] if m else [None, None]
        elif filled and all(_PCT.fullmatch(c) for c in filled):
            decimals = max(len(c[:-1].partition(".")[2]) for c in filled)
            columns.append(name)
            formats.append("0." + "0" * decimals + "%" if decimals else "0%")
            aligns.append("r")
            for out, c in zip(values, cells, strict=True):
                out.append(
                    float(Decimal(c[:-1]) / 100) if _PCT.fullmatch(c) else None
                )  # 98.4% is .984
        elif filled and all(_COEFFICIENT.fullmatch(c) for c in filled):
            columns.append(name)  # ".743": a number shown as written (no leading zero)
            formats.append("#.000")
            aligns.append("r")
            for out, c in zip(values, cells, strict=True):
                out.append(float(c) if _COEFFICIENT.fullmatch(c) else None)
        else:
            columns.append(name)
            formats.append(None)
            aligns.append(align)
            for out, c in zip(values, cells, strict=True):
                out.append(None if c == DASH and filled else _number(c))
    return columns, values, formats, aligns


def _sheet_names(tables: list[Table]) -> list[str]:
    names: list[str] = []
    for t in tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", t.key)[:28] or "table"
        name, i = base, 2
        while name.lower() in (n.lower() for n in names):
            name, i = f"{base}_{i}", i + 1
        names.append(name)
    return names


def write_xlsx(tables: list[Table], path: Path) -> None:
    """One sheet per table: heading, bold header, rows, then the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    book.remove(book.worksheets[0])  # the blank sheet a new workbook opens with
    rule = Side(style="thin")
    for i, (table, name) in enumerate(zip(tables, _sheet_names(tables), strict=True), start=1):
        ws = book.create_sheet(name)
        ws.cell(1, 1, table.heading(table.number or (i if len(tables) > 1 else None))).font = Font(
            bold=True
        )
        columns, values, formats, aligns = _excel_columns(table)
        for j, col in enumerate(columns, start=1):
            c = ws.cell(2, j, col)
            c.font = Font(bold=True)
            c.border = Border(top=rule, bottom=rule)
        for r, row in enumerate(values, start=3):
            for j, (value, fmt, align) in enumerate(
                zip(row, formats, aligns, strict=True), start=1
            ):
                c = ws.cell(r, j, value)
                if fmt:
                    c.number_format = fmt
                c.alignment = Alignment(horizontal="right" if align == "r" else "left")
        last = 2 + len(table.rows)
        for j in range(1, len(columns) + 1):
            c = ws.cell(last, j)
            c.border = Border(top=c.border.top, bottom=rule)
        for k, note in enumerate(table.notes):
            ws.cell(last + 2 + k, 1, ("Note. " if k == 0 else "") + note).font = Font(italic=k == 0)
        for j, col in enumerate(columns, start=1):
            width = max(
                len(str(x))
                for x in [col, *(row[j - 1] for row in values if row[j - 1] is not None)]
            )
            ws.column_dimensions[ws.cell(2, j).column_letter].width = min(60, width + 2)
        ws.freeze_panes = "A3"
    book.save(path)
