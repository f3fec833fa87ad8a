"""Issue 22, item 4 (backups checked, quick_check after an unclean end) and issue 20's
``workbench restore`` (the current state kept first, refused while another process has the
project open unless --force, stale side files never applied)."""

import json
import os
import shutil
import sqlite3

import pytest
from filesafety import cli, coder, damage, full_disk, make_project
from helpers import run_cli

from workbench.errors import StoreFault
from workbench.project.backups import backup_project, last_backup, restore_project
from workbench.store import Store
from workbench.store.backup import KEEP


def ana_codings(path) -> int:
    store = Store.open(path)
    try:
        found = store.coder_named("ana")
        return len(store.codings_of(found.id)) if found else 0
    finally:
        store.close()


def code(path, n: int) -> None:
    ana = coder(path)
    ana.code(*range(n))
    assert ana.close() == 0


# -- backups are checked -------------------------------------------------------------------


def test_a_damaged_project_is_not_backed_up_and_nothing_is_left(tmp_path, capsys):
    make_project(tmp_path / "p.db")
    damage(tmp_path / "p.db")
    code_, _, err = run_cli(
        capsys, "backup", str(tmp_path / "p.db"), "--out", str(tmp_path / "copy.db")
    )
    assert code_ == 1 and "so its backup fails SQLite's check" in err  # before: exit 0, a bad copy
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]
    record = Store.open(tmp_path / "p.db").backups()
    assert [(r.reason, r.passed, r.kept) for r in record] == [("manual", False, False)]


def test_automatic_backups_never_push_out_the_last_good_copy(tmp_path):
    make_project(tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    good = store.automatic_backup("before the damage")
    store.close()
    damage(tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    for _ in range(KEEP + 1):  # before the fix: eleven damaged copies, the good one pruned
        with pytest.raises(StoreFault, match=f"The last backup that passed its check is {good}"):
            store.automatic_backup("coder import")
    assert sorted(store.backup_folder().iterdir()) == [good]
    latest = last_backup(store)
    assert latest.latest.reason == "coder import" and not latest.latest.passed
    assert latest.good.path == str(good) and latest.good.passed


def test_pruning_keeps_the_newest_copy_that_passed_its_check(tmp_path):
    make_project(tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    good = store.automatic_backup("good")
    for n in range(KEEP + 2):  # newer copies no check passed for (an older Workbench's, say)
        (store.backup_folder() / f"p-29990101T0000{n:02d}000000Z-unchecked.db").write_bytes(b"x")
    gone = store.prune_backups()
    left = sorted(store.backup_folder().iterdir())
    assert good in left and len(left) == KEEP + 1 and len(gone) == 2


def test_a_backup_that_cannot_be_written_leaves_nothing_behind(tmp_path):
    """A real full file system (or the file size limit where the tests cannot mount one)."""
    make_project(tmp_path / "p.db", 300)
    with full_disk(128) as (folder, limit):
        result = cli("backup", tmp_path / "p.db", "--out", folder / "copy.db", limit=limit)
        assert result.returncode == 1 and "the backup could not be written" in result.stderr
        assert "nothing was left behind" in result.stderr and "Traceback" not in result.stderr
        assert list(folder.iterdir()) == []  # before the fix: a 0-byte copy.db blocked the retry
    result = cli("backup", tmp_path / "p.db", "--out", tmp_path / "copy.db")
    assert result.returncode == 0 and "passed SQLite's check" in result.stdout


def test_backup_list_shows_each_backup_and_its_check(tmp_path, capsys):
    make_project(tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    record = backup_project(store, tmp_path / "copy.db")
    assert record.passed and record.size == (tmp_path / "copy.db").stat().st_size
    code_, out, _ = run_cli(capsys, "backup", str(tmp_path / "p.db"), "--list")
    assert code_ == 0 and "manual  passed" in out and str(tmp_path / "copy.db") in out


# -- quick_check after an unclean end ------------------------------------------------------


def test_opening_after_an_unclean_end_checks_the_file(tmp_path):
    make_project(tmp_path / "p.db")
    ana = coder(tmp_path / "p.db")
    ana.code(0)
    ana.kill()
    kept = tmp_path / "kept"
    kept.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{tmp_path / 'p.db'}{suffix}", kept / f"p.db{suffix}")
    assert ana_codings(kept / "p.db") == 1  # sound: checked, opened, nothing lost
    damage(tmp_path / "p.db")
    with pytest.raises(
        StoreFault, match="the last session did not close, and SQLite's check finds"
    ):
        Store.open(tmp_path / "p.db")  # before the fix: opened, and used until a read failed


# -- restore -------------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_the_project_as_it_was(tmp_path, capsys):
    project = make_project(tmp_path / "p.db")
    code(project, 2)
    assert run_cli(capsys, "backup", str(project), "--out", str(tmp_path / "b.db"))[0] == 0
    code(project, 4)
    code_, out, err = run_cli(capsys, "restore", str(tmp_path / "b.db"), str(project))
    assert code_ == 0, err
    assert f"Restored {project} from {tmp_path / 'b.db'}." in out and "(passed its check)" in out
    assert ana_codings(project) == 2
    store = Store.open(project)
    kept = [r for r in store.backups() if r.reason == "before restore"]
    assert len(kept) == 1 and kept[0].passed and ana_codings(kept[0].path) == 4
    row = store.audit_rows()[-1]
    assert (
        row["action"] == "restore"
        and str(tmp_path / "b.db") in row["note"]
        and kept[0].path in row["note"]
    )
    assert json.loads(row["after"]) == {"schema": store.schema_version()}
    store.close()
    assert sorted(os.listdir(tmp_path)) == ["b.db", "p.db", "p.db.backups"]  # one file at rest


def test_restore_is_refused_while_another_process_has_the_project_open(tmp_path):
    project = make_project(tmp_path / "p.db")
    ana = coder(project)
    try:
        ana.code(0)
        assert cli("backup", project, "--out", tmp_path / "b.db").returncode == 0
        ana.code(2)
        result = cli("restore", tmp_path / "b.db", project)
        assert (
            result.returncode == 1 and "open in 1 other process(es) (ana's window)" in result.stderr
        )
        assert ana_codings(project) == 2
        forced = cli("restore", tmp_path / "b.db", project, "--force")
        assert (
            forced.returncode == 0 and "1 other process(es) had the project open" in forced.stderr
        )
        assert ana_codings(project) == 1
        ana.code(1)  # ana's window goes on writing into the restored project, consistently
    finally:
        assert ana.close() == 0
    store = Store.open(project)
    assert store.integrity_check() == "ok"
    assert [r["action"] for r in store.audit_rows()][-2:] == ["restore", "code"]


def test_restore_over_a_damaged_project(tmp_path, capsys):
    project = make_project(tmp_path / "p.db")
    shutil.copy(project, tmp_path / "b.db")
    code(project, 1)
    damage(project)
    result = restore_project(tmp_path / "b.db", project)
    assert (
        result.kept_check != "ok" and result.kept.exists()
    )  # the damaged state is kept all the same
    assert Store.open(project).integrity_check() == "ok"
    project.write_bytes(b"\0" * 8192)  # not even SQLite's header any more
    code_, _, err = run_cli(capsys, "restore", str(tmp_path / "b.db"), str(project))
    assert code_ == 1 and "if this is a damaged one, add --force" in err
    code_, out, err = run_cli(capsys, "restore", str(tmp_path / "b.db"), str(project), "--force")
    assert code_ == 0, err
    assert "copied byte for byte" in out
    assert Store.open(project).integrity_check() == "ok"


def test_restore_sets_stale_side_files_aside(tmp_path):
    project = make_project(tmp_path / "p.db")
    shutil.copy(project, tmp_path / "b.db")
    ana = coder(project)
    ana.code(0)
    os.rename(project, tmp_path / "moved.db")
    shutil.copy(make_project(tmp_path / "other.db", 2, name="Another study"), project)
    ana.kill()
    result = restore_project(tmp_path / "b.db", project)
    assert len(result.notices) == 1 and "did not apply them" in result.notices[0]
    assert ana_codings(project) == 0 and Store.open(project).integrity_check() == "ok"


def test_restore_refuses_what_is_not_a_sound_workbench_backup(tmp_path):
    project = make_project(tmp_path / "p.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    for backup, said in (
        (tmp_path / "other.db", "not a Workbench project"),
        (tmp_path / "missing.db", "no such backup file"),
        (project, "that is the project itself"),
    ):
        with pytest.raises(Exception, match=said):
            restore_project(backup, project)


def test_restore_to_a_new_path_and_from_an_older_schema(tmp_path, monkeypatch):
    import workbench.store.schema as schema

    last, previous = schema.MIGRATIONS[-1][0], schema.MIGRATIONS[-2][0]  # numbers may skip
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:-1])
        patch.setattr(schema, "SCHEMA_VERSION", previous)
        make_project(tmp_path / "old.db")
    result = restore_project(tmp_path / "old.db", tmp_path / "new.db")
    assert (result.schema_from, result.schema_to, result.kept) == (previous, last, None)
    assert Store.open(tmp_path / "new.db").schema_version() == last


def test_a_backup_is_made_while_another_process_holds_the_write_lock(tmp_path):
    """A backup only reads: it is made (and checked) at once; recording it waits at most
    half a second for the lock, and is skipped rather than keep the command waiting."""
    project = make_project(tmp_path / "p.db")
    ana = coder(project)
    try:
        ana.hold()
        result = cli("backup", project, "--out", tmp_path / "copy.db")
        assert result.returncode == 0 and "passed SQLite's check" in result.stdout, result.stderr
    finally:
        ana.release()
        assert ana.close() == 0
    assert Store.open(tmp_path / "copy.db").integrity_check() == "ok"
