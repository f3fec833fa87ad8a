"""Statements on the project itself: its info row, codebooks and their categories
and themes, and the roles of the roster."""

from __future__ import annotations

import json
from typing import Any

from workbench.errors import ProjectError
from workbench.store.codebook import Category, Codebook, Theme
from workbench.store.connection import Connection, now
from workbench.store.records import Role


class ProjectStatements(Connection):
    """The project row, the active codebook, categories, themes, roles."""

    # -- project -----------------------------------------------------------------

    def project_info(self) -> dict[str, Any]:
        return self._dicts("SELECT name, created_at, created_with FROM project")[0]

    # -- codebook ----------------------------------------------------------------

    def active_codebook(self) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM codebooks WHERE active = 1")
        return rows[0] if rows else None

    def codebook(self) -> Codebook:
        """The codebook in use, as one record: its categories and themes in order, with the
        entries earlier codebooks had and this one retired (see :mod:`workbench.store.codebook`)."""
        book = self.active_codebook()
        if book is None:
            raise ProjectError(
                f"{self.path}: the project has no codebook; give it one with "
                "`workbench codebook PROJECT --replace FILE`"
            )
        categories = self.categories(include_retired=True)
        themes = self.themes(include_retired=True)
        return Codebook(
            book["key"],
            book["name"],
            book["version"],
            book["description"] or "",
            tuple(c for c in categories if not c.retired),
            tuple(t for t in themes if not t.retired),
            source=book["content"],
            sha256=book["sha256"],
            retired_categories=tuple(c for c in categories if c.retired),
            retired_themes=tuple(t for t in themes if t.retired),
        )

    def save_codebook(self, codebook: Codebook, source_name: str) -> None:
        """Make ``codebook`` the active one; entries no longer in it are retired, not deleted."""
        conn = self.conn
        conn.execute("UPDATE codebooks SET active = 0 WHERE active = 1")
        conn.execute(
            "INSERT INTO codebooks (key, name, version, description, source_name, content, sha256, "
            "loaded_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [
                codebook.key,
                codebook.name,
                codebook.version,
                codebook.description,
                source_name,
                codebook.source,
                codebook.sha256,
                now(),
            ],
        )
        conn.execute("UPDATE categories SET retired = 1")
        conn.execute("UPDATE themes SET retired = 1")
        conn.executemany(
            "INSERT INTO categories (key, name, shortcut, takes_themes, polarity, description, "
            "position, retired) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(key) DO UPDATE SET "
            "name = excluded.name, shortcut = excluded.shortcut, takes_themes = excluded.takes_themes, "
            "polarity = excluded.polarity, description = excluded.description, "
            "position = excluded.position, retired = 0",
            [
                (c.key, c.name, c.shortcut, int(c.takes_themes), c.polarity, c.description, i)
                for i, c in enumerate(codebook.categories)
            ],
        )
        conn.executemany(
            "INSERT INTO themes (key, name, shortcut, definition, position, retired) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(key) DO UPDATE SET name = excluded.name, "
            "shortcut = excluded.shortcut, definition = excluded.definition, "
            "position = excluded.position, retired = 0",
            [(t.key, t.name, t.shortcut, t.definition, i) for i, t in enumerate(codebook.themes)],
        )

    def codebook_history(self) -> list[dict[str, Any]]:
        """Every codebook installed, oldest first: version, name, SHA-256, when, active."""
        return self._dicts(
            "SELECT id, key, name, version, sha256, loaded_at, active FROM codebooks ORDER BY id"
        )

    def codebook_versions_of(self, coder_id: int) -> list[dict[str, Any]]:
        """The codebooks one coder's codings were last written under (the one in use then),
        with how many codings each: [{version, name, sha256, codings}], oldest first."""
        return self._dicts(
            "SELECT b.version, b.name, b.sha256, count(*) AS codings FROM codings x JOIN codebooks b ON b.id = "
            "coalesce((SELECT id FROM codebooks WHERE loaded_at <= x.updated_at ORDER BY loaded_at DESC, id DESC "
            "LIMIT 1), (SELECT min(id) FROM codebooks)) WHERE x.coder_id = ? AND x.category_key IS NOT NULL "
            "GROUP BY b.id ORDER BY b.id",
            [coder_id],
        )

    def categories(self, include_retired: bool = False) -> list[Category]:
        """The codebook's categories in use, in order (then the retired ones, if asked)."""
        where = "" if include_retired else "WHERE retired = 0"
        rows = self.conn.execute(
            "SELECT key, name, shortcut, takes_themes, polarity, description, retired "
            f"FROM categories {where} ORDER BY retired, position"
        )
        return [
            Category(
                key, name, shortcut or "", bool(takes), polarity, description or "", bool(retired)
            )
            for key, name, shortcut, takes, polarity, description, retired in rows
        ]

    def themes(self, include_retired: bool = False) -> list[Theme]:
        """The codebook's themes in use, in order (then the retired ones, if asked)."""
        where = "" if include_retired else "WHERE retired = 0"
        rows = self.conn.execute(
            "SELECT key, name, shortcut, definition, retired "
            f"FROM themes {where} ORDER BY retired, position"
        )
        return [
            Theme(key, name, shortcut or "", definition or "", bool(retired))
            for key, name, shortcut, definition, retired in rows
        ]

    # -- roles -------------------------------------------------------------------

    def roles(self) -> list[Role]:
        rows = self.conn.execute("SELECT key, name, excluded, aliases FROM roles ORDER BY position")
        return [
            Role(key, name, bool(excluded), tuple(json.loads(aliases)))
            for key, name, excluded, aliases in rows
        ]

    def add_role(self, key: str, name: str, excluded: bool, aliases: tuple[str, ...] = ()) -> None:
        position = self.conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM roles"
        ).fetchone()[0]
        self.conn.execute(
            "INSERT INTO roles (key, name, excluded, aliases, position) VALUES (?, ?, ?, ?, ?)",
            [key, name, int(excluded), json.dumps(list(aliases)), position],
        )
