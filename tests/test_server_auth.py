"""The team server's auth rules without a browser or a web server: password hashes, users,
sign-in with lock-out, sessions with expiry, the per-address limit, binding, the command."""

from __future__ import annotations

import hmac
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from workbench.errors import WorkbenchError
from workbench.server import accounts, passwords, sessions
from workbench.server.command import app_argv, app_command
from workbench.server.config import check_binding, check_public_url, tls_context
from workbench.server.throttle import FailureWindow
from workbench.store import Store

PASSWORD = "correct horse battery"


class Clock:
    """A settable UTC clock for lock-out and expiry."""

    def __init__(self):
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def cheap(monkeypatch):
    """scrypt at n=2**10: the same code, a thousandth of the work (parameters are stored)."""
    monkeypatch.setattr(passwords, "N", 2**10)


@pytest.fixture
def store(tmp_path, cheap):
    store = Store.create(tmp_path / "p.db")
    accounts.add_user(store, "ana", "coder", PASSWORD, actor="lead")
    return store


# -- passwords ------------------------------------------------------------------------------


def test_a_hash_carries_its_kdf_parameters_and_salt(cheap):
    one, two = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    assert one.startswith("scrypt$n=1024,r=8,p=1$") and one != two  # a salt of its own each time
    assert passwords.verify_password(PASSWORD, one) and passwords.verify_password(PASSWORD, two)
    assert not passwords.verify_password(PASSWORD + "!", one)
    assert not passwords.verify_password("", one)


def test_the_default_parameters_are_memory_hard():
    assert passwords.N * passwords.R * 128 >= 32 * 1024 * 1024  # 32 MiB per guess


def test_verification_compares_in_constant_time(cheap, monkeypatch):
    calls, real = [], hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    stored = passwords.hash_password(PASSWORD)
    assert passwords.verify_password(PASSWORD, stored) and not passwords.verify_password(
        "wrong password", stored
    )
    assert calls == [(32, 32), (32, 32)]


def test_a_foreign_or_absurd_hash_is_refused_not_computed(cheap):
    for stored in (
        "md5$abc",
        "scrypt$n=3,r=8,p=1$AAAA$AAAA",
        f"scrypt$n={2**30},r=8,p=1$AAAA$AAAA",
        "plain",
    ):
        with pytest.raises(WorkbenchError, match="users passwd"):
            passwords.verify_password(PASSWORD, stored)


def test_weak_passwords_are_refused():
    with pytest.raises(WorkbenchError, match="at least 10"):
        passwords.check_strength("short")
    with pytest.raises(WorkbenchError, match="user's name"):
        passwords.check_strength("anastasia_k", "Anastasia_K")
    with pytest.raises(WorkbenchError, match="longer than"):
        passwords.check_strength("x" * 2000)


def test_old_parameters_are_upgraded_at_the_next_sign_in(store, monkeypatch):
    before = store.user_named("ana")["password_hash"]
    monkeypatch.setattr(passwords, "N", 2**11)
    assert passwords.needs_rehash(before)
    assert accounts.authenticate(store, "ana", PASSWORD).ok
    after = store.user_named("ana")["password_hash"]
    assert after.startswith("scrypt$n=2048,") and passwords.verify_password(PASSWORD, after)


# -- users ----------------------------------------------------------------------------------


def test_users_follow_the_coder_name_rules_and_roles(store):
    with pytest.raises(WorkbenchError, match="rules of coder names.*one word"):
        accounts.add_user(store, "ana maria", "coder", PASSWORD)
    with pytest.raises(WorkbenchError, match="reserved"):
        accounts.add_user(store, "agreed", "coder", PASSWORD)
    with pytest.raises(WorkbenchError, match="looks like"):
        accounts.add_user(store, "аna", "coder", PASSWORD)  # Cyrillic а
    with pytest.raises(WorkbenchError, match="role 'admin'"):
        accounts.add_user(store, "ben", "admin", PASSWORD)
    with pytest.raises(WorkbenchError, match="already"):
        accounts.add_user(store, "ANA", "lead", PASSWORD)
    assert [u["name"] for u in accounts.list_users(store)] == ["ana"]


def test_user_changes_are_audited_and_the_hash_never_is(store):
    accounts.set_password(store, "ana", "another good password", actor="lead")
    accounts.remove_user(store, "ana", actor="lead")
    rows = [r for r in store.audit_rows() if r["entity"] == "user"]
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("create", "lead"),
        ("password", "lead"),
        ("remove", "lead"),
    ]
    assert not any("scrypt" in (r["after"] or "") + (r["before"] or "") for r in store.audit_rows())


# -- signing in -----------------------------------------------------------------------------


def test_a_wrong_password_or_name_signs_nobody_in(store):
    assert accounts.authenticate(store, "ana", PASSWORD).user == {"name": "ana", "role": "coder"}
    assert accounts.authenticate(store, "ANA", PASSWORD).user["name"] == "ana"
    wrong = accounts.authenticate(store, "ana", "wrong password!")
    assert not wrong.ok and wrong.reason == "wrong"
    assert accounts.authenticate(store, "nobody", PASSWORD).reason == "unknown"
    assert accounts.authenticate(store, "", PASSWORD).reason == "unknown"
    assert store.user_named("ana")["failed_attempts"] == 1
    failed = [r for r in store.audit_rows() if r["action"] == "sign-in-failed"]
    assert len(failed) == 1 and failed[0]["actor"] == "ana"


def test_an_unknown_name_or_a_locked_account_costs_a_verification(store, monkeypatch):
    for _ in range(accounts.MAX_FAILURES):
        accounts.authenticate(store, "ana", "wrong password!")
    spent = []
    monkeypatch.setattr(passwords, "verify_password", lambda p, s: spent.append(s) or False)
    assert accounts.authenticate(store, "nobody", PASSWORD).reason == "unknown"
    assert accounts.authenticate(store, "ana", PASSWORD).reason == "locked"
    stored = store.user_named("ana")["password_hash"]
    assert len(spent) == 2 and stored not in spent  # the dummy hash: as slow as a wrong password


def test_locked_after_n_failures_until_the_lock_ends(store):
    clock = Clock()
    for _ in range(accounts.MAX_FAILURES):
        assert accounts.authenticate(store, "ana", "wrong password!", clock).reason == "wrong"
    locked = store.user_named("ana")["locked_until"]
    assert locked == "2026-03-02T09:15:00.000Z"
    # While locked even the right password is refused, and the password is not looked at.
    assert accounts.authenticate(store, "ana", PASSWORD, clock).reason == "locked"
    clock.advance(minutes=14, seconds=59)
    assert accounts.authenticate(store, "ana", PASSWORD, clock).reason == "locked"
    assert [u["locked"] for u in accounts.list_users(store, clock)] == [True]
    clock.advance(seconds=1)
    assert accounts.authenticate(store, "ana", PASSWORD, clock).ok
    assert store.user_named("ana")["failed_attempts"] == 0
    assert [r["action"] for r in store.audit_rows() if r["action"] == "lock"] == ["lock"]


def test_a_good_sign_in_resets_the_count(store):
    for _ in range(accounts.MAX_FAILURES - 1):
        accounts.authenticate(store, "ana", "wrong password!")
    assert accounts.authenticate(store, "ana", PASSWORD).ok
    for _ in range(accounts.MAX_FAILURES - 1):
        accounts.authenticate(store, "ana", "wrong password!")
    assert accounts.authenticate(store, "ana", PASSWORD).ok  # never 5 in a row


def test_a_new_password_unlocks_and_ends_sessions(store):
    for _ in range(accounts.MAX_FAILURES):
        accounts.authenticate(store, "ana", "wrong password!")
    token = sessions.open_session(store, "ana")
    result = accounts.set_password(store, "ana", "a new long password")
    assert result["sessions"] == 1 and sessions.session_user(store, token) is None
    assert accounts.authenticate(store, "ana", "a new long password").ok


# -- sessions -------------------------------------------------------------------------------


def test_a_session_token_is_stored_only_as_its_hash(store):
    token = sessions.open_session(store, "ana", client="127.0.0.1")
    raw = sqlite3.connect(store.path)
    stored = raw.execute("SELECT token_hash FROM sessions").fetchall()
    assert stored == [(sessions.token_hash(token),)] and token not in str(stored)
    with open(store.path, "rb") as f:
        assert token.encode() not in f.read()
    assert sessions.session_user(store, token)["name"] == "ana"
    sign_in = [r for r in store.audit_rows() if r["action"] == "sign-in"]
    assert sign_in[0]["actor"] == "ana" and sign_in[0]["note"] == "from 127.0.0.1"


def test_forged_and_expired_sessions_are_refused(store):
    clock, policy = Clock(), sessions.Policy(lifetime=timedelta(hours=8), idle=timedelta(hours=1))
    token = sessions.open_session(store, "ana", policy, clock)
    assert (
        sessions.session_user(store, token[:-1] + ("A" if token[-1] != "A" else "B"), policy, clock)
        is None
    )
    assert sessions.session_user(store, "", policy, clock) is None
    assert sessions.session_user(store, "x" * 5000, policy, clock) is None
    for _ in range(8):  # used every 55 minutes: never idle ...
        clock.advance(minutes=55)
        assert sessions.session_user(store, token, policy, clock) is not None
    clock.advance(minutes=40)  # ... but 8 hours after signing in it ends
    assert sessions.session_user(store, token, policy, clock) is None
    assert store.session_with_user(sessions.token_hash(token)) is None  # deleted on sight


def test_an_idle_session_ends(store):
    clock, policy = Clock(), sessions.Policy(lifetime=timedelta(hours=8), idle=timedelta(hours=1))
    token = sessions.open_session(store, "ana", policy, clock)
    clock.advance(minutes=59)
    assert sessions.session_user(store, token, policy, clock) is not None
    clock.advance(minutes=61)
    assert sessions.session_user(store, token, policy, clock) is None


def test_typing_keeps_a_session_alive_and_purge_removes_dead_ones(store):
    clock, policy = Clock(), sessions.Policy(lifetime=timedelta(hours=8), idle=timedelta(hours=1))
    live = sessions.open_session(store, "ana", policy, clock)
    dead = sessions.open_session(store, "ana", policy, clock)
    clock.advance(minutes=50)
    sessions.mark_used(store, sessions.token_hash(live), clock)
    clock.advance(minutes=20)
    assert sessions.still_live(store, sessions.token_hash(live), policy, clock) is not None
    assert sessions.still_live(store, sessions.token_hash(dead), policy, clock) is None
    assert sessions.purge(store, policy, clock) == 1
    assert [u["sessions"] for u in store.users()] == [1]


def test_signing_out_and_removing_a_user_end_sessions(store):
    accounts.add_user(store, "ben", "coder", PASSWORD)
    ana, ben = sessions.open_session(store, "ana"), sessions.open_session(store, "ben")
    sessions.close_session(store, ana, "ana")
    assert sessions.session_user(store, ana) is None
    assert [r["action"] for r in store.audit_rows()][-1] == "sign-out"
    assert accounts.remove_user(store, "ben")["sessions"] == 1
    assert sessions.session_user(store, ben) is None


def test_a_new_role_ends_sessions_and_is_audited(store, capsys):
    from helpers import run_cli

    token = sessions.open_session(store, "ana")
    result = accounts.set_role(store, "ana", "lead", actor="lee")
    assert result == {"name": "ana", "role": "lead", "before": "coder", "sessions": 1}
    assert sessions.session_user(store, token) is None  # the app started as a coder ends with it
    assert store.user_named("ana")["role"] == "lead"
    row = store.audit_rows()[-1]
    assert (
        (row["action"], row["actor"]) == ("role", "lee")
        and '"coder"' in row["before"]
        and '"lead"' in row["after"]
    )
    with pytest.raises(WorkbenchError, match="a lead already"):
        accounts.set_role(store, "ana", "lead")
    with pytest.raises(WorkbenchError, match="no user 'zoe'"):
        accounts.set_role(store, "zoe", "lead")
    # the old role no longer starts an app for her
    code, _, err = run_cli(
        capsys, "served-app", str(store.path), "--as-user", "ana", "--role", "coder"
    )
    assert code == 1 and "is not a coder" in err
    code, out, _ = run_cli(capsys, "users", "role", str(store.path), "ana", "--role", "observer")
    assert code == 0 and out.strip() == "ana: role observer (was lead); 0 session(s) ended."


# -- per-address limit, binding, command ------------------------------------------------------


def test_failures_per_address_are_limited_in_a_window():
    now = [0.0]
    window = FailureWindow(limit=3, seconds=60, clock=lambda: now[0])
    for _ in range(3):
        assert window.retry_after("10.0.0.1") == 0
        window.fail("10.0.0.1")
    assert window.retry_after("10.0.0.1") == 60 and window.retry_after("10.0.0.2") == 0
    now[0] = 60.5
    assert window.retry_after("10.0.0.1") == 0


def test_sign_ins_under_way_hold_their_addresss_slots():
    window = FailureWindow(limit=3, seconds=60, clock=lambda: 0.0)
    assert [window.reserve("10.0.0.1") for _ in range(4)] == [0, 0, 0, 1]  # the fourth waits
    window.settle("10.0.0.1", failed=False)  # a good sign-in gives its slot back
    assert window.reserve("10.0.0.1") == 0
    for _ in range(3):
        window.settle("10.0.0.1", failed=True)  # failures stay counted
    assert window.reserve("10.0.0.1") == 60 and window.reserve("10.0.0.2") == 0


def test_only_loopback_without_tls_or_insecure():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_binding(host, tls=False, insecure=False)
    for host in ("0.0.0.0", "::", "192.168.1.10", "team.example.org"):
        with pytest.raises(WorkbenchError, match="plain HTTP.*--tls-cert.*--insecure"):
            check_binding(host, tls=False, insecure=False)
        check_binding(host, tls=True, insecure=False)
        check_binding(host, tls=False, insecure=True)


def test_tls_settings_are_checked(tmp_path):
    assert tls_context(None, None) is None
    with pytest.raises(WorkbenchError, match="both"):
        tls_context(str(tmp_path / "c.pem"), None)
    with pytest.raises(WorkbenchError, match="no such file"):
        tls_context(str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    (tmp_path / "c.pem").write_text("not a certificate")
    (tmp_path / "k.pem").write_text("not a key")
    with pytest.raises(WorkbenchError, match="PEM"):
        tls_context(str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    assert check_public_url("https://team.example.org/") == "https://team.example.org"
    with pytest.raises(WorkbenchError, match="public-url"):
        check_public_url("team.example.org/app")


def test_the_app_command_is_made_of_the_user_and_role_only(tmp_path):
    argv = app_argv(tmp_path / "p.db", "ana", "coder")
    assert argv[1:] == [
        "-m",
        "workbench",
        "served-app",
        str((tmp_path / "p.db").resolve()),
        "--as-user",
        "ana",
        "--role",
        "coder",
    ]
    assert "'--as-user' ana" not in app_command(tmp_path / "my project.db", "ana", "lead")
    assert "'" in app_command(tmp_path / "my project.db", "ana", "lead")  # the path is quoted
    for user, role in (
        ("ana; rm -rf /", "coder"),
        ("--role=lead", "coder"),
        ("", "coder"),
        ("ana", "admin"),
    ):
        with pytest.raises(WorkbenchError):
            app_argv(tmp_path / "p.db", user, role)
