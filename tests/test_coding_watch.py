"""Open windows notice what other processes committed (``PRAGMA data_version`` each second):
new comments, codebook edits, splits and the coder's own codings made in another window.

The other window is a second connection to the same file (each window of the app is its own
process with its own connection); the app is driven by Pilot and waited on by condition.
"""

import pytest
from pilot import ready

from workbench import api
from workbench.coding.watch import ProjectWatch
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.ingest.language import split_points
from workbench.project.codebook_edit import CodebookDraft, save_draft
from workbench.project.lifecycle import init_project
from workbench.store import Store
from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.kept import CodingKey

FG1 = (
    "Ruth: When the doctor asks what matters to me. We set the goal together.\n\n"
    "Sam: Nobody told us the plan before the visit.\n\n"
    "Ruth: Coproduction means being partners.\n"
)


@pytest.fixture
def project(tmp_path):
    store = init_project(tmp_path / "p.db", name="Watch study")
    (tmp_path / "fg1.txt").write_text(FG1)
    import_transcripts(store, [tmp_path / "fg1.txt"], GroupMeta(name="Families"))
    store.close()
    return tmp_path / "p.db"


async def until(pilot, condition, seconds: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (the poll runs every second)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not get there in time")


def said(app, words: str) -> bool:
    return any(words in n.message for n in app._notifications)


def test_the_watch_reports_only_other_connections_commits(project, tmp_path):
    here, there = Store.open(project), Store.open(project)
    watch = ProjectWatch(here)
    assert watch.poll() is None
    api.coding_session(here, "ana").set_category(here.find_ref("FG1-001")[0], "defining")
    assert watch.poll() is None  # this window's own coding
    (tmp_path / "fg2.txt").write_text("Ann: We share the numbers.\n\nBob: And learn together.\n")
    import_transcripts(there, [tmp_path / "fg2.txt"], GroupMeta(name="Mixed"))
    changes = watch.poll()
    assert changes.comments and not changes.codebook
    described = changes.described()
    assert any(line.startswith("transcript FG2/fg2.txt imported by ") for line in described)
    assert watch.poll() is None  # taken in
    api.coding_session(there, "ana").set_category(there.find_ref("FG2-001")[0], "defining")
    changes = watch.poll()
    assert not changes.comments
    assert changes.coded_by("ana") == {"FG2-001"} and changes.coded_by("ben") == set()


async def test_an_open_window_takes_in_a_new_comment_and_a_new_theme(project, tmp_path):
    store = Store.open(project)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.worklist.progress() == (0, 3)
        # The lead, in another process, imports a group and adds a theme with the key t.
        lead = Store.open(project)
        (tmp_path / "fg2.txt").write_text(
            "Ann: We share the numbers.\n\nBob: And we trust each other now.\n"
        )
        import_transcripts(lead, [tmp_path / "fg2.txt"], GroupMeta(name="Mixed"))
        draft = CodebookDraft.of(lead)
        draft.add_theme("", "Trust building", "t", "Earning and keeping trust")
        save_draft(lead, draft, actor="lead")
        await until(pilot, lambda: said(app, "Trust building"))
        notice = next(n.message for n in app._notifications if "Trust building" in n.message)
        assert "In another window: transcript FG2/fg2.txt imported by" in notice
        assert "theme Trust building (t) added" in notice and "comments to code: 3 → 5" in notice
        assert screen.worklist.progress() == (0, 5)
        # `:` to the new comment works, and the new theme's key codes it.
        await pilot.press("colon", *"FG2-002", "enter")
        await ready(pilot)
        assert screen._me.ref == "FG2-002"
        await pilot.press("2", "t")
        await ready(pilot)
        session = app.sessions.coding[CodingKey("ana", None)]
        coding = session.get(store.find_ref("FG2-002")[0])
        assert coding.category == "effective" and coding.themes == ("trust_building",)
        assert screen.codes._drawn["#themes"][0] == (True, ("trust_building",))  # shown chosen
        assert "Trust" in app.export_screenshot()


async def test_a_split_elsewhere_reloads_the_window_and_a_key_on_old_words_writes_nothing(project):
    """The issue's race in the app: the window shows a comment, another window splits it; a key
    pressed before the window noticed is refused and said; the window then shows the new words
    and its progress counts the new part."""
    store = Store.open(project)
    app = create_app(store, coder="ben")
    app.WATCH_SECONDS = 3600  # the key comes before the window looks: the write's own check
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        first = store.find_ref("FG1-001")[0]
        assert screen.worklist.current == first and screen.worklist.progress() == (0, 3)
        other = Store.open(project)
        ana = api.coding_session(other, "ana")
        text = ana.comment(first).text
        ana.split(first, split_points(text)[0])
        await pilot.press("3")
        await ready(pilot)
        assert said(
            app,
            "FG1-001 changed in another window since it was shown here (split into "
            "FG1-001 and FG1-001b by ana",
        )
        assert store.codings_of(store.coder_named("ben").id) == {}
        assert screen.worklist.progress() == (0, 4)
        assert screen._me.text == "When the doctor asks what matters to me."
        await pilot.press("3")  # now on the words shown: written
        await ready(pilot)
        assert api.coding_session(other, "ben").get(first).category == "ineffective"


async def test_the_coders_own_coding_in_another_window_shows_here(project):
    store = Store.open(project)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        first = store.find_ref("FG1-001")[0]
        other = api.coding_session(Store.open(project), "ana")
        other.set_category(first, "benefits")
        other.set_memo(first, "from the laptop")
        await until(pilot, lambda: said(app, "your coding of FG1-001 was changed there"))
        assert screen.worklist.coding(first).memo == "from the laptop"
        assert screen.worklist.progress() == (1, 3)
        assert "from the laptop" in str(screen.query_one("#flags").render())


async def test_go_to_a_comment_imported_after_the_window_opened(project, tmp_path):
    """`:` finds it even before the window's next look (the list is read again for it)."""
    app = create_app(Store.open(project), coder="ana")
    app.WATCH_SECONDS = 3600
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        (tmp_path / "fg2.txt").write_text(
            "Ann: We share the numbers.\n\nBob: And learn together.\n"
        )
        import_transcripts(Store.open(project), [tmp_path / "fg2.txt"], GroupMeta(name="Mixed"))
        await pilot.press("colon", *"FG2-002", "enter")
        await ready(pilot)
        assert app.screen._me.ref == "FG2-002" and app.screen.worklist.progress() == (0, 5)
        assert not said(app, "not among the comments")


async def test_a_memo_changed_elsewhere_while_writing_comes_back_with_both(project):
    store = Store.open(project)
    app = create_app(store, coder="ana")
    app.WATCH_SECONDS = 3600
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first = app.screen.worklist.current
        await pilot.press("enter")  # the memo editor, on an empty memo
        await ready(pilot)
        api.coding_session(Store.open(project), "ana").set_memo(first, "from the laptop")
        await pilot.press(*"mine", "ctrl+s")
        await ready(pilot)
        editor = app.screen  # the editor again, with both memos
        assert "changed in another window while you wrote" in editor.title_text
        assert editor.query_one("TextArea").text == "from the laptop\n\nmine"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert api.coding_session(store, "ana").get(first).memo == "from the laptop\n\nmine"


async def test_undo_refused_for_a_field_the_other_window_changed_says_so(project):
    store = Store.open(project)
    app = create_app(store, coder="ana")
    app.WATCH_SECONDS = 3600
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first = app.screen.worklist.current
        await pilot.press("4", "exclamation_mark")  # benefits, not sure
        await ready(pilot)
        other = api.coding_session(Store.open(project), "ana")
        other.toggle_unsure(first, on=False)
        other.set_memo(first, "checked: sure")
        await pilot.press("ctrl+z")  # the not-sure mark: changed there since
        await ready(pilot)
        assert said(
            app, "cannot undo on FG1-001: its not-sure mark changed in another window since"
        )
        await pilot.press("ctrl+z")  # the category: undone, the other window's memo kept
        await ready(pilot)
        assert other.get(first).category is None and other.get(first).memo == "checked: sure"


async def test_the_home_screen_shows_an_import_made_elsewhere(project, tmp_path):
    app = create_app(Store.open(project))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        (tmp_path / "fg2.txt").write_text("Ann: We share the numbers.\n\nBob: And learn.\n")
        import_transcripts(Store.open(project), [tmp_path / "fg2.txt"], GroupMeta(name="Mixed"))
        await until(pilot, lambda: said(app, "transcript FG2/fg2.txt imported"))
        assert "2 groups · 5 comments" in str(app.screen.query_one("#totals").render())


async def test_split_of_a_comment_merged_away_elsewhere_says_so(tmp_path):
    """Another window merged the comment shown into the one before it: ``S`` pressed before the
    window noticed says so and reads the list again (it ended the app: the comment was None)."""
    store = init_project(tmp_path / "p.db", name="Merge study")
    (tmp_path / "fg1.txt").write_text(
        "Ruth: We set the goal. It helped.\n\n"
        "Ruth: Coproduction means partners. We agree.\n\n"
        "Sam: Nobody told us the plan.\n"
    )
    import_transcripts(store, [tmp_path / "fg1.txt"], GroupMeta(name="Families"))
    app = create_app(store, coder="ben")
    app.WATCH_SECONDS = 3600  # the key comes before the window looks
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        await ready(pilot)
        assert app.screen._me.ref == "FG1-002"
        other = Store.open(tmp_path / "p.db")
        api.coding_session(other, "ana").merge(store.find_ref("FG1-001")[0])
        await pilot.press("S")
        await ready(pilot)
        assert said(app, "This comment is no longer in the project.")
        assert isinstance(app.screen, CodingScreen) and app.screen._me.ref != "FG1-002"


async def test_the_apps_project_watch_leaves_textuals_watch_alone(project):
    """The app keeps its look at other windows' commits as ``project_watch``: Textual's own
    ``watch`` (of a reactive attribute) still works (it was shadowed by the ProjectWatch)."""
    app = create_app(Store.open(project))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        seen: list[str] = []
        app.watch(app, "sub_title", lambda title: seen.append(title), init=False)
        app.sub_title = "Renamed study"
        await ready(pilot)
        assert seen == ["Renamed study"] and app.project_watch.poll() is None
