"""The project file: pragmas, schema version and migrations, audit log, threads."""

import sqlite3
import threading

import pytest

from workbench.errors import ProjectError
from workbench.project.lifecycle import init_project
from workbench.store import Store
from workbench.store import schema as store_module
from workbench.store.schema import SCHEMA_VERSION


def test_new_project_has_wal_foreign_keys_and_schema_version(tmp_path):
    store = init_project(tmp_path / "p.db")
    db = store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == SCHEMA_VERSION
    assert store.integrity_check() == "ok"
    tables = set(db.table_names())
    assert {
        "focus_groups",
        "speakers",
        "comments",
        "transcripts",
        "codebooks",
        "categories",
        "themes",
        "roles",
        "coders",
        "codings",
        "coding_themes",
        "audit_log",
    } <= tables


def test_foreign_keys_are_enforced(tmp_path):
    store = init_project(tmp_path / "p.db")
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
        conn.execute("INSERT INTO speakers (group_id, label) VALUES (999, 'x')")


def test_audit_log_is_append_only(tmp_path):
    store = init_project(tmp_path / "p.db")
    rows = store.audit_rows()
    assert [r["action"] for r in rows] == ["migrate"] * len(store_module.MIGRATIONS) + [
        "create",
        "load",
    ]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.conn.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.conn.execute("DELETE FROM audit_log")
    assert len(store.audit_rows()) == len(rows)


def test_transaction_rolls_back_everything_on_error(tmp_path):
    store = init_project(tmp_path / "p.db")
    rows = store.audit_rows()
    with pytest.raises(RuntimeError), store.transaction():
        store.create_group("A", None, None, None, None)
        store.audit("create", "focus_group", "FG1")
        raise RuntimeError("boom")
    assert store.groups() == []
    assert len(store.audit_rows()) == len(rows)


def test_nested_transaction_is_a_savepoint(tmp_path):
    store = init_project(tmp_path / "p.db")
    with store.transaction():
        store.create_group("Kept", None, None, None, None)
        with pytest.raises(RuntimeError), store.transaction():
            store.create_group("Dropped", None, None, None, None)
            raise RuntimeError("inner fails")
        with store.transaction():
            store.create_group("Also kept", None, None, None, None)
    assert [g.name for g in store.groups()] == ["Kept", "Also kept"]
    assert not store.conn.in_transaction


def test_sqlite_utils_is_a_view_of_the_same_connection(tmp_path):
    store = init_project(tmp_path / "p.db")
    assert store.db.conn is store.conn
    assert store.db["focus_groups"].count == 0


def test_each_thread_gets_its_own_connection(tmp_path):
    store = init_project(tmp_path / "p.db")
    seen = {}

    def work(name):
        # Keep the connection itself, not its id(): a finished thread's connection is freed,
        # and a later one may be allocated at the same address (this made the test flaky).
        seen[name] = store.db.conn
        with store.transaction():
            store.create_group(name, None, None, None, None)

    threads = [threading.Thread(target=work, args=(f"G{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(conn) for conn in seen.values()}) == 4
    assert sorted(g.name for g in store.groups()) == ["G0", "G1", "G2", "G3"]


def test_open_refuses_missing_foreign_and_newer_files(tmp_path):
    with pytest.raises(ProjectError, match="no project here; create one with `workbench init"):
        Store.open(tmp_path / "missing.db")
    (tmp_path / "notes.txt").write_text("hello, not a database " * 100)
    with pytest.raises(ProjectError, match="not a Workbench project"):
        Store.open(tmp_path / "notes.txt")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(ProjectError, match="an SQLite database, but not a Workbench project"):
        Store.open(tmp_path / "other.db")
    init_project(tmp_path / "p.db").close()
    raw = sqlite3.connect(tmp_path / "p.db")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(ProjectError, match="newer Workbench"):
        Store.open(tmp_path / "p.db")


def test_create_refuses_to_overwrite(tmp_path):
    init_project(tmp_path / "p.db")
    with pytest.raises(ProjectError, match="already exists"):
        init_project(tmp_path / "p.db")


def test_migrations_upgrade_an_older_file_in_order(tmp_path, monkeypatch):
    init_project(tmp_path / "p.db").close()
    extra = (
        SCHEMA_VERSION + 1,
        "add a test table",
        "CREATE TABLE rounds (id INTEGER PRIMARY KEY, name TEXT);\n"
        "INSERT INTO rounds (name) VALUES ('round 1');",
    )
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + [extra])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    store = Store.open(tmp_path / "p.db")
    assert store.schema_version() == SCHEMA_VERSION + 1
    assert store.db.execute("SELECT name FROM rounds").fetchall() == [("round 1",)]
    last = store.audit_rows()[-1]
    assert (last["action"], last["entity_ref"], last["note"]) == (
        "migrate",
        str(SCHEMA_VERSION + 1),
        "add a test table",
    )
    # Opening again applies nothing twice.
    Store.open(tmp_path / "p.db")
    assert store.db.execute("SELECT count(*) FROM rounds").fetchone()[0] == 1


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    init_project(tmp_path / "p.db").close()
    broken = (SCHEMA_VERSION + 1, "broken", "CREATE TABLE ok (x);\nTHIS IS NOT SQL;")
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + [broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        Store.open(tmp_path / "p.db")
    raw = sqlite3.connect(tmp_path / "p.db")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ok'").fetchone()[0] == 0


def test_two_processes_can_write_at_once(tmp_path):
    """A second connection writing while the first holds a transaction waits, not fails."""
    store = init_project(tmp_path / "p.db")
    other = Store.open(tmp_path / "p.db")
    done = threading.Event()

    def second_writer():
        with other.transaction():
            other.create_group("second", None, None, None, None)
        done.set()

    with store.transaction():
        store.create_group("first", None, None, None, None)
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert not done.wait(0.3)  # blocked behind our write lock
    thread.join(5)
    assert done.is_set()
    assert [g.name for g in store.groups()] == ["first", "second"]


def test_each_store_method_is_defined_in_one_statement_module():
    """Two statement modules with one method name: one silently shadows the other (the MRO
    picks), and the two drift apart. Each statement belongs to one module."""
    owners: dict[str, list[str]] = {}
    for cls in Store.__mro__[1:]:
        for name, value in vars(cls).items():
            if callable(value) and not name.startswith("__"):
                owners.setdefault(name, []).append(cls.__name__)
    assert {n: o for n, o in owners.items() if len(o) > 1} == {}


def test_ref_range_leaves_out_a_comment_that_is_gone(tmp_path):
    from workbench.ingest.importer import import_transcripts

    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text("Ann: We plan together.\n\nBob: She listens.\n")
    import_transcripts(store, [tmp_path / "fg.txt"])
    ids = [c.id for c in store.comments()]
    assert store.ref_range([ids[1], max(ids) + 1, ids[0]]) == ("FG1-001", "FG1-002")
    assert store.ref_range([max(ids) + 1]) is None
