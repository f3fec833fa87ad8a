"""Write report tables in the forms authors paste into manuscripts.

Text formats (Markdown, CSV, HTML, LaTeX, JSON) come from :func:`render`; :func:`write`
also makes Excel (.xlsx, :mod:`workbench.reports.excel`) and Word (.docx,
:mod:`workbench.reports.word`) files. Every format carries the same display
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.reports.excel import write_xlsx
from workbench.reports.tables import Table
from workbench.reports.word import write_docx

if TYPE_CHECKING:
    from workbench.output import Output

TEXT_FORMATS = ("markdown", "csv", "html", "latex", "json")
FORMATS = TEXT_FORMATS + ("xlsx", "docx")
_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".tex": "latex",
    ".json": "json",
    ".xlsx": "xlsx",
    ".docx": "docx",
}
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
        raise ValueError(
            f"{path}: cannot tell the format from the suffix; name one of {', '.join(FORMATS)}"
        ) from None


# ----------------------------------------------------------------------------- text formats
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(table: Table, number: int | None = None) -> str:
    """A bold heading, a pipe table (numeric columns right-aligned), then the notes."""
    rule = {"l": "---", "r": "---:"}
    lines = [
        f"**{_md_cell(table.heading(number))}**",
        "",
        "| " + " | ".join(_md_cell(c) for c in table.columns) + " |",
        "|" + "|".join(rule[a] for a in table.align) + "|",
    ]
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
    out = [
        f'<table class="workbench-table" id="{e(table.key)}">',
        f"<caption>{e(table.heading(number))}</caption>",
        "<thead>",
        "<tr>"
        + "".join(
            f'<th scope="col"{a}>{e(c)}</th>' for a, c in zip(align, table.columns, strict=True)
        )
        + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for row in table.rows:
        out.append(
            "<tr>"
            + "".join(f"<td{a}>{e(c)}</td>" for a, c in zip(align, row, strict=True))
            + "</tr>"
        )
    out += ["</tbody>", "</table>"]
    if table.notes:
        out.append(
            '<p class="table-note"><em>Note.</em> ' + " ".join(e(n) for n in table.notes) + "</p>"
        )
    return "\n".join(out) + "\n"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
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
    out = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{latex_escape(table.title)}}}",
        rf"\label{{tab:{re.sub(r'[^A-Za-z0-9:-]', '-', table.key)}}}",
        rf"\begin{{tabular}}{{{_latex_spec(table)}}}",
        r"\toprule",
        row(table.columns),
        r"\midrule",
        *(row(r) for r in table.rows),
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if table.notes:
        out += [
            r"\par\smallskip",
            r"\begin{minipage}{\linewidth}\footnotesize",
            r"\textit{Note.} " + " ".join(latex_escape(n) for n in table.notes),
            r"\end{minipage}",
        ]
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def table_dict(table: Table, number: int | None = None) -> dict[str, Any]:
    """The table as JSON-ready data: :meth:`Table.as_dict`."""
    return table.as_dict(number)


def to_json(table: Table, number: int | None = None) -> str:
    return json.dumps(table_dict(table, number), ensure_ascii=False, indent=2) + "\n"


_RENDERERS = {
    "markdown": to_markdown,
    "csv": to_csv,
    "html": to_html,
    "latex": to_latex,
    "json": to_json,
}


def render(table: Table, fmt: str) -> str:
    """One table as text in a text format (markdown, csv, html, latex, json)."""
    fmt = format_for("", fmt)
    if fmt not in _RENDERERS:
        raise ValueError(f"{fmt} is a binary format; use write() to make a file")
    return _RENDERERS[fmt](table)


def write(
    tables: Table | list[Table],
    path: str | Path,
    fmt: str | None = None,
    output: Output | None = None,
) -> Path:
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


def writer(
    tables: Table | list[Table], path: str | Path, fmt: str | None = None
) -> Callable[[Path], None]:
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
        path.write_text(
            json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
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
            body = (
                '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{html.escape(tables[0].heading(numbers[0]))}</title>\n</head>\n<body>\n"
                f"{body}</body>\n</html>\n"
            )
        path.write_text(body, encoding="utf-8", newline="" if fmt == "csv" else None)
