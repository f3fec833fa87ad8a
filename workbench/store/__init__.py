"""The project file: one SQLite database per project, and the only package that executes SQL.

``connection`` opens the file (pragmas, per-thread connections, transactions with
retry); ``schema`` holds the tables and their migrations; each other module holds
the statements of one aggregate, and :class:`Store` is their sum.
"""

from workbench.store.audit import AuditStatements
from workbench.store.backup import BackupStatements
from workbench.store.changes import ChangeStatements
from workbench.store.codings import CodingStatements
from workbench.store.comments import CommentStatements
from workbench.store.connection import Connection, default_actor, now, remove_project
from workbench.store.corrections import CorrectionStatements
from workbench.store.evidence import EvidenceStatements
from workbench.store.facts import FactStatements
from workbench.store.imported import ImportStatements
from workbench.store.models import ModelStatements
from workbench.store.outputs import OutputStatements
from workbench.store.participants import ParticipantStatements
from workbench.store.project import ProjectStatements
from workbench.store.reconciliation import ReconciliationStatements
from workbench.store.records import Group, GroupSummary, Role, Speaker, Transcript
from workbench.store.reports import ReportStatements
from workbench.store.speakers import SpeakerStatements
from workbench.store.transcripts import TranscriptStatements
from workbench.store.users import UserStatements

__all__ = [
    "Group",
    "GroupSummary",
    "Role",
    "Speaker",
    "Store",
    "Transcript",
    "default_actor",
    "now",
    "remove_project",
]


class Store(
    ParticipantStatements,
    CorrectionStatements,
    UserStatements,
    ChangeStatements,
    EvidenceStatements,
    FactStatements,
    AuditStatements,
    BackupStatements,
    ModelStatements,
    OutputStatements,
    ReportStatements,
    ReconciliationStatements,
    ImportStatements,
    CodingStatements,
    CommentStatements,
    SpeakerStatements,
    TranscriptStatements,
    ProjectStatements,
    Connection,
):
    """Access to one project file. Create with :meth:`create` or :meth:`open`.

    Each module of this package owns one part of it:

    * ``connection``: opening and creating the file, ``conn`` (one per thread), ``db``
      (sqlite-utils' view), ``close``, ``transaction``, ``schema_version``,
      ``integrity_check``;
    * ``schema``: the tables, ``MIGRATIONS`` and the migration run on open;
    * ``audit``: the append-only audit log (``audit``, ``audit_rows``);
    * ``backup``: consistent copies, and one before every destructive command;
    * ``project``: the project row, codebooks, categories, themes, roles;
    * ``transcripts``: focus groups, transcripts, speakers;
    * ``speakers``: fixing speakers after an import (rename, merge, a comment's speaker), the
      code a new group would take;
    * ``comments``: comments (bulk and single inserts, split and merge, refs,
      context, the worklist's reads) and the full-text search index;
    * ``codings``: coders, codings, coding states and progress, the coding table,
      counts of codings;
    * ``reconciliation``: reconciliation decisions;
    * ``imported``: many codings of an import written at once;
    * ``reports``: agreement rounds and report runs;
    * ``models``: machine-assisted coding's models and review queue;
    * ``evidence``: training and retest coders, the training set and its gold coding,
      retest samples (migration 8, SQL in ``schema_v8``);
    * ``facts``: aggregates for methods evidence (theme counts per group for saturation,
      caption times, exemplar counts);
    * ``outputs``: the files Workbench wrote (their SHA-256), for :mod:`workbench.output`;
    * ``changes``: other processes' commits (``data_version``, the audit rows since a
      mark) and a comment's words, which every coding write checks;
    * ``users``: the team server's users and signed-in sessions (migration 9, SQL in
      ``schema_v9``);
    * ``corrections``: comment text revisions, removing transcripts and groups, the codes of
      removed groups (migration 12, SQL in ``schema_v12``).
    * ``participants``: participants (speakers linked as one person), declared attributes
      and their values (migration 18, SQL in ``schema_v18``).

    The modules hold statements only; the rules that decide what to write live in
    the packages above (project, ingest, coding, ...).
    """
