"""The import's write half: what ``read_import`` planned, written in one transaction.

``write_import`` writes each new file's group, transcript, speakers (with the roles planned,
or chosen after reading) and comments, and a roster's extra columns as attributes;
``import_parsed`` writes transcripts a caller already parsed (a .qdpx's sources) the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import RosterError, TranscriptError, WorkbenchError
from workbench.ingest import roster_columns
from workbench.ingest.import_read import (
    KINDS,
    GroupMeta,
    ImportPlan,
    Planned,
    check_replacement,
    plan_reports,
)
from workbench.ingest.language import word_count
from workbench.ingest.plan import FileReport
from workbench.ingest.refs import comment_ref
from workbench.ingest.speaker_roles import check_roster_speakers, role_assignments
from workbench.ingest.transcript import ParsedTranscript, content_hash
from workbench.project.roles import find_role
from workbench.store import Store


def write_import(
    store: Store, plan: ImportPlan, roles: dict[str, str] | None = None
) -> list[FileReport]:
    """Write what ``read_import`` read, in one transaction. ``roles`` (label → role) are the
    roles chosen after reading it, for labels the files speak; they take the place of the
    roles read."""
    if roles:
        spoken = {t.speaker for p in plan.files if p.parsed for t in p.parsed.turns if t.speaker}
        for label, role_text in roles.items():
            role = find_role(role_text, plan.roles)
            if label not in spoken or role is None:
                what = (
                    f"no speaker {label!r} in these files"
                    if label not in spoken
                    else f"unknown role {role_text!r}"
                )
                raise RosterError(f"role for {label!r}: {what}. Nothing was imported.")
            plan.assignments[label] = (role.key, "chosen", 0)
        plan_reports(store, plan, preview=False)
    with store.transaction(), store.bulk_comments():
        for planned in plan.files:
            if planned.parsed is not None:
                if store.transcript_by_hash(planned.sha256) is not None:
                    raise TranscriptError(
                        f"{planned.path}: imported by someone else since it was read; "
                        "nothing was imported (read it again)"
                    )
                check_replacement(store, planned, planned.parsed, keep_report=True)
                _write(store, planned, plan.meta)
        if plan.columns:
            _roster_attributes(store, plan, plan.columns)
    for planned in plan.files:
        planned.done.written = planned.parsed is not None
    return plan.reports


def _roster_attributes(store: Store, plan: ImportPlan, columns: roster_columns.Plan) -> None:
    """The roster's extra columns as attributes of the speakers of the imported groups (in the
    import's transaction); how many values were set is a note of the first file's reading."""
    groups = {group.id for p in plan.files if (group := store.group_by_name(p.group))}
    plan.files[0].done.notes += roster_columns.apply(store, columns, groups)


def _write(store: Store, plan: Planned, meta: GroupMeta) -> None:
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
        store.replace_transcript(
            previous.id, parsed.format, parsed.encoding, plan.sha256, plan.data
        )
        transcript_id = previous.id
        only_transcript = len(store.transcripts(group.id)) == 1
    else:
        transcript_id = store.add_transcript(
            group.id, plan.path.name, parsed.format, parsed.encoding, plan.sha256, plan.data
        )
        only_transcript = False
    excluded_roles = {r.key for r in store.roles() if r.excluded}
    speaker_ids = {
        s.label: (store.ensure_speaker(group.id, s.label, s.role), s.role) for s in report.speakers
    }
    first = store.take_comment_numbers(group.id, len(parsed.turns), restart=only_transcript)
    rows = []
    for index, turn in enumerate(parsed.turns):
        speaker_id, role_key = speaker_ids[turn.speaker] if turn.speaker else (None, None)
        excluded = role_key in excluded_roles
        rows.append(
            (
                comment_ref(group.code, first + index),
                group.id,
                transcript_id,
                index + 1,
                speaker_id,
                turn.text,
                turn.words,
                turn.start,
                turn.end,
                turn.line,
                int(turn.speaker is None),
                int(excluded),
                f"role {role_key}" if excluded else None,
            )
        )
    store.insert_comments(rows)
    report.preview = []
    store.audit(
        "replace" if report.status == "replaced" else "import",
        "transcript",
        f"{group.code}/{plan.path.name}",
        after={
            "sha256": plan.sha256,
            "format": parsed.format,
            "comments": len(rows),
            "first_ref": rows[0][0] if rows else None,
            "last_ref": rows[-1][0] if rows else None,
        },
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
            raise WorkbenchError(
                f"{item.name}: group kind {item.meta.kind!r}: must be one of {', '.join(KINDS)}"
            )
        assignments = role_assignments(None, item.roles, known_roles)
        planned = Planned(
            Path(item.name),
            item.data,
            content_hash(item.data),
            item.meta.name or Path(item.name).stem,
            None,
            None,
        )
        for turn in item.parsed.turns:
            turn.words = turn.words or word_count(turn.text)
        check_replacement(store, planned, item.parsed)
        check_roster_speakers(store, [planned], assignments, None)
        plan = ImportPlan([planned], item.meta, assignments, known_roles)
        plan_reports(store, plan, preview=False)
        plans.append(plan)
    with store.transaction(), store.bulk_comments():
        for plan in plans:
            _write(store, plan.files[0], plan.meta)
    for plan in plans:
        plan.files[0].done.written = True
    return [plan.files[0].done for plan in plans]
