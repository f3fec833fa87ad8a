"""Report tables as Word documents: a real table per report table, in the plain journal style.

The style of APA and most journals: horizontal rules above and below the header and at the
bottom only, the title above (number bold, title italic), notes below in a smaller font, the
header row repeated after a page break, column widths in proportion to their longest cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.reports.tables import Table

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement


_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")  # schema order
_AFTER = {
    "w:tblBorders": (
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    ),
    "w:tcBorders": (
        "w:shd",
        "w:noWrap",
        "w:tcMar",
        "w:textDirection",
        "w:tcFitText",
        "w:vAlign",
        "w:hideMark",
        "w:headers",
        "w:cellIns",
        "w:cellDel",
        "w:cellMerge",
        "w:tcPrChange",
    ),
}


def _borders(props: BaseOxmlElement, **edges: str) -> None:
    """Replace the borders of a table (tblPr) or cell (tcPr): edge="single" or "nil".

    Elements go where the WordprocessingML schema wants them; Word rejects files that
    merely append them.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = "w:tblBorders" if props.tag == qn("w:tblPr") else "w:tcBorders"
    old = props.find(qn(tag))
    if old is not None:
        props.remove(old)
    box = OxmlElement(tag)
    for edge in _EDGES:
        if edge in edges:
            b = OxmlElement(f"w:{edge}")
            b.set(qn("w:val"), edges[edge])
            if edges[edge] != "nil":
                b.set(qn("w:sz"), "8")  # eighths of a point: a 1 pt rule
                b.set(qn("w:space"), "0")
                b.set(qn("w:color"), "000000")
            box.append(b)
    # OxmlElement is typed as maybe a plain lxml element: python-docx inserts one just as well.
    props.insert_element_before(box, *_AFTER[tag])  # type: ignore[arg-type]


def write_docx(tables: list[Table], path: Path) -> None:
    """A Word document with a real table per report table, in plain journal style."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Inches, Pt

    doc = Document()
    doc.core_properties.author = "Workbench"
    for i, table in enumerate(tables, start=1):
        if i > 1:
            doc.add_paragraph()
        title = doc.add_paragraph()
        n = table.number or (i if len(tables) > 1 else None)
        if n:
            title.add_run(f"Table {n}. ").bold = True
        title.add_run(table.title).italic = True
        title.paragraph_format.keep_with_next = True
        columns = table.print_columns or table.columns
        grid = doc.add_table(rows=1 + len(table.rows), cols=len(columns))
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = grid._tbl.tblPr
        _borders(
            tbl_pr,
            top="single",
            bottom="single",
            left="nil",
            right="nil",
            insideH="nil",
            insideV="nil",
        )
        header = grid.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))  # repeat the header after a page break
        # Column widths in proportion to their longest cell (headers may wrap at spaces),
        # over a 6.5-inch text column.
        weights = [
            min(40, max([3, *(len(w) for w in col.split()), *(len(r[j]) for r in table.rows)]))
            for j, col in enumerate(columns)
        ]
        for column, w in zip(grid.columns, weights, strict=True):
            column.width = Inches(6.5 * w / sum(weights))  # the grid (LibreOffice reads it)
            for cell in column.cells:
                cell.width = column.width  # and each cell (Word reads that)
        for r, cells in enumerate([columns, *table.rows]):
            for j, (text, align) in enumerate(zip(cells, table.align, strict=True)):
                cell = grid.cell(r, j)
                para = cell.paragraphs[0]
                run = para.add_run(text)
                run.bold = r == 0
                if align == "r":
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if r == 0:
                    _borders(cell._tc.get_or_add_tcPr(), bottom="single")
        if table.notes:
            note = doc.add_paragraph()
            lead = note.add_run("Note. ")
            lead.italic = True
            rest = note.add_run(" ".join(table.notes))
            for run in (lead, rest):
                run.font.size = Pt(9)
    doc.save(str(path))
