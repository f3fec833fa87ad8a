"""A focus group removed by another window between the list being read and a screen of it
opening: the screen says so and goes back, the app goes on (it used to end with the error)."""

from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.ui.app import create_app
from workbench.ui.comments import CommentsScreen
from workbench.ui.home import HomeScreen
from workbench.ui.transcript import TranscriptScreen


def _store(tmp_path):
    store = init_project(tmp_path / "p.db", name="Pilot study")
    (tmp_path / "fg1.txt").write_text("Facilitator: What helps?\n\nRuth: Being listened to.\n")
    import_transcripts(store, [tmp_path / "fg1.txt"], GroupMeta(name="Carers", kind="individual"))
    return store


async def test_a_screen_of_a_group_gone_says_so_and_goes_back(tmp_path):
    store = _store(tmp_path)
    app = create_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        for screen in (CommentsScreen(store, "FG2"), TranscriptScreen(store, "FG2")):
            await app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), type(app.screen)
            notices = [n.message for n in app._notifications]
            assert any("FG2" in m for m in notices), notices
            app.clear_notifications()
    assert app.return_code in (0, None)
