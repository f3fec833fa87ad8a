"""The tables of a project file and the migrations that create and upgrade them.

* The schema version is ``PRAGMA user_version``; ``MIGRATIONS`` upgrade older
  files in order. ``PRAGMA application_id`` marks the file as a Workbench project.
* ``audit_log`` is append-only: triggers refuse UPDATE and DELETE.

:func:`migrate` reads ``MIGRATIONS`` and ``SCHEMA_VERSION`` from this module when it
runs, so a test can add a migration by patching them here.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from workbench.errors import ProjectError
from workbench.store import schema_v8, schema_v9, schema_v10, schema_v12, schema_v15, schema_v18

if TYPE_CHECKING:
    from workbench.store import Store


APPLICATION_ID = 0x57424E43  # "WBNC"

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial schema",
        """
CREATE TABLE project (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_with TEXT NOT NULL
);
CREATE TABLE codebooks (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX codebooks_one_active ON codebooks(active) WHERE active = 1;
CREATE TABLE categories (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    shortcut TEXT NOT NULL,
    takes_themes INTEGER NOT NULL CHECK (takes_themes IN (0, 1)),
    polarity TEXT CHECK (polarity IN ('effective', 'ineffective')),
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE TABLE themes (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    shortcut TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE TABLE roles (
    key TEXT PRIMARY KEY COLLATE NOCASE,
    name TEXT NOT NULL,
    excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
    aliases TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL
);
CREATE TABLE focus_groups (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT CHECK (kind IN ('individual', 'multi')),
    date TEXT,
    stakeholders TEXT,
    position INTEGER NOT NULL,
    next_number INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES focus_groups(id),
    filename TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (group_id, filename)
);
CREATE INDEX transcripts_sha256 ON transcripts(sha256);
CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES focus_groups(id),
    label TEXT NOT NULL,
    role_key TEXT REFERENCES roles(key),
    UNIQUE (group_id, label)
);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    group_id INTEGER NOT NULL REFERENCES focus_groups(id),
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
    position INTEGER NOT NULL,
    speaker_id INTEGER REFERENCES speakers(id),
    text TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    start_s REAL,
    end_s REAL,
    source_line INTEGER,
    no_speaker INTEGER NOT NULL DEFAULT 0 CHECK (no_speaker IN (0, 1)),
    excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
    excluded_reason TEXT
);
CREATE INDEX comments_order ON comments(group_id, transcript_id, position);
CREATE INDEX comments_speaker ON comments(speaker_id);
CREATE TABLE coders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL DEFAULT 'coder' CHECK (kind IN ('coder', 'agreed')),
    created_at TEXT NOT NULL
);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    coder_id INTEGER NOT NULL REFERENCES coders(id),
    category_key TEXT REFERENCES categories(key),
    memo TEXT NOT NULL DEFAULT '',
    unsure INTEGER NOT NULL DEFAULT 0 CHECK (unsure IN (0, 1)),
    exemplar INTEGER NOT NULL DEFAULT 0 CHECK (exemplar IN (0, 1)),
    updated_at TEXT NOT NULL,
    UNIQUE (comment_id, coder_id)
);
CREATE INDEX codings_coder ON codings(coder_id);
CREATE TABLE coding_themes (
    coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
    theme_key TEXT NOT NULL REFERENCES themes(key),
    PRIMARY KEY (coding_id, theme_key)
) WITHOUT ROWID;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_ref TEXT,
    before TEXT,
    after TEXT,
    note TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
""",
    ),
]
MIGRATIONS.append(
    (
        2,
        "full-text search over comments",
        # The index is filled lazily (refresh_search_index) rather than by an INSERT
        # trigger: indexing costs more than the rest of a large import. Rows up to
        # search_state.indexed_upto are kept in sync by the triggers below.
        """
CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL
);
INSERT INTO search_state (id, indexed_upto) VALUES (1, 0);
CREATE VIRTUAL TABLE comments_fts USING fts5(
    text, content = 'comments', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments
WHEN new.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO comments_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments
WHEN old.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF text ON comments
WHEN old.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO comments_fts (rowid, text) VALUES (new.id, new.text);
END;
""",
    )
)
MIGRATIONS.append(
    (
        3,
        "reconciliation decisions and agreement rounds",
        """
CREATE TABLE reconciliations (
    comment_id INTEGER PRIMARY KEY REFERENCES comments(id),
    status TEXT NOT NULL CHECK (status IN ('auto', 'resolved', 'deferred', 'imported')),
    rationale TEXT NOT NULL DEFAULT '',
    coders TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE TABLE agreement_rounds (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    label TEXT NOT NULL,
    coders TEXT NOT NULL,
    codebook_sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    report TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
""",
    )
)
MIGRATIONS.append(
    (
        4,
        "stored report runs",
        """
CREATE TABLE report_runs (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    tables TEXT NOT NULL,
    parameters TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    codebook_sha256 TEXT NOT NULL,
    results TEXT NOT NULL,
    outputs TEXT NOT NULL DEFAULT '[]'
);
""",
    )
)
MIGRATIONS.append(
    (
        5,
        "index of the comments to code, in reading order",
        # The coding screen's worklist (each transcript's comments to code, in order) comes
        # straight off this covering index, with no sort and no read of the comment rows.
        # Measured on a 1M-word import: this column order costs 2% of the import's time;
        # extending the (group, transcript, position) index with `excluded` cost 12%.
        "CREATE INDEX comments_codable ON comments(excluded, group_id, transcript_id, position);",
    )
)
MIGRATIONS.append(
    (
        6,
        "machine-assisted coding: models, suggestion-accepted codings, model coders, review queue",
        # SQLite cannot change a CHECK constraint in place: coders is rebuilt to admit kind
        # 'model' (SQLite's documented procedure, with foreign keys off: see REBUILDS).
        """
CREATE TABLE coders_v6 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL DEFAULT 'coder' CHECK (kind IN ('coder', 'agreed', 'model')),
    suggestions INTEGER NOT NULL DEFAULT 0 CHECK (suggestions IN (0, 1)),
    created_at TEXT NOT NULL
);
INSERT INTO coders_v6 (id, name, kind, created_at) SELECT id, name, kind, created_at FROM coders;
DROP TABLE coders;
ALTER TABLE coders_v6 RENAME TO coders;
CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    trained_on TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    codebook_sha256 TEXT NOT NULL,
    comments INTEGER NOT NULL,
    summary TEXT NOT NULL,
    meta TEXT NOT NULL,
    parameters BLOB NOT NULL
);
ALTER TABLE codings ADD COLUMN suggested_by INTEGER REFERENCES models(id);
CREATE TABLE review_items (
    model_id INTEGER NOT NULL REFERENCES models(id),
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    confidence REAL NOT NULL,
    reason TEXT NOT NULL,
    suggestion TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('kept', 'changed', 'deferred')),
    rationale TEXT NOT NULL DEFAULT '',
    decided_by TEXT,
    decided_at TEXT,
    PRIMARY KEY (model_id, comment_id)
);
""",
    )
)
MIGRATIONS.append(
    (
        7,
        "files Workbench wrote",
        # An output file (export, sheet, package, report) is replaced without --force only if
        # Workbench wrote exactly those bytes: workbench/output.py looks its SHA-256 up here.
        """
CREATE TABLE written_files (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    written_at TEXT NOT NULL
) WITHOUT ROWID;
""",
    )
)
MIGRATIONS.append((8, schema_v8.TITLE, schema_v8.SQL))  # rebuilds coders: see schema_v8
MIGRATIONS.append((9, schema_v9.TITLE, schema_v9.SQL))  # the team server's users and sessions
MIGRATIONS.append((10, schema_v10.TITLE, schema_v10.SQL))  # file stamp and backups: see schema_v10
MIGRATIONS.append((12, schema_v12.TITLE, schema_v12.SQL))  # corrections: see schema_v12
MIGRATIONS.append((15, schema_v15.TITLE, schema_v15.SQL))  # pre-coding
MIGRATIONS.append((18, schema_v18.TITLE, schema_v18.SQL))  # participants and their attributes
SCHEMA_VERSION = MIGRATIONS[-1][0]
# Migrations that rebuild a table other tables reference. They run with foreign keys off
# (a DROP of the old table would otherwise delete or orphan its children) and end with
# PRAGMA foreign_key_check inside their transaction: any broken reference rolls it back.
REBUILDS = {6, 8}


def migrate(store: Store) -> None:
    """Bring the file up to ``SCHEMA_VERSION``: each newer migration in its own
    transaction, with its audit row; refuse a file made by a newer Workbench.

    Several processes may open an older file at once (everyone opens the study after an
    upgrade): each reads the version again inside the migration's transaction, after it has
    the write lock, so a migration another process has just made is skipped, never run twice.
    """
    current = _refuse_newer(store, store.schema_version())
    for version, title, sql in MIGRATIONS:
        if version <= current:
            continue
        rebuild = version in REBUILDS
        if rebuild:
            store.conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        try:
            with store.transaction() as conn:
                current = _refuse_newer(store, store.schema_version())
                if version <= current:
                    continue  # made by another process while this one waited for the lock
                # executescript would commit the transaction; run statement by statement.
                for statement in _statements(sql):
                    conn.execute(statement)
                if rebuild:
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ProjectError(
                            f"{store.path}: migration {version} would break "
                            f"{len(broken)} reference(s), e.g. {tuple(broken[0])}; "
                            "nothing was changed"
                        )
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {version}")
                store.audit(
                    "migrate", "schema", str(version), before=current, after=version, note=title
                )
        finally:
            if rebuild:
                store.conn.execute("PRAGMA foreign_keys = ON")
        current = version


def _refuse_newer(store: Store, current: int) -> int:
    if current > SCHEMA_VERSION:
        raise ProjectError(
            f"{store.path}: made by a newer Workbench (schema {current}, this one knows "
            f"{SCHEMA_VERSION}); upgrade Workbench to open it"
        )
    return current


def _statements(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
