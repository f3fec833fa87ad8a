"""Backing up and restoring a project: the use cases behind ``workbench backup``, ``workbench
restore``, the API and the app's home.

* :func:`backup_project`: a checked copy (``--out FILE``, else an automatic backup in
  ``<project>.backups/``); a damaged project's copy is refused and nothing is left behind.
* :func:`last_backup`: what the home screen shows: the newest backup recorded, whether it
  passed its check and is still there, and the newest one that passed.
* :func:`restore_project`: a backup put back, the project as it was kept first
  (``workbench.store.restore``).
* :func:`folder`, :func:`ago`: where automatic backups go, and a time in words, for the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.store import Store, default_actor, now
from workbench.store.backup import BackupRecord
from workbench.store.restore import RestoreResult, restore


@dataclass(frozen=True)
class LastBackup:
    """The newest backup (``latest``: its check in ``latest.passed``, ``latest_exists``:
    whether its file is still there) and the newest one that passed its check and exists
    (``good``; None if there is none)."""

    latest: BackupRecord
    latest_exists: bool
    good: BackupRecord | None


def backup_project(store: Store, out: str | Path | None = None) -> BackupRecord:
    """A checked backup of the project: to ``out``, or automatic (pruned as automatic ones are)."""
    path = (store.backup(out) if out else store.automatic_backup("manual")).resolve()
    recorded = next((r for r in reversed(store.backups()) if Path(r.path) == path), None)
    if recorded is not None:
        return recorded
    # Not recorded (another process held the write lock): the copy passed its check all the same.
    return BackupRecord(
        0, str(path), "manual", now(), default_actor(), path.stat().st_size, "ok", True
    )


def last_backup(store: Store) -> LastBackup | None:
    """The newest backup made of this project and the newest good one; None if none was made
    (or recorded: backups made before Workbench recorded them are not known)."""
    records = store.backups()
    if not records:
        return None
    good = next(
        (r for r in reversed(records) if r.passed and r.kept and Path(r.path).exists()), None
    )
    latest = records[-1]
    return LastBackup(latest, Path(latest.path).exists(), good)


def restore_project(
    backup: str | Path, project: str | Path, force: bool = False, actor: str | None = None
) -> RestoreResult:
    """Put ``backup`` back as ``project`` (see :mod:`workbench.store.restore`): refused while
    another process has the project open unless ``force``; the project as it was is kept."""
    return restore(backup, project, force, actor)


def folder(store: Store) -> Path:
    """Where automatic backups go: ``<project>.backups/`` beside the project file."""
    return store.path.with_name(store.path.name + ".backups")


def ago(when: str | datetime, now: datetime | None = None) -> str:
    """'2 hours ago', 'just now', '3 days ago' (``when``: a stored UTC time or a datetime)."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"
