"""A project file moved, replaced or deleted while a process had it open.

The process's connections still read the file it opened, whatever happened to its name
(an open descriptor outlives a rename and a delete). So when the store notices (before a
write, or the app's check every few seconds), :func:`lose`:

1. saves everything the process can read to a rescue file (``identity.rescue``), whose
   name the message gives, with the number of changes since the last check;
2. moves what only the ``-wal`` held into the old file, when the ``-wal``'s last write was
   this file's (so a file that was moved is complete where it went), and never again:
   from then on the ``-wal`` at the path may serve the new file;
3. marks the store lost: every later write, and every new thread's connection, raises
   :class:`~workbench.errors.FileLost`, so nothing is written to the wrong file.

The rescue is read through the noticing thread's own connection (a connection is never used
from two threads at once); a thread without one is refused, and the next check or write of
one that has a connection saves it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from workbench.errors import FileLost
from workbench.store import identity as files

if TYPE_CHECKING:
    from workbench.store.connection import Connection


def lose(store: Connection, checked: tuple[int, str]) -> FileLost:
    """Stop ``store`` writing and save what it can read; the error to raise."""
    path = store.path
    what = files.what_happened(path, store.identity)
    conn = getattr(store._local, "conn", None)  # this thread's: a connection is not shared
    if conn is None:  # no connection open (the store's callers make sure): nothing to save
        return FileLost(
            f"{path} was {what} while Workbench had it open; nothing was written to it since. "
            "Open the project again where it is now."
        )
    last_id, when = checked
    try:
        changes = conn.execute("SELECT count(*) FROM audit_log WHERE id > ?", [last_id]).fetchone()[
            0
        ]
    except sqlite3.Error:
        changes = None
    try:
        rescue, result = files.rescue(conn, path)
    except (sqlite3.Error, OSError) as exc:
        rescue, saved = (
            None,
            (
                f"Saving what this session could read failed ({exc}); keep this window "
                "open and copy what you need from it."
            ),
        )
    else:
        damage = "" if result == "ok" else f" (it fails SQLite's check: {result})"
        since = f"{when[11:19]} UTC" if when else "it was opened"
        count = f", including the {changes} change(s) since {since}," if changes else ""
        saved = (
            f"Everything this session could read{count} is saved in {rescue}{damage}: open that "
            f"file to check it, or put it back with `workbench restore {rescue} {path}`."
        )
    _checkpoint_old_file(store, conn)
    return FileLost(
        f"{path} was {what} while Workbench had it open; Workbench has stopped writing "
        f"to it, so nothing goes to the wrong file. {saved}",
        rescue,
    )


def _checkpoint_old_file(store: Connection, conn: sqlite3.Connection) -> None:
    """Copy the ``-wal``'s changes into the old file (through this connection's descriptor),
    only while the ``-wal``'s last write is the old file's own."""
    with contextlib.suppress(sqlite3.Error):
        stamp = files.read_stamp(conn)
        if stamp is None or stamp.file == store.identity:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
