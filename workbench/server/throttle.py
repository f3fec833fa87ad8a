"""Sign-in rate limiting by client address, beside the per-account lock.

The account lock (``workbench.server.accounts``) stops guessing one user's password; this
stops one address trying many names (password spraying) or hammering the sign-in page. It
counts failed sign-ins per address in a sliding window and refuses further attempts from
an address over the limit until its oldest failure leaves the window. Kept in memory: a
restart forgets it, the account locks stay in the project file.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable


class FailureWindow:
    """At most ``limit`` failures per ``seconds`` from one client address."""

    def __init__(self, limit: int = 20, seconds: float = 600.0, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        cutoff = self.clock() - self.seconds
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again (0: now)."""
        failures = self._recent(client)
        if len(failures) < self.limit:
            return 0
        return max(1, int(failures[0] + self.seconds - self.clock()) + 1)

    def fail(self, client: str) -> None:
        if client not in self._failures and len(self._failures) >= self.max_clients:
            for known in list(self._failures):  # forget addresses whose failures have aged out
                self._recent(known)
        self._failures.setdefault(client, deque()).append(self.clock())
