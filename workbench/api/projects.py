"""The scripting API's project file: creating and opening one, importing transcripts, its status
and comments, REFI-QDA in and out, backups (re-exported by :mod:`workbench.api`)."""

from __future__ import annotations

from pathlib import Path

from workbench.store import Store


def create_project(
    path: str | Path, codebook: str | Path | None = None, name: str | None = None
) -> Store:
    """A new project file with a codebook (default: the study's coproduction codebook)."""
    from workbench.project.lifecycle import init_project

    return init_project(path, codebook, name)


def open_project(path: str | Path) -> Store:
    """An existing project file (migrated to the current schema if it is older)."""
    return Store.open(path)


def import_transcripts(
    project: Store,
    paths: list[str | Path],
    *,
    group: str | None = None,
    code: str | None = None,
    kind: str | None = None,
    date: str | None = None,
    stakeholders: str | None = None,
    roster: str | Path | None = None,
    roles: dict[str, str] | None = None,
    encoding: str | None = None,
    speakers: list[str] | tuple[str, ...] = (),
    dry_run: bool = False,
    force: bool = False,
) -> list:
    """Import transcript files into one focus group, all or nothing; one report per file.

    ``kind`` is ``individual`` or ``multi``; ``roles`` maps speaker labels to
    roles (``{"Dr. Ko": "HP"}``) like ``--role``; ``roster`` is a CSV or TOML roster;
    ``speakers`` are labels to read in any case, like ``--speaker``. With ``dry_run``
    nothing is written: the reports say how each file reads and show its first turns.
    ``force`` imports a near-duplicate of a transcript already in the project, like ``--force``.
    """
    from workbench.ingest.importer import GroupMeta
    from workbench.ingest.importer import import_transcripts as run

    meta = GroupMeta(name=group, code=code, kind=kind, date=date, stakeholders=stakeholders)
    return run(project, list(paths), meta, roster, roles, encoding, speakers, force, dry_run)


def status(project: Store) -> dict:
    """Groups, comments, each coder's progress and the agreed coding (as `workbench status`)."""
    from workbench.project.status import project_status

    return project_status(project)


def comments(
    project: Store, group: str | None = None, where: list[str] | None = None
) -> list[dict]:
    """The comments (ref, group, speaker, role, text, ...), in reading order; ``where``:
    conditions such as ``["site=Leeds"]``, as ``workbench comments --where``."""
    from workbench.project.status import comment_rows
    from workbench.project.where import parse

    return comment_rows(project, group, parse(project, where or []))


def export_qdpx(project: Store, out: str | Path, *, force: bool = False):
    """The project as a REFI-QDA ``.qdpx`` (ATLAS.ti, NVivo, MAXQDA, QualCoder)."""
    from workbench.exchange.refi import export_qdpx as run

    return run(project, out, force=force)


def import_qdpx(
    path: str | Path,
    out: str | Path,
    name: str | None = None,
    *,
    sources: str | Path | None = None,
    positions: str = "auto",
    set_attributes: bool = True,
):
    """Another tool's REFI-QDA project as a new Workbench project at ``out``; source files outside
    the archive are read only from the folder ``sources`` (as ``--sources``); ``positions`` as
    ``--positions`` (``auto``, ``code-points``, ``utf-16``); ``set_attributes=False`` as
    ``--no-set-attributes`` (ATLAS.ti's ``name: value`` document groups not taken as attributes)."""
    from workbench.exchange.refi import import_qdpx as run

    return run(path, out, name, sources, positions, set_attributes)


def backup(project: Store, out: str | Path | None = None):
    """A checked copy of the project (``out``, else an automatic backup beside it), as
    ``workbench backup``: refused, leaving nothing, if the copy fails SQLite's check."""
    from workbench.project.backups import backup_project

    return backup_project(project, out)


def last_backup(project: Store):
    """The newest backup recorded and the newest that passed its check (None if none)."""
    from workbench.project.backups import last_backup as last

    return last(project)


def restore(backup: str | Path, project: str | Path, *, force: bool = False):
    """Put ``backup`` back as the project file ``project``, as ``workbench restore``: the
    current state kept first; refused while another process has it open unless ``force``."""
    from workbench.project.backups import restore_project

    return restore_project(backup, project, force)
