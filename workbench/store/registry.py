"""The project files this process has open: closed at exit, checkpointed on a signal.

Every store with a connection is registered here (weakly: a store no one holds closes with
its connections). At exit :func:`close_all` checkpoints and truncates each WAL and closes
every connection, so after the last Workbench process ends the project file alone holds
everything; :func:`checkpoint_all` does the first half at once when the process is told to
end. :mod:`.holders` asks :func:`open_here` before it uses ``F_GETLK`` on a file.
"""

from __future__ import annotations

import atexit
import contextlib
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.store import holders
from workbench.store.identity import FileIdentity

if TYPE_CHECKING:
    from workbench.store.connection import Connection

_OPEN: weakref.WeakSet[Connection] = weakref.WeakSet()


def add(store: Connection) -> None:
    _OPEN.add(store)


def discard(store: Connection) -> None:
    _OPEN.discard(store)


def snapshot() -> set[Connection]:
    """The stores open now (to close only those opened after, with :func:`close_since`)."""
    return set(_OPEN)


def close_since(before: set[Connection]) -> None:
    """Close the stores opened since ``before`` (a command run in-process ends as its process
    would)."""
    for store in list(_OPEN):
        if store not in before:
            with contextlib.suppress(Exception):
                store.close()


def close_all() -> None:
    """Close every store of this process, checkpointing each (at exit, and when the process is
    told to end by a signal)."""
    for store in list(_OPEN):
        with contextlib.suppress(Exception):
            store.close()


def checkpoint_all() -> None:
    """Checkpoint every store of this process (when it is told to end, before anything else)."""
    for store in list(_OPEN):
        with contextlib.suppress(Exception):
            store.checkpoint()


def open_paths() -> list[Path]:
    """The project files this process has open."""
    return sorted({store.path for store in list(_OPEN)})


def open_here(path: Path) -> bool:
    identity = FileIdentity.of(path)
    return identity is not None and any(
        store.identity == identity and store.lost is None for store in list(_OPEN)
    )


holders.open_here = open_here
atexit.register(close_all)
