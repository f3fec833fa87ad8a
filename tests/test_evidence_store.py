"""The project file's methods-evidence tables (schema 8): older files upgrade with every coder
and coding, training and retest coders always name their person, one of each per person."""

import sqlite3

import pytest

from workbench.demo import build_demo
from workbench.store import Store
from workbench.store import schema as schema_module


def test_schema_6_projects_with_codings_upgrade_to_8(tmp_path, monkeypatch):
    """Migration 8 rebuilds coders (kinds training and retest, a person column): every coder,
    its suggestions switch and every coding survive; the new kinds need a person."""
    monkeypatch.setattr(
        schema_module, "MIGRATIONS", [m for m in schema_module.MIGRATIONS if m[0] <= 6]
    )
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", 6)
    store, _ = build_demo(tmp_path / "old.db")
    assert store.schema_version() == 6
    ids = [c.id for c in store.comments() if not c.excluded]
    store.close()
    monkeypatch.undo()
    raw = sqlite3.connect(tmp_path / "old.db")  # codings as a schema-6 Workbench wrote them
    with raw:
        raw.execute(
            "INSERT INTO coders (id, name, kind, suggestions, created_at) VALUES "
            "(1, 'ana', 'coder', 1, 'then'), (2, 'agreed', 'agreed', 0, 'then'), "
            "(3, 'model', 'model', 0, 'then')"
        )
        for n, comment_id in enumerate(ids):
            for coder in (1, 2, 3):
                coding = raw.execute(
                    "INSERT INTO codings (comment_id, coder_id, category_key, updated_at) "
                    "VALUES (?, ?, 'effective', 'then')",
                    [comment_id, coder],
                ).lastrowid
                raw.execute(
                    "INSERT INTO coding_themes VALUES (?, ?)",
                    [coding, "listening" if n % 2 else "mutuality"],
                )
    raw.close()
    upgraded = Store.open(tmp_path / "old.db")
    assert (
        upgraded.schema_version() == schema_module.SCHEMA_VERSION >= 8
        and upgraded.integrity_check() == "ok"
    )
    assert [(c.id, c.name, c.kind, c.suggestions, c.person) for c in upgraded.coders()] == [
        (2, "agreed", "agreed", 0, None),
        (1, "ana", "coder", 1, None),
        (3, "model", "model", 0, None),
    ]
    assert upgraded.coding_count() == 3 * len(ids)
    assert upgraded.coding(1, ids[1]).themes == ("listening",)
    raw = sqlite3.connect(tmp_path / "old.db")
    raw.execute("PRAGMA foreign_keys = ON")
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.execute(
        "INSERT INTO coders (name, kind, person, created_at) VALUES ('ana (retest)', 'retest', 'ana', 'now')"
    )
    with pytest.raises(sqlite3.IntegrityError):  # a training or retest coder names its person
        raw.execute(
            "INSERT INTO coders (name, kind, created_at) VALUES ('x (training)', 'training', 'now')"
        )
    with pytest.raises(sqlite3.IntegrityError):  # and a study coder does not
        raw.execute(
            "INSERT INTO coders (name, kind, person, created_at) VALUES ('y', 'coder', 'y', 'now')"
        )
    with pytest.raises(sqlite3.IntegrityError):  # one retest coder per person
        raw.execute(
            "INSERT INTO coders (name, kind, person, created_at) VALUES ('z', 'retest', 'ANA', 'now')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute("INSERT INTO coders (name, kind, created_at) VALUES ('x', 'robot', 'now')")
    with pytest.raises(sqlite3.IntegrityError):  # codings still reference coders
        raw.execute(
            "INSERT INTO codings (comment_id, coder_id, updated_at) VALUES (?, 99, 'now')", [ids[0]]
        )
