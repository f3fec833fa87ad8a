"""Who else has a project file open, and who is writing to it, from the operating system.

Every SQLite connection to a WAL database holds a shared POSIX lock on one byte of its
``-shm`` file (the "DMS" byte, offset 128, SQLite's unix VFS) for as long as it is open, and
the connection that is writing holds an exclusive lock on byte 120 (``WAL_WRITE_LOCK``).
These offsets are part of SQLite's file format, so the locks are a reliable register of the
processes that have the project open, however they were started and whatever they are
called. They are read from ``/proc/locks`` (Linux: every holder, no file opened), else with
``fcntl(F_GETLK)`` on the ``-shm`` file (one holder; only when this process has no
connection to the file, because closing any descriptor of a file drops *all* of this
process's POSIX locks on it, SQLite's included).

A process is named for messages from its command line where the system shows it
(``ana's window``, ``bob's `workbench import```), else by its number.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable
from pathlib import Path

DMS_BYTE = 128  # UNIX_SHM_DMS: held shared by every open connection
WRITE_BYTE = 120  # UNIX_SHM_BASE + WAL_WRITE_LOCK: held exclusive by the writer
PROC_LOCKS = Path("/proc/locks")
APP_COMMANDS = {"code", "open", "demo", "served-app", "reconcile"}

#: Whether this process has the file open (set by the store's registry): then ``F_GETLK``
#: must not be used on it (see the module's docstring).
open_here: Callable[[Path], bool] = lambda path: False  # noqa: E731


def side(path: str | os.PathLike[str], suffix: str) -> Path:
    """The ``-wal`` or ``-shm`` file of ``path``."""
    return Path(f"{os.fspath(path)}-{suffix}")


def _proc_locks() -> list[tuple[int, int, int, int, int, int, str]] | None:
    """(pid, device major, minor, inode, start, end, kind) of every POSIX lock, or None."""
    try:
        text = PROC_LOCKS.read_text()
    except OSError:
        return None
    rows = []
    for line in text.splitlines():
        parts = line.split()
        if "->" in parts or len(parts) < 8 or parts[1] not in ("POSIX", "OFDLCK"):
            continue
        try:
            major, minor, inode = parts[5].split(":")
            end = sys.maxsize if parts[7] == "EOF" else int(parts[7])
            rows.append(
                (
                    int(parts[4]),
                    int(major, 16),
                    int(minor, 16),
                    int(inode),
                    int(parts[6]),
                    end,
                    parts[3],
                )
            )
        except ValueError:
            continue
    return rows


def _lock_holders(shm: Path, byte: int, exclusive_only: bool) -> set[int] | None:
    """Processes holding a lock on ``byte`` of ``shm``; an empty set when the file is absent;
    None when the system does not say."""
    try:
        info = os.stat(shm)
    except FileNotFoundError:
        return set()
    except OSError:
        return None
    rows = _proc_locks()
    if rows is not None:
        same_device = {
            (major, minor) for _, major, minor, inode, *_ in rows if inode == info.st_ino
        }
        # Overlay and network file systems can report another device in /proc/locks than
        # stat() does: match the device when it is there, else the inode alone.
        device = (os.major(info.st_dev), os.minor(info.st_dev))
        match_device = device in same_device
        return {
            pid
            for pid, major, minor, inode, start, end, kind in rows
            if inode == info.st_ino
            and (not match_device or (major, minor) == device)
            and start <= byte <= end
            and (kind == "WRITE" or not exclusive_only)
        }
    if open_here(shm.with_name(shm.name[: -len("-shm")])):
        return None
    return _getlk(shm, byte)


def _getlk(shm: Path, byte: int) -> set[int] | None:
    """One process holding a lock on ``byte`` (``fcntl(F_GETLK)``, which reports another
    process's lock that would block a write lock), or None where this is not available."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    if sys.platform.startswith("linux"):
        layout = "hhqqi4x"
    elif sys.platform == "darwin" or "bsd" in sys.platform:
        layout = "qqihh"
    else:
        return None
    try:
        fd = os.open(shm, os.O_RDONLY)
    except OSError:
        return None
    try:
        if layout.startswith("hh"):
            query = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, byte, 1, 0)
            kind, _, _, _, pid = struct.unpack(layout, fcntl.fcntl(fd, fcntl.F_GETLK, query))
        else:
            query = struct.pack(layout, byte, 1, 0, fcntl.F_WRLCK, os.SEEK_SET)
            _, _, pid, kind, _ = struct.unpack(layout, fcntl.fcntl(fd, fcntl.F_GETLK, query))
    except OSError:
        return None
    finally:
        os.close(fd)
    return set() if kind == fcntl.F_UNLCK else {pid}


def openers(path: str | os.PathLike[str]) -> set[int] | None:
    """Processes other than this one that have the project open (None: the system does not
    say)."""
    found = _lock_holders(side(path, "shm"), DMS_BYTE, exclusive_only=False)
    return None if found is None else found - {os.getpid()}


def writer(path: str | os.PathLike[str]) -> int | None:
    """The process holding the project's write lock, if another one does and the system says."""
    found = _lock_holders(side(path, "shm"), WRITE_BYTE, exclusive_only=True)
    found = (found or set()) - {os.getpid()}
    return min(found) if found else None


def describe(pid: int | None) -> str:
    """A process as a person reads it: "ana's window", "bob's `workbench import`", or by number."""
    if pid is None:
        return "another process"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        owner = _user(os.stat(f"/proc/{pid}").st_uid)
    except OSError:
        return f"another process (pid {pid})"
    argv = [arg for arg in argv if arg]
    command, name = _workbench_command(argv)
    who = name or owner
    if command is None:
        program = Path(argv[0]).name if argv else "a program"
        return f"{owner}'s {program} (pid {pid})"
    if command in APP_COMMANDS and "--no-ui" not in argv and "--log" not in argv:
        return f"{who}'s window"
    return f"{who}'s `workbench {command}` (pid {pid})"


def _workbench_command(argv: list[str]) -> tuple[str | None, str | None]:
    """The Workbench command in ``argv`` and the coder or user it runs as, if it is Workbench."""
    start = None
    for i, arg in enumerate(argv):
        if Path(arg).name == "workbench" or (arg == "workbench" and i and argv[i - 1] == "-m"):
            start = i + 1
            break
    if start is None:
        return None, None
    rest = argv[start:]
    command, skip = "", False
    for arg in rest:
        if skip or arg.startswith("-"):
            skip = arg == "--limit"
            continue
        command = arg
        break
    name = None
    for option in ("--coder", "--as-user", "--as"):
        if option in rest[:-1]:
            name = rest[rest.index(option) + 1]
            break
    return command or "", name


def _user(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"
