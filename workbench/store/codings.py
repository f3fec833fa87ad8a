"""Statements on coders and codings: one coding at a time for the coding screen,
each coder's codings and progress, and the coding table reports and statistics read.

Codings reference categories and themes by their stable codebook key. The agreed
coding is the coding of a coder of kind ``agreed``, so every sheet, statistic and
table reads agreed and individual codings the same way.
"""

from __future__ import annotations

from typing import Any

from workbench.store.coding_records import CODER_COLUMNS, Coder, Coding
from workbench.store.connection import now
from workbench.store.project import ProjectStatements
from workbench.store.transcripts import TranscriptStatements
from workbench.store.values import first_int, written

# A coding is complete when it has a category and, where the category takes themes, a
# theme: one definition for the coding screen, status, home and the agreed coding.
_CODED = (
    "FROM codings x JOIN comments c ON c.id = x.comment_id WHERE x.coder_id = k.id "
    "AND c.group_id = g.id AND c.excluded = 0 AND x.category_key IS NOT NULL"
)
_COMPLETE = (
    "(NOT (SELECT takes_themes FROM categories WHERE key = x.category_key) "
    "OR EXISTS (SELECT 1 FROM coding_themes ct WHERE ct.coding_id = x.id))"
)


class CodingStatements(TranscriptStatements, ProjectStatements):
    """Coders and codings. Over the project and transcript statements because codings
    list their themes in codebook order and the coding table reads transcripts in order."""

    # -- coders ------------------------------------------------------------------

    def coders(self, include_scoped: bool = False) -> list[Coder]:
        """Every coder, by kind and name. Training and retest coders (kinds ``training`` and
        ``retest``, methods evidence) only with ``include_scoped``: they are never study coders,
        so nothing that lists coders (sheets, exports, agreement, the app) sees them."""
        where = "" if include_scoped else " WHERE kind NOT IN ('training', 'retest')"
        return self._coders(f"SELECT {CODER_COLUMNS} FROM coders{where} ORDER BY kind, name")

    def coder_named(self, name: str) -> Coder | None:
        """The coder of this name (any case), if there is one."""
        rows = self._coders(f"SELECT {CODER_COLUMNS} FROM coders WHERE name = ?", [name])
        return rows[0] if rows else None

    def _coders(self, sql: str, params: list[Any] | None = None) -> list[Coder]:
        return [Coder.from_row(row) for row in self.conn.execute(sql, params or [])]

    def rename_coder(self, coder_id: int, name: str) -> None:
        self.conn.execute("UPDATE coders SET name = ? WHERE id = ?", [name, coder_id])

    def delete_coder(self, coder_id: int) -> int:
        """Delete a coder and their codings (inside a transaction); how many codings went."""
        gone = self.conn.execute("DELETE FROM codings WHERE coder_id = ?", [coder_id]).rowcount
        self.conn.execute("DELETE FROM coders WHERE id = ?", [coder_id])
        return gone

    def codings_per_coder(self) -> dict[int, int]:
        return dict(
            self.conn.execute("SELECT coder_id, count(*) FROM codings GROUP BY coder_id").fetchall()
        )

    def set_suggestions(self, coder_id: int, on: bool) -> None:
        """Whether the coding screen shows this coder a model's suggestions."""
        self.conn.execute("UPDATE coders SET suggestions = ? WHERE id = ?", [int(on), coder_id])

    def add_coder(self, name: str, kind: str = "coder", created_at: str | None = None) -> Coder:
        self.conn.execute(
            "INSERT INTO coders (name, kind, created_at) VALUES (?, ?, ?)",
            [name, kind, created_at or now()],
        )
        return written(self.coder_named(name), f"coder {name}")

    # -- codings -----------------------------------------------------------------

    def coding(self, coder_id: int, comment_id: int) -> Coding | None:
        """One coder's coding of one comment, with its theme keys in codebook order."""
        row = self.conn.execute(
            "SELECT id, category_key, memo, unsure, exemplar, suggested_by, updated_at FROM codings "
            "WHERE coder_id = ? AND comment_id = ?",
            [coder_id, comment_id],
        ).fetchone()
        if row is None:
            return None
        coding_id, category, memo, unsure, exemplar, model, at = row
        themes = self.conn.execute(
            "SELECT ct.theme_key FROM coding_themes ct JOIN themes t ON t.key = ct.theme_key "
            "WHERE ct.coding_id = ? ORDER BY t.position",
            [coding_id],
        ).fetchall()
        keys = tuple(key for (key,) in themes)
        return Coding(comment_id, category, keys, memo, unsure == 1, exemplar == 1, model, at)

    def codings_of(self, coder_id: int, group_id: int | None = None) -> dict[int, Coding]:
        """Every coding of one coder (of one focus group's comments, with ``group_id``), by
        comment id (for lists, filters, progress and the transcript view)."""
        in_group = " AND k.comment_id IN (SELECT id FROM comments WHERE group_id = ?)"
        rows = self.conn.execute(
            "SELECT k.comment_id, k.category_key, group_concat(ct.theme_key, ' '), k.memo, "
            "k.unsure, k.exemplar, k.suggested_by, k.updated_at "
            "FROM codings k LEFT JOIN coding_themes ct ON ct.coding_id = k.id "
            f"WHERE k.coder_id = ?{in_group if group_id else ''} GROUP BY k.id",
            [coder_id, group_id] if group_id else [coder_id],
        ).fetchall()
        order = dict(self.conn.execute("SELECT key, position FROM themes").fetchall())
        # group_concat has no defined order: put themes in codebook order, one tuple per
        # distinct theme string (a few hundred on 100,000 codings).
        tuples: dict[str | None, tuple[str, ...]] = {None: ()}
        out = {}
        for comment_id, category, keys, memo, unsure, exemplar, model, at in rows:
            themes = tuples.get(keys)
            if themes is None:
                themes = tuples[keys] = tuple(sorted(keys.split(), key=order.__getitem__))
            out[comment_id] = Coding(
                comment_id, category, themes, memo, unsure == 1, exemplar == 1, model, at
            )
        return out

    def memos(self, coder_id: int) -> list[dict[str, Any]]:
        """One coder's codings that carry a memo, each with its comment (ref, group, speaker,
        role, text), in transcript order; themes as keys in codebook order."""
        rows = self._dicts(
            "SELECT c.id AS comment_id, c.ref, g.code AS group_code, g.name AS group_name, "
            "coalesce(s.label, 'unknown') AS speaker, s.role_key AS role, c.text, k.category_key, "
            "k.memo, k.unsure, k.exemplar, k.updated_at, "
            "(SELECT group_concat(ct.theme_key, ' ') FROM coding_themes ct WHERE ct.coding_id = k.id) AS themes "
            "FROM codings k JOIN comments c ON c.id = k.comment_id "
            "JOIN focus_groups g ON g.id = c.group_id JOIN transcripts t ON t.id = c.transcript_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id "
            "WHERE k.coder_id = ? AND k.memo <> '' ORDER BY g.position, t.position, c.position",
            [coder_id],
        )
        order = dict(self.conn.execute("SELECT key, position FROM themes").fetchall())
        for row in rows:
            row["themes"] = (
                sorted(row["themes"].split(), key=order.__getitem__) if row["themes"] else []
            )
        return rows

    def save_coding(
        self,
        coder_id: int,
        comment_id: int,
        category_key: str | None,
        themes: list[str],
        memo: str,
        unsure: bool,
        exemplar: bool,
        suggested_by: int | None = None,
    ) -> None:
        """Insert or replace one coder's coding of one comment (inside a transaction);
        ``suggested_by``: the model whose suggestion the coder accepted for it."""
        conn = self.conn
        coding_id = conn.execute(
            "INSERT INTO codings (comment_id, coder_id, category_key, memo, unsure, exemplar, "
            "suggested_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (comment_id, coder_id) "
            "DO UPDATE SET category_key = excluded.category_key, memo = excluded.memo, "
            "unsure = excluded.unsure, exemplar = excluded.exemplar, suggested_by = excluded.suggested_by, "
            "updated_at = excluded.updated_at RETURNING id",
            [
                comment_id,
                coder_id,
                category_key,
                memo,
                int(unsure),
                int(exemplar),
                suggested_by,
                now(),
            ],
        ).fetchone()[0]
        conn.execute("DELETE FROM coding_themes WHERE coding_id = ?", [coding_id])
        conn.executemany(
            "INSERT INTO coding_themes (coding_id, theme_key) VALUES (?, ?)",
            [(coding_id, key) for key in themes],
        )

    def delete_coding(self, coder_id: int, comment_id: int) -> None:
        self.conn.execute(
            "DELETE FROM codings WHERE coder_id = ? AND comment_id = ?", [coder_id, comment_id]
        )

    # -- coding table and counts -------------------------------------------------

    def coding_table(self, coder_id: int | None) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Every codable comment in transcript order with one coder's coding, as column names
        and row tuples (None category: not coded; themes a tuple of keys in codebook order).
        The rows report tables and agreement statistics are computed from; tuples, not dicts,
        because a large project has 100,000 of them."""
        # One query per transcript, in reading order, each off the comments_codable index:
        # a single ORDER BY over every comment sorted 100,000 rows with their text.
        sql = (
            "SELECT c.id, c.ref, g.code AS group_code, g.name AS group_name, g.kind AS group_kind, "
            "g.position AS group_position, c.transcript_id, coalesce(s.label, 'unknown') AS speaker, "
            "s.role_key AS role, s.participant_id AS participant, "
            "k.suggested_by, c.text, k.category_key AS category, coalesce(k.exemplar, 0) AS exemplar, "
            "(SELECT group_concat(ct.theme_key, ' ') FROM coding_themes ct WHERE ct.coding_id = k.id) AS themes "
            "FROM comments c JOIN focus_groups g ON g.id = c.group_id "
            "LEFT JOIN speakers s ON s.id = c.speaker_id "
            "LEFT JOIN codings k ON k.comment_id = c.id AND k.coder_id = ? "
            "WHERE c.excluded = 0 AND c.group_id = ? AND c.transcript_id = ? ORDER BY c.position"
        )
        rows, names = [], None
        for group_id, transcript_id in self.transcript_order():
            cursor = self.conn.execute(sql, [coder_id, group_id, transcript_id])
            names = names or [d[0] for d in cursor.description]
            rows += cursor.fetchall()
        if names is None:  # no transcripts: the columns all the same
            names = [d[0] for d in self.conn.execute(sql, [coder_id, 0, 0]).description]
        order = dict(self.conn.execute("SELECT key, position FROM themes").fetchall())
        last = len(names) - 1
        out = []
        # one tuple per distinct theme string (a few hundred)
        tuples: dict[str | None, tuple[str, ...]] = {None: (), "": ()}
        for row in rows:
            themes = tuples.get(row[last])
            if themes is None:
                keys = row[last].split()
                # group_concat has no defined order: put themes in codebook order.
                themes = tuples[row[last]] = tuple(sorted(keys, key=order.__getitem__))
            out.append((*row[:-2], bool(row[-2]), themes))
        return names, out

    def coded_comments(self, coder_id: int | None) -> list[dict[str, Any]]:
        """:meth:`coding_table` as dicts."""
        names, rows = self.coding_table(coder_id)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def agreement_codings(self, coder_id: int) -> list[tuple[Any, ...]]:
        """(ref, group code, category, themes, suggested_by, comment id) of one coder's codings of
        comments to code that have a category, in reading order: what agreement statistics read
        (no comment text: a fifth of the time of :meth:`coding_table` on 100,000 comments).
        Themes are a space-separated string of keys (None without themes)."""
        return self.conn.execute(
            "SELECT c.ref, g.code, k.category_key, "
            "(SELECT group_concat(ct.theme_key, ' ') FROM coding_themes ct WHERE ct.coding_id = k.id), "
            "k.suggested_by, c.id "
            "FROM codings k JOIN comments c ON c.id = k.comment_id JOIN focus_groups g ON g.id = c.group_id "
            "WHERE k.coder_id = ? AND c.excluded = 0 AND k.category_key IS NOT NULL "
            "ORDER BY g.position, c.transcript_id, c.position",
            [coder_id],
        ).fetchall()

    def suggestion_accepted_counts(self) -> dict[str, int]:
        """Per coder, how many codings were taken from a model's suggestion."""
        return dict(
            self.conn.execute(
                "SELECT k.name, count(*) FROM codings x JOIN coders k ON k.id = x.coder_id "
                "WHERE x.suggested_by IS NOT NULL GROUP BY k.name ORDER BY k.name"
            ).fetchall()
        )

    def coding_count(self) -> int:
        return first_int(self.conn, "SELECT count(*) FROM codings")

    def codings_on_transcript(self, transcript_id: int) -> int:
        return first_int(
            self.conn,
            "SELECT count(*) FROM codings k JOIN comments c ON c.id = k.comment_id "
            "WHERE c.transcript_id = ?",
            [transcript_id],
        )

    def coding_states(self, coder_id: int) -> list[tuple[Any, ...]]:
        """(comment id, category key, has a theme, unsure) of each of one coder's
        codings of comments to code: what progress and "next uncoded" need, without
        loading memos or theme lists."""
        return self.conn.execute(
            "SELECT k.comment_id, k.category_key, "
            "EXISTS (SELECT 1 FROM coding_themes ct WHERE ct.coding_id = k.id), k.unsure "
            "FROM codings k JOIN comments c ON c.id = k.comment_id "
            "WHERE k.coder_id = ? AND c.excluded = 0",
            [coder_id],
        ).fetchall()

    def coder_progress(self) -> list[dict[str, Any]]:
        """Per group and coder: codable comments, how many the coder has coded completely (a
        category, and a theme where the category takes themes: the coding screen's definition
        of coded) and how many still need a theme."""
        return self._dicts(
            "SELECT g.id AS group_id, g.code, k.id AS coder_id, k.name AS coder, "
            "(SELECT count(*) FROM comments c WHERE c.group_id = g.id AND c.excluded = 0) AS codable, "
            f"(SELECT count(*) {_CODED} AND {_COMPLETE}) AS coded, "
            f"(SELECT count(*) {_CODED} AND NOT {_COMPLETE}) AS needs_theme "
            "FROM focus_groups g CROSS JOIN coders k WHERE k.kind = 'coder' "
            "ORDER BY g.position, k.name"
        )

    def complete_codings(self, coder_id: int) -> tuple[int, int]:
        """(complete codings, codings that still need a theme) of one coder, all groups."""
        complete, incomplete = self.conn.execute(
            "SELECT coalesce(sum(complete), 0), coalesce(sum(1 - complete), 0) FROM (SELECT "
            f"{_COMPLETE} AS complete FROM codings x JOIN comments c ON c.id = x.comment_id "
            "WHERE x.coder_id = ? AND c.excluded = 0 AND x.category_key IS NOT NULL)",
            [coder_id],
        ).fetchone()
        return int(complete), int(incomplete)

    def codings_on_comments(self, comment_ids: list[int]) -> int:
        """How many codings (any coder) the given comments carry."""
        marks = ",".join("?" * len(comment_ids))
        return first_int(
            self.conn, f"SELECT count(*) FROM codings WHERE comment_id IN ({marks})", comment_ids
        )
