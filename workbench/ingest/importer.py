"""Transcript import: files → focus groups, speakers with roles, and comments.

All or nothing, in two steps: ``read_import`` reads, parses and checks every file against
the roster and works out what would be stored (``plan.FileReport``: the reading and the
first turns with their refs), writing nothing; ``write_import`` writes that plan in one
transaction, with roles the user chose after reading it (the app's import screen).
``import_transcripts`` is both (the use case of ``workbench import`` and the API). A file
whose exact bytes are already in the project is a no-op. A changed version of a transcript
replaces the old one only while none of its comments is coded; otherwise it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import LimitError, RosterError, TranscriptError, WorkbenchError
from workbench.ingest import plan as P
from workbench.ingest import roster_columns
from workbench.ingest.language import word_count
from workbench.ingest.plan import FileReport, SpeakerReport
from workbench.ingest.reading import parse_all, read_transcript_file
from workbench.ingest.refs import comment_ref
from workbench.ingest.roster import load_roster
from workbench.ingest.transcript import ParsedTranscript, content_hash
from workbench.ingest.transcript.labels import key
from workbench.project.roles import find_role
from workbench.store import Group, Role, Store

__all__ = ["KINDS", "GroupMeta", "FileReport", "SpeakerReport", "ImportPlan", "read_import", "write_import",
           "import_transcripts", "read_transcript_file"]

KINDS = ("individual", "multi")


@dataclass
class GroupMeta:
    name: str | None = None  # default: the file name without extension
    code: str | None = None  # ref prefix; default FG<n>
    kind: str | None = None
    date: str | None = None
    stakeholders: str | None = None


@dataclass
class _Planned:
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

    files: list[_Planned]
    meta: GroupMeta
    assignments: dict[str, tuple[str, str, int]]
    roles: list[Role]
    columns: roster_columns.Plan | None = None  # a roster's extra columns: attributes

    @property
    def reports(self) -> list[FileReport]:
        return [p.done for p in self.files]


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
            _check_replacement(store, plan, result)
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
    _check_roster_speakers(store, planned, assignments, roster)
    read = ImportPlan(planned, meta, assignments, known_roles, columns)
    _plan_reports(store, read)
    if columns and planned:  # which columns became attributes, and of what type
        planned[0].done.notes += columns.notes
    return read


def write_import(store: Store, plan: ImportPlan, roles: dict[str, str] | None = None) -> list[FileReport]:
    """Write what ``read_import`` read, in one transaction. ``roles`` (label → role) are the
    roles chosen after reading it, for labels the files speak; they take the place of the
    roles read."""
    if roles:
        spoken = {t.speaker for p in plan.files if p.parsed for t in p.parsed.turns if t.speaker}
        for label, role_text in roles.items():
            role = find_role(role_text, plan.roles)
            if label not in spoken or role is None:
                what = f"no speaker {label!r} in these files" if label not in spoken else f"unknown role {role_text!r}"
                raise RosterError(f"role for {label!r}: {what}. Nothing was imported.")
            plan.assignments[label] = (role.key, "chosen", 0)
        _plan_reports(store, plan, preview=False)
    with store.transaction(), store.bulk_comments():
        for planned in plan.files:
            if planned.parsed is not None:
                if store.transcript_by_hash(planned.sha256) is not None:
                    raise TranscriptError(f"{planned.path}: imported by someone else since it was read; "
                                          "nothing was imported (read it again)")
                _check_replacement(store, planned, planned.parsed, keep_report=True)
                _write(store, planned, plan.meta)
        if plan.columns:
            _roster_attributes(store, plan, plan.columns)
    for planned in plan.files:
        planned.done.written = planned.parsed is not None
    return plan.reports


def _plan_reports(store: Store, plan: ImportPlan, preview: bool = True) -> None:
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
                codes[planned.group] = plan.meta.code or store.planned_group_code(set(codes.values()))
                numbers[planned.group] = 1
        P.tally(report, planned.parsed, plan.roles, (codes[planned.group], numbers[planned.group]), preview)
        numbers[planned.group] += len(planned.parsed.turns)


def _roster_attributes(store: Store, plan: ImportPlan, columns: roster_columns.Plan) -> None:
    """The roster's extra columns as attributes of the speakers of the imported groups (in the
    import's transaction); how many values were set is a note of the first file's reading."""
    groups = {group.id for p in plan.files if (group := store.group_by_name(p.group))}
    plan.files[0].done.notes += roster_columns.apply(store, columns, groups)


def _read(store: Store, path: Path, meta: GroupMeta) -> _Planned:
    """Read and hash a file; a file already in the project is planned as unchanged."""
    data = read_transcript_file(path)
    sha = content_hash(data)
    existing = store.transcript_by_hash(sha)
    if existing is None:
        return _Planned(path, data, sha, meta.name or path.stem, None, None)
    report = FileReport(str(path), existing.group_name, "unchanged", existing.format, existing.encoding)
    report.warnings.append(
        f"already imported on {existing.imported_at[:10]} as {existing.filename} of group "
        f"{existing.group_name!r}; nothing to do"
    )
    return _Planned(path, data, sha, existing.group_name, None, report)


def _check_replacement(store: Store, plan: _Planned, parsed: ParsedTranscript, keep_report: bool = False) -> None:
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
    plan.report = FileReport(str(plan.path), plan.group, status, parsed.format, parsed.encoding,
                             warnings=list(parsed.warnings))


def role_assignments(
    roster: str | Path | None, options: dict[str, str], roles: list[Role]
) -> dict[str, tuple[str, str, int]]:
    """Speaker label → (role key, where it came from, line) from the roster and --role."""
    entries: dict[str, tuple[str, str, int]] = {}
    if roster is not None:
        for label, (role, line) in load_roster(roster).items():
            entries[label] = (role, f"{roster}: line {line}" if line else str(roster), line)
    for label, role in options.items():
        entries[" ".join(label.split())] = (role, f"--role {label}={role}", 0)
    resolved = {}
    for label, (role_text, where, line) in entries.items():
        found = find_role(role_text, roles)
        if found is None:
            raise RosterError(
                f"{where}: unknown role {role_text!r} for speaker {label!r}; known roles: "
                + ", ".join(r.key for r in roles)
                + " (add one with `workbench roles PROJECT --add KEY NAME`)"
            )
        resolved[label] = (found.key, where, line)
    return resolved


def _check_roster_speakers(store: Store, planned: list[_Planned],
                           assignments: dict[str, tuple[str, str, int]],
                           roster: str | Path | None) -> None:
    """Every speaker the roster and --role name speaks in one of the files. A label is matched
    in any case and spacing, as the parser reads it; a file already imported (unchanged) takes
    no roles, which its report says with the command that gives them."""
    spoken: set[str] = set()
    for plan in planned:
        if plan.parsed is not None:
            spoken |= {t.speaker for t in plan.parsed.turns if t.speaker}
        else:
            group = store.group_by_name(plan.group)
            labels = {s.label for s in store.speakers(group.id)} if group else set()
            spoken |= labels
            if group and plan.report is not None:
                plan.report.warnings += _not_given(store, group, labels, assignments)
    keys = {key(label) for label in spoken}
    for label, (_, where, _line) in assignments.items():
        if key(label) not in keys:
            files = ", ".join(p.path.name for p in planned)
            found = ", ".join(sorted(spoken)) or "none"
            raise RosterError(
                f"{where}: speaker {label!r} does not speak in {files} (speakers found: {found}); "
                "fix the spelling or remove the entry. Nothing was imported."
            )


def _not_given(store: Store, group: Group, labels: set[str],
               assignments: dict[str, tuple[str, str, int]]) -> list[str]:
    """The roles an unchanged file's speakers are not given, each with the command that would."""
    notes = []
    for label, (role, where, _line) in assignments.items():
        for spoken in sorted(s for s in labels if key(s) == key(label)):
            notes.append(
                f"{where}: not applied, the file is already in the project; give the role with "
                f"`workbench speakers {store.path.name} --group {group.code} "
                f"--set \"{spoken}={role}\"`"
            )
    return notes


def _write(store: Store, plan: _Planned, meta: GroupMeta) -> None:
    """One file's group, transcript, speakers (with the roles planned) and comments."""
    parsed, report = plan.parsed, plan.done
    assert parsed is not None  # only a file read and parsed is written
    group = store.group_by_name(plan.group)
    if group is None:
        group = store.create_group(plan.group, meta.code, meta.kind, meta.date, meta.stakeholders)
        store.audit("create", "focus_group", group.code, after={"name": plan.group})
    else:
        store.update_group(group.id, kind=meta.kind, date=meta.date, stakeholders=meta.stakeholders)
    previous = store.transcript_named(group.id, plan.path.name)
    if previous is not None:
        store.replace_transcript(previous.id, parsed.format, parsed.encoding, plan.sha256, plan.data)
        transcript_id = previous.id
        only_transcript = len(store.transcripts(group.id)) == 1
    else:
        transcript_id = store.add_transcript(
            group.id, plan.path.name, parsed.format, parsed.encoding, plan.sha256, plan.data
        )
        only_transcript = False
    excluded_roles = {r.key for r in store.roles() if r.excluded}
    speaker_ids = {s.label: (store.ensure_speaker(group.id, s.label, s.role), s.role) for s in report.speakers}
    first = store.take_comment_numbers(group.id, len(parsed.turns), restart=only_transcript)
    rows = []
    for index, turn in enumerate(parsed.turns):
        speaker_id, role_key = speaker_ids[turn.speaker] if turn.speaker else (None, None)
        excluded = role_key in excluded_roles
        rows.append((
            comment_ref(group.code, first + index), group.id, transcript_id, index + 1,
            speaker_id, turn.text, turn.words, turn.start, turn.end, turn.line,
            int(turn.speaker is None), int(excluded), f"role {role_key}" if excluded else None,
        ))
    store.insert_comments(rows)
    report.preview = []
    store.audit(
        "replace" if report.status == "replaced" else "import",
        "transcript",
        f"{group.code}/{plan.path.name}",
        after={"sha256": plan.sha256, "format": parsed.format, "comments": len(rows),
               "first_ref": rows[0][0] if rows else None, "last_ref": rows[-1][0] if rows else None},
    )


@dataclass
class ParsedFile:
    """A transcript already read and parsed by its caller (a .qdpx source): its file name in the
    project, the bytes stored for it, its turns, its group, and roles for its speakers."""

    name: str
    data: bytes
    parsed: ParsedTranscript
    meta: GroupMeta
    roles: dict[str, str] = field(default_factory=dict)


def import_parsed(store: Store, files: list[ParsedFile]) -> list[FileReport]:
    """Import transcripts that are already parsed, all or nothing, written as
    :func:`import_transcripts` writes them: no file is read and nothing is parsed again."""
    known_roles = store.roles()
    plans = []
    for item in files:
        if item.meta.kind is not None and item.meta.kind not in KINDS:
            raise WorkbenchError(f"{item.name}: group kind {item.meta.kind!r}: must be one of {', '.join(KINDS)}")
        assignments = role_assignments(None, item.roles, known_roles)
        planned = _Planned(Path(item.name), item.data, content_hash(item.data),
                           item.meta.name or Path(item.name).stem, None, None)
        for turn in item.parsed.turns:
            turn.words = turn.words or word_count(turn.text)
        _check_replacement(store, planned, item.parsed)
        _check_roster_speakers(store, [planned], assignments, None)
        plan = ImportPlan([planned], item.meta, assignments, known_roles)
        _plan_reports(store, plan, preview=False)
        plans.append(plan)
    with store.transaction(), store.bulk_comments():
        for plan in plans:
            _write(store, plan.files[0], plan.meta)
    for plan in plans:
        plan.files[0].done.written = True
    return [plan.files[0].done for plan in plans]
