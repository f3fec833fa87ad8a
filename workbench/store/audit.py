"""The audit log: one row per change, who made it and when, before and after.

``audit_log`` is append-only (triggers in :mod:`workbench.store.schema` refuse UPDATE
and DELETE), so this module only inserts and reads.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.store.connection import Connection, default_actor, now


class AuditStatements(Connection):
    """Writing and reading the audit log."""

    def audit(
        self,
        action: str,
        entity: str,
        entity_ref: str | None = None,
        before: Any = None,
        after: Any = None,
        note: str | None = None,
        actor: str | None = None,
    ) -> None:
        cursor = self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_ref, before, after, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now(),
                actor or default_actor(),
                action,
                entity,
                entity_ref,
                None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
                None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
                note,
            ],
        )
        own = self.__dict__.get("_own_audit_ids")
        if own is not None:  # an app window watches for other processes' changes
            own.add(cursor.lastrowid)

    def own_audit_ids(self) -> set[int]:
        """Ids of the audit rows this process wrote (any thread) since this was first asked that
        a window has not taken in yet: ``coding.watch`` tells windows what others did."""
        own: set[int] = self.__dict__.setdefault("_own_audit_ids", set())
        return own

    def carry_audit(self, rows: list[tuple[Any, ...]]) -> None:
        """Append rows of another project file's audit log as they were: (at, actor, action,
        entity, entity_ref, before, after, note), before/after as stored (JSON text)."""
        self.conn.executemany(
            "INSERT INTO audit_log (at, actor, action, entity, entity_ref, before, after, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def audit_rows(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM audit_log ORDER BY id")
