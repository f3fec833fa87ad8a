"""The reading views and the codebook editor in the app (Pilot): the whole transcript, browse
by theme, the memos overview, the memo editor and the codebook editor; blind while coding."""

import pytest
from helpers import copy_project
from textual.widgets import DataTable, Input

from workbench.coding.session import CodingSession
from workbench.ui.app import create_app
from workbench.ui.codebook import CodebookScreen
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import Confirm, FormDialog, MemoEditor, Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.memos import MemosScreen
from workbench.ui.themes import ThemesScreen
from workbench.ui.transcript import TranscriptScreen


@pytest.fixture
def store(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


def _id(store, ref):
    return next(c.id for c in store.comments() if c.ref == ref)


def _margins(screen) -> dict[str, str]:
    view = screen.view
    return {entry.ref: view.entries[i][1].plain for i, entry in enumerate(screen.items)}


async def _idle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- the whole transcript ---------------------------------------------------------------


async def test_the_lead_reads_a_group_with_the_agreed_coding_and_switches_coder(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, TranscriptScreen) and screen.whose.name == "agreed"
        assert "FG1 Health professionals" in str(screen.query_one("#transcript-title").render())
        assert _margins(screen)["FG1-001"] == "Facilitator: not coded"
        agreed = store.codings_of(store.coder_named("agreed").id)
        assert _margins(screen)["FG1-002"].startswith(
            next(
                c.name
                for c in store.categories()
                if c.key == agreed[_id(store, "FG1-002")].category_key
            )
        )
        assert screen.check_action("whose", ())
        await pilot.press("j", "j", "w")
        assert screen.whose.name == "ana" and screen.current.ref == "FG1-003"  # the cursor stays
        await pilot.press("w", "w")
        assert screen.whose.name == "agreed"
        await pilot.press("n")
        assert screen.items[0].ref.startswith("FG2-")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_lead_coding_from_the_transcript_is_asked_as_whom(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "j", "j", "j", "enter")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"cara", "enter")
        assert isinstance(app.screen, Confirm)  # a new name: asked first
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.session.coder.name == "cara"
        assert screen._me.ref == "FG1-004" and app.coder == "cara"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HomeScreen"]


async def test_from_the_coding_screen_the_transcript_shows_only_this_coders_codes(store):
    session = CodingSession.start(store, "cara")
    session.set_category(_id(store, "FG1-002"), "benefits")
    app = create_app(store, coder="cara")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon", *"FG1-002", "enter", "T")
        screen = app.screen
        assert isinstance(screen, TranscriptScreen) and screen.current.ref == "FG1-002"
        assert [w.name for w in screen.whose_list] == ["cara"]
        margins = _margins(screen)
        assert margins["FG1-002"] == "Benefits of effective coproduction"
        assert margins["FG1-003"] == "not coded"  # not ana's, ben's or the agreed coding
        assert not screen.check_action("whose", ())
        await pilot.press("w")
        assert screen.whose.name == "cara"
        await pilot.press("j", "enter")
        assert isinstance(app.screen, CodingScreen) and app.screen._me.ref == "FG1-003"
        # From home too (v), for the same coder, and back on the coding screen at the comment.
        await pilot.press("escape", "v", "j", "j", "j", "j", "enter")
        assert isinstance(app.screen, CodingScreen) and app.screen._me.ref == "FG1-005"


async def test_a_facilitators_turn_is_not_offered_for_coding(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        screen = app.screen
        assert screen.current.ref == "FG1-001" and not screen.check_action(
            "code", ()
        )  # the facilitator
        assert "enter" not in [key for _s, _e, key in screen.query_one("KeyBar")._spans]
        await pilot.press("enter")
        assert app.screen is screen
        await pilot.press("j")
        assert screen.check_action("code", ())
        assert "enter" in [key for _s, _e, key in screen.query_one("KeyBar")._spans]


# -- browse by theme --------------------------------------------------------------------


async def test_browse_a_theme_open_a_comment_in_its_transcript_and_export(
    store, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = create_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await _idle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        about = str(screen.query_one("#theme-about").render())
        assert "Role shift" in about and "Behaving differently and being an equal partner" in about
        table = screen.query_one("#theme-comments", DataTable)
        assert table.row_count == screen.quotes["role_shift"].count > 0
        await pilot.press("down")  # Communication
        assert table.row_count == screen.quotes["communication"].count
        first = screen.quotes["communication"].quotes[0]
        await pilot.press("enter")  # into the comments
        assert screen.query_one("#theme-comments").has_focus
        await pilot.press("enter")
        assert isinstance(app.screen, TranscriptScreen) and app.screen.current.ref == first["ref"]
        assert app.screen.whose.name == "agreed"
        await pilot.press("escape", "e")
        assert isinstance(app.screen, Prompt)
        await pilot.press("enter")
        await pilot.pause()
    assert (tmp_path / "communication-quotes.docx").exists()
    [run] = store.report_runs()
    assert run["tables"] == ["theme-quotes"] and run["parameters"]["themes"] == ["communication"]


async def test_a_blind_coder_browses_their_own_themes_and_memos_only(store):
    session = CodingSession.start(store, "cara")
    session.set_category(_id(store, "FG1-003"), "effective")
    session.toggle_theme(_id(store, "FG1-003"), "listening")
    session.set_memo(_id(store, "FG1-003"), "mine")
    app = create_app(store, coder="cara")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("escape", "b")
        await _idle(pilot)
        screen = app.screen
        assert [w.name for w in screen.whose_list] == ["cara"]
        assert screen.quotes["listening"].count == 1 and screen.quotes["role_shift"].count == 0
        await pilot.press("escape", "n")
        assert isinstance(app.screen, MemosScreen)
        assert [m.ref for m in app.screen.shown] == ["FG1-003"]
        await pilot.press("c")
        assert isinstance(app.screen, CodingScreen) and app.screen._me.ref == "FG1-003"


# -- memos ------------------------------------------------------------------------------


async def test_the_memos_overview_searches_and_opens_the_comment(store):
    session = CodingSession.start(store, "ana")
    session.set_memo(_id(store, "FG1-004"), "Trust first.\nThen the plan.")
    session.set_memo(_id(store, "FG2-010"), "Listening, planning")
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        screen = app.screen
        # The agreed coding's notes are the lead's rationales (the demo's 25 decisions give one).
        assert isinstance(screen, MemosScreen) and len(screen.all) == 25
        assert all(m.memo.startswith("rationale: ") for m in screen.all)
        await pilot.press("w")
        assert screen.whose.name == "ana" and [m.ref for m in screen.shown] == [
            "FG1-004",
            "FG2-010",
        ]
        detail = str(screen.query_one("#memo-detail").render())
        assert "Trust first.\nThen the plan." in detail
        await pilot.press("slash", *"listen")
        assert screen.query_one(Input).has_focus and [m.ref for m in screen.shown] == ["FG2-010"]
        assert "1 of 2 memo(s) match “listen”" in str(screen.query_one("#memos-title").render())
        await pilot.press("escape")  # leaves the search for the list
        assert screen.query_one(DataTable).has_focus
        await pilot.press("enter")
        assert isinstance(app.screen, TranscriptScreen) and app.screen.current.ref == "FG2-010"
        assert app.screen.whose.name == "ana"


async def test_the_memo_editor_keeps_lines_and_asks_before_dropping_typing(tmp_path):
    from workbench.demo import build_demo

    store, _ = build_demo(tmp_path / "demo.db")
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        current = screen.worklist.current
        await pilot.press("enter")
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"first", "enter", *"second", "ctrl+s")
        assert screen.session.get(current).memo == "first\nsecond"
        await pilot.press("enter", *" more", "escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, CodingScreen)
        assert screen.session.get(current).memo == "first\nsecond"
        await pilot.press("enter", "escape")  # nothing typed: no question
        assert isinstance(app.screen, CodingScreen)


# -- the codebook editor ----------------------------------------------------------------


async def test_the_lead_edits_the_codebook_and_confirms_once_coded(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, CodebookScreen) and not screen.check_action("save", ())
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("theme:learning"))
        await pilot.press("enter")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("tab", "f", "ctrl+s")  # the shortcut: a key the coding screen uses
        assert isinstance(app.screen, FormDialog)
        assert "next not sure" in str(app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        table.move_cursor(row=table.get_row_index("theme:listening"))
        await pilot.press("enter", *"Listening well", "enter", "enter", "enter")
        assert isinstance(app.screen, CodebookScreen)
        assert table.get_row("theme:listening")[:4] == ["•", "theme", "i", "Listening well"]
        assert screen.check_action("save", ())
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Prompt)  # the edited codebook's version, the next one offered
        assert app.screen.query_one(Input).value == "1.1"
        await pilot.press("enter")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert [t.name for t in store.themes() if t.key == "listening"] == ["Listening well"]
        assert store.active_codebook()["version"] == "1.1"
        assert not screen.check_action("save", ())
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        codebook = app.screen.query_one("#codebook", DataTable)
        assert "Listening well" in [codebook.get_row_at(i)[1] for i in range(codebook.row_count)]
    assert store.audit_rows()[-1]["note"].startswith(
        "edited in the app: theme listening: name; forced with"
    )
    assert list(store.path.parent.glob(f"{store.path.name}.backups/*codebook-replace*"))


async def test_leaving_the_editor_with_edits_asks_first(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(
            "e", "a", *"Trust building", "enter", "t", "enter", *"Earned", "enter", "enter"
        )
        screen = app.screen
        assert (
            isinstance(screen, CodebookScreen)
            and "theme trust_building: added" in screen.draft.changes
        )
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        assert isinstance(app.screen, HomeScreen)
    assert "trust_building" not in {t.key for t in store.themes()}


async def test_a_coding_session_neither_shows_nor_opens_the_codebook_editor(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")
        home = app.screen
        assert isinstance(home, HomeScreen) and not home.check_action("edit_codebook", ())
        await pilot.press("e")
        assert isinstance(app.screen, HomeScreen)
        assert any("the codebook is the lead's to edit" in n.message for n in app._notifications)


def test_the_new_screens_bindings_have_ids_and_descriptions():
    for screen in (
        TranscriptScreen,
        ThemesScreen,
        MemosScreen,
        CodebookScreen,
        MemoEditor,
        FormDialog,
    ):
        for binding in screen.BINDINGS:
            assert binding.id and binding.description, (screen.__name__, binding.key)


# -- the transcript widget: heights estimated, drawn on demand -----------------------------


def test_the_estimate_is_richs_wrap_for_the_demo_comments(store):
    from rich.console import Console
    from rich.text import Text

    from workbench.ui.transcript_view import estimate_lines

    console = Console(width=200)
    for comment in store.comments():
        for width in (20, 37, 60, 110):
            rich = console.render_lines(Text(comment.text), console.options.update_width(width))
            assert estimate_lines(comment.text, width) == len(rich), (comment.ref, width)


async def test_a_height_estimated_wrong_is_corrected_when_the_comment_is_drawn():
    from rich.console import Console
    from rich.text import Text
    from textual.app import App

    from workbench.ui.transcript_view import TranscriptView, estimate_lines

    class One(App):
        def compose(self):
            yield TranscriptView()

    text = (
        "spaced  words   that   rich   keeps   as   they   are   " * 3
    )  # runs of spaces: the estimate is off
    app = One()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(TranscriptView)
        view.show([(Text(text), Text("margin")) for _ in range(30)])
        await pilot.pause()
        width = view._columns[0]
        console = Console(width=200)
        assert estimate_lines(text, width) != len(
            console.render_lines(Text(text), console.options.update_width(width))
        )
        assert view._drawn and all(view._heights[i] == len(view._drawn[i]) for i in view._drawn)
        assert 29 not in view._drawn  # not in view: not wrapped yet
        view.move_cursor(29)
        await pilot.pause()
        assert view._heights[29] == len(view._drawn[29])
        assert view.virtual_size.height == view._starts[29] + view._heights[29]
        assert (
            view.scroll_offset.y + view.size.height >= view._starts[29] + view._heights[29]
        )  # in view
        assert view.entry_at(view.size.height - 1) == 29


async def test_a_trainee_reads_only_their_training_coding_and_exports_nothing(store):
    from workbench.evidence.training import mark

    mark(store, ["FG1-002", "FG1-003"], actor="lead")
    app = create_app(store, coder="cai", mode="training")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "escape", "v")
        screen = app.screen
        assert isinstance(screen, TranscriptScreen) and screen.whose.name == "cai (training)"
        margins = _margins(screen)
        assert margins["FG1-002"] == "Defining coproduction" and margins["FG1-004"] == "not coded"
        await pilot.press("escape", "b")
        await _idle(pilot)
        assert [w.name for w in app.screen.whose_list] == ["cai (training)"]
        assert not app.screen.check_action("export", ())
