"""One browser session's app process, and the register of every running one.

:class:`SessionApp` is textual-serve's ``AppService`` (it relays the terminal between the
websocket and the Textual web driver in the child process, and file deliveries to the
download manager) with three changes: the process is started from an argument list built
by ``workbench.server.command`` (``create_subprocess_exec``, no shell), it remembers which
session and user it belongs to (a download is handed only to that session), and its
environment is the server's plus the web driver's settings.

:class:`Running` keeps the apps by session, so signing out, a removed user or an expired
session closes that session's apps, and counts them by user and in all (the caps are
``workbench.server.apps``'s).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

if TYPE_CHECKING:
    from aiohttp import web


class SessionApp(AppService):
    """The Workbench app of one websocket, for one signed-in session."""

    def __init__(
        self,
        argv: list[str],
        *,
        session_key: str,
        user: str,
        role: str,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
    ):
        import shlex

        super().__init__(
            shlex.join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = argv
        self.session_key = session_key
        self.user = user
        self.role = role

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width=width, height=height)
        environment.pop("TEXTUAL", None)  # never devtools or debug in a served app
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def stop(self) -> None:
        """Ask the app to quit; end the process if it has not within five seconds."""
        with contextlib.suppress(TimeoutError, ConnectionError):
            await asyncio.wait_for(super().stop(), 5)
        process = self._process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()


class Running:
    """The running apps, by session (its token hash), with their websockets."""

    def __init__(self):
        self._apps: dict[str, dict[SessionApp, web.WebSocketResponse]] = {}
        self.activity: set[str] = set()  # sessions that typed since the last sweep

    def count(self, session_key: str) -> int:
        return len(self._apps.get(session_key, {}))

    def of_user(self, user: str) -> int:
        """How many apps ``user`` has running, in all their sessions."""
        return sum(1 for app in self.apps() if app.user == user)

    def total(self) -> int:
        return sum(len(apps) for apps in self._apps.values())

    def add(self, app: SessionApp, websocket: web.WebSocketResponse) -> None:
        self._apps.setdefault(app.session_key, {})[app] = websocket

    def remove(self, app: SessionApp) -> None:
        apps = self._apps.get(app.session_key, {})
        apps.pop(app, None)
        if not apps:
            self._apps.pop(app.session_key, None)

    def sessions(self) -> list[str]:
        return list(self._apps)

    def apps(self) -> list[SessionApp]:
        return [app for apps in self._apps.values() for app in apps]

    async def close_session(self, session_key: str, why: str) -> int:
        """Close every websocket of a session (its apps then stop); returns how many."""
        sockets = list(self._apps.get(session_key, {}).values())
        for websocket in sockets:
            await websocket.close(code=4001, message=why.encode("utf-8")[:120])
        return len(sockets)
