"""Snapshots at 80x24 and 160x45 (issue 21): the key help (?), the coding screen with its flags
on the comment's line, a wide report table scrolled by columns. Update after an intended
change with ``--snapshot-update`` and review the SVGs."""

import pytest
from pilot import ready

from workbench.demo import build_demo
from workbench.ui.app import create_app

SIZES = [(80, 24), (160, 45)]


@pytest.fixture
def demo(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    return store


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_key_help(snap_compare, demo, size):
    async def opened(pilot):
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(create_app(demo, coder="ana"), terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_coding_screen_with_flags(snap_compare, demo, size):
    """Not sure, exemplar and a memo on the comment's top line; its coding on the bottom line."""

    async def flagged(pilot):
        await ready(pilot)
        await pilot.press("2", "r", "c", "exclamation_mark", "asterisk", "enter", *"why", "ctrl+s")
        await pilot.pause()

    assert snap_compare(create_app(demo, coder="ana"), terminal_size=size, run_before=flagged)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wide_report_table_scrolled(snap_compare, coded_demo, tmp_path, size):
    """Themes by focus group two columns to the right: the theme names stay."""
    from helpers import copy_project

    async def scrolled(pilot):
        await ready(pilot)
        await pilot.press("t", *["down"] * 5, "right", "right")
        await pilot.pause()

    app = create_app(copy_project(coded_demo, tmp_path))
    assert snap_compare(app, terminal_size=size, run_before=scrolled)
