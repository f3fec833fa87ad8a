"""Every export format carries the study's Tables 1-3 exactly: each file is parsed back."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from study_fixture import TABLE1, TABLE2, TABLE3, study_dataframe

from workbench.reports import exports, figures
from workbench.reports.tables import Table, category_table, theme_table


@pytest.fixture(scope="module")
def tables():
    df, categories, themes = study_dataframe()
    return [
        category_table(
            df,
            categories,
            groups=["FG1", "FG2", "FG3"],
            title="Comments of the individual stakeholder groups by category",
        ),
        category_table(
            df,
            categories,
            groups=["FG4", "FG5"],
            title="Comments of the multi-stakeholder groups by category",
        ),
        theme_table(df, categories, themes),
    ]


def expected(tables):
    """The study's printed rows, in the cells our tables must hold (columns as exported)."""
    cat = lambda ref: [[name, *[f"{n} ({p}%)" for n, p in cells]] for name, cells in ref.items()]  # noqa: E731
    return [cat(TABLE1), cat(TABLE2), [[name, str(n), f"{p}%"] for name, n, p in TABLE3]]


def check(parsed_tables, tables):
    """Parsed tables (lists of header + rows of strings) hold exactly the reference numbers."""
    assert len(parsed_tables) == 3
    for grid, table, reference in zip(parsed_tables, tables, expected(tables), strict=True):
        header, rows = grid[0], grid[1:]
        assert header == table.columns
        if table.key == "themes":
            assert [[r[0], r[2], r[3]] for r in rows] == reference  # every theme, in order
        else:
            assert [r[:5] for r in rows[: len(reference)]] == reference
            assert rows[-1][0] == "Total"


def test_markdown(tables):
    text = "\n".join(exports.render(t, "markdown") for t in tables)
    grids, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if re.fullmatch(r"\|(-+:?\|)+", line):
                continue
            if current is None:
                current = []
                grids.append(current)
            current.append(cells)
        else:
            current = None
    check(grids, tables)
    assert "58% to 93%" in text


def test_csv(tables, tmp_path):
    grids = [list(csv.reader(io.StringIO(exports.render(t, "csv")))) for t in tables]
    check(grids, tables)
    # several tables in one file: blocks with a heading row, separated by blank lines
    path = exports.write(tables, tmp_path / "all.csv")
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    assert len(blocks) == 3
    rows = [list(csv.reader(io.StringIO(b))) for b in blocks]
    assert rows[2][0] == ["Table 3. " + tables[2].title]
    check([r[1:] for r in rows], tables)


def test_json(tables, tmp_path):
    path = exports.write(tables, tmp_path / "all.json")
    items = json.loads(path.read_text(encoding="utf-8"))
    check([[i["columns"], *i["rows"]] for i in items], tables)
    themes = items[2]
    data = dict(
        zip(themes["data"]["columns"], zip(*themes["data"]["data"], strict=True), strict=True)
    )
    assert list(data["comments"]) == [n for _, n, _ in TABLE3]
    assert list(data["pct_effective"]) == [p for _, _, p in TABLE3]
    assert any("58% to 93%" in n for n in themes["notes"])
    assert json.loads(exports.render(tables[0], "json"))["rows"] == items[0]["rows"]
    # A table's own JSON form is what the file holds (numbered as the file numbers it).
    assert tables[2].as_dict(3) == themes
    assert themes["heading"] == f"Table 3. {tables[2].title}"


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.grids, self.captions, self.sections, self.cell = [], [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.grids.append([])
        elif tag in ("thead", "tbody"):
            self.sections.append(tag)
        elif tag == "tr":
            self.grids[-1].append([])
        elif tag in ("td", "th", "caption"):
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.grids[-1][-1].append(self.cell)
            self.cell = None
        elif tag == "caption":
            self.captions.append(self.cell)
            self.cell = None


def test_html(tables, tmp_path):
    path = exports.write(tables, tmp_path / "all.html")
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    check(parser.grids, tables)
    assert parser.sections == ["thead", "tbody"] * 3
    assert parser.captions[2] == "Table 3. " + tables[2].title
    # escaping: a title with markup stays text
    odd = Table("x", "<b>A & B</b>", ["a"], [["1 < 2"]], tables[0].data)
    parser = _Tables()
    parser.feed(exports.render(odd, "html"))
    assert parser.captions == ["<b>A & B</b>"] and parser.grids == [[["a"], ["1 < 2"]]]


def test_xlsx(tables, tmp_path):
    """Numbers are numbers in the cells: "9 (56%)" is a count column and a percent column."""
    from openpyxl import load_workbook

    book = load_workbook(exports.write(tables, tmp_path / "all.xlsx"))
    assert book.sheetnames == ["categories", "categories_2", "themes"]
    grids = []
    for ws, table in zip(book.worksheets, tables, strict=True):
        assert ws["A1"].value == table.heading(table.number or book.worksheets.index(ws) + 1)
        assert ws["A2"].font.bold
        rows = list(ws.iter_rows(min_row=2, max_row=2 + len(table.rows), values_only=True))
        header, body = [h for h in rows[0] if h is not None], rows[1:]
        grid, names, j = [], [], 0
        while j < len(header):  # join each (n, %) pair back into the printed "n (p%)"
            if (
                header[j].endswith(" (n)")
                and j + 1 < len(header)
                and header[j + 1].endswith(" (%)")
            ):
                names.append(header[j][:-4])
                grid.append(
                    [
                        f"{r[j]} ({round(r[j + 1] * 100)}%)" if r[j] is not None else "–"
                        for r in body
                    ]
                )
                j += 2
            else:
                names.append(header[j])
                grid.append(
                    [
                        (
                            f"{round(r[j] * 100)}%"
                            if isinstance(r[j], float)
                            else ""
                            if r[j] is None
                            else str(r[j])
                        )
                        for r in body
                    ]
                )
                j += 1
        grids.append([names, *map(list, zip(*grid, strict=True))])
        notes = [ws.cell(r, 1).value for r in range(4 + len(table.rows), ws.max_row + 1)]
        assert notes[0].startswith("Note. ")
    check(grids, tables)
    themes, individual = book["themes"], book["categories"]
    assert isinstance(themes["C3"].value, int)  # counts are numbers in Excel
    assert isinstance(themes["D3"].value, float) and themes["D3"].number_format == "0%"
    assert individual["B2"].value.endswith(" (n)") and individual["C2"].value.endswith(" (%)")
    assert (individual["B3"].value, individual["C3"].value) == (9, 0.56)  # HP: 9 (56%) defining
    assert any("58% to 93%" in str(c.value) for c in themes["A"])


def test_docx(tables, tmp_path):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(exports.write(tables, tmp_path / "all.docx"))
    assert len(document.tables) == 3
    grids = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    check(grids, tables)
    for t in document.tables:
        assert all(run.bold for cell in t.rows[0].cells for run in cell.paragraphs[0].runs)
        borders = t._tbl.tblPr.find(qn("w:tblBorders"))
        val = {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders}
        assert val["top"] == val["bottom"] == "single"  # journal style: horizontal rules only
        assert val["left"] == val["right"] == val["insideV"] == val["insideH"] == "nil"
        header_rule = t.rows[0].cells[0]._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom"))
        assert header_rule.get(qn("w:val")) == "single"
    paragraphs = [p.text for p in document.paragraphs]
    assert "Table 3. " + tables[2].title in paragraphs
    note = next(p for p in document.paragraphs if "58% to 93%" in p.text)
    assert note.runs[-1].font.size.pt == 9


def test_latex_structure(tables):
    text = exports.render(tables[2], "latex")
    lines = text.splitlines()
    begins = re.findall(r"\\begin\{(\w+)\}", text)
    ends = re.findall(r"\\end\{(\w+)\}", text)
    assert sorted(begins) == sorted(ends) and begins[0] == "table" and ends[-1] == "table"
    assert re.search(r"\\begin\{tabular\}\{l", text)
    top, mid, bottom = (lines.index(r) for r in (r"\toprule", r"\midrule", r"\bottomrule"))
    assert top < mid < bottom
    header = lines[top + 1 : mid]
    assert header == [r"Theme & Definition & Comments & \% effective \\"]
    body = [line for line in lines[mid + 1 : bottom] if line.endswith(r"\\")]
    assert len(body) == len(lines[mid + 1 : bottom]) == 14
    cells = [[c.strip() for c in line[:-2].split(" & ")] for line in body]
    assert [[c[0], c[2], c[3]] for c in cells] == [
        [name, str(n), f"{p}\\%"] for name, n, p in TABLE3
    ]
    assert r"\caption{" in text and "58\\% to 93\\%" in text
    for table in tables[:2]:
        lines = exports.render(table, "latex").splitlines()
        rows = lines[lines.index(r"\midrule") + 1 : lines.index(r"\bottomrule")]
        assert len(rows) == len(table.rows)


def test_latex_escapes_specials():
    assert exports.latex_escape(r"50% & a_b #1 $x$ {y} ~z ^w \q") == (
        r"50\% \& a\_b \#1 \$x\$ \{y\} \textasciitilde{}z \textasciicircum{}w \textbackslash{}q"
    )


def test_write_infers_format_and_rejects_unknown(tables, tmp_path):
    # A table written alone is not numbered (the manuscript numbers it); several are.
    assert (
        exports.write(tables[2], tmp_path / "t.md").read_text().startswith(f"**{tables[2].title}**")
    )
    assert exports.write(tables[1:3], tmp_path / "t2.md").read_text().startswith("**Table 1.")
    assert (
        exports.write(tables[2], tmp_path / "t.txt", "tex").read_text().startswith(r"\begin{table}")
    )
    with pytest.raises(ValueError, match="suffix"):
        exports.write(tables, tmp_path / "t.what")
    with pytest.raises(ValueError, match="binary"):
        exports.render(tables[0], "docx")


def test_png_figure(tables, tmp_path):
    import matplotlib.image

    path = figures.theme_chart(tables[2], tmp_path / "themes.png", dpi=100)
    pixels = matplotlib.image.imread(path)
    assert pixels.shape[:2] == (round(100 * (0.28 * 14 + 1.1)), 650)
    colours = {tuple(p) for p in pixels.reshape(-1, pixels.shape[2])[::97]}
    assert len(colours) > 2  # not blank


def test_svg_figure_is_valid_and_deterministic(tables, tmp_path):
    a = figures.theme_chart(tables[2], tmp_path / "a.svg")
    b = figures.theme_chart(tables[2].data, tmp_path / "b.svg")
    assert a.read_bytes() == b.read_bytes()
    root = ET.parse(a).getroot()
    assert root.tag.endswith("svg")
    text = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    for name, _, _ in TABLE3:
        assert name in text


def test_terminal_chart(tables):
    chart = figures.terminal_chart(tables[2], width=70).splitlines()
    assert len(chart) == 15 and all(len(line) <= 70 for line in chart)
    assert chart[0].startswith("Role shift") and chart[0].endswith("44 (73%)")
    bars = [line.count("█") + line.count("░") for line in chart[:14]]
    assert bars == sorted(bars, reverse=True) and bars[-1] > 0
    assert "█" in chart[-1] and "░" in chart[-1]


def test_sized_headers_name_their_n_once_and_word_names_the_groups(tmp_path):
    """Excel: "HP (n=6)" for the count and "HP (%)" for the share, never "HP (n=6) (n)"; Word's
    themes-by-group table (Table 6 of a full report) is headed by the groups' names."""
    import docx
    from openpyxl import load_workbook

    from workbench.reports.crosstabs import theme_by_group_table, theme_by_role_table

    df, categories, themes = study_dataframe()
    by_role = theme_by_role_table(df, categories, themes)
    by_group = theme_by_group_table(df, categories, themes)
    book = load_workbook(exports.write([by_role, by_group], tmp_path / "t.xlsx"))
    header = [c.value for c in book.worksheets[0][2] if c.value]
    assert header[:3] == ["Theme", by_role.columns[1], by_role.columns[1].split(" (n=")[0] + " (%)"]
    assert not any(h.endswith(") (n)") for h in header)
    names = dict(zip(df.group_code, df.group_name, strict=True))
    group_header = [c.value for c in book.worksheets[1][2] if c.value]
    assert group_header[1] == f"{names['FG1']} (n={by_group.columns[1].split('(n=')[1]}"
    assert group_header[2] == f"{names['FG1']} (%)"
    document = docx.Document(exports.write([by_role, by_group], tmp_path / "t.docx"))
    words = [c.text for c in document.tables[1].rows[0].cells]
    assert words[1:-1] == [
        names[c.split(" (")[0]] + " (" + c.split(" (", 1)[1] for c in by_group.columns[1:-1]
    ]
    assert words[-1] == by_group.columns[-1]
    assert exports.to_markdown(by_group).count("FG1 (n=") == 1  # text formats keep the codes
