"""CSV and Excel codebooks as they circulate, read into the same codebook as a TOML file.

A table codebook has a code column and, where it has them, a parent column and a description
column (:data:`CODE_COLUMNS`, :data:`PARENT_COLUMNS`, :data:`DESCRIPTION_COLUMNS`; header names in
any case). The layouts of the programs that write them:

* Taguette's "Export codebook" (CSV or Excel): ``tag, parent, description, number of highlights``
  (older versions without ``parent``);
* MAXQDA's table of codes and memos: ``Code, Memo``, a subcode written ``Parent\\Child`` or
  ``Parent > Child``;
* QualCoder's codes list (its code organiser and plain-text codes import): no header, the code
  in the first column written ``Category>>Code``, its memo in the second;
* NVivo: ``Name, Description`` (then counts such as ``Files``, ``References``), a hierarchical
  name written ``Nodes\\Parent\\Child``;
* a team's own sheet: e.g. ``Category, Code, Definition, Example``.

A code's path may be written with ``>>``, ``::``, ``\\``, ``>`` or ``/`` between levels (``/`` only
where the parents it implies are codes of the file too: ``Yes/No`` stays one name), or given by a
parent column. Then the codes follow the nesting rule of :mod:`workbench.project.codebook_plan`
(top level = category, below = theme), become TOML, and are validated by the one loader
(:func:`workbench.project.codebook.parse_codebook`). Everything guessed (the layout, the header
row, the separator, columns left aside) is said in the codebook's ``notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import CodebookError
from workbench.project.codebook_paths import Node, build_tree

if TYPE_CHECKING:  # codebook imports this module
    from workbench.project.codebook import Codebook

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")
_DOCUMENTS = {
    ".pdf": "a PDF document",
    ".docx": "a Word document",
    ".doc": "a Word document",
    ".docm": "a Word document",
    ".odt": "an OpenDocument text",
    ".rtf": "an RTF document",
    ".htm": "a web page",
    ".html": "a web page",
    ".md": "a Markdown document",
    ".xls": "an Excel 97-2003 workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "a Numbers spreadsheet",
    ".pages": "a Pages document",
}
READ = (
    "Workbench reads TOML (.toml), CSV or Excel (.csv, .tsv, .xlsx: a 'Code' column, and "
    "'Description') and REFI-QDA (.qdc, through `workbench import-qdc`)"
)

# Header names (lower case, spaces for "_" and "-"), in the order they are preferred.
CODE_COLUMNS = (
    "code",
    "code name",
    "codename",
    "codes",
    "tag",
    "node",
    "node name",
    "name",
    "path",
    "code path",
    "hierarchical name",
    "code system",
    "label",
    "theme",
    "sub theme",
    "subtheme",
    "subcode",
    "sub code",
)
PARENT_COLUMNS = (
    "parent",
    "parent code",
    "parent name",
    "parent node",
    "parent tag",
    "parent theme",
    "category",
    "code group",
    "group",
    "theme",
)
DESCRIPTION_COLUMNS = (
    "description",
    "definition",
    "memo",
    "code memo",
    "code description",
    "meaning",
    "explanation",
    "comment",
    "comments",
    "notes",
    "note",
)
# Further text a codebook gives a code: added to its definition under its own heading.
EXTRA_COLUMNS = (
    "inclusion criteria",
    "inclusion",
    "include",
    "exclusion criteria",
    "exclusion",
    "exclude",
    "when to use",
    "when not to use",
    "example",
    "examples",
    "typical exemplar",
    "exemplar",
)
# Separators of a path in one cell, tried in this order.


def is_table(path: Path) -> bool:
    return path.suffix.lower() in TABLE_SUFFIXES


def refuse_document(path: Path) -> None:
    """A codebook written as a document (PDF, Word, ...): say which formats are read."""
    what = _DOCUMENTS.get(path.suffix.lower())
    if what is None:
        try:
            with open(path, "rb") as handle:
                head = handle.read(8)
        except OSError:
            return  # the loader says why it cannot read the file
        what = (
            "a PDF document"
            if head.startswith(b"%PDF")
            else "a Word or OpenDocument file"
            if head.startswith(b"PK\x03\x04") and path.suffix.lower() != ".qdpx"
            else None
        )
    if what:
        raise CodebookError(
            f"{path}: {what}, not a codebook Workbench reads; {READ}: put the codes in a sheet "
            "and save it as .csv or .xlsx"
        )


def _norm(header: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", header.strip().lower()).split())


@dataclass
class _Layout:
    header_row: int | None  # None: no header (QualCoder's codes list)
    code: int
    parent: int | None
    description: int | None
    extra: list[tuple[int, str]]
    ignored: list[str]
    names: list[str]


def load_table_codebook(path: Path) -> Codebook:
    """A CSV or Excel codebook read into a validated :class:`~.codebook.Codebook`."""
    from workbench.project.codebook import parse_codebook
    from workbench.project.codebook_plan import Entry, PlanBuilder, codebook_toml, slug

    rows, notes = _rows(path)
    layout = _layout(path, rows, notes)
    roots = _tree(path, rows, layout, notes)
    builder = PlanBuilder(
        {
            "key": slug(path.stem),
            "name": path.stem or "Codebook",
            "version": "1",
            "description": f"Imported from {path.name}.",
        }
    )

    def nested(children: dict[str, Node], implied: Entry, trail: list[str]) -> None:
        for node in children.values():
            builder.theme(f"row {node.row}", [*trail, node.name], node.description, implied)
            nested(node.children, implied, [*trail, node.name])

    for node in roots.values():
        entry = builder.category(f"row {node.row}", [node.name], node.description)
        nested(node.children, entry, [node.name])
    plan = builder.finish()
    cats = len(plan.categories)
    notes.append(
        f"{cats} categor{'y' if cats == 1 else 'ies'} (top-level codes) and {len(plan.themes)} "
        "theme(s) (codes below them)"
    )
    notes += [f"kept apart: {line}" for line in plan.renamed]
    if plan.keyless:
        many = len(plan.keyless)
        notes.append(
            f"{many} entr{'y has' if many == 1 else 'ies have'} no shortcut key (past the keys of "
            f"the keyboard): {', '.join(plan.keyless)}; code them from the command palette (ctrl+p)"
        )
    text = codebook_toml(plan, path.name)
    book = parse_codebook(text.encode("utf-8"), f"{path} (read as a codebook table)")
    from dataclasses import replace

    return replace(book, notes=tuple(notes))


def _rows(path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    notes: list[str] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from workbench.zips import xlsx_rows

        rows, sheets = xlsx_rows(path, CodebookError, "save it again as .xlsx or .csv")
        if len(sheets) > 1:
            others = ", ".join(map(repr, sheets[1:]))
            notes.append(
                f"read the first sheet, {sheets[0]!r}, of {len(sheets)} ({others} left aside)"
            )
    else:
        from workbench.files import read_csv, read_text

        text = read_text(path, "codebook", CodebookError, limit="config-size")
        delimiter = _delimiter(text, path)
        if delimiter != ",":
            text = _recomma(text, delimiter, path)
        rows = [
            (n, row)
            for n, row in enumerate(read_csv(text, str(path), CodebookError), start=1)
            if any(cell.strip() for cell in row)
        ]
    if not rows:
        raise CodebookError(
            f"{path}: the codebook is empty; give a header row with a 'Code' column (and "
            "'Description') and a row per code"
        )
    return [(n, [c.strip() for c in cells]) for n, cells in rows], notes


def _delimiter(text: str, path: Path) -> str:
    """Comma, else (a .tsv, or a first line with tabs or semicolons and no commas) tab or semicolon,
    as Excel saves CSV in locales whose decimal mark is a comma."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if path.suffix.lower() == ".tsv" or ("\t" in first and "," not in first):
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    return ","


def _recomma(text: str, delimiter: str, path: Path) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            writer.writerow(row)
    except csv.Error as exc:
        raise CodebookError(
            f"{path}: not readable as a table ({exc}); save it again as CSV"
        ) from None
    return out.getvalue()


def _layout(path: Path, rows: list[tuple[int, list[str]]], notes: list[str]) -> _Layout:
    for index, (number, cells) in enumerate(rows[:10]):
        names = [_norm(c) for c in cells]
        code = next((names.index(c) for c in CODE_COLUMNS if c in names), None)
        if code is None:
            continue
        parent = next(
            (names.index(c) for c in PARENT_COLUMNS if c in names and names.index(c) != code), None
        )
        described = next((names.index(c) for c in DESCRIPTION_COLUMNS if c in names), None)
        extra = [(i, cells[i]) for i, n in enumerate(names) if n in EXTRA_COLUMNS]
        used = {code, parent, described, *(i for i, _ in extra)}
        ignored = [cells[i] for i, n in enumerate(names) if i not in used and n]
        if index:
            notes.append(
                f"rows {rows[0][0]}-{rows[index - 1][0]} above the header (row {number}) "
                "read as a title and left aside"
                if index > 1
                else f"row {rows[0][0]} above the header (row {number}) read as a title and "
                "left aside"
            )
        layout = _Layout(
            number, code, parent, described, extra, ignored, [cells[i] for i in range(len(cells))]
        )
        notes.append(_describe(layout))
        return layout
    first = rows[0][1]
    # No header: QualCoder's codes list (paths written Category>>Code), or a bare list of names.
    if any(">>" in cells[0] for _, cells in rows if cells) or all(
        len([c for c in r if c]) == 1 for _, r in rows
    ):
        notes.append(
            "no header row: read as a codes list (QualCoder's layout): the first column "
            "is the code (its path written with '>>' or another separator), the second its "
            "description"
        )
        return _Layout(None, 0, None, 1, [], [], [])
    raise CodebookError(
        f"{path}: row {rows[0][0]}: no column names the code (found: "
        f"{', '.join(repr(c) for c in first if c) or 'nothing'}); give the header row a 'Code' "
        "column (or Tag, Name, Node), and 'Description' (or Definition, Memo) for what it means"
    )


_KNOWN = {
    ("tag", "description", "number of highlights"): "Taguette's codebook export",
    ("tag", "parent", "description", "number of highlights"): "Taguette's codebook export",
    ("code", "memo"): "MAXQDA's table of codes and memos",
}


def _describe(layout: _Layout) -> str:
    names = layout.names
    tool = _KNOWN.get(tuple(_norm(n) for n in names if n))
    read = [f"code = {names[layout.code]!r}"]
    if layout.parent is not None:
        read.append(f"parent = {names[layout.parent]!r}")
    if layout.description is not None:
        read.append(f"description = {names[layout.description]!r}")
    read += [f"{title!r} added to the description" for _, title in layout.extra]
    text = f"columns read: {', '.join(read)}"
    if layout.ignored:
        text += f"; left aside: {', '.join(map(repr, layout.ignored))}"
    return f"read as {tool}: {text}" if tool else text


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _tree(
    path: Path, rows: list[tuple[int, list[str]]], layout: _Layout, notes: list[str]
) -> dict[str, Node]:
    body = [(n, cells) for n, cells in rows if layout.header_row is None or n > layout.header_row]
    if not body:
        raise CodebookError(
            f"{path}: the header (row {layout.header_row}) has no rows of codes below it"
        )
    read = [
        (n, _cell(cells, layout.code), _cell(cells, layout.parent), _description(cells, layout))
        for n, cells in body
    ]
    return build_tree(path, read, _column_name(layout), notes)


def _description(cells: list[str], layout: _Layout) -> str:
    parts = [_cell(cells, layout.description)]
    parts += [f"{title}: {_cell(cells, i)}" for i, title in layout.extra if _cell(cells, i)]
    return "\n\n".join(p for p in parts if p)


def _column_name(layout: _Layout) -> str:
    return repr(layout.names[layout.code]) if layout.names else "1"
