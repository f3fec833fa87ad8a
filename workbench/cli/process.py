"""How a ``workbench`` process ends when told to, and what it says while it waits for a lock.

* ``SIGTERM`` (``kill``, a service stopping) and ``SIGHUP`` (its terminal closed) end a
  command as an exit would: the transaction under way is rolled back (nothing half-written,
  nothing acknowledged lost) and every open project is checkpointed and closed at exit
  (``workbench.store.connection.close_all``), so the project file alone holds everything.
  The app replaces these with its own handlers while it runs (``workbench.ui.app``).
* A write that waits more than a second for another process's write lock says who holds
  it on standard error ("ana's window is writing; waiting… (5 s)"), once a second on a
  terminal (one line, rewritten), every ten seconds otherwise; after two minutes
  (``$WORKBENCH_LOCK_WAIT`` seconds, if set) the command gives up, having written nothing.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

LOCK_WAIT_ENV = "WORKBENCH_LOCK_WAIT"
ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _end(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


def install() -> None:
    """End by ``SystemExit`` on SIGTERM and SIGHUP (main thread only; a no-op elsewhere)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for signum in ENDING:
        signal.signal(signum, _end)
    from workbench.store import waiting

    seconds = wait_limit()
    waiting.set_policy(waiting.WaitPolicy(limit=lambda: seconds, report=report_wait))


def wait_limit() -> float:
    """Seconds a write waits for another process's lock: ``$WORKBENCH_LOCK_WAIT`` if set (a
    number of seconds), else the store's default."""
    import os

    from workbench.store import waiting

    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, "")))
    except ValueError:
        return waiting.DEFAULT_LIMIT


def report_wait(project: Path, who: str, seconds: int) -> None:
    """Say who holds the lock (``seconds`` waited so far; 0: the wait is over)."""
    from workbench.plain import printable

    stream = sys.stderr
    raw = getattr(stream, "_stream", stream)  # past PrintableStream: the line is rewritten in place
    tty = _isatty(raw)
    if seconds == 0:
        if tty:
            raw.write("\n")
            raw.flush()
        return
    if not tty and seconds != 1 and seconds % 10:
        return
    line = printable(f"{project.name}: {who} is writing; waiting… ({seconds} s)")
    raw.write(f"\r{line}\x1b[K" if tty else line + "\n")
    raw.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
