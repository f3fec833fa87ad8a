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


@pytest.fixture(autouse=True)
def _quiet_failures(tmp_path_factory, monkeypatch):
    """Logs of unexpected failures go to a temporary folder, not the user's state folder; the
    limits are the defaults whatever the developer's environment says."""
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path_factory.getbasetemp() / "crash-logs"))
    monkeypatch.delenv("WORKBENCH_LIMITS", raising=False)


def pytest_collection_modifyitems(config, items):
    """Skip every @pytest.mark.realdata test when ../shared is absent."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"real data folder {SHARED} is absent")
    for item in items:
        if "realdata" in item.keywords:
            item.add_marker(skip)


# -- machine-assisted coding: the coded demo, trained once per test session ---------------

MODEL_TIME = "2026-01-15T09:30:00.000Z"  # a trained model's stored time, fixed for snapshots


@pytest.fixture(scope="session")
def coded_demo(tmp_path_factory) -> Path:
    """The demo with its two analysts' codings, round 1 and the agreed coding (no model).
    Copy it (``helpers.copy_project``) before changing it."""
    from workbench.demo import build_demo, code_demo

    path = tmp_path_factory.mktemp("coded") / "demo.db"
    store, _ = build_demo(path)
    code_demo(store)
    store.close()  # the last connection: the WAL is checkpointed into the file
    return path


@pytest.fixture(scope="session")
def trained_demo(coded_demo, tmp_path_factory) -> Path:
    """The coded demo with model 1 (trained by "lead" at a fixed time, the kinds compared
    without the embeddings extra: "current" wins) and its review queue at confidence 0.6 (23
    agreed codings the held-out model contradicts)."""
    import shutil

    from workbench.store import Store
    from workbench.suggest.review import review
    from workbench.suggest.training import train

    path = tmp_path_factory.mktemp("trained") / "demo.db"
    shutil.copy(coded_demo, path)
    store = Store.open(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("workbench.store.models.now", lambda: MODEL_TIME)
        # The two kinds every installation has: the figures below do not depend on whether
        # the optional embeddings extra is installed.
        patch.setattr("workbench.suggest.embedding.available", lambda: False)
        train(store, actor="lead")
    review(store, confidence=0.6, actor="lead")
    store.close()
    return path


# -- the user guide: built once per test session (tests/test_guide.py, test_guide_browser.py) ----


@pytest.fixture(scope="session")
def guide_site(tmp_path_factory) -> Path:
    """The user guide built as a writer builds it (`mkdocs build --strict`), in a temporary
    folder."""
    from guide import ROOT, mkdocs_build

    out = tmp_path_factory.mktemp("guide") / "site"
    built = mkdocs_build(ROOT, out)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stderr}"
    return out
