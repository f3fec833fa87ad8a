"""Shared test helpers: where the real-world fixture files live, and skipping without them."""

from pathlib import Path

import pytest

# ../shared next to the repo: real files made by people outside the project (read-only).
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared() -> Path:
    """The shared folder; tests that need it skip cleanly where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"real data folder {SHARED} is absent")
    return SHARED


def pytest_collection_modifyitems(config, items):
    """Skip every @pytest.mark.realdata test when ../shared is absent."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"real data folder {SHARED} is absent")
    for item in items:
        if "realdata" in item.keywords:
            item.add_marker(skip)
