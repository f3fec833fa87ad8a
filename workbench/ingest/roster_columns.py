"""A roster's extra columns as participants' attributes.

Any column of a CSV roster beyond ``speaker`` and ``role`` (``speaker,role,site,condition,
age_group``), or a TOML roster's ``[attributes."Speaker label"]`` tables, becomes an
attribute of participants. A column already declared in the project is checked against its
type; a new one is declared with the type its cells show (a number, an ISO date, else text:
:func:`workbench.project.attributes.infer`), and the import report says which. A cell that
does not fit is refused with the file, line and column, before anything is written.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import ParticipantError, RosterError
from workbench.files import load_toml, read_csv, read_text
from workbench.project.attributes import Attribute, BadCell, canonical, check_name, from_cells
from workbench.store import Store


@dataclass(frozen=True)
class Column:
    """One extra column: its header, number (1-based) and (speaker label, cell, line) rows."""

    header: str
    number: int
    cells: tuple[tuple[str, object, int], ...]


@dataclass
class Plan:
    """What a roster's columns will write: new attributes, then each speaker's values."""

    path: str
    new: list[Attribute] = field(default_factory=list)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # label → {attribute: value}
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new or self.values)


def read_columns(path: str | Path) -> list[Column]:
    """The extra columns of a roster file (none for a plain ``speaker,role`` roster)."""
    path = Path(path)
    text = read_text(path, "roster", RosterError)
    if path.suffix.lower() == ".toml":
        return _toml_columns(text, path)
    rows = read_csv(text, str(path), RosterError)
    if not rows:
        return []
    header = [" ".join(h.split()) for h in rows[0]]
    lowered = [h.lower() for h in header]
    if "speaker" not in lowered:
        return []  # the roster reader says what is wrong with the header
    s_col = lowered.index("speaker")
    extra = [j for j, h in enumerate(lowered) if h not in ("speaker", "role")]
    columns = []
    for j in extra:
        if not header[j]:
            if any(len(r) > j and r[j].strip() for r in rows[1:]):
                raise RosterError(
                    f"{path}: line 1, column {j + 1}: the column has values but no name; "
                    "name it in the header (e.g. site)"
                )
            continue
        cells = tuple(
            (" ".join(r[s_col].split()), r[j] if len(r) > j else "", number)
            for number, r in enumerate(rows[1:], start=2)
            if any(c.strip() for c in r) and len(r) > s_col
        )
        columns.append(Column(header[j], j + 1, cells))
    return columns


def _toml_columns(text: str, path: Path) -> list[Column]:
    try:
        doc = load_toml(text, str(path))
    except tomllib.TOMLDecodeError:
        return []  # the roster reader reports it
    tables = doc.get("attributes", {})
    if not isinstance(tables, dict) or not all(isinstance(v, dict) for v in tables.values()):
        raise RosterError(
            f'{path}: [attributes]: expected tables such as [attributes."Ruth"] with '
            'lines like site = "Leeds"'
        )
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[attributes."):
            lines.setdefault(
                stripped[len("[attributes.") :].rstrip("]").strip().strip("\"'"), number
            )
    headers: list[str] = []
    for values in tables.values():
        headers += [h for h in values if h not in headers]
    return [
        Column(
            h,
            n,
            tuple(
                (" ".join(label.split()), values.get(h, ""), lines.get(label, 0))
                for label, values in tables.items()
            ),
        )
        for n, h in enumerate(headers, start=1)
    ]


def plan(store: Store, roster: str | Path) -> Plan:
    """Check every extra column of ``roster`` against the project's attributes (or infer a new
    one's type); raise :class:`RosterError` naming the cell that does not fit."""
    out = Plan(str(roster))
    for column in read_columns(roster):
        where = f"{roster}: line 1, column {column.header!r}"
        try:
            name = check_name(column.header, "attribute")
        except ParticipantError as exc:
            raise RosterError(f"{where}: {exc}") from None
        attribute = store.attribute_named(name)
        if attribute is not None and attribute.scope != "participant":
            raise RosterError(
                f"{where}: {attribute.name} is an attribute of focus groups, so a roster "
                "cannot give it per speaker; rename the column, or set it with "
                f"`workbench participants set PROJECT --group GROUP {attribute.name}=VALUE`. "
                "Nothing was imported."
            )
        if attribute is None:
            attribute, note = _new(column, name, str(roster))
            out.new.append(attribute)
            why = f"; {note}" if note else ""
            out.notes.append(
                f"{roster}: column {column.header!r} is a new attribute of "
                f"participants, {attribute.type}{why}"
            )
        for label, cell, line in column.cells:
            try:
                value = canonical(attribute, cell)
            except ParticipantError as exc:
                raise RosterError(
                    f"{roster}: line {line}, column {column.header!r} (speaker {label!r}): "
                    f"{exc}; correct the cell or leave it empty. Nothing was imported."
                ) from None
            if value is not None:
                out.values.setdefault(label, {})[attribute.name] = value
    return out


def _new(column: Column, name: str, path: str) -> tuple[Attribute, str]:
    try:
        return from_cells(name, "participant", [cell for _, cell, _ in column.cells])
    except BadCell as exc:
        label, _, line = column.cells[exc.index]
        raise RosterError(
            f"{path}: line {line}, column {column.header!r} (speaker {label!r}): {exc}; correct "
            "the cell, or leave it empty. Nothing was imported."
        ) from None


def apply(
    store: Store, roster_plan: Plan, group_ids: set[int], actor: str | None = None
) -> list[str]:
    """Declare the new attributes and write the values to the speakers of ``group_ids`` with
    those labels (inside the caller's transaction); return what the import report says of the
    values (the columns' types are in :attr:`Plan.notes`, said when the roster is read)."""
    for attribute in roster_plan.new:
        if store.attribute_named(attribute.name) is None:
            made = store.add_attribute(attribute)
            store.audit(
                "declare",
                "attribute",
                made.name,
                after={"scope": made.scope, "type": made.type, "from": roster_plan.path},
                actor=actor,
            )
    changed = 0
    current = store.participant_values()
    entries = [e for e in store.speaker_entries() if e.group_id in group_ids]
    absent = sorted(set(roster_plan.values) - {e.label for e in entries})
    if absent:
        raise RosterError(
            f"{roster_plan.path}: [attributes] of {', '.join(map(repr, absent))}, who do not "
            "speak in the imported transcripts; fix the spelling or remove them. "
            "Nothing was imported."
        )
    for entry in entries:
        if entry.label not in roster_plan.values:
            continue
        for name, value in roster_plan.values[entry.label].items():
            before = current.get(entry.participant_id, {}).get(name)
            if before == value:
                continue
            store.set_participant_value(entry.participant_id, name, value)
            current.setdefault(entry.participant_id, {})[name] = value
            store.audit(
                "roster",
                "attribute_value",
                f"{entry.ref}:{name}",
                before=before,
                after=value,
                note=roster_plan.path,
                actor=actor,
            )
            changed += 1
    if changed:
        return [f"{roster_plan.path}: {changed} attribute value(s) of participants set"]
    return []
