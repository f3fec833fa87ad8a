"""The project file: one SQLite database, and every SQL statement of the product.

Design notes (see docs/architecture.md):

* WAL journal, foreign keys on, ``synchronous=FULL`` so that a committed coding
  survives a crash, and a busy timeout plus ``BEGIN IMMEDIATE`` with retry so two
  analysts' processes can write to one file at once.
* One connection per thread (SQLite connections must not cross threads).
* The schema version is ``PRAGMA user_version``; ``MIGRATIONS`` upgrade older
  files in order. ``PRAGMA application_id`` marks the file as a Workbench project.
* Codings reference categories and themes by their stable codebook key. The agreed
  coding is the coding of a coder of kind ``agreed``, so every sheet, statistic and
  table reads agreed and individual codings the same way.
* ``audit_log`` is append-only: triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from workbench.errors import ProjectError

if TYPE_CHECKING:
    import sqlite_utils


def _import_sqlite_utils():
    """Import sqlite-utils without the pandas and numpy it imports when installed.

    It imports them at module load only to map their scalar types to column
    types, which the project never inserts; that costs ~0.4 s on every start of
    the CLI and the app. Blocking them for the duration of this one import makes
    sqlite-utils take its "not installed" path; they import normally afterwards.
    """
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # makes `import name` raise ImportError
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]
    return sqlite_utils


APPLICATION_ID = 0x57424E43  # "WBNC"
BUSY_TIMEOUT_MS = 10_000

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
MIGRATIONS.append((
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
))
MIGRATIONS.append((
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
))
MIGRATIONS.append((
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
))
MIGRATIONS.append((
    5,
    "index of the comments to code, in reading order",
    # The coding screen's worklist (each transcript's comments to code, in order) comes
    # straight off this covering index, with no sort and no read of the comment rows.
    # Measured on a 1M-word import: this column order costs 2% of the import's time;
    # extending the (group, transcript, position) index with `excluded` cost 12%.
    "CREATE INDEX comments_codable ON comments(excluded, group_id, transcript_id, position);",
))
SCHEMA_VERSION = MIGRATIONS[-1][0]


def now() -> str:
    """UTC time as ISO 8601 with milliseconds, the format of every stored timestamp."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


class Store:
    """Access to one project file. Create with :meth:`create` or :meth:`open`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> "Store":
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path}: a file already exists here; choose another project path")
        if not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        store = cls(path)
        store._migrate()
        from workbench import __version__

        with store.transaction():
            store.conn.execute(
                "INSERT INTO project (id, name, created_at, created_with) VALUES (1, ?, ?, ?)",
                [name or path.stem, now(), __version__],
            )
        return store

    @classmethod
    def open(cls, path: str | Path) -> "Store":
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"{path}: no project here; create one with `workbench init {path}`")
        store = cls(path)
        try:
            app_id = store.conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError:
            raise ProjectError(f"{path}: not a Workbench project (not an SQLite database)") from None
        if app_id != APPLICATION_ID:
            raise ProjectError(f"{path}: an SQLite database, but not a Workbench project")
        store._migrate()
        return store

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            # Autocommit at the driver level: transactions are only the explicit
            # BEGIN IMMEDIATE of transaction(), never an implicit deferred one.
            conn.isolation_level = None
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils' view of this thread's connection: tables, rows, schema, for
        scripts and notebooks over a project. Imported on first use, because importing
        sqlite-utils costs ~55 ms that the app's start-up does not need."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = _import_sqlite_utils().Database(self.conn, execute_plugins=False)
            self._local.db = db
        return db

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = self._local.db = None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, all or nothing; yields this thread's connection.

        ``BEGIN IMMEDIATE`` takes the write lock up front: a deferred transaction
        that later needs it can fail with "database is locked" without waiting.
        The busy timeout covers waiting; a residual lock error at BEGIN is retried.
        A nested call is a savepoint inside the outer transaction.
        """
        conn = self.conn
        if conn.in_transaction:
            self._savepoints = getattr(self, "_savepoints", 0) + 1
            name = f"wb_{self._savepoints}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
            return
        for attempt in range(20):
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.01 * (attempt + 1))
        else:
            raise ProjectError(f"{self.path}: the project stayed locked by another process; try again")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- schema ------------------------------------------------------------------

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise ProjectError(
                f"{self.path}: made by a newer Workbench (schema {current}, this one knows "
                f"{SCHEMA_VERSION}); upgrade Workbench to open it"
            )
        for version, title, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as conn:
                # executescript would commit the transaction; run statement by statement.
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {version}")
                self.audit("migrate", "schema", str(version), before=current, after=version, note=title)
            current = version

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    # -- audit -------------------------------------------------------------------

    def audit(
        self,
        action: str,
        entity: str,
        entity_ref: str | None = None,
        before: Any = None,
        after: Any = None,
        note: str | None = None,
        actor: str | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_ref, before, after, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now(),
                actor or default_actor(),
                action,
                entity,
                entity_ref,
                None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
                None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
                note,
            ],
        )

    def audit_rows(self) -> list[dict]:
        return self._dicts("SELECT * FROM audit_log ORDER BY id")

    # -- project -----------------------------------------------------------------

    def project_info(self) -> dict:
        return self._dicts("SELECT name, created_at, created_with FROM project")[0]

    # -- codebook ----------------------------------------------------------------

    def active_codebook(self) -> dict | None:
        rows = self._dicts("SELECT * FROM codebooks WHERE active = 1")
        return rows[0] if rows else None

    def save_codebook(self, codebook, source_name: str) -> None:
        """Make ``codebook`` the active one; entries no longer in it are retired, not deleted."""
        conn = self.conn
        conn.execute("UPDATE codebooks SET active = 0 WHERE active = 1")
        conn.execute(
            "INSERT INTO codebooks (key, name, version, description, source_name, content, sha256, "
            "loaded_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [codebook.key, codebook.name, codebook.version, codebook.description, source_name,
             codebook.source, codebook.sha256, now()],
        )
        conn.execute("UPDATE categories SET retired = 1")
        conn.execute("UPDATE themes SET retired = 1")
        conn.executemany(
            "INSERT INTO categories (key, name, shortcut, takes_themes, polarity, description, "
            "position, retired) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(key) DO UPDATE SET "
            "name = excluded.name, shortcut = excluded.shortcut, takes_themes = excluded.takes_themes, "
            "polarity = excluded.polarity, description = excluded.description, "
            "position = excluded.position, retired = 0",
            [(c.key, c.name, c.shortcut, int(c.takes_themes), c.polarity, c.description, i)
             for i, c in enumerate(codebook.categories)],
        )
        conn.executemany(
            "INSERT INTO themes (key, name, shortcut, definition, position, retired) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(key) DO UPDATE SET name = excluded.name, "
            "shortcut = excluded.shortcut, definition = excluded.definition, "
            "position = excluded.position, retired = 0",
            [(t.key, t.name, t.shortcut, t.definition, i) for i, t in enumerate(codebook.themes)],
        )

    def categories(self, include_retired: bool = False) -> list[dict]:
        where = "" if include_retired else "WHERE retired = 0"
        return self._dicts(f"SELECT * FROM categories {where} ORDER BY retired, position")

    def themes(self, include_retired: bool = False) -> list[dict]:
        where = "" if include_retired else "WHERE retired = 0"
        return self._dicts(f"SELECT * FROM themes {where} ORDER BY retired, position")

    def coding_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codings").fetchone()[0]

    # -- roles -------------------------------------------------------------------

    def roles(self) -> list[dict]:
        rows = self._dicts("SELECT * FROM roles ORDER BY position")
        for row in rows:
            row["aliases"] = json.loads(row["aliases"])
        return rows

    def add_role(self, key: str, name: str, excluded: bool, aliases: tuple[str, ...] = ()) -> None:
        position = self.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM roles").fetchone()[0]
        self.conn.execute(
            "INSERT INTO roles (key, name, excluded, aliases, position) VALUES (?, ?, ?, ?, ?)",
            [key, name, int(excluded), json.dumps(list(aliases)), position],
        )

    # -- focus groups ------------------------------------------------------------

    def groups(self) -> list[dict]:
        return self._dicts("SELECT * FROM focus_groups ORDER BY position")

    def group_by_name(self, name: str) -> dict | None:
        rows = self._dicts(
            "SELECT * FROM focus_groups WHERE name = ? OR code = ? ORDER BY name = ? DESC",
            [name, name, name],
        )
        return rows[0] if rows else None

    def create_group(self, name: str, code: str | None, kind: str | None, date: str | None,
                     stakeholders: str | None) -> dict:
        position = self.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM focus_groups"
        ).fetchone()[0]
        if code is None:
            used = {row[0].upper() for row in self.conn.execute("SELECT code FROM focus_groups")}
            number = position
            while f"FG{number}" in used:
                number += 1
            code = f"FG{number}"
        self.conn.execute(
            "INSERT INTO focus_groups (code, name, kind, date, stakeholders, position) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [code, name, kind, date, stakeholders, position],
        )
        return self.group_by_name(name)

    def update_group(self, group_id: int, **fields: Any) -> None:
        allowed = {"kind", "date", "stakeholders"}
        sets = {k: v for k, v in fields.items() if k in allowed and v is not None}
        if sets:
            assignments = ", ".join(f"{k} = ?" for k in sets)
            self.conn.execute(
                f"UPDATE focus_groups SET {assignments} WHERE id = ?", [*sets.values(), group_id]
            )

    def take_comment_numbers(self, group_id: int, count: int, restart: bool = False) -> int:
        """Reserve ``count`` comment numbers in a group; return the first.

        Numbers are never reused, so a ref that was ever exported keeps meaning one
        comment, unless ``restart`` (the group is being re-imported from scratch).
        """
        if restart:
            self.conn.execute("UPDATE focus_groups SET next_number = 1 WHERE id = ?", [group_id])
        first = self.conn.execute(
            "SELECT next_number FROM focus_groups WHERE id = ?", [group_id]
        ).fetchone()[0]
        self.conn.execute(
            "UPDATE focus_groups SET next_number = ? WHERE id = ?", [first + count, group_id]
        )
        return first

    # -- transcripts -------------------------------------------------------------

    def transcripts(self, group_id: int | None = None) -> list[dict]:
        sql = (
            "SELECT t.id, t.group_id, g.name AS group_name, t.filename, t.format, t.encoding, "
            "t.sha256, t.imported_at, t.position, "
            "(SELECT count(*) FROM comments c WHERE c.transcript_id = t.id) AS comments "
            "FROM transcripts t JOIN focus_groups g ON g.id = t.group_id"
        )
        if group_id is not None:
            return self._dicts(sql + " WHERE t.group_id = ? ORDER BY t.position", [group_id])
        return self._dicts(sql + " ORDER BY g.position, t.position")

    def transcript_by_hash(self, sha256: str) -> dict | None:
        rows = self._dicts(
            "SELECT t.*, g.name AS group_name FROM transcripts t "
            "JOIN focus_groups g ON g.id = t.group_id WHERE t.sha256 = ?",
            [sha256],
        )
        return rows[0] if rows else None

    def transcript_named(self, group_id: int, filename: str) -> dict | None:
        rows = self._dicts(
            "SELECT * FROM transcripts WHERE group_id = ? AND filename = ?", [group_id, filename]
        )
        return rows[0] if rows else None

    def codings_on_transcript(self, transcript_id: int) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM codings k JOIN comments c ON c.id = k.comment_id "
            "WHERE c.transcript_id = ?",
            [transcript_id],
        ).fetchone()[0]

    def add_transcript(self, group_id: int, filename: str, fmt: str, encoding: str, sha256: str,
                       content: bytes) -> int:
        position = self.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM transcripts WHERE group_id = ?", [group_id]
        ).fetchone()[0]
        cursor = self.conn.execute(
            "INSERT INTO transcripts (group_id, filename, format, encoding, sha256, content, "
            "imported_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [group_id, filename, fmt, encoding, sha256, content, now(), position],
        )
        return cursor.lastrowid

    def replace_transcript(self, transcript_id: int, fmt: str, encoding: str, sha256: str,
                           content: bytes) -> None:
        """Drop a transcript's comments (it has no codings) and record its new content."""
        conn = self.conn
        conn.execute("DELETE FROM comments WHERE transcript_id = ?", [transcript_id])
        conn.execute(
            "UPDATE transcripts SET format = ?, encoding = ?, sha256 = ?, content = ?, "
            "imported_at = ? WHERE id = ?",
            [fmt, encoding, sha256, content, now(), transcript_id],
        )
        conn.execute(
            "DELETE FROM speakers WHERE id NOT IN "
            "(SELECT speaker_id FROM comments WHERE speaker_id IS NOT NULL)"
        )

    # -- speakers ----------------------------------------------------------------

    def speakers(self, group_id: int | None = None) -> list[dict]:
        sql = (
            "SELECT s.id, s.group_id, g.name AS group_name, s.label, s.role_key, "
            "count(c.id) AS comments, coalesce(sum(c.word_count), 0) AS words "
            "FROM speakers s JOIN focus_groups g ON g.id = s.group_id "
            "LEFT JOIN comments c ON c.speaker_id = s.id"
        )
        if group_id is not None:
            sql += " WHERE s.group_id = ?"
        sql += " GROUP BY s.id ORDER BY g.position, min(c.position), s.label"
        return self._dicts(sql, [group_id] if group_id is not None else [])

    def ensure_speaker(self, group_id: int, label: str, role_key: str | None) -> int:
        row = self.conn.execute(
            "SELECT id, role_key FROM speakers WHERE group_id = ? AND label = ?", [group_id, label]
        ).fetchone()
        if row is None:
            return self.conn.execute(
                "INSERT INTO speakers (group_id, label, role_key) VALUES (?, ?, ?)",
                [group_id, label, role_key],
            ).lastrowid
        if role_key is not None and row[1] != role_key:
            self.set_speaker_role(row[0], role_key)
        return row[0]

    def set_speaker_role(self, speaker_id: int, role_key: str | None) -> None:
        """Set a speaker's role and re-derive the default exclusion of their comments."""
        conn = self.conn
        conn.execute("UPDATE speakers SET role_key = ? WHERE id = ?", [role_key, speaker_id])
        conn.execute(
            "UPDATE comments SET excluded = coalesce((SELECT excluded FROM roles WHERE key = ?), 0), "
            "excluded_reason = CASE WHEN (SELECT excluded FROM roles WHERE key = ?) = 1 "
            "THEN 'role ' || ? ELSE NULL END "
            "WHERE speaker_id = ? AND (excluded_reason IS NULL OR excluded_reason LIKE 'role %')",
            [role_key, role_key, role_key, speaker_id],
        )

    # -- comments ----------------------------------------------------------------

    @contextlib.contextmanager
    def bulk_comments(self) -> Iterator[None]:
        """Inside a transaction, for a first import: the comments' secondary indexes are
        dropped and built again at the end, from the same SQL. Building an index once over
        sorted rows beats updating it row by row (~5% of a million-word import); nothing
        changes if the table already has comments."""
        if not self.conn.in_transaction:
            raise RuntimeError("bulk_comments() must run inside a transaction")
        if self.conn.execute("SELECT EXISTS (SELECT 1 FROM comments)").fetchone()[0]:
            yield
            return
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        for name, _sql in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        yield
        for _name, sql in indexes:
            self.conn.execute(sql)

    def insert_comments(self, rows: list[tuple]) -> None:
        """Rows of (ref, group_id, transcript_id, position, speaker_id, text, word_count,
        start_s, end_s, source_line, no_speaker, excluded, excluded_reason)."""
        self.conn.executemany(
            "INSERT INTO comments (ref, group_id, transcript_id, position, speaker_id, text, "
            "word_count, start_s, end_s, source_line, no_speaker, excluded, excluded_reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def comment(self, comment_id: int) -> dict | None:
        rows = self._dicts("SELECT * FROM comments WHERE id = ?", [comment_id])
        return rows[0] if rows else None

    def next_comment(self, comment: dict) -> dict | None:
        """The comment after ``comment`` in the same transcript."""
        rows = self._dicts(
            "SELECT * FROM comments WHERE group_id = ? AND transcript_id = ? AND position > ? "
            "ORDER BY position LIMIT 1",
            [comment["group_id"], comment["transcript_id"], comment["position"]],
        )
        return rows[0] if rows else None

    def refs_like(self, prefix: str) -> set[str]:
        return {r[0] for r in self.conn.execute(
            "SELECT ref FROM comments WHERE ref LIKE ? ESCAPE '\\'",
            [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        )}

    def insert_comment_after(self, comment: dict, ref: str, text: str, word_count: int,
                             start_s: float | None, end_s: float | None) -> int:
        """Insert a comment right after ``comment``, same speaker and flags, shifting the rest."""
        conn = self.conn
        conn.execute(
            "UPDATE comments SET position = position + 1 WHERE group_id = ? AND transcript_id = ? "
            "AND position > ?",
            [comment["group_id"], comment["transcript_id"], comment["position"]],
        )
        return conn.execute(
            "INSERT INTO comments (ref, group_id, transcript_id, position, speaker_id, text, word_count, "
            "start_s, end_s, source_line, no_speaker, excluded, excluded_reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ref, comment["group_id"], comment["transcript_id"], comment["position"] + 1,
             comment["speaker_id"], text, word_count, start_s, end_s, comment["source_line"],
             comment["no_speaker"], comment["excluded"], comment["excluded_reason"]],
        ).lastrowid

    def update_comment_text(self, comment_id: int, text: str, word_count: int,
                            start_s: float | None, end_s: float | None) -> None:
        self.conn.execute(
            "UPDATE comments SET text = ?, word_count = ?, start_s = ?, end_s = ? WHERE id = ?",
            [text, word_count, start_s, end_s, comment_id],
        )

    def delete_comment(self, comment_id: int) -> None:
        self.conn.execute("DELETE FROM comments WHERE id = ?", [comment_id])

    def comment_index(self) -> list[tuple]:
        """Every comment in transcript order as a light tuple
        (id, ref, group_id, transcript_id, excluded, role_key): enough to filter and
        navigate 100,000 comments without holding their text."""
        return self.conn.execute(
            "SELECT c.id, c.ref, c.group_id, c.transcript_id, c.excluded, s.role_key "
            "FROM comments c JOIN focus_groups g ON g.id = c.group_id "
            "JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN speakers s ON s.id = c.speaker_id "
            "ORDER BY g.position, t.position, c.position"
        ).fetchall()

    def transcript_order(self) -> list[tuple[int, int]]:
        """(group id, transcript id) of every transcript, in reading order."""
        return self.conn.execute(
            "SELECT g.id, t.id FROM transcripts t JOIN focus_groups g ON g.id = t.group_id "
            "ORDER BY g.position, t.position"
        ).fetchall()

    def codable_ids(self, group_id: int, transcript_id: int) -> list[int]:
        """Ids of one transcript's comments to code, in order (off the comments_codable index).

        Returned by SQLite as one JSON array: half the time of a Python row per id."""
        return json.loads(self.conn.execute(
            "SELECT json_group_array(id) FROM (SELECT id FROM comments "
            "WHERE excluded = 0 AND group_id = ? AND transcript_id = ? ORDER BY position)",
            [group_id, transcript_id],
        ).fetchone()[0])

    def coding_states(self, coder_id: int) -> list[tuple]:
        """(comment id, category key, has a theme, unsure) of each of one coder's
        codings of comments to code: what progress and "next uncoded" need, without
        loading memos or theme lists."""
        return self.conn.execute(
            "SELECT k.comment_id, k.category_key, "
            "EXISTS (SELECT 1 FROM coding_themes ct WHERE ct.coding_id = k.id), k.unsure "
            "FROM codings k JOIN comments c ON c.id = k.comment_id "
            "WHERE k.coder_id = ? AND c.excluded = 0", [coder_id]
        ).fetchall()

    def comment_ids_with_role(self, role_key: str) -> set[int]:
        return {row[0] for row in self.conn.execute(
            "SELECT c.id FROM comments c JOIN speakers s ON s.id = c.speaker_id WHERE s.role_key = ?",
            [role_key],
        )}

    def find_ref(self, ref: str) -> tuple | None:
        """(id, ref, group id, excluded) of the comment whose ref is ``ref``, ignoring case."""
        return self.conn.execute(
            "SELECT id, ref, group_id, excluded FROM comments WHERE ref = ? COLLATE NOCASE", [ref]
        ).fetchone()

    def comment_with_context(self, comment_id: int, around: int = 2) -> list[dict]:
        """A comment and up to ``around`` turns either side in its transcript, in order;
        each row says whether it is the comment asked for (``current``)."""
        return self._dicts(
            "WITH me AS (SELECT group_id, transcript_id, position FROM comments WHERE id = ?) "
            "SELECT c.id, c.ref, c.text, c.excluded, c.no_speaker, c.position, c.start_s, "
            "coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, "
            "g.code AS group_code, g.name AS group_name, c.id = ? AS current "
            # group_id too, so the (group, transcript, position) index finds the rows.
            "FROM comments c JOIN me ON c.group_id = me.group_id AND c.transcript_id = me.transcript_id "
            "JOIN focus_groups g ON g.id = c.group_id LEFT JOIN speakers s ON s.id = c.speaker_id "
            "WHERE c.position BETWEEN me.position - ? AND me.position + ? ORDER BY c.position",
            [comment_id, comment_id, around, around],
        )

    def coder_progress(self) -> list[dict]:
        """Per group and coder: codable comments and how many the coder has given a category."""
        return self._dicts(
            "SELECT g.id AS group_id, g.code, k.id AS coder_id, k.name AS coder, "
            "(SELECT count(*) FROM comments c WHERE c.group_id = g.id AND c.excluded = 0) AS codable, "
            "(SELECT count(*) FROM codings x JOIN comments c ON c.id = x.comment_id "
            " WHERE x.coder_id = k.id AND c.group_id = g.id AND c.excluded = 0 "
            " AND x.category_key IS NOT NULL) AS coded "
            "FROM focus_groups g CROSS JOIN coders k WHERE k.kind = 'coder' "
            "ORDER BY g.position, k.name"
        )

    def comment_ref(self, comment_id: int) -> str | None:
        row = self.conn.execute("SELECT ref FROM comments WHERE id = ?", [comment_id]).fetchone()
        return row[0] if row else None

    def comments(self, group_id: int | None = None) -> list[dict]:
        sql = (
            "SELECT c.id, c.ref, g.name AS group_name, g.code AS group_code, c.position, "
            "coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, c.excluded, "
            "c.excluded_reason, c.no_speaker, c.text, c.word_count, c.start_s, c.end_s, "
            "t.filename AS transcript, c.source_line "
            "FROM comments c JOIN focus_groups g ON g.id = c.group_id "
            "JOIN transcripts t ON t.id = c.transcript_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id"
        )
        params: list = []
        if group_id is not None:
            sql += " WHERE c.group_id = ?"
            params.append(group_id)
        sql += " ORDER BY g.position, t.position, c.position"
        return self._dicts(sql, params)

    def refresh_search_index(self) -> int:
        """Index comments added since the last search; return how many were indexed."""
        with self.transaction() as conn:
            upto = conn.execute("SELECT indexed_upto FROM search_state").fetchone()[0]
            top = conn.execute("SELECT coalesce(max(id), 0) FROM comments").fetchone()[0]
            if top <= upto:
                return 0
            cursor = conn.execute(
                "INSERT INTO comments_fts (rowid, text) SELECT id, text FROM comments WHERE id > ?",
                [upto],
            )
            conn.execute("UPDATE search_state SET indexed_upto = ?", [top])
            return cursor.rowcount

    def unindexed_comments(self) -> int:
        """How many comments the next search will index first (an estimate from the ids)."""
        top = self.conn.execute("SELECT coalesce(max(id), 0) FROM comments").fetchone()[0]
        return max(0, top - self.conn.execute("SELECT indexed_upto FROM search_state").fetchone()[0])

    def search_comments(self, match: str) -> list[int]:
        """Ids of comments matching an FTS5 ``match`` expression, in transcript order."""
        self.refresh_search_index()
        return [
            row[0] for row in self.conn.execute(
                "SELECT c.id FROM comments_fts f JOIN comments c ON c.id = f.rowid "
                "JOIN focus_groups g ON g.id = c.group_id JOIN transcripts t ON t.id = c.transcript_id "
                "WHERE comments_fts MATCH ? ORDER BY g.position, t.position, c.position",
                [match],
            )
        ]

    def group_summaries(self) -> list[dict]:
        return self._dicts(
            "SELECT g.*, "
            "(SELECT count(*) FROM transcripts t WHERE t.group_id = g.id) AS transcripts, "
            "(SELECT count(*) FROM speakers s WHERE s.group_id = g.id) AS speakers, "
            "count(c.id) AS comments, "
            "coalesce(sum(c.excluded = 0), 0) AS codable, "
            "coalesce(sum(c.no_speaker), 0) AS no_speaker, "
            "coalesce(sum(c.word_count), 0) AS words "
            "FROM focus_groups g LEFT JOIN comments c ON c.group_id = g.id "
            "GROUP BY g.id ORDER BY g.position"
        )

    # -- coders ------------------------------------------------------------------

    def coders(self) -> list[dict]:
        return self._dicts("SELECT * FROM coders ORDER BY kind, name")

    def coder_named(self, name: str) -> dict | None:
        rows = self._dicts("SELECT * FROM coders WHERE name = ?", [name])
        return rows[0] if rows else None

    def add_coder(self, name: str, kind: str = "coder") -> dict:
        self.conn.execute(
            "INSERT INTO coders (name, kind, created_at) VALUES (?, ?, ?)", [name, kind, now()]
        )
        return self.coder_named(name)

    # -- codings -----------------------------------------------------------------

    def coding(self, coder_id: int, comment_id: int) -> dict | None:
        """One coder's coding of one comment, with its theme keys in codebook order."""
        rows = self._dicts(
            "SELECT id, category_key, memo, unsure, exemplar, updated_at FROM codings "
            "WHERE coder_id = ? AND comment_id = ?",
            [coder_id, comment_id],
        )
        if not rows:
            return None
        row = rows[0]
        row["themes"] = [
            r[0] for r in self.conn.execute(
                "SELECT ct.theme_key FROM coding_themes ct JOIN themes t ON t.key = ct.theme_key "
                "WHERE ct.coding_id = ? ORDER BY t.position", [row["id"]]
            )
        ]
        return row

    def codings_of(self, coder_id: int) -> dict[int, dict]:
        """Every coding of one coder, by comment id (for lists, filters and progress)."""
        rows = self._dicts(
            "SELECT k.comment_id, k.category_key, k.memo, k.unsure, k.exemplar, "
            "group_concat(ct.theme_key, ' ') AS themes "
            "FROM codings k LEFT JOIN coding_themes ct ON ct.coding_id = k.id "
            "WHERE k.coder_id = ? GROUP BY k.id",
            [coder_id],
        )
        order = {t["key"]: t["position"] for t in self.themes(include_retired=True)}
        for row in rows:
            # group_concat has no defined order: put themes in codebook order.
            row["themes"] = sorted(row["themes"].split(), key=order.__getitem__) if row["themes"] else []
        return {row.pop("comment_id"): row for row in rows}

    def save_coding(self, coder_id: int, comment_id: int, category_key: str | None,
                    themes: list[str], memo: str, unsure: bool, exemplar: bool) -> None:
        """Insert or replace one coder's coding of one comment (inside a transaction)."""
        conn = self.conn
        coding_id = conn.execute(
            "INSERT INTO codings (comment_id, coder_id, category_key, memo, unsure, exemplar, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id, coder_id) DO UPDATE "
            "SET category_key = excluded.category_key, memo = excluded.memo, "
            "unsure = excluded.unsure, exemplar = excluded.exemplar, updated_at = excluded.updated_at "
            "RETURNING id",
            [comment_id, coder_id, category_key, memo, int(unsure), int(exemplar), now()],
        ).fetchone()[0]
        conn.execute("DELETE FROM coding_themes WHERE coding_id = ?", [coding_id])
        conn.executemany(
            "INSERT INTO coding_themes (coding_id, theme_key) VALUES (?, ?)",
            [(coding_id, key) for key in themes],
        )

    def delete_coding(self, coder_id: int, comment_id: int) -> None:
        self.conn.execute(
            "DELETE FROM codings WHERE coder_id = ? AND comment_id = ?", [coder_id, comment_id]
        )

    # -- reconciliation ----------------------------------------------------------

    def reconciliations(self) -> dict[int, dict]:
        rows = self._dicts("SELECT * FROM reconciliations")
        return {row.pop("comment_id"): row for row in rows}

    def save_reconciliation(self, comment_id: int, status: str, rationale: str, coders: list[str],
                            decided_by: str) -> None:
        self.conn.execute(
            "INSERT INTO reconciliations (comment_id, status, rationale, coders, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id) DO UPDATE SET status = excluded.status, "
            "rationale = excluded.rationale, coders = excluded.coders, decided_by = excluded.decided_by, "
            "decided_at = excluded.decided_at",
            [comment_id, status, rationale, json.dumps(coders), decided_by, now()],
        )

    # -- agreement rounds ----------------------------------------------------------

    def rounds(self) -> list[dict]:
        rows = self._dicts("SELECT * FROM agreement_rounds ORDER BY number")
        for row in rows:
            row["coders"] = json.loads(row["coders"])
            row["report"] = json.loads(row["report"])
        return rows

    def add_round(self, label: str, coders: list[str], codebook_sha256: str, fingerprint: str,
                  report: dict, created_by: str) -> int:
        number = self.conn.execute("SELECT coalesce(max(number), 0) + 1 FROM agreement_rounds").fetchone()[0]
        self.conn.execute(
            "INSERT INTO agreement_rounds (number, label, coders, codebook_sha256, fingerprint, report, "
            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [number, label, json.dumps(coders), codebook_sha256, fingerprint,
             json.dumps(report, ensure_ascii=False, sort_keys=True), created_by, now()],
        )
        return number

    def coding_table(self, coder_id: int | None) -> tuple[list[str], list[tuple]]:
        """Every codable comment in transcript order with one coder's coding, as column names
        and row tuples (None category: not coded; themes a tuple of keys in codebook order).
        The rows report tables and agreement statistics are computed from; tuples, not dicts,
        because a large project has 100,000 of them."""
        # One query per transcript, in reading order, each off the comments_codable index:
        # a single ORDER BY over every comment sorted 100,000 rows with their text.
        sql = (
            "SELECT c.id, c.ref, g.code AS group_code, g.name AS group_name, g.kind AS group_kind, "
            "g.position AS group_position, coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, "
            "c.text, k.category_key AS category, coalesce(k.exemplar, 0) AS exemplar, "
            "(SELECT group_concat(ct.theme_key, ' ') FROM coding_themes ct WHERE ct.coding_id = k.id) AS themes "
            "FROM comments c JOIN focus_groups g ON g.id = c.group_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id "
            "LEFT JOIN codings k ON k.comment_id = c.id AND k.coder_id = ? "
            "WHERE c.excluded = 0 AND c.group_id = ? AND c.transcript_id = ? ORDER BY c.position"
        )
        rows, names = [], None
        for group_id, transcript_id in self.transcript_order():
            cursor = self.conn.execute(sql, [coder_id, group_id, transcript_id])
            names = names or [d[0] for d in cursor.description]
            rows += cursor.fetchall()
        if names is None:  # no transcripts: the columns all the same
            names = [d[0] for d in self.conn.execute(sql, [coder_id, 0, 0]).description]
        order = {t["key"]: t["position"] for t in self.themes(include_retired=True)}
        last = len(names) - 1
        out = []
        for row in rows:
            themes = row[last]
            if themes:
                keys = themes.split()
                # group_concat has no defined order: put themes in codebook order.
                themes = tuple(sorted(keys, key=order.__getitem__)) if len(keys) > 1 else (keys[0],)
            else:
                themes = ()
            out.append((*row[:-2], bool(row[-2]), themes))
        return names, out

    def coded_comments(self, coder_id: int | None) -> list[dict]:
        """:meth:`coding_table` as dicts."""
        names, rows = self.coding_table(coder_id)
        return [dict(zip(names, row)) for row in rows]

    # -- report runs -------------------------------------------------------------

    def add_report_run(self, actor: str, tables: list[str], parameters: dict, fingerprint: str,
                       codebook_sha256: str, results: list, outputs: list[str]) -> int:
        return self.conn.execute(
            "INSERT INTO report_runs (at, actor, tables, parameters, fingerprint, codebook_sha256, "
            "results, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [now(), actor, json.dumps(tables), json.dumps(parameters, sort_keys=True), fingerprint,
             codebook_sha256, json.dumps(results, ensure_ascii=False), json.dumps(outputs)],
        ).lastrowid

    def report_runs(self) -> list[dict]:
        rows = self._dicts("SELECT * FROM report_runs ORDER BY id")
        for row in rows:
            for key in ("tables", "parameters", "results", "outputs"):
                row[key] = json.loads(row[key])
        return rows

    def codings_on_comments(self, comment_ids: list[int]) -> int:
        """How many codings (any coder) the given comments carry."""
        marks = ",".join("?" * len(comment_ids))
        return self.conn.execute(
            f"SELECT count(*) FROM codings WHERE comment_id IN ({marks})", comment_ids
        ).fetchone()[0]

    # -- helpers -----------------------------------------------------------------

    def _dicts(self, sql: str, params: list | tuple = ()) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


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


def remove_project(path: str | Path) -> None:
    """Delete a project file and its WAL side files (used to rebuild the demo)."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
