"""The team server's users: adding, removing, passwords, roles, and signing in with lock-out.

A user has a one-word name (the rules of coder names, ``workbench.coding.coder``: a coder
signs in under the name their codings carry) and one role:

* ``coder``: the coding screen as that coder, blind to everyone else's coding;
* ``lead``: the whole app (coding as themselves, reconciliation, agreement, reports, the
  model), every decision in their name;
* ``observer``: the report tables, read-only.

Signing in counts failures per user; after :data:`MAX_FAILURES` in a row the account is
locked for :data:`LOCK_MINUTES` (checked before the password, so a locked account gives no
answer about it, and in the same time as a wrong password). Each attempt is counted in one
transaction before its password is checked, so the lock holds under a burst of guesses.
Every change of a user, every sign-in and every lock is audited with the
user's name as ``who`` (changes made on the command line name the account that made them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from workbench.errors import WorkbenchError
from workbench.server import passwords
from workbench.store import Store, default_actor

ROLES = ("coder", "lead", "observer")
MAX_FAILURES = 5
LOCK_MINUTES = 15

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A time in the store's format (UTC, ISO 8601 with milliseconds, ``Z``)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise WorkbenchError(f"role {role!r}: give one of {', '.join(ROLES)}")
    return role


def _user(store: Store, name: str) -> dict:
    found = store.user_named(name.strip())
    if found is None:
        names = ", ".join(u["name"] for u in store.users()) or "none yet"
        raise WorkbenchError(
            f"no user {name!r} in this project (users: {names}); "
            "add one with `workbench users add PROJECT NAME --role ROLE`"
        )
    return found


def new_user_name(store: Store, name: str, role: str) -> str:
    """The name a new user would get (checked before a password is asked for): the coder-name
    rules, and not like another user's or coder's name unless it is that coder's exact name."""
    from workbench.coding.coder import validate_name

    _check_role(role)
    if store.user_named(name.strip()) is not None:
        raise WorkbenchError(
            f"there is a user {name.strip()!r} already; `workbench users passwd` sets a new password"
        )
    existing = [u["name"] for u in store.users()] + [
        c.name for c in store.coders() if c.kind == "coder"
    ]
    try:
        return validate_name(name, existing)
    except WorkbenchError as exc:  # a coder signs in under their coder name: the same rules
        raise WorkbenchError(f"user names follow the rules of coder names: {exc}") from None


def add_user(store: Store, name: str, role: str, password: str, actor: str | None = None) -> dict:
    """A new user (see :func:`new_user_name`) with a hashed password; audited."""
    name = new_user_name(store, name, role)
    passwords.check_strength(password, name)
    stored = passwords.hash_password(password)
    with store.transaction():
        store.add_user(name, role, stored)
        store.audit(
            "create",
            "user",
            name,
            after={"name": name, "role": role},
            actor=actor or default_actor(),
        )
    return {"name": name, "role": role}


def remove_user(store: Store, name: str, actor: str | None = None) -> dict:
    """Remove a user and end their sessions (a running server closes their apps within a
    minute). Their codings stay: they belong to the coder, not the account."""
    user = _user(store, name)
    with store.transaction():
        sessions = store.delete_user_sessions(user["name"])
        store.delete_user(user["name"])
        store.audit(
            "remove",
            "user",
            user["name"],
            before={"name": user["name"], "role": user["role"]},
            actor=actor or default_actor(),
            note=f"{sessions} session(s) ended",
        )
    return {"name": user["name"], "sessions": sessions}


def set_role(store: Store, name: str, role: str, actor: str | None = None) -> dict:
    """A new role for a user; audited. Every session of the user ends: each browser session's
    app was started with the role it had then, and must not outlive it (a running server closes
    their apps within a minute; they sign in again under the new role)."""
    user = _user(store, name)
    role = _check_role(role)
    if role == user["role"]:
        raise WorkbenchError(f"{user['name']} is a {role} already; nothing was changed")
    with store.transaction():
        store.set_user_role(user["name"], role)
        sessions = store.delete_user_sessions(user["name"])
        store.audit(
            "role",
            "user",
            user["name"],
            before={"role": user["role"]},
            after={"role": role},
            actor=actor or default_actor(),
            note=f"{sessions} session(s) ended",
        )
    return {"name": user["name"], "role": role, "before": user["role"], "sessions": sessions}


def set_password(store: Store, name: str, password: str, actor: str | None = None) -> dict:
    """A new password; unlocks the account and ends every session of the user."""
    user = _user(store, name)
    passwords.check_strength(password, user["name"])
    stored = passwords.hash_password(password)
    with store.transaction():
        store.set_password_hash(user["name"], stored)
        sessions = store.delete_user_sessions(user["name"])
        store.audit(
            "password",
            "user",
            user["name"],
            actor=actor or default_actor(),
            note=f"password set; {sessions} session(s) ended",
        )
    return {"name": user["name"], "sessions": sessions}


def list_users(store: Store, clock: Clock = utcnow) -> list[dict]:
    moment = iso(clock())
    return [
        {**u, "locked": bool(u["locked_until"] and u["locked_until"] > moment)}
        for u in store.users()
    ]


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: the user (name, role) or why not."""

    user: dict | None
    reason: str = ""  # "", "unknown", "wrong", "locked"
    name: str = ""  # the account the name matched, if one did (never what else was typed)

    @property
    def ok(self) -> bool:
        return self.user is not None


def _take_attempt(
    store: Store, name: str, moment: datetime, max_failures: int, lock_minutes: int
) -> tuple[dict | None, int, str | None]:
    """In one write transaction, before the password is checked: the user, this attempt's
    number in the run of failures (0 if the account is locked) and the lock it set, if any.

    The attempt is counted as a failure up front (a good password clears the count), and the
    attempt that reaches ``max_failures`` locks the account at once: so however many guesses
    arrive together, at most ``max_failures`` of them are checked before the lock."""
    with store.transaction():
        user = store.user_named(name)
        if user is None:
            return None, 0, None
        if user["locked_until"] and parse_iso(user["locked_until"]) > moment:
            return user, 0, None
        failures = store.record_failed_sign_in(user["name"])
        until = None
        if failures >= max_failures:
            until = iso(moment + timedelta(minutes=lock_minutes))
            store.lock_user(user["name"], until)
        return user, failures, until


def authenticate(
    store: Store,
    name: str,
    password: str,
    clock: Clock = utcnow,
    max_failures: int = MAX_FAILURES,
    lock_minutes: int = LOCK_MINUTES,
    client: str = "",
) -> SignIn:
    """Check a name and password. A locked account is refused without looking at the
    password; an unknown name and a locked account cost the time of a wrong password. The
    attempt is counted before the password is checked (:func:`_take_attempt`)."""
    name = name.strip()
    known = store.user_named(name) if name and len(name) <= 40 else None
    moment = clock()
    user, failures, locked = (None, 0, None)
    if known:
        user, failures, locked = _take_attempt(
            store, known["name"], moment, max_failures, lock_minutes
        )
    if user is None:
        passwords.burn_time(password)
        return SignIn(None, "unknown")
    if not failures:
        passwords.burn_time(password)  # as long as a wrong password: the lock is not told apart
        return SignIn(None, "locked", user["name"])
    if passwords.verify_password(password, user["password_hash"]):
        with store.transaction():
            store.clear_failed_sign_ins(user["name"])  # and the lock this attempt may have set
            if passwords.needs_rehash(user["password_hash"]):
                store.set_password_hash(user["name"], passwords.hash_password(password))
        return SignIn({"name": user["name"], "role": user["role"]}, name=user["name"])
    with store.transaction():
        note = f"from {client}" if client else None
        store.audit(
            "sign-in-failed",
            "user",
            user["name"],
            after={"failures": failures},
            actor=user["name"],
            note=note,
        )
        now = store.user_named(user["name"])
        if locked and now is not None and now["locked_until"] == locked:  # not lifted meanwhile
            store.audit(
                "lock",
                "user",
                user["name"],
                after={"locked_until": locked},
                actor=user["name"],
                note=f"{failures} failed sign-ins in a row",
            )
    return SignIn(None, "wrong", user["name"])
