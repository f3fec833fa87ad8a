"""Reading a project.qde: users, codes, sources (text and PDF), selections, notes and cases as plain
records (:class:`ParsedProject`), and what the import leaves out.

Nothing is written here; what cannot be read is added to the import's report: every
source and note whose file is not read (outside the archive, see :mod:`.archive`) is
listed with the reason and the archive entry it was looked for or read from. A source
without a name takes the file name of its ``plainTextPath``. A PDF source is read through
its text ``Representation`` or, without one, its own text layer; picture, audio and video
sources are reported and skipped. Sets, graphs, links and any other part of the project
that Workbench has no place for are counted and named (:attr:`ParsedProject.not_imported`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.exchange.refi.archive import QdpxArchive, basename
from workbench.exchange.refi.cases import is_attribute_set
from workbench.exchange.refi.codebook import CodeRecord, read_codes
from workbench.exchange.refi.qdaxml import (
    RefiError,
    child_named,
    children_named,
    elements_of,
    local_name,
    norm_guid,
)

if TYPE_CHECKING:
    from workbench.exchange.refi.report import ImportReport


@dataclass
class SelectionRecord:
    guid: str
    name: str
    start: int
    end: int
    user: str | None
    codings: list[tuple[str | None, str | None]]  # (code guid, user guid)
    notes: list[str | None]  # note guids (None: a NoteRef without a valid target)
    description: str = (
        ""  # the selection's own memo (a quotation's comment in ATLAS.ti, QualCoder's memo)
    )


@dataclass
class SourceRecord:
    guid: str
    name: str
    text: str | None
    problem: str | None
    selections: list[SelectionRecord]
    variables: dict[str, str]
    whole_codings: int = 0
    entry: str | None = (
        None  # what the text was read from: the archive entry, or "project.qde" (inline)
    )
    kind: str = "TextSource"  # or "PDFSource"


@dataclass
class NoteRecord:
    user: str | None
    text: str
    name: str = ""


@dataclass
class ParsedProject:
    """A project.qde read: what the import builds the project from."""

    name: str
    origin: str
    creating_user: str | None
    users: list[tuple[str, str]]  # (guid, name as written)
    codes: list[CodeRecord]
    sources: list[SourceRecord]
    notes: dict[str | None, NoteRecord]  # (None: a note without a valid GUID)
    cases: list[dict]
    not_imported: list[str] = field(default_factory=list)
    # The sets Workbench wrote ("Themes of <category>"): (set name, category name, member GUIDs),
    # checked against the codes' markers by the importer, not named as sets Workbench lacks.
    theme_sets: list[tuple[str, str, list[str]]] = field(default_factory=list)


# The parts of a project Workbench reads; anything else at the top level is named as not imported.
_READ = {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Description"}
_GROUPS = {"Sets": ("Set", "set"), "Graphs": ("Graph", "graph"), "Links": ("Link", "link")}


def read_project(
    root: ET.Element, archive: QdpxArchive, path: Path, report: ImportReport
) -> ParsedProject:
    """Every part of ``root`` (project.qde) the import uses, read once."""
    variables = {
        norm_guid(v.get("guid")): (v.get("name") or "").strip()
        for v in children_named(child_named(root, "Variables"), "Variable")
    }
    users = [
        (norm_guid(u.get("guid")), " ".join((u.get("name") or u.get("id") or "").split()))
        for u in children_named(child_named(root, "Users"), "User")
    ]
    project = ParsedProject(
        (root.get("name") or "").strip(),
        (root.get("origin") or "").strip(),
        norm_guid(root.get("creatingUserGUID")),
        [(g, n) for g, n in users if g],
        read_codes(child_named(child_named(root, "CodeBook"), "Codes")),
        [],
        _read_notes(root, archive, path, report),
        [],
    )
    for element in elements_of(child_named(root, "Sources")):
        kind = local_name(element)
        if kind == "PDFSource":
            source = _read_pdf_source(element, archive, path, variables, report)
            if source is not None:
                project.sources.append(source)
        elif kind == "TextSource":
            project.sources.append(_read_source(element, archive, path, variables, report))
        else:
            coded = [
                e
                for e in element.iter()
                if local_name(e).endswith("Selection") and children_named(e, "Coding")
            ]
            codings = sum(len(children_named(e, "Coding")) for e in coded)
            lost = (
                f" ({len(coded)} coded selection(s), {codings} coding(s), not imported)"
                if coded
                else ""
            )
            report.skipped_sources.append(
                f"{kind} {element.get('name')!r}: only text and PDF sources are imported{lost}"
            )
    for case in children_named(child_named(root, "Cases"), "Case"):
        values = dict(
            filter(None, (_value(v, variables) for v in children_named(case, "VariableValue")))
        )
        project.cases.append(
            {
                "values": values,
                "sources": {
                    norm_guid(r.get("targetGUID")) for r in children_named(case, "SourceRef")
                },
                "selections": {
                    norm_guid(r.get("targetGUID")) for r in children_named(case, "SelectionRef")
                },
            }
        )
    project.not_imported = _not_imported(root, project.theme_sets)
    return project


def _not_imported(root: ET.Element, theme_sets: list) -> list[str]:
    """Sets, graphs and links (counted and named), and any other part Workbench does not read;
    not the document groups that become attributes (said in the report's attributes), nor the
    sets Workbench wrote, which go to ``theme_sets``."""
    found = []
    for element in elements_of(root):
        tag = local_name(element)
        if tag in _GROUPS:
            member, word = _GROUPS[tag]
            items = children_named(element, member)
            if tag == "Sets":  # document groups named 'name: value' are attributes (.cases)
                items = [i for i in items if not _attribute_set(i) and not _own(i, theme_sets)]
            if items:
                names = [(i.get("name") or "").strip() or "(unnamed)" for i in items]
                shown = ", ".join(map(repr, names[:12])) + (
                    f" and {len(names) - 12} more" if len(names) > 12 else ""
                )
                found.append(
                    f"{len(items)} {word}{'s' if len(items) != 1 else ''} ({shown}): "
                    f"Workbench has no {word}s"
                )
        elif tag not in _READ:
            found.append(f"<{tag}>: not a part of a project Workbench reads")
    return found


def _own(element: ET.Element, theme_sets: list) -> bool:
    """A set as Workbench's export writes it (``refi.codes``): "Themes of <category>", with the
    description it gives; kept in ``theme_sets``."""
    name = (element.get("name") or "").strip()
    category = name.removeprefix("Themes of ")
    description = child_named(element, "Description")
    said = (description.text or "").strip() if description is not None else ""
    if category == name or said != f"The themes a comment of {category!r} may carry.":
        return False
    members = [norm_guid(m.get("targetGUID")) for m in children_named(element, "MemberCode")]
    theme_sets.append((name, category, members))
    return True


def _attribute_set(element: ET.Element) -> bool:
    members = [m.get("targetGUID") for m in children_named(element, "MemberSource")]
    return is_attribute_set((element.get("name") or "").strip(), members)


def _value(element: ET.Element, variables: dict[str | None, str]) -> tuple[str, str] | None:
    ref = child_named(element, "VariableRef")
    name = variables.get(norm_guid(ref.get("targetGUID")) if ref is not None else None)
    if name is None:
        return None
    for child in elements_of(element):
        if local_name(child) != "VariableRef":
            return name, (child.text or "").strip()
    return None


def _read_notes(
    root: ET.Element, archive: QdpxArchive, path: Path, report: ImportReport
) -> dict[str | None, NoteRecord]:
    from workbench import limits

    notes: dict[str | None, NoteRecord] = {}  # (None: a note without a valid GUID)
    for note in children_named(child_named(root, "Notes"), "Note"):
        content = child_named(note, "PlainTextContent")
        text = content.text if content is not None else None
        name = (note.get("name") or "").strip() or note.get("guid") or "(unnamed)"
        linked = note.get("plainTextPath")
        if text is None and linked:
            try:
                text, reason, _ = archive.source_entry(linked)
            except RefiError as exc:
                text, reason = None, f"its text {linked}: {exc}"
            if text is None:
                report.skipped_notes.append(f"Note {name!r}: {reason}")
        # A note becomes a memo: a field.
        limits.check("field-length", len(text or ""), f"{path}: Note {name!r}", "its text")
        notes[norm_guid(note.get("guid"))] = NoteRecord(
            norm_guid(note.get("creatingUser")), (text or "").strip(), name
        )
    return notes


def _read_pdf_source(
    element: ET.Element, archive: QdpxArchive, path: Path, variables, report
) -> SourceRecord | None:
    """A PDF document: the text of its ``Representation`` (a text source whose selections
    code it) or, without one, the PDF's own text layer. Codings of PDF areas are placed by
    page coordinates, not by text, so they cannot be put on comments: they are counted."""
    from workbench.errors import TranscriptError
    from workbench.ingest.transcript.pdf import pdf_text

    name = (element.get("name") or "").strip() or _name_from_path(element.get("path")) or "PDF"
    areas = sum(
        1 for area in children_named(element, "PDFSelection") if children_named(area, "Coding")
    )
    if areas:
        report.problems.append(
            f"PDFSource {name!r}: {areas} coded PDF area(s) are placed by page "
            "coordinates, not by text; they are not imported"
        )
    representation = child_named(element, "Representation")
    if representation is not None:
        source = _read_source(representation, archive, path, variables, report)
    else:
        link = element.get("path") or element.get("currentPath") or ""
        data, reason, entry = (
            archive.find(link) if link else (None, "it names no PDF file (no path)", None)
        )
        if data is None:
            report.skipped_sources.append(f"PDFSource {name!r}: {reason}")
            return None
        try:
            text = pdf_text(data, name)
        except TranscriptError as exc:
            reason = str(exc).splitlines()[0].removeprefix(f"{name}: ")
            report.skipped_sources.append(f"PDFSource {name!r} ({entry}): {reason}")
            return None
        source = SourceRecord("", name, text, None, [], {}, entry=entry)
    source.guid, source.name, source.kind = (
        norm_guid(element.get("guid")) or name,
        name,
        "PDFSource",
    )
    source.variables.update(
        dict(filter(None, (_value(v, variables) for v in children_named(element, "VariableValue"))))
    )
    source.whole_codings += len(children_named(element, "Coding"))
    return source


def _name_from_path(link: str | None) -> str:
    """``internal://8A2F….txt`` → ``8A2F…``: the name of a source that has none."""
    if not link:
        return ""
    return Path(basename(link.partition("://")[2] or link)).stem.strip()


def _read_source(
    element: ET.Element, archive: QdpxArchive, path: Path, variables, report
) -> SourceRecord:
    from workbench import limits

    link = element.get("plainTextPath")
    name = (element.get("name") or "").strip()
    if not name:
        name = _name_from_path(link) or "Source"
        report.warnings.append(
            f"a TextSource without a name is named {name!r}, after its plainTextPath {link}"
            if link
            else "a TextSource without a name or a plainTextPath is named 'Source'"
        )
    guid = norm_guid(element.get("guid")) or name
    content = child_named(element, "PlainTextContent")
    text, problem, entry = None, None, None
    try:
        if content is not None:
            text, entry = content.text or "", "project.qde"
            limits.check("transcript-size", len(text), f"{path}: source {name!r}", "its text")
        elif link:
            text, problem, entry = archive.source_entry(link)
        else:
            problem = "it has no plain text (PlainTextContent or plainTextPath)"
    except RefiError as exc:
        problem = f"its text {link}: {exc}"
    selections = []
    for item in element:
        if local_name(item) != "PlainTextSelection":
            continue
        selection = _read_selection(item, name, report)
        if selection is not None:
            selections.append(selection)
    values = dict(
        filter(None, (_value(v, variables) for v in children_named(element, "VariableValue")))
    )
    return SourceRecord(
        guid, name, text, problem, selections, values, len(children_named(element, "Coding")), entry
    )


def _read_selection(item: ET.Element, source: str, report) -> SelectionRecord | None:
    """One ``PlainTextSelection``: its children read in one pass (a project has 100,000 of them)."""
    try:
        start, end = int(item.get("startPosition", "")), int(item.get("endPosition", ""))
    except ValueError:  # (missing: "")
        report.problems.append(
            f"source {source!r}: selection {item.get('guid')}: startPosition/endPosition "
            "are not whole numbers; skipped"
        )
        return None
    user = norm_guid(item.get("creatingUser"))
    codings, note_refs, description = [], [], ""
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        tag = tag.rpartition("}")[2]
        if tag == "Coding":
            code = None
            for ref in child:
                if isinstance(ref.tag, str):
                    local = ref.tag.rpartition("}")[2]
                    if local == "CodeRef" and code is None:
                        code = norm_guid(ref.get("targetGUID"))
                    elif local == "NoteRef":
                        note_refs.append(norm_guid(ref.get("targetGUID")))
            codings.append((code, norm_guid(child.get("creatingUser")) or user))
        elif tag == "NoteRef":
            note_refs.append(norm_guid(child.get("targetGUID")))
        elif tag == "Description":
            description = (child.text or "").strip()
            if len(description) > _field_length():  # a memo: a field
                from workbench import limits

                limits.check(
                    "field-length",
                    len(description),
                    f"source {source!r}: selection {item.get('guid')}",
                    "its description",
                )
    return SelectionRecord(
        norm_guid(item.get("guid")) or "",
        (item.get("name") or "").strip(),
        start,
        end,
        user,
        codings,
        note_refs,
        description,
    )


def _field_length() -> int:
    from workbench import limits

    return limits.value("field-length")
