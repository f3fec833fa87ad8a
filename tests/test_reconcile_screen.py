"""The reconciliation screen, driven by key presses (Pilot), and its snapshot."""

import json

import pytest

from workbench.coding.session import CodingSession
from workbench.demo import build_demo
from workbench.reconcile.consensus import Reconciliation
from workbench.ui.app import create_app
from workbench.ui.dialogs import Prompt
from workbench.ui.reconcile import ReconcileScreen


@pytest.fixture
def store(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    ids = [c.id for c in store.comments() if not c.excluded][:6]
    ana, ben = CodingSession.start(store, "ana"), CodingSession.start(store, "ben")
    plan = [  # (ana, ben)
        (("defining",), ("defining",)),  # agree → auto
        (("effective", "listening"), ("ineffective", "listening")),  # category
        (("effective", "role_shift"), ("effective", "role_shift", "communication")),  # themes
        (("benefits",), None),  # missing
        (("effective", "empowerment"), ("effective", "empowerment")),  # agree → auto
        (("benefits",), ("defining",)),  # category
    ]
    for comment_id, (a, b) in zip(ids, plan, strict=True):
        for session, codes in ((ana, a), (ben, b)):
            if codes:
                session.set_category(comment_id, codes[0])
                for theme in codes[1:]:
                    session.toggle_theme(comment_id, theme)
    ana.set_memo(ids[1], "she says it worked")
    return store


def agreed(store):
    coder = store.coder_named("agreed")
    ref = {c.id: c.ref for c in store.comments()}
    return {ref[i]: (k.category_key, list(k.themes)) for i, k in store.codings_of(coder.id).items()}


async def ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def where(screen):
    return str(screen.query_one("#where").render())


def notes(app):
    return [n.message for n in app._notifications]


async def test_resolve_every_disagreement_by_keys(store):
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        assert [i.ref for i in screen.queue] == ["FG1-003", "FG1-004", "FG1-005", "FG1-008"]
        assert agreed(store) == {
            "FG1-002": ("defining", []),
            "FG1-007": ("effective", ["empowerment"]),
        }
        # FG1-003: a rationale, then take B: the screen moves on to the next open comment
        await pilot.press("N")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"the parent describes a failure", "enter", "B")
        assert screen.item.ref == "FG1-004"
        # FG1-004: take A (on to FG1-005), back, and add Communication to the agreed themes
        await pilot.press("A", "k", "c")
        assert screen.item.ref == "FG1-004"
        # u: the next open one, FG1-005 (only ana coded it): defer it, on to FG1-008
        await pilot.press("u", "D")
        assert screen.item.ref == "FG1-008"
        # FG1-008: neither: edit the agreed coding directly (an edit stays on the comment)
        await pilot.press("2", "l")
        assert screen.item.ref == "FG1-008"
        assert "resolved 3, deferred 1, open 0" in where(screen)
    assert agreed(store) == {
        "FG1-002": ("defining", []),
        "FG1-003": ("ineffective", ["listening"]),
        "FG1-004": ("effective", ["role_shift", "communication"]),
        "FG1-007": ("effective", ["empowerment"]),
        "FG1-008": ("effective", ["learning"]),
    }
    progress = Reconciliation(store, "ana", "ben", "lead").progress()
    assert progress == {
        "compared": 6,
        "agreed_automatically": 2,
        "disagreements": 4,
        "resolved": 3,
        "deferred": 1,
        "open": 0,
        "changed_since_reconciled": 0,
    }
    states = store.reconciliations()
    rationale = [s["rationale"] for s in states.values() if s["rationale"]]
    assert rationale == ["the parent describes a failure"]
    actors = {
        r["actor"]
        for r in store.audit_rows()
        if r["entity"] in ("coding", "reconciliation")
        and r["action"] in ("reconcile", "defer", "rationale", "auto_agree")
    }
    assert actors == {"lead"}


async def test_next_open_goes_on_to_the_deferred_ones_and_says_so(store):
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("D", "D")  # FG1-003 and FG1-004 deferred: at FG1-005
        assert screen.item.ref == "FG1-005"
        assert "resolved 0, deferred 2, open 2" in where(screen)
        await pilot.press("A", "B")  # FG1-005 taken from ana, FG1-008 from ben
        assert "resolved 2, deferred 2, open 0" in where(screen)
        assert screen.item.ref == "FG1-003"  # nothing open: on to the first deferred one
        await pilot.press("u")
        assert screen.item.ref == "FG1-004"
        assert any("No open disagreements left; 2 deferred" in n for n in notes(app))
        await pilot.press("B", "A")  # both decided now
        assert "resolved 4, deferred 0, open 0" in where(screen)
        assert any("Every disagreement is decided" in n for n in notes(app))
        await pilot.press("u")
        await pilot.pause()
        assert notes(app)[-1] == "Every disagreement is decided."


async def test_undo_restores_the_agreed_coding_and_state(store):
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        before = agreed(store)
        await pilot.press("B")  # FG1-003 from ben, on to FG1-004
        await pilot.press("ctrl+z")
        assert (
            screen.item.ref == "FG1-003"
            and screen.item.status is None
            and screen.item.agreed is None
        )
        assert agreed(store) == before and "open 4" in where(screen)
        assert "Undone: FG1-003, took ben's coding." in notes(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert notes(app)[-1] == "Nothing to undo in this session."
        await pilot.press("j", "ctrl+y")  # redo: back to FG1-003, ben's coding again
        assert screen.item.ref == "FG1-003" and screen.item.status == "resolved"
        assert "FG1-003" in agreed(store) and "open 3" in where(screen)
        assert "Redone: FG1-003, took ben's coding." in notes(app)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert notes(app)[-1] == "Nothing to redo in this session."
        await pilot.press("ctrl+z")  # and undone again
        assert "FG1-003" not in agreed(store)
    undone = [r for r in store.audit_rows() if r["action"] == "undo"][:2]
    assert [(r["entity"], r["entity_ref"], r["actor"]) for r in undone] == [
        ("coding", "FG1-003", "lead"),
        ("reconciliation", "FG1-003", "lead"),
    ]


async def test_the_undo_history_is_kept_when_the_screen_is_left(store):
    app = create_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("R", *"lead", "enter")
        await ready(pilot)
        assert isinstance(app.screen, ReconcileScreen)
        await pilot.press("A")  # FG1-003 from ana
        await pilot.press("escape", "R", *"lead", "enter")
        await ready(pilot)
        screen = app.screen
        await pilot.press("ctrl+z")
        assert screen.item.ref == "FG1-003" and screen.item.status is None
    assert "FG1-003" not in agreed(store)


async def test_the_agreed_exemplar_key(store):
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen

        def offered():
            return [c.title for c in app.get_system_commands(screen)]

        assert "Agreed exemplar" not in offered()  # nothing agreed yet for FG1-003: not offered
        await pilot.press("E", "r")
        await pilot.pause()
        assert screen.item.agreed is None
        assert any(
            "Choose the agreed category first (1-4), or take A or B." in n for n in notes(app)
        )
        await pilot.press("A", "k")
        assert "Agreed exemplar" in offered()
        await pilot.press("E")
        assert screen.item.agreed.exemplar and screen.item.ref == "FG1-003"
        flags = [str(c) for c in screen.query_one("#sides").content.columns[3]._cells]
        assert flags[-1] == "exemplar"
    exemplars = [
        r
        for r in store.audit_rows()
        if r["action"] == "reconcile" and "agreed exemplar" in (r["note"] or "")
    ]
    assert len(exemplars) == 1 and json.loads(exemplars[0]["after"])["exemplar"] is True


async def test_legend_and_footer_show_the_keys(store):
    from workbench.ui.keybar import KeyBar

    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        legend = str(screen.query_one("#legend").render())
        for words in (
            "A take ana's",
            "B take ben's",
            "1-4 category",
            "r c e g a l w d x o s m i v themes",
            "E agreed exemplar",
            "N rationale",
            "D defer",
            "ctrl+z undo",
            "u next open",
        ):
            assert words in legend
        assert screen.query_one("#legend").region.bottom <= screen.query_one(KeyBar).region.y
        line = screen.query_one(KeyBar).render().plain
        for shown in (
            "A Take A",
            "B Take B",
            "1-4 category, letters themes",
            "^z Undo",
            "esc Home",
            "? Keys",
        ):
            assert shown in line
    async with create_app(store, reconcile=("ana", "ben", "lead")).run_test(
        size=(160, 45)
    ) as pilot:
        await ready(pilot)
        legend = str(pilot.app.screen.query_one("#legend").render())
        assert (
            "r Role shift" in legend and "v Pre-visit planning" in legend
        )  # by name where there is room


async def test_the_comment_being_decided_is_always_on_screen_at_80x24(tmp_path):
    from workbench.demo import code_demo

    store, _ = build_demo(tmp_path / "coded.db")
    code_demo(store)
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert len(screen.queue) == 25

        def regions():
            transcript, comment = (screen.query_one(w).region for w in ("#transcript", "#comment"))
            return transcript, comment, comment.intersection(transcript)

        for _ in screen.queue:
            # Scrolled once the new text and the decision pane are laid out: wait for the
            # screen to settle (by condition: a loaded machine takes more frames), then check.
            for _ in range(40):
                await pilot.pause()
                transcript, comment, visible = regions()
                if visible.height >= min(comment.height, transcript.height):
                    break
            assert visible.height >= min(comment.height, transcript.height), (
                screen.item.ref,
                transcript,
                comment,
            )
            assert transcript.height >= 6
            await pilot.press("j")


async def test_a_side_that_did_not_code_the_comment_is_not_offered(store):
    from workbench.ui.keybar import KeyBar

    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("j", "j")  # FG1-005: ben did not code it
        line = screen.query_one(KeyBar).render().plain
        assert "A Take A" in line and "B Take B" not in line
        assert "Take B" not in [c.title for c in app.get_system_commands(screen)]
        await pilot.press("B")
        assert screen.item.status is None and screen.item.ref == "FG1-005"


async def test_sides_show_both_coders_and_missing(store):
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        sides = screen.query_one("#sides").content
        assert sides.columns[1].header == "A: ana" and sides.columns[2].header == "B: ben"
        await pilot.press("j", "j")  # FG1-005: ben did not code it
        sides = screen.query_one("#sides").content
        cells = [str(c) for c in sides.columns[2]._cells]
        assert cells[0] == "not coded"


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_reconciliation_snapshot(snap_compare, store, size):
    async def ready(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        create_app(store, reconcile=("ana", "ben", "lead")), terminal_size=size, run_before=ready
    )
