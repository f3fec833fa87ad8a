"""REFI-QDA codes → a Workbench codebook (``read_qdc``, ``qdc_to_toml``; ``import_qdpx`` uses the plan).

Codes under the marked ``Categories``/``Themes``/``Flags`` folders of a Workbench
export (see :mod:`.codes`) map back to categories, themes and flags by their
markers. Any other code (a file made by another tool) follows one rule: a
top-level code is a category; every code nested below it (any depth) is a theme,
and coding with a theme implies its top-level category. Themes of the same name
under several categories are one theme. A category takes themes when codes are
nested under it. Keys are slugs of the names (``Role shift`` → ``role_shift``),
shortcuts are assigned where the file has none. (A project file without codes
gets the bundled codebook: see :mod:`.importer`.)
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from workbench.exchange.refi.qdaxml import (
    _MARKER_RE,
    RefiError,
    _child,
    _children,
    _json_object,
    _local,
    _marker_of,
    _parse,
    norm_guid,
)


@dataclass
class _Code:
    guid: str
    name: str
    codable: bool
    description: str
    marker: dict | None
    children: list["_Code"]


def _read_codes(parent: ET.Element | None) -> list[_Code]:
    """The codes under ``parent`` (recursive: nesting is bounded by the ``depth`` limit at parsing)."""
    from workbench import limits

    codes = []
    for element in _children(parent, "Code"):
        description = (_child(element, "Description").text or "") if _child(element, "Description") is not None else ""
        limits.check("field-length", len(description), f"code {element.get('name')!r}", "its description")
        marker = _marker_of(element)
        match = _MARKER_RE.search(description)
        if match:  # the marker as older exports wrote it: the Description's last line
            old = _json_object(match.group(1))
            if old is not None:
                marker = marker or old
                description = description[: match.start()].rstrip()
        guid = norm_guid(element.get("guid")) or f"missing-{len(codes)}-{element.get('name')}"
        codes.append(_Code(guid, " ".join((element.get("name") or "").split()),
                           (element.get("isCodable") or "true").strip().lower() in ("true", "1"),
                           description.strip(), marker, _read_codes(element)))
    return codes


_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def slug(name: str) -> str:
    """``"Recognize other's expertise"`` → ``recognize_other_s_expertise``; always a valid key."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if not key:
        return "code"
    return key if key[0].isalpha() else f"c_{key}"


@dataclass
class _Entry:
    key: str
    name: str
    description: str
    shortcut: str | None = None
    takes_themes: bool = False
    polarity: str | None = None


@dataclass
class CodebookPlan:
    """The codebook a set of REFI codes maps to, and what each code means."""

    header: dict
    categories: list[_Entry] = field(default_factory=list)
    themes: list[_Entry] = field(default_factory=list)
    # code GUID → ("category", key, None) | ("theme", key, implied category or None) | ("flag", name, None)
    codes: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    mapping: list[str] = field(default_factory=list)  # "code path → category key" lines for the report
    notes: list[str] = field(default_factory=list)


def plan_codebook(codes: list[_Code], name: str, source: str) -> CodebookPlan:
    """Map REFI codes onto categories and themes (see the module docstring)."""
    plan = CodebookPlan({"key": slug(name), "name": name or "Imported codes", "version": "1",
                         "description": f"Imported from {source}."})
    theme_by_name: dict[str, _Entry] = {}
    category_keys: set[str] = set()
    theme_keys: set[str] = set()

    def new_key(marker: dict | None, name: str, taken: set[str]) -> str:
        wanted = marker.get("key") if marker else None
        key = wanted if isinstance(wanted, str) and _KEY_RE.match(wanted) and wanted not in taken else slug(name)
        base, n = key, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        taken.add(key)
        return key

    def add_category(code: _Code) -> _Entry:
        marker = code.marker or {}
        entry = _Entry(new_key(code.marker, code.name, category_keys), code.name or "Unnamed code", code.description,
                       marker.get("shortcut") if isinstance(marker.get("shortcut"), str) else None,
                       bool(marker.get("takes_themes")),
                       marker.get("polarity") if marker.get("polarity") in ("effective", "ineffective") else None)
        plan.categories.append(entry)
        plan.codes[code.guid] = ("category", entry.key, None)
        return entry

    def add_theme(code: _Code, implied: _Entry | None, path: str) -> None:
        marker = code.marker or {}
        folded = (code.name or "Unnamed code").casefold()
        wanted = marker.get("key") if isinstance(marker.get("key"), str) else None
        entry = next((t for t in plan.themes if wanted and t.key == wanted), None) or theme_by_name.get(folded)
        if entry is None:
            entry = _Entry(new_key(code.marker, code.name, theme_keys), code.name or "Unnamed code", code.description,
                           marker.get("shortcut") if isinstance(marker.get("shortcut"), str) else None)
            plan.themes.append(entry)
            theme_by_name[folded] = entry
        elif code.description and not entry.description:
            entry.description = code.description
        plan.codes[code.guid] = ("theme", entry.key, implied.key if implied else None)
        if implied is not None:
            implied.takes_themes = True
        plan.mapping.append(f"{path} → theme {entry.key}" + (f" (implies category {implied.key})" if implied else ""))

    def nested(children: list[_Code], implied: _Entry | None, path: str) -> None:
        for child in children:
            add_theme(child, implied, f"{path} / {child.name}")
            nested(child.children, implied, f"{path} / {child.name}")

    def walk(codes: list[_Code], role: str | None, path: str) -> None:
        for code in codes:
            here = f"{path} / {code.name}" if path else code.name
            kind = (code.marker or {}).get("kind")
            if kind == "folder":
                folder_role = code.marker.get("role")
                if folder_role == "categories" and isinstance(code.marker.get("codebook"), dict):
                    book = code.marker["codebook"]
                    for key in ("key", "name", "version", "description"):
                        if isinstance(book.get(key), str) and (book[key] or key == "description"):
                            plan.header[key] = book[key]
                walk(code.children, folder_role, here)
            elif role == "flags":
                flag = (code.marker or {}).get("flag")
                if flag in ("unsure", "exemplar"):
                    plan.codes[code.guid] = ("flag", flag, None)
                    plan.mapping.append(f"{here} → flag {flag}")
                else:
                    plan.notes.append(f"code {here!r}: an unknown flag; its codings are not imported")
                nested_ignored(code.children, here)
            elif role == "themes":
                add_theme(code, None, here)
                walk(code.children, "themes", here)
            else:
                entry = add_category(code)
                plan.mapping.append(f"{here} → category {entry.key}")
                nested(code.children, entry, here)

    def nested_ignored(children: list[_Code], path: str) -> None:
        for child in children:
            plan.notes.append(f"code {path} / {child.name!r}: under a flag; its codings are not imported")

    walk(codes, None, "")
    for cat in plan.categories:
        if not cat.takes_themes:
            cat.polarity = None
    if plan.themes and not any(c.takes_themes for c in plan.categories):
        # Themes from a Themes folder with no marker saying which categories take them.
        for cat in plan.categories:
            cat.takes_themes = True
        plan.notes.append("no category was marked as taking themes: every category takes themes")
    _assign_shortcuts(plan)
    return plan


_POOL = "123456789" + "abcdefghijklmnopqrstuvwxyz" + "0!@#$%^&*()-=[];',./`~_+{}|:<>?"


def _assign_shortcuts(plan: CodebookPlan) -> None:
    from workbench.project.codebook import RESERVED_KEYS

    # The screens' own keys are never given to a code (case matters for those: "m" is
    # free, "M" merges), nor is a key twice in either case.
    used: set[str] = {k for k in RESERVED_KEYS if k.lower() == k}
    reserved = set(RESERVED_KEYS)
    entries = plan.categories + plan.themes
    for entry in entries:  # keep the file's own shortcuts where they are usable
        s = entry.shortcut
        if s and len(s) == 1 and not s.isspace() and s.lower() not in used and s not in reserved:
            used.add(s.lower())
        else:
            entry.shortcut = None

    def take(preferred: str) -> str:
        for ch in (*preferred, *_POOL):
            if ch.lower() not in used and not ch.isspace() and ch not in reserved:
                used.add(ch.lower())
                return ch
        cp = 0x4E00  # past the keyboard: CJK ideographs, unique and single characters
        while chr(cp) in used:
            cp += 1
        used.add(chr(cp))
        return chr(cp)

    for entry in plan.categories:
        if entry.shortcut is None:
            entry.shortcut = take("")
    for entry in plan.themes:
        if entry.shortcut is None:
            first = next((ch for ch in entry.name.lower() if "a" <= ch <= "z"), "")
            entry.shortcut = take(first)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def codebook_toml(plan: CodebookPlan, source: str) -> str:
    """The codebook TOML of a plan (``workbench init --codebook`` and ``codebook --replace`` read it)."""
    from workbench import __version__

    lines = [f"# Codebook imported from {' '.join(source.split())} by Workbench {__version__}.", "",
             "[codebook]"]
    for key in ("key", "name", "version", "description"):
        lines.append(f"{key} = {_toml_string(plan.header[key])}")
    for cat in plan.categories:
        lines += ["", "[[category]]", f"key = {_toml_string(cat.key)}", f"name = {_toml_string(cat.name)}",
                  f"shortcut = {_toml_string(cat.shortcut)}", f"takes_themes = {'true' if cat.takes_themes else 'false'}"]
        if cat.polarity:
            lines.append(f"polarity = {_toml_string(cat.polarity)}")
        if cat.description:
            lines.append(f"description = {_toml_string(cat.description)}")
    for theme in plan.themes:
        lines += ["", "[[theme]]", f"key = {_toml_string(theme.key)}", f"name = {_toml_string(theme.name)}",
                  f"shortcut = {_toml_string(theme.shortcut)}"]
        if theme.description:
            lines.append(f"definition = {_toml_string(theme.description)}")
    return "\n".join(lines) + "\n"


def read_qdc(path: str | Path) -> CodebookPlan:
    """Read a REFI-QDA codebook (.qdc) into a codebook plan."""
    from workbench.files import read_bytes

    path = Path(path)
    root = _parse(read_bytes(path, "config-size", "codebook", RefiError), str(path))
    if _local(root) != "CodeBook":
        raise RefiError(f"{path}: the root element is <{_local(root)}>, not <CodeBook>; is it a .qdc codebook?")
    codes = _read_codes(_child(root, "Codes"))
    if not codes:
        raise RefiError(f"{path}: <Codes> holds no <Code>; there is no codebook to import")
    return plan_codebook(codes, path.stem, path.name)


def qdc_to_toml(path: str | Path) -> str:
    """A .qdc codebook as Workbench codebook TOML (validated)."""
    from workbench.project.codebook import parse_codebook

    plan = read_qdc(path)
    text = codebook_toml(plan, Path(path).name)
    parse_codebook(text.encode("utf-8"), f"{path} (converted)")
    return text
