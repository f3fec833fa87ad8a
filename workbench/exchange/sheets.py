"""Coding sheets: codings in and out of CSV or Excel, for teams that code in spreadsheets.

A sheet has one row per comment and coder: ``ref, coder, category, themes, memo,
unsure, exemplar`` (themes separated by ``;``), or, one-hot, a 0/1 column per theme
instead of ``themes``. Categories and themes may be given by key, by name (in any case
and with any apostrophe: ``other's`` = ``other’s``) or by the coding screen's key
(``2``, ``c``). Export adds the comment's group, speaker, role and text for the reader;
import ignores them, and refuses a column it does not understand rather than drop it:
every sheet the product writes reads back to the same codings.

Import (:mod:`workbench.exchange.sheet_import`, its names importable from here) is all or
nothing: every row is checked first and all errors are reported with their row numbers.
"""

from __future__ import annotations

from pathlib import Path

from workbench.coding.coder import validate_name
from workbench.exchange.sheet_files import COLUMNS, INFO_COLUMNS, SheetError, read_rows, write_table
from workbench.exchange.sheet_import import SheetImport, import_sheet, normalise
from workbench.store import Store
from workbench.store.coding_records import Coder

__all__ = [
    "COLUMNS",
    "INFO_COLUMNS",
    "SheetError",
    "SheetImport",
    "export_sheet",
    "import_sheet",
    "normalise",
    "onehot_columns",
    "onehot_rows",
    "read_rows",
    "sheet_rows",
    "template_rows",
    "write_table",
]


def sheet_rows(store: Store, coder: str | None = None, agreed: bool = False) -> list[dict]:
    """Long-format rows: one per codable comment and coder (blank codes where not coded yet)."""
    coders = _coders(store, coder, agreed)
    categories = {c.key: c.name for c in store.categories(include_retired=True)}
    themes = {t.key: t.name for t in store.themes(include_retired=True)}
    comments = [c for c in store.comments() if not c.excluded]
    rows = []
    for person in coders:
        codings = store.codings_of(person.id)
        for c in comments:
            k = codings.get(c.id)
            if k is None and not (coder or agreed):
                continue  # an export of every coder lists what each has coded
            rows.append(
                {
                    "ref": c.ref,
                    "coder": person.name,
                    "category": categories.get(k.category_key, "") if k and k.category_key else "",
                    "themes": "; ".join(themes[t] for t in k.themes) if k else "",
                    "memo": k.memo if k else "",
                    "unsure": "yes" if k and k.unsure else "",
                    "exemplar": "yes" if k and k.exemplar else "",
                    "group": c.group_name,
                    "speaker": c.speaker,
                    "role": c.role or "",
                    "text": c.text,
                }
            )
    return rows


def onehot_rows(store: Store, coder: str | None = None, agreed: bool = False) -> list[dict]:
    """One row per codable comment (and coder): the long sheet with a 0/1 column per theme
    in place of ``themes`` (see :func:`onehot_columns`)."""
    themes = store.themes()
    rows = []
    for row in sheet_rows(store, coder, agreed):
        names = {normalise(n) for n in row["themes"].split(";") if n.strip()}
        out = {k: v for k, v in row.items() if k != "themes"}
        for theme in themes:
            out[theme.name] = int(normalise(theme.name) in names)
        rows.append(out)
    return rows


def onehot_columns(store: Store) -> list[str]:
    return [c for c in COLUMNS if c != "themes"] + [t.name for t in store.themes()] + INFO_COLUMNS


def template_rows(store: Store, coder: str) -> list[dict]:
    """A blank sheet for ``coder``: every codable comment with its text, nothing coded."""
    name = validate_name(coder)
    found = store.coder_named(name)
    if found is not None and found.kind != "coder":
        raise SheetError(f"--coder {name!r} is reserved; choose another name")
    return [
        {
            "ref": c.ref,
            "coder": name,
            "category": "",
            "themes": "",
            "memo": "",
            "unsure": "",
            "exemplar": "",
            "group": c.group_name,
            "speaker": c.speaker,
            "role": c.role or "",
            "text": c.text,
        }
        for c in store.comments()
        if not c.excluded
    ]


def _coders(store: Store, coder: str | None, agreed: bool) -> list[Coder]:
    if agreed:
        found = [c for c in store.coders() if c.kind == "agreed"]
        if not found:
            raise SheetError(
                "there is no agreed coding yet; reconcile first, or import one with --agreed"
            )
        return found
    if coder:
        named = store.coder_named(coder)
        if named is None or named.kind != "coder":
            names = ", ".join(c.name for c in store.coders() if c.kind == "coder") or "none"
            raise SheetError(f"--coder {coder!r}: no such coder (coders: {names})")
        return [named]
    return [c for c in store.coders() if c.kind == "coder"]


def export_sheet(
    store: Store,
    out: str | Path,
    coder: str | None = None,
    agreed: bool = False,
    onehot: bool = False,
    template: bool = False,
    force: bool = False,
) -> int:
    """Write a coding sheet to ``out`` (CSV or Excel) by the rule of :mod:`workbench.output`:
    ``workbench codings export`` and the app's export task; returns the rows written."""
    from workbench.output import for_project

    output = for_project(store, force)
    output.check(out)
    if template:
        if not coder:
            raise SheetError("a blank sheet is for one coder: name them (--coder NAME)")
        rows, columns = template_rows(store, coder), COLUMNS + INFO_COLUMNS
    elif onehot:
        rows, columns = onehot_rows(store, coder, agreed), onehot_columns(store)
    else:
        rows, columns = sheet_rows(store, coder, agreed), COLUMNS + INFO_COLUMNS
    write_table(rows, out, columns, "Agreed coding" if agreed else "Codings", output)
    return len(rows)
