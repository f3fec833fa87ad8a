"""The sample described from participants and their attributes: how many people took part (a
person linked across groups counted once), who took part in more than one group, and each
attribute's values (counts per value, or for numbers the median and range). The methods
paragraph and the COREQ/SRQR items about participants say it in words (:func:`describe`).

A participant of the sample made at least one comment to code: facilitators and observers
(excluded roles) are not participants of the study.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from workbench.project.attributes import sort_key
from workbench.project.participants import Participant, participants
from workbench.store import Store

MAX_LISTED = 8  # more different values than this are counted, not listed


@dataclass(frozen=True)
class Sample:
    people: int
    speakers: int  # their speakers: one per group each spoke in
    linked: list[Participant] = field(default_factory=list)  # in more than one group
    participant_values: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # attribute → value → people
    group_values: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # attribute → value → groups
    missing: dict[str, int] = field(
        default_factory=dict
    )  # attribute → people or groups without a value
    groups: int = 0
    numbers: frozenset[str] = frozenset()  # the number attributes (a median and range, not counts)

    @property
    def described(self) -> bool:
        """Whether there is more to say than a count: links or attribute values."""
        return bool(self.linked or self.participant_values or self.group_values)


def sample(store: Store) -> Sample:
    people = [p for p in participants(store) if p.comments]
    groups = {s.group_id for p in people for s in p.speakers if s.comments}
    group_values = store.group_values()
    by_person: dict[str, dict[str, int]] = {}
    by_group: dict[str, dict[str, int]] = {}
    missing: dict[str, int] = {}
    for attribute in store.attributes():
        if attribute.scope == "participant":
            values = [p.values.get(attribute.name) for p in people]
            target = by_person
        else:
            values = [group_values.get(g, {}).get(attribute.name) for g in sorted(groups)]
            target = by_group
        counted: dict[str, int] = {}
        for value in sorted(
            (v for v in values if v is not None), key=lambda v: sort_key(attribute, v)
        ):
            counted[value] = counted.get(value, 0) + 1
        if counted:
            target[attribute.name] = counted
            missing[attribute.name] = sum(1 for v in values if v is None)
    numbers = frozenset(a.name for a in store.attributes() if a.type == "number")
    spoke = {p.id: [s for s in p.speakers if s.comments] for p in people}
    return Sample(
        len(people),
        sum(len(v) for v in spoke.values()),
        [p for p in people if len(spoke[p.id]) > 1],
        by_person,
        by_group,
        missing,
        len(groups),
        numbers,
    )


def _values(name: str, counted: dict[str, int], missing: int, number: bool, unit: str) -> str:
    if number:
        spread = [Decimal(v) for v, n in counted.items() for _ in range(n)]
        text = (
            f"{name}: median {_num(statistics.median(spread))} "
            f"(range {_num(min(spread))} to {_num(max(spread))})"
        )
    elif len(counted) > MAX_LISTED:
        text = f"{name}: {len(counted)} different values"
    else:
        text = f"{name}: " + ", ".join(f"{v} {n}" for v, n in counted.items())
    return text + (
        f", not recorded for {missing} {unit}{'' if missing == 1 else 's'}" if missing else ""
    )


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def attributes_sentence(s: Sample) -> str:
    """'Participants by condition: CF 1, IBD 2; age: median 35 (range 7 to 50). Focus groups by
    site: Leeds 1, York 1.' or '' without values."""
    parts = [
        _values(name, counted, s.missing.get(name, 0), name in s.numbers, "participant")
        for name, counted in s.participant_values.items()
    ]
    groups = [
        _values(name, counted, s.missing.get(name, 0), name in s.numbers, "group")
        for name, counted in s.group_values.items()
    ]
    text = ("Participants by " + "; ".join(parts) + ".") if parts else ""
    if groups:
        text += (" " if text else "") + "Focus groups by " + "; ".join(groups) + "."
    return text


def describe(s: Sample) -> str:
    """'4 people took part (1 of them in more than one focus group, counted once: Ann: FG1, FG2).
    Participants by ...' — empty when there is nothing more than the count to say."""
    if not s.described:
        return ""
    text = f"{s.people} {'person' if s.people == 1 else 'people'} took part"
    if s.linked:
        shown = "; ".join(f"{p.name}: {', '.join(p.groups)}" for p in s.linked[:5])
        more = ", ..." if len(s.linked) > 5 else ""
        text += (
            f" ({len(s.linked)} of them in more than one focus group, counted once: {shown}{more})"
        )
    more = attributes_sentence(s)
    return text + "." + (" " + more if more else "")
