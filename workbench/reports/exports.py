"""Write report tables in the forms authors paste into manuscripts.

Text formats (Markdown, CSV, HTML, LaTeX, JSON) come from :func:`render`; :func:`write`
also makes Excel (.xlsx) and Word (.docx) files. Every format carries the same display
strings as the :class:`~workbench.reports.tables.Table`, so a number checked in one is the number in
all; JSON adds the numeric data for re-analysis. The Word table follows the plain journal
style (APA and most journals): horizontal rules above and below the header and at the
bottom only, title above, notes below in a smaller font.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.reports.tables import DASH, Table

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement

    from workbench.output import Output

Cell = int | float | str | None  # a sheet's cell: a number where it is one, else text

TEXT_FORMATS = ("markdown", "csv", "html", "latex", "json")
FORMATS = TEXT_FORMATS + ("xlsx", "docx")
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".html": "html",
             ".htm": "html", ".tex": "latex", ".json": "json", ".xlsx": "xlsx", ".docx": "docx"}
_ALIASES = {"md": "markdown", "tex": "latex", "htm": "html", "excel": "xlsx", "word": "docx"}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The format named by ``fmt`` (or aliases md, tex, excel, word), else by the suffix."""
    if fmt:
        fmt = _ALIASES.get(fmt.lower(), fmt.lower())
        if fmt not in FORMATS:
            raise ValueError(f"unknown table format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    try:
        return _SUFFIXES[Path(path).suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: cannot tell the format from the suffix; name one of "
                         f"{', '.join(FORMATS)}") from None


# ----------------------------------------------------------------------------- text formats
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(table: Table, number: int | None = None) -> str:
    """A bold heading, a pipe table (numeric columns right-aligned), then the notes."""
    rule = {"l": "---", "r": "---:"}
    lines = [f"**{_md_cell(table.heading(number))}**", "",
             "| " + " | ".join(_md_cell(c) for c in table.columns) + " |",
             "|" + "|".join(rule[a] for a in table.align) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    if table.notes:
        lines += ["", "*Note.* " + " ".join(_md_cell(n) for n in table.notes)]
    return "\n".join(lines) + "\n"


def to_csv(table: Table, number: int | None = None) -> str:
    """Header and rows only, so the file reads straight back into a spreadsheet or pandas."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buf.getvalue()


def to_html(table: Table, number: int | None = None) -> str:
    """A ``<table>`` with caption, thead and tbody, notes in a paragraph after it."""
    e = html.escape
    align = ["" if a == "l" else ' style="text-align:right"' for a in table.align]
    out = [f'<table class="workbench-table" id="{e(table.key)}">',
           f"<caption>{e(table.heading(number))}</caption>", "<thead>",
           "<tr>" + "".join(f'<th scope="col"{a}>{e(c)}</th>'
                            for a, c in zip(align, table.columns, strict=True)) + "</tr>",
           "</thead>", "<tbody>"]
    for row in table.rows:
        out.append("<tr>" + "".join(f"<td{a}>{e(c)}</td>" for a, c in zip(align, row, strict=True)) + "</tr>")
    out += ["</tbody>", "</table>"]
    if table.notes:
        out.append('<p class="table-note"><em>Note.</em> '
                   + " ".join(e(n) for n in table.notes) + "</p>")
    return "\n".join(out) + "\n"


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters (one pass, so the backslash is not re-escaped)."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group()], str(text))


def _latex_spec(table: Table) -> str:
    """l/r per column, but a long text column after the first wraps (p{}) to fit the page."""
    spec = []
    for j, a in enumerate(table.align):
        longest = max((len(r[j]) for r in table.rows), default=0)
        spec.append(r"p{0.4\linewidth}" if a == "l" and j > 0 and longest > 40 else a)
    return "".join(spec)


def to_latex(table: Table, number: int | None = None) -> str:
    """A booktabs ``table``: caption (LaTeX numbers it), label, rules, notes below."""
    row = lambda cells: " & ".join(latex_escape(c) for c in cells) + r" \\"  # noqa: E731
    out = [r"\begin{table}[htbp]", r"\centering", rf"\caption{{{latex_escape(table.title)}}}",
           rf"\label{{tab:{re.sub(r'[^A-Za-z0-9:-]', '-', table.key)}}}",
           rf"\begin{{tabular}}{{{_latex_spec(table)}}}", r"\toprule", row(table.columns),
           r"\midrule", *(row(r) for r in table.rows), r"\bottomrule", r"\end{tabular}"]
    if table.notes:
        out += [r"\par\smallskip", r"\begin{minipage}{\linewidth}\footnotesize",
                r"\textit{Note.} " + " ".join(latex_escape(n) for n in table.notes),
                r"\end{minipage}"]
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def table_dict(table: Table, number: int | None = None) -> dict[str, Any]:
    """The table as JSON-ready data: display strings plus the numeric frame ('split')."""
    data = json.loads(table.data.to_json(orient="split", force_ascii=False))
    return {"key": table.key, "title": table.title, "heading": table.heading(number),
            "columns": table.columns, "rows": table.rows, "notes": table.notes, "data": data}


def to_json(table: Table, number: int | None = None) -> str:
    return json.dumps(table_dict(table, number), ensure_ascii=False, indent=2) + "\n"


_RENDERERS = {"markdown": to_markdown, "csv": to_csv, "html": to_html, "latex": to_latex,
              "json": to_json}


def render(table: Table, fmt: str) -> str:
    """One table as text in a text format (markdown, csv, html, latex, json)."""
    fmt = format_for("", fmt)
    if fmt not in _RENDERERS:
        raise ValueError(f"{fmt} is a binary format; use write() to make a file")
    return _RENDERERS[fmt](table)


# ----------------------------------------------------------------------------- binary formats
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
    for j, (name, align) in enumerate(zip(table.print_columns or table.columns, table.align, strict=True)):
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
                out.append(float(Decimal(c[:-1]) / 100) if _PCT.fullmatch(c) else None)  # 98.4% is .984
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
        ws.cell(1, 1, table.heading(table.number or (i if len(tables) > 1 else None))).font = Font(bold=True)
        columns, values, formats, aligns = _excel_columns(table)
        for j, col in enumerate(columns, start=1):
            c = ws.cell(2, j, col)
            c.font = Font(bold=True)
            c.border = Border(top=rule, bottom=rule)
        for r, row in enumerate(values, start=3):
            for j, (value, fmt, align) in enumerate(zip(row, formats, aligns, strict=True), start=1):
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
            width = max(len(str(x)) for x in [col, *(row[j - 1] for row in values if row[j - 1] is not None)])
            ws.column_dimensions[ws.cell(2, j).column_letter].width = min(60, width + 2)
        ws.freeze_panes = "A3"
    book.save(path)


_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")  # schema order
_AFTER = {"w:tblBorders": ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                           "w:tblCaption", "w:tblDescription", "w:tblPrChange"),
          "w:tcBorders": ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                          "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                          "w:cellMerge", "w:tcPrChange")}


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
        _borders(tbl_pr, top="single", bottom="single", left="nil", right="nil",
                 insideH="nil", insideV="nil")
        header = grid.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))  # repeat the header after a page break
        # Column widths in proportion to their longest cell (headers may wrap at spaces),
        # over a 6.5-inch text column.
        weights = [min(40, max([3, *(len(w) for w in col.split()),
                                *(len(r[j]) for r in table.rows)]))
                   for j, col in enumerate(columns)]
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


def write(tables: Table | list[Table], path: str | Path, fmt: str | None = None,
          output: Output | None = None) -> Path:
    """Write one or several tables to ``path``; ``fmt`` defaults to the suffix's format. The file is
    written by the rule of :mod:`workbench.output` (``output``: the command's; without one, an
    existing file is refused).

    Several tables go into one file: sheets in Excel, consecutive tables in Word, Markdown,
    HTML (a whole document) and LaTeX, a list in JSON, and in CSV blocks each preceded by
    the table's heading and separated by a blank line. Tables without a number are numbered
    by their place in the list; a table written alone is not numbered (a lone Table 3 of
    the study is not "Table 1": the manuscript numbers it).
    """
    from workbench.output import Output

    return (output or Output()).write(path, writer(tables, path, fmt))


def writer(tables: Table | list[Table], path: str | Path,
           fmt: str | None = None) -> Callable[[Path], None]:
    """``write(file)`` for :class:`workbench.output.Output`: the tables in ``fmt`` (default: the
    format of ``path``'s suffix, decided now, since the file written first is a temporary one)."""
    tables = [tables] if isinstance(tables, Table) else list(tables)
    if not tables:
        raise ValueError("no tables to write")
    fmt = format_for(path, fmt)
    return lambda target: _write(tables, Path(target), fmt)


def _write(tables: list[Table], path: Path, fmt: str) -> None:
    if len(tables) == 1:  # a table written alone is not numbered: the manuscript numbers it
        numbers = {0: tables[0].number}
    else:
        numbers = {i - 1: t.number or i for i, t in enumerate(tables, start=1)}
    if fmt == "xlsx":
        write_xlsx(tables, path)
    elif fmt == "docx":
        write_docx(tables, path)
    elif fmt == "json":
        items = [table_dict(t, numbers[i]) for i, t in enumerate(tables)]
        path.write_text(json.dumps(items[0] if len(items) == 1 else items,
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif fmt == "csv" and len(tables) > 1:
        parts = []
        for i, t in enumerate(tables):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow([t.heading(numbers[i])])
            parts.append(buf.getvalue() + to_csv(t))
        path.write_text("\n".join(parts), encoding="utf-8", newline="")
    else:
        body = "\n".join(_RENDERERS[fmt](t, numbers[i]) for i, t in enumerate(tables))
        if fmt == "html":
            body = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                    f"<title>{html.escape(tables[0].heading(numbers[0]))}</title>\n</head>\n<body>\n"
                    f"{body}</body>\n</html>\n")
        path.write_text(body, encoding="utf-8", newline="" if fmt == "csv" else None)
