"""Filters on attributes: ``--where condition=CF``, the coding screen's and reading views'
attribute filter, agreement and saturation on a part of the data.

A filter is one or more conditions, all of which a comment must meet: ``site=Leeds``
(one of several values: ``site=Leeds,York``), ``site!=Leeds``, and for numbers and dates
``age>=40``, ``<``, ``<=``, ``>``. Conditions on a participant attribute pick the comments of
the participants who have a matching value; on a focus-group attribute, the comments of
those groups; ``role`` and ``group`` are there in every project. A comment whose speaker or
group has no value does not meet a condition (``site!=Leeds`` included). Pure Python: the
coding screen's start path loads no pandas.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from workbench.errors import ParticipantError
from workbench.project.attributes import Attribute, canonical, sort_key
from workbench.store import Group, Store

_CONDITION = re.compile(r"^\s*(?P<name>[^=!<>]+?)\s*(?P<op>!=|>=|<=|=|<|>)\s*(?P<value>.*?)\s*$")
_ORDERED = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
HELP = (
    "a condition on an attribute: NAME=VALUE (several values: NAME=A,B), NAME!=VALUE, or for "
    "numbers and dates NAME<VALUE, <=, >, >=; e.g. --where condition=CF --where age>=40"
)


@dataclass(frozen=True)
class Condition:
    name: str  # the attribute's name, or "role" / "group"
    op: str
    values: tuple[str, ...]
    attribute: Attribute | None  # None for role and group

    def __str__(self) -> str:
        return f"{self.name}{self.op}{','.join(self.values)}"

    def holds(self, value: str | None) -> bool:
        if value is None:
            return False
        if self.op == "=":
            return value in self.values
        if self.op == "!=":
            return value not in self.values
        return bool(
            _ORDERED[self.op](
                sort_key(self.attribute, value), sort_key(self.attribute, self.values[0])
            )
        )


@dataclass(frozen=True)
class Where:
    """Conditions a comment must all meet (none: every comment)."""

    conditions: tuple[Condition, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.conditions)

    def __str__(self) -> str:
        return " and ".join(map(str, self.conditions))

    def comment_ids(self, store: Store) -> set[int] | None:
        """The ids of the comments that meet every condition (None: no conditions)."""
        if not self.conditions:
            return None
        speakers, groups = self._owners(store)
        return store.comment_ids_owned(speakers, groups)

    def speakers_and_groups(
        self, store: Store
    ) -> tuple[set[tuple[str, str]] | None, set[str] | None]:
        """(group code, speaker label) pairs and group codes that meet the conditions, for
        filtering a report frame (None: any)."""
        speakers, groups = self._owners(store)
        entries = {e.speaker_id: e for e in store.speaker_entries()}
        codes = {g.id: g.code for g in store.groups()}
        pairs = (
            None
            if speakers is None
            else {(entries[s].group_code, entries[s].label) for s in speakers}
        )
        return pairs, None if groups is None else {codes[g] for g in groups}

    def _owners(self, store: Store) -> tuple[set[int] | None, set[int] | None]:
        entries = store.speaker_entries()
        participant_values = store.participant_values()
        group_values = store.group_values()
        speakers: set[int] | None = None
        groups: set[int] | None = None
        by_group = {g.id: g for g in store.groups()}
        for condition in self.conditions:
            if condition.name == "group":
                chosen = {
                    gid
                    for gid, g in by_group.items()
                    if condition.holds(_group_value(condition, g))
                }
                groups = chosen if groups is None else groups & chosen
            elif condition.attribute is not None and condition.attribute.scope == "group":
                chosen = {
                    gid
                    for gid in by_group
                    if condition.holds(group_values.get(gid, {}).get(condition.name))
                }
                groups = chosen if groups is None else groups & chosen
            else:
                chosen = {
                    e.speaker_id
                    for e in entries
                    if condition.holds(
                        e.role
                        if condition.name == "role"
                        else participant_values.get(e.participant_id, {}).get(condition.name)
                    )
                }
                speakers = chosen if speakers is None else speakers & chosen
        return speakers, groups


def _group_value(condition: Condition, group: Group) -> str | None:
    """A group condition names the group by code or by name."""
    for value in condition.values:
        if value.casefold() in (group.code.casefold(), group.name.casefold()):
            return value
    return group.code


def parse(
    store: Store, texts: list[str] | tuple[str, ...], blind: bool = False, option: str = "--where"
) -> Where:
    """``["condition=CF", "age>=40"]`` → a :class:`Where`, checked against the declared
    attributes (a hidden one is refused while ``blind``) and their types."""
    conditions = []
    for text in texts:
        for part in _split(text):
            conditions.append(_condition(store, part, blind, option))
    return Where(tuple(conditions))


def _split(text: str) -> list[str]:
    """One text may hold several conditions joined by ';' or ' and '."""
    parts = re.split(r"\s*;\s*|\s+and\s+", text.strip())
    return [p for p in parts if p]


def _condition(store: Store, text: str, blind: bool, option: str) -> Condition:
    match = _CONDITION.match(text)
    if not match or not match["value"]:
        raise ParticipantError(f"{option} {text!r}: expected {HELP}")
    name, op, raw = " ".join(match["name"].split()), match["op"], match["value"]
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    if name.lower() in ("role", "group"):
        if op not in ("=", "!="):
            raise ParticipantError(f"{option} {text!r}: {name.lower()} takes = or !=")
        if name.lower() == "role":
            roles = {r.key.casefold(): r.key for r in store.roles()}
            unknown = [v for v in values if v.casefold() not in roles]
            if unknown:
                raise ParticipantError(
                    f"{option} {text!r}: no role {', '.join(unknown)} "
                    f"(roles: {', '.join(roles.values())})"
                )
            values = tuple(roles[v.casefold()] for v in values)
        else:
            groups = {k.casefold() for g in store.groups() for k in (g.code, g.name)}
            unknown = [v for v in values if v.casefold() not in groups]
            if unknown:
                codes = ", ".join(g.code for g in store.groups()) or "none yet"
                raise ParticipantError(
                    f"{option} {text!r}: no focus group {', '.join(unknown)} (groups: {codes})"
                )
        return Condition(name.lower(), op, values, None)
    attribute = store.attribute_named(name)
    visible = [a for a in store.attributes() if not (blind and a.hidden)]
    if attribute is None or (blind and attribute.hidden):
        names = ", ".join(["role", "group", *(a.name for a in visible)])
        raise ParticipantError(f"{option} {text!r}: no attribute {name!r} (attributes: {names})")
    if op in _ORDERED and attribute.type not in ("number", "date"):
        raise ParticipantError(
            f"{option} {text!r}: {op} compares numbers and dates; {attribute.name} is "
            f"{attribute.type}, so use = or !="
        )
    if op in _ORDERED and len(values) != 1:
        raise ParticipantError(f"{option} {text!r}: {op} takes one value")
    try:
        values = tuple(canonical(attribute, v) for v in values)
    except ParticipantError as exc:
        raise ParticipantError(f"{option} {text!r}: {exc}") from None
    return Condition(attribute.name, op, values, attribute)
