"""How a command that fails ends: one message, an exit status, and never a traceback on screen.

* a :class:`~workbench.errors.WorkbenchError` (a problem the user can fix, the message says
  how): ``error: <message>`` on standard error, exit status 1 (:data:`EXIT_ERROR`);
* a usage mistake (click's): its message, exit status 2 (:data:`EXIT_USAGE`);
* anything else is a bug, the last line of defence: one line on standard error saying which
  command failed on which files, that nothing was half-written (every change is one
  transaction, rolled back when it fails) and where the details are; the traceback goes to a
  log file (:func:`log_dir`), exit status 70 (:data:`EXIT_INTERNAL`, ``EX_SOFTWARE`` of
  sysexits.h). The app ends the same way (``workbench.ui.app`` hands its failure to the CLI).

A command run with ``--format json`` gets its error as one JSON object on standard output
instead: ``{"error": {"message": ..., "kind": "user" | "usage" | "internal", "exit_status": N,
"log": path or null}}`` (plus ``"result"`` where the error carries one, e.g. the conflicts of
``workbench coder import``), with the same exit status.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

import click

EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 70
LOG_ENV = "WORKBENCH_LOG_DIR"


def wants_json(argv: list[str]) -> bool:
    """Whether the command line asks for ``--format json``."""
    for i, arg in enumerate(argv):
        if (
            arg == "--format"
            and i + 1 < len(argv)
            and argv[i + 1] == "json"
            or arg == "--format=json"
        ):
            return True
    return False


def log_dir() -> Path:
    """Where tracebacks of unexpected failures go: ``$WORKBENCH_LOG_DIR``, else the user's state
    folder (``$XDG_STATE_HOME/workbench/logs``, by default ``~/.local/state/workbench/logs``;
    ``~/Library/Logs/Workbench`` on macOS; ``%LOCALAPPDATA%\\Workbench\\Logs`` on Windows)."""
    if os.environ.get(LOG_ENV):
        return Path(os.environ[LOG_ENV])
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Logs" / "Workbench"
    if os.name == "nt":
        return (
            Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
            / "Workbench"
            / "Logs"
        )
    return (
        Path(os.environ.get("XDG_STATE_HOME") or home / ".local" / "state") / "workbench" / "logs"
    )


def write_log(error: BaseException, argv: list[str]) -> Path | None:
    """The traceback of ``error`` with what is needed to reproduce it, in a new log file."""
    import platform
    import tempfile
    import traceback

    from workbench import __version__, limits

    now = datetime.now()
    text = "\n".join(
        [
            f"Workbench {__version__} failed unexpectedly at {now.isoformat(timespec='seconds')}",
            f"command: workbench {' '.join(argv)}",
            f"working folder: {Path.cwd()}",
            f"python {platform.python_version()} on {platform.platform()}",
            "limits: " + ", ".join(f"{name}={limits.value(name)}" for name in limits.LIMITS),
            "",
            "".join(traceback.format_exception(error)),
        ]
    )
    name = f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "workbench-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
            return folder / name
        except OSError:
            continue
    return None


def _files(argv: list[str]) -> list[str]:
    return [arg for arg in argv if not arg.startswith("-") and os.path.exists(arg)]


def _command(argv: list[str]) -> str:
    """The command's name in ``argv`` ("coder import"), past the global options."""
    from workbench.cli import cli

    words: list[str] = []
    group: click.Command = cli
    tokens = iter(argv)
    for token in tokens:
        if token == "--limit":
            next(tokens, None)
        elif not token.startswith("-"):
            if not isinstance(group, click.Group) or token not in group.commands:
                break
            words.append(token)
            group = group.commands[token]
    return " ".join(words)


def unexpected(error: BaseException, argv: list[str]) -> tuple[str, Path | None]:
    """The one-line message for an unexpected failure, and the log file written."""
    log = write_log(error, argv)
    command, files = _command(argv), _files(argv)
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, MemoryError):
        what = "it ran out of memory"
    where = f" the details are in {log}" if log else " the details could not be logged"
    return (
        "workbench"
        + (f" {command}" if command else "")
        + (f" ({', '.join(files)})" if files else "")
        + f" failed unexpectedly ({what}). Nothing was half-written: every change is one transaction, "
        f"rolled back when it fails. This is a fault in Workbench, not in what you did;{where}, "
        "please send that file with a report."
    ), log


def _store_fault(error: BaseException):
    """An SQLite error about the project file (a read outside a transaction hitting a damaged
    page, a lock) as the message that names its cause; None for anything else."""
    if type(error).__module__ != "sqlite3":
        return None
    from workbench.store import faults
    from workbench.store.registry import open_paths

    paths = open_paths()
    return faults.fault(error, paths[0] if len(paths) == 1 else "the project")


def report(error: BaseException, argv: list[str]) -> int:
    """Print ``error`` as the command ends (text, or JSON for ``--format json``); its exit status."""
    from workbench.errors import WorkbenchError

    log = None
    error = _store_fault(error) or error
    if isinstance(error, WorkbenchError):
        kind, status, message = "user", EXIT_ERROR, str(error)
    elif isinstance(error, click.ClickException):
        kind, status, message = "usage", error.exit_code, error.format_message()
    else:
        kind, status = "internal", EXIT_INTERNAL
        message, log = unexpected(error, argv)
    if wants_json(argv):
        payload = {
            "message": message,
            "kind": kind,
            "exit_status": status,
            "log": str(log) if log else None,
        }
        result = getattr(error, "result", None)
        if result is not None and hasattr(result, "as_dict"):
            payload["result"] = result.as_dict()
        click.echo(json.dumps({"error": payload}, indent=2, ensure_ascii=False))
    elif isinstance(error, click.ClickException):
        error.show()
    else:
        click.echo(f"error: {message}", err=True)
    return status
