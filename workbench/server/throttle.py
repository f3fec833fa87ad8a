"""Sign-in rate limiting by client address, beside the per-account lock.

The account lock (``workbench.server.accounts``) stops guessing one user's password; this
stops one address trying many names (password spraying) or hammering the sign-in page. It
counts failed sign-ins per address in a sliding window and refuses further attempts from
an address over the limit until its oldest failure leaves the window.

A sign-in takes its address's slot (:meth:`FailureWindow.reserve`) before its form is read
or its password checked, and gives it back when it is decided (:meth:`FailureWindow.settle`):
a sign-in under way counts as a failure until then, so a burst of simultaneous guesses
from one address gets at most ``limit`` password checks, not one per guess. Kept in
memory (the event loop's, so reserving is atomic): a restart forgets it, the account locks
stay in the project file.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class FailureWindow:
    """At most ``limit`` failures per ``seconds`` from one client address."""

    def __init__(
        self,
        limit: int = 20,
        seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}
        self._pending: dict[str, int] = {}  # sign-ins under way, by address

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
        """Seconds until ``client`` may try again (0: now); sign-ins under way count as failures."""
        failures = self._recent(client)
        pending = self._pending.get(client, 0)
        if len(failures) + pending < self.limit:
            return 0
        if len(failures) < self.limit:
            return 1  # the slots are taken by sign-ins under way: one will be decided soon
        return max(1, math.ceil(failures[0] + self.seconds - self.clock()))

    def reserve(self, client: str) -> int:
        """Take a slot for a sign-in from ``client``: 0 if taken, else the seconds to wait."""
        wait = self.retry_after(client)
        if not wait:
            self._pending[client] = self._pending.get(client, 0) + 1
        return wait

    def settle(self, client: str, failed: bool) -> None:
        """Give back a slot :meth:`reserve` took; a failed sign-in stays counted."""
        left = self._pending.get(client, 0) - 1
        if left > 0:
            self._pending[client] = left
        else:
            self._pending.pop(client, None)
        if failed:
            self.fail(client)

    def fail(self, client: str) -> None:
        if client not in self._failures and len(self._failures) >= self.max_clients:
            for known in list(self._failures):  # forget addresses whose failures have aged out
                self._recent(known)
        self._failures.setdefault(client, deque()).append(self.clock())


def refusal(wait: int) -> str:
    return (
        f"Too many sign-ins from this address failed or are under way; try again in {wait} s. "
        "A forgotten password is set again by the project lead (`workbench users passwd`)."
    )
