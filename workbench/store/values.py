"""Single values read back from SQLite, typed: a count or pragma, a new row's id, a row the
statement just written guarantees. ``sqlite3`` types a row's values as ``Any`` and a cursor's
``lastrowid`` as optional; these say what the statement makes them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def first_int(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    """The first column of the first row of a query that always returns one (a count, a
    ``coalesce(max(id), 0)``, an integer pragma)."""
    value = conn.execute(sql, params).fetchone()[0]
    return int(value)


def new_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an ``INSERT`` just wrote (set by SQLite after every insert)."""
    if cursor.lastrowid is None:
        raise RuntimeError("an INSERT wrote no row")
    return cursor.lastrowid


def written(value: T | None, what: str) -> T:
    """A row read back right after writing it, in the same transaction: absent only if the
    write did not happen, which is a defect, not a user's mistake."""
    if value is None:
        raise RuntimeError(f"{what} was written but cannot be read back")
    return value
