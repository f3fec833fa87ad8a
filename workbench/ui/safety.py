"""The app's side of the project file's safety: what it does when the file or the process
is in trouble, so that the user is told and the app stays open.

* Every :data:`CHECK_EVERY` seconds the app checks that the project file is still the one it
  opened (``Store.check_file``): moved, replaced or deleted, it stops writing, saves a rescue
  file and says where, in a notification that stays until dismissed.
* A fault of the file met by an action (a full disk, a read-only file, a lock held too long,
  a damaged page: :class:`~workbench.errors.StoreFault`) is a notification, not the end of
  the app (``WorkbenchApp.run_action`` and ``_handle_exception``); nothing of that change was
  written, and the screen shows what is stored.
* A write on the event loop waits at most :data:`WAIT_ON_LOOP` seconds for another process's
  write lock (the screen cannot redraw meanwhile), then is refused with a message naming who
  writes; a worker's write waits as the command line's does, and the app says who it waits for.
* SIGHUP (the terminal closed) and SIGTERM end the app cleanly: the WAL is checkpointed at
  once, then the app exits (and is ended after :data:`EXIT_GRACE` seconds if exiting stalls
  on a terminal that is gone), so the project file alone holds everything.
"""

from __future__ import annotations

import os
import signal
import threading

from workbench.errors import FileLost, StoreFault
from workbench.store import waiting
from workbench.store.faults import fault
from workbench.store.registry import checkpoint_all, close_all

CHECK_EVERY = 2.0
WAIT_ON_LOOP = 2.0
EXIT_GRACE = 5.0
ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def store_fault(error: BaseException, path="the project") -> StoreFault | None:
    """``error`` as a fault of the project file (a raw SQLite error mapped; also one a worker
    raised), else None."""
    from textual.worker import WorkerFailed

    if isinstance(error, WorkerFailed):
        error = error.error
    if isinstance(error, StoreFault):
        return error
    return fault(error, path) if type(error).__module__ == "sqlite3" else None


def start(app) -> None:
    """Install the checks, the wait policy and (in a real terminal) the signal handlers."""
    loop_thread = threading.current_thread()

    def limit() -> float:
        on_loop = threading.current_thread() is loop_thread
        return WAIT_ON_LOOP if on_loop else waiting.DEFAULT_LIMIT

    def report(project, who: str, seconds: int) -> None:
        if threading.current_thread() is not loop_thread and (seconds == 1 or seconds % 5 == 0):
            app.call_from_thread(
                app.notify,
                f"{who} is writing; waiting… ({seconds} s)",
                severity="warning",
                timeout=2.5,
            )

    app._previous_policy = waiting.set_policy(waiting.WaitPolicy(limit, report))
    for notice in app.store.notices:
        app.notify(notice, severity="warning", timeout=30)
    app._file_check = app.set_interval(
        CHECK_EVERY, lambda: check_file(app), name="project file check"
    )
    if not app.is_headless:
        import asyncio

        loop = asyncio.get_running_loop()
        for signum in ENDING:
            loop.add_signal_handler(signum, end_by_signal, app, signum)


def stop(app) -> None:
    previous = getattr(app, "_previous_policy", None)
    if previous is not None:
        waiting.set_policy(previous)


def check_file(app) -> None:
    """The periodic check; a lost file is said once (whoever noticed it first: this check, a
    write, a worker), in a notification that stays."""
    if getattr(app, "_told_lost", False):
        return
    try:
        app.store.check_file()
    except FileLost as exc:
        app._told_lost = True
        app._file_check.stop()
        app.sub_title = f"{app.sub_title} · NOT SAVING: the project file is gone"
        app.notify(
            str(exc),
            title="The project file was moved or replaced",
            severity="error",
            timeout=24 * 3600,
        )
    except StoreFault as exc:
        app.notify(str(exc), severity="error", timeout=20)


def end_by_signal(app, signum: int) -> None:
    """The terminal closed or the process was told to end: checkpoint now, then exit."""
    app.ended_by = signum
    checkpoint_all()
    timer = threading.Timer(EXIT_GRACE, _force_exit, (128 + signum,))
    timer.daemon = True
    timer.start()
    app.exit(return_code=128 + signum)


def _force_exit(code: int) -> None:
    close_all()
    os._exit(code)
