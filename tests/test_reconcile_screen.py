"""The reconciliation screen, driven by key presses (Pilot), and its snapshot."""

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
    ids = [c["id"] for c in store.comments() if not c["excluded"]][:6]
    ana, ben = CodingSession.start(store, "ana"), CodingSession.start(store, "ben")
    plan = [  # (ana, ben)
        (("defining",), ("defining",)),                                   # agree → auto
        (("effective", "listening"), ("ineffective", "listening")),       # category
        (("effective", "role_shift"), ("effective", "role_shift", "communication")),  # themes
        (("benefits",), None),                                            # missing
        (("effective", "empowerment"), ("effective", "empowerment")),     # agree → auto
        (("benefits",), ("defining",)),                                   # category
    ]
    for comment_id, (a, b) in zip(ids, plan):
        for session, codes in ((ana, a), (ben, b)):
            if codes:
                session.set_category(comment_id, codes[0])
                for theme in codes[1:]:
                    session.toggle_theme(comment_id, theme)
    ana.set_memo(ids[1], "she says it worked")
    return store


def agreed(store):
    coder = store.coder_named("agreed")
    ref = {c["id"]: c["ref"] for c in store.comments()}
    return {ref[i]: (k["category_key"], k["themes"]) for i, k in store.codings_of(coder["id"]).items()}


async def test_resolve_every_disagreement_by_keys(store):
    app = create_app(store, reconcile=("ana", "ben", "lead"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        assert [i.ref for i in screen.queue] == ["FG1-003", "FG1-004", "FG1-005", "FG1-008"]
        assert agreed(store) == {"FG1-002": ("defining", []), "FG1-007": ("effective", ["empowerment"])}
        # FG1-003: take B, with a rationale
        await pilot.press("B", "N")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"the parent describes a failure", "enter")
        # FG1-004: take A, then add Communication to the agreed themes
        await pilot.press("j", "A", "c")
        # FG1-005: only ana coded it: defer it
        await pilot.press("j", "D")
        # FG1-008: neither: edit the agreed coding directly
        await pilot.press("j", "2", "l")
        text = str(screen.query_one("#where").render())
        assert "resolved 3, deferred 1, open 0" in text
    assert agreed(store) == {
        "FG1-002": ("defining", []),
        "FG1-003": ("ineffective", ["listening"]),
        "FG1-004": ("effective", ["role_shift", "communication"]),
        "FG1-007": ("effective", ["empowerment"]),
        "FG1-008": ("effective", ["learning"]),
    }
    progress = Reconciliation(store, "ana", "ben", "lead").progress()
    assert progress == {"compared": 6, "agreed_automatically": 2, "disagreements": 4,
                        "resolved": 3, "deferred": 1, "open": 0}
    states = store.reconciliations()
    rationale = [s["rationale"] for s in states.values() if s["rationale"]]
    assert rationale == ["the parent describes a failure"]
    actors = {r["actor"] for r in store.audit_rows() if r["entity"] in ("coding", "reconciliation")
              and r["action"] in ("reconcile", "defer", "rationale", "auto_agree")}
    assert actors == {"lead"}


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

    assert snap_compare(create_app(store, reconcile=("ana", "ben", "lead")), terminal_size=size, run_before=ready)
