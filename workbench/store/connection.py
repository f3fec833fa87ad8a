"""Opening a project file: pragmas, one connection per thread, transactions.

Design notes (see docs/architecture.md):

* WAL journal, foreign keys on, ``synchronous=FULL`` so that a committed coding
  survives a crash, and a busy timeout plus ``BEGIN IMMEDIATE`` with retry so two
  analysts' processes can write to one file at once.
* One connection per thread (SQLite connections must not cross threads).

:class:`Connection` is the base of every statement mixin (see :class:`Store`); it
runs no statements of its own beyond the pragmas and the ``project`` row of a new file.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from workbench.errors import ProjectError
from workbench.store.schema import APPLICATION_ID, migrate

if TYPE_CHECKING:
    import sqlite_utils

    from workbench.store import Store


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


BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    """UTC time as ISO 8601 with milliseconds, the format of every stored timestamp."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_acting_as: str | None = None


def act_as(name: str | None) -> None:
    """Make ``name`` the ``who`` of every audit row this process writes without an explicit
    actor: the team server starts each browser session's app with the signed-in user here
    (``workbench.server.command``), so the audit trail names them, not the server's account."""
    global _acting_as
    _acting_as = name


def default_actor() -> str:
    if _acting_as:
        return _acting_as
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


class Connection:
    """One project file's connections and transactions: the base of :class:`Store`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> Store:
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path}: a file already exists here; choose another project path")
        if not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        store = cls(path)
        migrate(store)
        from workbench import __version__

        with store.transaction():
            store.conn.execute(
                "INSERT INTO project (id, name, created_at, created_with) VALUES (1, ?, ?, ?)",
                [name or path.stem, now(), __version__],
            )
        return store

    @classmethod
    def open(cls, path: str | Path) -> Store:
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
        migrate(store)
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

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    # -- helpers -----------------------------------------------------------------

    def _dicts(self, sql: str, params: list | tuple = ()) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def remove_project(path: str | Path) -> None:
    """Delete a project file and its WAL side files (used to rebuild the demo)."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
