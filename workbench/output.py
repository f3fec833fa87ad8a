"""Writing output files: the one rule every command that writes a file follows.

Every file Workbench writes for the user (a .qdpx or .qdc export, a coding sheet, a
coder package, a report table or figure, ``--all``'s folder, an audit or agreement
report, a converted codebook) is written here, by :class:`Output`:

* **never the project.** A path that is the project file itself (the same file after
  resolving symbolic links, or a hard link to it: same device and inode), one of its
  SQLite side files (``-wal``, ``-shm``, ``-journal``), or any Workbench project file,
  is refused, even with ``force``;
* **never a file it did not make.** An existing file is replaced only if Workbench
  wrote exactly these bytes (the project's record of the files it wrote, keyed by
  SHA-256, see ``registry`` below), or with ``force`` (``--force``); a file the user
  edited since is "not made by Workbench" any more;
* **all or nothing.** Each file is written to a temporary file in the same folder
  (so the rename cannot cross file systems), flushed to disk, and renamed over the
  target atomically (``os.replace``) only once every file of the command has been
  written; on any error the temporary files are removed and nothing is replaced.

A path that is a symbolic link is written through: the link's target is replaced,
the link stays. ``registry`` is the project (:class:`~workbench.store.Store`) or
None: its ``written_file(sha256)`` says whether Workbench wrote those bytes and
``record_written_files(rows)`` records new ones (before the rename, so a recorded
hash that never reached the disk is harmless). Without a registry (``import-qdc``
has no project) every existing file needs ``force``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from workbench.errors import WorkbenchError

# PRAGMA application_id of a Workbench project (store.schema.APPLICATION_ID; a test keeps them equal).
PROJECT_APPLICATION_ID = 0x57424E43
_SQLITE_HEADER = b"SQLite format 3\x00"


class OutputError(WorkbenchError):
    """An output path is refused (the project, a file Workbench did not write) or cannot be written.

    ``replaceable`` is true when ``force`` would have allowed it (an existing file Workbench
    did not write), so an interactive caller can ask before replacing it."""

    def __init__(self, message: str, replaceable: bool = False):
        super().__init__(message)
        self.replaceable = replaceable


class Registry(Protocol):
    def written_file(self, sha256: str) -> bool: ...

    def record_written_files(self, rows: list[tuple[str, str, int]]) -> None: ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_project_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(72)
    except OSError:
        return False
    return (
        head[:16] == _SQLITE_HEADER and int.from_bytes(head[68:72], "big") == PROJECT_APPLICATION_ID
    )


@dataclass
class _Pending:
    given: str
    target: Path
    write: Callable[[Path], object]  # (what it returns is not used: write_text's count)


class Output:
    """The files one command writes: checked together, written together (see the module docstring).

    ``option`` names the command-line option in messages (``--out``, ``--figure``)."""

    def __init__(
        self,
        project: str | Path | None = None,
        registry: Registry | None = None,
        force: bool = False,
    ):
        self.project = Path(project).resolve() if project is not None else None
        self.registry = registry
        self.force = force
        self._pending: list[_Pending] = []

    def add(self, path: str | Path, write: Callable[[Path], object], option: str = "--out") -> Path:
        """Check ``path`` now (raises :class:`OutputError`) and queue ``write(temporary_path)``;
        returns the path that will be written (links resolved)."""
        target = self.check(path, option)
        if any(p.target == target for p in self._pending):
            raise OutputError(
                f"{option} {path}: this command would write that file twice; give another name"
            )
        self._pending.append(_Pending(str(path), target, write))
        return target

    def check(self, path: str | Path, option: str = "--out") -> Path:
        given = Path(path)
        target = given.resolve()
        where = f"{option} {path}"
        if target.is_dir():
            raise OutputError(f"{where}: that is a folder; give a file name")
        if not target.parent.is_dir():
            raise OutputError(
                f"{where}: the folder {target.parent} does not exist; create it first"
            )
        if self.project is not None:
            project_files = {self.project} | {
                self.project.with_name(self.project.name + s) for s in ("-wal", "-shm", "-journal")
            }
            same = target in project_files or (
                target.exists()
                and any(f.exists() and os.path.samefile(target, f) for f in project_files)
            )
            if same:
                raise OutputError(
                    f"{where}: that is the project file {self.project.name} itself (or one of its "
                    "files); writing there would destroy the project. Give another file name."
                )
        if not target.exists():
            return target
        if not target.is_file():
            raise OutputError(f"{where}: not a regular file; give another file name")
        if _is_project_file(target):
            raise OutputError(
                f"{where}: that is a Workbench project file; Workbench never writes over a "
                "project. Give another file name."
            )
        if self.force:
            return target
        if self.registry is not None and self.registry.written_file(sha256_of(target)):
            return target
        raise OutputError(
            f"{where}: a file is already there that this project did not write (or it was "
            "changed since); give another file name, or add --force to replace it",
            replaceable=True,
        )

    def commit(self) -> list[Path]:
        """Write every queued file (temporary files, then one rename each); returns the targets."""
        written: list[tuple[_Pending, Path]] = []
        try:
            for pending in self._pending:
                handle, name = tempfile.mkstemp(
                    dir=pending.target.parent, prefix=f".{pending.target.name}.", suffix=".tmp"
                )
                os.close(handle)
                temporary = Path(name)
                written.append((pending, temporary))
                pending.write(temporary)
                _settle(temporary)
            if self.registry is not None and written:
                self.registry.record_written_files(
                    [(str(p.target), sha256_of(t), t.stat().st_size) for p, t in written]
                )
            for pending, temporary in written:
                os.replace(temporary, pending.target)
            for folder in {p.target.parent for p, _ in written}:
                _sync_folder(folder)
        except OSError as exc:
            raise OutputError(
                f"{exc.filename or 'output'}: cannot write ({exc.strerror}); nothing was replaced"
            ) from None
        finally:
            for _, temporary in written:
                if temporary.exists():
                    temporary.unlink()
            self._pending = []
        return [p.target for p, _ in written]

    # -- one file ---------------------------------------------------------------------

    def write(
        self, path: str | Path, write: Callable[[Path], object], option: str = "--out"
    ) -> Path:
        self.add(path, write, option)
        return self.commit()[0]

    def write_bytes(self, path: str | Path, data: bytes, option: str = "--out") -> Path:
        return self.write(path, lambda p: p.write_bytes(data), option)

    def write_text(
        self, path: str | Path, text: str, option: str = "--out", newline: str | None = None
    ) -> Path:
        return self.write(
            path, lambda p: p.write_text(text, encoding="utf-8", newline=newline), option
        )


def for_project(store, force: bool = False) -> Output:
    """The output rule for a command on ``store``: never its file, its written files replaceable."""
    return Output(store.path, store, force)


def _read_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()  # read once, at import: os.umask is process-wide, not thread-safe


def _settle(path: Path) -> None:
    """Flush to disk and give the file the permissions a new file gets (mkstemp makes it 0600)."""
    os.chmod(path, 0o666 & ~_UMASK)
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
