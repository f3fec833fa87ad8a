"""The SQL of migration 9 (the team server's accounts), kept apart from ``schema`` so that
file stays small.

* ``users``: who may sign in to ``workbench serve``, with a role (``coder``, ``lead``,
  ``observer``), the password hash (the KDF's name, parameters and salt are part of the
  stored string, see ``workbench.server.passwords``), failed sign-ins since the last good
  one and the time a lock ends.
* ``sessions``: signed-in browsers. Only a hash of each session token is stored, so a copy
  of the project file does not let anyone sign in; a session ends at ``expires_at`` or
  when unused for the server's idle time, and goes with its user.
"""

TITLE = "team server: user accounts and signed-in sessions"

SQL = """
CREATE TABLE users (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('coder', 'lead', 'observer')),
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_name);
"""
