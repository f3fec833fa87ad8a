"""Issue 22, item 3: everyone opens the study after an upgrade, at once.

Four real processes open a project one migration behind. Each reads the old version, then
waits for the write lock (held by the test until all four are waiting, so they really race);
each must then see, inside its own transaction, that another has migrated already.
"""

import sqlite3

from filesafety import TIMEOUT, Child

import workbench.store.schema as schema
from workbench.project.lifecycle import init_project
from workbench.store import Store

OPENER = r"""
import sys
from workbench.store import Store
from workbench.store.connection import Connection

real = Connection.transaction

def announced(self):
    print("waiting", flush=True)  # migrate() has read the version; now it wants the lock
    return real(self)

Connection.transaction = announced
store = Store.open(sys.argv[1])
print("opened", store.schema_version(), flush=True)
"""


def test_several_processes_opening_an_older_project_all_succeed_and_migrate_once(
    tmp_path, monkeypatch
):
    last = schema.MIGRATIONS[-1][0]
    with (
        monkeypatch.context() as patch
    ):  # a project made by the Workbench before the last migration
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:-1])
        patch.setattr(schema, "SCHEMA_VERSION", schema.MIGRATIONS[-2][0])  # numbers may skip
        init_project(tmp_path / "p.db").close()
    lock = sqlite3.connect(tmp_path / "p.db", isolation_level=None)  # the test holds the lock
    lock.execute("BEGIN IMMEDIATE")
    openers = [Child(OPENER, tmp_path / "p.db") for _ in range(4)]
    try:
        for opener in openers:
            opener.expect("waiting")
        lock.execute("COMMIT")
        for opener in openers:  # before the fix, all but one: "table ... already exists", exit 70
            assert opener.expect("opened", timeout=TIMEOUT) == str(last)
            assert opener.close() == 0, opener.stderr()
    finally:
        lock.close()
        for opener in openers:
            opener.kill()
    store = Store.open(tmp_path / "p.db")
    migrations = [
        r for r in store.audit_rows() if r["action"] == "migrate" and r["entity_ref"] == str(last)
    ]
    assert len(migrations) == 1 and store.integrity_check() == "ok"


def test_a_migration_made_meanwhile_is_skipped_inside_the_transaction(tmp_path, monkeypatch):
    """The same race in one process: the version read before the lock is stale by the time
    the lock is taken."""
    last = schema.MIGRATIONS[-1][0]
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:-1])
        patch.setattr(schema, "SCHEMA_VERSION", schema.MIGRATIONS[-2][0])  # numbers may skip
        init_project(tmp_path / "p.db").close()
    first, second = Store(tmp_path / "p.db"), Store(tmp_path / "p.db")
    assert second.schema_version() == schema.MIGRATIONS[-2][0]  # second read the old version
    real = Store.transaction

    def first_migrates_meanwhile(self):
        if self is second and first.schema_version() < last:
            schema.migrate(first)
        return real(self)

    monkeypatch.setattr(Store, "transaction", first_migrates_meanwhile)
    schema.migrate(second)
    monkeypatch.undo()
    assert second.schema_version() == last
    rows = [
        r for r in second.audit_rows() if r["action"] == "migrate" and r["entity_ref"] == str(last)
    ]
    assert len(rows) == 1
