"""Who is asking, and signing in and out: the team server's side of a browser's identity.

:class:`SignIn` is the part of :class:`~workbench.server.web.TeamServer` that knows who a
request comes from: the user of its session cookie (looked up in a worker thread), the client
address (the last ``X-Forwarded-For`` hop, only behind a trusted proxy), whether it comes from
a page of this server (Origin, else Referer), the sign-out form's token (derived from the
session); and the ``/login`` and ``/logout`` routes: the form's token in a cookie and in the
form, compared in constant time, the address's slot taken before anything is read
(``throttle``), the password checked in a pool of its own, a name that is no user's never
logged, the session cookie HttpOnly, SameSite=Strict, Secure when browsers come over HTTPS.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from urllib.parse import urlsplit

from aiohttp import web

from workbench.server import accounts, inputs, pages, sessions, throttle
from workbench.server.config import Settings
from workbench.server.service import Running
from workbench.server.throttle import FailureWindow
from workbench.store import Store

log = logging.getLogger("workbench.server")

SESSION_COOKIE = "workbench_session"
CSRF_COOKIE = "workbench_csrf"

#: Where the guard leaves the signed-in user on a request (aiohttp ≥ 3.12 wants typed keys).
USER = web.RequestKey("user", dict) if hasattr(web, "RequestKey") else "user"


class SignIn:
    """Who a request comes from, and the sign-in and sign-out routes, for
    :class:`~workbench.server.web.TeamServer`, which sets what they use (below)."""

    settings: Settings
    store: Store
    clock: Callable[[], datetime]
    secret: bytes  # signs the sign-out form's token
    failures: FailureWindow
    running: Running
    project_name: str
    _password_checks: ThreadPoolExecutor

    # -- who is asking ------------------------------------------------------------------

    async def current_user(self, request: web.Request) -> dict | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return await asyncio.to_thread(
            sessions.session_user, self.store, token, self.settings.policy, self.clock
        )

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

    def _cookie(
        self, response: web.StreamResponse, name: str, value: str, path: str, max_age: int | None
    ) -> None:
        response.set_cookie(
            name,
            value,
            path=path,
            max_age=max_age,
            httponly=True,
            samesite="Strict",
            secure=self.settings.secure,
        )

    # -- signing in and out -----------------------------------------------------------

    async def handle_login_page(self, request: web.Request) -> web.Response:
        if await self.current_user(request):
            raise web.HTTPSeeOther("/")
        return self._login(request)

    def _login(
        self, request: web.Request, error: str = "", name: str = "", status: int = 200
    ) -> web.Response:
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not (20 <= len(csrf) <= 100 and csrf.replace("-", "").replace("_", "").isalnum()):
            csrf = secrets.token_urlsafe(32)
        response = pages.login_page(self.project_name, csrf, error, name, status)
        self._cookie(response, CSRF_COOKIE, csrf, "/login", None)
        return response

    async def handle_login(self, request: web.Request) -> web.Response:
        client = self.client(request)
        # The address's slot is taken before anything is read or checked, so a burst of
        # simultaneous guesses gets no more password checks than the limit allows.
        wait = self.failures.reserve(client)
        if wait:
            raise web.HTTPTooManyRequests(
                text=throttle.refusal(wait), headers={"Retry-After": str(wait)}
            )
        failed = False
        try:
            settings = self.settings
            form = await inputs.read_form(request, settings.body_timeout, "sign-in")
            sent, cookie = form.get("csrf"), request.cookies.get(CSRF_COOKIE, "")
            if not (
                self.same_origin(request, allow_missing=True)
                and isinstance(sent, str)
                and cookie
                and hmac.compare_digest(sent.encode(), cookie.encode())
            ):
                log.warning(
                    "sign-in refused: no valid form token or a foreign origin (from %s)", client
                )
                raise web.HTTPForbidden(
                    text="This sign-in did not come from this server's own "
                    "form (or the form expired): open the sign-in page "
                    "again."
                )
            name = form.get("name") if isinstance(form.get("name"), str) else ""
            password = form.get("password") if isinstance(form.get("password"), str) else ""
            check = partial(
                accounts.authenticate,
                self.store,
                name[:100],
                password,
                self.clock,
                settings.max_failures,
                settings.lock_minutes,
                client,
            )
            result = await asyncio.get_running_loop().run_in_executor(self._password_checks, check)
            failed = not result.ok
        finally:
            self.failures.settle(client, failed)
        if failed or result.user is None:  # (the same: a sign-in that failed has no user)
            # Only a user's own name is logged: what was typed may be a password in the wrong field.
            who = repr(result.name) if result.name else "an unknown name"
            log.warning("sign-in failed for %s from %s (%s)", who, client, result.reason)
            return self._login(
                request,
                pages.sign_in_refused(self.settings.max_failures, self.settings.lock_minutes),
                name[:40],
                status=401,
            )
        user = result.user["name"]
        token = await asyncio.to_thread(
            sessions.open_session, self.store, user, self.settings.policy, self.clock, client
        )
        log.info("%s (%s) signed in from %s", user, result.user["role"], client)
        response = web.Response(status=303, headers={"Location": "/"})
        self._cookie(
            response, SESSION_COOKIE, token, "/", int(self.settings.policy.lifetime.total_seconds())
        )
        response.del_cookie(CSRF_COOKIE, path="/login")
        return response

    async def handle_logout(self, request: web.Request) -> web.Response:
        user = request[USER]
        form = await inputs.read_form(request, self.settings.body_timeout, "sign-out")
        sent = form.get("csrf")
        if not (
            self.same_origin(request, allow_missing=True)
            and isinstance(sent, str)
            and hmac.compare_digest(sent.encode(), self.csrf_for(user).encode())
        ):
            raise web.HTTPForbidden(text="Sign out from the app's own page.")
        await asyncio.to_thread(
            sessions.close_session, self.store, user["token_hash"], user["name"], hashed=True
        )
        await self.running.close_session(user["token_hash"], "signed out")
        log.info("%s signed out", user["name"])
        response = web.Response(status=303, headers={"Location": "/login"})
        response.del_cookie(SESSION_COOKIE, path="/")
        return response
