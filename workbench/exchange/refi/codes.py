"""The codebook as REFI-QDA codes and sets, shared by the .qdc and the .qdpx export.

The codebook becomes three top-level, non-codable folder codes:

* ``Categories``: one codable code per category (name, description);
* ``Themes``: one codable code per theme (name, definition);
* ``Flags`` (project only): the codable codes ``Not sure`` and ``Exemplar``, so the
  coder's two flags travel as codings.

Themes are shared by every theme-taking category, so they are not nested under a
category; which categories take themes is said twice: by one ``Set`` per
theme-taking category ("Themes of <category>", the themes as members) and in the
codes' markers. A marker is an XML comment in the code, ``<!-- workbench: {json} -->``
(other programs do not show it; the code's ``Description`` is only its description
or definition, the memo other programs show), carrying the stable key, shortcut,
``takes_themes`` and polarity (and, on the ``Categories`` folder, the codebook's key,
name, version and SHA-256), so an import maps codes back to keys exactly. Every
codable code has a fixed ``color`` (effective green, ineffective red, the rest from
a palette by position), so other programs show the same colours on every import.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from workbench.exchange.refi.qdaxml import Guids, subelement, write_marker
from workbench.project.lifecycle import active_codebook
from workbench.store import Store
from workbench.store.codebook import Category, Theme

_FLAGS = (
    ("unsure", "Not sure", "The coder was not sure of this coding."),
    ("exemplar", "Exemplar", "An exemplar quote of its themes."),
)
# Code colours (REFI ``color``): without one, QualCoder picks a random colour on every import.
# Light enough to highlight text under; effective and ineffective categories green and red.
_POLARITY_COLOURS = {"effective": "#8FD18F", "ineffective": "#F09A9A"}
_PALETTE = (
    "#9CC3E6",
    "#F6C57F",
    "#C3A6E0",
    "#F2E07A",
    "#86D0C8",
    "#F3A8C9",
    "#B5D67A",
    "#E8B796",
    "#A3B8F0",
    "#D9D27C",
    "#9ED9A8",
    "#F0B0A0",
    "#B9C4CF",
    "#E3A8E8",
    "#8FCFE8",
    "#E6CC9A",
    "#C9E3A5",
    "#D4B8A8",
    "#A8D8D8",
    "#F5D0E0",
    "#BFB5E8",
    "#E0E08A",
    "#A9C9B0",
    "#EFC1A8",
)
_FLAG_COLOURS = {"unsure": "#FFB347", "exemplar": "#FFE066"}


@dataclass
class _CodeGuids:
    categories: dict[str, str] = field(default_factory=dict)
    themes: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)


def codebook_entries(store: Store) -> tuple[list[Category], list[Theme]]:
    """Active categories and themes, plus retired ones some coding still uses."""
    used_categories: set[str] = set()
    used_themes: set[str] = set()
    for coder in store.coders():
        for row in store.codings_of(coder.id).values():
            if row.category_key:
                used_categories.add(row.category_key)
            used_themes.update(row.themes)
    categories = [
        c
        for c in store.categories(include_retired=True)
        if not c.retired or c.key in used_categories
    ]
    themes = [
        t for t in store.themes(include_retired=True) if not t.retired or t.key in used_themes
    ]
    return categories, themes


def build_codes(
    store: Store, guid: Guids, codes: ET.Element, ns: str, flags: bool
) -> tuple[_CodeGuids, list]:
    """The folder codes under ``codes``; returns the GUIDs and the sets (name, description, members)."""
    book = active_codebook(store)
    categories, themes = codebook_entries(store)
    ids = _CodeGuids()
    folder = subelement(
        codes, ns, "Code", guid=guid("folder", "categories"), name="Categories", isCodable="false"
    )
    write_marker(
        folder,
        ns,
        f"The categories of codebook {book['name']!r} {book['version']}: code each comment with exactly one.",
        {
            "kind": "folder",
            "role": "categories",
            "codebook": {
                "key": book["key"],
                "name": book["name"],
                "version": book["version"],
                "description": book["description"],
                "sha256": book["sha256"],
            },
        },
    )
    palette = iter(_PALETTE * (1 + (len(categories) + len(themes)) // len(_PALETTE)))
    for cat in categories:
        ids.categories[cat.key] = guid("category", cat.key)
        code = subelement(
            folder,
            ns,
            "Code",
            guid=ids.categories[cat.key],
            name=cat.name,
            isCodable="true",
            color=_POLARITY_COLOURS.get(cat.polarity or "") or next(palette),
        )
        marker = {
            "kind": "category",
            "key": cat.key,
            "shortcut": cat.shortcut,
            "takes_themes": bool(cat.takes_themes),
            "polarity": cat.polarity,
        }
        if cat.retired:
            marker["retired"] = True
        write_marker(code, ns, cat.description, marker)
    if themes:
        folder = subelement(
            codes, ns, "Code", guid=guid("folder", "themes"), name="Themes", isCodable="false"
        )
        write_marker(
            folder,
            ns,
            "Themes, coded (one or more) on comments of a category that takes themes.",
            {"kind": "folder", "role": "themes"},
        )
        for theme in themes:
            ids.themes[theme.key] = guid("theme", theme.key)
            code = subelement(
                folder,
                ns,
                "Code",
                guid=ids.themes[theme.key],
                name=theme.name,
                isCodable="true",
                color=next(palette),
            )
            marker = {"kind": "theme", "key": theme.key, "shortcut": theme.shortcut}
            if theme.retired:
                marker["retired"] = True
            write_marker(code, ns, theme.definition, marker)
    if flags:
        folder = subelement(
            codes, ns, "Code", guid=guid("folder", "flags"), name="Flags", isCodable="false"
        )
        write_marker(
            folder, ns, "A coder's flags on a comment.", {"kind": "folder", "role": "flags"}
        )
        for key, name, description in _FLAGS:
            ids.flags[key] = guid("flag", key)
            code = subelement(
                folder,
                ns,
                "Code",
                guid=ids.flags[key],
                name=name,
                isCodable="true",
                color=_FLAG_COLOURS[key],
            )
            write_marker(code, ns, description, {"kind": "flag", "flag": key})
    sets = [
        (
            f"Themes of {cat.name}",
            f"The themes a comment of {cat.name!r} may carry.",
            list(ids.themes.values()),
        )
        for cat in categories
        if cat.takes_themes and ids.themes
    ]
    return ids, sets


def add_sets(root: ET.Element, ns: str, sets: list, guid, member_attribute: str) -> None:
    """The category and theme Sets; a MemberCode names its code by ``guid`` in a codebook
    and by ``targetGUID`` in a project (the two schemas differ there)."""
    if not sets:
        return
    holder = subelement(root, ns, "Sets")
    for name, description, members in sets:
        item = subelement(holder, ns, "Set", guid=guid("set", name), name=name)
        subelement(item, ns, "Description", description)
        for member in members:
            subelement(item, ns, "MemberCode", **{member_attribute: member})
