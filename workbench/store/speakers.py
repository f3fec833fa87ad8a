"""Statements that fix who said what after an import: a speaker renamed, two speakers
merged, one comment given another speaker (``project.speakers`` decides and audits); and
the group code an import would give a new group, read without writing (``--dry-run``)."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.store.connection import Connection
from workbench.store.participants import RECORDED
from workbench.store.values import new_id


@dataclass(frozen=True)
class CommentSpeaker:
    id: int
    ref: str
    group_id: int
    speaker_id: int | None
    speaker: str | None
    excluded: bool
    excluded_reason: str | None


class SpeakerStatements(Connection):
    """Speakers by label, and moving comments between them."""

    def planned_group_code(self, taken: set[str]) -> str:
        """The code ``create_group`` would give the next new group, codes in ``taken`` (planned
        for other new groups of the same import) counting as used."""
        position = (
            self.conn.execute("SELECT count(*) FROM focus_groups").fetchone()[0] + 1 + len(taken)
        )
        used = {row[0].upper() for row in self.conn.execute("SELECT code FROM focus_groups")}
        used |= {code.upper() for code in taken}
        while f"FG{position}" in used:
            position += 1
        return f"FG{position}"

    def comment_speaker(self, ref: str) -> CommentSpeaker | None:
        """A comment by its ref (any case) with its speaker."""
        row = self.conn.execute(
            "SELECT c.id, c.ref, c.group_id, c.speaker_id, s.label, c.excluded, "
            "c.excluded_reason FROM comments c LEFT JOIN speakers s ON s.id = c.speaker_id "
            "WHERE c.ref = ? COLLATE NOCASE",
            [ref],
        ).fetchone()
        if row is None:
            return None
        comment_id, comment_ref, group_id, speaker_id, label, excluded, reason = row
        return CommentSpeaker(
            comment_id, comment_ref, group_id, speaker_id, label, bool(excluded), reason
        )

    def coders_of_comments(self, comment_ids: list[int]) -> dict[int, list[str]]:
        """Per comment, the coders (and the agreed coding) who coded it."""
        out: dict[int, list[str]] = {}
        for start in range(0, len(comment_ids), 500):
            chunk = comment_ids[start : start + 500]
            for comment_id, name in self.conn.execute(
                "SELECT k.comment_id, d.name FROM codings k JOIN coders d ON d.id = k.coder_id "
                f"WHERE k.comment_id IN ({','.join('?' * len(chunk))}) ORDER BY d.name",
                chunk,
            ):
                out.setdefault(comment_id, []).append(name)
        return out

    def speaker_comment_ids(self, speaker_id: int) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM comments WHERE speaker_id = ? ORDER BY position", [speaker_id]
            )
        ]

    def add_speaker(self, group_id: int, label: str, role_key: str | None) -> int:
        return new_id(
            self.conn.execute(
                "INSERT INTO speakers (group_id, label, role_key) VALUES (?, ?, ?)",
                [group_id, label, role_key],
            )
        )

    def rename_speaker(self, speaker_id: int, label: str) -> None:
        self.conn.execute("UPDATE speakers SET label = ? WHERE id = ?", [label, speaker_id])

    def delete_speaker(self, speaker_id: int) -> None:
        self.conn.execute("DELETE FROM speakers WHERE id = ?", [speaker_id])

    def delete_speaker_unless_recorded(self, speaker_id: int) -> bool:
        """Delete the speaker unless their participant carries a value, a name or a link
        (:data:`~workbench.store.participants.RECORDED`); whether it went."""
        return bool(
            self.conn.execute(
                f"DELETE FROM speakers WHERE id = ? AND NOT {RECORDED}", [speaker_id]
            ).rowcount
        )

    def move_comments(self, comment_ids: list[int], speaker_id: int | None) -> None:
        """Give comments another speaker (None: no speaker) and derive their exclusion from its
        role, as an import would; an exclusion set for another reason stays."""
        role = None
        if speaker_id is not None:
            role = self.conn.execute(
                "SELECT role_key FROM speakers WHERE id = ?", [speaker_id]
            ).fetchone()[0]
        for start in range(0, len(comment_ids), 500):
            chunk = comment_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(
                f"UPDATE comments SET speaker_id = ?, no_speaker = ? WHERE id IN ({marks})",
                [speaker_id, int(speaker_id is None), *chunk],
            )
            self.conn.execute(
                "UPDATE comments SET excluded = coalesce((SELECT excluded FROM roles WHERE key "
                "= ?), 0), excluded_reason = CASE WHEN (SELECT excluded FROM roles WHERE key = "
                f"?) = 1 THEN 'role ' || ? ELSE NULL END WHERE id IN ({marks}) AND "
                "(excluded_reason IS NULL OR excluded_reason LIKE 'role %')",
                [role, role, role, *chunk],
            )
