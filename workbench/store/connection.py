"""Opening a project file: pragmas, one connection per thread, transactions, closing.

Design notes (see docs/architecture.md):

* WAL journal, foreign keys on, ``synchronous=FULL`` so that a committed coding
  survives a crash, and ``BEGIN IMMEDIATE`` with a bounded, reported wait
  (:mod:`.waiting`) so two analysts' processes can write to one file at once.
* One connection per thread (SQLite connections must not cross threads); the store keeps
  them all, so :meth:`Connection.close` (and :func:`close_all`, at exit and on a signal)
  checkpoints and truncates the WAL and closes every one: the project file alone then
  holds everything.
* Nothing is written to a file before it is known to be a Workbench project with its own
  ``-wal`` (:mod:`.opening`); every write first checks that the path still names the file
  that was opened (:mod:`.identity`, :mod:`.lost`); SQLite's errors about the file are
  raised as messages naming the cause (:mod:`.faults`).

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
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from workbench.errors import FileLost, ProjectError, StoreFault
from workbench.store import faults, holders, opening, registry, waiting
from workbench.store.identity import FileIdentity, what_happened, write_stamp
from workbench.store.schema import APPLICATION_ID, migrate
from workbench.store.values import first_int

if TYPE_CHECKING:
    import sqlite_utils

    from workbench.store import Store


def _import_sqlite_utils() -> ModuleType:
    """Import sqlite-utils without the pandas and numpy it imports when installed.

    It imports them at module load only to map their scalar types to column
    types, which the project never inserts; that costs ~0.4 s on every start of
    the CLI and the app. Blocking them for the duration of this one import makes
    sqlite-utils take its "not installed" path; they import normally afterwards.
    """
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        # makes `import name` raise ImportError (documented; typeshed allows no None)
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]
    return sqlite_utils


def now() -> str:
    """UTC time as ISO 8601 with milliseconds, the format of every stored timestamp."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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


def _close_quietly(connections: weakref.WeakSet[Any]) -> None:
    for conn in list(connections):
        with contextlib.suppress(sqlite3.Error):
            conn.close()


class _Tracked(sqlite3.Connection):
    """A connection the store can hold weakly: a thread's connection closes when the thread
    ends (its thread-local goes), and :meth:`Connection.close` closes those still open."""


class Connection:
    """One project file's connections and transactions: the base of :class:`Store`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()
        self._connections: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
        # A store dropped without close() closes its connections then: a connection is kept
        # alive by a reference cycle (its statement cache) until the garbage collector runs,
        # and an open one keeps the -wal beside the file.
        # At exit, registry.close_all() closes it, checkpointing first.
        weakref.finalize(self, _close_quietly, self._connections).atexit = False
        self._guard = threading.Lock()
        self._savepoints = 0
        #: The file's identity when it was opened; every write checks the path still has it.
        self.identity: FileIdentity | None = None
        self._wal: FileIdentity | None = None
        self._stamping = False
        #: Set once the file was moved, replaced or deleted: every later write raises it.
        self.lost: FileLost | None = None
        self.unfinished: str | None = None  # why close() left changes in the -wal, and where
        #: What the user should be told about the opening (a stale ``-wal`` set aside).
        self.notices: list[str] = []
        self._checked = (0, "")  # the audit log's last id and the time at the last check

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> Store:
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path}: a file already exists here; choose another project path")
        if not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        store = cast("Store", cls(path))  # (Connection is the base of Store, never used alone)
        store.notices = opening.check_side_files(path).notices
        try:
            migrate(store)
            from workbench import __version__

            with store.transaction():
                store.conn.execute(
                    "INSERT INTO project (id, name, created_at, created_with) VALUES (1, ?, ?, ?)",
                    [name or path.stem, now(), __version__],
                )
            store._ready()
        except sqlite3.Error as exc:
            raise faults.fault(exc, path) or exc from exc
        return store

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open a project, checked before anything is written to it (``store.opening``): a
        Workbench file, its ``-wal`` its own, and ``quick_check`` after an unclean shutdown."""
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"{path}: no project here; create one with `workbench init {path}`")
        if not registry.open_here(path):  # else checked when this process opened it
            opening.check_file(path, APPLICATION_ID)
        checked = opening.check_side_files(path)
        store = cast("Store", cls(path))
        store.identity = FileIdentity.of(path)
        store.notices = checked.notices
        try:
            if checked.unclean:
                store.quick_check()
            migrate(store)
            store._ready()
        except sqlite3.Error as exc:
            store.close(checkpoint=False)
            raise faults.fault(exc, path) or exc from exc
        return store

    def quick_check(self) -> None:
        """``PRAGMA quick_check``; a damaged file is refused with the way back (a backup)."""
        said = faults.quick_check(self.conn)
        if said != "ok":
            self.close(checkpoint=False)
            raise StoreFault(faults.damaged(self.path, said, checked=True))

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use (never onto another file than the
        one opened: a lost file raises :class:`FileLost`)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
        return conn

    def _connect(self) -> sqlite3.Connection:
        if self.lost is not None:
            raise self.lost
        if self.identity is not None and FileIdentity.of(self.path) != self.identity:
            if not self._connections:
                self._lose()  # nothing was read here: nothing to save
            # The rescue is read through a thread's own connection: this thread has none, so
            # the next check or write of a thread that has one saves it (the app's, within 2 s).
            raise FileLost(
                f"{self.path} was {what_happened(self.path, self.identity)} while "
                "Workbench had it open; nothing is written to it from here."
            )
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=waiting.SLICE_MS / 1000,
                check_same_thread=False,
                factory=_Tracked,
            )
            # Autocommit at the driver level: transactions are only the explicit
            # BEGIN IMMEDIATE of transaction(), never an implicit deferred one.
            conn.isolation_level = None
            conn.execute(f"PRAGMA busy_timeout = {waiting.SLICE_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise faults.fault(exc, self.path) or exc from exc
        if self.identity is None:  # a new file: created by this connection
            self.identity = FileIdentity.of(self.path)
        with self._guard:
            self._connections.add(conn)
        self._local.conn = conn
        registry.add(self)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils' view of this thread's connection: tables, rows, schema, for
        scripts and notebooks over a project. Imported on first use, because importing
        sqlite-utils costs ~55 ms that the app's start-up does not need."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None or db.conn is not self.conn:
            db = _import_sqlite_utils().Database(self.conn, execute_plugins=False)
            self._local.db = db
        return db

    def close(self, checkpoint: bool = True) -> None:
        """Close every connection of this store (all threads). First the WAL is checkpointed
        and truncated, so the project file alone holds everything; never for a lost file,
        whose ``-wal`` may by now serve another file."""
        with self._guard:
            conns = list(self._connections)
            self._connections.clear()
            mine = getattr(self._local, "conn", None)
            self._local = threading.local()
        if (
            conns
            and checkpoint
            and self.lost is None
            and FileIdentity.of(self.path) == self.identity
        ):
            try:
                (mine or conns[0]).execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:  # a full disk: said by whoever closes (the app's CLI)
                from workbench.store.closing import unfinished

                self.unfinished = unfinished(self.path, mine or conns[0], exc)
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        registry.discard(self)

    def checkpoint(self) -> None:
        """Move every committed change from the ``-wal`` into the project file and empty the
        ``-wal`` (as at close), e.g. when the process is told to end."""
        if self.lost is None and self._connections and self.file_unchanged():
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- the file's identity -----------------------------------------------------

    def file_unchanged(self) -> bool:
        """Whether the path still names the file that was opened (device and inode)."""
        return FileIdentity.of(self.path) == self.identity

    def check_file(self) -> None:
        """Raise :class:`FileLost` (after saving a rescue file) if the project file was moved,
        replaced or deleted since it was opened; else note the time and the audit log's
        position, so a rescue can say what changed since. The app calls this every few seconds."""
        if self.lost is not None:
            raise self.lost
        if not self.file_unchanged():
            self._lose()
        with contextlib.suppress(sqlite3.Error):
            row = self.conn.execute("SELECT max(id) FROM audit_log").fetchone()
            self._checked = (row[0] or 0, now())

    def _lose(self) -> None:
        """The file is gone from its path: stop writing, save what this process can read, and
        raise :class:`FileLost` naming where it went."""
        from workbench.store import lost

        self.lost = lost.lose(self, self._checked)
        raise self.lost

    # -- transactions ------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, all or nothing; yields this thread's connection.

        The file's identity is checked first (a moved or replaced file raises
        :class:`FileLost`). ``BEGIN IMMEDIATE`` takes the write lock up front: a deferred
        transaction that later needs it can fail with "database is locked" without waiting;
        while another process writes, it waits as :mod:`.waiting` says. A transaction that
        changed something writes the file's stamp (``store.identity``) before it commits.
        SQLite's errors about the file are raised as :class:`StoreFault` naming the cause,
        never masked by a failing rollback. A nested call is a savepoint.
        """
        conn = self.conn
        if conn.in_transaction:
            yield from self._savepoint(conn)
            return
        if not self.file_unchanged():
            self._lose()
        waiting.begin(conn, self.path)
        changes, lost = conn.total_changes, False
        try:
            yield conn
            if conn.total_changes != changes and self._stamping:
                if not self.file_unchanged() or self.identity is None:
                    lost = True
                    raise ProjectError(f"{self.path}: the file was moved away during this change")
                self._wal = self._wal or FileIdentity.of(holders.side(self.path, "wal"))
                write_stamp(conn, self.identity, self._wal, default_actor(), now())
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the original error is what matters
                    conn.execute("ROLLBACK")
            if lost:
                self._lose()
            mapped = faults.fault(exc, self.path)
            if mapped is not None:
                raise mapped from exc
            raise

    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        self._savepoints += 1
        name = f"wb_{self._savepoints}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled everything back (a full disk)
                with contextlib.suppress(sqlite3.Error):
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")

    # -- schema ------------------------------------------------------------------

    def schema_version(self) -> int:
        return first_int(self.conn, "PRAGMA user_version")

    def integrity_check(self) -> str:
        said: str = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        return said

    def _ready(self) -> None:
        """After migrating: stamp writes from now on (the file has the stamp, migration 10),
        and count the changes a rescue would report from here."""
        self._stamping = (
            self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'file_stamp'").fetchone()
            is not None
        )
        self.check_file()

    # -- helpers -----------------------------------------------------------------

    def _dicts(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def remove_project(path: str | Path) -> None:
    """Delete a project file and its WAL side files (used to rebuild the demo)."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
