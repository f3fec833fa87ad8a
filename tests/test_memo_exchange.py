"""A memo of several lines keeps its lines through every way codings leave and enter a
project: coding sheets (CSV and Excel), coder packages and REFI-QDA."""

import shutil

import pytest

from workbench.coding.session import CodingSession, codings_by_comment
from workbench.demo import build_demo
from workbench.store import Store

MEMO = "Trust comes first — “quoted” & <b>.\nThen the plan:\n\n  1. goals\n  2. the visit"


@pytest.fixture
def projects(tmp_path):
    """An uncoded demo as the lead's project, and a copy where ana codes two comments with memos."""
    store, _ = build_demo(tmp_path / "lead.db")
    store.close()
    shutil.copy(tmp_path / "lead.db", tmp_path / "ana.db")
    ana = Store.open(tmp_path / "ana.db")
    session = CodingSession.start(ana, "ana")
    ids = {c.ref: c.id for c in ana.comments()}
    session.set_category(ids["FG1-002"], "defining")
    session.set_memo(ids["FG1-002"], MEMO)
    session.set_category(ids["FG2-008"], "effective")
    session.toggle_theme(ids["FG2-008"], "listening")
    session.set_memo(ids["FG2-008"], "one line")
    return ana, Store.open(tmp_path / "lead.db"), tmp_path


def memos_of(store: Store, coder: str) -> dict[str, str]:
    found = store.coder_named(coder)
    refs = {c.id: c.ref for c in store.comments()}
    return {refs[i]: c.memo for i, c in codings_by_comment(store, found.id).items() if c.memo}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_sheet_keeps_the_memos_lines(projects, suffix):
    from workbench.exchange.sheets import (
        COLUMNS,
        INFO_COLUMNS,
        import_sheet,
        sheet_rows,
        write_table,
    )

    ana, lead, folder = projects
    sheet = folder / f"ana{suffix}"
    write_table(sheet_rows(ana, "ana"), sheet, COLUMNS + INFO_COLUMNS)
    result = import_sheet(lead, sheet)
    assert memos_of(lead, "ana") == {"FG1-002": MEMO, "FG2-008": "one line"}
    assert result.new == 2
    again = import_sheet(lead, sheet)  # read back identically: nothing differs
    assert (again.new, again.changed) == (0, 0) and again.unchanged == result.unchanged + 2


def test_windows_line_breaks_in_a_sheet_are_read_as_line_breaks(projects):
    from workbench.exchange.sheets import import_sheet

    _, lead, folder = projects
    sheet = folder / "windows.csv"
    sheet.write_bytes(b'ref,coder,category,memo\r\nFG1-002,ana,defining,"first\r\nsecond\r\n"\r\n')
    import_sheet(lead, sheet)
    assert memos_of(lead, "ana") == {"FG1-002": "first\nsecond"}
    # The same memo typed in the app is the same coding: no conflict on a second import.
    assert import_sheet(lead, sheet).unchanged == 1


def test_a_coder_package_keeps_the_memos_lines(projects):
    from workbench.exchange.package import export_package
    from workbench.exchange.package_import import import_package

    ana, lead, folder = projects
    export_package(ana, "ana", folder / "ana.json")
    import_package(lead, folder / "ana.json")
    assert memos_of(lead, "ana") == {"FG1-002": MEMO, "FG2-008": "one line"}


def test_a_refi_qda_project_keeps_the_memos_lines(projects):
    from workbench.exchange.refi import export_qdpx
    from workbench.exchange.refi.importer import import_qdpx

    ana, _, folder = projects
    export_qdpx(ana, folder / "ana.qdpx")
    import_qdpx(folder / "ana.qdpx", folder / "back.db")
    back = Store.open(folder / "back.db")
    assert memos_of(back, "ana") == {"FG1-002": MEMO, "FG2-008": "one line"}
