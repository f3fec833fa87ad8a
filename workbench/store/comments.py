"""Statements on comments: inserting them (in bulk at a first import, or one at a
time when a comment is split or merged), refs, context, the worklist's reads, and the
full-text search index over their text."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from workbench.store.comment_records import Comment, ContextTurn, ListedComment, listed_row
from workbench.store.connection import Connection
from workbench.store.values import first_int, new_id

# The comments table's columns in table order, as Comment.from_row takes them.
_COLUMNS = (
    "id, ref, group_id, transcript_id, position, speaker_id, text, word_count, start_s, end_s, "
    "source_line, no_speaker, excluded, excluded_reason"
)


class CommentStatements(Connection):
    """Comments and their search index."""

    # -- comments ----------------------------------------------------------------

    @contextlib.contextmanager
    def bulk_comments(self) -> Iterator[None]:
        """Inside a transaction, for a first import: the comments' secondary indexes are
        dropped and built again at the end, from the same SQL. Building an index once over
        sorted rows beats updating it row by row (~5% of a million-word import); nothing
        changes if the table already has comments."""
        if not self.conn.in_transaction:
            raise RuntimeError("bulk_comments() must run inside a transaction")
        if self.conn.execute("SELECT EXISTS (SELECT 1 FROM comments)").fetchone()[0]:
            yield
            return
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        for name, _sql in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        yield
        for _name, sql in indexes:
            self.conn.execute(sql)

    def insert_comments(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows of (ref, group_id, transcript_id, position, speaker_id, text, word_count,
        start_s, end_s, source_line, no_speaker, excluded, excluded_reason)."""
        self.conn.executemany(
            "INSERT INTO comments (ref, group_id, transcript_id, position, speaker_id, text, "
            "word_count, start_s, end_s, source_line, no_speaker, excluded, excluded_reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def comment(self, comment_id: int) -> Comment | None:
        sql = f"SELECT {_COLUMNS} FROM comments WHERE id = ?"
        found = self.conn.execute(sql, [comment_id]).fetchone()
        return Comment.from_row(found) if found else None

    def next_comment(self, comment: Comment) -> Comment | None:
        """The comment after ``comment`` in the same transcript."""
        found = self.conn.execute(
            f"SELECT {_COLUMNS} FROM comments WHERE group_id = ? AND transcript_id = ? "
            "AND position > ? ORDER BY position LIMIT 1",
            [comment.group_id, comment.transcript_id, comment.position],
        ).fetchone()
        return Comment.from_row(found) if found else None

    def refs_like(self, prefix: str) -> set[str]:
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT ref FROM comments WHERE ref LIKE ? ESCAPE '\\'",
                [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
            )
        }

    def insert_comment_after(
        self,
        comment: Comment,
        ref: str,
        text: str,
        word_count: int,
        start_s: float | None,
        end_s: float | None,
    ) -> int:
        """Insert a comment right after ``comment``, same speaker and flags, shifting the rest."""
        conn = self.conn
        conn.execute(
            "UPDATE comments SET position = position + 1 WHERE group_id = ? AND transcript_id = ? "
            "AND position > ?",
            [comment.group_id, comment.transcript_id, comment.position],
        )
        return new_id(
            conn.execute(
                "INSERT INTO comments (ref, group_id, transcript_id, position, speaker_id, text, word_count, "
                "start_s, end_s, source_line, no_speaker, excluded, excluded_reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    ref,
                    comment.group_id,
                    comment.transcript_id,
                    comment.position + 1,
                    comment.speaker_id,
                    text,
                    word_count,
                    start_s,
                    end_s,
                    comment.source_line,
                    comment.no_speaker,
                    comment.excluded,
                    comment.excluded_reason,
                ],
            )
        )

    def update_comment_text(
        self,
        comment_id: int,
        text: str,
        word_count: int,
        start_s: float | None,
        end_s: float | None,
    ) -> None:
        self.conn.execute(
            "UPDATE comments SET text = ?, word_count = ?, start_s = ?, end_s = ? WHERE id = ?",
            [text, word_count, start_s, end_s, comment_id],
        )

    def delete_comment(self, comment_id: int) -> None:
        self.conn.execute("DELETE FROM comments WHERE id = ?", [comment_id])

    def comment_index(self) -> list[tuple[Any, ...]]:
        """Every comment in transcript order as a light tuple
        (id, ref, group_id, transcript_id, excluded, role_key): enough to filter and
        navigate 100,000 comments without holding their text."""
        return self.conn.execute(
            "SELECT c.id, c.ref, c.group_id, c.transcript_id, c.excluded, s.role_key "
            "FROM comments c JOIN focus_groups g ON g.id = c.group_id "
            "JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN speakers s ON s.id = c.speaker_id "
            "ORDER BY g.position, t.position, c.position"
        ).fetchall()

    def codable_ids(self, group_id: int, transcript_id: int) -> list[int]:
        """Ids of one transcript's comments to code, in order (off the comments_codable index).

        Returned by SQLite as one JSON array: half the time of a Python row per id."""
        ids: list[int] = json.loads(
            self.conn.execute(
                "SELECT json_group_array(id) FROM (SELECT id FROM comments "
                "WHERE excluded = 0 AND group_id = ? AND transcript_id = ? ORDER BY position)",
                [group_id, transcript_id],
            ).fetchone()[0]
        )
        return ids

    def comment_ids_with_role(self, role_key: str) -> set[int]:
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT c.id FROM comments c JOIN speakers s ON s.id = c.speaker_id WHERE s.role_key = ?",
                [role_key],
            )
        }

    def find_ref(self, ref: str) -> tuple[Any, ...] | None:
        """(id, ref, group id, excluded) of the comment whose ref is ``ref``, ignoring case."""
        row: tuple[Any, ...] | None = self.conn.execute(
            "SELECT id, ref, group_id, excluded FROM comments WHERE ref = ? COLLATE NOCASE", [ref]
        ).fetchone()
        return row

    def comment_with_context(self, comment_id: int, around: int = 2) -> list[ContextTurn]:
        """A comment and up to ``around`` turns either side in its transcript, in order;
        each turn says whether it is the comment asked for (``current``)."""
        rows = self.conn.execute(
            "WITH me AS (SELECT group_id, transcript_id, position FROM comments WHERE id = ?) "
            "SELECT c.id, c.ref, c.text, c.excluded, c.no_speaker, c.position, c.start_s, "
            "coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, "
            "g.code AS group_code, g.name AS group_name, c.id = ? AS current "
            # group_id too, so the (group, transcript, position) index finds the rows.
            "FROM comments c JOIN me ON c.group_id = me.group_id AND c.transcript_id = me.transcript_id "
            "JOIN focus_groups g ON g.id = c.group_id LEFT JOIN speakers s ON s.id = c.speaker_id "
            "WHERE c.position BETWEEN me.position - ? AND me.position + ? ORDER BY c.position",
            [comment_id, comment_id, around, around],
        ).fetchall()
        return [ContextTurn.from_row(row) for row in rows]

    def comment_ref(self, comment_id: int) -> str | None:
        row = self.conn.execute("SELECT ref FROM comments WHERE id = ?", [comment_id]).fetchone()
        return row[0] if row else None

    def comments(self, group_id: int | None = None) -> list[ListedComment]:
        """Every comment (or one group's) with its group, speaker, role and transcript, in
        reading order."""
        sql = (
            "SELECT c.id, c.ref, g.name AS group_name, g.code AS group_code, c.position, "
            "coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, c.excluded, "
            "c.excluded_reason, c.no_speaker, c.text, c.word_count, c.start_s, c.end_s, "
            "t.filename AS transcript, c.source_line "
            "FROM comments c JOIN focus_groups g ON g.id = c.group_id "
            "JOIN transcripts t ON t.id = c.transcript_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id"
        )
        params: list[Any] = []
        if group_id is not None:
            sql += " WHERE c.group_id = ?"
            params.append(group_id)
        sql += " ORDER BY g.position, t.position, c.position"
        cursor = self.conn.cursor()
        cursor.row_factory = listed_row
        rows: list[ListedComment] = cursor.execute(sql, params).fetchall()
        return rows

    # -- search index ------------------------------------------------------------

    def refresh_search_index(self) -> int:
        """Index comments added since the last search; return how many were indexed."""
        with self.transaction() as conn:
            upto = conn.execute("SELECT indexed_upto FROM search_state").fetchone()[0]
            top = conn.execute("SELECT coalesce(max(id), 0) FROM comments").fetchone()[0]
            if top <= upto:
                return 0
            cursor = conn.execute(
                "INSERT INTO comments_fts (rowid, text) SELECT id, text FROM comments WHERE id > ?",
                [upto],
            )
            conn.execute("UPDATE search_state SET indexed_upto = ?", [top])
            return cursor.rowcount

    def unindexed_comments(self) -> int:
        """How many comments the next search will index first (an estimate from the ids)."""
        top = first_int(self.conn, "SELECT coalesce(max(id), 0) FROM comments")
        return max(0, top - first_int(self.conn, "SELECT indexed_upto FROM search_state"))

    def search_comments(self, match: str) -> list[int]:
        """Ids of comments matching an FTS5 ``match`` expression, in transcript order."""
        self.refresh_search_index()
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT c.id FROM comments_fts f JOIN comments c ON c.id = f.rowid "
                "JOIN focus_groups g ON g.id = c.group_id JOIN transcripts t ON t.id = c.transcript_id "
                "WHERE comments_fts MATCH ? ORDER BY g.position, t.position, c.position",
                [match],
            )
        ]
