"""The participant sheet: every participant and attribute value in one CSV or Excel sheet,
out and back in (``workbench participants export/import``), as NVivo's classification sheets.

One row per speaker of a focus group: ``group``, ``speaker``, ``role`` and ``comments`` (shown,
not read back), ``participant`` (rows with one name are one person: linked; a different name
unlinks or renames), then a column per attribute of participants and one per attribute of
focus groups, headed ``NAME (of group)``. Reading it back is all or nothing: every row is
checked (the speaker exists, each value fits its attribute, one person's rows and one group's
rows agree) before anything is written; an empty cell clears a value; a column that is not
an attribute yet is declared with the type its cells show. Round trip: a sheet exported and
imported unchanged changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import ParticipantError
from workbench.exchange.sheet_files import SheetError, write_table
from workbench.project import participants as P
from workbench.project.attributes import Attribute, BadCell, canonical, check_name, from_cells
from workbench.store import Store, default_actor

FIXED = ["group", "speaker", "role", "participant", "comments"]
GROUP_SUFFIX = " (of group)"


def sheet_rows(store: Store) -> tuple[list[str], list[dict]]:
    """The sheet's columns and rows (numbers as numbers, for a spreadsheet)."""
    attributes = store.attributes()
    groups = store.group_values()
    columns = FIXED + [
        a.name if a.scope == "participant" else a.name + GROUP_SUFFIX for a in attributes
    ]
    people = {s.speaker_id: p for p in P.participants(store) for s in p.speakers}
    rows = []
    for entry in store.speaker_entries():  # by group, in speaking order
        person = people[entry.speaker_id]
        row = {
            "group": entry.group_code,
            "speaker": entry.label,
            "role": entry.role or "",
            "participant": person.name,
            "comments": entry.comments,
        }
        for a in attributes:
            value = (
                person.values if a.scope == "participant" else groups.get(entry.group_id, {})
            ).get(a.name)
            row[a.name if a.scope == "participant" else a.name + GROUP_SUFFIX] = _cell(a, value)
        rows.append(row)
    return columns, rows


def _cell(attribute: Attribute, value: str | None):
    if value is None:
        return ""
    if attribute.type == "number":
        return int(value) if value.lstrip("+-").isdigit() else float(value)
    return value


def export(store: Store, out: str | Path, output=None) -> Path:
    columns, rows = sheet_rows(store)
    return write_table(rows, out, columns, title="Participants", output=output)


@dataclass
class Plan:
    """What a sheet will change, checked; :func:`apply` writes it."""

    path: str
    new: list[Attribute] = field(default_factory=list)
    links: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, speaker refs)
    unlinks: list[str] = field(default_factory=list)
    renames: list[tuple[str, str | None]] = field(default_factory=list)
    values: list[tuple[str | None, str | None, str, str | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        out = [f"new attribute {a.name} (of {a.scope}s, {a.type})" for a in self.new]
        out += [f"link {', '.join(refs)} as {name}" for name, refs in self.links]
        out += [f"unlink {ref}" for ref in self.unlinks]
        out += [f"name {ref} {name!r}" if name else f"unname {ref}" for ref, name in self.renames]
        out += [
            f"{speaker or group}: {name} = {value!r}"
            if value is not None
            else f"{speaker or group}: clear {name}"
            for speaker, group, name, value in self.values
        ]
        return out + self.notes


def read(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and numbered rows of a CSV or XLSX sheet."""
    from workbench.exchange.sheet_files import xlsx_sheet_rows
    from workbench.files import read_csv, read_text

    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = xlsx_sheet_rows(path)
    else:
        text = read_text(path, "sheet", SheetError, limit="document-size")
        table = [
            (n, row)
            for n, row in enumerate(read_csv(text, str(path), SheetError), start=1)
            if any(cell.strip() for cell in row)
        ]
    if not table or table[0][0] != 1:
        raise SheetError(
            f"{path}: the sheet is empty; expected a header row with {', '.join(FIXED[:2])} "
            "and attribute columns (`workbench participants export` writes one)"
        )
    header = [" ".join(str(h).split()) for h in table[0][1]]
    return header, table[1:]


def plan(store: Store, path: str | Path) -> Plan:
    """Check a participant sheet against the project; every problem is listed by row and column."""
    header, rows = read(path)
    lower = [h.lower() for h in header]
    missing = [c for c in ("group", "speaker") if c not in lower]
    if missing:
        raise SheetError(
            f"{path}: line 1: no column {', '.join(missing)}; the sheet names each speaker by "
            "group and speaker (found: " + (", ".join(header) or "nothing") + ")"
        )
    out, problems = Plan(str(path)), list[str]()
    columns = _attribute_columns(store, path, header, rows, out, problems)
    entries = {(e.group_code.casefold(), e.label): e for e in store.speaker_entries()}
    # A label in another case or spacing is that speaker, as in a roster, unless two match.
    folded: dict[tuple[str, str], list] = {}
    for (code, label), e in entries.items():
        folded.setdefault((code, label.casefold()), []).append(e)
    names = {g.name.casefold(): g.code.casefold() for g in store.groups()}
    seen: dict[int, int] = {}  # speaker id → the line that named them
    people: dict[str, list[tuple[int, Any, str]]] = {}  # the person (or speaker) → rows
    group_cells: dict[tuple[str, str, str | int], list[Any]] = {}
    g_col, s_col = lower.index("group"), lower.index("speaker")
    p_col = lower.index("participant") if "participant" in lower else None
    for number, cells in rows:

        def cell(j, cells=cells):
            return " ".join(str(cells[j]).split()) if j < len(cells) else ""

        group = cell(g_col).casefold()
        code = names.get(group, group)
        alike = folded.get((code, cell(s_col).casefold()), [])
        entry = entries.get((code, cell(s_col))) or (alike[0] if len(alike) == 1 else None)
        if entry is None:
            problems.append(
                f"line {number}: no speaker {cell(s_col)!r} in focus group {cell(g_col)!r}"
            )
            continue
        if entry.speaker_id in seen:
            problems.append(
                f"line {number}: {entry.ref} is on line {seen[entry.speaker_id]} already; "
                "keep one row per speaker"
            )
            continue
        seen[entry.speaker_id] = number
        person = cell(p_col) if p_col is not None else ""
        key = (person or entry.ref).casefold()
        people.setdefault(key, []).append((number, entry, person))
        for attribute, j in columns:
            try:
                value = canonical(attribute, cells[j] if j < len(cells) else "")
            except ParticipantError as exc:
                problems.append(f"line {number}, column {header[j]!r}: {exc}")
                continue
            owner = key if attribute.scope == "participant" else entry.group_id
            group_cells.setdefault((attribute.scope, attribute.name, owner), []).append(
                (number, value, entry)
            )
    _agree(group_cells, problems)
    if problems:
        more = f" (and {len(problems) - 1} more below)" if len(problems) > 1 else ""
        raise SheetError(
            f"{path}: {problems[0]}{more}; nothing was imported"
            + "".join(f"\n  {p}" for p in problems[1:50])
        )
    _people(store, people, out)
    _values(store, group_cells, out)
    return out


def _attribute_columns(
    store, path, header, rows, out: Plan, problems: list[str]
) -> list[tuple[Attribute, int]]:
    columns = []
    for j, head in enumerate(header):
        if head.lower() in FIXED or not head:
            continue
        scope = "group" if head.endswith(GROUP_SUFFIX) else "participant"
        try:
            name = check_name(head.removesuffix(GROUP_SUFFIX), "column")
        except ParticipantError as exc:
            problems.append(f"line 1: {exc}")
            continue
        attribute = store.attribute_named(name)
        if attribute is None:
            try:
                attribute, note = from_cells(
                    name, scope, [c[j] if j < len(c) else "" for _, c in rows]
                )
            except BadCell as exc:
                problems.append(
                    f"line {rows[exc.index][0]}, column {head!r}: {exc}; correct the cell "
                    "or leave it empty"
                )
                continue
            out.new.append(attribute)
            if note:
                out.notes.append(f"column {head!r}: {note}")
        elif attribute.scope != scope:
            want = attribute.name + GROUP_SUFFIX if attribute.scope == "group" else attribute.name
            problems.append(
                f"line 1, column {head!r}: {attribute.name} is an attribute of {attribute.scope}s; "
                f"head the column {want!r}"
            )
            continue
        columns.append((attribute, j))
    return columns


def _agree(cells: dict, problems: list[str]) -> None:
    """One person's rows (and one group's rows) must give an attribute one value."""
    for (scope, name, _owner), found in cells.items():
        if len({value for _, value, _ in found}) > 1:
            lines = ", ".join(f"line {n} {repr(v) if v else '(empty)'}" for n, v, _ in found)
            whose = (
                f"focus group {found[0][2].group_code}" if scope == "group" else "one participant"
            )
            problems.append(
                f"column {name!r}: the rows of {whose} disagree ({lines}); give one value"
            )


def _people(store: Store, people: dict, out: Plan) -> None:
    """Unlinks, links and names that make the project's participants what the sheet says: rows
    with one participant name are one person; a person's other rows named otherwise leave."""
    wanted = {e.speaker_id: key for key, rows in people.items() for _, e, _ in rows}
    moved: set[int] = set()
    for person in P.participants(store):
        listed = [s for s in person.speakers if s.speaker_id in wanted]
        keep = wanted[listed[0].speaker_id] if listed else None
        leaving = [s for s in listed if wanted[s.speaker_id] != keep]
        out.unlinks += [s.ref for s in leaving]
        moved |= {s.speaker_id for s in leaving}
    current = {s.speaker_id: p for p in P.participants(store) for s in p.speakers}
    for rows in people.values():
        entries = [e for _, e, _ in rows]
        name = next((n for _, _, n in rows if n), "")
        after = {
            ("new", e.speaker_id) if e.speaker_id in moved else e.participant_id for e in entries
        }
        if len(after) > 1:
            out.links.append((name, [e.ref for e in entries]))
            continue
        first = entries[0]
        shown = first.ref if first.speaker_id in moved else current[first.speaker_id].name
        if not name or name == shown:
            continue
        default = len(entries) == 1 and name.casefold() == first.ref.casefold()
        out.renames.append((first.ref, None if default else name))


def _values(store: Store, cells: dict, out: Plan) -> None:
    """The values to write: where the sheet differs from what the person (after linking: the
    first value among their speakers' participants, as :func:`link` merges) or group has."""
    participant_values, group_values = store.participant_values(), store.group_values()
    for (scope, name, owner), found in cells.items():
        value = found[0][1]
        if scope == "group":
            current = group_values.get(owner, {}).get(name)
        else:
            current = next(
                (
                    participant_values.get(e.participant_id, {}).get(name)
                    for _, _, e in found
                    if participant_values.get(e.participant_id, {}).get(name) is not None
                ),
                None,
            )
        if current != value:
            entry = found[0][2]
            out.values.append(
                (
                    entry.ref if scope == "participant" else None,
                    entry.group_code if scope == "group" else None,
                    name,
                    value,
                )
            )


def apply(store: Store, sheet: Plan, actor: str | None = None) -> None:
    """Write a checked sheet: attributes, links, names, values; one transaction, each change
    audited."""
    actor = actor or default_actor()
    with store.transaction():
        for attribute in sheet.new:
            P.declare(store, attribute, actor)
        for ref in sheet.unlinks:
            P.unlink(store, ref, actor)
        for name, refs in sheet.links:
            _link_keeping(store, refs, name, actor)
        for ref, new_name in sheet.renames:
            P.rename(store, ref, new_name, actor)
        for speaker, group, name, value in sheet.values:
            P.set_values(
                store, {name: value}, speaker=speaker, group=group, actor=actor, source="sheet"
            )


def _link_keeping(store: Store, refs: list[str], name: str, actor: str) -> None:
    """Link, with the sheet's values winning over a disagreement (they are written next)."""
    values = store.participant_values()
    entries = [P.find_speaker(store, ref) for ref in refs]
    first = values.get(entries[0].participant_id, {})
    for entry in entries[1:]:
        for attr, value in values.get(entry.participant_id, {}).items():
            if first.get(attr, value) != value:
                store.set_participant_value(entry.participant_id, attr, first[attr])
    P.link(store, refs, name or None, actor)
