"""Coding sheets: import with a full error report, export, round trips, one-hot."""

import csv

import pytest
from openpyxl import load_workbook

from workbench.coding.session import CodingSession
from workbench.demo import build_demo
from workbench.exchange.sheets import (
    SheetError,
    import_sheet,
    onehot_columns,
    onehot_rows,
    sheet_rows,
    write_table,
)

HEADER = "ref,coder,category,themes,memo,unsure,exemplar\n"


@pytest.fixture
def store(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    return store


def sheet(tmp_path, body, name="s.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def codings(store, coder):
    coder_id = store.coder_named(coder).id
    ref = {c.id: c.ref for c in store.comments()}
    return {
        ref[i]: (k.category_key, list(k.themes), k.memo, int(k.unsure), int(k.exemplar))
        for i, k in store.codings_of(coder_id).items()
    }


def test_names_keys_case_and_apostrophes_all_match(store, tmp_path):
    path = sheet(
        tmp_path,
        "FG1-002,ana,EFFECTIVE,Recognize other’s expertise; role_shift,good,,yes\n"
        "FG1-003,ana,behaviors of ineffective coproduction,recognize OTHER'S expertise,,1,\n"
        "FG1-004,ben,Defining coproduction,,,no,0\n",
    )
    result = import_sheet(store, path)
    assert (result.new, result.changed, result.unchanged) == (3, 0, 0)
    assert result.coders == {"ana": 2, "ben": 1}
    assert codings(store, "ana") == {
        "FG1-002": ("effective", ["role_shift", "recognize_expertise"], "good", 0, 1),
        "FG1-003": ("ineffective", ["recognize_expertise"], "", 1, 0),
    }
    audit = [r for r in store.audit_rows() if r["action"] == "import" and r["entity"] == "coding"]
    assert len(audit) == 3 and audit[0]["note"] == "from s.csv"


def test_every_error_is_reported_with_its_row_and_nothing_is_imported(store, tmp_path):
    path = sheet(
        tmp_path,
        "FG1-002,ana,effective,role shift,,,\n"  # row 2: fine
        "FG9-001,ana,effective,,,,\n"  # row 3: unknown comment
        "FG1-003,ana,definng,,,,\n"  # row 4: unknown category
        "FG1-004,ana,defining,Listening,,,\n"  # row 5: theme on a themeless category
        "FG1-005,ana,effective,Lisening,,,\n"  # row 6: unknown theme
        "FG1-002,ana,benefits,,,,\n"  # row 7: duplicate of row 2
        "FG1-007,,effective,Listening,,,\n"  # row 8: no coder
        "FG1-008,ana,effective,Listening,,perhaps,\n"  # row 9: bad flag
        "FG1-001,ana,defining,,,,\n",
    )  # row 10: facilitator, excluded
    with pytest.raises(SheetError) as info:
        import_sheet(store, path)
    lines = str(info.value).splitlines()
    assert lines == [
        f"{path}: row 3: comment 'FG9-001' is not in the project",
        f"{path}: row 4: unknown category 'definng' (categories: defining = Defining coproduction, "
        "effective = Behaviors of effective coproduction, ineffective = Behaviors of ineffective "
        "coproduction, benefits = Benefits of effective coproduction)",
        f"{path}: row 5: category 'Defining coproduction' takes no themes: themes go only on a "
        "category that takes themes: choose Behaviors of effective coproduction or Behaviors of "
        "ineffective coproduction",
        f"{path}: row 6: unknown theme 'Lisening'",
        f"{path}: row 7: duplicate of row 2 (same comment and coder)",
        f"{path}: row 8: the coder is empty",
        f"{path}: row 9: unsure must be yes/no (or 1/0), not 'perhaps'",
        f"{path}: row 10: comment 'FG1-001' is excluded from coding (role Facilitator)",
        "8 problem(s); nothing was imported.",
    ]
    assert store.coders() == []


def test_each_rows_codes_are_checked_by_the_codebooks_rule(store, tmp_path):
    path = sheet(tmp_path, "FG1-004,ana,,Listening,,,\n")
    with pytest.raises(SheetError) as info:
        import_sheet(store, path)
    assert str(info.value).splitlines()[0] == (
        f"{path}: row 2: themes without a category: themes go only on a category that takes "
        "themes: choose Behaviors of effective coproduction or Behaviors of ineffective coproduction"
    )


def test_missing_coder_column_is_an_error_unless_agreed(store, tmp_path):
    path = tmp_path / "agreed.csv"
    path.write_text("ref,category,themes\nFG1-002,effective,Listening\n")
    with pytest.raises(SheetError, match="row 1: missing column.*coder"):
        import_sheet(store, path)
    import_sheet(store, path, agreed=True)
    agreed = [c for c in store.coders() if c.kind == "agreed"]
    assert [c.name for c in agreed] == ["agreed"]
    assert codings(store, "agreed") == {"FG1-002": ("effective", ["listening"], "", 0, 0)}


def test_changing_existing_codings_needs_overwrite(store, tmp_path):
    CodingSession.start(store, "ana").set_category(store.comments()[1].id, "defining")
    path = sheet(tmp_path, "FG1-002,ana,benefits,,,,\n")
    with pytest.raises(SheetError, match="(?s)already coded by ana differently.*--overwrite"):
        import_sheet(store, path)
    result = import_sheet(store, path, overwrite=True)
    assert (result.new, result.changed) == (0, 1)
    assert codings(store, "ana")["FG1-002"][0] == "benefits"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_round_trips(store, tmp_path, suffix):
    session = CodingSession.start(store, "ana")
    rows = [c for c in store.comments() if not c.excluded]
    session.set_category(rows[0].id, "effective")
    session.toggle_theme(rows[0].id, "knowing_the_person")
    session.toggle_theme(rows[0].id, "recognize_expertise")
    session.set_memo(rows[0].id, 'says "we", not "I"; see FG2')
    session.toggle_unsure(rows[0].id)
    session.set_category(rows[1].id, "benefits")
    session.toggle_exemplar(rows[1].id)
    exported = tmp_path / f"ana{suffix}"
    write_table(sheet_rows(store, "ana"), exported)
    before = codings(store, "ana")
    # Import under another coder name: edit the coder column.
    if suffix == ".csv":
        text = exported.read_text(encoding="utf-8").replace(",ana,", ",ana2,")
        exported.write_text(text, encoding="utf-8")
    else:
        book = load_workbook(exported)
        for row in book.active.iter_rows(min_row=2):
            row[1].value = "ana2"
        book.save(exported)
        assert book.active.freeze_panes == "A2"
    import_sheet(store, exported)
    assert codings(store, "ana2") == before


def test_export_lists_every_codable_comment_for_one_coder(store, tmp_path):
    CodingSession.start(store, "ana").set_category(store.comments()[1].id, "defining")
    rows = sheet_rows(store, "ana")
    assert len(rows) == 122
    assert rows[0]["category"] == "Defining coproduction" and rows[1]["category"] == ""
    assert len(sheet_rows(store)) == 1  # all coders: only what was coded
    with pytest.raises(SheetError, match="no such coder"):
        sheet_rows(store, "nobody")


def test_onehot_sheet(store, tmp_path):
    session = CodingSession.start(store, "ana")
    first = store.comments()[1].id
    session.set_category(first, "ineffective")
    session.toggle_theme(first, "listening")
    session.toggle_theme(first, "mutuality")
    rows = onehot_rows(store, "ana")
    assert rows[0]["Listening"] == 1 and rows[0]["Mutuality"] == 1 and rows[0]["Role shift"] == 0
    assert sum(rows[0][t.name] for t in store.themes()) == 2
    out = tmp_path / "onehot.csv"
    write_table(rows, out, onehot_columns(store))
    header = next(csv.reader(out.open(encoding="utf-8")))
    # The long sheet's columns with one 0/1 column per theme in place of "themes".
    assert header[:7] == ["ref", "coder", "category", "memo", "unsure", "exemplar", "Role shift"]
    assert len(header) == 6 + 14 + 4 and header[-4:] == ["group", "speaker", "role", "text"]


def test_a_blank_sheet_without_a_coder_is_refused_by_the_domain_too(store, tmp_path):
    from workbench.exchange.sheets import export_sheet

    with pytest.raises(SheetError, match="blank sheet is for one coder"):
        export_sheet(store, tmp_path / "blank.csv", template=True)
    assert not (tmp_path / "blank.csv").exists()
