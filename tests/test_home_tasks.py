"""The lead's project tasks from home (backup, export, saturation) and the small things a
researcher notices: the group list with j/k and enter, ctrl+c's message, the codebook's
definitions in full, in-app exports by their absolute path."""

import json
import zipfile

import pytest
from helpers import copy_project
from pilot import ready
from textual.widgets import DataTable

from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.comments import CommentsScreen
from workbench.ui.dialogs import Choose, Confirm, FormDialog, Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.report import ReportScreen


@pytest.fixture
def store(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


def capture(app) -> list[str]:
    """Every notification's text, as the user reads it."""
    said = []
    original = app.notify

    def notify(message, **kw):
        said.append(message)
        original(message, **kw)

    app.notify = notify
    return said


async def test_backup_shows_the_last_one_and_makes_another(store):
    app = create_app(store)
    said = capture(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("B")
        assert isinstance(app.screen, Confirm)
        assert app.screen.question.startswith(
            "There is no backup of this project yet. Back up the project now?"
        )
        await pilot.press("y")
        await ready(pilot)
        folder = store.path.with_name(store.path.name + ".backups")
        made = sorted(folder.glob("demo-*-manual.db"))
        assert len(made) == 1 and said[-1] == f"Backed up to {made[0].resolve()} (checked: ok)."
        await pilot.press("B")
        assert app.screen.question.startswith(
            f"The last backup is {made[0].resolve()}, made just now ("
        )
        assert str(folder.absolute()) in app.screen.question
        await pilot.press("n")
        assert len(list(folder.glob("demo-*"))) == 1


async def test_exports_from_home_are_the_commands_files(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(store)
    said = capture(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for choice, name in (("1", "project.qdpx"), ("3", "codings.xlsx"), ("4", "agreed.xlsx")):
            await pilot.press("x")
            assert isinstance(app.screen, Choose)
            await pilot.press(choice)
            assert isinstance(app.screen, Prompt)
            await pilot.press("enter")
            await ready(pilot)
            assert said[-1].startswith(f"Wrote {tmp_path / name} (")
        await pilot.press("x", "5")  # a coder's package: whose?
        assert isinstance(app.screen, Choose) and app.screen.options == ["ana", "ben"]
        await pilot.press("2", "enter")
        await ready(pilot)
    assert zipfile.is_zipfile(tmp_path / "project.qdpx")
    package = json.loads((tmp_path / "ben-package.json").read_text())
    assert package["coder"] == "ben" and len(package["codings"]) == 122
    assert said[-1] == f"Wrote {tmp_path / 'ben-package.json'} (122 coded comment(s) of ben)."


async def test_a_coder_exports_only_their_own_package(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # to the coder's home
        await ready(pilot)
        await pilot.press("x")
        assert app.screen.options == ["A coder's package (to merge into a project elsewhere)"]
        await pilot.press("1")
        assert isinstance(app.screen, Prompt)  # ana's own: no choice of whose
        await pilot.press("enter")
        await ready(pilot)
        for key in ("B", "s", "a"):  # the lead's tasks: neither shown nor run
            await pilot.press(key)
            assert isinstance(app.screen, HomeScreen)
    assert json.loads((tmp_path / "ana-package.json").read_text())["coder"] == "ana"


async def test_saturation_from_home_opens_on_a_result_and_takes_its_two_settings(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen) and screen.choice == "saturation"
        assert screen.saturation is not None  # a result (five groups: base 3), not a refusal
        assert "base 3, run 2" in str(screen.query_one("#report-title").render())
        await pilot.press("s")
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-run").value = "0"
        await pilot.press("ctrl+s")
        assert "run length is a whole number" in str(form.query_one("#form-error").render())
        form.query_one("#field-run").value = "1"
        form.query_one("#field-base").value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "base 2, run 1" in str(screen.query_one("#report-title").render())


async def test_the_group_list_moves_with_j_and_k_and_enter_opens_a_comment(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        groups = app.screen.query_one("#groups", DataTable)
        await pilot.press("j", "j", "k")
        assert groups.cursor_row == 1
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, CommentsScreen) and screen.group == "FG2"
        await pilot.press("j", "j")
        table = screen.query_one("#comments", DataTable)
        assert table.cursor_row == 2
        ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("enter")  # a lead not coding yet is asked as whom
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"ana", "enter")
        await ready(pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen._me.ref == ref


async def test_ctrl_c_says_which_key_quits_in_plain_words(store):
    app = create_app(store)
    said = capture(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert said == ["Press q or ^q to quit the app."]


async def test_report_exports_say_the_absolute_folder(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(store)
    said = capture(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t", "E", "enter")
        await ready(pilot)
    assert said[-1].startswith(f"Wrote {tmp_path / 'report'} (") and "files, run" in said[-1]


async def test_home_shows_the_codebooks_definitions_in_full_where_there_is_room(store):
    themes = {t.name: t.definition for t in store.themes()}
    for size, whole in (((160, 45), True), ((80, 24), False)):
        app = create_app(store)
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            book = app.screen.query_one("#codebook", DataTable)
            shown = {book.get_row_at(i)[1]: book.get_row_at(i)[2] for i in range(book.row_count)}
            text = shown["Pre-visit planning"]
            assert text.plain == themes["Pre-visit planning"]
            assert (text.no_wrap is False) == whole  # wrapped in full, or one line cut with "…"
