"""Backups of a project file: a consistent copy while others code, and one before every
destructive command.

SQLite's online backup API copies the database page by page under its own locks, so a
backup taken while two analysts are coding is a consistent snapshot (a file copy of a
WAL database may not be). Automatic backups go to ``<project>.backups/`` beside the
project, named by time and reason; the newest ``KEEP`` are kept.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from workbench.errors import ProjectError
from workbench.store.connection import Connection

KEEP = 10


class BackupStatements(Connection):
    """Copies of the project file."""

    def backup(self, dest: str | Path) -> Path:
        """Write a consistent copy of the project to ``dest`` (which must not exist)."""
        dest = Path(dest)
        if dest.exists():
            raise ProjectError(f"{dest}: exists already; name a new file for the backup")
        if dest.resolve() == self.path.resolve():
            raise ProjectError(f"{dest}: that is the project itself; name another file")
        target = sqlite3.connect(dest)
        try:
            with target:
                self.conn.backup(target)
        finally:
            target.close()
        return dest

    def automatic_backup(self, reason: str) -> Path:
        """A backup before a destructive command, in ``<project>.backups/``; old ones pruned."""
        folder = self.path.with_name(self.path.name + ".backups")
        folder.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "backup"
        dest = self.backup(folder / f"{self.path.stem}-{stamp}-{slug}{self.path.suffix or '.db'}")
        for old in sorted(folder.glob(f"{self.path.stem}-*"))[:-KEEP]:
            old.unlink()
        return dest
