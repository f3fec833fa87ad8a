"""The report screen: tables from the agreed coding, the chart, exports with progress."""

import csv
import io

import pytest
from study_fixture import study_dataframe
from textual.widgets import DataTable

from workbench.demo import build_demo
from workbench.exchange.sheets import import_sheet
from workbench.ui.app import create_app
from workbench.ui.dialogs import Prompt
from workbench.ui.report import ReportScreen


@pytest.fixture
def store(tmp_path):
    store, _ = build_demo(tmp_path / "p.db")
    df, _, _ = study_dataframe()
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["ref", "category", "themes", "exemplar"])
    for comment, row in zip(
        [c for c in store.comments() if not c.excluded], df.itertuples(), strict=True
    ):
        writer.writerow(
            [comment.ref, row.category, ";".join(row.themes), "yes" if row.exemplar else ""]
        )
    (tmp_path / "agreed.csv").write_text(sheet.getvalue(), encoding="utf-8")
    import_sheet(store, tmp_path / "agreed.csv", agreed=True)
    return store


async def test_browse_tables_chart_and_export(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        table = screen.query_one("#report-table", DataTable)
        assert table.get_row_at(0)[:2] == ["Health professionals", "9 (56%)"]
        said = str(screen.query_one("#report-notes").render())  # Tables 1-2: one note, once
        assert said.count("Cells are the number of comments") == 1
        await pilot.press("down")  # themes
        assert table.get_row_at(0) == ["Role shift", "44", "73%"]
        assert "ranged from 58% to 93%" in str(screen.query_one("#report-notes").render())
        await pilot.press("down")  # chart
        assert "Role shift" in str(screen.query_one("#report-text").render())
        await pilot.press("up", "e")
        assert isinstance(app.screen, Prompt)
        await pilot.press("enter")  # themes.docx
        await pilot.press("E")
        await pilot.press("enter")  # folder "report"
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "themes.docx").exists()
    assert (tmp_path / "report" / "tables.xlsx").exists() and (
        tmp_path / "report" / "themes.png"
    ).exists()
    assert len(store.report_runs()) == 2


async def test_not_agreed_shows_a_message_and_provisional_on_request(tmp_path):
    store, _ = build_demo(tmp_path / "p.db")
    (tmp_path / "one.csv").write_text("ref,category\nFG1-002,defining\n", encoding="utf-8")
    import_sheet(store, tmp_path / "one.csv", agreed=True)
    app = create_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert "no agreed category yet" in str(screen.query_one("#report-text").render())
        await pilot.press("p")
        assert "provisional" in str(screen.query_one("#report-title").render())
        assert screen.query_one("#report-table", DataTable).row_count >= 3


def test_report_screen_snapshot(snap_compare, store):
    assert snap_compare(create_app(store), terminal_size=(120, 36), press=["t", "down"])


async def test_export_asks_before_replacing_a_file_it_did_not_write(store, tmp_path, monkeypatch):
    from workbench.ui.dialogs import Confirm

    monkeypatch.chdir(tmp_path)
    (tmp_path / "themes.docx").write_bytes(b"the user's own document")
    app = create_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t", "down", "e")
        await pilot.press("enter")  # themes.docx: there, and not written by Workbench
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert (tmp_path / "themes.docx").read_bytes() == b"the user's own document"
        await pilot.press("e", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert (tmp_path / "themes.docx").read_bytes()[:2] == b"PK"  # a Word file now
        await pilot.press("e", "enter")  # its own file now: replaced without asking
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
    assert len(store.report_runs()) == 2


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_themes_table_snapshot(snap_compare, store, size):
    """Table 3 whole at both sizes ("% effective" read "10" for "100%" at 80 columns)."""
    assert snap_compare(create_app(store), terminal_size=size, press=["t", "down"])
