"""The team server: textual-serve's aiohttp app, behind a sign-in, one app process per session.

:class:`TeamServer` is textual-serve's ``Server`` (the page with xterm.js, the static
assets, the websocket relaying the terminal, the download manager) with these rules:

* A request must name this server in its Host header (``inputs.host_allowed``: the served
  address or ``--public-url``), else 421: a DNS-rebinding page reaches nothing.
* Every route but ``/static/`` and ``/login`` needs a signed-in session: a page request
  without one is sent to ``/login``, the websocket and downloads answer 401. The session
  cookie holds a random token (the project file only its hash); HttpOnly, SameSite=Strict,
  Secure when browsers come over HTTPS.
* ``/login`` is protected against cross-site posts (a token in a cookie and in the form,
  compared in constant time, and the Origin checked), rate-limited per client address (a
  slot taken before the form is read, ``throttle``), and backed by the per-account lock
  (counted before the password is checked, ``accounts``). Forms are read within the body
  timeout and a malformed one is a 400 (``inputs``); a name that is not a user's is never
  logged (it may be a password typed into the wrong field). ``/logout`` takes a token
  derived from the session.
* The websocket refuses a cross-origin handshake (cross-site websocket hijacking), and
  its app is started from the session alone (``workbench.server.command``): a query, a
  form field or a header cannot choose the user or the role.
* Apps are capped per user and in all, and a download is handed only to the session whose
  app produced it (``apps``); connections are capped and slow ones closed (``gate``).
* Every ``sweep_seconds`` the running apps are checked against their sessions: signing out,
  expiry, a removed user or a new password closes them.

Sessions, users and audit rows are read and written through the store in worker threads,
so a password hash (~0.1 s of scrypt) never stalls another analyst's keystrokes. Who a request
comes from and the sign-in and sign-out routes are :mod:`workbench.server.signin`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from workbench.server import accounts, apps, inputs, pages, sessions
from workbench.server.command import app_argv
from workbench.server.config import Settings
from workbench.server.gate import ConnectionGate
from workbench.server.service import Running
from workbench.server.signin import USER, SignIn
from workbench.server.throttle import FailureWindow
from workbench.store import Store

log = logging.getLogger("workbench.server")

PUBLIC_PATHS = {"/login", "/favicon.ico"}


class TeamServer(SignIn, Server):
    """Serves one project's app to signed-in users (see the module docstring)."""

    def __init__(
        self, project: str | Path, settings: Settings | None = None, clock=accounts.utcnow
    ):
        self.settings = settings = settings or Settings()
        self.project = Path(project).resolve()
        self.store = Store.open(self.project)  # brings the file up to the schema with users
        self.project_name = self.store.project_info()["name"]
        super().__init__(
            "workbench served-app",
            host=settings.host,
            port=settings.port,
            title=f"Workbench · {self.project_name}",
            public_url=settings.url,
        )
        self.clock = clock
        self.secret = secrets.token_bytes(32)  # signs the sign-out form's token
        self.running = Running()
        self.failures = FailureWindow(settings.failures_per_client)
        self.gate = ConnectionGate(settings.max_connections, settings.header_timeout)
        # Password checks (scrypt, 32 MiB and ~0.1 s each) in a pool of their own: a burst of
        # sign-ins neither takes the memory of dozens at once nor delays the session lookups
        # of analysts at work.
        self._password_checks = ThreadPoolExecutor(2, thread_name_prefix="workbench-sign-in")
        self._sweeper: asyncio.Task | None = None
        inputs.quiet_malformed_requests()
        inputs.served_names(settings.host)  # this machine's names, looked up now, not on a request

    # -- the aiohttp application -------------------------------------------------------

    async def _make_app(self) -> web.Application:
        @web.middleware
        async def guard(request: web.Request, handler):
            return await self.guard(request, handler)

        app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/login", self.handle_login_page, name="login"),
                web.post("/login", self.handle_login),
                web.post("/logout", self.handle_logout, name="logout"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/favicon.ico", self.handle_favicon),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_response_prepare.append(self._security_headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def guard(self, request: web.Request, handler):
        """Refuse a request for another host; let through static assets and the sign-in page;
        everything else needs a session."""
        self.gate.started(request.protocol)
        self.check_host(request)
        if request.path in PUBLIC_PATHS or request.path.startswith("/static/"):
            return await handler(request)
        user = await self.current_user(request)
        if user is None:
            if (
                request.method == "GET"
                and request.path != "/ws"
                and not request.path.startswith("/download/")
            ):
                raise web.HTTPSeeOther("/login")
            raise web.HTTPUnauthorized(text="Sign in first.")
        request[USER] = user
        return await handler(request)

    def check_host(self, request: web.Request) -> None:
        """421 unless the Host header names this server (``inputs.host_allowed``)."""
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        port = sockname[1] if isinstance(sockname, tuple) and len(sockname) >= 2 else None
        host, s = request.headers.get("Host"), self.settings
        if inputs.host_allowed(host, port, s.host, s.public_url, s.tls is not None):
            return
        log.warning(
            "refused a request for host %r (from %s)", (host or "")[:100], self.client(request)
        )
        served = s.public_url or s.url.rsplit(":", 1)[0] + f":{port or s.port}"
        raise web.HTTPMisdirectedRequest(text=inputs.wrong_host(host, served))

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

    # -- pages --------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.Response:
        user = request[USER]
        refused = await apps.slot(self.running, user["name"], self.settings)
        if refused:
            status, reason = refused
            return pages.refused_page(self.project_name, user, self.csrf_for(user), reason, status)
        return pages.app_page(self.project_name, user["name"], user["role"], self.csrf_for(user))

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)  # none: a browser's request is not a missing page

    # -- the app ------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        user = request[USER]
        if not self.same_origin(request):
            log.warning(
                "websocket refused for %s: origin %r", user["name"], request.headers.get("Origin")
            )
            raise web.HTTPForbidden(text="A websocket from another site's page is refused.")
        argv = app_argv(self.project, user["name"], user["role"])  # from the session, nothing else
        return await apps.serve_app(
            request, user, argv, self.running, self.settings, self.download_manager
        )

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        return await apps.send_download(request, request[USER], self.download_manager)

    # -- lifetime -------------------------------------------------------------------------

    async def sweep_once(self) -> None:
        """Close the apps of sessions that ended; keep typing sessions from going idle."""
        active, self.running.activity = self.running.activity, set()
        policy = self.settings.policy
        for key in self.running.sessions():
            if (
                await asyncio.to_thread(sessions.still_live, self.store, key, policy, self.clock)
                is None
            ):
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

    async def start(self) -> web.AppRunner:
        """Listen on the settings' address (``runner.addresses`` says where: port 0 picks one),
        with the connection gate, the timeouts and no access log (it would hold addresses
        and paths, not what the server decided)."""
        settings = self.settings
        runner = web.AppRunner(
            await self._make_app(),
            access_log=None,
            handle_signals=False,
            keepalive_timeout=settings.header_timeout,
            lingering_time=settings.body_timeout,
        )
        await runner.setup()
        if runner.server is None:  # (setup() makes it)
            raise RuntimeError("the web runner has no server after its setup")
        self.gate.attach(runner.server)
        await web.TCPSite(runner, settings.host, settings.port, ssl_context=settings.tls).start()
        return runner

    async def run(self) -> None:
        """Serve until SIGINT or SIGTERM, then close every app and connection."""
        runner = await self.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            self._password_checks.shutdown(wait=False)

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM)."""
        self.initialize_logging()
        asyncio.run(self.run())
