"""Statements on reconciliation decisions: one row per comment the team has decided
(auto, resolved, deferred or imported), with the rationale, who decided, and the basis: each
coder's coding as it was when the comment was decided (migration 12), so a later change shows."""

from __future__ import annotations

import json
from typing import Any

from workbench.store.connection import Connection, now
from workbench.store.schema_v12 import BASIS


class ReconciliationStatements(Connection):
    """Reconciliation decisions."""

    def reconciliations(self) -> dict[int, dict[str, Any]]:
        rows = self._dicts("SELECT * FROM reconciliations")
        return {row.pop("comment_id"): row for row in rows}

    def save_reconciliation(
        self,
        comment_id: int,
        status: str,
        rationale: str,
        coders: list[str],
        decided_by: str,
        decided_at: str | None = None,
        basis: dict[str, list[Any] | None] | None = None,
    ) -> None:
        """Record a decision. ``basis``: each coder's coding the decision was made on
        (``{coder: [category, [themes], unsure, exemplar] | None}``); without it, the codings of
        ``coders`` (every study coder if none are named) as they are now."""
        self.conn.execute(
            "INSERT INTO reconciliations (comment_id, status, rationale, coders, decided_by, decided_at, basis) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id) DO UPDATE SET status = excluded.status, "
            "rationale = excluded.rationale, coders = excluded.coders, decided_by = excluded.decided_by, "
            "decided_at = excluded.decided_at, basis = excluded.basis",
            [
                comment_id,
                status,
                rationale,
                json.dumps(coders),
                decided_by,
                decided_at or now(),
                None if basis is None else _canonical(basis),
            ],
        )
        if basis is None:
            found = self.conn.execute(
                f"SELECT {BASIS} FROM reconciliations WHERE comment_id = ?", [comment_id]
            ).fetchone()[0]
            self.conn.execute(
                "UPDATE reconciliations SET basis = ? WHERE comment_id = ?",
                [_canonical(json.loads(found)), comment_id],
            )

    def rationales(self, group_id: int) -> dict[int, str]:
        """Comment id → the rationale of its decision, for one focus group's comments."""
        return dict(
            self.conn.execute(
                "SELECT r.comment_id, r.rationale FROM reconciliations r JOIN comments c ON c.id = r.comment_id "
                "WHERE c.group_id = ? AND r.rationale <> ''",
                [group_id],
            ).fetchall()
        )

    def reconciliation(self, comment_id: int) -> dict[str, Any] | None:
        """One comment's decision row (None: not decided)."""
        rows = self._dicts("SELECT * FROM reconciliations WHERE comment_id = ?", [comment_id])
        return rows[0] if rows else None

    def restore_reconciliation(self, comment_id: int, row: dict[str, Any] | None) -> None:
        """Put back a decision row as :meth:`reconciliation` read it (None: no decision), for undo."""
        self.conn.execute("DELETE FROM reconciliations WHERE comment_id = ?", [comment_id])
        if row is not None:
            self.conn.execute(
                "INSERT INTO reconciliations (comment_id, status, rationale, coders, decided_by, decided_at, basis) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    comment_id,
                    row["status"],
                    row["rationale"],
                    row["coders"],
                    row["decided_by"],
                    row["decided_at"],
                    row.get("basis"),
                ],
            )

    def reconciliation_log(self) -> list[dict[str, Any]]:
        """Every decision with its comment (ref, group, text), in transcript order."""
        return self._dicts(
            "SELECT r.comment_id, c.ref, g.code AS group_code, c.text, r.status, r.rationale, r.coders, "
            "r.decided_by, r.decided_at, r.basis FROM reconciliations r JOIN comments c ON c.id = r.comment_id "
            "JOIN focus_groups g ON g.id = c.group_id JOIN transcripts t ON t.id = c.transcript_id "
            "ORDER BY g.position, t.position, c.position"
        )


def _canonical(basis: dict[str, Any]) -> str:
    """One text for one basis (sorted, compact), however it was computed."""
    return json.dumps(basis, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
