"""Statements on the files Workbench wrote for the user (exports, sheets, packages, reports):
their SHA-256, so that :mod:`workbench.output` replaces a file only if Workbench made it."""

from __future__ import annotations

from typing import Any

from workbench.store.connection import Connection, now


class OutputStatements(Connection):
    """The record of written files."""

    def written_file(self, sha256: str) -> bool:
        """Whether Workbench wrote a file with exactly these bytes from this project."""
        return (
            self.conn.execute("SELECT 1 FROM written_files WHERE sha256 = ?", [sha256]).fetchone()
            is not None
        )

    def record_written_files(self, rows: list[tuple[str, str, int]]) -> None:
        """Record (path, sha256, bytes) of files about to be put in place, in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO written_files (sha256, path, bytes, written_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (sha256) DO UPDATE SET path = excluded.path, written_at = excluded.written_at",
                [(sha256, path, size, now()) for path, sha256, size in rows],
            )

    def written_files(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM written_files ORDER BY written_at, path")
