"""Participants' and focus groups' attributes as REFI-QDA variables, both ways.

Export (:class:`Attributes`, called from :mod:`.export`): each declared attribute is a
``Variable`` (text and choice ``Text``, number ``Integer`` or ``Float``, date ``Date``; its
declaration, e.g. a choice's list, in the ``Description``); an attribute of participants is
a ``VariableValue`` of each speaker's ``Case``, with the variable ``Participant`` naming the
person where they have a name (two cases with one name are one person who spoke in two
groups); an attribute of focus groups is a ``VariableValue`` of the group's ``TextSource``
(QualCoder makes a variable either a case's or a file's, as MAXQDA's document variables are).

Import (:func:`read_attributes` while the XML is read, :func:`place_attributes` from
:mod:`.importer` once the sources are focus groups): the variables other than Workbench's
own become attributes (a Workbench declaration in the ``Description`` is taken as it is;
another program's ``Text`` variable gets the type its values show, and the report says so),
case values go to the speaker the case is (its Speaker variable, else a speaker of its
sources named as the case), source values to the source's focus group, and cases sharing a
Participant name are linked. ATLAS.ti's document groups named ``name: value`` (``gender:
male``) become attributes of the groups of their documents unless declined. Every value
placed, and every one that could not be, is in the report.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.exchange.refi.qdaxml import (
    V_CASE_GROUP,
    V_CODE,
    V_DATE,
    V_FILE,
    V_GROUP,
    V_KIND,
    V_ROLE,
    V_SPEAKER,
    V_STAKEHOLDERS,
    child_named,
    children_named,
    elements_of,
    local_name,
    norm_guid,
    subelement,
)
from workbench.store import Store

V_PARTICIPANT = "Participant"
OWN = {
    V_GROUP,
    V_CODE,
    V_KIND,
    V_DATE,
    V_STAKEHOLDERS,
    V_FILE,
    V_SPEAKER,
    V_ROLE,
    V_CASE_GROUP,
    V_PARTICIPANT,
}
_DECLARATION = "Workbench attribute: "
_SET_NAME = re.compile(r"^\s*([^:]+?)\s*:\s*(\S.*?)\s*$")
_VALUE_TAGS = {
    "TextValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
    "BooleanValue",
}


class Attributes:
    """The project's attributes as the export writes them."""

    def __init__(self, store: Store, variables: ET.Element, ns: str, guid):
        self.ns = ns
        self.declared = store.attributes()
        self.guid = {a.name: guid("variable", "attribute", a.name.lower()) for a in self.declared}
        self.participant_guid = guid("variable", V_PARTICIPANT)
        self.people = {(e.group_code, e.label): e for e in store.speaker_entries()}
        self.participant_values = store.participant_values()
        self.group_values = store.group_values()
        self.kind = {}
        for a in self.declared:
            values = store.attribute_values(a.name).values()
            integral = all(v.lstrip("+-").isdigit() for v in values)
            self.kind[a.name] = {"number": "Integer" if integral else "Float", "date": "Date"}.get(
                a.type, "Text"
            )
            variable = subelement(
                variables,
                ns,
                "Variable",
                guid=self.guid[a.name],
                name=a.name,
                typeOfVariable=self.kind[a.name],
            )
            subelement(
                variable,
                ns,
                "Description",
                _DECLARATION
                + json.dumps(
                    {
                        "of": a.scope,
                        "type": a.type,
                        "choices": list(a.choices),
                        "hidden": a.hidden,
                        "description": a.description,
                    },
                    ensure_ascii=False,
                ),
            )
        # Participant only where someone named or linked one (else each case is its own person).
        self.named = any(e.participant_name for e in self.people.values())
        if self.named:
            subelement(
                variables,
                ns,
                "Variable",
                guid=self.participant_guid,
                name=V_PARTICIPANT,
                typeOfVariable="Text",
            )

    def _value(self, parent: ET.Element, name: str, value: str, kind: str, guid: str) -> None:
        element = subelement(parent, self.ns, "VariableValue")
        subelement(element, self.ns, "VariableRef", targetGUID=guid)
        subelement(
            element,
            self.ns,
            {"Integer": "IntegerValue", "Float": "FloatValue", "Date": "DateValue"}.get(
                kind, "TextValue"
            ),
            value,
        )

    def source_values(self, source: ET.Element, group_id: int) -> None:
        """The focus group's attributes on one of its sources."""
        values = self.group_values.get(group_id, {})
        for a in self.declared:
            if a.scope == "group" and a.name in values:
                self._value(source, a.name, values[a.name], self.kind[a.name], self.guid[a.name])

    def case_values(self, case: ET.Element, group_code: str, label: str) -> None:
        """The speaker's participant and their attributes on the speaker's case."""
        entry = self.people.get((group_code, label))
        if entry is None:
            return
        if entry.participant_name:
            self._value(case, V_PARTICIPANT, entry.participant_name, "Text", self.participant_guid)
        values = self.participant_values.get(entry.participant_id, {})
        for a in self.declared:
            if a.scope == "participant" and a.name in values:
                self._value(case, a.name, values[a.name], self.kind[a.name], self.guid[a.name])


# -- import ----------------------------------------------------------------------------------


def _variables(root: ET.Element) -> dict[str | None, dict[str, Any]]:
    """guid → {name, type, declaration} of the file's variables other than Workbench's own."""
    out: dict[str | None, dict[str, Any]] = {}
    for v in children_named(child_named(root, "Variables"), "Variable"):
        name = (v.get("name") or "").strip()
        if not name or name in OWN:
            continue
        described = child_named(v, "Description")
        description = (described.text or "") if described is not None else ""
        declaration = None
        if description.startswith(_DECLARATION):
            try:
                declaration = json.loads(description[len(_DECLARATION) :])
            except ValueError:
                declaration = None
        out[norm_guid(v.get("guid"))] = {
            "name": name,
            "type": (v.get("typeOfVariable") or "Text").strip(),
            "declaration": declaration,
        }
    return out


def _values(element: ET.Element, variables: dict[str | None, dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in children_named(element, "VariableValue"):
        ref = child_named(value, "VariableRef")
        variable = variables.get(norm_guid(ref.get("targetGUID")) if ref is not None else None)
        if variable is None:
            continue
        for child in elements_of(value):
            text = (child.text or "").strip()
            if local_name(child) in _VALUE_TAGS and text:
                out[variable["name"]] = text[:10] if local_name(child) == "DateTimeValue" else text
    return out


@dataclass
class FileAttributes:
    """What a project.qde says about attributes, read while its XML is at hand (the import
    places it once the sources are focus groups: :func:`place_attributes`)."""

    # (a GUID is None where an element has none, or not a valid one)
    # guid → name, type, Workbench declaration (other than Workbench's own)
    variables: dict[str | None, dict[str, Any]]
    # (values, the case's own: Speaker, group, Participant, name, refs)
    cases: list[tuple[dict[str, str], dict[str, Any]]]
    sources: list[tuple[str | None, str, dict[str, str]]]  # (source guid, name, values)
    sets: list[tuple[str, list[str | None]]]  # (set name, member source guids)


def read_attributes(root: ET.Element) -> FileAttributes:
    variables = _variables(root)
    names = {
        norm_guid(v.get("guid")): (v.get("name") or "").strip()
        for v in children_named(child_named(root, "Variables"), "Variable")
    }
    cases = [
        (_values(case, variables), _own_values(case, names))
        for case in children_named(child_named(root, "Cases"), "Case")
    ]
    sources = [
        (norm_guid(e.get("guid")), e.get("name") or "", _values(e, variables))
        for e in _source_elements(root)
    ]
    sets = [
        (
            (e.get("name") or "").strip(),
            [norm_guid(m.get("targetGUID")) for m in children_named(e, "MemberSource")],
        )
        for e in children_named(child_named(root, "Sets"), "Set")
    ]
    return FileAttributes(variables, cases, [s for s in sources if s[2]], sets)


def is_attribute_set(name: str, members: Sequence[str | None]) -> bool:
    """A document group named ``name: value`` (ATLAS.ti's way of giving documents a variable),
    which the import offers as an attribute of its documents' focus groups."""
    return bool(members) and _SET_NAME.match(name) is not None


def attribute_sets(data: FileAttributes) -> list[str]:
    """The names of the file's document groups that are attributes (:func:`is_attribute_set`)."""
    return [name for name, members in data.sets if is_attribute_set(name, members)]


def source_groups(store: Store, placed: list[tuple[str, list[int], set[str]]]) -> dict[str, dict]:
    """Source GUID → {group id, selection GUIDs}, from each imported source's (guid, comment ids,
    selection GUIDs)."""
    ids = {g.code: g.id for g in store.groups()}
    group_of_comment = {c.id: ids[c.group_code] for c in store.comments()}
    return {
        guid: {"group": group_of_comment[comments[0]], "selections": selections}
        for guid, comments, selections in placed
        if comments and comments[0] in group_of_comment
    }


def place_attributes(
    store: Store, data: FileAttributes, groups: dict[str, dict], sets: bool = True
) -> list[str]:
    """Declare the attributes and write the values on the speakers and groups of the imported
    sources (and ATLAS.ti's ``name: value`` document groups, unless ``sets`` is False); return
    what was done, for the report."""
    from workbench.exchange.refi.case_values import Placement

    placement = Placement(store, data.variables, groups)
    for values, own in data.cases:
        placement.case(values, own)
    for guid, name, values in data.sources:
        placement.source(guid, name, values)
    if sets:
        placement.document_groups(data.sets, _SET_NAME)
    return placement.write()


def _own_values(case: ET.Element, names: dict[str | None, str]) -> dict[str, Any]:
    """The case's Workbench variables (Speaker, Speaker's focus group, Participant) and
    references."""
    own: dict[str, Any] = {}
    for value in children_named(case, "VariableValue"):
        ref = child_named(value, "VariableRef")
        name = names.get(norm_guid(ref.get("targetGUID")) if ref is not None else None)
        text = next(
            ((c.text or "").strip() for c in elements_of(value) if local_name(c) in _VALUE_TAGS), ""
        )
        if name in (V_SPEAKER, V_CASE_GROUP, V_PARTICIPANT) and text:
            own[name] = text
    own["name"] = (case.get("name") or "").strip()
    own["sources"] = {norm_guid(r.get("targetGUID")) for r in children_named(case, "SourceRef")}
    own["selections"] = {
        norm_guid(r.get("targetGUID")) for r in children_named(case, "SelectionRef")
    }
    return own


def _source_elements(root: ET.Element) -> list[ET.Element]:
    out = []
    for element in elements_of(child_named(root, "Sources")):
        out.append(element)
        representation = child_named(element, "Representation")
        if representation is not None:
            out.append(representation)
    return out
