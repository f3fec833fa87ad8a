"""Backups of a project file: a consistent copy while others code, and one before every
destructive command, each checked before it is kept.

SQLite's online backup API copies the database page by page under its own locks, so a
backup taken while two analysts are coding is a consistent snapshot (a file copy of a
WAL database may not be). The copy is written to a temporary file beside its destination,
checked with ``PRAGMA quick_check``, and only then given its name: a damaged project gives
a copy that fails its check, which is refused and deleted, and a copy that fails half-way
(a full disk) leaves nothing behind. Every backup is recorded in the project (``backups``,
migration 10) with what its check said. Automatic backups go to ``<project>.backups/``,
named by time and reason; the newest ``KEEP`` are kept, and never is the newest one that
passed its check pruned.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import ProjectError, StoreFault
from workbench.store import faults, waiting
from workbench.store.connection import Connection, default_actor, now

KEEP = 10
RECORD_WAIT = 0.5  # seconds a backup waits to record itself in the project


@dataclass(frozen=True)
class BackupRecord:
    """One backup as recorded: where, why, when, by whom, its size and its check."""

    id: int
    path: str
    reason: str
    made_at: str
    who: str
    size: int | None
    check_result: str
    kept: bool

    @property
    def passed(self) -> bool:
        return self.check_result == "ok"


class BackupStatements(Connection):
    """Copies of the project file."""

    def backup(self, dest: str | Path, reason: str = "manual") -> Path:
        """Write a checked, consistent copy of the project to ``dest`` (which must not exist)."""
        dest = Path(dest)
        if dest.exists():
            raise ProjectError(f"{dest}: exists already; name a new file for the backup")
        if not dest.parent.is_dir():
            raise ProjectError(
                f"{dest}: the folder {dest.parent} does not exist; name a backup file "
                "in an existing folder"
            )
        if dest.resolve() == self.path.resolve():
            raise ProjectError(f"{dest}: that is the project itself; name another file")
        self.check_file()
        part = dest.with_name(f".{dest.name}.part-{os.getpid()}")
        try:
            result = self._copy_to(part, dest)
            if result != "ok":
                self._record_backup(dest, reason, None, result, kept=False)
                raise StoreFault(
                    f"{self.path}: the project file is damaged, so its backup fails SQLite's check "
                    f"({result}); the copy was deleted, not kept as {dest.name}. "
                    + _restore_hint(self, dest)
                )
            _place(part, dest)
        finally:
            _remove(part)
        self._record_backup(dest, reason, dest.stat().st_size, "ok", kept=True)
        return dest

    def _copy_to(self, part: Path, dest: Path) -> str:
        """SQLite's online backup into ``part``; what ``quick_check`` says of the copy."""
        target = None
        try:
            target = sqlite3.connect(part)
            self.conn.backup(target)
            return faults.quick_check(target)
        except sqlite3.Error as exc:
            # SQLite reports the step's error on the copy's connection; only the project's own
            # pages can be damaged (the copy is new), anything else is about where it goes.
            source = faults.code_of(exc) in (faults.CORRUPT, faults.NOTADB)
            if source:
                raise faults.fault(exc, self.path) or exc from exc
            raise _not_written(dest, self._size(), exc) from exc
        except OSError as exc:
            raise _not_written(dest, self._size(), exc) from exc
        finally:
            if target is not None:
                with contextlib.suppress(sqlite3.Error):
                    target.close()

    def _size(self) -> int:
        """The project's size with its WAL: about what a copy of it takes."""
        sizes = (Path(f"{self.path}{suffix}") for suffix in ("", "-wal"))
        return sum(p.stat().st_size for p in sizes if p.exists())

    def automatic_backup(self, reason: str, keep: tuple[Path, ...] = ()) -> Path:
        """A backup before a destructive command, in ``<project>.backups/``; old ones pruned
        (never one in ``keep``, nor the newest that passed its check)."""
        folder = self.backup_folder()
        folder.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "backup"
        dest = self.backup(
            folder / f"{self.path.stem}-{stamp}-{slug}{self.path.suffix or '.db'}", reason
        )
        self.prune_backups(keep + (dest,))
        return dest

    def backup_folder(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")

    def prune_backups(self, keep: tuple[Path, ...] = ()) -> list[Path]:
        """Delete all but the newest ``KEEP`` automatic backups, keeping the newest one that
        passed its check and any in ``keep``; the files deleted."""
        folder = self.backup_folder()
        found = sorted(
            p for p in folder.glob(f"{self.path.stem}-*") if not p.name.endswith(("-wal", "-shm"))
        )
        passed = {Path(r.path).resolve() for r in self.backups() if r.passed}
        good = [p for p in found if p.resolve() in passed]
        protected = {p.resolve() for p in keep} | ({good[-1].resolve()} if good else set())
        gone = [p for p in found[:-KEEP] if p.resolve() not in protected]
        for old in gone:
            old.unlink(missing_ok=True)
        return gone

    def backups(self) -> list[BackupRecord]:
        """Every backup recorded in this project, oldest first."""
        try:
            rows = self.conn.execute(
                "SELECT id, path, reason, made_at, who, size, check_result, kept "
                "FROM backups ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:  # no such table (an older file being migrated)
            return []
        return [
            BackupRecord(row_id, path, reason, made_at, who, size, check, bool(kept))
            for row_id, path, reason, made_at, who, size, check, kept in rows
        ]

    def record_backup(self, dest: Path, reason: str, check_result: str, kept: bool) -> None:
        """Record a backup made another way (the copy a restore keeps of the file it replaced)."""
        self._record_backup(
            dest, reason, dest.stat().st_size if dest.exists() else None, check_result, kept
        )

    def _record_backup(
        self, dest: Path, reason: str, size: int | None, result: str, kept: bool
    ) -> None:
        # Best effort: a damaged project may refuse the write, another process may hold the
        # lock for long (the copy is made all the same); the message says the rest.
        with (
            contextlib.suppress(Exception),
            waiting.at_most(RECORD_WAIT),
            self.transaction() as conn,
        ):
            conn.execute(
                "INSERT INTO backups (path, reason, made_at, who, size, check_result, kept) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [str(dest.resolve()), reason, now(), default_actor(), size, result, int(kept)],
            )


def _restore_hint(store: BackupStatements, dest: Path) -> str:
    good = [r for r in store.backups() if r.passed and Path(r.path).exists()]
    if good:
        return (
            f"The last backup that passed its check is {good[-1].path} ({good[-1].made_at}): "
            f"`workbench restore {good[-1].path} {store.path}` puts it back."
        )
    return f"Restore a backup with `workbench restore BACKUP {store.path}`."


def _place(part: Path, dest: Path) -> None:
    """Give the checked copy its name, never over a file that appeared meanwhile."""
    try:
        os.link(part, dest)
    except FileExistsError:
        raise ProjectError(f"{dest}: exists already; name a new file for the backup") from None
    except OSError:  # no hard links here (some network and FAT drives)
        if dest.exists():
            raise ProjectError(f"{dest}: exists already; name a new file for the backup") from None
        os.replace(part, dest)
    with contextlib.suppress(OSError):
        folder = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _remove(part: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.remove(f"{part}{suffix}")


def _not_written(dest: Path, needed: int, exc: BaseException) -> StoreFault:
    """The message for a backup that could not be written where asked (nothing is left there)."""
    code = faults.code_of(exc)
    number = getattr(exc, "errno", None)
    todo = "Free some space or choose another folder, then try again."
    if code == faults.FULL or number in (errno.ENOSPC, errno.EDQUOT) or faults.disk_full(dest):
        cause = "the disk is full"
    elif (
        code == faults.READONLY
        or number in (errno.EACCES, errno.EPERM, errno.EROFS)
        or not os.access(dest.parent, os.W_OK)
    ):
        cause, todo = f"the folder {dest.parent} cannot be written", "Choose another folder."
    elif (limit := faults.size_limit(needed)) is not None:
        cause = f"the copy would be larger than this process's file size limit, {limit:,} bytes"
        todo = "Raise the limit (`ulimit -f`), then try again."
    else:
        cause = str(exc)
    return StoreFault(
        f"{dest}: the backup could not be written ({cause}); nothing was left behind. {todo}"
    )
