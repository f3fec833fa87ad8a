"""The app and participants: the participants screen (the lead edits, a blind coder reads without
hidden attributes), the coding screen's and reading views' filter on attributes, and the report
screen's tables by attribute."""

import pytest
from participants_fixture import build
from pilot import ready
from textual.widgets import DataTable

from workbench.project import participants as P
from workbench.ui.app import create_app
from workbench.ui.dialogs import Choose, FilterDialog, Prompt
from workbench.ui.participants import ParticipantsScreen
from workbench.ui.report import ReportScreen


@pytest.fixture
def store(tmp_path):
    return build(tmp_path)


async def test_a_long_table_scrolls_under_its_title(store):
    """More speakers than rows: the table scrolls, the title with the counts stays in view."""
    app = create_app(store)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.max_scroll_y > 0 and screen.max_scroll_y == 0
        title = screen.query_one("#participants-title").region
        assert title.height == 1 and title.y == 1  # just under the header
        await pilot.press(*["down"] * table.row_count)
        await pilot.pause()
        assert screen.scroll_offset.y == 0 and table.scroll_offset.y > 0


async def test_the_lead_edits_values_in_the_participants_table(store):
    app = create_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("P")
        screen = app.screen
        assert isinstance(screen, ParticipantsScreen)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "group",
            "speaker",
            "role",
            "participant",
            "comments",
            "condition",
            "age",
            "site (of group)",
        ]
        assert "6 participants · 7 speakers · 1 in more than one group" in str(
            screen.query_one("#participants-title").content
        )
        table.move_cursor(row=2, column=6)  # FG1/Bob's age
        await pilot.press("enter")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"fifty", "enter")  # refused: not a number
        await pilot.pause()
        assert P.participants(store)[2].values["age"] == "50"
        await pilot.press("enter", *"51", "enter")
        await pilot.pause()
        assert next(p for p in P.participants(store) if p.name == "FG1/Bob").values["age"] == "51"
        table.move_cursor(row=2, column=7)  # FG1's site: a choice
        await pilot.press("enter")
        assert isinstance(app.screen, Choose)
        await pilot.press("2")
        await pilot.pause()
        assert store.group_values()[1]["site"] == "York"
        table.move_cursor(row=6, column=0)  # FG2/Dan
        await pilot.press("l", *"FG1/Bob", "enter")
        await pilot.pause()  # refused: their ages differ, and the table says why
        assert len(next(p for p in P.participants(store) if p.name == "FG2/Dan").speakers) == 1


async def test_a_blind_coder_reads_participants_without_hidden_attributes(store):
    P.change(store, "condition", hidden=True)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # from the coding screen to home
        await pilot.press("P")
        screen = app.screen
        assert isinstance(screen, ParticipantsScreen)
        labels = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert "condition" not in labels and "age" in labels
        assert not screen.check_action("edit", ()) and not screen.check_action("link", ())
        await pilot.press("enter")
        assert app.screen is screen  # nothing opens


async def test_the_coding_screen_filters_by_attribute(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("F")
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#f-where").focus()
        await pilot.press(*"height=2", "enter")
        assert app.screen is dialog and "no attribute 'height'" in str(
            dialog.query_one("#f-error").content
        )
        dialog.query_one("#f-where").value = "condition=IBD"
        await pilot.press("enter")
        await ready(pilot)
        assert [store.comment_ref(i) for i in screen.worklist.items] == [
            "FG2-003",
            "FG2-004",
            "FG2-005",
            "FG2-006",
        ]


async def test_the_filter_dialog_fits_80x24_with_its_buttons(store):
    """Five fields and the buttons on a 24-row terminal: Apply and Clear are on the screen (and
    clickable), also while a refusal is shown."""
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("F")
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)

        def on_screen(widget_id: str) -> bool:
            region = dialog.query_one(widget_id).region
            return region.height > 0 and region.y >= 0 and region.bottom <= 24

        assert all(map(on_screen, ("#f-group", "#f-where", "#f-apply", "#f-clear")))
        dialog.query_one("#f-where").focus()
        await pilot.press(*"height=2", "enter")
        await pilot.pause()
        assert on_screen("#f-error") and on_screen("#f-apply")
        dialog.query_one("#f-where").value = "condition=IBD"
        await pilot.click("#f-apply")
        await ready(pilot)
        assert app.screen is screen and len(screen.worklist.items) == 4
        await pilot.press("F")
        await pilot.click("#f-clear")
        await ready(pilot)
        assert app.screen is screen and len(screen.worklist.items) > 4


async def test_the_theme_view_filters_by_attribute(store):
    app = create_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await ready(pilot)
        screen = app.screen
        assert screen.quotes["role_shift"].count == 4
        await pilot.press("F", *"site=York", "enter")
        await ready(pilot)
        assert screen.quotes["role_shift"].count == 2
        assert "only where site=York" in str(screen.query_one("#theme-about").content)


async def test_the_report_screen_shows_tables_by_attribute(store):
    app = create_app(store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("b", "3")  # condition, age, site: by site
        await pilot.pause()
        table = screen.query_one("#report-table", DataTable)
        assert table.get_row_at(0)[:5] == [
            "Role shift",
            "2 (67%)",
            "2 (100%)",
            "2 (50%)",
            "1 (33%)",
        ]
        await pilot.press("down")  # effective / ineffective by site
        await pilot.pause()
        assert table.get_row_at(0) == ["Leeds", "2 (67%)", "1 (33%)", "3", "2 / 1 of 2"]
        screen.query_one("#report-choices").highlighted = 1  # Table 3
        await pilot.press("n")
        await pilot.pause()
        assert table.get_row_at(0)[-1] == "3 of 4 (75%)"
