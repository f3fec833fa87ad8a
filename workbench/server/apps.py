"""The apps of the team server: starting one per websocket within the caps, relaying the
browser's input to it, and handing its downloads to the session that made them.

Each app is a process of ~45 MB, so there are two caps (``Settings``): ``apps_per_user``
(browser tabs of one account, in all its sessions) and ``max_apps`` (everyone's). A page
request over a cap gets a page that says which and what to do; a websocket over a cap
(a tab opened meanwhile) is closed at once with the same words, which the app page shows.
Before refusing, a request waits up to ``slot_wait`` seconds for an app to end, so a
reloaded tab is not refused while its old app is still closing.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from urllib.parse import quote

from aiohttp import WSMsgType, web

from workbench.server import inputs
from workbench.server.config import Settings
from workbench.server.service import Running, SessionApp

log = logging.getLogger("workbench.server")

#: Close code of a websocket refused by a cap (4000-4999: the application's own).
OVER_CAP = 4003


def over_cap(running: Running, user: str, settings: Settings) -> tuple[int, str] | None:
    """(HTTP status, why) if ``user`` may not start another app now, else None."""
    if running.of_user(user) >= settings.apps_per_user:
        windows = (
            f"{settings.apps_per_user} Workbench window{'s' if settings.apps_per_user != 1 else ''}"
        )
        return 429, (
            f"You have {windows} open, the most one account may have: close one, then open "
            "Workbench again."
        )
    if running.total() >= settings.max_apps:
        return 503, (
            f"The server runs {settings.max_apps} Workbench windows, its most for everyone: "
            "try again when someone closes one."
        )
    return None


async def slot(running: Running, user: str, settings: Settings) -> tuple[int, str] | None:
    """:func:`over_cap`, waiting up to ``settings.slot_wait`` seconds for an app to end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.slot_wait
    while (refused := over_cap(running, user, settings)) and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return refused


async def serve_app(
    request: web.Request,
    user: dict,
    argv: list[str],
    running: Running,
    settings: Settings,
    download_manager,
) -> web.WebSocketResponse:
    """The websocket of one browser tab and its app process, started from ``argv`` (built
    from the session) once the caps allow it."""
    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=inputs.MAX_MESSAGE)
    refused = await slot(running, user["name"], settings)
    if refused:
        log.warning("app refused for %s: %s", user["name"], refused[1])
        await websocket.prepare(request)
        await websocket.close(code=OVER_CAP, message=refused[1].encode("utf-8")[:123])
        return websocket

    async def close() -> None:  # (the websocket's close answers whether it closed: not used)
        await websocket.close()

    app = SessionApp(
        argv,
        session_key=user["token_hash"],
        user=user["name"],
        role=user["role"],
        write_bytes=websocket.send_bytes,
        write_str=websocket.send_str,
        close=close,
        download_manager=download_manager,
    )
    running.add(app, websocket)  # no await since the check: the slot is this app's
    try:
        await websocket.prepare(request)
        await app.start(
            inputs.terminal_size(request.query.get("width")) or 80,
            inputs.terminal_size(request.query.get("height")) or 24,
        )
        log.info("app started for %s (%s), pid %s", user["name"], user["role"], app.pid)
        await relay(websocket, app, running)
    except asyncio.CancelledError:
        await websocket.close()
    except Exception:  # one session's failure must not take the server down
        log.exception("the app of %s failed", user["name"])
    finally:
        running.remove(app)
        await app.stop()
        log.info("app of %s ended", user["name"])
    return websocket


async def relay(websocket: web.WebSocketResponse, app: SessionApp, running: Running) -> None:
    """Browser → app: keys, size, focus; anything malformed is ignored (``inputs.message``)."""
    async for received in websocket:
        if received.type != WSMsgType.TEXT:
            continue
        parsed = inputs.message(received.data)
        if parsed is None:
            continue
        kind, data = parsed
        if kind == "stdin" and isinstance(data, str):
            running.activity.add(app.session_key)
            await app.send_bytes(data.encode("utf-8", errors="replace"))  # a lone surrogate: "?"
        elif kind == "resize" and isinstance(data, dict):
            width, height = (
                inputs.terminal_size(data.get("width")),
                inputs.terminal_size(data.get("height")),
            )
            if width and height:  # else not a size: ignored
                await app.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, str) and len(data) <= 64:
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await app.blur()
        elif kind == "focus":
            await app.focus()


async def send_download(request: web.Request, user: dict, download_manager) -> web.StreamResponse:
    """A file an app delivered (``/download/KEY``), only to the session whose app made it."""
    key = request.match_info["key"]
    try:
        meta = await download_manager.get_download_metadata(key)
    except KeyError:
        raise web.HTTPNotFound(text="No such download (they can be fetched once).") from None
    if getattr(meta.app_service, "session_key", None) != user["token_hash"]:
        log.warning("%s asked for another session's download", user["name"])
        raise web.HTTPNotFound(text="No such download (they can be fetched once).")
    name = "".join(c for c in Path(meta.file_name).name if c.isprintable()) or "download"
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    content_type = meta.mime_type or "application/octet-stream"
    if meta.encoding:
        content_type += f"; charset={meta.encoding}"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response = web.StreamResponse(
        headers={
            "Content-Type": content_type,
            "Content-Disposition": disposition,
            "Content-Security-Policy": "sandbox; default-src 'none'",
        }
    )
    await response.prepare(request)
    async for chunk in download_manager.download(key):
        await response.write(chunk)
    await response.write_eof()
    return response
