"""A project closed on a full disk: what was not moved into the file, and the rescue copy.

``close()`` moves the ``-wal``'s changes into the project file (a checkpoint) so that the file
alone holds everything. On a full disk that move fails: nothing is lost (the changes stay in
the ``-wal`` beside the file, and SQLite completes the file from it when the project is opened
again), but the project is two files until then, and a user who copies or mails the ``.db``
alone leaves the last changes behind. So the user is told, and a complete copy is saved as a
rescue file where there is room (:func:`~workbench.store.identity.rescue`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.store import faults
from workbench.store.identity import rescue


def unfinished(path: Path, conn: sqlite3.Connection, exc: sqlite3.Error) -> str:
    """The message for a checkpoint at close that failed with ``exc``, after saving a rescue
    copy of everything ``conn`` reads (the file and its ``-wal``)."""
    error = faults.fault(exc, path)
    cause = str(error).split(";")[0] if error is not None else f"{path}: {exc}"
    wal = Path(f"{path}-wal")
    try:
        copy, result = rescue(conn, path)
    except (sqlite3.Error, OSError) as failed:
        saved = f"No rescue copy could be saved either ({failed})."
    else:
        checked = "" if result == "ok" else f" (it fails SQLite's check: {result})"
        saved = (
            f"A complete copy is saved in {copy}{checked}; put it back with "
            f"`workbench restore {copy} {path}` if {wal.name} is lost."
        )
    return (
        f"{cause}: the changes of this session could not all be moved into {path.name} on "
        f"closing. They are not lost: they are kept in {wal.name} beside it, which SQLite reads "
        f"when the project is opened again. Keep the two files together (do not copy or send "
        f"{path.name} alone); once there is room, open the project once, which completes "
        f"{path.name}. {saved}"
    )
