"""Machine-assisted coding in the app (Pilot): suggestions in the coding screen, the model
screen (training with a progress bar, suggestions on/off), the review walk-through."""

import json
import threading

import pytest
from helpers import copy_project
from pilot import keys, palette, ready

from workbench.suggest.settings import set_suggestions
from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import Prompt
from workbench.ui.home import HomeScreen


@pytest.fixture
def store(trained_demo, tmp_path):
    """The trained demo; cara (a new coder, nothing coded) sees suggestions."""
    store = copy_project(trained_demo, tmp_path)
    set_suggestions(store, "cara", True, actor="lead", new=True)
    return store


# -- the coding screen ---------------------------------------------------------------


async def test_suggestions_stay_hidden_while_off(store):
    set_suggestions(store, "cara", False, actor="lead")
    app = create_app(store, coder="cara")
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen) and not screen.query("#suggestion")
        assert screen.suggestions is None and "Accept suggestion" not in keys(app)
        assert "Accept suggestion" not in palette(app)
        await pilot.press("A")  # not bound while off: nothing happens
        await pilot.pause()
    assert store.codings_of(store.coder_named("cara").id) == {}


async def test_a_suggestion_is_shown_accepted_and_undone(store, monkeypatch):
    import workbench.suggest.training as training

    threads = []
    original = training.latest_model

    def recording(*args):
        threads.append(threading.current_thread())
        return original(*args)

    monkeypatch.setattr(training, "latest_model", recording)
    app = create_app(store, coder="cara")
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        pane = screen.query_one("#suggestion")
        assert str(pane.border_title) == "Suggestion (model 1)"
        await pilot.press("colon", *"FG2-008", "enter")
        await pilot.pause()
        comment_id = screen.worklist.current
        s = pane.suggestion()
        assert (s.category, [t for t, _ in s.themes]) == (
            "effective",
            ["communication", "shared_knowledge"],
        )
        cells = [str(c) for column in pane.content.columns for c in column._cells]
        assert "Behaviors of effective coproduction" in cells and f"{s.probability:.2f}" in cells
        assert "· Communication" in cells and "· Shared knowledge" in cells
        assert "A Accept suggestion" in keys(app) and "Accept suggestion" in palette(app)
        await pilot.press("A")
        await pilot.pause()
        row = store.coding(store.coder_named("cara").id, comment_id)
        assert (row.category_key, row.themes, row.suggested_by) == (
            "effective",
            ("communication", "shared_knowledge"),
            1,
        )
        audit = store.audit_rows()[-1]
        assert (audit["action"], audit["entity_ref"], audit["actor"]) == (
            "accept suggestion",
            "FG2-008",
            "cara",
        )
        assert audit["note"].startswith(
            f"model 1: effective p = {s.probability:.2f}; themes communication p = "
        )
        assert "accepted suggestion of model 1" in str(screen.query_one("#flags").render().plain)
        assert "✓ accepted" in [str(c) for column in pane.content.columns for c in column._cells]
        # Accepting redrew the pane without a layout pass: it sits where a full redraw puts it.
        widgets = ("#suggestion", "#comment", "#flags", "#themes")
        seen = {w: screen.query_one(w).region for w in widgets}
        screen._drawn.clear()
        screen.codes._drawn.clear()  # every pane drawn afresh, with a layout
        screen.suggestions._drawn.clear()
        screen.refresh_view()
        await pilot.pause()
        assert {w: screen.query_one(w).region for w in widgets} == seen
        await pilot.press("c")  # an edit keeps the mark
        assert "edited since accepting" in [
            str(c) for column in pane.content.columns for c in column._cells
        ]
        assert "accepted suggestion of model 1" in str(screen.query_one("#flags").render().plain)
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert store.coding(store.coder_named("cara").id, comment_id) is None
        assert store.audit_rows()[-1]["action"] == "undo"
        assert "accepted suggestion" not in str(screen.query_one("#flags").render().plain)
        assert screen.worklist.current == comment_id
    assert threads and threading.main_thread() not in threads  # the model loads in a worker


async def test_an_unusable_model_is_a_notice(store, monkeypatch):
    import workbench.suggest.training as training
    from workbench.errors import WorkbenchError

    def damaged(store):
        raise WorkbenchError("model 1: array 'idf' should be float (4259,), is missing")

    monkeypatch.setattr(training, "latest_model", damaged)
    app = create_app(store, coder="cara")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert any(
            "Suggestions are unavailable: model 1: array 'idf'" in n.message
            for n in app._notifications
        )
        assert "unavailable" in str(app.screen.query_one("#suggestion").render().plain)
        assert "Accept suggestion" not in keys(app)
        await pilot.press("2", "c")  # coding goes on
    row = store.coding(store.coder_named("cara").id, store.comments()[1].id)
    assert (row.category_key, row.themes, row.suggested_by) == (
        "effective",
        ("communication",),
        None,
    )


async def test_leaving_before_the_model_has_loaded(store, monkeypatch):
    import asyncio

    import workbench.suggest.training as training

    go, returned, original = threading.Event(), threading.Event(), training.latest_model

    def slow(store):
        go.wait(10)
        try:
            return original(store)
        finally:
            returned.set()

    monkeypatch.setattr(training, "latest_model", slow)
    app = create_app(store, coder="cara")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # home while the model is still loading
        go.set()
        while not returned.is_set():
            await asyncio.sleep(0.01)
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)
    assert app._exception is None


async def test_no_model_yet_says_so(coded_demo, tmp_path):
    store = copy_project(coded_demo, tmp_path)
    set_suggestions(store, "cara", True, actor="lead", new=True)
    app = create_app(store, coder="cara")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "No model for this codebook yet" in str(
            app.screen.query_one("#suggestion").render().plain
        )
        assert "Accept suggestion" not in keys(app)


def test_suggestions_off_load_no_numpy_or_spacy_even_with_a_model(trained_demo, tmp_path):
    """A coder without suggestions opens the coding screen of a project with a model as
    fast as before: neither numpy nor spaCy is imported."""
    import subprocess
    import sys

    store = copy_project(trained_demo, tmp_path)
    code = (
        "import asyncio, sys\n"
        "from workbench.store import Store\n"
        "from workbench.ui.app import create_app\n"
        "async def main():\n"
        f"    app = create_app(Store.open({str(store.path)!r}), coder='ana')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.press('2', 'r', 'j')\n"
        "        await app.workers.wait_for_complete()\n"
        "        assert type(app.screen).__name__ == 'CodingScreen'\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('numpy', 'spacy', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- the model screen ----------------------------------------------------------------


async def test_training_from_the_model_screen(coded_demo, tmp_path, monkeypatch):
    from textual.widgets import ProgressBar

    from workbench.ui.model import ModelScreen

    updates = []
    original = ProgressBar.update

    def recording(bar, **kwargs):
        if bar.id == "model-progress":
            updates.append(
                (kwargs.get("progress"), kwargs.get("total"), threading.current_thread())
            )
        return original(bar, **kwargs)

    monkeypatch.setattr(ProgressBar, "update", recording)
    import workbench.suggest.training as training

    go, train = threading.Event(), training.train
    monkeypatch.setattr(training, "train", lambda *a, **k: go.wait(30) and train(*a, **k))
    store = copy_project(coded_demo, tmp_path)
    app = create_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert "m Model" in keys(app)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModelScreen)
        assert "No model for this codebook yet" in str(
            screen.query_one("#model-summary").render().plain
        )
        await pilot.press("T")
        await pilot.pause()
        assert screen.training and "Train a new model" not in keys(app)  # one training at a time
        assert "esc Back" not in keys(app)  # ... seen through to its end
        assert screen.query_one("#model-progress").display
        go.set()
        await ready(pilot)
        bar = screen.query_one("#model-progress", ProgressBar)
        assert bar.percentage == 1 and not screen.training
        assert any(n.message.startswith("Model 1 trained") for n in app._notifications)
        assert "Model 1: learnt the agreed coding of 122 comments" in str(
            screen.query_one("#model-summary").render().plain
        )
        assert "T Train a new model" in keys(app)
    assert [m["id"] for m in store.models()] == [1]
    steps = [(done, total) for done, total, _ in updates if done is not None and total is not None]
    # the nested comparison's fits (5 outer folds × (kinds × 4 inner folds + 1)) and the last step, then done
    from workbench.suggest.candidates import available

    total = 5 * (len(available()) * 4 + 1) + 1
    assert steps == [(k, total) for k in range(1, total)] + [(1, 1)]
    assert all(
        thread is threading.main_thread() for *_, thread in updates
    )  # through call_from_thread


async def test_training_on_too_little_says_what_is_missing(tmp_path):
    from workbench.demo import build_demo

    store, _ = build_demo(tmp_path / "demo.db")  # transcripts, no coding
    app = create_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("m", "T")
        await ready(pilot)
        assert any(
            "No model trained: there is no agreed coding to learn from" in n.message
            for n in app._notifications
        )
        assert "no agreed coding" in str(app.screen.query_one("#model-status").render().plain)
        assert not app.screen.query_one("#model-progress").display
    assert store.models() == []


async def test_switching_a_coders_suggestions(store):
    app = create_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert "Model 1: learnt the agreed coding" in str(
            app.screen.query_one("#model-summary").render().plain
        )
        await pilot.press("s")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"ben", "enter")
        await pilot.pause()
        assert "ben: sees suggestions" in str(app.screen.query_one("#model-coders").render().plain)
        await pilot.press("s", *"nobody", "enter")
        await pilot.pause()
        assert any("No coder 'nobody'" in n.message for n in app._notifications)
    assert store.coder_named("ben").suggestions == 1
    audit = store.audit_rows()[-1]
    assert (audit["action"], audit["entity_ref"], json.loads(audit["after"])) == (
        "suggestions",
        "ben",
        {"suggestions": True},
    )


async def test_a_coding_session_neither_shows_nor_opens_the_model_screen(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        await pilot.press("escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        line = keys(app)
        assert "c Code" in line and not any(
            k in line for k in ("m Model", "R Reconcile", "t Tables")
        )
        assert not {"Model", "Reconcile", "Tables"} & set(palette(app))
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is home
        assert any(
            "the model screen shows a model of the agreed coding" in n.message
            for n in app._notifications
        )


# -- the review walk-through ---------------------------------------------------------


async def test_review_walk_through(store):
    from workbench.ui.review import ReviewScreen

    app = create_app(store, review="lead")
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.sub_title.endswith("reviewing the agreed coding against model 1 as lead")
        assert "A Keep" in keys(app) and "B Take model" in keys(app)
        assert "FG1-015" in str(screen.query_one("#where").render()) and "drop Learning" in str(
            screen.query_one("#why").render()
        )
        sides = screen.query_one("#sides").content
        assert [c.header for c in sides.columns] == ["", "A: agreed", "B: model 1", "agreed now"]
        # FG1-015: a rationale, then keep the agreed coding (on to the next, FG4-002)
        await pilot.press("N", *"learning is explicit", "enter", "A")
        assert screen.item.ref == "FG4-002"
        # FG4-002: take the model's coding
        await pilot.press("B")
        await pilot.pause()
        assert "decided 2, deferred 0, open 21" in str(screen.query_one("#where").render())
    decided = {
        r["ref"]: (r["decision"], r["rationale"]) for r in store.review_items(1) if r["decision"]
    }
    assert decided == {"FG1-015": ("kept", "learning is explicit"), "FG4-002": ("changed", "")}
    agreed = store.coder_named("agreed").id
    row = store.coding(agreed, store.find_ref("FG4-002")[0])
    assert (row.category_key, row.themes, row.suggested_by) == (
        "effective",
        ("asking_questions",),
        1,
    )
    row = store.coding(agreed, store.find_ref("FG1-015")[0])
    assert row.themes == ("role_shift", "learning", "joint_decision_making", "recognize_expertise")
    audit = [
        (r["action"], r["entity"], r["entity_ref"], r["actor"]) for r in store.audit_rows()[-3:]
    ]
    assert audit == [
        ("rationale", "review", "FG1-015", "lead"),
        ("review", "review", "FG1-015", "lead"),
        ("review", "coding", "FG4-002", "lead"),
    ]


# -- more like this ------------------------------------------------------------------


async def _until(pilot, condition, tries: int = 400):
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


async def test_more_like_this_in_the_coding_screen_shows_a_blind_coder_only_their_own_codes(store):
    from textual.widgets import DataTable

    from workbench.coding.session import CodingSession
    from workbench.ui.similar import SimilarScreen

    cara = CodingSession.start(store, "cara")
    app = create_app(store, coder="cara")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert "More like this" in palette(app)
        current = screen.worklist.current
        await pilot.press("L")
        await _until(pilot, lambda: isinstance(app.screen, SimilarScreen) and app.screen.found)
        similar = app.screen
        found = similar.found
        assert len(found) == 10 and current not in [f.comment_id for f in found]
        assert "features of model 1" in str(similar.query_one("#similar-title").render())
        # cara has coded nothing but the agreed coding and ana's exist: cara sees no codes
        table = similar.query_one(DataTable)
        assert [str(table.get_row_at(i)[2]) for i in range(table.row_count)] == ["-"] * 10
        cara.set_category(found[0].comment_id, "benefits")
        await pilot.press("escape")
        await pilot.press("L")
        await _until(pilot, lambda: isinstance(app.screen, SimilarScreen) and app.screen.found)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "Benefits of effective coproduction"
        await pilot.press("enter")  # goes to that comment
        await _until(pilot, lambda: isinstance(app.screen, CodingScreen))
        assert app.screen.worklist.current == found[0].comment_id


async def test_pre_codes_are_walked_like_the_review_queue(tmp_path):
    """A keeps a pre-code (the agreed coding, marked as the model's), B returns the comment."""
    from suggest_corpus import build

    from workbench.suggest.precode import precode
    from workbench.suggest.training import train
    from workbench.ui.review import PrecodeScreen

    store = build(tmp_path)
    train(store, bootstrap=0, actor="lead")
    summary = precode(store, 0.8, actor="lead")
    app = create_app(store, review="lead")
    app.review_queue = "precode"  # as `workbench reconcile --review --precodes` opens it
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, PrecodeScreen)
        assert "A Keep pre-code" in keys(app) and "B Return to coders" in keys(app)
        first = screen.item
        await pilot.press("A")
        await pilot.pause()
        second = screen.item
        assert second.ref != first.ref
        await pilot.press("B")
        await pilot.pause()
    decided = {
        r["comment_id"]: r["decision"] for r in store.review_items(1, "precode") if r["decision"]
    }
    assert decided == {first.comment_id: "kept", second.comment_id: "changed"}
    agreed = store.coder_named("agreed").id
    assert store.coding(agreed, first.comment_id).suggested_by == 1
    assert store.coding(agreed, second.comment_id) is None and summary["precoded"] >= 2
