"""Statements for noticing what other processes changed, and for checking the words of a
comment inside a write's transaction.

* ``data_version`` is SQLite's per-connection counter that moves when another connection
  commits: checking it costs microseconds, so open windows ask it every second.
* The audit log says what changed (every write is audited, and its ids only grow: triggers
  refuse UPDATE and DELETE), so a window reads the rows after the last one it took in.
* ``comment_words`` reads a comment's ref and text by its id: what a coding write compares
  with the words the window showed (``workbench.coding.seen``).
"""

from __future__ import annotations

from typing import Any

from workbench.store.connection import Connection
from workbench.store.values import first_int


class ChangeStatements(Connection):
    """Other processes' commits, and a comment's words."""

    def data_version(self) -> int:
        """Moves whenever another connection (another window, process or thread) committed."""
        return first_int(self.conn, "PRAGMA data_version")

    def audit_mark(self) -> int:
        """The id of the newest audit row (0: none)."""
        return first_int(self.conn, "SELECT coalesce(max(id), 0) FROM audit_log")

    def audit_since(self, mark: int, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` audit rows after ``mark``, oldest first (``after`` only for comment
        rows, which name the refs a split or merge made)."""
        return self._dicts(
            "SELECT id, at, actor, action, entity, entity_ref, "
            "CASE WHEN entity = 'comment' THEN after END AS after FROM audit_log "
            "WHERE id > ? ORDER BY id LIMIT ?",
            [mark, limit],
        )

    def comment_words(self, comment_id: int) -> tuple[str, str] | None:
        """(ref, text) of a comment, None if there is no such comment."""
        row: tuple[str, str] | None = self.conn.execute(
            "SELECT ref, text FROM comments WHERE id = ?", [comment_id]
        ).fetchone()
        return row

    def comment_ids(self, refs: list[str]) -> dict[str, int]:
        """Ids of the comments with these refs, exactly as the audit log writes them (off the
        refs' unique index: ``find_ref``, which ignores case, reads every comment)."""
        ids: dict[str, int] = {}
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            ids.update(
                self.conn.execute(
                    f"SELECT ref, id FROM comments WHERE ref IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            )
        return ids

    def comment_event(self, ref: str, group_code: str, mark: int) -> dict[str, Any] | None:
        """The newest audit row after ``mark`` that changed the comment ``ref``: a row about the
        comment (a split or merge names it as its ref, or in its before or after), else one
        about its focus group or a transcript of it (``FG1/fg1.txt``: imports, replacements,
        removals). Read only when a write is refused, so it may scan the rows since ``mark``."""
        quoted, group = '%"' + _escaped(ref) + '"%', _escaped(group_code) + "/%"
        direct = "(entity_ref = ? OR before LIKE ? ESCAPE '\\' OR after LIKE ? ESCAPE '\\')"
        rows = self._dicts(
            f"SELECT id, at, actor, action, entity, entity_ref, after FROM audit_log WHERE id > ? "
            f"AND entity NOT IN ('coding', 'reconciliation', 'review') AND ({direct} "
            "OR entity_ref = ? OR entity_ref LIKE ? ESCAPE '\\') "
            f"ORDER BY {direct} DESC, id DESC LIMIT 1",
            [mark, ref, quoted, quoted, group_code, group, ref, quoted, quoted],
        )
        return rows[0] if rows else None


def _escaped(text: str) -> str:
    """``text`` as a LIKE pattern matching itself (``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
