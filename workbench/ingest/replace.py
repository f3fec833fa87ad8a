"""Replacing a transcript with a corrected file, keeping the coding of every comment whose
words did not change.

The corrected file is read and parsed as an import would, then its turns are aligned with the
transcript's comments by text (:mod:`workbench.ingest.align`). Then, in one transaction after
an automatic backup:

* a comment whose text is unchanged keeps its row, ref and every coding (its place, speaker
  and times follow the new file);
* a comment whose turn was corrected keeps its row and ref and takes the new text; its old
  text is kept as a revision (``comment_revisions``). Its codings stay, marked as needing
  review rather than silently meaning other words: each coder's coding is marked "not sure"
  (so the coder's ``f``, the filter and reconciliation find it, and the coding screen says the
  text changed and shows the old), and an agreed coding is reopened in reconciliation as
  "changed since reconciled" (``reconcile.changes``), showing the old text and the new;
* a comment with no counterpart in the new file is removed, with its codings: refused unless
  ``force`` when it carries any, naming them;
* a new turn becomes a new comment with a new ref (refs are never reused: the group's numbers
  go on from where they are).

The transcript keeps its file name (the new file's name is in the audit row); its original
bytes are now the new file's. Every changed comment is audited (``revise``) with the old and
the new text, and the replacement as a whole (``replace``) with what was kept, changed, removed
and added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import TranscriptError, WorkbenchError
from workbench.ingest.align import Pair, align
from workbench.ingest.language import word_count
from workbench.ingest.refs import comment_ref
from workbench.ingest.transcript import ParsedTranscript, content_hash
from workbench.project.transcripts import find_target
from workbench.store import Group, Store, Transcript, default_actor
from workbench.store.comment_records import ListedComment

REASON = "corrected transcript"


@dataclass
class ReplacePlan:
    """What replacing ``transcript`` with ``path`` would do (see :func:`plan_replace`)."""

    group: Group
    transcript: Transcript
    path: Path
    data: bytes
    sha256: str
    parsed: ParsedTranscript
    comments: list[ListedComment]  # the transcript's comments now, in order
    pairs: list[Pair]
    lost: dict[str, int] = field(default_factory=dict)  # coder → codings on removed comments
    coded: dict[int, list[str]] = field(default_factory=dict)  # comment id → who coded it
    # speaker label → role, from --role
    assignments: dict[str, Any] = field(default_factory=dict)

    def of(self, kind: str) -> list[Pair]:
        return [p for p in self.pairs if p.kind == kind]

    @property
    def label(self) -> str:
        return f"{self.group.code}/{self.transcript.filename}"

    def changed_refs(self) -> list[str]:
        return [self.comments[p.old_turn].ref for p in self.of("changed")]

    def removed_refs(self) -> list[str]:
        return [self.comments[p.old_turn].ref for p in self.of("removed")]

    def summary(self) -> str:
        kept, changed, removed, added = (
            len(self.of(k)) for k in ("same", "changed", "removed", "added")
        )
        return (
            f"{self.label} ← {self.path.name}: {kept} comment(s) unchanged, {changed} changed, "
            f"{removed} removed, {added} added"
        )


def plan_replace(
    store: Store,
    old: str,
    new: str | Path,
    encoding: str | None = None,
    roles: dict[str, str] | None = None,
) -> ReplacePlan:
    """Read and align ``new`` against the transcript ``old`` (file name, or CODE/FILE); changes
    nothing. Raises when the file cannot be read or is the same file."""
    from workbench.ingest.reading import parse_one, read_transcript_file
    from workbench.ingest.speaker_roles import role_assignments

    group, transcript = find_target(store, old)
    if transcript is None:
        raise WorkbenchError(
            f"{old!r} is a focus group; name one of its transcripts (`workbench transcripts list "
            "PROJECT`)"
        )
    path = Path(new)
    data = read_transcript_file(path)
    sha = content_hash(data)
    if sha == transcript.sha256:
        raise TranscriptError(
            f"{path}: the same bytes as {group.code}/{transcript.filename}; nothing to replace"
        )
    other = store.transcript_by_hash(sha)
    if other is not None:
        raise TranscriptError(
            f"{path}: already in the project as {other.filename} of group "
            f"{other.group_name!r}; remove that one first if this file should replace "
            f"{transcript.filename}"
        )
    assignments = role_assignments(None, roles or {}, store.roles())
    parsed = parse_one((data, str(path), encoding, frozenset(assignments)))
    if isinstance(parsed, WorkbenchError):
        raise parsed
    comments = [c for c in store.comments(group.id) if c.transcript == transcript.filename]
    pairs = align([c.text for c in comments], [t.text for t in parsed.turns])
    plan = ReplacePlan(group, transcript, path, data, sha, parsed, comments, pairs)
    touched = [comments[p.old_turn].id for p in pairs if p.kind in ("changed", "removed")]
    plan.coded = store.coders_of_comments(touched)
    plan.lost = store.codings_by_coder_on([comments[p.old_turn].id for p in plan.of("removed")])
    plan.assignments = assignments
    return plan


def replace_transcript(
    store: Store, plan: ReplacePlan, force: bool = False, actor: str | None = None
) -> dict[str, Any]:
    """Apply ``plan`` (see the module's docstring); refused while removed comments carry codings
    unless ``force``. Returns what was done, the changed refs and the backup's path."""
    actor = actor or default_actor()
    lost = sum(plan.lost.values())
    if lost and not force:
        refs = plan.removed_refs()
        raise WorkbenchError(
            f"{plan.summary()}; the removed comments "
            f"({', '.join(refs[:8])}{' ...' if len(refs) > 8 else ''}) carry {lost} coding(s) ("
            + ", ".join(f"{c} {n}" for c, n in plan.lost.items())
            + "), which would go. "
            "Add --force to replace it anyway (a backup is made first)"
        )
    backup = store.automatic_backup(f"replace {plan.label}")
    with store.transaction():
        if store.transcript_by_hash(plan.transcript.sha256) is None:
            raise WorkbenchError(
                f"{plan.label} was changed meanwhile (in another window); nothing was replaced"
            )
        added = _write(store, plan, actor)
        store.audit(
            "replace",
            "transcript",
            plan.label,
            before={"sha256": plan.transcript.sha256},
            after={
                "sha256": plan.sha256,
                "file": plan.path.name,
                "format": plan.parsed.format,
                "unchanged": len(plan.of("same")),
                "changed": plan.changed_refs(),
                "removed": plan.removed_refs(),
                "added": added,
                "codings_removed": plan.lost,
            },
            actor=actor,
            note=f"backup: {backup}",
        )
    return {
        "transcript": plan.label,
        "file": str(plan.path),
        "unchanged": len(plan.of("same")),
        "changed": [
            {
                "ref": plan.comments[p.old_turn].ref,
                "old": plan.comments[p.old_turn].text,
                "new": plan.parsed.turns[p.new_turn].text,
                "similarity": round(p.similarity, 2),
                "to_review": plan.coded.get(plan.comments[p.old_turn].id, []),
            }
            for p in plan.of("changed")
        ],
        "removed": plan.removed_refs(),
        "added": added,
        "codings_removed": plan.lost,
        "backup": str(backup),
    }


def _write(store: Store, plan: ReplacePlan, actor: str) -> list[str]:
    """The replacement's rows (inside its transaction); returns the refs of the new comments."""
    parsed, group = plan.parsed, plan.group
    from workbench.ingest.plan import speakers as planned_speakers

    roles = {r.key: r for r in store.roles()}
    existing = {s.label: s for s in store.speakers(group.id)}
    # Each speaker's role as an import would give it (roster and --role, tags, the header's
    # facilitator, the label, the group's earlier import).
    speakers: dict[str, tuple[int, str | None]] = {
        s.label: (store.ensure_speaker(group.id, s.label, s.role), s.role)
        for s in planned_speakers(parsed, plan.assignments, list(roles.values()), existing)
    }

    def turn_fields(j: int) -> dict[str, Any]:
        turn = parsed.turns[j]
        speaker_id, role = (
            speakers.get(turn.speaker, (None, None)) if turn.speaker else (None, None)
        )
        excluded = bool(role and roles[role].excluded)
        return {
            "position": j + 1,
            "speaker_id": speaker_id,
            "start_s": turn.start,
            "end_s": turn.end,
            "source_line": turn.line,
            "no_speaker": int(turn.speaker is None),
            "excluded": int(excluded),
            "excluded_reason": f"role {role}" if excluded else None,
        }

    removed = [plan.comments[p.old_turn].id for p in plan.of("removed")]
    store.delete_comments(removed)
    for pair in plan.pairs:
        if pair.old is None:
            continue
        comment = plan.comments[pair.old]
        if pair.new is None:
            continue
        fields = turn_fields(pair.new)
        if comment.excluded_reason and not comment.excluded_reason.startswith("role "):
            fields.pop("excluded"), fields.pop("excluded_reason")  # excluded by hand: stays so
        store.move_comment(comment.id, **fields)
        if pair.kind == "changed":
            text = parsed.turns[pair.new].text
            store.revise_comment(comment.id, text, word_count(text), REASON, actor)
            marked = [name for _ref, name in store.flag_unsure([comment.id])]
            store.audit(
                "revise",
                "comment",
                comment.ref,
                before={"text": comment.text},
                after={"text": text},
                actor=actor,
                note=f"{REASON} ({plan.path.name}); codings kept for review"
                + (f", marked not sure: {', '.join(marked)}" if marked else ""),
            )
    added = [p.new_turn for p in plan.of("added")]
    refs = []
    if added:
        first = store.take_comment_numbers(group.id, len(added))
        rows = []
        for k, j in enumerate(added):
            turn, fields = parsed.turns[j], turn_fields(j)
            refs.append(comment_ref(group.code, first + k))
            rows.append(
                (
                    refs[-1],
                    group.id,
                    plan.transcript.id,
                    fields["position"],
                    fields["speaker_id"],
                    turn.text,
                    word_count(turn.text),
                    turn.start,
                    turn.end,
                    turn.line,
                    fields["no_speaker"],
                    fields["excluded"],
                    fields["excluded_reason"],
                )
            )
        store.insert_comments(rows)
    store.update_transcript_content(
        plan.transcript.id, parsed.format, parsed.encoding, plan.sha256, plan.data
    )
    return refs
