"""Putting a backup back: ``workbench restore BACKUP PROJECT``.

1. The backup must be a Workbench project that passes ``quick_check`` and that this
   Workbench can read (not from a newer one).
2. The project must not be open in another process (the ``-shm`` locks every open
   connection holds, ``store.holders``) unless ``force``; stale ``-wal``/``-shm`` beside
   it are set aside, never applied (``store.opening``). A file there that is not a
   Workbench project is only replaced with ``force`` (it may be a damaged one).
3. The project as it is now is copied into ``<project>.backups/`` first (through SQLite,
   checked; byte for byte when SQLite cannot read it at all), whatever its state.
4. The backup is written into the project through SQLite's online backup API, inside the
   project's own locking: other processes that have it open (``force``) see the restored
   project as a change like any other, and the file keeps its identity, so no ``-wal`` can
   go astray. Only a file SQLite cannot write into (not a database any more) is replaced
   by a checked copy renamed into place.
5. The restored project is migrated if the backup is older, and the restore is audited and
   recorded among its backups.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import ProjectError, StoreFault
from workbench.store import faults, holders, opening, registry
from workbench.store.schema import APPLICATION_ID, SCHEMA_VERSION
from workbench.store.values import first_int


@dataclass(frozen=True)
class RestoreResult:
    project: Path
    backup: Path
    kept: Path | None  # the project as it was before the restore
    kept_check: str | None  # what quick_check said of that copy ("ok", or the problem)
    schema_from: int
    schema_to: int
    others: int  # other processes that had the project open (restored under them, --force)
    notices: tuple[str, ...]


def restore(
    backup: str | os.PathLike[str],
    project: str | os.PathLike[str],
    force: bool = False,
    actor: str | None = None,
) -> RestoreResult:
    from workbench.store import Store

    backup, project = Path(backup), Path(project)
    version = _check_backup(backup, project)
    others, notices = 0, []
    kept: Path | None = None
    kept_check: str | None = None
    if project.exists():
        others = _check_project(project, force)
        notices = opening.check_side_files(project).notices
        kept, kept_check = _keep_current(project)
        _write_into(backup, project, replace_ok=force or not others)
    else:
        if not project.parent.is_dir():
            raise ProjectError(f"{project}: the folder {project.parent} does not exist")
        notices = opening.check_side_files(project).notices
        _replace(backup, project)
    store = Store.open(project)
    try:
        note = f"from {backup.resolve()}" + (
            f"; the project as it was is kept as {kept}" if kept else ""
        )
        with store.transaction():
            store.audit(
                "restore",
                "project",
                project.name,
                before={"schema": version},
                after={"schema": store.schema_version()},
                note=note,
                actor=actor,
            )
        if kept is not None and kept_check is not None:  # (set together)
            store.record_backup(kept, "before restore", kept_check, kept=True)
            store.prune_backups(keep=(backup, kept))
        result = RestoreResult(
            project,
            backup,
            kept,
            kept_check,
            version,
            store.schema_version(),
            others,
            tuple(notices + store.notices),
        )
    finally:
        store.close()
    return result


def _check_backup(backup: Path, project: Path) -> int:
    """The backup's schema version, once it is known to be a sound Workbench project."""
    if not backup.is_file():
        raise ProjectError(f"{backup}: no such backup file")
    if (
        project.exists()
        and backup.resolve() == project.resolve()
        or project.exists()
        and os.path.samefile(backup, project)
    ):
        raise ProjectError(f"{backup}: that is the project itself; name a backup of it")
    if not registry.open_here(backup):  # (a file this process has open was checked then)
        opening.check_file(backup, APPLICATION_ID)
    conn = _reader(backup)
    try:
        result = faults.quick_check(conn)
        version = first_int(conn, "PRAGMA user_version")
    except sqlite3.Error as exc:
        result, version = str(exc), 0
    finally:
        conn.close()
    if result != "ok":
        raise ProjectError(
            f"{backup}: this backup is damaged (SQLite's check: {result}); it was not "
            f"restored. Choose another backup (automatic ones are in {project.name}.backups)"
        )
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{backup}: made by a newer Workbench (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade Workbench to restore it"
        )
    return version


def _reader(path: Path) -> sqlite3.Connection:
    """A plain connection for reading a backup: it removes its ``-wal``/``-shm`` when closed
    (a read-only one would leave them beside the backup)."""
    conn = sqlite3.connect(path, timeout=1.0)
    conn.isolation_level = None
    return conn


def _check_project(project: Path, force: bool) -> int:
    """How many other processes have the project open; refused unless ``force``."""
    try:
        if not registry.open_here(project):
            opening.check_file(project, APPLICATION_ID)
    except ProjectError as exc:
        if not force or "an SQLite database, but not" in str(exc):
            raise ProjectError(
                f"{exc}. `workbench restore` replaces only a Workbench project; if this "
                "is a damaged one, add --force (it is kept as a copy first)"
            ) from None
    others = holders.openers(project)
    if others is None and not force:
        raise ProjectError(
            f"{project}: this system does not tell whether another window has the "
            "project open; close every Workbench window on it, then restore with --force"
        )
    if others and not force:
        who = ", ".join(sorted(holders.describe(pid) for pid in others))
        raise ProjectError(
            f"{project}: the project is open in {len(others)} other process(es) ({who}); "
            "close them first, or add --force to restore under them (they then see "
            "the restored project)"
        )
    return len(others or ())


def _keep_current(project: Path) -> tuple[Path, str]:
    """Copy the project as it is into its backups folder, checked; byte for byte if SQLite
    cannot read it. The copy and what its check said."""
    folder = project.with_name(project.name + ".backups")
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = folder / f"{project.stem}-{stamp}-before-restore{project.suffix or '.db'}"
    conn = target = None
    try:
        conn, target = _reader(project), sqlite3.connect(dest)
        conn.backup(target)
        result = faults.quick_check(target)
    except sqlite3.Error as exc:
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                os.remove(f"{dest}{suffix}")
        shutil.copyfile(project, dest)
        if holders.side(project, "wal").exists():
            shutil.copyfile(holders.side(project, "wal"), holders.side(dest, "wal"))
        result = f"not readable by SQLite ({exc}); copied byte for byte"
    finally:
        for c in (conn, target):
            if c is not None:
                c.close()
    return dest, result


def _write_into(backup: Path, project: Path, replace_ok: bool) -> None:
    """The backup's pages into the project, through SQLite (other processes see a change);
    a file SQLite cannot write into is replaced instead, when nobody else has it open."""
    source = _reader(backup)
    target = None
    try:
        target = sqlite3.connect(project, timeout=10.0)
        target.execute("PRAGMA busy_timeout = 10000")
        source.backup(target)
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        if (
            faults.code_of(exc) not in (faults.CORRUPT, faults.NOTADB, faults.READONLY)
            or not replace_ok
        ):
            raise faults.fault(exc, project) or exc from exc
        if target is not None:
            target.close()
            target = None
        _replace(backup, project)
    finally:
        source.close()
        if target is not None:
            target.close()


def _replace(backup: Path, project: Path) -> None:
    """A checked copy of the backup, renamed into place (stale side files were set aside)."""
    part = project.with_name(f".{project.name}.restore-{os.getpid()}")
    source = _reader(backup)
    try:
        target = sqlite3.connect(part)
        try:
            source.backup(target)
            result = faults.quick_check(target)
        finally:
            target.close()
        if result != "ok":
            raise StoreFault(
                f"{project}: the restored copy fails SQLite's check ({result}); nothing was changed"
            )
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{project}{suffix}")
        os.replace(part, project)
    finally:
        source.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.remove(f"{part}{suffix}")
