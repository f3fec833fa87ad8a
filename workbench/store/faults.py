"""SQLite's errors about the project file's surroundings, as messages that name the cause.

SQLite reports a read-only folder, a full disk or a damaged file with a terse code ("attempt
to write a readonly database", "disk I/O error"); :func:`fault` turns the error codes that
concern the file's environment into a :class:`~workbench.errors.StoreFault` that says what
happened, that nothing of the change was written, and what to do. Errors in what was asked
(a constraint, a syntax error in a migration) are not faults of the file and are left as
they are. The causes are looked up where SQLite does not say them: the file's and the
folder's permissions, a read-only mount, the free space, the process's file size limit.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workbench.errors import ProjectLocked, StoreFault

BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB, PERM = (
    5,
    6,
    8,
    10,
    11,
    13,
    14,
    26,
    3,
)
NOT_SAVED = "nothing of this change was saved"
# SQLite's messages, for errors raised without a code (older Pythons, some PRAGMAs).
BY_MESSAGE = {
    "database is locked": BUSY,
    "database table is locked": LOCKED,
    "attempt to write a readonly database": READONLY,
    "disk i/o error": IOERR,
    "database disk image is malformed": CORRUPT,
    "database or disk is full": FULL,
    "unable to open database file": CANTOPEN,
    "file is not a database": NOTADB,
}


def code_of(exc: BaseException) -> int | None:
    """SQLite's primary result code of ``exc`` (None if it is not an SQLite error)."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code: int | None = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    return BY_MESSAGE.get(str(exc).lower())


def is_busy(exc: BaseException) -> bool:
    return code_of(exc) in (BUSY, LOCKED) or (
        isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))
    )


def fault(
    exc: BaseException, path: str | os.PathLike[str], who: str | None = None
) -> StoreFault | None:
    """The message for an SQLite error about the file at ``path``; None for any other error."""
    code = code_of(exc)
    path = Path(path)
    said = str(exc)
    if code in (BUSY, LOCKED):
        return ProjectLocked(
            f"{path}: {who or 'another process'} is writing to the project; "
            f"{NOT_SAVED}. Try again in a moment."
        )
    if code == READONLY:
        return StoreFault(read_only(path))
    if code == FULL:
        return StoreFault(full(path))
    if code == IOERR:
        return StoreFault(
            full(path)
            if disk_full(path)
            else file_limit(path)
            or f"{path}: the disk reported an error while Workbench was using the project "
            f"({said}); {NOT_SAVED}. Check the disk or network drive and its connection, "
            f"then try again; if it happens again, copy the project to another disk "
            f"(`workbench backup {path} --out COPY`)."
        )
    if code in (CORRUPT, NOTADB):
        return StoreFault(damaged(path, said))
    if code in (CANTOPEN, PERM):
        folder = path.parent
        if not os.access(folder, os.R_OK | os.X_OK):
            return StoreFault(
                f"{path}: the folder {folder} cannot be read (its permissions); "
                f"{NOT_SAVED}. Ask its owner for access, or copy the project elsewhere."
            )
        return StoreFault(
            read_only(path)
            if _folder_read_only(path)
            else f"{path}: the project file cannot be opened ({said}); {NOT_SAVED}. "
            f"Check that the file and its folder exist and that you may read and write them."
        )
    return None


def quick_check(conn: sqlite3.Connection) -> str:
    """What ``PRAGMA quick_check`` says ("ok", or its first findings on one line); a file too
    damaged to check at all says SQLite's error."""
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    return "; ".join(" ".join(row.split()) for row in rows)


def read_only(path: Path) -> str:
    folder = path.parent
    if _mounted_read_only(folder):
        return (
            f"{path}: the disk holding the project is read-only (mounted read-only); {NOT_SAVED}. "
            "Copy the project to a disk you can write to and open the copy."
        )
    if path.exists() and not os.access(path, os.W_OK):
        return (
            f"{path}: the project file is read-only (its permissions); {NOT_SAVED}. "
            f"Make it writable (chmod u+w {path}), or copy it and open the copy."
        )
    if _folder_read_only(path):
        return (
            f"{path}: the folder {folder} is read-only, and SQLite must create {path.name}-wal and "
            f"{path.name}-shm beside the project to use it; nothing was changed. Make the folder "
            "writable, or move the project to a folder you can write to."
        )
    return (
        f"{path}: the project file cannot be written (SQLite: attempt to write a readonly "
        f"database); {NOT_SAVED}. Check that you may write to the file and its folder."
    )


def full(path: Path) -> str:
    return (
        f"{path}: the disk holding the project is full; {NOT_SAVED}. "
        "Free some space on it, then do it again."
    )


def damaged(path: Path, said: str, checked: bool = False) -> str:
    """The message for a damaged project file (``checked``: found by ``quick_check`` at open,
    after the last session did not close)."""
    hint = newest_backup(path)
    where = (
        f"`workbench restore {hint} {path}` puts back the newest backup"
        if hint
        else f"`workbench restore BACKUP {path}` puts back a backup"
    )
    found = (
        f"the last session did not close, and SQLite's check finds the project file damaged "
        f"({said})"
        if checked
        else f"the project file is damaged (SQLite: {said})"
    )
    return (
        f"{path}: {found}; nothing was changed. {where} (your current file is kept as a "
        "copy first)."
    )


def newest_backup(path: Path) -> Path | None:
    """The newest automatic backup beside ``path`` (by the time in its name), if any."""
    folder = path.with_name(path.name + ".backups")
    try:
        found = sorted(folder.glob(f"{path.stem}-*"))
    except OSError:
        return None
    found = [p for p in found if not p.name.endswith(("-wal", "-shm"))]
    return found[-1] if found else None


def disk_full(path: Path) -> bool:
    try:
        info = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024


def file_limit(path: Path) -> str | None:
    """The message for a write beyond the process's file size limit (``ulimit -f``), if the
    project or its WAL has reached it."""
    sizes = [p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()]
    soft = size_limit(max(sizes, default=0) + 64 * 1024)
    if soft is None:
        return None
    return (
        f"{path}: this process may not write files larger than {soft:,} bytes (its file size "
        f"limit, `ulimit -f`), and the project has reached it; {NOT_SAVED}. Raise the limit, "
        "then do it again."
    )


def size_limit(needed: int) -> int | None:
    """The process's file size limit (``ulimit -f``) in bytes, if a file of ``needed`` bytes
    would reach it."""
    try:
        import resource
    except ImportError:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft if soft != resource.RLIM_INFINITY and needed >= soft else None


def _folder_read_only(path: Path) -> bool:
    return not os.access(path.parent, os.W_OK) or _mounted_read_only(path.parent)


def _mounted_read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False
