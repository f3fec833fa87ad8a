"""Signed-in sessions of the team server: random tokens, stored hashed, with expiry.

The browser holds the token in a cookie; the project file holds only its SHA-256 (a
token is 256 random bits, so a plain hash is enough: nothing to guess), the user, when it
was made, when it ends (:attr:`Policy.lifetime`) and when it was last used. A session
unused for :attr:`Policy.idle` ends too. ``last_seen_at`` is written at most once a
minute per session, so browsing does not turn into a stream of writes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from workbench.server.accounts import Clock, iso, parse_iso, utcnow
from workbench.store import Store

TOKEN_BYTES = 32
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Policy:
    """How long sessions last: at most ``lifetime``, and ``idle`` without use."""

    lifetime: timedelta = timedelta(hours=12)
    idle: timedelta = timedelta(hours=2)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(
    store: Store, user: str, policy: Policy = Policy(), clock: Clock = utcnow, client: str = ""
) -> str:
    """A new session for ``user`` (audited as their sign-in); returns the token for the cookie."""
    token = new_token()
    moment = clock()
    with store.transaction():
        store.add_session(token_hash(token), user, iso(moment), iso(moment + policy.lifetime))
        store.audit("sign-in", "user", user, actor=user, note=f"from {client}" if client else None)
    return token


def session_user(
    store: Store, token: str | None, policy: Policy = Policy(), clock: Clock = utcnow
) -> dict | None:
    """The session's user ({"name", "role", "token_hash"}) if the token names a live session,
    else None. An expired or idle session is deleted on sight. Marks the session as used."""
    if not token or len(token) > 200:
        return None
    key = token_hash(token)
    row = store.session_with_user(key)
    if row is None:
        return None
    moment = clock()
    if (
        parse_iso(row["expires_at"]) <= moment
        or parse_iso(row["last_seen_at"]) + policy.idle <= moment
    ):
        with store.transaction():
            store.delete_session(key)
        return None
    if parse_iso(row["last_seen_at"]) + _TOUCH_EVERY <= moment:
        with store.transaction():
            store.touch_session(key, iso(moment))
    return {
        "name": row["user_name"],
        "role": row["role"],
        "token_hash": key,
        "expires_at": row["expires_at"],
    }


def still_live(
    store: Store, key: str, policy: Policy = Policy(), clock: Clock = utcnow
) -> dict | None:
    """Like :func:`session_user` for a session known by its hash (a running app's)."""
    row = store.session_with_user(key)
    moment = clock()
    if (
        row is None
        or parse_iso(row["expires_at"]) <= moment
        or parse_iso(row["last_seen_at"]) + policy.idle <= moment
    ):
        return None
    return {"name": row["user_name"], "role": row["role"], "token_hash": key}


def mark_used(store: Store, key: str, clock: Clock = utcnow) -> None:
    """Record use (keys typed into a running app) so a working session is not idle."""
    with store.transaction():
        store.touch_session(key, iso(clock()))


def close_session(store: Store, token_or_key: str, user: str, *, hashed: bool = False) -> None:
    """Sign out: delete the session (audited)."""
    key = token_or_key if hashed else token_hash(token_or_key)
    with store.transaction():
        if store.delete_session(key):
            store.audit("sign-out", "user", user, actor=user)


def purge(store: Store, policy: Policy = Policy(), clock: Clock = utcnow) -> int:
    """Delete every expired or idle session; returns how many."""
    moment = clock()
    with store.transaction():
        return store.delete_stale_sessions(iso(moment), iso(moment - policy.idle))
