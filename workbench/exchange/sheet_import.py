"""Coding sheets read back in: a sheet's rows checked, then its codings written, all or nothing.

Every row is checked first and *all* errors are reported with their row numbers; nothing is
written if any row fails. Categories and themes are read by key, by name (:func:`normalise`:
any case, spacing and apostrophe) or by the coding screen's key; themes in ``themes`` or as
one 0/1 column per theme; each row's codes are checked by the codebook's one rule
(:meth:`workbench.store.codebook.Codebook.check`). Rows that would change a coding already in
the project are refused unless ``overwrite``. The sheet's format: :mod:`workbench.exchange.sheets`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.coding.coder import AGREED, known_or_new
from workbench.coding.record import Coding
from workbench.coding.session import clean_memo
from workbench.errors import CodingRuleError, WorkbenchError
from workbench.exchange.sheet_files import COLUMNS, INFO_COLUMNS, SheetError, read_rows
from workbench.store import Store
from workbench.store.codebook import Category, Theme
from workbench.store.comment_records import ListedComment

_TRUE = {"1", "yes", "y", "true", "x", "✓"}
_FALSE = {"", "0", "no", "n", "false"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def normalise(name: str) -> str:
    """Case-, space- and apostrophe-insensitive form of a category or theme name."""
    return " ".join(name.translate(_APOSTROPHES).casefold().split())


@dataclass
class SheetImport:
    path: str
    coders: dict[str, int] = field(default_factory=dict)  # coder → rows
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    needs_theme: list[str] = field(
        default_factory=list
    )  # refs in a behaviour category without a theme
    backup: str | None = None  # the automatic backup taken before an --overwrite import


def import_sheet(
    store: Store,
    path: str | Path,
    agreed: bool = False,
    overwrite: bool = False,
    actor: str | None = None,
) -> SheetImport:
    """Import a coding sheet (all or nothing); ``agreed`` imports the agreed coding."""
    path = Path(path)
    header, rows = read_rows(path)
    missing = [c for c in ("ref", "category") if c not in header]
    if not agreed and "coder" not in header:
        missing.append("coder")
    if missing:
        raise SheetError(
            f"{path}: row 1: missing column(s) {', '.join(missing)}; the header needs "
            + ", ".join(COLUMNS[:4])
            + (" (coder may be left out with --agreed)" if not agreed else "")
        )
    comments = {c.ref.lower(): c for c in store.comments()}
    book = store.codebook()
    categories: dict[str, Category] = _lookup(book.categories)
    themes: dict[str, Theme] = _lookup(book.themes)
    onehot = _theme_columns(path, header, themes)
    errors: list[str] = []
    parsed: list[tuple[int, ListedComment, str, tuple[Any, ...]]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        problems = []
        ref = row.get("ref", "")
        comment = comments.get(ref.lower())
        if not ref:
            problems.append("the comment ref is empty")
        elif comment is None:
            problems.append(f"comment {ref!r} is not in the project")
        elif comment.excluded:
            problems.append(f"comment {ref!r} is excluded from coding ({comment.excluded_reason})")
        coder = AGREED if agreed else row.get("coder", "")
        if not agreed:
            try:
                coder = known_or_new(store, coder) if coder else ""
            except WorkbenchError as exc:
                problems.append(str(exc))
                coder = ""
            if not coder and not problems:
                problems.append("the coder is empty")
        category_text = row.get("category", "")
        category = categories.get(normalise(category_text)) if category_text else None
        if category_text and category is None:
            problems.append(
                f"unknown category {category_text!r} (categories: "
                + ", ".join(f"{c.key} = {c.name}" for c in book.categories)
                + ")"
            )
        theme_keys = []
        for name in filter(None, (t.strip() for t in re.split(r"[;|]", row.get("themes", "")))):
            theme = themes.get(normalise(name))
            if theme is None:
                problems.append(f"unknown theme {name!r}")
            elif theme.key not in theme_keys:
                theme_keys.append(theme.key)
        for column, key in onehot.items():
            value = row.get(column, "").lower()
            if value not in _TRUE | _FALSE:
                problems.append(
                    f"column {column!r} must be 1 or 0 (yes/no), not {row.get(column)!r}"
                )
            elif value in _TRUE:
                theme_keys.append(key)
        if category is not None or not category_text:  # an unknown one is said above
            try:
                book.check(Coding(category.key if category else None, tuple(theme_keys)))
            except CodingRuleError as exc:
                problems.append(str(exc))
        flags = {}
        for flag in ("unsure", "exemplar"):
            value = row.get(flag, "").lower()
            if value not in _TRUE | _FALSE:
                problems.append(f"{flag} must be yes/no (or 1/0), not {row.get(flag)!r}")
            flags[flag] = value in _TRUE
        pair = (ref.lower(), coder.lower())
        if comment is not None and coder and pair in seen:
            problems.append(f"duplicate of row {seen[pair]} (same comment and coder)")
        seen.setdefault(pair, number)
        if problems or comment is None:  # (a missing comment is a problem said above)
            errors += [f"{path}: row {number}: {p}" for p in problems]
            continue
        parsed.append(
            (
                number,
                comment,
                coder,
                (
                    category.key if category else None,
                    book.ordered(theme_keys),
                    clean_memo(row.get("memo", "")),
                    flags["unsure"],
                    flags["exemplar"],
                ),
            )
        )
    if errors:
        raise SheetError("\n".join(errors) + f"\n{len(errors)} problem(s); nothing was imported.")
    backup = (
        store.automatic_backup(f"codings import {path.name}")
        if overwrite and store.coding_count()
        else None
    )
    summary = _write(store, path, parsed, agreed, overwrite, actor)
    summary.backup = str(backup) if backup else None
    summary.needs_theme = [
        comment.ref
        for _, comment, _, values in parsed
        if book.takes_themes(values[0]) and not values[1]
    ]
    return summary


def _lookup(entries):
    """Entries by key and name, and by shortcut where that names nothing else."""
    table = {}
    for entry in entries:
        table[normalise(entry.key)] = entry
        table[normalise(entry.name)] = entry
    for entry in entries:
        if entry.shortcut:  # an entry past the keyboard has none
            table.setdefault(normalise(entry.shortcut), entry)
    return table


def _theme_columns(path: Path, header: list[str], themes: dict[str, Theme]) -> dict[str, str]:
    """One-hot theme columns (header → theme key); refuses columns nobody reads."""
    known = set(COLUMNS) | set(INFO_COLUMNS)
    onehot, unknown = {}, []
    for column in header:
        if not column or column in known:
            continue
        theme = themes.get(normalise(column))
        if theme is not None and normalise(column) != normalise(theme.shortcut or "\0"):
            onehot[column] = theme.key
        else:
            unknown.append(column)
    if unknown:
        raise SheetError(
            f"{path}: row 1: column(s) {', '.join(map(repr, unknown))} not understood; a sheet "
            f"has {', '.join(COLUMNS)} (themes either in 'themes' or as one 0/1 column named after "
            f"each theme) and may have {', '.join(INFO_COLUMNS)}. Rename or delete those columns; "
            "nothing was imported."
        )
    if onehot and "themes" in header:
        raise SheetError(
            f"{path}: row 1: themes are given twice, in 'themes' and as theme columns "
            f"({', '.join(onehot)}); keep one of the two. Nothing was imported."
        )
    return onehot


def _write(store, path, parsed, agreed, overwrite, actor) -> SheetImport:
    from workbench.coding.session import codings_by_comment, write_coding

    summary = SheetImport(str(path))
    with store.transaction():
        coders = {}
        for _, _, name, _ in parsed:
            if name.lower() in coders:
                continue
            coder = store.coder_named(name)
            if coder is None:
                coder = store.add_coder(name, "agreed" if agreed else "coder")
                store.audit("create", "coder", name, after={"name": name}, actor=actor)
            elif (coder.kind == "agreed") != agreed:
                raise SheetError(f"{path}: coder {name!r} is reserved for the agreed coding")
            coders[name.lower()] = coder
        current = {c.id: codings_by_comment(store, c.id) for c in coders.values()}
        conflicts = []
        for number, comment, name, values in parsed:
            coder = coders[name.lower()]
            before = current[coder.id].get(comment.id, Coding())
            after = Coding(*values)
            summary.coders[name] = summary.coders.get(name, 0) + 1
            if before == after:
                summary.unchanged += 1
                continue
            if not before.empty:
                if not overwrite:
                    conflicts.append(
                        f"{path}: row {number}: {comment.ref} is already coded by {name} "
                        "differently"
                    )
                    continue
                summary.changed += 1
            else:
                summary.new += 1
            write_coding(
                store,
                coder,
                comment.id,
                comment.ref,
                before,
                after,
                "import",
                actor=actor or name,
                note=f"from {Path(path).name}",
            )
            if agreed:
                store.save_reconciliation(
                    comment.id, "imported", f"from {Path(path).name}", [], actor or name
                )
        if conflicts:
            more = f"\n… and {len(conflicts) - 50} more" if len(conflicts) > 50 else ""
            raise SheetError(
                "\n".join(conflicts[:50])
                + more
                + f"\n{len(conflicts)} row(s) would replace existing codings; re-run with "
                "--overwrite to replace them (the audit log keeps the old ones). Nothing was imported."
            )
    return summary
