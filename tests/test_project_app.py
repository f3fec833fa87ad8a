"""The app's part of issue 20: the home screen's transcript tasks (edit a group, replace and
remove transcripts, through the command line's use cases, after a confirmation saying what is
lost), the reopened reconciliation on screen, the lead's correction from the whole transcript,
the coding screen's word on a corrected text, and blindness kept for served coders."""

import pytest
from helpers import copy_project
from pilot import ready
from textual.widgets import DataTable, Input

from workbench.coding.session import CodingSession
from workbench.reconcile.consensus import Reconciliation
from workbench.store import Store
from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import Choose, Confirm, FormDialog, Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.reconcile import ReconcileScreen
from workbench.ui.transcript import TranscriptScreen


@pytest.fixture
def store(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


def _label(app) -> str:
    return str(app.screen.query_one("Label").render())


def _on_group(app, code: str) -> None:
    table = app.screen.query_one("#groups", DataTable)
    table.move_cursor(row=table.get_row_index(code))


async def test_editing_a_group_from_home_is_audited(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        _on_group(app, "FG2")
        await pilot.press("G")
        assert isinstance(app.screen, Choose) and app.screen.options[0].startswith("Edit group FG2")
        await pilot.press("1")
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-date", Input).value = "2024-03-18"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert store.group_by_name("FG2").date == "2024-03-18"
    assert store.audit_rows()[-1]["action"] == "edit"


async def test_removing_a_transcript_from_home_says_what_is_lost_first(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        _on_group(app, "FG4")
        await pilot.press("G", "3")  # edit, replace, remove a transcript, remove the group
        assert isinstance(app.screen, Confirm)
        assert _label(app) == (
            "Remove transcript FG4/fg4_multistakeholder_1.vtt: 19 comment(s) (FG4-001 to FG4-019) "
            "and 45 coding(s) on them (agreed 15, ana 15, ben 15)? These codings are lost from "
            "the project. A backup of the project is made first, and the audit trail records what "
            "went."
        )
        await pilot.press("n")
        assert len(store.transcripts()) == 5
        await pilot.press("G", "3", "y")
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [t.filename for t in store.transcripts(store.group_by_name("FG4").id)] == []
    assert store.audit_rows()[-1]["action"] == "remove" and list(
        store.path.parent.glob("*.backups/*remove*")
    )


async def test_replacing_a_transcript_from_home_asks_for_the_file_and_confirms(store, tmp_path):
    original = store.transcript_content(store.transcripts()[0].id).decode("utf-8")
    fixed = tmp_path / "fg1-fixed.txt"
    fixed.write_text(
        original.replace("Neither half is enough on its own.", "Neither half is enough alone."),
        encoding="utf-8",
    )
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        _on_group(app, "FG1")
        await pilot.press("G", "2")
        assert isinstance(app.screen, Prompt)
        app.screen.query_one(Input).value = str(fixed)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, Confirm)
        assert _label(app).startswith(
            "FG1/fg1_health_professionals.txt ← fg1-fixed.txt: 21 comment(s) unchanged, 1 "
            "changed, 0 removed, 0 added. Changed: FG1-002; their codings are kept, marked for "
            "review"
        )
        await pilot.press("y")
        await ready(pilot)
    assert "enough alone" in store.comments()[1].text
    assert {r["coder"] for r in store.codings_to_review()} == {"agreed", "ana", "ben"}


async def test_a_blind_coder_sees_neither_the_transcript_tasks_nor_other_names(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "G")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert (
            "removing or replacing transcripts changes every coder's comments"
            in list(app._notifications)[-1].message
        )


async def test_a_served_coder_with_a_new_account_starts_blind_without_being_asked(store):
    app = create_app(store, "cai", role="coder", user="cai")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen.session.coder.name == "cai"
        await pilot.press("escape", "G")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not any("ana" in n.message or "ben" in n.message for n in app._notifications)
        app.start_coding("anna")  # behind the screens: refused, naming nobody else
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert list(app._notifications)[-1].message == (
            "Signed in as cai (coder): this account does not code as anna."
        )


async def test_the_reconciliation_screen_shows_a_comment_changed_since_reconciled(store):
    item = next(
        i
        for i in Reconciliation(store, "ana", "ben", "lead").items()
        if i.status == "auto" and i.codings["ben"].category == "defining"
    )
    CodingSession.start(Store.open(store.path), "ben").set_category(item.comment_id, "benefits")
    app = create_app(store)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        assert "1 changed since reconciled (R)" in str(app.screen.query_one("#totals").render())
        await pilot.press("R", *"lead", "enter")
        await ready(pilot)
        screen = app.screen
        assert (
            isinstance(screen, ReconcileScreen) and screen.item.ref == item.ref
        )  # the open one first
        where = str(screen.query_one("#where").render())
        assert "open 1 (1 changed since reconciled)" in where
        why = str(screen.query_one("#why").render())
        assert why.startswith(
            "changed since reconciled, categories differ  changed since reconciled"
        )
        assert "ben: defining → benefits" in why
        await pilot.press("A")  # take ana's coding: decided again
        await pilot.pause()
        assert "open 0" in str(screen.query_one("#where").render())
    assert Reconciliation(store, "ana", "ben", "lead").progress()["changed_since_reconciled"] == 0


async def test_the_lead_corrects_the_agreed_coding_from_the_whole_transcript(store):
    app = create_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("v", "j")
        screen = app.screen
        assert isinstance(screen, TranscriptScreen) and screen.whose.coder.kind == "agreed"
        ref = screen.current.ref
        await pilot.press("a")
        assert isinstance(app.screen, Prompt) and app.screen.query_one(Input).value == "1"
        app.screen.query_one(Input).value = "4"
        await pilot.press("enter")
        app.screen.query_one(Input).value = "A benefit, on rereading."
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen is screen and screen.current.ref == ref
        assert (
            screen.current.coding.category == "benefits"
            and screen.current.rationale == "A benefit, on rereading."
        )
    row = store.audit_rows()[-1]
    assert row["action"] == "reconcile" and row["entity_ref"] == ref


async def test_the_coding_screen_says_the_text_was_corrected_since_coded(store, tmp_path):
    from workbench.ingest.replace import plan_replace, replace_transcript

    original = store.transcript_content(store.transcripts()[0].id).decode("utf-8")
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(
        original.replace("Neither half is enough on its own.", "Neither half is enough alone."),
        encoding="utf-8",
    )
    replace_transcript(store, plan_replace(store, "FG1/fg1_health_professionals.txt", fixed))
    app = create_app(store, coder="ana")
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        screen.go_to("FG1-002")
        await pilot.pause()
        flags = str(screen.query_one("#flags").render())
        header = str(screen.query_one("#comment").border_title)  # the flags are on its top line
        assert "not sure" in header and "text corrected since you coded it" in flags
        assert "Neither half is enough on its own." in flags  # the old text
        await pilot.press("exclamation_mark")  # looked at it: the flag goes
        await pilot.pause()
        assert "corrected" not in str(screen.query_one("#flags").render())
    assert [r["coder"] for r in store.codings_to_review()] == ["agreed", "ben"]
