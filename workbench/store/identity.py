"""The project file's identity, the stamp each write leaves in it, and the rescue file.

* A file's identity is its device and inode (:class:`FileIdentity`). The store remembers it
  at open and compares it before every write transaction (and the app every few seconds):
  a file moved, replaced or deleted under a running process has another identity at its
  path, or none.
* Every write transaction that changed something also writes the ``file_stamp`` row
  (migration 10): the identity of the file and of the ``-wal`` file it was written through,
  with who and when. SQLite finds a ``-wal`` file by name, so a ``-wal`` left beside a path
  where another file now lies would be replayed onto that file; its last stamp shows whose
  it is (``workbench.store.opening``).
* When the file is lost, what the process can still read through its open connection (the
  old file's data and WAL, whatever happened to its name) is saved to a rescue file that
  the message names (:func:`rescue`).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileIdentity | None:
        """The identity of the file at ``path`` now; None if there is none."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(info.st_dev, info.st_ino)


@dataclass(frozen=True)
class Stamp:
    """The last write's stamp: which file and ``-wal`` it went to, by whom and when."""

    file: FileIdentity | None
    wal: FileIdentity | None
    pid: int | None
    host: str | None
    who: str | None
    at: str | None


def read_stamp(conn: sqlite3.Connection) -> Stamp | None:
    """The stamp as ``conn`` sees it (None before migration 10 or before any write)."""
    try:
        row = conn.execute(
            "SELECT device, inode, wal_device, wal_inode, pid, host, who, at "
            "FROM file_stamp WHERE id = 1"
        ).fetchone()
    except sqlite3.OperationalError:  # no such table: an older file
        return None
    if row is None or row[0] is None:
        return None
    wal = FileIdentity(row[2], row[3]) if row[2] is not None else None
    return Stamp(FileIdentity(row[0], row[1]), wal, row[4], row[5], row[6], row[7])


def write_stamp(
    conn: sqlite3.Connection, file: FileIdentity, wal: FileIdentity | None, who: str, at: str
) -> None:
    conn.execute(
        "UPDATE file_stamp SET device = ?, inode = ?, wal_device = ?, wal_inode = ?, pid = ?, "
        "host = ?, who = ?, at = ? WHERE id = 1",
        [
            file.device,
            file.inode,
            wal.device if wal else None,
            wal.inode if wal else None,
            os.getpid(),
            _host(),
            who,
            at,
        ],
    )


def _host() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return ""


def what_happened(path: Path, identity: FileIdentity | None) -> str:
    """How the file at ``path`` stopped being the one with ``identity``: "deleted", "replaced
    by another file", or "moved to NEW" where the system shows where it went."""
    if not path.exists():
        moved = _moved_to(identity)
        return f"moved to {moved}" if moved else "deleted (or moved away)"
    moved = _moved_to(identity)
    return (
        f"replaced by another file (the one Workbench had open is now {moved})"
        if moved
        else "replaced by another file"
    )


def _moved_to(identity: FileIdentity | None) -> str | None:
    """Where this process's open descriptor of the old file now points (Linux), if it still
    has a name."""
    if identity is None:  # never seen (the file was gone when it was opened): no descriptor
        return None
    folder = Path("/proc/self/fd")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return None
    for entry in entries:
        try:
            if FileIdentity.of(entry) == identity:
                target = os.readlink(entry)
                return None if target.endswith(" (deleted)") else target
        except OSError:
            continue
    return None


def rescue_path(path: Path, skip: tuple[Path, ...] = ()) -> Path:
    """Where the rescue file of ``path`` goes: beside it if that folder can be written, else
    the user's state folder, else the temporary folder (``skip``: folders where it failed)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{path.stem}.rescued-{stamp}-{os.getpid()}{path.suffix or '.db'}"
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    for folder in (path.parent, state / "workbench" / "rescued", Path(tempfile.gettempdir())):
        if folder in skip:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK) and not (folder / name).exists():
                return folder / name
        except OSError:
            continue
    return Path(tempfile.gettempdir()) / name


def rescue(conn: sqlite3.Connection, path: Path) -> tuple[Path, str]:
    """Copy everything ``conn`` can read (SQLite's online backup) to a new rescue file for
    ``path``, and check the copy (``quick_check``). Returns the file and the check's result
    ("ok"); a copy that fails its check is kept all the same: it may be all there is. A copy
    that cannot be written (the disk beside the project is full) is removed and made in the
    next folder of :func:`rescue_path`."""
    tried: tuple[Path, ...] = ()
    while True:
        dest = rescue_path(path, tried)
        target = sqlite3.connect(dest)
        try:
            conn.backup(target)
            result = target.execute("PRAGMA quick_check").fetchone()[0]
        except (sqlite3.Error, OSError):
            target.close()
            dest.unlink(missing_ok=True)
            tried += (dest.parent,)
            if dest.parent == Path(tempfile.gettempdir()):
                raise
            continue
        finally:
            target.close()
        return dest, result
