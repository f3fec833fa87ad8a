"""The team server: textual-serve's aiohttp app, behind a sign-in, one app process per session.

:class:`TeamServer` is textual-serve's ``Server`` (the page with xterm.js, the static
assets, the websocket relaying the terminal, the download manager) with these rules:

* Every route but ``/static/`` and ``/login`` needs a signed-in session: a page request
  without one is sent to ``/login``, the websocket and downloads answer 401. The session
  cookie holds a random token (the project file only its hash); HttpOnly, SameSite=Strict,
  Secure when browsers come over HTTPS.
* ``/login`` is protected against cross-site posts (a token in a cookie and in the form,
  compared in constant time, and the Origin checked), rate-limited per client address, and
  backed by the per-account lock. ``/logout`` takes a token derived from the session.
* The websocket refuses a cross-origin handshake (cross-site websocket hijacking), and
  its app is started from the session alone (``workbench.server.command``): a query, a
  form field or a header cannot choose the user or the role.
* A download is handed only to the session whose app produced it.
* Every ``sweep_seconds`` the running apps are checked against their sessions: signing out,
  expiry, a removed user or a new password closes them.

Sessions, users and audit rows are read and written through the store in worker threads,
so a password hash (~0.1 s of scrypt) never stalls another analyst's keystrokes.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit

from aiohttp import WSMsgType, web
from textual_serve.server import Server

from workbench.server import accounts, pages, sessions
from workbench.server.command import app_argv
from workbench.server.config import Settings
from workbench.server.service import Running, SessionApp
from workbench.server.throttle import FailureWindow
from workbench.store import Store

log = logging.getLogger("workbench.server")

SESSION_COOKIE = "workbench_session"
CSRF_COOKIE = "workbench_csrf"
PUBLIC_PATHS = {"/login", "/favicon.ico"}
#: Where the guard leaves the signed-in user on a request (aiohttp ≥ 3.12 wants typed keys).
USER = web.RequestKey("user", dict) if hasattr(web, "RequestKey") else "user"


def _size(value, default: int, low: int = 10, high: int = 500) -> int:
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return default


class TeamServer(Server):
    """Serves one project's app to signed-in users (see the module docstring)."""

    def __init__(self, project: str | Path, settings: Settings | None = None, clock=accounts.utcnow):
        self.settings = settings = settings or Settings()
        self.project = Path(project).resolve()
        self.store = Store.open(self.project)  # brings the file up to the schema with users
        self.project_name = self.store.project_info()["name"]
        super().__init__("workbench served-app", host=settings.host, port=settings.port,
                         title=f"Workbench · {self.project_name}", public_url=settings.url)
        self.clock = clock
        self.secret = secrets.token_bytes(32)  # signs the sign-out form's token
        self.running = Running(settings.apps_per_session)
        self.failures = FailureWindow(settings.failures_per_client)
        self._sweeper: asyncio.Task | None = None

    # -- the aiohttp application -------------------------------------------------------

    async def _make_app(self) -> web.Application:
        @web.middleware
        async def guard(request: web.Request, handler):
            return await self.guard(request, handler)

        app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/login", self.handle_login_page, name="login"),
            web.post("/login", self.handle_login),
            web.post("/logout", self.handle_logout, name="logout"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.get("/favicon.ico", self.handle_favicon),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_response_prepare.append(self._security_headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def guard(self, request: web.Request, handler):
        """Let through static assets and the sign-in page; everything else needs a session."""
        if request.path in PUBLIC_PATHS or request.path.startswith("/static/"):
            return await handler(request)
        user = await self.current_user(request)
        if user is None:
            if request.method == "GET" and request.path != "/ws" and not request.path.startswith("/download/"):
                raise web.HTTPSeeOther("/login")
            raise web.HTTPUnauthorized(text="Sign in first.")
        request[USER] = user
        return await handler(request)

    async def _security_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Content-Security-Policy", pages.csp())
        if not request.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")
        if self.settings.tls is not None:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")

    # -- who is asking ------------------------------------------------------------------

    async def current_user(self, request: web.Request) -> dict | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return await asyncio.to_thread(sessions.session_user, self.store, token, self.settings.policy, self.clock)

    def client(self, request: web.Request) -> str:
        if self.settings.trust_proxy:
            forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
            if forwarded:
                return forwarded
        return request.remote or "unknown"

    def same_origin(self, request: web.Request, allow_missing: bool = False) -> bool:
        """Whether the request comes from a page of this server (Origin, else Referer)."""
        origin = request.headers.get("Origin") or request.headers.get("Referer")
        if not origin:
            return allow_missing
        netloc = urlsplit(origin).netloc.lower()
        allowed = {request.host.lower(), urlsplit(self.settings.url).netloc.lower()}
        return bool(netloc) and netloc in allowed

    def csrf_for(self, user: dict) -> str:
        return hmac.new(self.secret, user["token_hash"].encode(), hashlib.sha256).hexdigest()

    def _cookie(self, response: web.StreamResponse, name: str, value: str, path: str, max_age: int | None) -> None:
        response.set_cookie(name, value, path=path, max_age=max_age, httponly=True, samesite="Strict",
                            secure=self.settings.secure)

    # -- pages --------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.Response:
        user = request[USER]
        return pages.app_page(self.project_name, user["name"], user["role"], self.csrf_for(user))

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)  # none: a browser's request is not a missing page

    async def handle_login_page(self, request: web.Request) -> web.Response:
        if await self.current_user(request):
            raise web.HTTPSeeOther("/")
        return self._login(request)

    def _login(self, request: web.Request, error: str = "", name: str = "", status: int = 200) -> web.Response:
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not (20 <= len(csrf) <= 100 and csrf.replace("-", "").replace("_", "").isalnum()):
            csrf = secrets.token_urlsafe(32)
        response = pages.login_page(self.project_name, csrf, error, name, status)
        self._cookie(response, CSRF_COOKIE, csrf, "/login", None)
        return response

    async def handle_login(self, request: web.Request) -> web.Response:
        client = self.client(request)
        wait = self.failures.retry_after(client)
        if wait:
            raise web.HTTPTooManyRequests(text=f"Too many failed sign-ins from {client}; try again in {wait} s.",
                                          headers={"Retry-After": str(wait)})
        form = await request.post()
        sent, cookie = form.get("csrf"), request.cookies.get(CSRF_COOKIE, "")
        if not (self.same_origin(request, allow_missing=True) and isinstance(sent, str) and cookie
                and hmac.compare_digest(sent.encode(), cookie.encode())):
            log.warning("sign-in refused: no valid form token or a foreign origin (from %s)", client)
            raise web.HTTPForbidden(text="This sign-in did not come from this server's own form (or the form "
                                         "expired): open the sign-in page again.")
        name = form.get("name") if isinstance(form.get("name"), str) else ""
        password = form.get("password") if isinstance(form.get("password"), str) else ""
        result = await asyncio.to_thread(
            accounts.authenticate, self.store, name[:100], password, self.clock, self.settings.max_failures,
            self.settings.lock_minutes, client)
        if not result.ok:
            self.failures.fail(client)
            log.warning("sign-in failed for %r from %s (%s)", name[:40], client, result.reason)
            return self._login(request, pages.sign_in_refused(self.settings.max_failures, self.settings.lock_minutes),
                               name[:40], status=401)
        user = result.user["name"]
        token = await asyncio.to_thread(sessions.open_session, self.store, user, self.settings.policy,
                                        self.clock, client)
        log.info("%s (%s) signed in from %s", user, result.user["role"], client)
        response = web.Response(status=303, headers={"Location": "/"})
        self._cookie(response, SESSION_COOKIE, token, "/", int(self.settings.policy.lifetime.total_seconds()))
        response.del_cookie(CSRF_COOKIE, path="/login")
        return response

    async def handle_logout(self, request: web.Request) -> web.Response:
        user = request[USER]
        form = await request.post()
        sent = form.get("csrf")
        if not (self.same_origin(request, allow_missing=True) and isinstance(sent, str)
                and hmac.compare_digest(sent.encode(), self.csrf_for(user).encode())):
            raise web.HTTPForbidden(text="Sign out from the app's own page.")
        await asyncio.to_thread(sessions.close_session, self.store, user["token_hash"], user["name"], hashed=True)
        await self.running.close_session(user["token_hash"], "signed out")
        log.info("%s signed out", user["name"])
        response = web.Response(status=303, headers={"Location": "/login"})
        response.del_cookie(SESSION_COOKIE, path="/")
        return response

    # -- the app ------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        user = request[USER]
        if not self.same_origin(request):
            log.warning("websocket refused for %s: origin %r", user["name"], request.headers.get("Origin"))
            raise web.HTTPForbidden(text="A websocket from another site's page is refused.")
        key = user["token_hash"]
        if self.running.full(key):
            raise web.HTTPTooManyRequests(text=f"This session has {self.running.per_session} apps open already; "
                                               "close a tab first.")
        argv = app_argv(self.project, user["name"], user["role"])  # from the session, nothing else
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        app = SessionApp(argv, session_key=key, user=user["name"], role=user["role"],
                         write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                         download_manager=self.download_manager)
        self.running.add(app, websocket)
        try:
            await websocket.prepare(request)
            await app.start(_size(request.query.get("width"), 80), _size(request.query.get("height"), 24))
            log.info("app started for %s (%s), pid %s", user["name"], user["role"], app.pid)
            await self._relay(websocket, app)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one session's failure must not take the server down
            log.exception("the app of %s failed", user["name"])
        finally:
            self.running.remove(app)
            await app.stop()
            log.info("app of %s ended", user["name"])
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, app: SessionApp) -> None:
        """Browser → app: keys, size, focus; anything malformed is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = json.loads(message.data)[:2]
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                self.running.activity.add(app.session_key)
                await app.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await app.set_terminal_size(_size(data.get("width"), 80), _size(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app.blur()
            elif kind == "focus":
                await app.focus()

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        user = request[USER]
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="No such download (they can be fetched once).") from None
        if getattr(meta.app_service, "session_key", None) != user["token_hash"]:
            log.warning("%s asked for another session's download", user["name"])
            raise web.HTTPNotFound(text="No such download (they can be fetched once).")
        name = Path(meta.file_name).name or "download"
        ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
        content_type = meta.mime_type or "application/octet-stream"
        if meta.encoding:
            content_type += f"; charset={meta.encoding}"
        response = web.StreamResponse(headers={
            "Content-Type": content_type,
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        })
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # -- lifetime -------------------------------------------------------------------------

    async def sweep_once(self) -> None:
        """Close the apps of sessions that ended; keep typing sessions from going idle."""
        active, self.running.activity = self.running.activity, set()
        policy = self.settings.policy
        for key in self.running.sessions():
            if await asyncio.to_thread(sessions.still_live, self.store, key, policy, self.clock) is None:
                closed = await self.running.close_session(key, "session ended")
                log.info("closed %d app(s) of an ended session", closed)
            elif key in active:
                await asyncio.to_thread(sessions.mark_used, self.store, key, self.clock)
        await asyncio.to_thread(sessions.purge, self.store, policy, self.clock)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.sweep_seconds)
            try:
                await self.sweep_once()
            except Exception:
                log.exception("checking running apps against their sessions failed")

    async def on_startup(self, app: web.Application) -> None:
        self._sweeper = asyncio.create_task(self._sweep_forever())

    async def on_shutdown(self, app: web.Application) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        for key in self.running.sessions():
            await self.running.close_session(key, "the server is stopping")

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM)."""
        self.initialize_logging()
        web.run_app(self._make_app(), host=self.settings.host, port=self.settings.port,
                    ssl_context=self.settings.tls, print=None, access_log=None)
