"""The team server under floods and malformed input, listening on 127.0.0.1 (``TeamServer.start``)
and driven by HTTP, websocket and raw socket clients: sign-in throttling that holds under a
burst, caps on app processes and connections, slow connections closed, malformed messages
and forms ignored, no secrets in the log, and the Host header checked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import threading
import time

import aiohttp
import pytest
from helpers import TEAM_PASSWORDS, team_project

from workbench.server import accounts, inputs, passwords
from workbench.server.config import Settings
from workbench.server.service import SessionApp
from workbench.server.web import TeamServer
from workbench.store import Store

PASSWORDS = TEAM_PASSWORDS


@pytest.fixture
def project(tmp_path, monkeypatch):
    return team_project(tmp_path / "p.db", monkeypatch)


@pytest.fixture
async def serve(project):
    """``serve(**settings)`` → (server, base URL) of a TeamServer listening on 127.0.0.1."""
    runners, sessions = [], []

    async def start(**changes):
        server = TeamServer(project, Settings(port=0, **changes))
        runner = await server.start()
        runners.append(runner)
        host, port = runner.addresses[0][:2]
        return server, f"http://{host}:{port}"

    yield start
    for session in sessions:
        await session.close()
    for runner in runners:
        await runner.cleanup()


def browser() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def login_form(session: aiohttp.ClientSession, base: str) -> str:
    page = await session.get(base + "/login")
    return re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)


async def sign_in(
    session, base: str, name: str, password: str | None = None, csrf: str | None = None
):
    csrf = csrf or await login_form(session, base)
    return await session.post(
        base + "/login",
        data={"csrf": csrf, "name": name, "password": password or PASSWORDS[name]},
        allow_redirects=False,
    )


async def until(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the server did not get there in time")
        await asyncio.sleep(0.02)


@pytest.fixture
def checks(monkeypatch):
    """Every password check (scrypt), by the stored hash it was checked against."""
    done: list[str] = []
    verify = passwords.verify_password

    def counted(password, stored):
        done.append(stored)
        return verify(password, stored)

    monkeypatch.setattr(passwords, "verify_password", counted)
    return done


# -- 7. sign-in throttling ------------------------------------------------------------------


async def test_a_burst_of_guesses_from_one_address_gets_no_more_checks_than_the_limit(
    serve, checks
):
    server, base = await serve(failures_per_client=20)
    async with browser() as session:
        csrf = await login_form(session, base)
        guesses = [sign_in(session, base, f"guess{i}", "a wrong password", csrf) for i in range(80)]
        answers = [r.status for r in await asyncio.gather(*guesses)]
    assert len(checks) <= 20
    assert answers.count(401) <= 20 and answers.count(429) >= 60 and set(answers) == {401, 429}


async def test_a_burst_on_one_account_is_checked_at_most_max_failures_times(serve, checks, project):
    server, base = await serve(failures_per_client=1000, max_failures=5)
    ana = Store.open(project).user_named("ana")["password_hash"]
    async with browser() as session:
        csrf = await login_form(session, base)
        await asyncio.gather(
            *[sign_in(session, base, "ana", f"guess {i} of a password", csrf) for i in range(40)]
        )
        assert checks.count(ana) == 5
        assert (
            await sign_in(session, base, "ana")
        ).status == 401  # locked: even the right password
    store = Store.open(project)
    assert store.user_named("ana")["locked_until"] is not None
    rows = [r for r in store.audit_rows() if r["entity_ref"] == "ana"]
    assert [r["action"] for r in rows].count("sign-in-failed") == 5
    assert [r["action"] for r in rows].count("lock") == 1


def test_the_account_lock_holds_for_threads_guessing_at_once(project, checks):
    """The same at the level of the accounts: 20 threads, each with its own connection."""
    store = Store.open(project)
    ana = store.user_named("ana")["password_hash"]
    barrier = threading.Barrier(20)

    def guess(i: int) -> None:
        barrier.wait()
        accounts.authenticate(store, "ana", f"guess {i} of a password", max_failures=5)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert checks.count(ana) == 5 and store.user_named("ana")["locked_until"] is not None
    assert not accounts.authenticate(store, "ana", PASSWORDS["ana"], max_failures=5).ok


def test_a_good_password_on_the_last_attempt_signs_in_and_clears_the_count(project):
    store = Store.open(project)
    for i in range(4):
        assert (
            accounts.authenticate(store, "ana", f"wrong {i} password", max_failures=5).reason
            == "wrong"
        )
    assert accounts.authenticate(store, "ana", PASSWORDS["ana"], max_failures=5).ok
    user = store.user_named("ana")
    assert (user["failed_attempts"], user["locked_until"]) == (0, None)


# -- 8. caps on app processes -------------------------------------------------------------------


@pytest.fixture
def fake_apps(monkeypatch):
    """Apps without their process: what each was sent is recorded, by user."""
    sent: dict[str, list] = {}

    async def start(self, width, height):
        sent.setdefault(self.user, []).append(("size", width, height))

    async def send_bytes(self, data):
        sent[self.user].append(("stdin", data))
        return True

    async def set_terminal_size(self, width, height):
        sent[self.user].append(("size", width, height))

    async def nothing(self):
        return None

    monkeypatch.setattr(SessionApp, "start", start)
    monkeypatch.setattr(SessionApp, "send_bytes", send_bytes)
    monkeypatch.setattr(SessionApp, "set_terminal_size", set_terminal_size)

    async def focus(self):
        sent[self.user].append(("focus",))

    monkeypatch.setattr(SessionApp, "stop", nothing)
    monkeypatch.setattr(SessionApp, "focus", focus)
    monkeypatch.setattr(SessionApp, "blur", nothing)
    return sent


def origin(base: str) -> dict:
    return {"Origin": base}


async def test_app_processes_are_capped_per_user_and_in_all(serve, fake_apps):
    server, base = await serve(apps_per_user=2, max_apps=3, slot_wait=0.1)
    async with browser() as ana1, browser() as ana2, browser() as ben:
        for session, name in ((ana1, "ana"), (ana2, "ana"), (ben, "ben")):
            assert (await sign_in(session, base, name)).status == 303
        first = await ana1.ws_connect(base + "/ws", headers=origin(base))
        second = await ana2.ws_connect(
            base + "/ws", headers=origin(base)
        )  # another session, same user
        await until(lambda: server.running.total() == 2)
        page = await ana1.get(base + "/")
        text = await page.text()
        assert (
            page.status == 429
            and "You have 2 Workbench windows open, the most one account may have" in text
        )
        third = await ana1.ws_connect(base + "/ws", headers=origin(base))  # a tab opened meanwhile
        closed = await third.receive(timeout=5)
        assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 4003
        assert closed.extra.startswith("You have 2 Workbench windows open")
        assert server.running.of_user("ana") == 2
        bens = await ben.ws_connect(base + "/ws", headers=origin(base))
        await until(lambda: server.running.total() == 3)
        page = await ben.get(base + "/")
        assert (
            page.status == 503
            and "The server runs 3 Workbench windows, its most for everyone" in await page.text()
        )
        await first.close()
        await until(lambda: server.running.total() == 2)
        assert (await ben.get(base + "/")).status == 200  # a window closed: room again
        for ws in (second, bens):
            await ws.close()


# -- 8. connections: a cap, and deadlines for slow ones ------------------------------------------


def _trickle(port: int, sockets: list, stop: threading.Event, count: int) -> None:
    """``count`` connections that send a request's headers a few bytes at a time, never done."""
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(s)
    while not stop.is_set():
        for s in sockets:
            with contextlib.suppress(OSError):
                s.sendall(b"X")
        stop.wait(0.05)


def _closed(s: socket.socket) -> bool:
    """Whether the server let go of a connection (it answered, or closed it)."""
    s.setblocking(False)
    try:
        s.recv(4096)
    except BlockingIOError:
        return False  # still open, nothing said
    except OSError:
        pass
    return True


async def test_slow_connections_are_capped_and_closed(serve):
    server, base = await serve(max_connections=20, header_timeout=0.5)
    port = int(base.rsplit(":", 1)[1])
    sockets: list[socket.socket] = []
    stop = threading.Event()
    trickler = threading.Thread(target=_trickle, args=(port, sockets, stop, 200))
    trickler.start()
    try:
        peak = 0
        while trickler.is_alive() and len(sockets) < 200:
            peak = max(peak, len(server.gate.open))
            await asyncio.sleep(0.005)
        assert peak <= 20 and len(server.gate.open) <= 20
        async with browser() as session:  # someone else still gets in while they trickle
            assert (await session.get(base + "/login")).status == 200
        await until(lambda: all(_closed(s) for s in sockets), 20)
        assert server.gate.counts["evicted"] + server.gate.counts["slow"] >= 180
    finally:
        stop.set()
        trickler.join()
        for s in sockets:
            s.close()


class _Handler:
    closed = False

    def force_close(self):
        self.closed = True


class _Transport:
    def __init__(self):
        self.written = b""

    def write(self, data):
        self.written += data


async def test_what_the_gate_closed_is_logged_as_counts_at_most_once_a_period(caplog):
    from workbench.server.gate import ConnectionGate

    gate = ConnectionGate(limit=2, header_timeout=0.05, log_every=0.3)
    handlers = [_Handler() for _ in range(5)]
    for handler in handlers:
        gate.made(handler, _Transport())
    assert [h.closed for h in handlers] == [
        True,
        True,
        True,
        False,
        False,
    ]  # the oldest waiting evicted
    await until(lambda: all(h.closed for h in handlers))  # the rest: too slow
    busy = [_Handler(), _Handler()]
    for handler in busy:
        gate.made(handler, _Transport())
        gate.started(handler)
    refused, transport = _Handler(), _Transport()
    gate.made(refused, transport)
    assert (
        refused.closed
        and transport.written.startswith(b"HTTP/1.1 503")
        and not any(h.closed for h in busy)
    )
    await until(lambda: caplog.text.count("connections closed") == 2)
    lines = [r.getMessage() for r in caplog.records if "connections closed" in r.getMessage()]
    assert lines[0].startswith(
        "connections closed: 0 sent no complete request within 0.05 s, 1 evicted and 0 "
    )
    assert lines[1].startswith(
        "connections closed: 2 sent no complete request within 0.05 s, 2 evicted and 1 "
    )


async def test_at_the_cap_a_new_connection_is_told_so_and_closed(serve):
    server, base = await serve(max_connections=3, header_timeout=5, body_timeout=1)
    port = int(base.rsplit(":", 1)[1])
    busy = []
    for _ in range(3):  # headers done, the body never comes: at work, not evictable
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=a"
            % port
        )
        busy.append(s)
    await until(lambda: len(server.gate.open) == 3 and server.gate.waiting == 0)
    extra = socket.create_connection(("127.0.0.1", port))
    answer = await asyncio.to_thread(extra.recv, 4096)
    assert (
        answer.startswith(b"HTTP/1.1 503")
        and b"most connections open (3, --max-connections)" in answer
    )
    assert await asyncio.to_thread(extra.recv, 4096) == b""  # and closed
    for s in busy:  # the bodies' deadline
        s.settimeout(10)
        assert (await asyncio.to_thread(s.recv, 4096)).startswith(b"HTTP/1.1 408")
        s.close()
    extra.close()
    async with browser() as session:
        assert (await session.get(base + "/login")).status == 200


# -- 9. malformed input, logs, the Host header --------------------------------------------------

MALFORMED = [
    '["resize", {"width": 1e999, "height": 40}]',
    '["resize", {"width": NaN, "height": -Infinity}]',
    '["resize", {"width": "wide", "height": [1]}]',
    '["resize", 12]',
    '["resize"]',
    "[" * 5000 + "]" * 5000,
    '["stdin", ' + "[" * 5000 + "]" * 5000 + "]",
    '{"stdin": "x"}',
    "[]",
    "[1, 2]",
    '["stdin", 42]',
    '["stdin", "\\ud800"]',
    '["ping", {"deep": [[[[]]]]}]',
    "not json",
    '"stdin"',
    "",
    '["unknown", null]',
    '["focus", 1, 2, 3]',
]


async def test_malformed_websocket_messages_are_ignored_and_the_app_goes_on(
    serve, fake_apps, caplog
):
    server, base = await serve()
    async with browser() as session:
        await sign_in(session, base, "ana")
        ws = await session.ws_connect(base + "/ws?width=1e999&height=NaN", headers=origin(base))
        await until(lambda: "ana" in fake_apps)
        for text in MALFORMED:
            await ws.send_str(text)
        await ws.send_bytes(b"\xff\xfe binary")
        await ws.send_str('["resize", {"width": 120, "height": 40}]')
        await ws.send_str('["stdin", "j"]')
        await ws.send_str('["ping", "1700000000000"]')
        pong = await ws.receive(timeout=5)
        assert (pong.type, pong.data) == (aiohttp.WSMsgType.TEXT, '["pong", "1700000000000"]')
        assert fake_apps["ana"] == [
            ("size", 80, 24),
            ("stdin", b"?"),
            ("focus",),
            ("size", 120, 40),
            ("stdin", b"j"),
        ]
        assert server.running.total() == 1 and not ws.closed
        await ws.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_real_app_survives_malformed_messages(serve, tmp_path, monkeypatch):
    """The app process itself, not a stand-in: the sizes and keys it is sent stay sane."""
    from workbench.demo import build_demo

    store, _ = build_demo(tmp_path / "demo.db")
    accounts.add_user(store, "lee", "lead", PASSWORDS["lee"])
    store.close()
    server = TeamServer(tmp_path / "demo.db", Settings(port=0))
    runner = await server.start()
    base = "http://{}:{}".format(*runner.addresses[0][:2])
    try:
        async with browser() as session:
            await sign_in(session, base, "lee")
            ws = await session.ws_connect(base + "/ws?width=100&height=30", headers=origin(base))
            received = []

            async def read_until(text: str, seconds: float = 60) -> None:
                deadline = time.monotonic() + seconds
                while text not in inputs_text(received):
                    message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
                    assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), (
                        message
                    )
                    received.append(message.data)

            await read_until("Focus groups")
            for text in MALFORMED:
                await ws.send_str(text)
            received.clear()
            await ws.send_str('["stdin", "?"]')  # the keys screen: the app still answers keys
            await read_until("Keys")
            [app] = server.running.apps()
            assert app._process.returncode is None
            await ws.close()
    finally:
        await runner.cleanup()


def inputs_text(received: list) -> str:
    from browser import strip_escapes

    return strip_escapes(
        "".join(m.decode("utf-8", "replace") if isinstance(m, bytes) else m for m in received)
    )


BODIES = [
    (
        "multipart/form-data; boundary=abc",
        b'--abc\r\nContent-Disposition: form-data; name="name"\r\n\r\nana',
    ),
    ("multipart/form-data; boundary=abc", b"garbage"),
    ("multipart/form-data", b"--abc\r\n"),
    ("application/x-www-form-urlencoded; charset=nonsense", b"name=ana&password=x"),
    ("application/x-www-form-urlencoded", b"name=%ff%fe&csrf=%%%&password"),
    ("application/json", b'{"name": "ana"}'),
    ("", b"\x00\x01\x02"),
]


async def test_malformed_forms_are_refused_without_a_traceback(serve, caplog):
    server, base = await serve()

    async def post_each(session, path: str) -> None:
        for content_type, body in BODIES:
            headers = {"Content-Type": content_type}
            response = await session.post(
                base + path, data=body, headers=headers, allow_redirects=False
            )
            assert response.status in (400, 403), (path, content_type, body, response.status)

    async with browser() as session:
        csrf = await login_form(session, base)
        await post_each(session, "/login")
        form = {"csrf": csrf, "name": "x" * 100_000, "password": "y"}
        assert (await session.post(base + "/login", data=form)).status == 413
        await sign_in(session, base, "ana")
        await post_each(session, "/logout")
        still = await session.get(base + "/", allow_redirects=False)
        assert still.status == 200  # still signed in
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "Traceback" not in caplog.text


async def test_unparseable_requests_are_one_line_in_the_log_without_their_bytes(serve, caplog):
    caplog.set_level(logging.DEBUG)
    server, base = await serve()
    port = int(base.rsplit(":", 1)[1])
    secret = b"workbench_session=SECRET-TOKEN-1234"
    for request in (
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nCookie: " + secret + b"\x00\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: " + secret + b"\r\n\r\n",
        b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\n\r\n",
    ):
        raw = socket.create_connection(("127.0.0.1", port))
        raw.sendall(request)
        assert (await asyncio.to_thread(raw.recv, 4096)).startswith(b"HTTP/1.0 400")
        raw.close()
    assert "SECRET-TOKEN" not in caplog.text and "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert caplog.text.count("refused a malformed request") == 4


async def test_a_password_typed_into_the_name_field_is_never_logged(serve, caplog, project):
    caplog.set_level(logging.INFO)
    server, base = await serve()
    async with browser() as session:
        assert (await sign_in(session, base, "ana's long password", "ana")).status == 401
        assert (await sign_in(session, base, "ana", "a wrong password")).status == 401
    assert "ana's long password" not in caplog.text
    assert "sign-in failed for an unknown name from 127.0.0.1" in caplog.text
    assert "sign-in failed for 'ana' from 127.0.0.1 (wrong)" in caplog.text
    assert "ana's long password" not in str(Store.open(project).audit_rows())


async def test_the_host_header_must_name_this_server(serve, fake_apps):
    server, base = await serve()
    port = int(base.rsplit(":", 1)[1])
    async with browser() as session:
        for host in (
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"[::1]:{port}",
            f"LOCALHOST.:{port}",
        ):
            assert (await session.get(base + "/login", headers={"Host": host})).status == 200, host
        for host in (
            f"evil.example:{port}",
            "evil.example",
            f"127.0.0.1:{port + 1}",
            "127.0.0.1",
            f"a@127.0.0.1:{port}",
            f"127.0.0.1.evil.example:{port}",
            ":::",
            "",
        ):
            response = await session.get(base + "/login", headers={"Host": host})
            assert response.status == 421, host
            assert f"This server answers to http://127.0.0.1:{port}" in await response.text()
        assert (await sign_in(session, base, "ana")).status == 303
        with pytest.raises(
            aiohttp.WSServerHandshakeError
        ) as refused:  # a rebinding page's websocket
            await session.ws_connect(
                base + "/ws",
                headers={"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
            )
        assert refused.value.status == 421 and fake_apps == {}
    raw = socket.create_connection(("127.0.0.1", port))  # HTTP/1.0 without a Host header
    raw.sendall(b"GET /login HTTP/1.0\r\n\r\n")
    assert (await asyncio.to_thread(raw.recv, 4096)).startswith(b"HTTP/1.0 421")
    raw.close()


async def test_behind_a_proxy_the_public_url_is_the_host(serve):
    server, base = await serve(public_url="https://team.example.org")
    port = int(base.rsplit(":", 1)[1])
    async with browser() as session:
        for host, status in (
            ("team.example.org", 200),
            ("team.example.org:443", 200),
            (f"127.0.0.1:{port}", 200),
            ("team.example.org:8443", 421),
            ("other.example.org", 421),
        ):
            assert (await session.get(base + "/login", headers={"Host": host})).status == status, (
                host
            )


def test_which_hosts_a_server_answers_to(monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "analysis-box")
    monkeypatch.setattr(socket, "getfqdn", lambda: "analysis-box.uni.example")
    inputs.served_names.cache_clear()
    try:
        every = dict(local_port=8000, host="0.0.0.0", public_url=None, tls=False)
        assert inputs.host_allowed("192.168.1.20:8000", **every) and inputs.host_allowed(
            "[fe80::1]:8000", **every
        )
        assert inputs.host_allowed("analysis-box:8000", **every)
        assert inputs.host_allowed("Analysis-Box.uni.example:8000", **every)
        assert not inputs.host_allowed("evil.example:8000", **every)
        assert not inputs.host_allowed("192.168.1.20:9000", **every)
        tls = dict(local_port=443, host="10.0.0.5", public_url=None, tls=True)
        assert inputs.host_allowed("10.0.0.5", **tls) and not inputs.host_allowed("10.0.0.6", **tls)
    finally:
        inputs.served_names.cache_clear()


def test_terminal_sizes_from_the_browser_are_finite_and_bounded():
    assert [
        inputs.terminal_size(v)
        for v in (1e999, float("nan"), "1e999", "120", 120.7, True, None, [3], -5, 10**9, "wide")
    ] == [None, None, None, 120, 120, None, None, None, 10, 500, None]


# -- docs/bad-inputs.md, "Team server" -------------------------------------------------------------


async def test_the_documented_messages(serve, fake_apps, monkeypatch):
    from helpers import documented

    from workbench.errors import WorkbenchError
    from workbench.server import apps, config, gate, throttle

    rows = documented("Team server")
    defaults = Settings()
    found = {}
    with pytest.raises(WorkbenchError) as refused:
        config.check_caps(Settings(max_connections=5000), open_files=1024)
    found["serve-open-files"] = f"error: {refused.value}"

    class Running:
        def __init__(self, mine, everyone):
            self.mine, self.everyone = mine, everyone

        def of_user(self, user):
            return self.mine

        def total(self):
            return self.everyone

    found["apps-per-user"] = apps.over_cap(Running(4, 4), "ana", defaults)[1]
    found["max-apps"] = apps.over_cap(Running(1, 32), "ana", defaults)[1]
    found["max-connections"] = gate.full_text(defaults.max_connections)
    window = throttle.FailureWindow(defaults.failures_per_client, clock=lambda: 1000.0)
    for _ in range(defaults.failures_per_client):
        window.fail("10.0.0.1")
    found["sign-in-throttled"] = throttle.refusal(window.reserve("10.0.0.1"))

    server, base = await serve()
    port = base.rsplit(":", 1)[1]
    async with browser() as session:
        response = await session.get(base + "/login", headers={"Host": f"evil.example:{port}"})
        found["wrong-host"] = (await response.text()).replace(port, "PORT")
        csrf = await login_form(session, base)
        form = aiohttp.FormData({"csrf": csrf, "name": "ana", "password": "x"})
        form.add_field("file", b"x", filename="x.txt")  # makes it multipart
        response = await session.post(base + "/login", data=form)
        found["form-not-a-form"] = await response.text()
        response = await session.post(
            base + "/login",
            data=b"name=a",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=nonsense"},
        )
        found["form-unreadable"] = await response.text()
    request = type(
        "Request", (), {"content_type": inputs.FORM_TYPE, "post": lambda self: asyncio.sleep(60)}
    )()
    monkeypatch.setattr(asyncio, "wait_for", lambda job, timeout: _expire(job))
    with pytest.raises(aiohttp.web.HTTPRequestTimeout) as slow:
        await inputs.read_form(request, defaults.body_timeout, "sign-in")
    found["form-too-slow"] = slow.value.text
    assert found == rows


async def _expire(job):
    job.close()
    raise TimeoutError
