"""Fixing who said what after an import: a label renamed, two labels merged into one
speaker, one comment given another speaker. One use-case function per fix, called by
``workbench speakers`` and the app's whole-transcript view alike; each is one transaction
with its audit row. Moving a coded comment to another speaker changes what the coders
coded (who said it decides its role, and whether it is coded at all), so it needs
``force``: the codings are kept, and the audit row names whose they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.errors import ParticipantError, ProjectError, RosterError
from workbench.plain import printable
from workbench.project.roles import role_from_label
from workbench.store import Speaker, Store

_LONGEST = 100


@dataclass(frozen=True)
class SpeakerFix:
    """What a fix did, in a sentence for the user; ``coded``: coded comments it moved."""

    message: str
    coded: int = 0


def rename_speaker(store: Store, group: str, old: str, new: str) -> SpeakerFix:
    """Call speaker ``old`` of ``group`` ``new`` (its comments, role and codings stay)."""
    code, group_id = _group(store, group)
    new = _label(new, "--rename")
    with store.transaction():
        speakers = store.speakers(group_id)
        speaker = _speaker(speakers, old, group, f"--rename {old}={new}")
        clash = next(
            (s for s in speakers if s.id != speaker.id and _key(s.label) == _key(new)), None
        )
        if clash is not None:
            raise ProjectError(
                f"--rename {old}={new}: {clash.label!r} already speaks in {group!r}; to make them "
                f"one speaker, merge them: --merge {speaker.label}={clash.label}"
            )
        if speaker.label == new:
            return SpeakerFix(f"{new!r} is already called so in {code}; nothing to do")
        store.rename_speaker(speaker.id, new)
        store.audit("rename", "speaker", f"{code}/{speaker.label}", before=speaker.label, after=new)
    return SpeakerFix(
        f"renamed {speaker.label!r} to {new!r} in {code} ({speaker.comments} comment(s))"
    )


def merge_speakers(
    store: Store, group: str, source: str, target: str, force: bool = False
) -> SpeakerFix:
    """Make ``source``'s comments ``target``'s and drop ``source`` (one person under two labels).
    ``target`` keeps its role (or takes ``source``'s if it has none); the moved comments are
    excluded or not by that role."""
    code, group_id = _group(store, group)
    with store.transaction():
        speakers = store.speakers(group_id)
        option = f"--merge {source}={target}"
        moving, staying = (
            _speaker(speakers, source, group, option),
            _speaker(speakers, target, group, option),
        )
        if moving.id == staying.id:
            raise ProjectError(f"--merge {source}={target}: both name the speaker {moving.label!r}")
        ids = store.speaker_comment_ids(moving.id)
        coded = store.coders_of_comments(ids)
        _check_force(
            coded,
            force,
            option,
            f"{len(coded)} of the comments of {moving.label!r} are coded",
            moving.label,
        )
        role = staying.role_key or moving.role_key
        if role != staying.role_key:
            store.set_speaker_role(staying.id, role)
        carried = _one_person(store, moving.id, staying.id, option)
        store.move_comments(ids, staying.id)
        store.delete_speaker(moving.id)
        store.audit(
            "merge",
            "speaker",
            f"{code}/{moving.label}",
            before={"label": moving.label, "role": moving.role_key, "comments": len(ids)},
            after={"label": staying.label, "role": role, **carried},
            note=_note(coded),
        )
    return SpeakerFix(
        f"merged {moving.label!r} into {staying.label!r} in {code}: {len(ids)} comment(s) moved"
        + (f", {len(coded)} of them coded (codings kept)" if coded else "")
        + (f"; {staying.label!r} takes the role {role}" if role != staying.role_key else ""),
        len(coded),
    )


def set_comment_speaker(store: Store, ref: str, label: str, force: bool = False) -> SpeakerFix:
    """Give the comment ``ref`` the speaker ``label`` of its group (a new speaker if no label
    of the group matches in any case or spacing; its role then from the label, if it names one)."""
    label = _label(label, "--speaker")
    with store.transaction():
        comment = store.comment_speaker(ref)
        if comment is None:
            raise ProjectError(f"--comment {ref}: no such comment (refs look like FG1-006)")
        group_code = comment.ref.rsplit("-", 1)[0]
        speakers = store.speakers(comment.group_id)
        target = _match(speakers, label)
        if target is not None and target.id == comment.speaker_id:
            return SpeakerFix(
                f"{comment.ref}: its speaker is already {target.label!r}; nothing to do"
            )
        coded = store.coders_of_comments([comment.id])
        _check_force(
            coded, force, f"--comment {comment.ref}", f"{comment.ref} is coded", comment.speaker
        )
        created = target is None
        if target is None:
            role = role_from_label(label, store.roles())
            speaker_id = store.add_speaker(comment.group_id, label, role.key if role else None)
        else:
            speaker_id, label = target.id, target.label
        store.move_comments([comment.id], speaker_id)
        old = comment.speaker_id
        emptied = old is not None and not store.speaker_comment_ids(old)
        # A speaker left without comments is kept if something was recorded about them.
        kept = old is not None and emptied and not store.delete_speaker_unless_recorded(old)
        store.audit(
            "set_speaker",
            "comment",
            comment.ref,
            before=comment.speaker,
            after=label,
            note="; ".join(
                filter(
                    None,
                    [
                        _note(coded),
                        f"new speaker {label!r}" if created else "",
                        f"{comment.speaker!r} has no comment left"
                        + (" (kept: a value, name or link is recorded)" if kept else "")
                        if emptied
                        else "",
                    ],
                )
            ),
        )
    said = (
        f"{comment.ref}: speaker {label!r} (was {comment.speaker!r})"
        if comment.speaker
        else f"{comment.ref}: speaker {label!r} (it had none)"
    )
    if coded:
        said += f"; coded by {', '.join(_who(coded))}: codings kept"
    if created:
        said += f"; {label!r} is a new speaker in {group_code}" + (
            "" if role else ": give a role with --set"
        )
    return SpeakerFix(said, len(coded))


def _one_person(store: Store, moving_id: int, staying_id: int, option: str) -> dict[str, Any]:
    """Two labels of one person: what was recorded about the speaker going (attribute values,
    the participant's name, links to other groups' speakers) goes to the one staying. Values
    that differ are refused, as linking refuses them; what was carried, for the audit row."""
    entries = {e.speaker_id: e for e in store.speaker_entries()}
    gone, kept = entries[moving_id], entries[staying_id]
    if gone.participant_id == kept.participant_id:
        return {}
    values = store.participant_values()
    theirs, ours = values.get(gone.participant_id, {}), values.get(kept.participant_id, {})
    for name in sorted(theirs.keys() & ours.keys()):
        if theirs[name] != ours[name]:
            raise ParticipantError(
                f"{option}: {gone.ref} and {kept.ref} have different {name} "
                f"({theirs[name]!r}, {ours[name]!r}); make them agree (`workbench participants "
                "set`) before merging. Nothing was changed."
            )
    others = [
        e for e in entries.values() if e.participant_id == gone.participant_id and e is not gone
    ]
    linked = {e.group_id: e for e in entries.values() if e.participant_id == kept.participant_id}
    both = [(e, linked[e.group_id]) for e in others if e.group_id in linked]
    if both:
        raise ParticipantError(
            f"{option}: {gone.ref} is linked to {both[0][0].ref} and {kept.ref} to "
            f"{both[0][1].ref}, two people of one group; unlink one first (`workbench "
            "participants unlink`). Nothing was changed."
        )
    for entry in others:
        store.move_speaker(entry.speaker_id, kept.participant_id)
    added = {name: value for name, value in theirs.items() if name not in ours}
    for name, value in added.items():
        store.set_participant_value(kept.participant_id, name, value)
    carried: dict[str, Any] = {"values": added} if added else {}
    if gone.participant_name and not kept.participant_name:
        store.name_participant(gone.participant_id, None)  # names are unique
        store.name_participant(kept.participant_id, gone.participant_name)
        carried["participant"] = gone.participant_name
    if others:
        carried["linked"] = [e.ref for e in others]
    return carried


def _group(store: Store, group: str) -> tuple[str, int]:
    row = store.group_by_name(group)
    if row is None:
        names = ", ".join(f"{g.code} ({g.name})" for g in store.groups()) or "none"
        raise ProjectError(f"--group {group!r}: no such focus group (groups: {names})")
    return row.code, row.id


def _key(label: str) -> str:
    return " ".join(label.casefold().split())


def _match(speakers: list[Speaker], label: str) -> Speaker | None:
    """The speaker called ``label``: exactly, else the one label equal to it in any case and
    spacing."""
    exact = [s for s in speakers if s.label == label]
    loose = [s for s in speakers if _key(s.label) == _key(label)]
    return exact[0] if exact else loose[0] if len(loose) == 1 else None


def _speaker(speakers: list[Speaker], label: str, group: str, option: str) -> Speaker:
    found = _match(speakers, label)
    if found is None:
        names = ", ".join(repr(s.label) for s in speakers) or "none"
        raise RosterError(
            f"{option}: no speaker {label!r} in {group!r} (speakers: {names}); fix the spelling"
        )
    return found


def _label(label: str, option: str) -> str:
    label = " ".join(label.split())
    if not label or len(label) > _LONGEST or printable(label) != label:
        raise ProjectError(
            f"{option} {label!r}: a speaker label is 1-{_LONGEST} printable characters"
        )
    return label


def _who(coded: dict[int, list[str]]) -> list[str]:
    """The coders of ``coded``, the agreed coding by that name."""
    return sorted(
        {
            "the agreed coding" if name == "agreed" else name
            for names in coded.values()
            for name in names
        }
    )


def _check_force(
    coded: dict[int, list[str]], force: bool, option: str, what: str, speaker: str | None
) -> None:
    if coded and not force:
        said = f"as words of {speaker!r}" if speaker else "as words without a speaker"
        raise ProjectError(
            f"{option}: {what} (by {', '.join(_who(coded))}), {said}. Add --force to change who "
            "said it and keep the codings (recorded in the audit trail). Nothing was changed."
        )


def _note(coded: dict[int, list[str]]) -> str | None:
    if not coded:
        return None
    who = _who(coded)
    return f"forced: {len(coded)} coded comment(s), codings by {', '.join(who)} kept"


def comment_coders(store: Store, ref: str) -> list[str]:
    """Who coded the comment ``ref`` (asked before its speaker changes)."""
    comment = store.comment_speaker(ref)
    return _who(store.coders_of_comments([comment.id])) if comment else []


def speaker_coders(store: Store, group: str, label: str) -> list[str]:
    """Who coded comments of speaker ``label`` of ``group`` (asked before a merge moves them)."""
    _code, group_id = _group(store, group)
    found = _match(store.speakers(group_id), label)
    return _who(store.coders_of_comments(store.speaker_comment_ids(found.id))) if found else []


def group_labels(store: Store, group: str) -> list[str]:
    """The speaker labels of ``group``, in the order they first speak."""
    return [s.label for s in store.speakers(_group(store, group)[1])]
