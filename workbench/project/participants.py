"""Participants and their attributes: the use cases behind ``workbench participants``, the
participants screen, the roster's extra columns and the participant sheet.

A speaker of a focus group is a participant; one person who spoke in two groups is one
participant once their speakers are linked (``link``), so counts of people are right.
Attributes are declared (:mod:`workbench.project.attributes`) and every value is checked
against its type before it is written; each change is audited, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from workbench.errors import ParticipantError
from workbench.project.attributes import Attribute, canonical, declared, retyped
from workbench.store import Group, Store
from workbench.store.participants import SpeakerEntry


@dataclass(frozen=True)
class Participant:
    """One person: their speakers (one per focus group they spoke in) and attribute values."""

    id: int
    name: str  # as shown: their name, else their first speaker's FG1/label
    named: bool
    speakers: tuple[SpeakerEntry, ...]
    values: dict[str, str] = field(default_factory=dict)

    @property
    def comments(self) -> int:
        return sum(s.comments for s in self.speakers)

    @property
    def groups(self) -> list[str]:
        return [s.group_code for s in self.speakers]


def participants(store: Store) -> list[Participant]:
    """Every participant, in the order their first speaker appears (group, then speaking order)."""
    values = store.participant_values()
    speakers: dict[int, list[SpeakerEntry]] = {}
    for entry in store.speaker_entries():
        speakers.setdefault(entry.participant_id, []).append(entry)
    return [
        Participant(
            pid,
            entries[0].participant_name or entries[0].ref,
            entries[0].participant_name is not None,
            tuple(entries),
            values.get(pid, {}),
        )
        for pid, entries in speakers.items()
    ]


def find_speaker(store: Store, ref: str) -> SpeakerEntry:
    """A speaker named as ``GROUP/label`` (group code or name), or a participant's name when
    it has one speaker; else a message listing how to name them."""
    text = " ".join(ref.split())
    entries = store.speaker_entries()
    for entry in entries:
        for group in (entry.group_code, entry.group_name):
            if text.casefold() == f"{group}/{entry.label}".casefold():
                return entry
    named = [
        e
        for e in entries
        if e.participant_name and e.participant_name.casefold() == text.casefold()
    ]
    if len(named) == 1:
        return named[0]
    if named:
        raise ParticipantError(
            f"participant {ref!r} spoke in {', '.join(e.group_code for e in named)}: "
            f"name one speaker, e.g. {named[0].ref}"
        )
    shown = ", ".join(e.ref for e in entries[:6]) + (", ..." if len(entries) > 6 else "")
    raise ParticipantError(
        f"no speaker {ref!r}: name a speaker as GROUP/label ({shown or 'none yet'}; "
        "`workbench participants list PROJECT` lists them)"
    )


def find_group(store: Store, group: str) -> Group:
    if (row := store.group_by_name(group.strip())) is None:
        names = ", ".join(g.code for g in store.groups()) or "none yet"
        raise ParticipantError(f"no focus group {group!r} (groups: {names})")
    return row


def attribute(store: Store, name: str) -> Attribute:
    found = store.attribute_named(" ".join(name.split()))
    if found is None:
        names = ", ".join(a.name for a in store.attributes()) or "none yet"
        raise ParticipantError(
            f"no attribute {name!r} (attributes: {names}); declare it with "
            "`workbench participants attribute PROJECT NAME --type ...`"
        )
    return found


# -- declaring attributes ----------------------------------------------------------------------


def declare(store: Store, attribute_: Attribute, actor: str | None = None) -> Attribute:
    """Declare a new attribute (checked by :func:`workbench.project.attributes.declared`)."""
    with store.transaction():
        existing = store.attribute_named(attribute_.name)
        if existing is not None:
            raise ParticipantError(
                f"attribute {existing.name} exists already (of {existing.scope}s, "
                f"{existing.type}); change it with `workbench participants attribute`"
            )
        made = store.add_attribute(attribute_)
        store.audit("declare", "attribute", made.name, after=_declaration(made), actor=actor)
    return made


def change(
    store: Store,
    name: str,
    kind: str | None = None,
    choices: list[str] | None = None,
    hidden: bool | None = None,
    rename: str | None = None,
    description: str | None = None,
    actor: str | None = None,
) -> Attribute:
    """Change an attribute's type, list, visibility, name or description. Its values are
    converted to the new type first; one that cannot be is refused by owner and value."""
    with store.transaction():
        old = attribute(store, name)
        values = store.attribute_values(old.name)
        kind = kind or old.type
        if choices is None and kind == "choice" and old.type != "choice":
            choices = sorted(set(values.values()), key=str.casefold)
        if choices is None:
            choices = list(old.choices) if kind == "choice" else []
        new = retyped(old, kind, tuple(choices))
        new = replace(
            new,
            hidden=old.hidden if hidden is None else hidden,
            description=old.description if description is None else description.strip(),
        )
        if rename:
            new = replace(new, name=declared(rename, old.scope, "text").name)
            if new.name.casefold() != old.name.casefold() and store.attribute_named(new.name):
                raise ParticipantError(
                    f"--rename {rename!r}: there is an attribute of that name already"
                )
        converted: dict[int, str] = {}
        bad = []
        for owner, value in values.items():
            try:
                if (now := canonical(new, value)) is not None:  # a stored value is never empty
                    converted[owner] = now
            except ParticipantError as exc:
                bad.append(f"{_owner(store, old.scope, owner)}: {exc}")
        if bad:
            raise ParticipantError(
                f"attribute {old.name}: {len(bad)} value(s) do not fit "
                f"the change: " + "; ".join(bad[:5]) + ". Nothing was changed."
            )
        store.update_attribute(old.name, new)
        store.replace_attribute_values(new.name, converted)
        store.audit(
            "change",
            "attribute",
            old.name,
            before=_declaration(old),
            after=_declaration(new),
            actor=actor,
        )
    return attribute(store, new.name)


def remove(store: Store, name: str, actor: str | None = None) -> int:
    """Remove an attribute and its values (kept in the audit row); return how many went."""
    with store.transaction():
        old = attribute(store, name)
        values = store.attribute_values(old.name)
        store.delete_attribute(old.name)
        store.audit(
            "remove",
            "attribute",
            old.name,
            before={
                **_declaration(old),
                "values": {
                    _owner(store, old.scope, owner): value for owner, value in values.items()
                },
            },
            actor=actor,
        )
    return len(values)


def _declaration(a: Attribute) -> dict[str, Any]:
    return {
        "scope": a.scope,
        "type": a.type,
        "choices": list(a.choices),
        "hidden": a.hidden,
        "description": a.description,
    }


def _owner(store: Store, scope: str, owner: int) -> str:
    if scope == "group":
        return next((g.code for g in store.groups() if g.id == owner), str(owner))
    return next((p.name for p in participants(store) if p.id == owner), str(owner))


# -- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One value written: whose (``FG1/Ruth`` or a group code), which attribute, before, after."""

    owner: str
    attribute: str
    before: str | None
    after: str | None


def set_values(
    store: Store,
    values: dict[str, object],
    speaker: str | None = None,
    group: str | None = None,
    actor: str | None = None,
    source: str = "set",
) -> list[Change]:
    """Set attribute values of one participant (through a speaker of theirs) or one focus
    group; an empty value clears. All or nothing, each change audited."""
    if (speaker is None) == (group is None):
        raise ParticipantError("name a speaker (GROUP/label) or a focus group (--group), not both")
    with store.transaction():
        entry = find_speaker(store, speaker) if speaker else None
        group_row = find_group(store, group) if group else None  # None: a speaker's values
        group_id, code = (group_row.id, group_row.code) if group_row else (0, "")
        changes = []
        current = (
            store.participant_values().get(entry.participant_id, {})
            if entry
            else store.group_values().get(group_id, {})
        )
        for name, raw in values.items():
            attr = attribute(store, name)
            if entry and attr.scope == "group":
                raise ParticipantError(
                    f"{attr.name} is an attribute of focus groups: set it with "
                    f"--group {entry.group_code}"
                )
            if group_row and attr.scope == "participant":
                raise ParticipantError(
                    f"{attr.name} is an attribute of participants: name a speaker "
                    f"of {code} as {code}/label"
                )
            owner = entry.ref if entry else code
            try:
                value = canonical(attr, raw)
            except ParticipantError as exc:
                raise ParticipantError(f"{owner}: {exc}") from None
            before = current.get(attr.name)
            if before == value:
                continue
            if entry:
                store.set_participant_value(entry.participant_id, attr.name, value)
            else:
                store.set_group_value(group_id, attr.name, value)
            changes.append(Change(owner, attr.name, before, value))
            store.audit(
                source,
                "attribute_value",
                f"{owner}:{attr.name}",
                before=before,
                after=value,
                actor=actor,
            )
    return changes


# -- linking ---------------------------------------------------------------------------------


def link(
    store: Store, refs: list[str], name: str | None = None, actor: str | None = None
) -> Participant:
    """Make the named speakers one participant (one person who spoke in several groups). Their
    values are merged; two different values of one attribute are refused, naming both."""
    if len(refs) < 2 and name is None:
        raise ParticipantError(
            "link needs two speakers or more (GROUP/label ...), or --as NAME to name one"
        )
    with store.transaction():
        named = [find_speaker(store, ref) for ref in refs]
        # Every speaker of the participants named (one already linked brings its other groups).
        wanted = list(dict.fromkeys(e.participant_id for e in named))
        every = store.speaker_entries()
        entries = [e for pid in wanted for e in every if e.participant_id == pid]
        groups = [e.group_code for e in entries]
        twice = sorted({g for g in groups if groups.count(g) > 1})
        if twice:
            raise ParticipantError(
                f"two speakers of {', '.join(twice)} are two people in that group, not one; if "
                "one label is "
                "a misspelling of the other, fix the transcript's speaker instead"
            )
        values = store.participant_values()
        first = entries[0]
        merged = dict(values.get(first.participant_id, {}))
        for entry in entries[1:]:
            for attr, value in values.get(entry.participant_id, {}).items():
                if merged.setdefault(attr, value) != value:
                    raise ParticipantError(
                        f"{first.ref} and {entry.ref} have different {attr} "
                        f"({merged[attr]!r}, {value!r}); "
                        "make them agree (`workbench participants set`) before linking"
                    )
        names = [e.participant_name for e in entries if e.participant_name]
        chosen = name.strip() if name else (names[0] if names else _default_name(entries))
        holder = store.participant_named(chosen)
        if holder is not None and holder not in {e.participant_id for e in entries}:
            raise ParticipantError(
                f"--as {chosen!r}: another participant has that name; choose another"
            )
        target = first.participant_id
        for entry in entries[1:]:
            if entry.participant_id != target:
                store.move_speaker(entry.speaker_id, target)
        if holder is not None and holder != target:
            store.name_participant(holder, None)  # the name moves to the linked participant
        store.name_participant(target, chosen)
        for attr, value in merged.items():
            store.set_participant_value(target, attr, value)
        store.audit(
            "link",
            "participant",
            chosen,
            after={"speakers": [e.ref for e in entries], "values": merged},
            actor=actor,
        )
    return next(p for p in participants(store) if p.id == target)


def _default_name(entries: list[SpeakerEntry]) -> str:
    """The label when every speaker has the same one ("Ruth" in FG4 and FG5), else the first's
    ref."""
    labels = {e.label for e in entries}
    return entries[0].label if len(labels) == 1 else entries[0].ref


def unlink(store: Store, ref: str, actor: str | None = None) -> Participant:
    """Make a linked speaker a participant of their own again, keeping a copy of the values."""
    with store.transaction():
        entry = find_speaker(store, ref)
        others = [e for e in store.speaker_entries() if e.participant_id == entry.participant_id]
        if len(others) == 1:
            raise ParticipantError(f"{entry.ref} is not linked to another group's speaker")
        values = store.participant_values().get(entry.participant_id, {})
        new_id = store.new_participant(entry.speaker_id)
        for attr, value in values.items():
            store.set_participant_value(new_id, attr, value)
        store.audit(
            "unlink",
            "participant",
            entry.ref,
            before={"participant": entry.participant_name},
            after={"values": values},
            actor=actor,
        )
    return next(p for p in participants(store) if p.id == new_id)


def rename(store: Store, ref: str, name: str | None, actor: str | None = None) -> Participant:
    """Name (or, with None, unname) the participant a speaker is."""
    with store.transaction():
        entry = find_speaker(store, ref)
        new = " ".join(name.split()) if name else None
        if new is not None:
            holder = store.participant_named(new)
            if holder is not None and holder != entry.participant_id:
                raise ParticipantError(
                    f"another participant is called {new!r}; choose another name"
                )
        store.name_participant(entry.participant_id, new)
        store.audit(
            "rename",
            "participant",
            entry.ref,
            before=entry.participant_name,
            after=new,
            actor=actor,
        )
    return next(p for p in participants(store) if p.id == entry.participant_id)
