"""Codebooks: the categories (layer 1) and themes (layer 2) analysts code with.

A codebook is a TOML file (see ``codebooks/coproduction.toml``), or a CSV or Excel codebook as
other programs and teams write them, read into the same TOML by
:mod:`workbench.project.codebook_table` and then validated like any other. The loader is
strict: a typo in a field name would otherwise silently drop a definition, so an
unknown field, a missing name, a duplicate key or shortcut is an error naming the
file, the entry and the field. A shortcut may be left out (a codebook with more entries
than the keyboard has keys): that entry is coded from the command palette.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from workbench.errors import CodebookError

# One type for "a codebook", read from a file here or from a project by the store.
from workbench.store.codebook import Category, Codebook, Theme

__all__ = [
    "KEY_RE",
    "POLARITIES",
    "RESERVED_KEYS",
    "Category",
    "Codebook",
    "Theme",
    "load_codebook",
    "parse_codebook",
]

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
POLARITIES = ("effective", "ineffective")

_HEADER_FIELDS = {"key": str, "name": str, "version": str, "description": str}
_CATEGORY_FIELDS = {
    "key": str,
    "name": str,
    "shortcut": str,
    "takes_themes": bool,
    "polarity": str,
    "description": str,
}
# Keys the coding and reconciliation screens use themselves (case matters: "m" may be a
# theme, "M" merges). tests/test_codebook.py checks this against the screens' bindings.
RESERVED_KEYS = {
    "j": "next",
    "k": "previous",
    "u": "next uncoded",
    "f": "next not sure",
    "0": "clear",
    "!": "not sure",
    "*": "exemplar",
    "/": "search",
    ":": "go to ref",
    "?": "keys",
    "F": "filter",
    "S": "split",
    "M": "merge",
    "A": "take A / accept suggestion",
    "B": "take B",
    "N": "rationale",
    "D": "defer",
    "T": "whole transcript",
    "E": "agreed exemplar",
    "L": "more like this",
}
_THEME_FIELDS = {"key": str, "name": str, "shortcut": str, "definition": str}
_REQUIRED = ("key", "name")


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file: TOML, or a CSV or Excel codebook
    (:mod:`workbench.project.codebook_table`); a document (PDF, Word, ...) is refused with the
    formats that are read."""
    from workbench.project import codebook_table

    path = Path(path)
    if codebook_table.is_table(path):
        return codebook_table.load_table_codebook(path)
    codebook_table.refuse_document(path)
    from workbench.files import read_bytes

    return parse_codebook(read_bytes(path, "config-size", "codebook", CodebookError), str(path))


def _refuse_refi(data: bytes, filename: str) -> None:
    """A REFI-QDA codebook or project given where a TOML codebook belongs: say how to convert it."""
    name = Path(filename).name
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and (
        b"CodeBook" in head or b"QDA-XML:codebook" in head or name.lower().endswith(".qdc")
    ):
        toml = Path(name).with_suffix(".toml").name
        raise CodebookError(
            f"{filename}: a REFI-QDA codebook (.qdc), not a Workbench codebook (TOML); convert it "
            f"first with `workbench import-qdc {name} --out {toml}` and use {toml}"
        )
    if head.startswith(b"PK\x03\x04") and name.lower().endswith(".qdpx"):
        raise CodebookError(
            f"{filename}: a REFI-QDA project (.qdpx), not a codebook; make a project of it with "
            f"`workbench import-qdpx {name} --out PROJECT`"
        )


def parse_codebook(data: bytes, filename: str = "<codebook>") -> Codebook:
    """Validate codebook TOML ``data``; ``filename`` names it in error messages."""
    from workbench import limits
    from workbench.files import load_toml

    _refuse_refi(data, filename)
    limits.check("config-size", len(data), filename, "the codebook")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(
            f"{filename}: not UTF-8 text (byte {exc.start}); save the codebook as UTF-8"
        ) from None
    try:
        doc = load_toml(text, filename)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError(f"{filename}: not valid TOML: {exc}") from None

    _check_fields(filename, "top level", doc, {"codebook": dict, "category": list, "theme": list})
    header = doc.get("codebook", {})
    _check_fields(filename, "[codebook]", header, _HEADER_FIELDS)
    if "name" not in header:
        raise CodebookError(f'{filename}: [codebook]: field "name" is missing')
    key = header.get("key") or _slug(header["name"])

    categories = tuple(
        Category(**_entry(filename, "category", i, raw, _CATEGORY_FIELDS))
        for i, raw in enumerate(doc.get("category", []), start=1)
    )
    themes = tuple(
        Theme(**_entry(filename, "theme", i, raw, _THEME_FIELDS))
        for i, raw in enumerate(doc.get("theme", []), start=1)
    )
    if not categories:
        raise CodebookError(f"{filename}: no [[category]] entries; a codebook needs at least one")

    _check_unique(filename, "category", [c.key for c in categories], "key")
    _check_unique(filename, "theme", [t.key for t in themes], "key")
    # Categories and themes are both live on the coding screen, so one key press
    # must never mean two things.
    shortcuts = [("category", c.key, c.shortcut) for c in categories]
    shortcuts += [("theme", t.key, t.shortcut) for t in themes]
    seen: dict[str, tuple[str, str]] = {}
    for kind, entry_key, shortcut in shortcuts:
        if not shortcut:
            continue
        if shortcut in RESERVED_KEYS:
            raise CodebookError(
                f'{filename}: {kind} "{entry_key}": field "shortcut": "{shortcut}" is the coding or '
                f'reconciliation screen\'s key for "{RESERVED_KEYS[shortcut]}"; choose another key '
                f"(taken: {' '.join(RESERVED_KEYS)})"
            )
        if shortcut.lower() in seen:
            other_kind, other_key = seen[shortcut.lower()]
            raise CodebookError(
                f'{filename}: {kind} "{entry_key}": field "shortcut": "{shortcut}" is already '
                f'the shortcut of {other_kind} "{other_key}"; give each entry its own key'
            )
        seen[shortcut.lower()] = (kind, entry_key)
    for cat in categories:
        if cat.polarity is not None and not cat.takes_themes:
            raise CodebookError(
                f'{filename}: category "{cat.key}": field "polarity" is only meaningful '
                "with takes_themes = true"
            )
    if themes and not any(c.takes_themes for c in categories):
        raise CodebookError(
            f"{filename}: themes are defined but no category has takes_themes = true, "
            "so no theme could ever be coded"
        )
    return Codebook(
        key=key,
        name=header["name"],
        version=header.get("version", "1"),
        description=header.get("description", ""),
        categories=categories,
        themes=themes,
        source=text,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _entry(
    filename: str, kind: str, index: int, raw: object, fields: dict[str, Any]
) -> dict[str, Any]:
    where = f"{kind} #{index}"
    if not isinstance(raw, dict):
        raise CodebookError(f"{filename}: {where}: expected a [[{kind}]] table")
    if isinstance(raw.get("key"), str):
        where = f'{kind} #{index} ("{raw["key"]}")'
    _check_fields(filename, where, raw, fields)
    for name in _REQUIRED:
        if name not in raw or (isinstance(raw[name], str) and not raw[name].strip()):
            raise CodebookError(f'{filename}: {where}: field "{name}" is missing')
    if not KEY_RE.match(raw["key"]):
        raise CodebookError(
            f'{filename}: {where}: field "key": "{raw["key"]}" must be lower case letters, '
            "digits and underscores, starting with a letter"
        )
    if "shortcut" in raw and isinstance(raw["shortcut"], str) and raw["shortcut"].strip() == "":
        raw = {k: v for k, v in raw.items() if k != "shortcut"}  # a blank shortcut: no key
    if "shortcut" in raw and (len(raw["shortcut"]) != 1 or raw["shortcut"].isspace()):
        raise CodebookError(
            f'{filename}: {where}: field "shortcut": "{raw["shortcut"]}" must be a single key'
        )
    if "polarity" in raw and raw["polarity"] not in POLARITIES:
        raise CodebookError(
            f'{filename}: {where}: field "polarity": "{raw["polarity"]}" must be one of '
            + ", ".join(POLARITIES)
        )
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}


def _check_fields(filename: str, where: str, raw: dict[str, Any], fields: dict[str, Any]) -> None:
    for name, value in raw.items():
        if name not in fields:
            raise CodebookError(
                f'{filename}: {where}: unknown field "{name}" (allowed: {", ".join(fields)})'
            )
        expected = fields[name]
        if not isinstance(value, expected):
            raise CodebookError(
                f'{filename}: {where}: field "{name}" must be '
                f"{_TYPE_NAMES[expected]}, not {type(value).__name__}"
            )


_TYPE_NAMES = {str: "text", bool: "true or false", dict: "a table", list: "an array of tables"}


def _check_unique(filename: str, kind: str, values: list[str], field_name: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise CodebookError(
                f'{filename}: {kind} "{value}": field "{field_name}": duplicate {field_name} '
                f'"{value}"; every {kind} needs its own'
            )
        seen.add(value)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "codebook"
