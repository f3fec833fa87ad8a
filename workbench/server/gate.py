"""Connections to the team server: how many may be open, and how long a slow one may take.

aiohttp reads a request's headers for as long as the client takes to send them, so
connections that trickle a byte at a time would each hold a file descriptor until the
process has none left and nobody can connect. :class:`ConnectionGate` stops that:

* at most ``limit`` connections are open at once. At the cap a new connection first
  evicts the oldest one that has not sent a complete request yet (a slow or silent client);
  if every open connection is at work (a page loading, an app's websocket), the new one
  is answered 503 and closed at once, so a flood costs a descriptor only for an instant;
* a connection's first request must have arrived, headers complete, within
  ``header_timeout`` seconds, or it is closed. Later requests on a kept-alive connection
  have the same time from the end of the previous response (aiohttp's keep-alive timeout,
  which the server sets to it), and a body is read within the body timeout
  (``inputs.read_form``, and aiohttp's lingering time for a body nobody reads).

It watches the low-level ``web.Server`` of the runner (:meth:`attach`); the server's guard
middleware tells it when a connection's request arrived (:meth:`started`). What it closed
is logged as a count, at most once a minute, so a flood does not flood the log.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web

log = logging.getLogger("workbench.server")

FULL = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\nRetry-After: 5\r\nContent-Length: %d\r\n\r\n%s"
)


def full_text(limit: int) -> str:
    return (
        f"The server has its most connections open ({limit}, --max-connections); "
        "try again in a moment."
    )


class ConnectionGate:
    """The connection cap and the first request's deadline (see the module docstring)."""

    def __init__(self, limit: int, header_timeout: float, log_every: float = 60.0):
        self.limit, self.header_timeout, self.log_every = limit, header_timeout, log_every
        self.open: set = set()
        self._waiting: dict = {}  # handler → its deadline's timer, oldest first
        self.counts = {"slow": 0, "evicted": 0, "refused": 0}
        self._logged = {key: 0 for key in self.counts}
        self._last_log = -log_every
        self._pending: asyncio.TimerHandle | None = None

    def attach(self, server: web.Server) -> None:
        """Watch every connection ``server`` (a runner's ``server``) accepts from now on."""
        made, lost = server.connection_made, server.connection_lost

        def connection_made(handler, transport) -> None:
            made(handler, transport)
            self.made(handler, transport)

        def connection_lost(handler, exc) -> None:
            self.lost(handler)
            lost(handler, exc)

        # Replaced on this instance (the runner makes the server, so it cannot be a subclass).
        vars(server).update(connection_made=connection_made, connection_lost=connection_lost)

    def made(self, handler, transport) -> None:
        if len(self.open) >= self.limit and not self._evict():
            self.counts["refused"] += 1
            text = full_text(self.limit).encode()
            transport.write(FULL % (len(text), text))
            handler.force_close()  # the transport flushes the answer, then closes
            self._log()
            return
        self.open.add(handler)
        loop = asyncio.get_running_loop()
        self._waiting[handler] = loop.call_later(self.header_timeout, self._expire, handler)

    @property
    def waiting(self) -> int:
        """Open connections whose first request has not arrived yet."""
        return len(self._waiting)

    def started(self, handler) -> None:
        """A complete request arrived on this connection (the guard middleware calls this)."""
        timer = self._waiting.pop(handler, None)
        if timer is not None:
            timer.cancel()

    def lost(self, handler) -> None:
        self.started(handler)
        self.open.discard(handler)

    def _evict(self) -> bool:
        for handler in self._waiting:  # oldest first
            self.counts["evicted"] += 1
            self._close(handler)
            return True
        return False

    def _expire(self, handler) -> None:
        if handler in self._waiting:
            self.counts["slow"] += 1
            self._close(handler)

    def _close(self, handler) -> None:
        self.started(handler)
        self.open.discard(handler)  # counted out now: the transport goes at the next turn
        handler.force_close()
        self._log()

    def _log(self) -> None:
        """Log the counts now, or once the minute since the last such line is over."""
        wait = self._last_log + self.log_every - time.monotonic()
        if wait <= 0:
            self._flush()
        elif self._pending is None:
            self._pending = asyncio.get_running_loop().call_later(wait, self._flush)

    def _flush(self) -> None:
        self._pending = None
        new = {key: self.counts[key] - self._logged[key] for key in self.counts}
        self._last_log, self._logged = time.monotonic(), dict(self.counts)
        if any(new.values()):
            log.warning(
                "connections closed: %d sent no complete request within %g s, %d evicted and %d "
                "refused at the cap of %d (counts since the last such line)",
                new["slow"],
                self.header_timeout,
                new["evicted"],
                new["refused"],
                self.limit,
            )
