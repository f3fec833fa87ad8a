"""How long a write waits for another process's write lock, and who is told while it waits.

A write transaction starts with ``BEGIN IMMEDIATE`` (:func:`begin`, for
:meth:`Connection.transaction`); while another process holds the write lock (a long import,
a migration), it retries in slices of :data:`SLICE_MS` and, after :data:`REPORT_AFTER`
seconds, tells the shell who is writing
(once a second) until the shell's limit, then refuses with
:class:`~workbench.errors.ProjectLocked`, having written nothing. The shell sets the policy:
the command line reports on standard error and waits :data:`DEFAULT_LIMIT`; the app waits only
briefly on its event loop (the screen cannot redraw while it waits) and tells the user
in a notification, waiting longer in its workers, whose waits it can show.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SLICE_MS = 250  # SQLite's own busy wait per attempt (also for reads that meet a lock)
REPORT_AFTER = 1.0  # seconds before the shell is told who is writing
DEFAULT_LIMIT = 120.0  # seconds a write waits before it is refused


@dataclass(frozen=True)
class WaitPolicy:
    """``limit()``: seconds the calling thread may wait; ``report(project, who, seconds)``:
    called once a second after :data:`REPORT_AFTER` while it waits, and with 0 when the
    wait is over (the lock taken, or the write refused)."""

    limit: Callable[[], float] = lambda: DEFAULT_LIMIT
    report: Callable[[Path, str, int], None] | None = None


_policy = WaitPolicy()
_cap = threading.local()


def current() -> WaitPolicy:
    return _policy


def limit() -> float:
    """Seconds the calling thread may wait now: the policy's, or less inside :func:`at_most`."""
    cap = getattr(_cap, "seconds", None)
    return _policy.limit() if cap is None else min(cap, _policy.limit())


@contextlib.contextmanager
def at_most(seconds: float) -> Iterator[None]:
    """Wait at most ``seconds`` for the write lock in this thread (a write that may be
    skipped, such as recording a backup, should not keep a command waiting)."""
    before = getattr(_cap, "seconds", None)
    _cap.seconds = seconds if before is None else min(before, seconds)
    try:
        yield
    finally:
        _cap.seconds = before


def set_policy(policy: WaitPolicy) -> WaitPolicy:
    """Install ``policy`` for this process; returns the one it replaces."""
    global _policy
    previous, _policy = _policy, policy
    return previous


def begin(conn: sqlite3.Connection, project: Path) -> None:
    """``BEGIN IMMEDIATE`` on ``conn``, waiting for another process's write lock as the policy
    says: who writes is told after :data:`REPORT_AFTER` seconds, and past the limit the write
    is refused (:class:`~workbench.errors.ProjectLocked`), nothing written."""
    from workbench.errors import ProjectLocked
    from workbench.store import faults, holders

    start, told, who = time.monotonic(), 0, None
    policy = current()
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not faults.is_busy(exc):
                    raise faults.fault(exc, project) or exc from exc
            waited = time.monotonic() - start
            if waited >= REPORT_AFTER and who is None:
                who = holders.describe(holders.writer(project))
            if waited >= limit():
                who = who or holders.describe(holders.writer(project))
                raise ProjectLocked(
                    f"{project}: {who} is writing and has kept the project locked for "
                    f"{max(1, round(waited))} s; {faults.NOT_SAVED}. Try again when it has "
                    "finished."
                )
            if who is not None and policy.report is not None and int(waited) > told:
                told = int(waited)
                policy.report(project, who, told)
    finally:
        if told and who is not None and policy.report is not None:
            policy.report(project, who, 0)
