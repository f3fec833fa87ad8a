"""Statements on reconciliation decisions: one row per comment the team has decided
(auto, resolved, deferred or imported), with the rationale and who decided."""

from __future__ import annotations

import json

from workbench.store.connection import Connection, now


class ReconciliationStatements(Connection):
    """Reconciliation decisions."""

    def reconciliations(self) -> dict[int, dict]:
        rows = self._dicts("SELECT * FROM reconciliations")
        return {row.pop("comment_id"): row for row in rows}

    def save_reconciliation(self, comment_id: int, status: str, rationale: str, coders: list[str],
                            decided_by: str, decided_at: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO reconciliations (comment_id, status, rationale, coders, decided_by, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id) DO UPDATE SET status = excluded.status, "
            "rationale = excluded.rationale, coders = excluded.coders, decided_by = excluded.decided_by, "
            "decided_at = excluded.decided_at",
            [comment_id, status, rationale, json.dumps(coders), decided_by, decided_at or now()],
        )

    def reconciliation(self, comment_id: int) -> dict | None:
        """One comment's decision row (None: not decided)."""
        rows = self._dicts("SELECT * FROM reconciliations WHERE comment_id = ?", [comment_id])
        return rows[0] if rows else None

    def restore_reconciliation(self, comment_id: int, row: dict | None) -> None:
        """Put back a decision row as :meth:`reconciliation` read it (None: no decision), for undo."""
        self.conn.execute("DELETE FROM reconciliations WHERE comment_id = ?", [comment_id])
        if row is not None:
            self.conn.execute(
                "INSERT INTO reconciliations (comment_id, status, rationale, coders, decided_by, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [comment_id, row["status"], row["rationale"], row["coders"], row["decided_by"], row["decided_at"]],
            )
