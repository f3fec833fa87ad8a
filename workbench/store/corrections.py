"""Statements that correct what was imported: a comment's text revised (with the old and new
text kept), codings made before such a revision (they need review), removing a transcript or
a focus group with everything that hangs on their comments, and the ref codes of removed
groups (migration 12, SQL in ``schema_v12``)."""

from __future__ import annotations

from typing import Any

from workbench.store.comments import CommentStatements
from workbench.store.connection import now
from workbench.store.participants import RECORDED
from workbench.store.values import first_int

# Rows that name a comment without a cascade, deleted before the comments themselves;
# coding_themes, review_items and comment_revisions go with them by ON DELETE CASCADE.
_DEPENDENTS = ("codings", "reconciliations", "training_items", "retest_items")


class CorrectionStatements(CommentStatements):
    """Comment text revisions, removals of transcripts and groups, removed groups' codes."""

    # -- text revisions ------------------------------------------------------------

    def revise_comment(
        self,
        comment_id: int,
        text: str,
        word_count: int,
        reason: str,
        actor: str,
        at: str | None = None,
    ) -> None:
        """Give a comment new text (inside a transaction), keeping the old in a revision row."""
        old = self.conn.execute("SELECT text FROM comments WHERE id = ?", [comment_id]).fetchone()[
            0
        ]
        self.conn.execute(
            "UPDATE comments SET text = ?, word_count = ? WHERE id = ?",
            [text, word_count, comment_id],
        )
        self.conn.execute(
            "INSERT INTO comment_revisions (comment_id, at, actor, old_text, new_text, reason) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [comment_id, at or now(), actor, old, text, reason],
        )

    def move_comment(self, comment_id: int, **fields: Any) -> None:
        """Set a kept comment's place and turn data after a replace (position, speaker,
        times, source line, no-speaker flag): never its text, ref or id."""
        allowed = (
            "position",
            "speaker_id",
            "start_s",
            "end_s",
            "source_line",
            "no_speaker",
            "excluded",
            "excluded_reason",
        )
        sets = {k: v for k, v in fields.items() if k in allowed}
        if sets:
            self.conn.execute(
                f"UPDATE comments SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                [*sets.values(), comment_id],
            )

    def update_transcript_content(
        self, transcript_id: int, fmt: str, encoding: str, sha256: str, content: bytes
    ) -> None:
        """A transcript's file is now ``content`` (its comments already follow it); speakers
        of its group left without a comment go, unless their participant carries a value, a
        name or a link (:data:`~workbench.store.participants.RECORDED`)."""
        self.conn.execute(
            "UPDATE transcripts SET format = ?, encoding = ?, sha256 = ?, content = ?, "
            "imported_at = ? WHERE id = ?",
            [fmt, encoding, sha256, content, now(), transcript_id],
        )
        # A speaker who no longer speaks is kept if something was recorded about them.
        self.conn.execute(
            "DELETE FROM speakers WHERE group_id = (SELECT group_id FROM transcripts WHERE id = "
            "?) AND id NOT IN (SELECT speaker_id FROM comments WHERE speaker_id IS NOT NULL) "
            f"AND NOT {RECORDED}",
            [transcript_id],
        )

    def last_revisions(self, comment_ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
        """The newest text revision of each revised comment (of ``comment_ids``, if given)."""
        where = ""
        params: list[Any] = []
        if comment_ids is not None:
            where = f" AND r.comment_id IN ({','.join('?' * len(comment_ids))})"
            params = list(comment_ids)
        rows = self._dicts(
            "SELECT r.comment_id, r.at, r.actor, r.old_text, r.new_text, r.reason FROM "
            "comment_revisions r WHERE r.id = (SELECT max(id) FROM comment_revisions q WHERE "
            "q.comment_id = "
            "r.comment_id)" + where,
            params,
        )
        return {row.pop("comment_id"): row for row in rows}

    def codings_to_review(self, coder_id: int | None = None) -> list[dict[str, Any]]:
        """Codings made before their comment's text last changed: (comment id, ref, coder
        name and kind, when coded, when the text changed), in transcript order."""
        where = " AND k.id = ?" if coder_id is not None else ""
        return self._dicts(
            "SELECT x.comment_id, c.ref, k.name AS coder, k.kind, x.updated_at, r.at AS "
            "revised_at FROM codings x JOIN coders k ON k.id = x.coder_id JOIN comments c ON c.id "
            "= x.comment_id JOIN comment_revisions r ON r.id = (SELECT max(id) FROM "
            "comment_revisions q WHERE q.comment_id = x.comment_id) JOIN focus_groups g ON g.id = "
            "c.group_id JOIN transcripts t ON t.id = c.transcript_id WHERE r.at > "
            f"x.updated_at{where} ORDER BY g.position, t.position, c.position, k.name",
            [coder_id] if coder_id is not None else [],
        )

    def flag_unsure(self, comment_ids: list[int]) -> list[tuple[str, str]]:
        """Mark every study coder's coding of these comments "not sure" without touching when
        it was coded (so it still reads as made before the revision); (ref, coder) flagged."""
        marks = ",".join("?" * len(comment_ids))
        rows = self.conn.execute(
            "SELECT c.ref, k.name FROM codings x JOIN coders k ON k.id = x.coder_id JOIN comments "
            f"c ON c.id = x.comment_id WHERE x.comment_id IN ({marks}) AND k.kind = 'coder' AND "
            "x.unsure = 0 ORDER BY c.ref, k.name",
            comment_ids,
        ).fetchall()
        self.conn.execute(
            f"UPDATE codings SET unsure = 1 WHERE comment_id IN ({marks}) AND unsure = 0 AND "
            "coder_id IN (SELECT id FROM coders WHERE kind = 'coder')",
            comment_ids,
        )
        return [tuple(row) for row in rows]

    # -- removing ------------------------------------------------------------------

    def codings_by_coder_on(self, comment_ids: list[int]) -> dict[str, int]:
        """How many codings each coder (any kind: the agreed coding, training, retest) has on
        these comments."""
        counts: dict[str, int] = {}
        for start in range(0, len(comment_ids), 500):
            chunk = comment_ids[start : start + 500]
            for name, n in self.conn.execute(
                "SELECT k.name, count(*) FROM codings x JOIN coders k ON k.id = x.coder_id WHERE "
                f"x.comment_id IN ({','.join('?' * len(chunk))}) GROUP BY k.name",
                chunk,
            ):
                counts[name] = counts.get(name, 0) + n
        return dict(sorted(counts.items()))

    def ref_range(self, comment_ids: list[int]) -> tuple[str, str] | None:
        """The first and last ref (in ref order) of these comments."""
        refs = sorted(ref for i in comment_ids if (ref := self.comment_ref(i)) is not None)
        return (refs[0], refs[-1]) if refs else None

    def comment_ids_of(
        self, transcript_id: int | None = None, group_id: int | None = None
    ) -> list[int]:
        column, value = (
            ("transcript_id", transcript_id)
            if transcript_id is not None
            else ("group_id", group_id)
        )
        return [
            row[0]
            for row in self.conn.execute(
                f"SELECT id FROM comments WHERE {column} = ? ORDER BY position", [value]
            )
        ]

    def comments_with_texts(self, texts: list[str]) -> list[tuple[int, str]]:
        """(transcript id, text) of every comment whose text is one of ``texts``."""
        import json

        return self.conn.execute(
            "WITH wanted(text) AS (SELECT value FROM json_each(?)) SELECT c.transcript_id, c.text "
            "FROM comments c WHERE c.text IN wanted",
            [json.dumps(texts)],
        ).fetchall()

    def codable_count(self, transcript_id: int) -> int:
        return first_int(
            self.conn,
            "SELECT count(*) FROM comments WHERE transcript_id = ? AND excluded = 0",
            [transcript_id],
        )

    def delete_comments(self, comment_ids: list[int]) -> int:
        """Delete comments and every row that names them (inside a transaction); how many
        codings went. Refs are not freed: the group's next number stays where it is."""
        gone = 0
        for start in range(0, len(comment_ids), 500):
            chunk = comment_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for table in _DEPENDENTS:
                cursor = self.conn.execute(
                    f"DELETE FROM {table} WHERE comment_id IN ({marks})", chunk
                )
                gone += cursor.rowcount if table == "codings" else 0
            self.conn.execute(f"DELETE FROM comments WHERE id IN ({marks})", chunk)
        return gone

    def delete_transcript(self, transcript_id: int) -> int:
        """Delete a transcript, its comments (and what names them) and speakers left with no
        comment in its group; how many codings went."""
        group_id = self.conn.execute(
            "SELECT group_id FROM transcripts WHERE id = ?", [transcript_id]
        ).fetchone()[0]
        gone = self.delete_comments(self.comment_ids_of(transcript_id=transcript_id))
        self.conn.execute("DELETE FROM transcripts WHERE id = ?", [transcript_id])
        self.conn.execute(
            "DELETE FROM speakers WHERE group_id = ? AND id NOT IN (SELECT speaker_id FROM "
            "comments WHERE speaker_id IS NOT NULL)",
            [group_id],
        )
        return gone

    def delete_group(self, group_id: int) -> int:
        """Delete a focus group with its transcripts; its code and next comment number are
        kept in ``removed_groups`` so no later group reuses its refs. How many codings went."""
        gone = sum(
            self.delete_transcript(row[0])
            for row in self.conn.execute(
                "SELECT id FROM transcripts WHERE group_id = ?", [group_id]
            ).fetchall()
        )
        self.conn.execute("DELETE FROM speakers WHERE group_id = ?", [group_id])
        self.conn.execute(
            "INSERT INTO removed_groups (code, name, next_number, removed_at) SELECT code, name, "
            "next_number, ? FROM focus_groups WHERE id = ? ON CONFLICT (code) DO UPDATE SET name "
            "= excluded.name, next_number = max(next_number, excluded.next_number), removed_at = "
            "excluded.removed_at",
            [now(), group_id],
        )
        self.conn.execute("DELETE FROM focus_groups WHERE id = ?", [group_id])
        return gone

    def removed_group_codes(self) -> dict[str, int]:
        """Code (upper case) → the next comment number it had, of every removed group."""
        return {
            code.upper(): number
            for code, number in self.conn.execute("SELECT code, next_number FROM removed_groups")
        }

    def edit_group(self, group_id: int, fields: dict[str, Any]) -> None:
        """Set a group's name, kind, date or stakeholders (None clears all but the name)."""
        allowed = {"name", "kind", "date", "stakeholders"}
        sets = {k: v for k, v in fields.items() if k in allowed}
        if sets:
            self.conn.execute(
                f"UPDATE focus_groups SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                [*sets.values(), group_id],
            )
