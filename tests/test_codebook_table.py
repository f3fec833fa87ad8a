"""Codebooks as they circulate (issue 19 item 10): CSV and Excel codebooks in the layouts other
programs and teams write, read by the one loader into TOML and validated like it; documents
refused naming the formats read. Layouts as the programs write them (see
workbench/project/codebook_table.py)."""

import tomllib

import pytest
from helpers import run_cli

from workbench.errors import CodebookError
from workbench.project.codebook import load_codebook, parse_codebook
from workbench.project.codebook_plan import KEYBOARD
from workbench.project.lifecycle import init_project
from workbench.store import Store


def write_xlsx(path, rows, sheets=("codebook",)):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheets[0]
    for row in rows:
        book.active.append(list(row))
    for name in sheets[1:]:
        book.create_sheet(name)
    book.save(path)
    return path


def entries(book):
    return (
        [(c.key, c.name, c.takes_themes, c.description) for c in book.categories],
        [(t.key, t.name, t.definition) for t in book.themes],
    )


def test_taguette_codebook_export_csv_and_xlsx(tmp_path):
    # Taguette's export.codebook_csv / codebook_xlsx:
    # tag, parent, description, number of highlights.
    rows = [
        ("tag", "parent", "description", "number of highlights"),
        ("barriers", "", "What gets in the way", "4"),
        ("cost", "barriers", "Money", "2"),
        ("barriers.time", "barriers", "No time", "1"),
        ("praise", "", "", "0"),
    ]
    (tmp_path / "codebook.csv").write_text(
        "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8"
    )
    csv_book = load_codebook(tmp_path / "codebook.csv")
    xlsx_book = load_codebook(write_xlsx(tmp_path / "codebook.xlsx", rows))
    for book in (csv_book, xlsx_book):
        assert entries(book) == (
            [
                ("barriers", "barriers", True, "What gets in the way"),
                ("praise", "praise", False, ""),
            ],
            [("cost", "cost", "Money"), ("time", "time", "No time")],
        )
        assert book.notes[0] == (
            "read as Taguette's codebook export: columns read: code = 'tag', parent = 'parent', "
            "description = 'description'; left aside: 'number of highlights'"
        )
        assert "1 code name(s) that began with their parent's name written without it" in book.notes
    # The older export had no parent column.
    (tmp_path / "old.csv").write_text(
        "tag,description,number of highlights\nfood,Eating,3\n", encoding="utf-8"
    )
    assert entries(load_codebook(tmp_path / "old.csv")) == ([("food", "food", False, "Eating")], [])


def test_maxqda_codes_and_memos_with_backslash_and_angle_paths(tmp_path):
    # MAXQDA's "Import codes and memos from an Excel table": Code and Memo, subcodes with \ or >.
    path = write_xlsx(
        tmp_path / "codes.xlsx",
        [
            ("Code", "Memo"),
            ("Codename 1", "Top"),
            ("Codename 1\\Subcode 1.1", "One"),
            ("Codename 2 > Subcode 2.1 > Subcode 2.1.1", "Deep"),
        ],
    )
    book = load_codebook(path)
    assert entries(book) == (
        [("codename_1", "Codename 1", True, "Top"), ("codename_2", "Codename 2", True, "")],
        [
            ("subcode_1_1", "Subcode 1.1", "One"),
            ("subcode_2_1", "Subcode 2.1", ""),
            ("subcode_2_1_1", "Subcode 2.1.1", "Deep"),
        ],
    )
    assert list(book.notes[:3]) == [
        "read as MAXQDA's table of codes and memos: columns read: code = 'Code', "
        "description = 'Memo'",
        "code paths read with '\\\\' between levels (1 row(s))",
        "code paths read with '>' between levels (1 row(s))",
    ]
    assert (
        "parent code(s) named in paths but not on a row of their own, made without a description: "
        "Codename 2, Codename 2 > Subcode 2.1"
    ) in book.notes


def test_qualcoder_codes_list_without_header(tmp_path):
    # QualCoder's code organiser / plain-text codes import: Category>>Code, memo; no header row.
    (tmp_path / "codes.csv").write_text(
        'Effective>>Listening,"Being heard"\nIneffective>>Listening,Not heard\nBenefits,\n',
        encoding="utf-8",
    )
    book = load_codebook(tmp_path / "codes.csv")
    assert entries(book) == (
        [
            ("effective", "Effective", True, ""),
            ("ineffective", "Ineffective", True, ""),
            ("benefits", "Benefits", False, ""),
        ],
        [
            ("effective_listening", "Effective > Listening", "Being heard"),
            ("ineffective_listening", "Ineffective > Listening", "Not heard"),
        ],
    )
    assert book.notes[0].startswith("no header row: read as a codes list (QualCoder's layout)")
    assert (
        "kept apart: theme 'Listening' under Effective → theme 'Effective > Listening'"
        in book.notes
    )


def test_nvivo_names_with_the_nodes_folder_and_counts_left_aside(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "Name,Description,Files,References\nNodes\\Attitudes,Views,3,9\n"
        "Nodes\\Attitudes\\Positive,Good,2,4\n"
        "Nodes\\Attitudes\\Negative,,1,2\n",
        encoding="utf-8",
    )
    book = load_codebook(tmp_path / "nodes.csv")
    assert entries(book) == (
        [("attitudes", "Attitudes", True, "Views")],
        [("positive", "Positive", "Good"), ("negative", "Negative", "")],
    )
    assert "the folder 'Nodes' at the head of every path left out (NVivo's)" in book.notes
    assert book.notes[0].endswith("left aside: 'Files', 'References'")


def test_a_teams_own_sheet_with_a_title_a_category_column_and_examples(tmp_path):
    path = write_xlsx(
        tmp_path / "ours.xlsx",
        [
            ("Codebook v3 (March)",),
            (),
            ("Category", "Code", "Definition", "Example", "Colour"),
            ("Effective", "", "What works", "", ""),
            ("Effective", "Listening", "Being heard", "I felt heard", "red"),
            ("Ineffective", "Listening", "Not heard", "", "blue"),
            ("Benefits", "", "", "", ""),
        ],
        sheets=("v3", "old"),
    )
    book = load_codebook(path)
    assert entries(book) == (
        [
            ("effective", "Effective", True, "What works"),
            ("ineffective", "Ineffective", True, ""),
            ("benefits", "Benefits", False, ""),
        ],
        [
            (
                "effective_listening",
                "Effective > Listening",
                "Being heard\n\nExample: I felt heard",
            ),
            ("ineffective_listening", "Ineffective > Listening", "Not heard"),
        ],
    )
    assert list(book.notes[:3]) == [
        "read the first sheet, 'v3', of 2 ('old' left aside)",
        "row 1 above the header (row 3) read as a title and left aside",
        "columns read: code = 'Code', parent = 'Category', description = 'Definition', 'Example' "
        "added to the "
        "description; left aside: 'Colour'",
    ]


def test_semicolons_slashes_in_names_and_the_keyboard(tmp_path):
    # Excel in a locale with a decimal comma saves CSV with semicolons; "Yes/No" is one name.
    lines = ["Code;Definition", "Yes/No;Answers", *(f"Area {n}>Topic {n};" for n in range(70))]
    (tmp_path / "big.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = load_codebook(tmp_path / "big.csv")
    assert (
        book.categories[0].name == "Yes/No"
        and len(book.categories) == 71
        and len(book.themes) == 70
    )
    assert (
        "'/' in 1 code name(s) read as part of the name (the parents it would make are not codes "
        "of the file)" in book.notes
    )
    keys = [e.shortcut for e in (*book.categories, *book.themes) if e.shortcut]
    assert len(keys) == len(set(k.lower() for k in keys)) == 56 and set(keys) <= set(KEYBOARD)
    assert book.notes[-1].startswith(
        "85 entries have no shortcut key (past the keys of the keyboard): "
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "Colour,Count\nred,1\n",
            "row 1: no column names the code (found: 'Colour', 'Count'); give the header row a "
            "'Code' column",
        ),
        (
            "Code,Memo\nA,x\nB,y\nA,z\n",
            "row 4: code 'A' is already on row 2; give each code one row",
        ),
        (
            "Code,Memo,Parent\nA,x,\n,y,\n",
            "row 3: no code name in column 'Code'; give every row a code, or delete the row",
        ),
        (
            "Code,Parent\nA,B\nB,A\n",
            "row 3: code 'B' is its own parent (through 'A'); fix the parent column",
        ),
        ("Code,Memo\n", "the header (row 1) has no rows of codes below it"),
        ("\n\n", "the codebook is empty"),
    ],
)
def test_table_codebooks_that_cannot_be_read_name_the_row(tmp_path, content, message):
    (tmp_path / "book.csv").write_text(content, encoding="utf-8")
    with pytest.raises(CodebookError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_codebook(tmp_path / "book.csv")


@pytest.mark.parametrize(
    "name, data, what",
    [
        ("book.pdf", b"%PDF-1.4\n", "a PDF document"),
        ("book.docx", b"PK\x03\x04 word", "a Word document"),
        ("book.odt", b"PK\x03\x04 odf", "an OpenDocument text"),
        ("codebook", b"%PDF-1.7", "a PDF document"),
    ],
)
def test_documents_are_refused_naming_the_formats_read(tmp_path, name, data, what):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(CodebookError) as caught:
        load_codebook(tmp_path / name)
    assert str(caught.value) == (
        f"{tmp_path / name}: {what}, not a codebook Workbench reads; Workbench reads TOML "
        "(.toml), CSV or Excel (.csv, .tsv, .xlsx: a 'Code' column, and 'Description') and "
        "REFI-QDA (.qdc, through `workbench import-qdc`): put the codes in a sheet and save "
        "it as .csv or .xlsx"
    )


def test_the_same_validation_as_toml(tmp_path):
    # The TOML a table becomes is what the loader validates and what `codebook --format toml` gives
    # back; "Joy"'s first letter is the coding screen's "next" key, so it gets the next free key.
    (tmp_path / "b.csv").write_text(
        "Code,Description\nFeelings,How it felt\nFeelings>Joy,Glad\n", encoding="utf-8"
    )
    book = load_codebook(tmp_path / "b.csv")
    again = parse_codebook(book.source.encode("utf-8"), "again.toml")
    assert again == book and again.sha256 == book.sha256
    assert tomllib.loads(book.source)["theme"] == [
        {"key": "joy", "name": "Joy", "shortcut": "2", "definition": "Glad"}
    ]
    (tmp_path / "bad.csv").write_text(
        "Code\nA\n" + "".join(f"A>T{n}\n" for n in range(3)), encoding="utf-8"
    )
    assert len(load_codebook(tmp_path / "bad.csv").themes) == 3


def test_init_and_replace_with_a_table_codebook_say_what_was_read(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team.csv").write_text(
        "Category,Code,Definition\nHelps,Listening,Being heard\n", encoding="utf-8"
    )
    code, out, err = run_cli(capsys, "init", "p.db", "--codebook", "team.csv")
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "Read team.csv:",
        "  columns read: code = 'Code', parent = 'Category', description = 'Definition'",
        "  parent code(s) named in paths but not on a row of their own, made without a "
        "description: Helps",
        "  1 category (top-level codes) and 1 theme(s) (codes below them)",
        "The codebook is kept as TOML: `workbench codebook p.db --format toml` writes it.",
    ]
    code, toml_text, _ = run_cli(capsys, "codebook", "p.db", "--format", "toml")
    assert code == 0 and tomllib.loads(toml_text)["theme"][0]["name"] == "Listening"
    store = Store.open(tmp_path / "p.db")
    assert (
        store.active_codebook()["source_name"] == "team.csv"
        and store.active_codebook()["content"] == toml_text
    )
    store.close()
    write_xlsx(
        tmp_path / "new.xlsx", [("Code", "Memo"), ("Helps", "x"), ("Helps\\Asking", "Questions")]
    )
    code, out, err = run_cli(capsys, "codebook", "p.db", "--replace", "new.xlsx")
    assert code == 0, err
    # A table codebook has no version of its own ("1"): the project's first one had it, so
    # the replacement is numbered on, and says so.
    assert out.startswith(
        "Codebook replaced: 'new' version 2 from new.xlsx (the file says 1, the version of a "
        "codebook this project used already; --version sets another)\nRead new.xlsx:\n"
        "  read as MAXQDA's table"
    )
    assert [t.name for t in Store.open(tmp_path / "p.db").themes()] == ["Asking"]


def test_a_project_from_a_table_codebook_is_the_same_as_from_its_toml(tmp_path):
    (tmp_path / "b.csv").write_text("Code,Memo\nA,x\nA\\B,y\n", encoding="utf-8")
    one = init_project(tmp_path / "one.db", tmp_path / "b.csv")
    (tmp_path / "b.toml").write_text(one.active_codebook()["content"], encoding="utf-8")
    two = init_project(tmp_path / "two.db", tmp_path / "b.toml")
    assert one.categories() == two.categories() and one.themes() == two.themes()
    assert one.active_codebook()["sha256"] == two.active_codebook()["sha256"]
