"""A table codebook's rows → a tree of codes: paths written in one cell, a parent column, or both.

A code's path may be written with ``>>`` (QualCoder), ``::`` (ATLAS.ti's naming), ``\\`` (MAXQDA,
NVivo), ``>`` (MAXQDA) or ``/`` between levels, several in one file; ``/`` only where every
parent it would make is a code of the file too (``Yes/No`` stays one name). A parent column
names a code by its path or by a name only one code has; a child whose name repeats its
parent's (Taguette writes ``food.fruit`` under ``food``) is named without it. NVivo's ``Nodes``
folder at the head of every path is left out. Parents named only in paths are made. What was
read so goes into ``notes``; a code on two rows, a row without a code, a parent loop are refused
naming the row (:class:`~workbench.errors.CodebookError`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import CodebookError

# Separators of a path in one cell, tried in this order.
SEPARATORS = (">>", "::", "\\", ">", "/")
_KNOWN_ROOTS = ("nodes", "codes")  # NVivo's folder at the head of a hierarchical name


@dataclass
class Node:
    """A code of the tree read from a table: its row, description and children."""

    name: str
    row: int  # 0: a parent made from a path, with no row of its own
    description: str = ""
    children: dict[str, Node] = field(default_factory=dict)


# A row's code: (row number, its path of names, its parent cell, its description).
_Entry = tuple[int, tuple[str, ...], str, str]


def build_tree(
    path: Path, rows: list[tuple[int, str, str, str]], column: str, notes: list[str]
) -> dict[str, Node]:
    """``rows``: (row number, code cell, parent cell, description) → the top-level codes, each
    with its children (by folded name); ``column`` names the code column in messages."""
    separators = _separators([code for _, code, _, _ in rows], notes)
    pattern = re.compile("|".join(re.escape(s) for s in separators)) if separators else None

    def split(text: str) -> tuple[str, ...]:
        parts = pattern.split(text) if pattern else [text]
        return tuple(p.strip() for p in parts if p.strip())

    entries: list[_Entry] = []
    for number, code, parent, description in rows:
        own = split(code)
        if not own and parent:  # "Category, Code" sheets: the category alone is the category
            own, parent = split(parent), ""
        if not own:
            raise CodebookError(
                f"{path}: row {number}: no code name in column {column}; give every row a code, "
                "or delete the row"
            )
        entries.append((number, own, parent, description))
    if all(len(own) > 1 and own[0].lower() in _KNOWN_ROOTS for _, own, _, _ in entries):
        notes.append(
            f"the folder {entries[0][1][0]!r} at the head of every path left out (NVivo's)"
        )
        entries = [(n, own[1:], parent, d) for n, own, parent, d in entries]
    full = _full_paths(path, entries, split, notes)
    roots: dict[str, Node] = {}
    rows_of: dict[tuple[str, ...], int] = {}
    made: set[tuple[str, ...]] = set()
    for (number, _, _, description), trail in zip(entries, full, strict=True):
        folded = tuple(p.casefold() for p in trail)
        if folded in rows_of:
            raise CodebookError(
                f"{path}: row {number}: code {' > '.join(trail)!r} is already on row "
                f"{rows_of[folded]}; give each code one row"
            )
        rows_of[folded] = number
        holder, node = roots, None
        for depth, name in enumerate(trail, start=1):
            node = holder.get(name.casefold())
            if node is None:
                node = holder[name.casefold()] = Node(name, 0)
                made.add(folded[:depth])
            holder = node.children
        assert node is not None  # every row's path has a name (checked above)
        node.row, node.description = number, description
        made.discard(folded)
    made -= set(rows_of)
    if made:
        notes.append(
            "parent code(s) named in paths but not on a row of their own, made without a "
            "description: " + ", ".join(sorted(" > ".join(_named(roots, m)) for m in made))
        )
    return roots


def _full_paths(
    path: Path,
    entries: list[_Entry],
    split: Callable[[str], tuple[str, ...]],
    notes: list[str],
) -> list[tuple[str, ...]]:
    """Each row's path from the top: its own, under its parent column's code (named by path or by a
    name only one code has), that code's under its own parent, and so on."""
    by_own = {tuple(p.casefold() for p in own): i for i, (_, own, _, _) in enumerate(entries)}
    by_name: dict[str, list[int]] = {}
    for i, (_, own, _, _) in enumerate(entries):
        by_name.setdefault(own[-1].casefold(), []).append(i)
    done: dict[int, tuple[str, ...]] = {}
    stripped = 0

    def resolve(i: int, seen: tuple[int, ...]) -> tuple[str, ...]:
        nonlocal stripped
        if i in done:
            return done[i]
        number, own, parent, _ = entries[i]
        if not parent:
            done[i] = own
            return own
        trail = split(parent)
        folded = tuple(p.casefold() for p in trail)
        j = by_own.get(folded)
        if j is None and len(trail) == 1 and len(by_name.get(folded[0], [])) == 1:
            j = by_name[folded[0]][0]
        if j is not None and (j == i or j in seen):
            raise CodebookError(
                f"{path}: row {number}: code {own[-1]!r} is its own parent (through "
                f"{parent!r}); fix the parent column"
            )
        above = resolve(j, (*seen, i)) if j is not None else trail
        name = own
        head = above[-1]
        for mark in (".", *SEPARATORS):  # Taguette writes a child's tag as its whole path
            if (
                len(own) == 1
                and own[0].casefold().startswith(f"{head.casefold()}{mark}")
                and len(own[0]) > len(head) + len(mark)
            ):
                name = (own[0][len(head) + len(mark) :].strip(),)
                stripped += 1
                break
        done[i] = (*above, *name)
        return done[i]

    result = [resolve(i, ()) for i in range(len(entries))]
    if stripped:
        notes.append(
            f"{stripped} code name(s) that began with their parent's name written without it"
        )
    return result


def _named(roots: dict[str, Node], folded: tuple[str, ...]) -> list[str]:
    names, holder = [], roots
    for part in folded:
        node = holder[part]
        names.append(node.name)
        holder = node.children
    return names


def _separators(codes: list[str], notes: list[str]) -> list[str]:
    """The separators the code column uses (several may: MAXQDA reads both '\\' and '>'); '/'
    only where every parent it would make is a code of the file too."""
    found = []
    for sep in SEPARATORS:
        having = [
            c
            for c in codes
            if sep in c and not (sep == ">" and ">>" in c and c.count(">") == 2 * c.count(">>"))
        ]
        if not having:
            continue
        if sep == "/":
            known = {c.strip().casefold() for c in codes}
            if not all(c.rsplit("/", 1)[0].strip().casefold() in known for c in having):
                notes.append(
                    f"'/' in {len(having)} code name(s) read as part of the name (the parents it "
                    "would make are not codes of the file)"
                )
                continue
        found.append(sep)
        notes.append(f"code paths read with {sep!r} between levels ({len(having)} row(s))")
    return found
