"""The app shell: built by the factory from a store, home screen and comments screen."""

import pytest
from textual.widgets import DataTable

from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.ui.app import create_app
from workbench.ui.comments import CommentsScreen
from workbench.ui.home import HomeScreen


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db", name="Pilot study")
    (tmp_path / "fg1.txt").write_text(
        "Facilitator: What helps?\n\nRuth: Being listened to.\n\nDr. Ko: Planning together.\n"
    )
    import_transcripts(
        store, [tmp_path / "fg1.txt"], GroupMeta(name="Health professionals", kind="individual")
    )
    return store


async def test_home_lists_groups_and_codebook_and_opens_comments(store):
    app = create_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert app.sub_title == "Pilot study"
        groups = app.screen.query_one("#groups", DataTable)
        assert groups.row_count == 1
        assert groups.get_row_at(0)[:5] == ["FG1", "Health professionals", "individual", 3, 2]
        codebook = app.screen.query_one("#codebook", DataTable)
        assert codebook.row_count == 4 + 14
        await pilot.press("enter")
        assert isinstance(app.screen, CommentsScreen)
        table = app.screen.query_one("#comments", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "FG1-001",
            "FG1-002",
            "FG1-003",
        ]
        assert table.get_row_at(0)[2] == "Facilitator (excluded)"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark")
        assert app.screen.query("KeysPanel")
        await pilot.press("q")
    assert app.return_code == 0


def test_bindings_have_ids_and_descriptions():
    from workbench.ui.app import WorkbenchApp

    for owner in (WorkbenchApp, HomeScreen, CommentsScreen):
        for binding in owner.BINDINGS:
            assert binding.id and binding.description, (owner.__name__, binding.key)
