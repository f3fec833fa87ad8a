"""Forged requests against the team server's aiohttp app (its test client, no browser): every
route needs a session, sign-in needs the server's own form, the websocket refuses other
origins and builds the app from the session alone, downloads go only to their session."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from helpers import TEAM_PASSWORDS, team_project

from workbench.server import accounts, sessions
from workbench.server.config import Settings
from workbench.server.service import SessionApp
from workbench.server.signin import CSRF_COOKIE, SESSION_COOKIE
from workbench.server.web import TeamServer
from workbench.store import Store

PASSWORDS = TEAM_PASSWORDS


@pytest.fixture
def project(tmp_path, monkeypatch):
    return team_project(tmp_path / "p.db", monkeypatch)


@pytest.fixture
def settings():
    return Settings(port=0, max_failures=3, failures_per_client=6)


@pytest.fixture
async def make_client(project, settings):
    clients = []

    async def make(**changes) -> tuple[TestClient, TeamServer]:
        for key, value in changes.items():
            setattr(settings, key, value)
        server = TeamServer(project, settings)
        client = TestClient(
            TestServer(await server._make_app()), cookie_jar=aiohttp.CookieJar(unsafe=True)
        )
        await client.start_server()
        clients.append(client)
        return client, server

    yield make
    for client in clients:
        await client.close()


async def sign_in(
    client: TestClient, name: str, password: str | None = None
) -> aiohttp.ClientResponse:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    return await client.post(
        "/login",
        data={"csrf": csrf, "name": name, "password": password or PASSWORDS[name]},
        allow_redirects=False,
    )


async def until(condition, seconds: float = 10.0) -> None:
    """Let the server's side of a request run until ``condition()`` holds (a busy machine is slow)."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server did not get there in time")


def origin(client: TestClient) -> dict:
    return {"Origin": f"http://{client.host}:{client.port}"}


@pytest.fixture
def no_process(monkeypatch):
    """The websocket's app without its process: what it would run is recorded."""
    started = []

    async def start(self, width, height):
        started.append(
            {"argv": self.argv, "user": self.user, "role": self.role, "size": (width, height)}
        )

    monkeypatch.setattr(SessionApp, "start", start)
    return started


# -- without a session ---------------------------------------------------------------------


async def test_every_route_but_static_and_login_needs_a_session(make_client):
    client, _ = await make_client()
    for path in ("/", "/?user=ben&role=lead", "/anything", "/download"):
        response = await client.get(path, allow_redirects=False)
        assert (response.status, response.headers["Location"]) == (303, "/login"), path
    for path in ("/ws", "/ws?user=ben", "/download/0123abcd"):
        assert (await client.get(path, allow_redirects=False)).status == 401, path
    assert (await client.post("/logout", allow_redirects=False)).status == 401
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers=origin(client))
    assert refused.value.status == 401
    assert (await client.get("/static/js/textual.js")).status == 200
    login = await client.get("/login")
    assert login.status == 200 and "Sign in" in await login.text()
    assert (
        login.headers["X-Frame-Options"] == "DENY"
        and "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]
    )


async def test_a_forged_or_expired_session_token_is_refused(make_client, project):
    client, server = await make_client()
    client.session.cookie_jar.update_cookies(
        {SESSION_COOKIE: "forged-token-of-the-right-length-1234567890ab"}
    )
    assert (await client.get("/", allow_redirects=False)).status == 303
    assert (await client.get("/ws", allow_redirects=False)).status == 401
    assert (await sign_in(client, "ana")).status == 303
    assert (await client.get("/", allow_redirects=False)).status == 200
    later = accounts.utcnow() + server.settings.policy.lifetime + timedelta(seconds=1)
    server.clock = lambda: later
    assert (await client.get("/", allow_redirects=False)).status == 303
    assert (await client.get("/ws", allow_redirects=False)).status == 401
    assert Store.open(project).users()[0]["sessions"] == 0  # deleted on sight


# -- signing in ------------------------------------------------------------------------------


async def test_sign_in_sets_a_strict_http_only_cookie_holding_no_stored_secret(
    make_client, project
):
    client, _ = await make_client()
    response = await sign_in(client, "ana")
    assert (response.status, response.headers["Location"]) == (303, "/")
    cookie = response.cookies[SESSION_COOKIE]
    assert (
        cookie["httponly"]
        and cookie["samesite"] == "Strict"
        and cookie["path"] == "/"
        and not cookie["secure"]
    )
    store = Store.open(project)
    assert store.session_with_user(sessions.token_hash(cookie.value))["user_name"] == "ana"
    assert store.session_with_user(cookie.value) is None
    page = await client.get("/")
    text = await page.text()
    assert "ana · coder" in text and 'id="sign-out"' in text
    nonce = re.search(r'<script nonce="([^"]+)"', text).group(1)
    assert f"'nonce-{nonce}'" in page.headers["Content-Security-Policy"]


async def test_cookies_are_secure_behind_https(make_client):
    client, _ = await make_client(public_url="https://team.example.org")
    page = await client.get("/login")
    assert page.cookies[CSRF_COOKIE][
        "secure"
    ]  # so this http:// client does not send it back: by hand
    csrf = page.cookies[CSRF_COOKIE].value
    response = await client.post(
        "/login",
        data={"csrf": csrf, "name": "ana", "password": PASSWORDS["ana"]},
        headers={"Cookie": f"{CSRF_COOKIE}={csrf}"},
        allow_redirects=False,
    )
    assert response.cookies[SESSION_COOKIE]["secure"]


async def test_a_sign_in_without_the_forms_token_is_refused(make_client, project):
    client, _ = await make_client()
    data = {"name": "ana", "password": PASSWORDS["ana"]}
    assert (
        await client.post("/login", data=data, allow_redirects=False)
    ).status == 403  # no token at all
    await client.get("/login")  # the cookie half only
    assert (
        await client.post("/login", data={**data, "csrf": "guess"}, allow_redirects=False)
    ).status == 403
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    cross = await client.post(
        "/login",
        data={**data, "csrf": csrf},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert cross.status == 403
    assert Store.open(project).users()[0]["sessions"] == 0
    fine = await client.post(
        "/login", data={**data, "csrf": csrf}, headers=origin(client), allow_redirects=False
    )
    assert fine.status == 303 and CSRF_COOKIE in fine.cookies  # the form token is spent (deleted)


async def test_a_wrong_password_and_a_locked_account_get_the_same_answer(make_client, project):
    client, _ = await make_client()
    answers = []
    for password in ["wrong password 1", "wrong password 2", "wrong password 3", PASSWORDS["ana"]]:
        response = await sign_in(client, "ana", password)
        answers.append(
            (response.status, re.search(r'id="error">([^<]+)<', await response.text()).group(1))
        )
    unknown = await sign_in(client, "nobody", "whatever password")
    assert {a for a in answers} == {(401, answers[0][1])} and unknown.status == 401
    assert "locked for 15 minutes" in answers[0][1]
    assert Store.open(project).user_named("ana")["locked_until"] is not None
    assert (await client.get("/", allow_redirects=False)).status == 303


async def test_sign_ins_are_rate_limited_per_address(make_client):
    client, _ = await make_client(failures_per_client=3)
    for name in ("ana", "ben", "lee"):
        assert (await sign_in(client, name, "a wrong password")).status == 401
    response = await sign_in(client, "lee")
    assert response.status == 429 and int(response.headers["Retry-After"]) > 0


async def test_signing_out_needs_the_pages_token(make_client, project):
    client, _ = await make_client()
    await sign_in(client, "ana")
    assert (
        await client.post("/logout", data={"csrf": "forged"}, allow_redirects=False)
    ).status == 403
    csrf = re.search(r'name="csrf" value="([^"]+)"', await (await client.get("/")).text()).group(1)
    response = await client.post("/logout", data={"csrf": csrf}, allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, "/login")
    assert (await client.get("/", allow_redirects=False)).status == 303
    assert Store.open(project).users()[0]["sessions"] == 0


# -- the websocket -----------------------------------------------------------------------------


async def test_a_cross_origin_websocket_is_refused(make_client, no_process):
    client, _ = await make_client()
    await sign_in(client, "ana")
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers=headers)
        assert refused.value.status == 403
    assert no_process == []


async def test_the_app_is_built_from_the_session_not_the_request(make_client, no_process):
    client, server = await make_client()
    await sign_in(client, "ana")
    ws = await client.ws_connect(
        "/ws?user=ben&role=lead&width=120&height=40",
        headers={**origin(client), "X-User": "ben", "Cookie": "role=lead"},
    )
    await until(lambda: no_process)
    [app] = no_process
    assert app["argv"][-4:] == ["--as-user", "ana", "--role", "coder"]
    assert (app["user"], app["role"]) == ("ana", "coder")
    assert str(server.project) in app["argv"] and app["size"] == (120, 40)
    assert server.running.count(next(iter(server.running.sessions()))) == 1
    await ws.close()
    await until(lambda: server.running.sessions() == [])


async def test_ended_sessions_lose_their_running_apps(make_client, no_process, project):
    client, server = await make_client()
    await sign_in(client, "ana")
    ws = await client.ws_connect("/ws", headers=origin(client))
    await until(lambda: no_process)
    await server.sweep_once()
    assert len(server.running.sessions()) == 1  # still signed in: kept
    accounts.remove_user(Store.open(project), "ana")
    await server.sweep_once()
    message = await ws.receive(timeout=5)
    assert (message.type, message.data, message.extra) == (
        aiohttp.WSMsgType.CLOSE,
        4001,
        "session ended",
    )


# -- downloads ----------------------------------------------------------------------------------


class _Producer:
    """Stands in for an app process that delivers a file."""

    def __init__(self, session_key: str):
        self.session_key, self.app_service_id = session_key, "app-1"

    async def send_meta(self, data) -> bool:
        return True


async def test_a_download_is_handed_only_to_the_session_that_made_it(make_client, project):
    ana, server = await make_client()
    await sign_in(ana, "ana")
    ben = TestClient(ana.server, cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        await sign_in(ben, "ben")
        key = sessions.token_hash(
            next(c.value for c in ana.session.cookie_jar if c.key == SESSION_COOKIE)
        )
        manager = server.download_manager
        await manager.create_download(
            app_service=_Producer(key),
            delivery_key="k1",
            file_name="table 3.docx",
            open_method="browser",
            mime_type="text/html",
        )
        download = await manager.get_download_metadata("k1")
        for chunk in (b"PK\x03\x04 table", None):
            download.incoming_chunks.put_nowait(chunk)
        assert (await ben.get("/download/k1")).status == 404  # another session's file: as if absent
        response = await ana.get("/download/k1")
        assert response.status == 200 and await response.read() == b"PK\x03\x04 table"
        assert response.headers["Content-Disposition"].startswith(
            'attachment; filename="table 3.docx"'
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert (await ana.get("/download/k1")).status == 404  # once only
    finally:
        await ben.close()


# -- TLS -------------------------------------------------------------------------------------


async def test_over_tls_cookies_are_secure_and_browsers_told_to_stay_on_https(
    project, settings, tmp_path
):
    import shutil
    import subprocess

    from workbench.server.config import tls_context

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed to make a test certificate")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    settings.tls = tls_context(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    assert settings.secure and settings.url.startswith("https://")
    server = TeamServer(project, settings)
    test_server = TestServer(await server._make_app())
    await test_server.start_server(ssl=settings.tls)
    client = TestClient(test_server, cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        page = await client.get("/login", ssl=False)
        assert page.url.scheme == "https" and page.headers["Strict-Transport-Security"].startswith(
            "max-age="
        )
        csrf = page.cookies[CSRF_COOKIE].value
        response = await client.post(
            "/login",
            data={"csrf": csrf, "name": "ana", "password": PASSWORDS["ana"]},
            ssl=False,
            allow_redirects=False,
        )
        assert response.status == 303 and response.cookies[SESSION_COOKIE]["secure"]
    finally:
        await client.close()
