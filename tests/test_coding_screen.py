"""The coding screen, driven by key presses alone (Pilot)."""

import json

import pytest
from pilot import ready

from workbench.coding.session import CodingSession
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import Choose, Confirm, FilterDialog, MemoEditor
from workbench.ui.home import HomeScreen

GROUP = """\
Facilitator: What makes a visit work?

Ruth: When the doctor asks what matters to me. We set the goal together.

Dr. Ko: I try to listen first. Then we plan.

Facilitator: And when it goes wrong?

Sam: Nobody told us the plan before the visit.

Ruth: Coproduction means being partners.
"""


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db", name="Pilot study")
    (tmp_path / "fg1.txt").write_text(GROUP)
    (tmp_path / "fg2.txt").write_text(
        "Ann: We share the numbers.\n\nBob: And learn from each other.\n"
    )
    import_transcripts(
        store,
        [tmp_path / "fg1.txt"],
        GroupMeta(name="Families", kind="individual"),
        roles={"Ruth": "PwCHC", "Dr. Ko": "HP", "Sam": "Parent"},
    )
    import_transcripts(
        store,
        [tmp_path / "fg2.txt"],
        GroupMeta(name="Mixed", kind="multi"),
        roles={"Ann": "HP", "Bob": "Parent"},
    )
    return store


def codings(store, coder="ana"):
    coder_id = store.coder_named(coder).id
    by_ref = {c.id: c.ref for c in store.comments()}
    return {
        by_ref[i]: (c.category_key, list(c.themes)) for i, c in store.codings_of(coder_id).items()
    }


async def test_code_a_whole_group_by_keys_alone(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.worklist.current == store.comments()[1].id  # FG1-002: first codable
        # FG1-002 effective, goal setting + asking questions; FG1-003 effective, listening;
        # FG1-005 ineffective, pre-visit planning; FG1-006 defining.
        await pilot.press("2", "o", "a", "j", "2", "i", "j", "3", "v", "j", "1")
        assert "4/4" in str(screen.query_one("#where").render())
    assert codings(store) == {
        "FG1-002": ("effective", ["asking_questions", "goal_setting"]),
        "FG1-003": ("effective", ["listening"]),
        "FG1-005": ("ineffective", ["pre_visit_planning"]),
        "FG1-006": ("defining", []),
    }
    audit = [r for r in store.audit_rows() if r["entity"] == "coding"]
    assert len(audit) == 8 and {r["actor"] for r in audit} == {"ana"}
    assert json.loads(audit[-1]["after"])["category"] == "defining"
    assert [r["entity_ref"] for r in audit] == ["FG1-002"] * 3 + ["FG1-003"] * 2 + [
        "FG1-005"
    ] * 2 + ["FG1-006"]


async def test_themes_need_a_theme_category(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert any("themes go only on a category" in n.message for n in app._notifications)
    assert codings(store) == {}


async def test_dropping_themes_asks_first(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2", "r", "4")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert codings(store) == {"FG1-002": ("effective", ["role_shift"])}
        await pilot.press("4")
        await pilot.press("y")
        assert isinstance(app.screen, CodingScreen)
    assert codings(store) == {"FG1-002": ("benefits", [])}


async def test_undo_redo_flags_memo_and_navigation(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("2", "c", "ctrl+z")
        assert codings(store) == {"FG1-002": ("effective", [])}
        await pilot.press("ctrl+y")
        assert codings(store) == {"FG1-002": ("effective", ["communication"])}
        await pilot.press("exclamation_mark", "asterisk", "enter")
        assert isinstance(
            app.screen, MemoEditor
        )  # several lines: enter is a new line, ctrl+s keeps it
        await pilot.press(*"a good quote", "ctrl+s")
        session = CodingSession.start(store, "ana")
        coding = session.get(store.comments()[1].id)
        assert (coding.unsure, coding.exemplar, coding.memo) == (True, True, "a good quote")
        # next uncoded skips the coded FG1-002; next flagged comes back to it
        await pilot.press("u")
        assert store.comment_ref(screen.worklist.current) == "FG1-003"
        await pilot.press("f")
        assert store.comment_ref(screen.worklist.current) == "FG1-002"
        # jump to a ref in the other group
        await pilot.press("colon", *"fg2-002", "enter")
        assert store.comment_ref(screen.worklist.current) == "FG2-002"
        await pilot.press("k")
        assert store.comment_ref(screen.worklist.current) == "FG2-001"
        await pilot.press("colon", *"FG1-001", "enter")  # the facilitator: context only
        await pilot.pause()
        assert any("is not coded" in n.message for n in app._notifications)


async def test_search_and_filter(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("slash", *"plan", "enter")
        await ready(pilot)  # the search runs in a worker
        assert [store.comment_ref(i) for i in screen.worklist.items] == ["FG1-003", "FG1-005"]
        comment = screen.query_one("#comment").content
        assert [
            comment.plain[s.start : s.end]
            for s in comment.spans
            if str(s.style) == "black on yellow"
        ] == ["plan"]
        await pilot.press("F")
        assert isinstance(app.screen, FilterDialog)
        await pilot.click("#f-clear")
        assert len(screen.worklist.items) == 6
        screen.worklist.apply(type(screen.worklist.filters)(role="Parent"))
        assert [store.comment_ref(i) for i in screen.worklist.items] == ["FG1-005", "FG2-002"]


async def test_split_and_merge_from_the_screen(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("S")
        assert isinstance(app.screen, Choose)
        await pilot.press("1")
        assert [c.ref for c in store.comments()][:3] == ["FG1-001", "FG1-002", "FG1-002b"]
        # The new comment has the highest id but is coded in reading order.
        assert [store.comment_ref(i) for i in app.screen.worklist.items][:3] == [
            "FG1-002",
            "FG1-002b",
            "FG1-003",
        ]
        await pilot.press("M")  # merge FG1-002 with FG1-002b again
        assert [c.text for c in store.comments()][1] == (
            "When the doctor asks what matters to me. We set the goal together."
        )
        await pilot.press("2", "S", "1")  # coded now: refused, in words that do not say by whom
        await pilot.pause()
        assert any(
            "cannot split FG1-002: comments are split and merged only while nobody has coded it"
            in n.message
            for n in app._notifications
        )
    actions = [r["action"] for r in store.audit_rows() if r["entity"] == "comment"]
    assert actions == ["split", "merge"]


async def test_a_split_is_undone_by_ctrl_z_while_nobody_has_coded_the_parts(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        before = [(c.ref, c.text) for c in store.comments()]
        await pilot.press("S", "1")
        screen = app.screen
        assert store.comment_ref(screen.worklist.current) == "FG1-002"
        await pilot.press("j", "1")  # FG1-002b coded: the split cannot be undone now
        await pilot.press("ctrl+z")  # undoes the coding
        await pilot.press("ctrl+z")  # and now the split: merged back
        assert [(c.ref, c.text) for c in store.comments()] == before
        assert [store.comment_ref(i) for i in screen.worklist.items][:2] == ["FG1-002", "FG1-003"]
        assert store.comment_ref(screen.worklist.current) == "FG1-002"
        await pilot.press("ctrl+y")  # split again
        assert [c.ref for c in store.comments()][:3] == ["FG1-001", "FG1-002", "FG1-002b"]
        assert [store.comment_ref(i) for i in screen.worklist.items][:2] == ["FG1-002", "FG1-002b"]
        CodingSession.start(store, "ben").set_category(store.find_ref("FG1-002b")[0], "defining")
        await pilot.press("ctrl+z")  # someone coded a part: refused, and still undoable later
        await pilot.pause()
        assert any(
            "cannot merge back FG1-002 and FG1-002b: comments are split and merged only while nobody"
            in n.message
            for n in app._notifications
        )
        assert screen.session.next_is_comment_edit()
    actions = [r["action"] for r in store.audit_rows() if r["entity"] == "comment"]
    assert actions == ["split", "undo split", "split"]


async def test_undo_survives_leaving_the_coding_screen(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "r", "escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")  # back to coding as ana: the same session, the same stacks
        await ready(pilot)
        await pilot.press("ctrl+z")
        assert codings(store) == {"FG1-002": ("effective", [])}
        await pilot.press("escape", "c")
        await ready(pilot)
        await pilot.press("ctrl+y")
        assert codings(store) == {"FG1-002": ("effective", ["role_shift"])}
        # Another coder in the same window has their own stacks.
        await pilot.press("escape", "C", *"ben", "enter")
        assert isinstance(app.screen, Confirm)  # blind: only the names coded as here are named
        assert str(app.screen.query_one("Label").render()) == (
            "Start a new coder 'ben'? This window coded as: ana."
        )
        await pilot.press("y")
        await ready(pilot)
        assert app.screen.session.coder.name == "ben"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app._notifications and list(app._notifications)[-1].message == "Nothing to undo"


async def test_coding_screen_is_blind_to_other_coders(store):
    other = CodingSession.start(store, "ben")
    for comment in store.comments():
        if not comment.excluded:
            other.set_category(comment.id, "benefits")
            other.set_memo(comment.id, "BEN-SECRET-MEMO")
    app = create_app(store, coder="ana")
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.worklist.codings == {}
        for _ in range(6):
            text = " ".join(str(w.render()) for w in screen.query("Static"))
            assert "BEN-SECRET-MEMO" not in text and "ben" not in text.lower().split()
            await pilot.press("j")
        # Every comment has been shown, and none of ben's codings was read.
        assert screen.worklist.codings == {} and not screen.worklist.coded_ids
        assert screen.worklist.progress() == (0, 6)


async def test_home_starts_coding_and_shows_progress(store):
    app = create_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await pilot.press(*"ana", "enter", "y")  # yes, a new coder
        await ready(pilot)
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("1", "escape")
        assert isinstance(app.screen, HomeScreen)
        row = app.screen.query_one("#groups").get_row_at(0)
        assert row[-1] == "1/4"


async def test_status_filters_follow_the_coders_changes(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        Filters = type(screen.worklist.filters)
        await pilot.press("2")  # FG1-002: effective, but no theme yet: not coded
        assert screen.worklist.apply(Filters(status="coded")) == 0
        screen.worklist.apply(Filters())  # back to all, at the first comment
        await pilot.press("r", "exclamation_mark")
        assert screen.worklist.apply(Filters(status="coded")) == 1
        assert [store.comment_ref(i) for i in screen.worklist.items] == ["FG1-002"]
        assert screen.worklist.apply(Filters(status="flagged")) == 1
        assert screen.worklist.apply(Filters(status="uncoded", group_id=store.groups()[1].id)) == 2
        assert screen.worklist.progress() == (1, 6)
        assert screen.worklist.jump("fg1-002") is None  # leaves the filter for the ref
        assert not screen.worklist.filters.active
        await pilot.press("0")  # cleared: neither coded nor flagged any more
        assert screen.worklist.progress() == (0, 6)
        assert screen.worklist.apply(Filters(status="flagged")) == 0


async def test_footer_lists_the_keys_and_a_click_presses_one(store):
    from workbench.ui.keybar import KeyBar

    app = create_app(store, coder="ana")
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        bar = screen.query_one(KeyBar)
        line = bar.render().plain
        for shown in (
            "j Next",
            "k Prev",
            "u Next uncoded",
            "^z Undo",
            "/ Search",
            "esc Home",
            "? Keys",
        ):
            assert shown in line
        assert line.rstrip().endswith("^p palette")
        assert "Theme: Role shift" not in line  # the codebook keys are in the key help, not here
        start = next(start for start, _end, key in bar._spans if key == "u")
        await pilot.press("2", "r")  # FG1-002 coded; a click on "u" goes to the next uncoded
        await pilot.click(KeyBar, offset=(start + 1, 0))
        assert store.comment_ref(screen.worklist.current) == "FG1-003"
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen.query("KeysPanel")


async def test_footer_drops_keys_that_do_not_fit_whole(store):
    from workbench.ui.keybar import KeyBar

    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bar.render().plain
        assert len(line) == 80 and line.rstrip().endswith("^p palette")
        shown = [key for _s, _e, key in bar._spans]
        # Undo, search, home and ? never drop off; then what codes fastest.
        assert shown == ["j", "u", "ctrl+z", "slash", "escape", "question_mark", "ctrl+p"]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_redrawing_only_what_changed_leaves_the_same_layout(store, size):
    """The screen skips unchanged widgets and the layout pass where sizes cannot change;
    after every key the widgets must sit exactly where a full redraw puts them."""
    app = create_app(store, coder="ana")
    widgets = (
        "#where",
        "#categories",
        "#themes",
        "#definitions",
        "#flags",
        "#progress",
        "#comment",
    )
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.screen
        for key in [
            "1",
            "2",
            "r",
            "c",
            "e",
            "3",
            "4",
            "y",
            "enter",
            *"a memo that wraps in the pane of codes",
            "ctrl+s",
            "exclamation_mark",
            "asterisk",
            "j",
            "2",
            "k",
            "r",
            "exclamation_mark",
            "0",
            "j",
            "j",
        ]:
            await pilot.press(key)
            await pilot.pause()
            if app.screen is not screen:
                continue  # a dialog: the memo, the question before dropping themes
            seen = {w: screen.query_one(w).region for w in widgets}
            screen._drawn.clear()
            screen.codes._drawn.clear()  # every pane drawn afresh, with a layout
            screen.refresh_view()
            await pilot.pause()
            assert {w: screen.query_one(w).region for w in widgets} == seen, key
    afters = [json.loads(r["after"]) for r in store.audit_rows() if r["entity"] == "coding"]
    assert {
        "category": "benefits",
        "themes": [],
        "memo": "a memo that wraps in the pane of codes",
        "unsure": False,
        "exemplar": False,
    } in afters  # the keys went where meant


async def test_nothing_reachable_from_coding_shows_the_other_coders(store):
    other = CodingSession.start(store, "ben")
    other.set_category(store.comments()[1].id, "benefits")
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # home, from the coding screen
        home = app.screen
        assert isinstance(home, HomeScreen)
        columns = [str(c.label) for c in home.query_one("#groups").columns.values()]
        assert columns[-1] == "ana" and "ben" not in columns
        assert "coding as ana" in str(home.query_one("#totals").render())
        for key in ("R", "t"):  # reconciliation and report tables would show ben's work
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is home
        assert sum("show the other coders' work" in n.message for n in app._notifications) == 2
        await pilot.press("c")  # back to coding as ana, with no list of coder names
        assert isinstance(app.screen, CodingScreen) and app.screen.session.coder.name == "ana"


async def test_the_home_screen_is_open_until_someone_codes(store):
    CodingSession.start(store, "ben").set_category(store.comments()[1].id, "benefits")
    app = create_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        columns = [str(c.label) for c in app.screen.query_one("#groups").columns.values()]
        assert "ben" in columns  # the lead's view: everyone's progress
        await pilot.press("c", *"ana", "enter")
        assert (
            str(app.screen.query_one("Label").render()) == "Start a new coder 'ana'? Coders: ben."
        )
        await pilot.press("y")
        await ready(pilot)
        await pilot.press("escape")
        columns = [str(c.label) for c in app.screen.query_one("#groups").columns.values()]
        assert "ben" not in columns and columns[-1] == "ana"


async def test_a_merge_in_another_window_reloads_the_list(store, tmp_path):
    from workbench.coding.comment import merge_with_next, split_comment
    from workbench.store import Store

    dr_ko = store.comments()[2]  # FG1-003 "I try to listen first. Then we plan."
    split_comment(store, dr_ko.id, dr_ko.text.index(" Then") + 1, actor="lead")
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert [store.comment_ref(i) for i in screen.worklist.items][:3] == [
            "FG1-002",
            "FG1-003",
            "FG1-003b",
        ]
        elsewhere = Store.open(tmp_path / "p.db")  # another analyst's window
        merge_with_next(elsewhere, dr_ko.id, actor="lead")  # FG1-003b is gone
        await pilot.press("j", "j")  # FG1-003, then what was FG1-003b
        await pilot.pause()
        assert any("changed in another window" in n.message for n in app._notifications)
        assert [store.comment_ref(i) for i in screen.worklist.items][:3] == [
            "FG1-002",
            "FG1-003",
            "FG1-005",
        ]
        assert store.comment_ref(screen.worklist.current) == "FG1-005"


def test_opening_the_coding_screen_loads_no_heavy_library(store, tmp_path):
    """Start-up is measured against a bare Textual app (benchmarks/coding_bench.py): the
    coding screen must not pull in sqlite-utils, pandas, numpy or spaCy on its way."""
    import subprocess
    import sys

    code = (
        "import asyncio, sys\n"
        "from workbench.store import Store\n"
        "from workbench.ui.app import create_app\n"
        "async def main():\n"
        f"    app = create_app(Store.open({str(tmp_path / 'p.db')!r}), coder='ana')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.press('2', 'r', 'j')\n"
        "        assert type(app.screen).__name__ == 'CodingScreen'\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('sqlite_utils', 'pandas', 'numpy', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


async def test_the_first_search_of_a_large_project_indexes_in_a_worker(store, monkeypatch):
    import threading

    import workbench.ui.coding_search as coding_ui

    threads = []

    def recording_search(*args):
        threads.append(threading.current_thread())
        return original(*args)

    original = coding_ui.search
    monkeypatch.setattr(coding_ui, "search", recording_search)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        monkeypatch.setattr(
            store, "unindexed_comments", lambda: 100_000
        )  # as a large project would
        await pilot.press("slash", *"plan", "enter")
        assert any("Indexing 100,000 comments for search" in n.message for n in app._notifications)
        await ready(pilot)
        assert [store.comment_ref(i) for i in screen.worklist.items] == ["FG1-003", "FG1-005"]
    assert threads and threading.main_thread() not in threads  # searched off the UI thread


def test_unindexed_comments_counts_what_the_next_search_indexes(store):
    from workbench.coding.search import search

    assert store.unindexed_comments() == len(store.comments())
    assert search(store, "plan")
    assert store.unindexed_comments() == 0


async def test_a_project_without_transcripts_says_what_to_do(tmp_path):
    app = create_app(init_project(tmp_path / "empty.db"), coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert "No comments to code yet: import transcripts" in str(
            app.screen.query_one("#where").render()
        )
        await pilot.press("j", "2", "u")  # nothing to move to or code, and no crash
        assert app.screen.worklist.current is None


async def test_the_comment_a_dialog_goes_to_is_scrolled_into_view(tmp_path):
    """Back from "go to" (a dialog), the whole comment shows, not the context above it."""
    from workbench.demo import build_demo

    store, _ = build_demo(tmp_path / "demo.db")
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("colon", *"FG2-008", "enter")
        await ready(pilot)
        transcript, comment = (app.screen.query_one(w).region for w in ("#transcript", "#comment"))
        assert store.comment_ref(app.screen.worklist.current) == "FG2-008"
        assert transcript.y <= comment.y and comment.bottom <= transcript.bottom, (
            transcript,
            comment,
        )
