"""REFI-QDA codes → a Workbench codebook (``read_qdc``, ``qdc_to_toml``; the import uses the plan).

Codes under the marked ``Categories``/``Themes``/``Flags`` folders of a Workbench
export (see :mod:`.codes`) map back to categories, themes and flags by their
markers. Any other code (a file made by another tool) follows the nesting rule of
:mod:`workbench.project.codebook_plan`: a top-level code is a category, every code
nested below it a theme implying its category; codes of the same name under different
parents stay apart (the parent in the name); shortcuts are keys of the keyboard, and
past them an entry has none. (A project file without codes gets the bundled codebook:
see :mod:`.importer`.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from workbench.exchange.refi.qdaxml import (
    MARKER_RE,
    RefiError,
    child_named,
    children_named,
    json_object,
    local_name,
    marker_of,
    norm_guid,
    parse_refi,
)
from workbench.project.codebook_plan import CodebookPlan, PlanBuilder, codebook_toml, slug

__all__ = [
    "CodebookPlan",
    "CodeRecord",
    "codebook_toml",
    "plan_codebook",
    "qdc_to_toml",
    "read_codes",
    "read_qdc",
    "slug",
]


@dataclass
class CodeRecord:
    guid: str
    name: str
    codable: bool
    description: str
    marker: dict | None
    children: list[CodeRecord]


def read_codes(parent: ET.Element | None) -> list[CodeRecord]:
    """The codes under ``parent`` (recursive: the ``depth`` limit at parsing bounds the nesting)."""
    from workbench import limits

    codes: list[CodeRecord] = []
    for element in children_named(parent, "Code"):
        described = child_named(element, "Description")
        description = (described.text or "") if described is not None else ""
        limits.check(
            "field-length", len(description), f"code {element.get('name')!r}", "its description"
        )
        marker = marker_of(element)
        match = MARKER_RE.search(description)
        if match:  # the marker as older exports wrote it: the Description's last line
            old = json_object(match.group(1))
            if old is not None:
                marker = marker or old
                description = description[: match.start()].rstrip()
        guid = norm_guid(element.get("guid")) or f"missing-{len(codes)}-{element.get('name')}"
        codes.append(
            CodeRecord(
                guid,
                " ".join((element.get("name") or "").split()),
                (element.get("isCodable") or "true").strip().lower() in ("true", "1"),
                description.strip(),
                marker,
                read_codes(element),
            )
        )
    return codes


def plan_codebook(codes: list[CodeRecord], name: str, source: str) -> CodebookPlan:
    """Map REFI codes onto categories and themes (see the module docstring)."""
    builder = PlanBuilder(
        {
            "key": slug(name),
            "name": name or "Imported codes",
            "version": "1",
            "description": f"Imported from {source}.",
        }
    )
    plan = builder.plan

    def shortcut(marker: dict) -> str | None:
        return marker.get("shortcut") if isinstance(marker.get("shortcut"), str) else None

    def key(marker: dict) -> str | None:
        return marker.get("key") if isinstance(marker.get("key"), str) else None

    def nested(children: list[CodeRecord], implied, path: list[str]) -> None:
        for child in children:
            here = [*path, child.name]
            marker = child.marker or {}
            builder.theme(
                child.guid,
                here,
                child.description,
                implied,
                key=key(marker),
                shortcut=shortcut(marker),
            )
            nested(child.children, implied, here)

    def walk(codes: list[CodeRecord], role: str | None, path: list[str]) -> None:
        for code in codes:
            here = [*path, code.name]
            marker = code.marker or {}
            kind = marker.get("kind")
            if kind == "folder":
                folder_role = marker.get("role")
                if folder_role == "categories" and isinstance(marker.get("codebook"), dict):
                    book = marker["codebook"]
                    for field_name in ("key", "name", "version", "description"):
                        value = book.get(field_name)
                        if isinstance(value, str) and (value or field_name == "description"):
                            plan.header[field_name] = value
                walk(code.children, folder_role, here)
            elif role == "flags":
                if marker.get("flag") in ("unsure", "exemplar"):
                    builder.flag(code.guid, marker["flag"], " / ".join(here))
                else:
                    plan.notes.append(
                        f"code {' / '.join(here)!r}: an unknown flag; its codings are not imported"
                    )
                for child in code.children:
                    plan.notes.append(
                        f"code {' / '.join(here)} / {child.name!r}: under a flag; its codings are "
                        "not imported"
                    )
            elif role == "themes":
                builder.theme(
                    code.guid, here, code.description, key=key(marker), shortcut=shortcut(marker)
                )
                walk(code.children, "themes", here)
            else:
                polarity = (
                    marker.get("polarity")
                    if marker.get("polarity") in ("effective", "ineffective")
                    else None
                )
                entry = builder.category(
                    code.guid,
                    here,
                    code.description,
                    key=key(marker),
                    shortcut=shortcut(marker),
                    takes_themes=bool(marker.get("takes_themes")),
                    polarity=polarity,
                )
                nested(code.children, entry, here)

    walk(codes, None, [])
    if plan.themes and not any(c.takes_themes for c in plan.categories):
        # Themes from a Themes folder with no marker saying which categories take them.
        for cat in plan.categories:
            cat.takes_themes = True
        plan.notes.append("no category was marked as taking themes: every category takes themes")
    return builder.finish()


def read_qdc(path: str | Path) -> CodebookPlan:
    """Read a REFI-QDA codebook (.qdc) into a codebook plan; its sets (code groups), which a
    Workbench codebook has no place for, are named in the plan's notes."""
    from workbench.files import read_bytes

    path = Path(path)
    root = parse_refi(read_bytes(path, "config-size", "codebook", RefiError), str(path))
    if local_name(root) != "CodeBook":
        raise RefiError(
            f"{path}: the root element is <{local_name(root)}>, not <CodeBook>; is it a .qdc codebook?"
        )
    codes = read_codes(child_named(root, "Codes"))
    if not codes:
        raise RefiError(f"{path}: <Codes> holds no <Code>; there is no codebook to import")
    plan = plan_codebook(codes, path.stem, path.name)
    sets = [
        (s.get("name") or "").strip() or "(unnamed)"
        for s in children_named(child_named(root, "Sets"), "Set")
    ]
    if sets:
        plan.notes.append(
            f"{len(sets)} set{'s' if len(sets) != 1 else ''} (code groups: "
            f"{', '.join(map(repr, sets))}) not imported: Workbench has no sets"
        )
    return plan


def qdc_to_toml(path: str | Path, notes: list[str] | None = None) -> str:
    """A .qdc codebook as Workbench codebook TOML (validated); what the conversion left out or
    changed (sets, names kept apart, entries without a key) is added to ``notes``."""
    from workbench.project.codebook import parse_codebook

    plan = read_qdc(path)
    text = codebook_toml(plan, Path(path).name)
    parse_codebook(text.encode("utf-8"), f"{path} (converted)")
    if notes is not None:
        notes += plan.notes + [f"kept apart: {line}" for line in plan.renamed]
        if plan.keyless:
            notes.append(
                f"{len(plan.keyless)} entries have no shortcut key (past the keys of the "
                f"keyboard): {', '.join(plan.keyless)}; code them from the command palette (ctrl+p)"
            )
    return text
