"""The project's backups for people: the newest one and when it was made (the home screen's
backup task shows it before making another). Backups themselves are made by
``Store.automatic_backup`` (``workbench backup``, and before every destructive command), in
``<project>.backups/`` beside the project file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from workbench.store import Store


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime  # when the file was written (UTC)


def folder(store: Store) -> Path:
    return store.path.with_name(store.path.name + ".backups")


def latest_backup(store: Store) -> Backup | None:
    """The newest backup of this project in its backups folder, or None."""
    place = folder(store)
    if not place.is_dir():
        return None
    files = [p for p in place.glob(f"{store.path.stem}-*") if p.is_file()]
    if not files:
        return None
    newest = max(files, key=lambda p: p.stat().st_mtime)
    return Backup(newest, datetime.fromtimestamp(newest.stat().st_mtime, timezone.utc))


def ago(when: datetime, now: datetime | None = None) -> str:
    """'2 hours ago', 'just now', '3 days ago'."""
    seconds = ((now or datetime.now(timezone.utc)) - when).total_seconds()
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"
