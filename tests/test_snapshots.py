"""What the home and coding screens show, at 80×24 and 160×45 (pytest-textual-snapshot); a coder's
home screen, the key panel, the split menu, the coding screen with a suggestion, the model screen
and the review screen.

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and review the SVGs in tests/__snapshots__/.
"""

import pytest

from workbench.demo import build_demo
from workbench.ui.app import create_app

SIZES = [(80, 24), (160, 45)]


@pytest.fixture
def demo(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    return store


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_screen(snap_compare, demo, size):
    assert snap_compare(create_app(demo), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_screen_with_every_coders_column(snap_compare, coded_demo, tmp_path, size):
    """The lead's home screen: every coder's column, names shortened to make room."""
    from helpers import copy_project

    assert snap_compare(create_app(copy_project(coded_demo, tmp_path)), terminal_size=size)


def test_home_screen_of_a_coder_offers_switching_and_the_lead(snap_compare, demo):
    async def home(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("1", "escape")

    assert snap_compare(create_app(demo, coder="ana"), terminal_size=(80, 24), run_before=home)


def test_key_panel_beside_the_transcript(snap_compare, demo):
    assert snap_compare(
        create_app(demo, coder="ana"), terminal_size=(80, 24), press=["question_mark"]
    )


def test_split_menu(snap_compare, demo):
    assert snap_compare(create_app(demo, coder="ana"), terminal_size=(80, 24), press=["S"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_coding_screen(snap_compare, demo, size):
    # Code the first comment as effective with two themes and mark it an exemplar.
    async def loaded(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        create_app(demo, coder="ana"),
        terminal_size=size,
        press=["2", "r", "c", "asterisk"],
        run_before=loaded,
    )


@pytest.fixture
def trained(trained_demo, tmp_path):
    """The coded demo with model 1 and its review queue; cara sees suggestions."""
    from helpers import copy_project

    from workbench.suggest.settings import set_suggestions

    store = copy_project(trained_demo, tmp_path)
    set_suggestions(store, "cara", True, actor="lead", new=True)
    return store


async def _idle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_coding_screen_with_a_suggestion(snap_compare, trained, size):
    # FG2-008: the model suggests effective with Communication and Shared knowledge.
    async def at_fg2_008(pilot):
        await _idle(pilot)  # the model is loaded in a worker
        await pilot.press("colon", *"FG2-008", "enter")
        await _idle(pilot)

    assert snap_compare(
        create_app(trained, coder="cara"), terminal_size=size, run_before=at_fg2_008
    )


def test_model_screen(snap_compare, trained):
    async def model(pilot):
        await _idle(pilot)
        await pilot.press("m")
        await _idle(pilot)

    assert snap_compare(create_app(trained), terminal_size=(120, 30), run_before=model)


def test_review_screen(snap_compare, trained):
    assert snap_compare(
        create_app(trained, review="lead"), terminal_size=(160, 45), run_before=_idle
    )
