"""Statements on focus groups, their transcripts and speakers: what an import
writes before the comments, and the summaries of each group."""

from __future__ import annotations

from typing import Any

from workbench.store.connection import Connection, now
from workbench.store.participants import RECORDED
from workbench.store.records import Group, GroupSummary, Speaker, Transcript
from workbench.store.values import first_int, new_id, written

_GROUP = "id, code, name, kind, date, stakeholders, position, next_number"
_GROUP_AS_G = ", ".join(f"g.{column}" for column in _GROUP.split(", "))


class TranscriptStatements(Connection):
    """Focus groups, transcripts (in reading order), speakers and their roles."""

    # -- focus groups ------------------------------------------------------------

    def groups(self) -> list[Group]:
        rows = self.conn.execute(f"SELECT {_GROUP} FROM focus_groups ORDER BY position")
        return [Group(*row) for row in rows]

    def group_by_name(self, name: str) -> Group | None:
        """The group of this name or code (any case), the name first."""
        row = self.conn.execute(
            f"SELECT {_GROUP} FROM focus_groups WHERE name = ? OR code = ? ORDER BY name = ? DESC",
            [name, name, name],
        ).fetchone()
        return None if row is None else Group(*row)

    def create_group(
        self,
        name: str,
        code: str | None,
        kind: str | None,
        date: str | None,
        stakeholders: str | None,
    ) -> Group:
        position = self.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM focus_groups"
        ).fetchone()[0]
        # A removed group's code is not handed out again; named explicitly, its refs go on
        # from where they stopped (a ref never names other words).
        removed = dict(
            self.conn.execute(  # (tests build older files, before removed_groups, with this code)
                "SELECT upper(code), next_number FROM removed_groups"
            )
            if self._has_table("removed_groups")
            else []
        )
        if code is None:
            used = {
                row[0].upper() for row in self.conn.execute("SELECT code FROM focus_groups")
            } | set(removed)
            number = position
            while f"FG{number}" in used:
                number += 1
            code = f"FG{number}"
        self.conn.execute(
            "INSERT INTO focus_groups (code, name, kind, date, stakeholders, position, next_number) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [code, name, kind, date, stakeholders, position, removed.get(code.upper(), 1)],
        )
        return written(self.group_by_name(name), f"group {name}")

    def _has_table(self, name: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone()
            is not None
        )

    def update_group(self, group_id: int, **fields: Any) -> None:
        allowed = {"kind", "date", "stakeholders"}
        sets = {k: v for k, v in fields.items() if k in allowed and v is not None}
        if sets:
            assignments = ", ".join(f"{k} = ?" for k in sets)
            self.conn.execute(
                f"UPDATE focus_groups SET {assignments} WHERE id = ?", [*sets.values(), group_id]
            )

    def take_comment_numbers(self, group_id: int, count: int, restart: bool = False) -> int:
        """Reserve ``count`` comment numbers in a group; return the first.

        Numbers are never reused, so a ref that was ever exported keeps meaning one
        comment, unless ``restart`` (the group is being re-imported from scratch).
        """
        if restart:
            self.conn.execute("UPDATE focus_groups SET next_number = 1 WHERE id = ?", [group_id])
        first = first_int(
            self.conn, "SELECT next_number FROM focus_groups WHERE id = ?", [group_id]
        )
        self.conn.execute(
            "UPDATE focus_groups SET next_number = ? WHERE id = ?", [first + count, group_id]
        )
        return first

    def group_summaries(self) -> list[GroupSummary]:
        rows = self.conn.execute(
            f"SELECT {_GROUP_AS_G}, "
            "(SELECT count(*) FROM transcripts t WHERE t.group_id = g.id) AS transcripts, "
            "(SELECT count(*) FROM speakers s WHERE s.group_id = g.id) AS speakers, "
            "count(c.id) AS comments, "
            "coalesce(sum(c.excluded = 0), 0) AS codable, "
            "coalesce(sum(c.no_speaker), 0) AS no_speaker, "
            "coalesce(sum(c.word_count), 0) AS words "
            "FROM focus_groups g LEFT JOIN comments c ON c.group_id = g.id "
            "GROUP BY g.id ORDER BY g.position"
        )
        return [GroupSummary(*row) for row in rows]

    # -- transcripts -------------------------------------------------------------

    def transcripts(self, group_id: int | None = None) -> list[Transcript]:
        if group_id is not None:
            return self._transcripts("t.group_id = ? ORDER BY t.position", [group_id])
        return self._transcripts("1 ORDER BY g.position, t.position", [])

    def _transcripts(self, where: str, params: list[Any]) -> list[Transcript]:
        rows = self.conn.execute(
            "SELECT t.id, t.group_id, g.name, t.filename, t.format, t.encoding, t.sha256, "
            "t.imported_at, t.position, "
            "(SELECT count(*) FROM comments c WHERE c.transcript_id = t.id) "
            f"FROM transcripts t JOIN focus_groups g ON g.id = t.group_id WHERE {where}",
            params,
        )
        return [Transcript(*row) for row in rows]

    def transcript_content(self, transcript_id: int) -> bytes:
        """The original bytes of a transcript file, as imported."""
        content: bytes = self.conn.execute(
            "SELECT content FROM transcripts WHERE id = ?", [transcript_id]
        ).fetchone()[0]
        return content

    def transcript_by_hash(self, sha256: str) -> Transcript | None:
        rows = self._transcripts("t.sha256 = ? ORDER BY t.id LIMIT 1", [sha256])
        return rows[0] if rows else None

    def transcript_named(self, group_id: int, filename: str) -> Transcript | None:
        rows = self._transcripts("t.group_id = ? AND t.filename = ?", [group_id, filename])
        return rows[0] if rows else None

    def transcript_order(self) -> list[tuple[int, int]]:
        """(group id, transcript id) of every transcript, in reading order."""
        return self.conn.execute(
            "SELECT g.id, t.id FROM transcripts t JOIN focus_groups g ON g.id = t.group_id "
            "ORDER BY g.position, t.position"
        ).fetchall()

    def add_transcript(
        self,
        group_id: int,
        filename: str,
        fmt: str,
        encoding: str,
        sha256: str,
        content: bytes,
        imported_at: str | None = None,
    ) -> int:
        position = self.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM transcripts WHERE group_id = ?", [group_id]
        ).fetchone()[0]
        cursor = self.conn.execute(
            "INSERT INTO transcripts (group_id, filename, format, encoding, sha256, content, "
            "imported_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [group_id, filename, fmt, encoding, sha256, content, imported_at or now(), position],
        )
        return new_id(cursor)

    def replace_transcript(
        self, transcript_id: int, fmt: str, encoding: str, sha256: str, content: bytes
    ) -> None:
        """Drop a transcript's comments (it has no codings) and record its new content."""
        conn = self.conn
        conn.execute("DELETE FROM comments WHERE transcript_id = ?", [transcript_id])
        conn.execute(
            "UPDATE transcripts SET format = ?, encoding = ?, sha256 = ?, content = ?, "
            "imported_at = ? WHERE id = ?",
            [fmt, encoding, sha256, content, now(), transcript_id],
        )
        # A speaker who no longer speaks goes, unless their participant carries what someone
        # recorded (attribute values, a name, a link to another group's speaker).
        conn.execute(
            "DELETE FROM speakers WHERE id NOT IN "
            "(SELECT speaker_id FROM comments WHERE speaker_id IS NOT NULL) "
            f"AND NOT {RECORDED}"
        )

    # -- speakers ----------------------------------------------------------------

    def speakers(self, group_id: int | None = None) -> list[Speaker]:
        sql = (
            "SELECT s.id, s.group_id, g.name, s.label, s.role_key, "
            "count(c.id), coalesce(sum(c.word_count), 0) "
            "FROM speakers s JOIN focus_groups g ON g.id = s.group_id "
            "LEFT JOIN comments c ON c.speaker_id = s.id"
        )
        if group_id is not None:
            sql += " WHERE s.group_id = ?"
        sql += " GROUP BY s.id ORDER BY g.position, min(c.position), s.label"
        rows = self.conn.execute(sql, [group_id] if group_id is not None else [])
        return [Speaker(*row) for row in rows]

    def ensure_speaker(self, group_id: int, label: str, role_key: str | None) -> int:
        row = self.conn.execute(
            "SELECT id, role_key FROM speakers WHERE group_id = ? AND label = ?", [group_id, label]
        ).fetchone()
        if row is None:
            return new_id(
                self.conn.execute(
                    "INSERT INTO speakers (group_id, label, role_key) VALUES (?, ?, ?)",
                    [group_id, label, role_key],
                )
            )
        speaker_id: int = row[0]
        if role_key is not None and row[1] != role_key:
            self.set_speaker_role(speaker_id, role_key)
        return speaker_id

    def set_speaker_role(self, speaker_id: int, role_key: str | None) -> None:
        """Set a speaker's role and re-derive the default exclusion of their comments."""
        conn = self.conn
        conn.execute("UPDATE speakers SET role_key = ? WHERE id = ?", [role_key, speaker_id])
        conn.execute(
            "UPDATE comments SET excluded = coalesce((SELECT excluded FROM roles WHERE key = ?), 0), "
            "excluded_reason = CASE WHEN (SELECT excluded FROM roles WHERE key = ?) = 1 "
            "THEN 'role ' || ? ELSE NULL END "
            "WHERE speaker_id = ? AND (excluded_reason IS NULL OR excluded_reason LIKE 'role %')",
            [role_key, role_key, role_key, speaker_id],
        )
