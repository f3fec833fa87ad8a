"""The transcripts and focus groups of a project after import: listing them, removing a
transcript or a whole group, and editing a group's details.

Removing is the undo of a wrong import. It is refused while any comment of what goes is
coded (by anyone: a coder, the agreed coding, a trainee) unless ``force``, and the refusal
says how many codings would go, by whom. Either way a backup of the project is made first and
the removal is one transaction with its audit row (what went: comments, refs, codings). Refs
are never freed: a removed group's code and next number are kept, so no later import hands
out a ref that once named other words. Editing a group changes its name, kind, date and
stakeholders (never its code: refs are made of it), audited with before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store import Group, Store, Transcript, default_actor

KINDS = ("individual", "multi")


@dataclass(frozen=True)
class TranscriptInfo:
    """One transcript as ``transcripts list`` shows it."""

    group_code: str
    group_name: str
    filename: str
    format: str
    imported_at: str
    comments: int
    codable: int
    codings: dict[str, int]  # coder → codings on its comments
    to_review: int  # codings made before their comment's text was corrected

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group_code,
            "group_name": self.group_name,
            "file": self.filename,
            "format": self.format,
            "imported_at": self.imported_at,
            "comments": self.comments,
            "codable": self.codable,
            "codings": self.codings,
            "to_review": self.to_review,
        }


def list_transcripts(store: Store) -> list[TranscriptInfo]:
    """Every transcript in reading order, with its comments and the codings on them."""
    review: dict[int, int] = {}
    for row in store.codings_to_review():
        review[row["comment_id"]] = review.get(row["comment_id"], 0) + 1
    groups = {g.id: g for g in store.groups()}
    out = []
    for t in store.transcripts():
        ids = store.comment_ids_of(transcript_id=t.id)
        group = groups[t.group_id]
        out.append(
            TranscriptInfo(
                group.code,
                group.name,
                t.filename,
                t.format,
                t.imported_at,
                len(ids),
                store.codable_count(t.id),
                store.codings_by_coder_on(ids),
                sum(review.get(i, 0) for i in ids),
            )
        )
    return out


@dataclass
class Removal:
    """What removing a transcript or a group takes with it (see :func:`plan_removal`)."""

    kind: str  # "transcript" or "group"
    label: str  # "FG2/fg2.txt" or "FG2 (Parents)"
    group: Group
    transcript: Transcript | None
    comment_ids: list[int]
    refs: tuple[str, str] | None  # first and last ref
    codings: dict[str, int] = field(default_factory=dict)  # coder → codings that would go

    @property
    def coded(self) -> int:
        return sum(self.codings.values())

    def what_goes(self) -> str:
        """In words, for a confirmation or a refusal."""
        refs = f" ({self.refs[0]} to {self.refs[1]})" if self.refs else ""
        text = f"{self.label}: {len(self.comment_ids)} comment(s){refs}"
        if self.coded:
            text += (
                f" and {self.coded} coding(s) on them ("
                + ", ".join(f"{name} {n}" for name, n in self.codings.items())
                + ")"
            )
        return text


def find_target(store: Store, target: str) -> tuple[Group, Transcript | None]:
    """(group, transcript) named by ``target``: a transcript's file name (a path is read by its
    name; ``CODE/FILE`` when two groups have one of that name), or a group's code or name
    (transcript None)."""
    text = target.strip()
    group_part, _, name = text.rpartition("/")
    scoped = store.group_by_name(group_part) if group_part else None  # CODE/FILE, else a path
    name = name if scoped else PurePath(text).name
    groups = {g.id: g for g in store.groups()}
    files = [
        t
        for t in store.transcripts()
        if t.filename == name and (scoped is None or t.group_id == scoped.id)
    ]
    group = None if "/" in text or "\\" in text else store.group_by_name(text)
    if files and group is not None:
        raise WorkbenchError(
            f"{target!r} names both the focus group {group.code} and a transcript file; give "
            f"{group.code}/{name} for the transcript, or the group's name {group.name!r} for "
            "the group"
        )
    if len(files) > 1:
        where = ", ".join(f"{groups[t.group_id].code}/{name}" for t in files)
        raise WorkbenchError(
            f"{target!r}: {len(files)} groups have a transcript of that name; give one of {where}"
        )
    if files:
        return groups[files[0].group_id], files[0]
    if group is not None:
        return group, None
    known = (
        ", ".join(f"{groups[t.group_id].code}/{t.filename}" for t in store.transcripts()) or "none"
    )
    raise WorkbenchError(
        f"{target!r}: no transcript file or focus group of that name (transcripts: {known}; see "
        "`workbench transcripts list PROJECT`)"
    )


def plan_removal(store: Store, target: str) -> Removal:
    """What removing ``target`` (see :func:`find_target`) would take with it; changes nothing."""
    group, transcript = find_target(store, target)
    if transcript is not None:
        ids = store.comment_ids_of(transcript_id=transcript.id)
        kind, label = "transcript", f"{group.code}/{transcript.filename}"
    else:
        ids = store.comment_ids_of(group_id=group.id)
        kind, label = "group", f"{group.code} ({group.name})"
    return Removal(
        kind, label, group, transcript, ids, store.ref_range(ids), store.codings_by_coder_on(ids)
    )


def remove(
    store: Store, target: str, force: bool = False, actor: str | None = None
) -> dict[str, Any]:
    """Remove a transcript or a focus group: refused while coded unless ``force``; a backup
    first; one transaction with its audit row. Returns what went and where the backup is."""
    plan = plan_removal(store, target)
    if plan.coded and not force:
        raise WorkbenchError(
            f"{plan.what_goes()}; removing it would delete those codings. Add --force to remove it "
            "with them (a backup of the project is made first, and the audit trail records what "
            "went)"
        )
    backup = store.automatic_backup(f"remove {plan.kind} {plan.label}")
    with store.transaction():
        again = plan_removal(store, target)  # as it is now, inside the write lock
        if again.coded != plan.coded and not force:
            raise WorkbenchError(
                f"{again.label} was coded meanwhile (in another window); nothing was removed"
            )
        if plan.kind == "transcript":
            assert plan.transcript is not None  # a transcript's plan names it
            gone = store.delete_transcript(plan.transcript.id)
        else:
            gone = store.delete_group(plan.group.id)
        store.audit(
            "remove",
            plan.kind,
            plan.label,
            before={
                "comments": len(again.comment_ids),
                "refs": list(again.refs) if again.refs else None,
                "codings": again.codings,
                "group": plan.group.name,
                **({"sha256": plan.transcript.sha256} if plan.transcript else {}),
            },
            actor=actor or default_actor(),
            note=f"backup: {backup}",
        )
    return {
        "removed": plan.kind,
        "label": plan.label,
        "comments": len(again.comment_ids),
        "codings": gone,
        "by_coder": again.codings,
        "backup": str(backup),
    }


def edit_group(
    store: Store, group: str, actor: str | None = None, **fields: str | None
) -> dict[str, Any]:
    """Change a focus group's ``name``, ``kind``, ``date`` (YYYY-MM-DD) or ``stakeholders``
    (an empty value clears all but the name); audited. Returns the changes as {field: (before,
    after)} (empty: nothing changed)."""
    row = store.group_by_name(group)
    if row is None:
        names = ", ".join(f"{g.code} ({g.name})" for g in store.groups()) or "none yet"
        raise WorkbenchError(f"no focus group {group!r} (groups: {names})")
    before = row.as_dict()
    changes = {}
    for key, value in fields.items():
        if value is None:
            continue
        value = " ".join(value.split()) or None
        if key == "name":
            if value is None:
                raise WorkbenchError("--name: give the group a name (it cannot be empty)")
            other = store.group_by_name(value)
            if other is not None and other.id != row.id:
                raise WorkbenchError(
                    f"--name {value!r}: focus group {other.code} is called that already"
                )
        elif key == "kind" and value is not None and value not in KINDS:
            raise WorkbenchError(
                f"--kind {value!r}: must be one of {', '.join(KINDS)} (or '' to clear it)"
            )
        elif key == "date" and value is not None:
            _check_date(value)
        if value != before[key]:
            changes[key] = (before[key], value)
    if changes:
        with store.transaction():
            store.edit_group(row.id, {k: v[1] for k, v in changes.items()})
            store.audit(
                "edit",
                "focus_group",
                row.code,
                before={k: v[0] for k, v in changes.items()},
                after={k: v[1] for k, v in changes.items()},
                actor=actor or default_actor(),
            )
    return changes


def _check_date(value: str) -> None:
    try:
        if len(value) != 10:
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise WorkbenchError(
            f"--date {value!r}: give the date the group met as YYYY-MM-DD, e.g. 2024-03-18 (or '' "
            "to clear it)"
        ) from None
