"""What the home and coding screens show, at 80×24 and 160×45 (pytest-textual-snapshot).

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
def test_coding_screen(snap_compare, demo, size):
    # Code the first comment as effective with two themes and mark it an exemplar.
    async def loaded(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(create_app(demo, coder="ana"), terminal_size=size, press=["2", "r", "c", "asterisk"],
                        run_before=loaded)
