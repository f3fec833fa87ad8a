"""What the whole-transcript view, the theme browser, the memos overview, the memo editor and
the codebook editor show, at 80×24 and 160×45 (pytest-textual-snapshot).

Update after an intended change with `pytest tests/test_views_snapshots.py --snapshot-update`
and review the SVGs in tests/__snapshots__/.
"""

import pytest
from helpers import copy_project

from workbench.coding.session import CodingSession
from workbench.ui.app import create_app

SIZES = [(80, 24), (160, 45)]
size_id = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


@pytest.fixture
def store(coded_demo, tmp_path):
    """The coded demo; ana has written two memos, one of several lines."""
    store = copy_project(coded_demo, tmp_path)
    ids = {c.ref: c.id for c in store.comments()}
    session = CodingSession.start(store, "ana")
    session.set_memo(
        ids["FG2-008"], "Explaining the why.\nCompare FG4-006: the same move, from the nurse."
    )
    session.set_memo(ids["FG1-004"], "Shared work, not only a shared visit.")
    return store


async def _idle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_transcript_view(snap_compare, store, size):
    async def fg2(pilot):
        await _idle(pilot)
        await pilot.press(
            "down", "v", "j", "j", "j", "j", "j", "j", "j"
        )  # FG2-008, ana's memo beside it
        await pilot.press("w")
        await _idle(pilot)

    assert snap_compare(create_app(store), terminal_size=size, run_before=fg2)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_themes_view(snap_compare, store, size):
    async def listening(pilot):
        await _idle(pilot)
        await pilot.press("b")
        await _idle(pilot)
        await pilot.press(*["down"] * 12)  # Listening
        await _idle(pilot)

    assert snap_compare(create_app(store), terminal_size=size, run_before=listening)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_memos_view(snap_compare, store, size):
    async def anas(pilot):
        await _idle(pilot)
        await pilot.press("n", "w", "down")
        await _idle(pilot)

    assert snap_compare(create_app(store), terminal_size=size, run_before=anas)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_memo_editor(snap_compare, store, size):
    async def editing(pilot):
        await _idle(pilot)
        await pilot.press("colon", *"FG2-008", "enter", "enter")
        await _idle(pilot)

    assert snap_compare(create_app(store, coder="ana"), terminal_size=size, run_before=editing)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_codebook_editor(snap_compare, store, size):
    async def edited(pilot):
        await _idle(pilot)
        await pilot.press(
            "e", *["down"] * 17, "enter", *"Listening well", "enter", "enter", "enter"
        )
        await _idle(pilot)

    assert snap_compare(create_app(store), terminal_size=size, run_before=edited)
