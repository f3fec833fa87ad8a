"""Statements on participants and their attributes (migration 18, SQL in ``schema_v18``).

Every speaker of a focus group is a participant; linked speakers share one. Attributes are
declared (of participants or of focus groups, typed) and their values stored as canonical
text; the rules (types, validation, names) are :mod:`workbench.project.attributes`'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.store.connection import Connection
from workbench.store.values import new_id, written

# A speaker whose participant carries what someone recorded about them: a value, a name, or a
# link to another group's speaker. A speaker who no longer speaks is kept when this holds
# (a corrected transcript that drops their turns must not drop what the team recorded).
RECORDED = (
    "(participant_id IN (SELECT participant_id FROM participant_values) "
    "OR participant_id IN (SELECT id FROM participants WHERE name IS NOT NULL) "
    "OR participant_id IN (SELECT participant_id FROM speakers "
    "GROUP BY participant_id HAVING count(*) > 1))"
)


@dataclass(frozen=True)
class Attribute:
    """A declared attribute: of ``participant`` or ``group``; ``type`` text, number, date or
    choice (``choices`` in their order); ``hidden`` from a coder who codes blind."""

    name: str
    scope: str
    type: str
    choices: tuple[str, ...] = ()
    hidden: bool = False
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class SpeakerEntry:
    """One speaker of one focus group and the participant they are."""

    speaker_id: int
    group_id: int
    group_code: str
    group_name: str
    label: str
    role: str | None
    participant_id: int
    participant_name: str | None  # None until named (shown as ``FG1/label``)
    comments: int  # codable comments

    @property
    def ref(self) -> str:
        """How commands name the speaker: ``FG1/label``."""
        return f"{self.group_code}/{self.label}"


def _attribute(row: tuple[Any, ...]) -> Attribute:
    name, scope, kind, choices, hidden, description, position = row
    return Attribute(
        name, scope, kind, tuple(json.loads(choices)), bool(hidden), description, position
    )


_ATTRIBUTE_COLUMNS = "name, scope, type, choices, hidden, description, position"


class ParticipantStatements(Connection):
    """Participants (speakers linked as one person), declared attributes and their values."""

    # -- attributes ----------------------------------------------------------------

    def attributes(self, scope: str | None = None) -> list[Attribute]:
        sql = f"SELECT {_ATTRIBUTE_COLUMNS} FROM attributes"
        params: list[Any] = []
        if scope is not None:
            sql += " WHERE scope = ?"
            params.append(scope)
        return [_attribute(r) for r in self.conn.execute(sql + " ORDER BY position", params)]

    def attribute_named(self, name: str) -> Attribute | None:
        row = self.conn.execute(
            f"SELECT {_ATTRIBUTE_COLUMNS} FROM attributes WHERE name = ?", [name]
        ).fetchone()
        return _attribute(row) if row else None

    def add_attribute(self, attribute: Attribute) -> Attribute:
        position = self.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM attributes"
        ).fetchone()[0]
        self.conn.execute(
            f"INSERT INTO attributes ({_ATTRIBUTE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                attribute.name,
                attribute.scope,
                attribute.type,
                json.dumps(list(attribute.choices)),
                int(attribute.hidden),
                attribute.description,
                position,
            ],
        )
        return self._declared(attribute.name)

    def _declared(self, name: str) -> Attribute:
        """An attribute the caller knows is declared (checked first, or just written)."""
        return written(self.attribute_named(name), f"attribute {name!r}")

    def update_attribute(self, name: str, attribute: Attribute) -> None:
        """Replace the declaration of ``name`` (a new name carries its values along)."""
        self.conn.execute(
            "UPDATE attributes SET name = ?, type = ?, choices = ?, hidden = ?, description = ? "
            "WHERE name = ?",
            [
                attribute.name,
                attribute.type,
                json.dumps(list(attribute.choices)),
                int(attribute.hidden),
                attribute.description,
                name,
            ],
        )

    def delete_attribute(self, name: str) -> None:
        self.conn.execute("DELETE FROM attributes WHERE name = ?", [name])

    def attribute_values(self, name: str) -> dict[int, str]:
        """Every value of one attribute: participant id or group id → value."""
        table, key = _values_table(self._declared(name).scope)
        return dict(
            self.conn.execute(
                f"SELECT {key}, value FROM {table} WHERE attribute = ?", [name]
            ).fetchall()
        )

    def replace_attribute_values(self, name: str, values: dict[int, str]) -> None:
        """Rewrite one attribute's values (a change of type puts them in its canonical form)."""
        table, key = _values_table(self._declared(name).scope)
        self.conn.executemany(
            f"UPDATE {table} SET value = ? WHERE attribute = ? AND {key} = ?",
            [(value, name, owner) for owner, value in values.items()],
        )

    # -- participants ----------------------------------------------------------------

    def speaker_entries(self, group_id: int | None = None) -> list[SpeakerEntry]:
        """Every speaker with their participant and codable comments, in group and speaking
        order."""
        sql = (
            "SELECT s.id, s.group_id, g.code, g.name, s.label, s.role_key, s.participant_id, "
            "p.name, "
            "coalesce(sum(c.excluded = 0), 0) FROM speakers s JOIN focus_groups g ON g.id = "
            "s.group_id "
            "JOIN participants p ON p.id = s.participant_id "
            "LEFT JOIN comments c ON c.speaker_id = s.id"
        )
        params: list[Any] = []
        if group_id is not None:
            sql += " WHERE s.group_id = ?"
            params.append(group_id)
        sql += (
            " GROUP BY s.id ORDER BY g.position, min(c.position) IS NULL, min(c.position), s.label"
        )
        return [SpeakerEntry(*row) for row in self.conn.execute(sql, params)]

    def participant_values(self) -> dict[int, dict[str, str]]:
        """Participant id → {attribute: value}."""
        return self._owned_values("participant")

    def group_values(self) -> dict[int, dict[str, str]]:
        """Focus group id → {attribute: value}."""
        return self._owned_values("group")

    def _owned_values(self, scope: str) -> dict[int, dict[str, str]]:
        table, key = _values_table(scope)
        out: dict[int, dict[str, str]] = {}
        for owner, name, value in self.conn.execute(
            f"SELECT v.{key}, a.name, v.value FROM {table} v "
            "JOIN attributes a ON a.name = v.attribute ORDER BY a.position"
        ):
            out.setdefault(owner, {})[name] = value
        return out

    def set_participant_value(self, participant_id: int, attribute: str, value: str | None) -> None:
        self._set_value("participant", participant_id, attribute, value)

    def set_group_value(self, group_id: int, attribute: str, value: str | None) -> None:
        self._set_value("group", group_id, attribute, value)

    def _set_value(self, scope: str, owner: int, attribute: str, value: str | None) -> None:
        """One owner's value of one attribute; None deletes it."""
        table, key = _values_table(scope)
        if value is None:
            self.conn.execute(
                f"DELETE FROM {table} WHERE {key} = ? AND attribute = ?", [owner, attribute]
            )
        else:
            self.conn.execute(
                f"INSERT INTO {table} ({key}, attribute, value) VALUES (?, ?, ?) "
                f"ON CONFLICT ({key}, attribute) DO UPDATE SET value = excluded.value",
                [owner, attribute, value],
            )

    def participant_named(self, name: str) -> int | None:
        row = self.conn.execute("SELECT id FROM participants WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def name_participant(self, participant_id: int, name: str | None) -> None:
        self.conn.execute("UPDATE participants SET name = ? WHERE id = ?", [name, participant_id])

    def move_speaker(self, speaker_id: int, participant_id: int) -> None:
        """Make a speaker one person with ``participant_id`` (its old participant, left with no
        speaker, goes with its values: the caller moves what it keeps first)."""
        self.conn.execute(
            "UPDATE speakers SET participant_id = ? WHERE id = ?", [participant_id, speaker_id]
        )

    def new_participant(self, speaker_id: int) -> int:
        """Give a speaker a participant of its own (unlinking it); return the new id."""
        participant_id = new_id(self.conn.execute("INSERT INTO participants (name) VALUES (NULL)"))
        self.move_speaker(speaker_id, participant_id)
        return participant_id

    def comment_ids_owned(
        self, speaker_ids: set[int] | None, group_ids: set[int] | None
    ) -> set[int]:
        """Comments by these speakers (None: any) in these focus groups (None: any)."""
        clauses, params = [], []
        if speaker_ids is not None:
            clauses.append("speaker_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(speaker_ids)))
        if group_ids is not None:
            clauses.append("group_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(group_ids)))
        where = " AND ".join(clauses) or "1"
        return {
            row[0] for row in self.conn.execute(f"SELECT id FROM comments WHERE {where}", params)
        }


def _values_table(scope: str) -> tuple[str, str]:
    return (
        ("participant_values", "participant_id")
        if scope == "participant"
        else ("group_values", "group_id")
    )
