"""Coding sheets as files: the rows of a CSV or Excel sheet, read within the limits, and writing one.

Reading is where a sheet from someone else is checked (:mod:`workbench.limits`): a CSV is
read within ``document-size`` with line ends as Excel writes them and each field within
``field-length``; an .xlsx is a zip checked by :mod:`workbench.zips` before openpyxl opens
it (every part's size and ratio, every part streamed once, no DTD in any XML part), then read
row by row within ``elements`` and ``field-length``. What the rows mean is
:mod:`workbench.exchange.sheets`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.files import read_csv, read_text

COLUMNS = ["ref", "coder", "category", "themes", "memo", "unsure", "exemplar"]
INFO_COLUMNS = ["group", "speaker", "role", "text"]
_HEADER_ALIASES = {
    "comment": "ref",
    "comment ref": "ref",
    "comment_ref": "ref",
    "id": "ref",
    "analyst": "coder",
    "code": "category",
    "theme": "themes",
    "note": "memo",
    "notes": "memo",
    "not sure": "unsure",
    "not_sure": "unsure",
    "flag": "unsure",
    "flagged": "unsure",
    "exemplar quote": "exemplar",
}


class SheetError(WorkbenchError):
    """A coding sheet that cannot be imported; the message lists every problem."""


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and ``(row number, {column: text})`` rows of a CSV or XLSX file (empty rows left out)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = xlsx_sheet_rows(path)
    else:
        text = read_text(path, "sheet", SheetError, limit="document-size")
        table = [
            (number, row)
            for number, row in enumerate(read_csv(text, str(path), SheetError), start=1)
            if any(cell.strip() for cell in row)
        ]
    if not table or table[0][0] != 1:
        raise SheetError(
            f"{path}: the sheet is empty; expected a header row with {', '.join(COLUMNS)}"
        )
    header = [_HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in table[0][1]]
    rows = []
    for number, cells in table[1:]:
        rows.append(
            (
                number,
                {h: str(cells[i]).strip() if i < len(cells) else "" for i, h in enumerate(header)},
            )
        )
    return header, rows


_XLSX_HINT = "save it again as .xlsx or .csv"


def xlsx_sheet_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The first worksheet's non-empty rows, read within the limits (:func:`workbench.zips.xlsx_rows`)."""
    from workbench.zips import xlsx_rows

    return xlsx_rows(path, SheetError, _XLSX_HINT)[0]


def write_table(
    rows: list[dict],
    out: str | Path,
    columns: list[str] | None = None,
    title: str = "Codings",
    output=None,
) -> Path:
    """Write rows to ``out`` as CSV or, for ``.xlsx``, an Excel sheet with a frozen header, by the
    rule of :mod:`workbench.output` (``output``: the command's, e.g. ``for_project(store, force)``;
    without one, an existing file is refused)."""
    from workbench.output import Output

    out = Path(out)
    columns = columns or (list(rows[0]) if rows else COLUMNS)
    excel = out.suffix.lower() == ".xlsx"

    def write(path: Path) -> None:
        if excel:
            from openpyxl import Workbook
            from openpyxl.styles import Font

            book = Workbook()
            sheet = book.worksheets[0]  # the one a new workbook opens with
            sheet.title = title[:31]
            sheet.append(columns)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in rows:
                sheet.append([row.get(c, "") for c in columns])
            sheet.freeze_panes = "A2"
            book.save(path)
            return
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    return (output or Output()).write(out, write)
