"""Statements on methods evidence: training and retest coders, the training set with its
gold coding, and retest samples with the first codings they are compared with.

A training or retest coder is a row of ``coders`` of kind ``training``/``retest`` that
names the ``person`` it belongs to; its codings are ordinary rows of ``codings``, which
study code never reads because it selects coders of kind ``coder``.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.store.coding_records import CODER_COLUMNS, Coder
from workbench.store.codings import CodingStatements
from workbench.store.connection import now
from workbench.store.values import new_id, written


class EvidenceStatements(CodingStatements):
    """Training and retest coders, training items, retest samples."""

    # -- training and retest coders ---------------------------------------------------

    def scoped_coder(self, person: str, kind: str) -> Coder | None:
        """The training or retest coder of ``person`` (any case), if it exists."""
        rows = self._coders(
            f"SELECT {CODER_COLUMNS} FROM coders WHERE person = ? AND kind = ?", [person, kind]
        )
        return rows[0] if rows else None

    def scoped_coders(self, kind: str) -> list[Coder]:
        return self._coders(
            f"SELECT {CODER_COLUMNS} FROM coders WHERE kind = ? ORDER BY person", [kind]
        )

    def add_scoped_coder(self, name: str, kind: str, person: str) -> Coder:
        self.conn.execute(
            "INSERT INTO coders (name, kind, person, created_at) VALUES (?, ?, ?, ?)",
            [name, kind, person, now()],
        )
        return written(self.scoped_coder(person, kind), f"{kind} coder of {person}")

    def delete_codings_of(self, coder_id: int) -> int:
        """Delete every coding of one coder (their themes cascade); return how many."""
        return self.conn.execute("DELETE FROM codings WHERE coder_id = ?", [coder_id]).rowcount

    # -- the training set ------------------------------------------------------------

    def training_items(self) -> list[dict[str, Any]]:
        """The training set in transcript order: comment, gold category and themes, rationale."""
        rows = self._dicts(
            "SELECT ti.comment_id, c.ref, g.code AS group_code, c.text, "
            "coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, ti.category_key, ti.themes, "
            "ti.rationale, ti.source, ti.marked_by, ti.marked_at "
            "FROM training_items ti JOIN comments c ON c.id = ti.comment_id "
            "JOIN focus_groups g ON g.id = c.group_id JOIN transcripts t ON t.id = c.transcript_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id ORDER BY g.position, t.position, c.position"
        )
        for row in rows:
            row["themes"] = json.loads(row["themes"])
        return rows

    def training_ids(self) -> set[int]:
        return {row[0] for row in self.conn.execute("SELECT comment_id FROM training_items")}

    def add_training_items(self, rows: list[tuple[Any, ...]], source: str, marked_by: str) -> None:
        """(comment id, category key, theme keys, rationale) per comment; replaces any earlier gold."""
        at = now()
        self.conn.executemany(
            "INSERT INTO training_items (comment_id, category_key, themes, rationale, source, marked_by, "
            "marked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id) DO UPDATE SET "
            "category_key = excluded.category_key, themes = excluded.themes, rationale = excluded.rationale, "
            "source = excluded.source, marked_by = excluded.marked_by, marked_at = excluded.marked_at",
            [
                (c, cat, json.dumps(list(themes)), rationale, source, marked_by, at)
                for c, cat, themes, rationale in rows
            ],
        )

    def remove_training_items(self, comment_ids: list[int]) -> None:
        self.conn.executemany(
            "DELETE FROM training_items WHERE comment_id = ?", [(i,) for i in comment_ids]
        )

    # -- retest samples -------------------------------------------------------------

    def retest_sample(self, coder_id: int) -> dict[str, Any] | None:
        """One coder's retest sample (with the retest coder's name), if drawn."""
        rows = self._dicts(
            "SELECT r.*, k.name AS retest_coder FROM retest_samples r JOIN coders k ON k.id = r.retest_coder_id "
            "WHERE r.coder_id = ?",
            [coder_id],
        )
        return rows[0] if rows else None

    def retest_samples(self) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT r.*, k.name AS coder, (SELECT count(*) FROM codings x WHERE x.coder_id = r.retest_coder_id "
            "AND x.category_key IS NOT NULL) AS recoded FROM retest_samples r JOIN coders k ON k.id = r.coder_id "
            "ORDER BY k.name"
        )

    def add_retest_sample(
        self,
        coder_id: int,
        retest_coder_id: int,
        size: int,
        seed: int,
        min_days: float,
        drawn_by: str,
        items: list[tuple[Any, ...]],
    ) -> int:
        """A sample and its items: (comment id, first category, first themes, first coded at)."""
        sample_id = new_id(
            self.conn.execute(
                "INSERT INTO retest_samples (coder_id, retest_coder_id, size, seed, min_days, drawn_by, drawn_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [coder_id, retest_coder_id, size, seed, min_days, drawn_by, now()],
            )
        )
        self.conn.executemany(
            "INSERT INTO retest_items (sample_id, comment_id, category_key, themes, first_coded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(sample_id, c, cat, json.dumps(list(themes)), at) for c, cat, themes, at in items],
        )
        return sample_id

    def retest_items(self, sample_id: int) -> list[dict[str, Any]]:
        rows = self._dicts(
            "SELECT ri.comment_id, c.ref, c.text, s.role_key AS role, ri.category_key, ri.themes, "
            "ri.first_coded_at FROM retest_items ri JOIN comments c ON c.id = ri.comment_id "
            "JOIN focus_groups g ON g.id = c.group_id JOIN transcripts t ON t.id = c.transcript_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id WHERE ri.sample_id = ? "
            "ORDER BY g.position, t.position, c.position",
            [sample_id],
        )
        for row in rows:
            row["themes"] = json.loads(row["themes"])
        return rows

    def delete_retest_sample(self, sample_id: int) -> None:
        self.conn.execute("DELETE FROM retest_samples WHERE id = ?", [sample_id])

    def coding_times(self, coder_id: int) -> dict[int, str]:
        """When each of one coder's codings was last changed, by comment id."""
        return dict(
            self.conn.execute(
                "SELECT comment_id, updated_at FROM codings WHERE coder_id = ?", [coder_id]
            ).fetchall()
        )

    def coded_with_times(self, coder_id: int) -> list[tuple[Any, ...]]:
        """(comment id, category, updated at) of one coder's codings of comments to code that
        have a category, in transcript order: what a retest sample is drawn from."""
        return self.conn.execute(
            "SELECT k.comment_id, k.category_key, k.updated_at FROM codings k "
            "JOIN comments c ON c.id = k.comment_id JOIN focus_groups g ON g.id = c.group_id "
            "JOIN transcripts t ON t.id = c.transcript_id "
            "WHERE k.coder_id = ? AND c.excluded = 0 AND k.category_key IS NOT NULL "
            "ORDER BY g.position, t.position, c.position",
            [coder_id],
        ).fetchall()
