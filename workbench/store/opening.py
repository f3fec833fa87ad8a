"""What is checked before a project file is opened for writing, without writing anything.

1. The file is a Workbench project: not empty, SQLite's header, and Workbench's
   ``application_id``, read from the file's first bytes (or, for a new project whose header
   is still only in its ``-wal``, through a read-only connection, which never checkpoints).
   So another program's database is never switched to WAL mode, and an empty file never
   becomes a database.
2. The ``-wal`` and ``-shm`` beside it are the file's own. A ``-wal`` whose last stamp names
   another file written through this very ``-wal`` (the project was moved, replaced or
   deleted while a process wrote to it) is never applied: it is set aside under a new name,
   and the user told; while a process still holds it, opening is refused.
3. Whether the last session ended uncleanly: a ``-wal`` that no process holds is left by one
   that did not close (killed, crashed, lost power). The caller then runs ``quick_check``.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import ProjectError, StoreFault
from workbench.store import holders
from workbench.store.identity import FileIdentity, Stamp, read_stamp
from workbench.store.values import first_int

MAGIC = b"SQLite format 3\x00"
WAL_HEADER = 32  # a -wal of this size or less holds no frames


@dataclass
class Opening:
    """The result of the checks: whether the last session ended uncleanly, and what the
    user should be told (a stale ``-wal`` set aside)."""

    unclean: bool = False
    notices: list[str] = field(default_factory=list)


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that can neither write nor checkpoint (a ``-wal`` stays unapplied)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    conn.isolation_level = None
    return conn


def check_file(path: Path, application_id: int) -> None:
    """Refuse anything but a Workbench project, reading without writing. Never call this on a
    file this process has open through SQLite: closing any descriptor of a file drops all of
    the process's POSIX locks on it, SQLite's included."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except PermissionError:
        raise ProjectError(
            f"{path}: the project file cannot be read (its permissions); ask its "
            "owner for access, or open a copy you may read"
        ) from None
    except IsADirectoryError:
        raise ProjectError(f"{path}: a folder, not a Workbench project") from None
    if not header:
        raise ProjectError(
            f"{path}: an empty file (0 bytes), not a Workbench project; Workbench "
            f"leaves it as it is. Create a project with `workbench init` at another path"
        )
    if not header.startswith(MAGIC) or len(header) < 100:
        raise ProjectError(f"{path}: not a Workbench project (not an SQLite database)")
    found = int.from_bytes(header[68:72], "big")
    if found == 0 and _frames(path):
        found = _through_sqlite(path)
    if found != application_id:
        raise ProjectError(
            f"{path}: an SQLite database, but not a Workbench project; Workbench leaves it as it is"
        )


def _through_sqlite(path: Path) -> int:
    try:
        conn = read_only(path)
        try:
            return first_int(conn, "PRAGMA application_id")
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _frames(path: Path) -> bool:
    try:
        return os.path.getsize(holders.side(path, "wal")) > WAL_HEADER
    except OSError:
        return False


def check_side_files(path: Path) -> Opening:
    """Check the ``-wal``/``-shm`` beside ``path`` (which may not exist yet: a new project); set
    stale ones aside. Refuses (:class:`StoreFault`) while a process still holds stale ones: it
    would share their index with this file."""
    wal, shm = holders.side(path, "wal"), holders.side(path, "shm")
    opening = Opening()
    if not wal.exists() and not shm.exists():
        return opening
    others = holders.openers(path)
    held = holders.open_here(path) or others is None or bool(others)
    exists, frames = path.exists(), _frames(path)
    stamp = _stamp(path) if exists and frames else None
    if exists and not _stale(path, stamp):
        opening.unclean = not held and wal.exists()
        return opening
    # Side files of another file: written for a file that was at this path, or with no file.
    if held:
        who = holders.describe(min(others)) if others else "another process"
        raise StoreFault(
            f"{path}: {who} still has {wal.name} and {shm.name} open for another file that was "
            "at this path (moved, replaced or deleted); Workbench will not mix that file's "
            "changes into this one. Close that process, then try again"
        )
    if frames:
        opening.notices.append(set_aside(path, stamp))
    else:
        wal.unlink(missing_ok=True)
        shm.unlink(missing_ok=True)
    opening.unclean = exists
    return opening


def _stamp(path: Path) -> Stamp | None:
    try:
        conn = read_only(path)
    except sqlite3.Error:
        return None
    try:
        return read_stamp(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _stale(path: Path, stamp: Stamp | None) -> bool:
    """Whether the ``-wal`` was written for another file: its last stamp names another file,
    written through this same ``-wal`` (a ``-wal`` copied together with its file is the file's)."""
    if stamp is None or stamp.file == FileIdentity.of(path):
        return False
    return stamp.wal is not None and stamp.wal == FileIdentity.of(holders.side(path, "wal"))


def set_aside(path: Path, stamp: Stamp | None) -> str:
    """Rename a stale ``-wal`` out of SQLite's way (kept: it holds someone's changes) and
    remove its ``-shm`` (an index of it); the notice for the user."""
    wal, shm = holders.side(path, "wal"), holders.side(path, "shm")
    when = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = wal.with_name(f"{wal.name}.stale-{when}")
    wal.rename(kept)
    shm.unlink(missing_ok=True)
    by = f" by {stamp.who} at {stamp.at}" if stamp and stamp.who else ""
    return (
        f"{path}: {wal.name} beside it held changes{by} to another file that was at this path "
        f"(moved, replaced or deleted while open); Workbench did not apply them to this file "
        f"and kept them aside as {kept.name}"
    )
