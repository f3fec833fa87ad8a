"""Transcript import: files → focus groups, speakers with roles, and comments.

All or nothing, in two steps: ``read_import`` reads, parses and checks every file against
the roster and works out what would be stored (``plan.FileReport``: the reading and the
first turns with their refs), writing nothing; ``write_import`` writes that plan in one
transaction, with roles the user chose after reading it (the app's import screen).
``import_transcripts`` is both (the use case of ``workbench import`` and the API). A file
whose exact bytes are already in the project is a no-op. A changed version of a transcript
replaces the old one only while none of its comments is coded; otherwise it is refused.
The halves are :mod:`.import_read` and :mod:`.import_write`, the roster and role checks
:mod:`.speaker_roles`; their names are importable from here.
"""

from __future__ import annotations

from pathlib import Path

from workbench.ingest.import_read import KINDS, GroupMeta, ImportPlan, read_import
from workbench.ingest.import_write import ParsedFile, import_parsed, write_import
from workbench.ingest.plan import FileReport, SpeakerReport
from workbench.ingest.reading import read_transcript_file
from workbench.store import Store

__all__ = [
    "KINDS",
    "GroupMeta",
    "FileReport",
    "SpeakerReport",
    "ImportPlan",
    "read_import",
    "write_import",
    "import_transcripts",
    "read_transcript_file",
    "ParsedFile",
    "import_parsed",
]


def import_transcripts(
    store: Store,
    paths: list[str | Path],
    meta: GroupMeta | None = None,
    roster: str | Path | None = None,
    roles: dict[str, str] | None = None,
    encoding: str | None = None,
    speakers: tuple[str, ...] | list[str] = (),
    force: bool = False,
    dry_run: bool = False,
) -> list[FileReport]:
    """Import files (``workbench import``, the API); one report per file; ``dry_run`` writes
    nothing. Raises on any problem. A file whose turns are mostly those of a transcript already
    in the project is refused unless ``force`` (``ingest.duplicates``; ``transcripts replace``)."""
    plan = read_import(store, paths, meta, roster, roles, encoding, speakers, force)
    return plan.reports if dry_run else write_import(store, plan)
