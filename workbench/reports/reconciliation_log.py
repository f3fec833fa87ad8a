"""The reconciliation log as a report: Word, Excel, CSV, Markdown or JSON (records), for
``workbench reconcile --log`` and ``report --all`` (``reconcile.log`` builds the entries)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.reconcile.log import COLUMNS, LogEntry, reconciliation_log, rows
from workbench.store import Store

if TYPE_CHECKING:  # pandas is imported when the log is written, not with the module
    from workbench.reports.tables import Table

FORMATS = ("md", "csv", "xlsx", "docx", "json")


def log_table(store: Store, entries: list[LogEntry] | None = None) -> Table:
    """The log as a report table (one row per reconciled comment)."""
    import pandas as pd

    from workbench.reports.tables import Table

    entries = reconciliation_log(store) if entries is None else entries
    body = rows(entries)
    decided = sum(
        1 for e in entries if not e.decision.startswith(("agreed automatically", "deferred"))
    )
    notes = [
        f"{len(entries)} reconciled comment(s): {decided} decided by the team, "
        f"{sum(1 for e in entries if e.decision.startswith('agreed automatically'))} agreed "
        f"automatically, {sum(1 for e in entries if e.decision == 'deferred')} deferred. Each "
        "coder's coding is the one the decision was made on; a comment changed since says so "
        "under decision."
    ]
    return Table(
        "reconciliation_log",
        "Reconciliation log",
        list(COLUMNS),
        body,
        pd.DataFrame(body, columns=COLUMNS),
        notes,
    )


def render_json(entries: list[LogEntry]) -> str:
    return json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2) + "\n"


def log_writer(
    store: Store, path: str | Path, fmt: str | None = None, entries: list[LogEntry] | None = None
) -> Callable[[Path], None]:
    """``write(file)`` for :class:`workbench.output.Output`: the log in ``fmt`` (default: by the
    suffix of ``path``); JSON is a list of records."""
    from workbench.reports.exports import format_for, writer

    entries = reconciliation_log(store) if entries is None else entries
    chosen = format_for(path, fmt)
    if chosen == "json":
        text = render_json(entries)

        def write_json(target: Path) -> None:
            Path(target).write_text(text, encoding="utf-8")

        return write_json
    table = log_table(store, entries)
    if chosen == "docx":
        return lambda target: write_docx(table, Path(target))
    return writer(table, path, fmt)


def write_docx(table: Table, path: Path) -> None:
    """The log as a Word document: landscape, small type, the header row repeated on every page.
    Cells are reached through the table's XML rows, not python-docx's ``table.cell()``, which
    walks the whole table for each cell (50 s for a log of 122 comments)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Inches, Pt
    from docx.table import _Cell

    doc = Document()
    doc.core_properties.author = "Workbench"
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Inches(0.6))
    doc.styles["Normal"].font.size = Pt(8)
    doc.add_paragraph().add_run(table.title).bold = True
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    weights = [3, 2, 12, 2, 6, 2, 6, 6, 6, 8, 2, 4]
    widths = [Inches(9.8 * w / sum(weights)) for w in weights]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    trs = grid._tbl.tr_lst
    trs[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated after a page break
    for r, (tr, cells) in enumerate(zip(trs, [table.columns, *table.rows], strict=True)):
        for tc, text, width in zip(tr.tc_lst, cells, widths, strict=True):
            cell = _Cell(tc, grid)
            cell.width = width
            cell.paragraphs[0].add_run(text).bold = r == 0
    for note in table.notes:
        doc.add_paragraph().add_run(note).italic = True
    doc.save(str(path))
