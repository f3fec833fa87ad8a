"""Statements on the team server's accounts: users and their signed-in sessions (migration 9).

Only statements: password hashing, lock-out and session expiry are decided in
``workbench.server``. Session tokens arrive here already hashed.
"""

from __future__ import annotations

from typing import Any

from workbench.store.connection import Connection, now


class UserStatements(Connection):
    """Users (name, role, password hash, failed sign-ins, lock) and sessions."""

    # -- users ---------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str) -> None:
        self.conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            [name, role, password_hash, now()],
        )

    def user_named(self, name: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM users WHERE name = ?", [name])
        return rows[0] if rows else None

    def users(self) -> list[dict[str, Any]]:
        """Every user with the number of live sessions (expired rows not yet purged count)."""
        return self._dicts(
            "SELECT u.name, u.role, u.failed_attempts, u.locked_until, u.created_at, "
            "(SELECT count(*) FROM sessions s WHERE s.user_name = u.name) AS sessions "
            "FROM users u ORDER BY u.name COLLATE NOCASE"
        )

    def delete_user(self, name: str) -> int:
        """Remove a user (their sessions go with them); returns the number removed."""
        return self.conn.execute("DELETE FROM users WHERE name = ?", [name]).rowcount

    def set_password_hash(self, name: str, password_hash: str) -> None:
        self.conn.execute(
            "UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL "
            "WHERE name = ?",
            [password_hash, name],
        )

    def set_user_role(self, name: str, role: str) -> None:
        self.conn.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])

    def record_failed_sign_in(self, name: str) -> int:
        """Count one failed sign-in; returns the count since the last good one."""
        self.conn.execute(
            "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE name = ?", [name]
        )
        row = self.conn.execute(
            "SELECT failed_attempts FROM users WHERE name = ?", [name]
        ).fetchone()
        return row[0] if row else 0

    def lock_user(self, name: str, until: str) -> None:
        """Lock sign-in until ``until``; the failure count starts again after it."""
        self.conn.execute(
            "UPDATE users SET locked_until = ?, failed_attempts = 0 WHERE name = ?", [until, name]
        )

    def clear_failed_sign_ins(self, name: str) -> None:
        self.conn.execute(
            "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE name = ?", [name]
        )

    # -- sessions ------------------------------------------------------------------

    def add_session(self, token_hash: str, user: str, created_at: str, expires_at: str) -> None:
        self.conn.execute(
            "INSERT INTO sessions (token_hash, user_name, created_at, expires_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [token_hash, user, created_at, expires_at, created_at],
        )

    def session_with_user(self, token_hash: str) -> dict[str, Any] | None:
        """The session with that token hash joined to its user (name, role), or None."""
        rows = self._dicts(
            "SELECT s.token_hash, s.user_name, s.created_at, s.expires_at, s.last_seen_at, u.role "
            "FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?",
            [token_hash],
        )
        return rows[0] if rows else None

    def touch_session(self, token_hash: str, at: str) -> None:
        self.conn.execute(
            "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?",
            [at, token_hash, at],
        )

    def delete_session(self, token_hash: str) -> int:
        return self.conn.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash]).rowcount

    def delete_user_sessions(self, name: str) -> int:
        return self.conn.execute("DELETE FROM sessions WHERE user_name = ?", [name]).rowcount

    def delete_stale_sessions(self, expired_before: str, idle_before: str) -> int:
        """Remove sessions past their expiry or last seen before ``idle_before``."""
        return self.conn.execute(
            "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
            [expired_before, idle_before],
        ).rowcount
