"""Transcript import: files → focus groups, speakers with roles, and comments.

All or nothing: every file is read, parsed and checked against the roster first;
only then is everything written in one transaction. A file whose exact bytes are
already in the project is a no-op. A changed version of a transcript replaces the
old one only while none of its comments is coded; otherwise it is refused, so
codings are never orphaned silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import LimitError, RosterError, TranscriptError, WorkbenchError
from workbench.ingest import roster_columns
from workbench.ingest.language import word_count
from workbench.ingest.refs import comment_ref
from workbench.ingest.roster import load_roster
from workbench.ingest.transcript import ParsedTranscript, content_hash, parse_transcript
from workbench.project.roles import Role, find_role, role_from_label
from workbench.store import Store

KINDS = ("individual", "multi")


@dataclass
class GroupMeta:
    name: str | None = None  # default: the file name without extension
    code: str | None = None  # ref prefix; default FG<n>
    kind: str | None = None
    date: str | None = None
    stakeholders: str | None = None


@dataclass
class SpeakerReport:
    label: str
    role: str | None
    comments: int
    role_source: str  # "roster", "--role", "tag", "label", "project", or "" when unassigned


@dataclass
class FileReport:
    path: str
    group: str
    status: str  # "imported", "replaced" or "unchanged"
    format: str = ""
    encoding: str = ""
    comments: int = 0
    codable: int = 0
    unknown_speaker: int = 0
    words: int = 0
    speakers: list[SpeakerReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


@dataclass
class _Planned:
    path: Path
    data: bytes
    sha256: str
    group: str
    parsed: ParsedTranscript | None  # None when unchanged
    report: FileReport | None  # None until the file is parsed


def import_transcripts(
    store: Store,
    paths: list[str | Path],
    meta: GroupMeta | None = None,
    roster: str | Path | None = None,
    roles: dict[str, str] | None = None,
    encoding: str | None = None,
) -> list[FileReport]:
    """Import transcript files; return one report per file. Raises on any problem."""
    meta = meta or GroupMeta()
    if meta.kind is not None and meta.kind not in KINDS:
        raise WorkbenchError(f"--kind {meta.kind!r}: must be one of {', '.join(KINDS)}")
    known_roles = [Role(r["key"], r["name"], bool(r["excluded"]), tuple(r["aliases"])) for r in store.roles()]
    assignments = _assignments(roster, roles or {}, known_roles)
    columns = roster_columns.plan(store, roster) if roster is not None else None

    planned, errors = [], []
    for raw_path in paths:
        try:
            planned.append(_read(store, Path(raw_path), meta))
        except WorkbenchError as exc:
            errors.append(exc)
    todo = [p for p in planned if p.report is None]
    results = _parse_all([(p.data, str(p.path), encoding, frozenset(assignments)) for p in todo])
    for plan, result in zip(todo, results):
        try:
            if isinstance(result, WorkbenchError):
                raise result
            _check_replacement(store, plan, result)
        except WorkbenchError as exc:
            errors.append(exc)
    if errors:
        # A file over a limit keeps its kind, so an import inside another (a .qdpx's sources) stops.
        kind = LimitError if any(isinstance(e, LimitError) for e in errors) else TranscriptError
        raise kind("\n".join(map(str, errors)) + "\nNothing was imported.")
    _check_roster_speakers(store, planned, assignments, roster)

    with store.transaction(), store.bulk_comments():
        for plan in planned:
            if plan.parsed is not None:
                _write(store, plan, meta, assignments, known_roles)
        if columns:
            _roster_attributes(store, planned, columns)
    return [p.report for p in planned]


def _roster_attributes(store: Store, planned: list[_Planned], columns: roster_columns.Plan) -> None:
    """The roster's extra columns as attributes of the speakers of the imported groups."""
    groups = {store.group_by_name(p.group)["id"] for p in planned}
    notes = roster_columns.apply(store, columns, groups)
    planned[0].report.warnings.extend(notes)


def _read(store: Store, path: Path, meta: GroupMeta) -> _Planned:
    """Read and hash a file; a file already in the project is planned as unchanged."""
    data = read_transcript_file(path)
    sha = content_hash(data)
    existing = store.transcript_by_hash(sha)
    if existing is None:
        return _Planned(path, data, sha, meta.name or path.stem, None, None)
    report = FileReport(str(path), existing["group_name"], "unchanged", existing["format"], existing["encoding"])
    report.warnings.append(
        f"already imported on {existing['imported_at'][:10]} as {existing['filename']} of group "
        f"{existing['group_name']!r}; nothing to do"
    )
    return _Planned(path, data, sha, existing["group_name"], None, report)


def read_transcript_file(path: Path) -> bytes:
    """A transcript file's bytes: a Word or PDF file up to ``file-size`` (its text is held to
    ``transcript-size`` once extracted), any other up to ``transcript-size``, checked before reading."""
    from workbench.files import read_bytes

    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder; name the transcript files in it") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read the file ({exc.strerror})") from None
    container = head.startswith(b"PK\x03\x04") or head.lstrip().startswith(b"%PDF-")
    return read_bytes(path, "file-size" if container else "transcript-size", "transcript", TranscriptError)


def _parse_one(job: tuple) -> ParsedTranscript | WorkbenchError:
    """Parse one file and count each turn's words (runs in a worker process when parallel)."""
    data, filename, encoding, known = job
    try:
        parsed = parse_transcript(data, filename, encoding, set(known))
    except WorkbenchError as exc:  # a TranscriptError, or a limit (LimitError)
        return exc
    for turn in parsed.turns:
        turn.words = word_count(turn.text)
    return parsed


# Below this much text, starting worker processes costs more than it saves.
_PARALLEL_BYTES = 1_000_000


def _parse_all(jobs: list[tuple]) -> list:
    """Parse files, several at once on a multi-core machine when there is enough text.

    Worker processes are forked (cheap, and they inherit the loaded parsers); forking is
    safe only from a single-threaded process, so the app's threads parse in-process.
    """
    import multiprocessing
    import os
    import threading

    workers = min(len(jobs), os.cpu_count() or 1)
    parallel = (
        workers > 1
        and sum(len(job[0]) for job in jobs) >= _PARALLEL_BYTES
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        return [_parse_one(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        # Biggest files first, so one large file does not finish last on its own.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        results = dict(zip(order, pool.map(_parse_one, [jobs[i] for i in order])))
    return [results[i] for i in range(len(jobs))]


def _check_replacement(store: Store, plan: _Planned, parsed: ParsedTranscript) -> None:
    """Plan a parsed file: new, or replacing a changed transcript that has no codings."""
    group_row = store.group_by_name(plan.group)
    status = "imported"
    if group_row is not None:
        previous = store.transcript_named(group_row["id"], plan.path.name)
        if previous is not None:
            coded = store.codings_on_transcript(previous["id"])
            if coded:
                raise TranscriptError(
                    f"{plan.path}: group {plan.group!r} already has a different version of this "
                    f"transcript (imported {previous['imported_at'][:10]}) with {coded} coding(s) on "
                    "its comments; replacing it would orphan them. Import the new version under "
                    "another file name or group, or keep the coded version."
                )
            status = "replaced"
    plan.parsed = parsed
    plan.report = FileReport(str(plan.path), plan.group, status, parsed.format, parsed.encoding,
                             warnings=list(parsed.warnings))


def _assignments(roster, options: dict[str, str], roles: list[Role]) -> dict[str, tuple[str, str, int]]:
    """Speaker label → (role key, where it came from, line) from the roster and --role."""
    entries: dict[str, tuple[str, str, int]] = {}
    if roster is not None:
        for label, (role, line) in load_roster(roster).items():
            entries[label] = (role, f"{roster}: line {line}" if line else str(roster), line)
    for label, role in options.items():
        entries[" ".join(label.split())] = (role, f"--role {label}={role}", 0)
    resolved = {}
    for label, (role_text, where, line) in entries.items():
        role = find_role(role_text, roles)
        if role is None:
            raise RosterError(
                f"{where}: unknown role {role_text!r} for speaker {label!r}; known roles: "
                + ", ".join(r.key for r in roles)
                + " (add one with `workbench roles PROJECT --add KEY NAME`)"
            )
        resolved[label] = (role.key, where, line)
    return resolved


def _check_roster_speakers(store: Store, planned: list[_Planned], assignments, roster) -> None:
    spoken: set[str] = set()
    for plan in planned:
        if plan.parsed is not None:
            spoken |= {t.speaker for t in plan.parsed.turns if t.speaker}
        else:
            group = store.group_by_name(plan.group)
            spoken |= {s["label"] for s in store.speakers(group["id"])} if group else set()
    for label, (_, where, _line) in assignments.items():
        if label not in spoken:
            files = ", ".join(p.path.name for p in planned)
            found = ", ".join(sorted(spoken)) or "none"
            raise RosterError(
                f"{where}: speaker {label!r} does not speak in {files} (speakers found: {found}); "
                "fix the spelling or remove the entry. Nothing was imported."
            )


def _write(store: Store, plan: _Planned, meta: GroupMeta, assignments, roles: list[Role]) -> None:
    parsed, report = plan.parsed, plan.report
    group = store.group_by_name(plan.group)
    if group is None:
        group = store.create_group(plan.group, meta.code, meta.kind, meta.date, meta.stakeholders)
        store.audit("create", "focus_group", group["code"], after={"name": plan.group})
    else:
        store.update_group(group["id"], kind=meta.kind, date=meta.date, stakeholders=meta.stakeholders)
    previous = store.transcript_named(group["id"], plan.path.name)
    if previous is not None:
        store.replace_transcript(previous["id"], parsed.format, parsed.encoding, plan.sha256, plan.data)
        transcript_id = previous["id"]
        only_transcript = len(store.transcripts(group["id"])) == 1
    else:
        transcript_id = store.add_transcript(
            group["id"], plan.path.name, parsed.format, parsed.encoding, plan.sha256, plan.data
        )
        only_transcript = False
    role_of = {r.key: r for r in roles}
    speaker_ids: dict[str, tuple[int, str | None]] = {}
    existing = {s["label"]: s for s in store.speakers(group["id"])}
    for turn in parsed.turns:
        if not turn.speaker or turn.speaker in speaker_ids:
            continue
        role_key, source = _role_for(turn.speaker, parsed, assignments, roles, existing)
        speaker_ids[turn.speaker] = (store.ensure_speaker(group["id"], turn.speaker, role_key), role_key)
        report.speakers.append(SpeakerReport(turn.speaker, role_key, 0, source))

    first = store.take_comment_numbers(group["id"], len(parsed.turns), restart=only_transcript)
    rows = []
    counts: dict[str, int] = {}
    for index, turn in enumerate(parsed.turns):
        speaker_id, role_key = speaker_ids.get(turn.speaker, (None, None)) if turn.speaker else (None, None)
        role = role_of.get(role_key) if role_key else None
        excluded = bool(role and role.excluded)
        words = turn.words
        rows.append((
            comment_ref(group["code"], first + index), group["id"], transcript_id, index + 1,
            speaker_id, turn.text, words, turn.start, turn.end, turn.line,
            int(turn.speaker is None), int(excluded), f"role {role_key}" if excluded else None,
        ))
        report.words += words
        report.codable += not excluded
        report.unknown_speaker += turn.speaker is None
        if turn.speaker:
            counts[turn.speaker] = counts.get(turn.speaker, 0) + 1
    store.insert_comments(rows)
    report.comments = len(rows)
    for speaker in report.speakers:
        speaker.comments = counts.get(speaker.label, 0)
    unassigned = [s.label for s in report.speakers if s.role is None]
    if unassigned:
        report.warnings.append(
            f"{len(unassigned)} speaker(s) have no role: {', '.join(unassigned)}; give them one "
            "with --roster or --role LABEL=ROLE"
        )
    store.audit(
        "replace" if report.status == "replaced" else "import",
        "transcript",
        f"{group['code']}/{plan.path.name}",
        after={"sha256": plan.sha256, "format": parsed.format, "comments": len(rows),
               "first_ref": rows[0][0] if rows else None, "last_ref": rows[-1][0] if rows else None},
    )


def _role_for(label, parsed, assignments, roles, existing) -> tuple[str | None, str]:
    if label in assignments:
        role, where, _line = assignments[label]
        return role, "--role" if where.startswith("--role") else "roster"
    tags = {t.role_tag for t in parsed.turns if t.speaker == label and t.role_tag}
    for tag in sorted(tags):
        role = find_role(tag, roles)
        if role is not None:
            return role.key, "tag"
    role = role_from_label(label, roles)
    if role is not None:
        return role.key, "label"
    if label in existing and existing[label]["role_key"]:
        return existing[label]["role_key"], "project"
    return None, ""
