"""One session from coding to tables (issue 16, Flow and Layout), driven by keys (Pilot):
a coder's window becomes the lead's without quitting, keys that would be refused are not
shown, and what the screens show fits at 80 and 160 columns."""

import pytest
from helpers import copy_project
from pilot import keys, palette, ready
from textual.widgets import DataTable

from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import Choose, Confirm, Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.reconcile import ReconcileScreen
from workbench.ui.report import ReportScreen


@pytest.fixture
def coded(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


@pytest.fixture
def demo(tmp_path):
    from workbench.demo import build_demo

    store, _ = build_demo(tmp_path / "demo.db")
    return store


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_coder_becomes_the_lead_and_reaches_reconciliation_and_tables(coded):
    app = create_app(coded)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("c", *"cai", "enter")  # a third person codes first
        assert isinstance(app.screen, Confirm)  # a name the project has not seen: a new coder?
        assert (
            str(app.screen.query_one("Label").render())
            == "Start a new coder 'cai'? Coders: ana, ben."
        )
        await pilot.press("y")
        await ready(pilot)
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("1", "escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        line = keys(app)
        assert "L Act as lead" in line and "C Switch coder" in line
        assert not any(k in line for k in ("R Reconcile", "t Tables", "m Model"))
        assert not {"Reconcile", "Tables", "Model"} & set(palette(app))
        await pilot.press("R")  # not shown, and says what to do instead
        await pilot.pause()
        assert "press L to act as lead (once the first pass is done)" in notes(app)[-1]
        await pilot.press("L")
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one("Label").render())
        assert question == (
            "You coded as cai in this window. Reconciling shows every coder's codings; do it only "
            "once cai's first pass is done. Continue as lead?"
        )
        await pilot.press("n")  # still blind
        assert app.coder == "cai" and "R Reconcile" not in keys(app)
        await pilot.press("L", "y")
        assert app.coder is None
        line = keys(app)
        assert "R Reconcile" in line and "t Tables" in line
        assert (
            "L Act as lead" not in line and "C Switch coder" not in line
        )  # refused now: not shown
        columns = [str(c.label) for c in home.query_one("#groups", DataTable).columns.values()]
        assert columns[-3:] == ["ana", "ben", "cai"]
        await pilot.press("R", *"lead", "enter")  # "ana ben " is prefilled
        await ready(pilot)
        assert isinstance(app.screen, ReconcileScreen) and app.screen.rec.names == ["ana", "ben"]
        await pilot.press("escape", "t")
        await ready(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.query_one("#report-table", DataTable).row_count > 3


async def test_the_lead_dialog_names_everyone_coded_as_here(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "escape", "C")
        assert isinstance(app.screen, Prompt)
        assert "ana" in app.screen.title_text and "stays blind" in app.screen.title_text
        await pilot.press(*"ben", "enter")
        assert str(app.screen.query_one("Label").render()) == (
            "Start a new coder 'ben'? This window coded as: ana."
        )
        await pilot.press("y")
        await ready(pilot)
        assert app.screen.session.coder.name == "ben" and app.coder == "ben"
        await pilot.press("2", "escape")
        assert "coding as ben" in str(app.screen.query_one("#totals").render())
        await pilot.press("L")
        assert "You coded as ana and ben in this window" in str(
            app.screen.query_one("Label").render()
        )


async def test_a_training_window_never_offers_the_lead(coded):
    from workbench.evidence import training

    training.mark(coded, ["FG1-002", "FG2-003"], actor="lead")
    app = create_app(coded, coder="cai", mode="training")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "L Act as lead" not in keys(app) and "Act as lead" not in palette(app)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.coder == "cai"


async def test_reconcile_is_not_offered_before_two_people_have_coded(demo):
    app = create_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "R Reconcile" not in keys(app) and "Reconcile" not in palette(app)
        assert "t Tables" in keys(app)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_home_shows_every_coders_column(coded, size):
    from workbench.coding.session import CodingSession

    CodingSession.start(coded, "cai").set_category(coded.find_ref("FG1-002")[0], "defining")
    app = create_app(coded)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#groups", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[-3:] == ["ana", "ben", "cai"]
        # Every column within the table's width, and each cell whole but the shortened names.
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        assert table.get_row_at(1)[-3:] == ["40/40", "40/40", "0/40"]
        assert table.get_row_at(1)[1].startswith("People with CF")


async def test_the_key_panel_leaves_the_transcript_its_room(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert screen.query("KeysPanel")
        assert screen.query_one("#transcript").size.width >= 40
        assert not screen.query_one("#codes").display  # the panel lists the codes' keys instead
        await pilot.press("2")  # coding still works beside the panel
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen.query_one("#codes").display and not screen.has_class("-help")
    async with create_app(demo, coder="ana").run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = pilot.app.screen
        assert (
            screen.query_one("#transcript").size.width >= 50 and screen.query_one("#codes").display
        )


async def test_the_split_menu_lists_every_sentence(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("S")  # FG1-002: three sentences, two places to split
        dialog = app.screen
        assert isinstance(dialog, Choose)
        options = dialog.query_one("#choices")
        assert options.option_count == 2
        assert [str(options.get_option_at_index(i).prompt) for i in range(2)] == [
            "1  after “I’d say it’s care that is designed and delivered with the patient rather than to them.”",
            "2  after “The patient and family bring what they know about living with the condition, and we "
            "bring the clinical knowledge.”",
        ]
        assert options.region.height >= 4  # both shown, wrapped
        await pilot.press("2")
        assert [c.ref for c in demo.comments()][1:3] == ["FG1-002", "FG1-002b"]
        assert (
            demo.comment(demo.find_ref("FG1-002b")[0]).text == "Neither half is enough on its own."
        )


async def test_tables_keep_percent_effective_whole_at_80x24(coded):
    app = create_app(coded)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("t", "down")
        await ready(pilot)
        table = app.screen.query_one("#report-table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Theme",
            "Comments",
            "% effective",
        ]
        assert table.region.right <= app.screen.query_one("#report-body").region.right
        row = next(
            table.get_row_at(i) for i in range(table.row_count) if table.get_row_at(i)[2] == "100%"
        )
        assert row[0] == "Goal setting"
        assert list(table.columns.values())[2].get_render_width(table) >= len("% effective") + 2


async def test_the_footer_keeps_undo_search_home_and_keys_at_80_columns(coded):
    app = create_app(coded, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        line = keys(app)
        for shown in ("^z Undo", "/ Search", "esc Home", "? Keys"):
            assert shown in line
    app = create_app(coded, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        line = keys(app)
        for shown in (
            "A Take A",
            "B Take B",
            "1-4 category, letters themes",
            "^z Undo",
            "esc Home",
            "? Keys",
        ):
            assert shown in line
