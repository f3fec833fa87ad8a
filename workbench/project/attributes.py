"""Attributes of participants and of focus groups: their names, types and values.

An attribute is declared in the project (``text``, ``number``, ``date`` or ``choice`` from a
list), of participants (age group, condition) or of focus groups (site). Every value is
checked against its attribute's type here and stored in one canonical form: numbers as
written without trailing zeros ("34", "2.5"), dates as ISO 8601 ("2023-05-01"), a choice
spelled as in its list. Types of new columns (a roster's, a sheet's) are inferred from
their cells, and a cell that breaks an otherwise consistent column is refused by name.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from workbench.errors import ParticipantError
from workbench.store.participants import Attribute

__all__ = [
    "Attribute",
    "TYPES",
    "SCOPES",
    "check_name",
    "canonical",
    "infer",
    "sort_key",
    "declared",
]

TYPES = ("text", "number", "date", "choice")
SCOPES = ("participant", "group")
# Names the reports and filters use for what every project has.
BUILT_IN = ("role", "group")
RESERVED = {
    *BUILT_IN,
    "speaker",
    "participant",
    "ref",
    "comment",
    "comments",
    "label",
    "text",
    "category",
    "themes",
    "theme",
    "code",
    "name",
}
MAX_TEXT = 200
_NAME = re.compile(r"^[^\W\d_][\w\- ]{0,39}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OTHER_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")


def check_name(name: str, where: str = "attribute") -> str:
    """An attribute's name, tidied; refused when empty, reserved, or not a short word."""
    tidy = " ".join(str(name).split())
    if not _NAME.match(tidy):
        raise ParticipantError(
            f"{where} {name!r}: an attribute's name starts with a letter and has up to 40 letters, "
            "digits, spaces, '_' or '-' (e.g. site, age_group)"
        )
    if tidy.lower() in RESERVED:
        raise ParticipantError(
            f"{where} {name!r}: the name is reserved ({', '.join(sorted(RESERVED))}); choose "
            "another, "
            f"e.g. {tidy}_1"
        )
    return tidy


def _number(text: str) -> str | None:
    if not _NUMBER.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None
    if value == value.to_integral_value():
        return str(value.to_integral_value())
    return format(value.normalize(), "f")


def _date(text: str) -> str | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def canonical(attribute: Attribute, value: object) -> str | None:
    """``value`` (text as typed, or a number or date from a TOML file or a spreadsheet) in the
    canonical form of ``attribute``'s type; None for an empty value (no value). Raises
    :class:`ParticipantError` saying what the attribute takes."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, date):
        value = value.isoformat()[:10] if attribute.type == "date" else value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    name = attribute.name
    if attribute.type == "number":
        out = _number(text)
        if out is None:
            raise ParticipantError(f"{name} takes a number (e.g. 34 or 2.5), not {text!r}")
        return out
    if attribute.type == "date":
        out = _date(text.removesuffix(" 00:00:00"))  # a date cell of a spreadsheet, read as text
        if out is None:
            raise ParticipantError(
                f"{name} takes a date written YYYY-MM-DD (e.g. 2023-05-01), not {text!r}"
            )
        return out
    if attribute.type == "choice":
        for choice in attribute.choices:
            if choice.casefold() == text.casefold():
                return choice
        # --choices replaces the list: the command shown keeps the list and adds the value.
        listed = shlex.quote(",".join((*attribute.choices, text)))
        raise ParticipantError(
            f"{name} is a choice of {', '.join(attribute.choices) or 'nothing yet'}, not {text!r}; "
            f"pick one, or add it to the list with `workbench participants attribute PROJECT "
            f"{shlex.quote(name)} --choices {listed}`"
        )
    if len(text) > MAX_TEXT:
        raise ParticipantError(
            f"{name}: a value is at most {MAX_TEXT} characters ({len(text)} given)"
        )
    return text


@dataclass(frozen=True)
class Inferred:
    """The type inferred for a new column, and a note where the guess needs saying."""

    type: str
    note: str = ""
    bad: int | None = None  # index of the cell that breaks an otherwise consistent column


def infer(cells: Sequence[object]) -> Inferred:
    """The type of a new column from its cells (empty cells ignored): a number where every
    cell is one, a date where every cell is an ISO date, else text. Where most cells are
    numbers (or dates) and one is not, that cell is ``bad``: a typo, not a text column."""
    filled = [
        (i, " ".join(str(c).split()))
        for i, c in enumerate(cells)
        if c is not None and str(c).strip()
    ]
    if not filled:
        return Inferred("text", "no values yet, so taken as text")
    for kind, parse in (("number", _number), ("date", _date)):
        typed = [i for i, text in filled if _native(cells[i], kind) or parse(text) is not None]
        if len(typed) == len(filled):
            return Inferred(kind)
        if len(typed) >= 2 and len(typed) * 2 > len(filled):
            bad = next(i for i, _ in filled if i not in set(typed))
            return Inferred(kind, f"the other cells are {kind}s", bad)
    if all(_OTHER_DATE.match(text) for _, text in filled):
        return Inferred(
            "text",
            "looks like dates not written YYYY-MM-DD (day and month order unknown), "
            "so taken as text",
        )
    return Inferred("text")


class BadCell(ParticipantError):
    """A cell that breaks an otherwise consistent new column; ``index`` is its place."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def from_cells(name: str, scope: str, cells: list[object]) -> tuple[Attribute, str]:
    """A new attribute of ``scope`` with the type its column's cells show, and what the guess
    needs saying ("" when nothing); :class:`BadCell` when one cell breaks the column."""
    found = infer(cells)
    if found.bad is not None:
        raise BadCell(found.bad, f"{cells[found.bad]!r} is not a {found.type} but {found.note}")
    return declared(name, scope, found.type), found.note


def _native(cell: object, kind: str) -> bool:
    """A TOML or spreadsheet cell that already is a number or a date."""
    if kind == "number":
        return isinstance(cell, (int, float)) and not isinstance(cell, bool)
    return isinstance(cell, date)


def sort_key(attribute: Attribute | None, value: str) -> tuple[int, str | Decimal | int]:
    """Order of an attribute's values in tables: numbers by size, dates in time, choices as
    listed, text alphabetically."""
    if attribute is None:
        return (0, value.casefold())
    if attribute.type == "number":
        return (0, Decimal(value))
    if attribute.type == "choice" and value in attribute.choices:
        return (0, attribute.choices.index(value))
    return (0, value.casefold())


def declared(
    name: str,
    scope: str,
    kind: str,
    choices: list[str] | tuple[str, ...] = (),
    hidden: bool = False,
    description: str = "",
) -> Attribute:
    """A new attribute's declaration, checked: scope, type, and a choice's list."""
    name = check_name(name)
    if scope not in SCOPES:
        raise ParticipantError(f"attribute {name}: of {scope!r}? choose {' or '.join(SCOPES)}")
    if kind not in TYPES:
        raise ParticipantError(f"attribute {name}: type {kind!r}? choose {', '.join(TYPES)}")
    tidy = tuple(dict.fromkeys(" ".join(str(c).split()) for c in choices if str(c).strip()))
    if kind == "choice" and not tidy:
        raise ParticipantError(f"attribute {name}: a choice needs its list, e.g. --choices CF,IBD")
    if kind != "choice" and tidy:
        raise ParticipantError(
            f"attribute {name}: only a choice has a list of choices (this is {kind})"
        )
    return Attribute(name, scope, kind, tidy, bool(hidden), description.strip())


def retyped(attribute: Attribute, kind: str, choices: tuple[str, ...]) -> Attribute:
    """``attribute`` as another type (values are converted by the caller)."""
    return replace(
        declared(
            attribute.name, attribute.scope, kind, choices, attribute.hidden, attribute.description
        ),
        position=attribute.position,
    )
