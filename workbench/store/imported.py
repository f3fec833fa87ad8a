"""Statements of an import that writes many codings into a new project at once (a .qdpx): each
coding, its themes, its audit row and, for the agreed coding, its reconciliation status, as a few
``executemany`` in the caller's transaction rather than several statements per coding."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.store.connection import Connection, now


@dataclass(frozen=True)
class ImportedCoding:
    """One coder's coding of one comment as an import writes it (the comment had none)."""

    coder_id: int
    coder_name: str
    comment_id: int
    ref: str
    category: str | None
    themes: tuple[str, ...]
    memo: str
    unsure: bool
    exemplar: bool
    agreed: bool  # the agreed coding: it gets the reconciliation status "imported"

    def audited(self) -> dict[str, Any]:
        """The coding as an audit row's ``after`` holds it (as ``Coding.as_dict`` writes it)."""
        return {
            "category": self.category,
            "themes": list(self.themes),
            "memo": self.memo,
            "unsure": self.unsure,
            "exemplar": self.exemplar,
        }


class ImportStatements(Connection):
    """Codings written by an import, many at once."""

    def insert_imported_codings(self, codings: list[ImportedCoding], note: str) -> None:
        """Write ``codings`` (none of them may exist yet), each with an audit row (action
        ``import``, ``before`` the empty coding) and, if agreed, reconciliation status
        ``imported``; call inside a transaction."""
        conn, at = self.conn, now()
        conn.executemany(
            "INSERT INTO codings (comment_id, coder_id, category_key, memo, unsure, exemplar, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (c.comment_id, c.coder_id, c.category, c.memo, int(c.unsure), int(c.exemplar), at)
                for c in codings
            ],
        )
        coders = sorted({c.coder_id for c in codings})
        ids = {}
        for coder_id in coders:
            for coding_id, comment_id in conn.execute(
                "SELECT id, comment_id FROM codings WHERE coder_id = ?", [coder_id]
            ):
                ids[(coder_id, comment_id)] = coding_id
        conn.executemany(
            "INSERT INTO coding_themes (coding_id, theme_key) VALUES (?, ?)",
            [(ids[(c.coder_id, c.comment_id)], key) for c in codings for key in c.themes],
        )
        empty = json.dumps(
            {"category": None, "themes": [], "memo": "", "unsure": False, "exemplar": False},
            ensure_ascii=False,
            sort_keys=True,
        )
        conn.executemany(
            "INSERT INTO audit_log (at, actor, action, entity, entity_ref, before, after, note) "
            "VALUES (?, ?, 'import', 'coding', ?, ?, ?, ?)",
            [
                (
                    at,
                    c.coder_name,
                    c.ref,
                    empty,
                    json.dumps(c.audited(), ensure_ascii=False, sort_keys=True),
                    note,
                )
                for c in codings
            ],
        )
        conn.executemany(
            "INSERT INTO reconciliations (comment_id, status, rationale, coders, decided_by, "
            "decided_at) VALUES (?, 'imported', ?, '[]', ?, ?)",
            [(c.comment_id, note, c.coder_name, at) for c in codings if c.agreed],
        )
