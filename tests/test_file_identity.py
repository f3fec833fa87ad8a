"""Issue 22, item 1: the project file moved, replaced or deleted under a running process.

The process stops writing (its writes would go to a file nobody will open again), says so,
and saves what it can read to a rescue file it names; a ``-wal`` it leaves beside the path
is never replayed onto the file put there next. Two real processes: the coder, and the test
acting as the person who moves the file.
"""

import os
import shutil
import sqlite3
import time

import pytest
from filesafety import TIMEOUT, coder, make_project, wait_for
from pilot import ready

from workbench.errors import FileLost, StoreFault
from workbench.store import Store
from workbench.ui import safety
from workbench.ui.app import create_app


def codings_of(path, name="ana") -> int:
    store = Store.open(path)
    try:
        found = store.coder_named(name)
        return len(store.codings_of(found.id)) if found else 0
    finally:
        store.close()


def test_a_file_replaced_under_a_coder_stops_the_writes_and_leaves_a_rescue(tmp_path):
    project = make_project(tmp_path / "p.db")
    other = make_project(tmp_path / "other.db", 3, name="Another study")
    ana = coder(project)
    try:
        ana.code(*range(3))
        os.rename(project, tmp_path / "moved.db")
        shutil.copy(other, project)
        ana.send("code 3")  # before the fix: "ack", into a file nobody opens again
        message = ana.expect("error")
        rescue = ana.expect("rescue")
        assert "p.db was replaced by another file (the one Workbench had open is now " in message
        assert "moved.db" in message and "Workbench has stopped writing to it" in message
        assert (
            "including the 4 change(s) since" in message
        )  # ana added, three codings and f"saved in {rescue}" in message
        ana.send("code 4")
        assert "Workbench has stopped writing" in ana.expect("error")
        # The replacement is untouched; the moved file and the rescue hold the three codings.
        assert (
            codings_of(project) == 0
            and Store.open(project).project_info()["name"] == "Another study"
        )
        assert codings_of(tmp_path / "moved.db") == 3
        assert codings_of(rescue) == 3 and Store.open(rescue).integrity_check() == "ok"
    finally:
        assert ana.close() == 0
    store = Store.open(project)
    assert store.integrity_check() == "ok" and store.coder_named("ana") is None


def test_a_deleted_file_is_noticed_by_the_check_and_its_work_rescued(tmp_path):
    project = make_project(tmp_path / "p.db")
    ana = coder(project)
    try:
        ana.code(0)
        ana.send("check")
        ana.expect("ok")
        ana.code(1)
        project.unlink()
        ana.send("check")
        message = ana.expect("error")
        rescue = ana.expect("rescue")
        assert "p.db was deleted (or moved away) while Workbench had it open" in message
        assert "including the 1 change(s) since" in message  # the one after the last check
        assert codings_of(rescue) == 2
    finally:
        ana.close()


def test_a_stale_wal_is_never_applied_to_the_file_put_at_its_path(tmp_path):
    """The coder writes, the file is replaced, the coder is killed before it notices: its
    -wal, beside the new file, holds the old file's changes."""
    project = make_project(tmp_path / "p.db")
    other = make_project(tmp_path / "other.db", 3, name="Another study")
    ana = coder(project)
    ana.code(*range(3))
    os.rename(project, tmp_path / "moved.db")
    shutil.copy(other, project)
    assert os.path.getsize(f"{project}-wal") > 32  # the coder's changes, not yet in moved.db
    with pytest.raises(StoreFault, match="still has p.db-wal and p.db-shm open for another file"):
        Store.open(project)  # the coder still holds them: refused, nothing mixed
    ana.kill()
    store = Store.open(project)  # before the fix: the coder's codings land in another study
    assert store.integrity_check() == "ok" and store.coder_named("ana") is None
    assert store.project_info()["name"] == "Another study"
    assert (
        len(store.notices) == 1 and "Workbench did not apply them to this file" in store.notices[0]
    )
    kept = [p for p in tmp_path.iterdir() if ".stale-" in p.name]
    assert len(kept) == 1 and store.notices[0].endswith(kept[0].name)
    # What was set aside is the old file's: with it beside moved.db, the codings are back.
    store.close()
    shutil.copy(kept[0], tmp_path / "moved.db-wal")
    assert codings_of(tmp_path / "moved.db") == 3


def test_a_wal_copied_with_its_file_is_the_files_own(tmp_path):
    """Copying a project together with its -wal (a folder synced while a window was open)
    keeps the changes in the -wal: they are that file's, whatever its new inode."""
    project = make_project(tmp_path / "p.db")
    ana = coder(project)
    ana.code(0)
    ana.kill()
    (tmp_path / "copy").mkdir()
    for suffix in ("", "-wal"):
        shutil.copy(f"{project}{suffix}", tmp_path / "copy" / f"p.db{suffix}")
    store = Store.open(tmp_path / "copy" / "p.db")
    assert store.notices == [] and len(store.codings_of(store.coder_named("ana").id)) == 1


async def test_the_app_notices_a_moved_file_within_seconds_and_stays_open(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "CHECK_EVERY", 0.05)
    project = make_project(tmp_path / "p.db")
    store = Store.open(project)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "j", "2", "j")
        os.rename(project, tmp_path / "elsewhere.db")
        deadline = time.monotonic() + TIMEOUT
        while not any("saved in" in n.message for n in app._notifications):  # shown when handled
            assert time.monotonic() < deadline, [n.message for n in app._notifications]
            await pilot.pause(0.02)
        notes = [n.message for n in app._notifications]
        assert any("p.db was moved to" in n and "elsewhere.db" in n for n in notes), notes
        assert "NOT SAVING" in app.sub_title
        await pilot.press("3")  # refused with the same message; the app stays open
        await pilot.pause()
        assert app.is_running and app.failure is None
        assert sum("Workbench has stopped writing" in n.message for n in app._notifications) >= 2
    moved = sqlite3.connect(tmp_path / "elsewhere.db")
    assert moved.execute("SELECT count(*) FROM codings").fetchone()[0] == 2  # all it acknowledged
    assert store.lost.rescue is not None and store.lost.rescue.exists()


def test_every_write_checks_the_file_first(tmp_path):
    """Store.transaction() checks the identity itself, so every write path gets it."""
    project = make_project(tmp_path / "p.db")
    store = Store.open(project)
    store.comments()
    os.rename(project, tmp_path / "moved.db")
    make_project(project, 2)
    with pytest.raises(FileLost, match="replaced by another file"), store.transaction():
        store.create_group("G", None, None, None, None)
    assert [g.name for g in Store.open(project).groups()] == ["p"]
    wait_for(lambda: store.lost is not None)
