"""The codebook as REFI-QDA codes and sets, shared by the .qdc and the .qdpx export.

The codebook becomes three top-level, non-codable folder codes:

* ``Categories``: one codable code per category (name, description);
* ``Themes``: one codable code per theme (name, definition);
* ``Flags`` (project only): the codable codes ``Not sure`` and ``Exemplar``, so the
  coder's two flags travel as codings.

Themes are shared by every theme-taking category, so they are not nested under a
category; which categories take themes is said twice: by one ``Set`` per
theme-taking category ("Themes of <category>", the themes as members) and in the
codes' markers. A marker is the last line of a code's ``Description``,
``workbench: {json}``, carrying the stable key, shortcut, ``takes_themes`` and
polarity (and, on the ``Categories`` folder, the codebook's key, name and version),
so an import maps codes back to keys exactly, also after another tool re-exports
the file with the descriptions kept.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from workbench.exchange.refi.qdaxml import _Guids, _marked, _sub
from workbench.store import Store

_FLAGS = (("unsure", "Not sure", "The coder was not sure of this coding."),
          ("exemplar", "Exemplar", "An exemplar quote of its themes."))

@dataclass
class _CodeGuids:
    categories: dict[str, str] = field(default_factory=dict)
    themes: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)


def _codebook_entries(store: Store) -> tuple[list[dict], list[dict]]:
    """Active categories and themes, plus retired ones some coding still uses."""
    used_categories, used_themes = set(), set()
    for coder in store.coders():
        for row in store.codings_of(coder["id"]).values():
            if row["category_key"]:
                used_categories.add(row["category_key"])
            used_themes.update(row["themes"])
    categories = [c for c in store.categories(include_retired=True)
                  if not c["retired"] or c["key"] in used_categories]
    themes = [t for t in store.themes(include_retired=True) if not t["retired"] or t["key"] in used_themes]
    return categories, themes


def _build_codes(store: Store, guid: _Guids, codes: ET.Element, ns: str, flags: bool) -> tuple[_CodeGuids, list]:
    """The folder codes under ``codes``; returns the GUIDs and the sets (name, description, members)."""
    book = store.active_codebook()
    categories, themes = _codebook_entries(store)
    ids = _CodeGuids()
    folder = _sub(codes, ns, "Code", guid=guid("folder", "categories"), name="Categories", isCodable="false")
    _sub(folder, ns, "Description", _marked(
        f"The categories of codebook {book['name']!r} {book['version']}: code each comment with exactly one.",
        {"kind": "folder", "role": "categories", "codebook": {
            "key": book["key"], "name": book["name"], "version": book["version"],
            "description": book["description"], "sha256": book["sha256"]}}))
    for cat in categories:
        ids.categories[cat["key"]] = guid("category", cat["key"])
        code = _sub(folder, ns, "Code", guid=ids.categories[cat["key"]], name=cat["name"], isCodable="true")
        marker = {"kind": "category", "key": cat["key"], "shortcut": cat["shortcut"],
                  "takes_themes": bool(cat["takes_themes"]), "polarity": cat["polarity"]}
        if cat["retired"]:
            marker["retired"] = True
        _sub(code, ns, "Description", _marked(cat["description"], marker))
    if themes:
        folder = _sub(codes, ns, "Code", guid=guid("folder", "themes"), name="Themes", isCodable="false")
        _sub(folder, ns, "Description", _marked(
            "Themes, coded (one or more) on comments of a category that takes themes.",
            {"kind": "folder", "role": "themes"}))
        for theme in themes:
            ids.themes[theme["key"]] = guid("theme", theme["key"])
            code = _sub(folder, ns, "Code", guid=ids.themes[theme["key"]], name=theme["name"], isCodable="true")
            marker = {"kind": "theme", "key": theme["key"], "shortcut": theme["shortcut"]}
            if theme["retired"]:
                marker["retired"] = True
            _sub(code, ns, "Description", _marked(theme["definition"], marker))
    if flags:
        folder = _sub(codes, ns, "Code", guid=guid("folder", "flags"), name="Flags", isCodable="false")
        _sub(folder, ns, "Description", _marked("A coder's flags on a comment.", {"kind": "folder", "role": "flags"}))
        for key, name, description in _FLAGS:
            ids.flags[key] = guid("flag", key)
            code = _sub(folder, ns, "Code", guid=ids.flags[key], name=name, isCodable="true")
            _sub(code, ns, "Description", _marked(description, {"kind": "flag", "flag": key}))
    sets = [
        (f"Themes of {cat['name']}", f"The themes a comment of {cat['name']!r} may carry.",
         list(ids.themes.values()))
        for cat in categories if cat["takes_themes"] and ids.themes
    ]
    return ids, sets


def _add_sets(root: ET.Element, ns: str, sets: list, guid, member_attribute: str) -> None:
    """The category and theme Sets; a MemberCode names its code by ``guid`` in a codebook
    and by ``targetGUID`` in a project (the two schemas differ there)."""
    if not sets:
        return
    holder = _sub(root, ns, "Sets")
    for name, description, members in sets:
        item = _sub(holder, ns, "Set", guid=guid("set", name), name=name)
        _sub(item, ns, "Description", description)
        for member in members:
            _sub(item, ns, "MemberCode", **{member_attribute: member})
