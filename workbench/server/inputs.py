"""What the team server takes from a request before acting on it: the Host header, form
bodies and the browser's websocket messages.

* **Host**: a request must name this server as its users reach it: the address it listens
  on (with ``localhost``, ``127.0.0.1`` and ``[::1]`` for a loopback address; any IP
  address or this machine's name for a wildcard one), on the port the connection came in
  on, or ``--public-url``. Anything else is refused (421) before any page, so a page of
  another site whose name resolves to this machine (DNS rebinding) reaches nothing.
* **Forms** (sign-in, sign-out): a web form (``application/x-www-form-urlencoded``, what
  the pages send), read within the body timeout (408 after it); a body that cannot be read
  as one is a 400 that says so, never a 500 with a traceback in the log.
* **Websocket messages**: ``[kind, data]`` as the page's script sends them; anything
  else (not JSON, nested deeper than Python's parser goes, the wrong types, a size that
  is not a finite number) is ignored, and the app goes on.
* **The log**: a request aiohttp cannot parse is one warning line, not a traceback quoting
  its bytes (:class:`MalformedRequests`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from aiohttp import web

FORM_TYPE = "application/x-www-form-urlencoded"
#: Websocket text messages longer than this are ignored (a paste is split by the page).
MAX_MESSAGE = 1024 * 1024


# -- the log ---------------------------------------------------------------------------------


class MalformedRequests(logging.Filter):
    """aiohttp logs a request it cannot parse as an error with a traceback whose message
    quotes the offending bytes (a header line: a cookie, a token). Such a record becomes one
    warning line naming the client and the kind of fault, without the bytes."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.msg = (
                f"{record.getMessage()}: refused a malformed request ({type(error).__name__}, 400)"
            )
            record.args, record.exc_info, record.exc_text = (), None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_malformed_requests(logger: logging.Logger | None = None) -> None:
    logger = logger or logging.getLogger("aiohttp.server")
    if not any(isinstance(f, MalformedRequests) for f in logger.filters):
        logger.addFilter(MalformedRequests())


# -- the Host header -----------------------------------------------------------------------


def _split(netloc: str) -> tuple[str, int | None] | None:
    """(host name in lower case without brackets, port or None), or None if unreadable."""
    try:
        parts = urlsplit("//" + netloc)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return None
    return parts.hostname.lower().rstrip("."), port


@lru_cache(maxsize=8)
def served_names(host: str) -> frozenset[str]:
    """The names under which a server listening on ``host`` is reached (IP literals aside)."""
    from workbench.server.config import is_loopback

    names = {host.strip("[]").lower()}
    if is_loopback(host):
        return frozenset(names | {"localhost", "127.0.0.1", "::1"})
    for name in (socket.gethostname(), socket.getfqdn()):
        names.add(name.lower())
    return frozenset(names)


def _is_ip(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(
    host_header: str | None, local_port: int | None, host: str, public_url: str | None, tls: bool
) -> bool:
    """Whether a request's Host names this server (see the module docstring)."""
    found = _split(host_header or "")
    if found is None:
        return False
    name, port = found
    if public_url:
        public = urlsplit(public_url)
        default = 443 if public.scheme == "https" else 80
        if name == (public.hostname or "").lower() and (port or default) == (
            public.port or default
        ):
            return True
    if local_port is not None and (port or (443 if tls else 80)) != local_port:
        return False
    if host in ("0.0.0.0", "::", ""):  # every interface: an address, or this machine's name
        return _is_ip(name) or name in served_names(host)
    return name in served_names(host)


def wrong_host(host_header: str | None, served: str) -> str:
    shown = (host_header or "no Host header")[:100]
    return (
        f"This server answers to {served} (the request named {shown!r}). If that is the address "
        "users open, start the server with --public-url set to it."
    )


# -- forms -----------------------------------------------------------------------------------


async def read_form(request: web.Request, timeout: float, what: str):
    """The request's form fields, read within ``timeout`` seconds (see the module docstring)."""
    if request.content_type != FORM_TYPE:
        raise web.HTTPBadRequest(
            text=f"The {what} form could not be read: it was sent as "
            f"{request.content_type or 'no content type'}, not as the page's "
            "web form. Open the page again and use its form."
        )
    try:
        return await asyncio.wait_for(request.post(), timeout)
    except TimeoutError:
        raise web.HTTPRequestTimeout(
            text=f"The {what} form did not arrive within {timeout:g} s; "
            "open the page again and send it once more."
        ) from None
    except web.HTTPException:
        raise  # too large (413): aiohttp's own answer
    except Exception:  # aiohttp's form parser raises ValueError, LookupError (a charset), ...
        raise web.HTTPBadRequest(
            text=f"The {what} form could not be read (a damaged or hand-made "
            "request). Open the page again and use its form."
        ) from None


# -- websocket messages ------------------------------------------------------------------------


def message(text: str) -> tuple[str, object] | None:
    """``(kind, data)`` of a browser's websocket message, or None for anything malformed."""
    if not isinstance(text, str) or len(text) > MAX_MESSAGE or not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        return None
    if not (isinstance(value, list) and value and isinstance(value[0], str)):
        return None
    return value[0], value[1] if len(value) > 1 else None


def terminal_size(value: object, low: int = 10, high: int = 500) -> int | None:
    """A terminal's width or height from the browser, within [low, high]; None for anything
    that is not a finite number (``1e999`` parses as infinity, ``NaN`` as NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return min(high, max(low, int(number)))
