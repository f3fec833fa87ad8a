"""Roster files: which speaker of a focus group has which stakeholder role.

A roster is a small CSV (``speaker,role``) or TOML (``[speakers] "Name" = "HP"``)
file per focus group (``--role LABEL=ROLE`` on the command line does the same
for one speaker; see ``workbench.project.roles``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from workbench.errors import RosterError
from workbench.files import load_toml, read_csv, read_text


def load_roster(path: str | Path) -> dict[str, tuple[str, int]]:
    """Read a roster file: ``{speaker label: (role as written, line number)}``."""
    path = Path(path)
    text = read_text(path, "roster", RosterError)
    if path.suffix.lower() == ".toml":
        return _toml_roster(text, path)
    return _csv_roster(text, path)


def _csv_roster(text: str, path: Path) -> dict[str, tuple[str, int]]:
    rows = read_csv(text, str(path), RosterError)
    if not rows:
        raise RosterError(f"{path}: the roster is empty; expected a header 'speaker,role'")
    header = [h.strip().lower() for h in rows[0]]
    if "speaker" not in header or "role" not in header:
        raise RosterError(
            f"{path}: line 1: the header must name the columns 'speaker' and 'role' "
            f"(found: {', '.join(rows[0]) or 'nothing'})"
        )
    s_col, r_col = header.index("speaker"), header.index("role")
    mapping: dict[str, tuple[str, int]] = {}
    spelled: dict[str, str] = {}  # each label as the roster wrote it, for messages
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(s_col, r_col) or not row[s_col].strip() or not row[r_col].strip():
            raise RosterError(f"{path}: line {number}: needs both a speaker and a role")
        _add(mapping, spelled, path, row[s_col], row[r_col].strip(), number)
    return mapping


def _add(
    mapping: dict[str, tuple[str, int]],
    spelled: dict[str, str],
    path: Path,
    written: str,
    role: str,
    number: int,
) -> None:
    """One roster entry, refused when an earlier line is for the same speaker: labels match
    transcripts whatever their case and spacing, so 'Ana Lima' and 'ana  lima' are one
    speaker, and the import could not tell which line's role to give them."""
    label = " ".join(written.split())
    for other, (_, line) in mapping.items():
        if other.casefold() == label.casefold():
            where = f"lines {line} and {number}" if line else f"line {number}"
            same = (
                f"both name speaker {label!r}"
                if spelled[other] == written
                else f"name the same speaker, {spelled[other]!r} and {written!r} (labels match "
                "whatever their case and spacing)"
            )
            raise RosterError(
                f"{path}: {where} {same}; keep one line per speaker. Nothing was imported."
            )
    mapping[label] = (role, number)
    spelled[label] = written


def _toml_roster(text: str, path: Path) -> dict[str, tuple[str, int]]:
    try:
        doc = load_toml(text, str(path))
    except tomllib.TOMLDecodeError as exc:
        raise RosterError(f"{path}: not valid TOML: {exc}") from None
    speakers = doc.get("speakers")
    unknown = set(doc) - {"speakers", "attributes"}  # attributes: see roster_columns
    if unknown or not isinstance(speakers, dict):
        raise RosterError(
            f'{path}: expected one [speakers] table of "Speaker label" = "ROLE" lines'
            + (f" (unknown: {', '.join(sorted(unknown))})" if unknown else "")
        )
    # Each label's line, for messages: the first line whose key (before "=") is the label.
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        lines.setdefault(line.split("=", 1)[0].strip().strip("\"'"), number)
    mapping: dict[str, tuple[str, int]] = {}
    spelled: dict[str, str] = {}
    for label, role in speakers.items():
        if not isinstance(role, str) or not role.strip():
            raise RosterError(f'{path}: [speakers] {label!r}: the role must be text such as "HP"')
        _add(mapping, spelled, path, label, role.strip(), lines.get(label, 0))
    return mapping
