"""Machine-assisted coding in the app (Pilot): the review walk-through."""


import pytest
from helpers import copy_project

from workbench.suggest.settings import set_suggestions
from workbench.ui.app import create_app
from workbench.ui.keybar import KeyBar


async def ready(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def keys(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


def palette(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


@pytest.fixture
def store(trained_demo, tmp_path):
    """The trained demo; cara (a new coder, nothing coded) sees suggestions."""
    store = copy_project(trained_demo, tmp_path)
    set_suggestions(store, "cara", True, actor="lead")
    return store


# -- the review walk-through ---------------------------------------------------------


async def test_review_walk_through(store):
    from workbench.ui.review import ReviewScreen

    app = create_app(store, review="lead")
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.sub_title.endswith("reviewing the agreed coding against model 1 as lead")
        assert "A Keep agreed" in keys(app) and "B Take model" in keys(app)
        assert "FG1-015" in str(screen.query_one("#where").render()) and "drop Learning" in str(
            screen.query_one("#where").render())
        sides = screen.query_one("#sides").content
        assert [c.header for c in sides.columns] == ["", "A: agreed", "B: model 1", "agreed now"]
        # FG1-015: keep the agreed coding, with a rationale
        await pilot.press("A", "N", *"learning is explicit", "enter")
        # FG4-002: take the model's coding
        await pilot.press("j", "B")
        await pilot.pause()
        assert "decided 2, deferred 0, open 21" in str(screen.query_one("#where").render())
    decided = {r["ref"]: (r["decision"], r["rationale"]) for r in store.review_items(1) if r["decision"]}
    assert decided == {"FG1-015": ("kept", "learning is explicit"), "FG4-002": ("changed", "")}
    agreed = store.coder_named("agreed")["id"]
    row = store.coding(agreed, store.find_ref("FG4-002")[0])
    assert (row["category_key"], row["themes"], row["suggested_by"]) == ("effective", ["asking_questions"], 1)
    row = store.coding(agreed, store.find_ref("FG1-015")[0])
    assert row["themes"] == ["role_shift", "learning", "joint_decision_making", "recognize_expertise"]
    audit = [(r["action"], r["entity"], r["entity_ref"], r["actor"]) for r in store.audit_rows()[-3:]]
    assert audit == [("review", "review", "FG1-015", "lead"), ("rationale", "review", "FG1-015", "lead"),
                     ("review", "coding", "FG4-002", "lead")]
