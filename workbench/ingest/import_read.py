"""The import's read half: every file read, parsed and checked, and what would be stored.

``read_import`` reads and hashes each file (one already in the project is planned as
unchanged), parses the new ones, refuses a changed version of a coded transcript and a
near-duplicate of one already in the project, checks the roster against the speakers
(:mod:`workbench.ingest.speaker_roles`) and plans each file's report: its speakers with their
roles and the refs its first turns would take. Nothing is written; the write half is
:mod:`workbench.ingest.import_write`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.errors import LimitError, TranscriptError, WorkbenchError
from workbench.ingest import plan as P
from workbench.ingest import roster_columns
from workbench.ingest.plan import FileReport
from workbench.ingest.reading import parse_all, read_transcript_file
from workbench.ingest.speaker_roles import check_roster_speakers, role_assignments
from workbench.ingest.transcript import ParsedTranscript, content_hash
from workbench.store import Role, Store

KINDS = ("individual", "multi")


@dataclass
class GroupMeta:
    name: str | None = None  # default: the file name without extension
    code: str | None = None  # ref prefix; default FG<n>
    kind: str | None = None
    date: str | None = None
    stakeholders: str | None = None


@dataclass
class Planned:
    path: Path
    data: bytes
    sha256: str
    group: str
    parsed: ParsedTranscript | None  # None when unchanged
    report: FileReport | None  # None until the file is parsed

    @property
    def done(self) -> FileReport:
        """The report of a file read (every file's, once ``read_import`` returns)."""
        if self.report is None:
            raise TranscriptError(f"{self.path}: not read yet")
        return self.report


@dataclass
class ImportPlan:
    """An import read and checked, nothing written yet: ``reports`` say what would be stored."""

    files: list[Planned]
    meta: GroupMeta
    assignments: dict[str, tuple[str, str, int]]
    roles: list[Role]
    columns: roster_columns.Plan | None = None  # a roster's extra columns: attributes

    @property
    def reports(self) -> list[FileReport]:
        return [p.done for p in self.files]


def read_import(
    store: Store,
    paths: list[str | Path],
    meta: GroupMeta | None = None,
    roster: str | Path | None = None,
    roles: dict[str, str] | None = None,
    encoding: str | None = None,
    speakers: tuple[str, ...] | list[str] = (),
    force: bool = False,
) -> ImportPlan:
    """Read, parse and check every file and work out what would be stored; write nothing.
    ``speakers`` are labels the user vouches for (``--speaker``): read as labels in any case
    and spacing, like the roster's and ``--role``'s. A file whose turns are mostly those of a
    transcript already in the project is refused unless ``force`` (``ingest.duplicates``)."""
    meta = meta or GroupMeta()
    if meta.kind is not None and meta.kind not in KINDS:
        raise WorkbenchError(f"--kind {meta.kind!r}: must be one of {', '.join(KINDS)}")
    known_roles = store.roles()
    assignments = role_assignments(roster, roles or {}, known_roles)
    columns = roster_columns.plan(store, roster) if roster is not None else None
    known = frozenset(assignments) | {" ".join(s.split()) for s in speakers if s.strip()}

    planned, errors = [], []
    for raw_path in paths:
        try:
            planned.append(_read(store, Path(raw_path), meta))
        except WorkbenchError as exc:
            errors.append(exc)
    todo = [p for p in planned if p.report is None]
    results = parse_all([(p.data, str(p.path), encoding, known) for p in todo])
    for plan, result in zip(todo, results, strict=True):
        try:
            if isinstance(result, WorkbenchError):
                raise result
            check_replacement(store, plan, result)
            if not force and plan.done.status == "imported":
                from workbench.ingest.duplicates import refusal

                duplicate = refusal(store, plan.path, [t.text for t in result.turns])
                if duplicate:
                    raise TranscriptError(duplicate)
        except WorkbenchError as exc:
            errors.append(exc)
    if errors:
        # A file over a limit keeps its kind, so an import inside another (a .qdpx's sources) stops.
        kind = LimitError if any(isinstance(e, LimitError) for e in errors) else TranscriptError
        raise kind("\n".join(map(str, errors)) + "\nNothing was imported.")
    check_roster_speakers(store, planned, assignments, roster)
    read = ImportPlan(planned, meta, assignments, known_roles, columns)
    plan_reports(store, read)
    if columns and planned:  # which columns became attributes, and of what type
        planned[0].done.notes += columns.notes
    return read


def plan_reports(store: Store, plan: ImportPlan, preview: bool = True) -> None:
    """Each new file's speakers with their roles, its counts, and (``preview``) its first turns
    with the refs they would take: groups and numbers as the write would assign them."""
    codes: dict[str, str] = {}  # group name → its code, planned for new groups
    numbers: dict[str, int] = {}  # group name → the next comment number
    for planned in plan.files:
        if planned.parsed is None:
            continue
        report = planned.done
        group = store.group_by_name(planned.group)
        existing = {s.label: s for s in store.speakers(group.id)} if group else {}
        report.speakers = P.speakers(planned.parsed, plan.assignments, plan.roles, existing)
        P.reading(report, planned.parsed)
        report.warnings = list(planned.parsed.warnings)
        unassigned = [s.label for s in report.speakers if s.role is None]
        if unassigned:
            report.warnings.append(
                f"{len(unassigned)} speaker(s) have no role: {', '.join(unassigned)}; give them one "
                "with --roster or --role LABEL=ROLE"
            )
        if planned.group not in codes:
            if group is not None:
                codes[planned.group] = group.code
                restart = report.status == "replaced" and len(store.transcripts(group.id)) == 1
                numbers[planned.group] = 1 if restart else group.next_number
            else:
                codes[planned.group] = plan.meta.code or store.planned_group_code(
                    set(codes.values())
                )
                numbers[planned.group] = 1
        P.tally(
            report,
            planned.parsed,
            plan.roles,
            (codes[planned.group], numbers[planned.group]),
            preview,
        )
        numbers[planned.group] += len(planned.parsed.turns)


def _read(store: Store, path: Path, meta: GroupMeta) -> Planned:
    """Read and hash a file; a file already in the project is planned as unchanged."""
    data = read_transcript_file(path)
    sha = content_hash(data)
    existing = store.transcript_by_hash(sha)
    if existing is None:
        return Planned(path, data, sha, meta.name or path.stem, None, None)
    report = FileReport(
        str(path), existing.group_name, "unchanged", existing.format, existing.encoding
    )
    report.warnings.append(
        f"already imported on {existing.imported_at[:10]} as {existing.filename} of group "
        f"{existing.group_name!r}; nothing to do"
    )
    return Planned(path, data, sha, existing.group_name, None, report)


def check_replacement(
    store: Store, plan: Planned, parsed: ParsedTranscript, keep_report: bool = False
) -> None:
    """Plan a parsed file: new, or replacing a changed transcript that has no codings."""
    group_row = store.group_by_name(plan.group)
    status = "imported"
    if group_row is not None:
        previous = store.transcript_named(group_row.id, plan.path.name)
        if previous is not None:
            coded = store.codings_on_transcript(previous.id)
            if coded:
                raise TranscriptError(
                    f"{plan.path}: group {plan.group!r} already has a different version of this "
                    f"transcript (imported {previous.imported_at[:10]}) with {coded} coding(s) on "
                    "its comments; replacing it would orphan them. Bring in the new version with "
                    f"`workbench transcripts replace {store.path.name} {group_row.code}/{plan.path.name} "
                    f"{plan.path}`, which keeps the codings of unchanged comments."
                )
            status = "replaced"
    plan.parsed = parsed
    if keep_report:
        plan.done.status = status
        return
    plan.report = FileReport(
        str(plan.path),
        plan.group,
        status,
        parsed.format,
        parsed.encoding,
        warnings=list(parsed.warnings),
    )
