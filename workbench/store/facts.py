"""Statements that summarise a project for its methods evidence: per-group theme counts for
saturation (aggregated in SQL, so 100,000 comments cost one pass), and the facts a reporting
checklist states (caption times per transcript, exemplar counts)."""

from __future__ import annotations

from typing import Any

from workbench.store.connection import Connection
from workbench.store.values import first_int


class FactStatements(Connection):
    """Aggregates read by ``workbench.evidence``."""

    def codable_by_group(self, coder_id: int | None) -> dict[int, tuple[int, int]]:
        """Per group id: (comments to code, how many of them the coder gave a category)."""
        codable = dict(
            self.conn.execute(
                "SELECT group_id, count(*) FROM comments WHERE excluded = 0 GROUP BY group_id"
            ).fetchall()
        )
        coded = (
            dict(
                self.conn.execute(
                    "SELECT c.group_id, count(*) FROM codings k JOIN comments c ON c.id = k.comment_id "
                    "WHERE k.coder_id = ? AND c.excluded = 0 AND k.category_key IS NOT NULL GROUP BY c.group_id",
                    [coder_id],
                ).fetchall()
            )
            if coder_id is not None
            else {}
        )
        return {g: (n, coded.get(g, 0)) for g, n in codable.items()}

    def theme_counts_by_group(self, coder_id: int) -> list[tuple[int, str, int]]:
        """(group id, theme key, comments of the group the coder gave that theme)."""
        return self.conn.execute(
            "SELECT c.group_id, ct.theme_key, count(*) FROM codings k "
            "JOIN comments c ON c.id = k.comment_id JOIN coding_themes ct ON ct.coding_id = k.id "
            "WHERE k.coder_id = ? AND c.excluded = 0 GROUP BY c.group_id, ct.theme_key",
            [coder_id],
        ).fetchall()

    def uncoded_refs(self, coder_id: int | None, limit: int = 5) -> tuple[int, list[str]]:
        """How many comments to code have no category from this coder, and the first refs."""
        sql = (
            "FROM comments c LEFT JOIN codings k ON k.comment_id = c.id AND k.coder_id = ? "
            "WHERE c.excluded = 0 AND (k.id IS NULL OR k.category_key IS NULL)"
        )
        count = self.conn.execute(f"SELECT count(*) {sql}", [coder_id]).fetchone()[0]
        refs = [
            r[0]
            for r in self.conn.execute(
                f"SELECT c.ref {sql} ORDER BY c.group_id, c.transcript_id, c.position LIMIT ?",
                [coder_id, limit],
            )
        ]
        return count, refs

    def transcript_times(self) -> list[dict[str, Any]]:
        """Per transcript in reading order: group, file, format, and the span of its comments'
        times where the transcript has them (caption files, timestamped text)."""
        return self._dicts(
            "SELECT t.id, g.code AS group_code, g.name AS group_name, t.filename, t.format, "
            "min(c.start_s) AS start_s, max(coalesce(c.end_s, c.start_s)) AS end_s, "
            "count(c.start_s) AS timed, count(c.id) AS comments "
            "FROM transcripts t JOIN focus_groups g ON g.id = t.group_id "
            "LEFT JOIN comments c ON c.transcript_id = t.id GROUP BY t.id ORDER BY g.position, t.position"
        )

    def exemplar_count(self, coder_id: int) -> int:
        return first_int(
            self.conn,
            "SELECT count(*) FROM codings k JOIN comments c ON c.id = k.comment_id "
            "WHERE k.coder_id = ? AND k.exemplar = 1 AND c.excluded = 0",
            [coder_id],
        )
