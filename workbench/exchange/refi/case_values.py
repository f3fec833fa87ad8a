"""Placing a REFI-QDA file's variable values on the imported project's participants and focus
groups (:class:`Placement`, used by :func:`workbench.exchange.refi.cases.import_attributes`).

Values are gathered first (every case, source and document group), then each attribute is
declared once with its type (a Workbench declaration as written; another program's number
and date variables as such; its text variables by what their values show), every value is
checked against it, and all is written in one transaction with the links between cases of
one participant. What cannot be placed (a case whose speaker is not found, a value that does
not fit, two values for one group) is said, never dropped silently.
"""

from __future__ import annotations

from typing import Any

from workbench.errors import ParticipantError
from workbench.exchange.refi.cases import V_PARTICIPANT as V_PARTICIPANT_NAME
from workbench.exchange.refi.qdaxml import V_CASE_GROUP, V_SPEAKER
from workbench.project import participants as P
from workbench.project.attributes import Attribute, canonical, check_name, declared, infer
from workbench.store import Store


class Placement:
    def __init__(
        self,
        store: Store,
        variables: dict[str | None, dict[str, Any]],
        group_of: dict[str, dict[str, Any]],
    ):
        self.store, self.group_of = store, group_of
        self.declarations = {v["name"]: v for v in variables.values()}
        self.order = {v["name"]: n for n, v in enumerate(variables.values())}  # the file's order
        self.entries = store.speaker_entries()
        self.groups = {g.id: g for g in store.groups()}
        self.participant: dict[str, dict[str, str]] = {}  # attribute → speaker ref → value
        self.group: dict[str, dict[int, str]] = {}  # attribute → group id → value
        self.sets: dict[str, dict[int, str]] = {}  # from document groups
        self.links: dict[str, list[str]] = {}  # participant name → speaker refs
        self.notes: list[str] = []

    # -- gathering -----------------------------------------------------------------------

    def _groups_of(self, own: dict) -> set[int]:
        groups = {
            info["group"]
            for guid, info in self.group_of.items()
            if guid in own["sources"] or info["selections"] & own["selections"]
        }
        if own.get(V_CASE_GROUP):
            named = [
                gid
                for gid, g in self.groups.items()
                if g.name.casefold() == own[V_CASE_GROUP].casefold()
            ]
            groups = set(named) or groups
        return groups

    def case(self, values: dict[str, str], own: dict) -> None:
        """One case: its speaker (its Speaker variable, else a speaker of its sources named as
        the case), their values and the participant they are."""
        if not values and not own.get(V_PARTICIPANT_NAME):
            return
        groups = self._groups_of(own)
        label = (own.get(V_SPEAKER) or own["name"]).casefold()
        entries = [e for e in self.entries if e.group_id in groups and e.label.casefold() == label]
        if not entries:
            where = ", ".join(self.groups[g].code for g in sorted(groups)) or "no imported source"
            self.notes.append(
                f"Case {own['name']!r}: no speaker of that name in {where}; its values "
                f"({', '.join(f'{k}={v}' for k, v in values.items()) or 'none'}) were not imported"
            )
            return
        for entry in entries:
            for name, value in values.items():
                self.participant.setdefault(name, {})[entry.ref] = value
            if own.get(V_PARTICIPANT_NAME):
                self.links.setdefault(own[V_PARTICIPANT_NAME], []).append(entry.ref)

    def source(self, guid: str | None, name: str, values: dict[str, str]) -> None:
        info = self.group_of.get(guid) if guid is not None else None
        if info is None:
            return  # a source not imported (reported as skipped already)
        for attribute, value in values.items():
            self._group_value(self.group, attribute, info["group"], value, f"source {name!r}")

    def _group_value(
        self, target: dict, attribute: str, group_id: int, value: str, what: str
    ) -> None:
        held = target.setdefault(attribute, {})
        if held.get(group_id, value) != value:
            self.notes.append(
                f"{what}: {attribute} {value!r}, but its focus group "
                f"{self.groups[group_id].code} has {held[group_id]!r} from another; kept the "
                "first"
            )
            return
        held[group_id] = value

    def document_groups(self, sets: list[tuple[str, list[str | None]]], pattern) -> None:
        """ATLAS.ti's document groups named ``name: value`` as attributes of their documents'
        groups."""
        for name, members in sets:
            match = pattern.match(name)
            if not match or not members:
                continue
            attribute, value = match[1], match[2]
            placed = [
                self.group_of[m]["group"] for m in members if m is not None and m in self.group_of
            ]
            for group_id in placed:
                self._group_value(self.sets, attribute, group_id, value, f"document group {name!r}")
            missing = len(members) - len(placed)
            if missing:
                self.notes.append(
                    f"document group {name!r}: {missing} of its {len(members)} documents "
                    f"{'was' if missing == 1 else 'were'} not imported as transcripts (no focus "
                    "group takes the value there)"
                )

    # -- writing -------------------------------------------------------------------------

    def _attribute(self, name: str, scope: str, values: list[str]) -> Attribute | None:
        existing = self.store.attribute_named(name)
        if existing is not None:
            return existing if existing.scope == scope else None
        declaration = (self.declarations.get(name) or {}).get("declaration")
        if declaration:  # a Workbench export's own declaration
            return declared(
                name,
                declaration["of"],
                declaration["type"],
                declaration.get("choices", ()),
                declaration.get("hidden", False),
                declaration.get("description", ""),
            )
        kind = (self.declarations.get(name) or {}).get("type", "Text")
        if kind in ("Integer", "Float"):
            return declared(name, scope, "number")
        if kind in ("Date", "DateTime"):
            return declared(name, scope, "date")
        guess = infer(values)
        chosen = guess.type if guess.bad is None else "text"  # a mixed column stays text
        if chosen != "text":
            self.notes.append(
                f"variable {name!r} is text in the file; its values are all {chosen}s, so it is "
                f"a {chosen} attribute"
            )
        return declared(name, scope, chosen)

    def write(self) -> list[str]:
        said = []
        plans = [
            (self.order.get(raw, len(self.order)), scope, raw, values, origin)
            for scope, gathered, origin in (
                ("participant", self.participant, "variable"),
                ("group", self.group, "variable"),
                ("group", self.sets, "ATLAS.ti document groups"),
            )
            for raw, values in gathered.items()
        ]
        with self.store.transaction():
            for _, scope, raw, values, origin in sorted(plans, key=lambda p: p[0]):
                said += self._write_attribute(raw, scope, values, origin)
            for person, refs in self.links.items():
                said += self._link(person, refs)
        return said + self.notes

    def _write_attribute(self, raw: str, scope: str, values: dict, origin: str) -> list[str]:
        try:
            name = check_name(raw)
        except ParticipantError as exc:
            return [f"{origin} {raw!r}: not taken as an attribute ({exc})"]
        attribute = self._attribute(name, scope, list(values.values()))
        if attribute is None:
            return [
                f"{origin} {raw!r}: the project has an attribute {name} of other owners; not "
                "imported"
            ]
        out = []
        if self.store.attribute_named(attribute.name) is None:
            P.declare(self.store, attribute)
            out.append(
                f"attribute {attribute.name} (of {attribute.scope}s, {attribute.type}) "
                f"from the {origin}"
            )
        placed = 0
        for owner, value in values.items():
            try:
                text = canonical(attribute, value)
            except ParticipantError as exc:
                out.append(f"{origin} {raw!r} of {owner}: {exc}; not imported")
                continue
            where = (
                {"speaker": owner} if scope == "participant" else {"group": self.groups[owner].code}
            )
            placed += len(
                P.set_values(self.store, {attribute.name: text}, source="import", **where)
            )
        if placed:
            whose = "speakers' cases" if scope == "participant" else "focus groups"
            out.append(f"{attribute.name}: {placed} value(s) of {whose}")
        return out

    def _link(self, person: str, refs: list[str]) -> list[str]:
        refs = list(dict.fromkeys(refs))
        if len(refs) == 1:
            entry = P.find_speaker(self.store, refs[0])
            if person.casefold() != entry.ref.casefold():
                P.rename(self.store, refs[0], person)
            return []
        try:
            P.link(self.store, refs, person)
        except ParticipantError as exc:
            return [f"participant {person!r} ({', '.join(refs)}): not linked ({exc})"]
        return [f"participant {person}: {', '.join(refs)} linked as one person"]
