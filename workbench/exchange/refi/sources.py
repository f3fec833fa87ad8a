"""Reading a project.qde: its sources (text and PDF), selections, notes and cases as plain records.

Nothing is written here; what cannot be read is added to the import's report: every
source and note whose file is not read (outside the archive, see :mod:`.archive`) is
listed with the reason.
A PDF source is read through its text ``Representation`` or, without one, its
own text layer; picture, audio and video sources are reported and skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.exchange.refi.archive import _Archive
from workbench.exchange.refi.qdaxml import (
    RefiError,
    _child,
    _children,
    _elements,
    _local,
    norm_guid,
)

if TYPE_CHECKING:
    from workbench.exchange.refi.importer import ImportReport


@dataclass
class _Selection:
    guid: str
    name: str
    start: int
    end: int
    user: str | None
    codings: list[tuple[str | None, str | None]]  # (code guid, user guid)
    notes: list[str]


@dataclass
class _Source:
    guid: str
    name: str
    text: str | None
    problem: str | None
    selections: list[_Selection]
    variables: dict[str, str]
    whole_codings: int = 0
    comments: list[tuple[int, str, str, int]] = field(default_factory=list)  # id, ref, text, excluded
    spans: list[tuple[int, int]] | None = None  # each comment's exact (start, end), when known (a restore)


@dataclass
class _Note:
    user: str | None
    text: str


def _value(element: ET.Element, variables: dict[str, str]) -> tuple[str, str] | None:
    ref = _child(element, "VariableRef")
    name = variables.get(norm_guid(ref.get("targetGUID")) if ref is not None else None)
    if name is None:
        return None
    for child in _elements(element):
        if _local(child) != "VariableRef":
            return name, (child.text or "").strip()
    return None


def _read_project(root: ET.Element, archive: _Archive, path: Path, report: ImportReport):
    variables = {norm_guid(v.get("guid")): (v.get("name") or "").strip()
                 for v in _children(_child(root, "Variables"), "Variable")}
    from workbench import limits

    notes = {}
    for note in _children(_child(root, "Notes"), "Note"):
        content = _child(note, "PlainTextContent")
        text = content.text if content is not None else None
        if text is None and note.get("plainTextPath"):
            try:
                text, reason = archive.source(note.get("plainTextPath"))
            except RefiError as exc:
                text, reason = None, f"its text {note.get('plainTextPath')}: {exc}"
            if text is None:
                report.skipped_notes.append(f"Note {note.get('name') or note.get('guid')!r}: {reason}")
        # A note becomes a memo: a field.
        limits.check("field-length", len(text or ""), f"{path}: Note {note.get('name') or note.get('guid')!r}",
                     "its text")
        notes[norm_guid(note.get("guid"))] = _Note(norm_guid(note.get("creatingUser")), (text or "").strip())
    sources: list[_Source] = []
    holder = _child(root, "Sources")
    for element in _elements(holder):
        kind = _local(element)
        if kind == "PDFSource":
            source = _read_pdf_source(element, archive, path, variables, report)
            if source is not None:
                sources.append(source)
            continue
        if kind != "TextSource":
            report.skipped_sources.append(f"{kind} {element.get('name')!r}: only text and PDF sources are "
                                          "imported")
            continue
        sources.append(_read_source(element, archive, path, variables, report))
    cases = []
    for case in _children(_child(root, "Cases"), "Case"):
        values = dict(filter(None, (_value(v, variables) for v in _children(case, "VariableValue"))))
        cases.append({"values": values,
                      "sources": {norm_guid(r.get("targetGUID")) for r in _children(case, "SourceRef")},
                      "selections": {norm_guid(r.get("targetGUID")) for r in _children(case, "SelectionRef")}})
    return sources, notes, cases


def _read_pdf_source(element: ET.Element, archive: _Archive, path: Path, variables, report) -> _Source | None:
    """A PDF document: the text of its ``Representation`` (a text source whose selections
    code it) or, without one, the PDF's own text layer. Codings of PDF areas are placed by
    page coordinates, not by text, so they cannot be put on comments: they are counted."""
    from workbench.errors import TranscriptError
    from workbench.ingest.transcript.pdf import pdf_text

    name = (element.get("name") or "").strip() or "PDF"
    areas = sum(1 for area in _children(element, "PDFSelection") if _children(area, "Coding"))
    if areas:
        report.problems.append(f"PDFSource {name!r}: {areas} coded PDF area(s) are placed by page "
                               "coordinates, not by text; they are not imported")
    representation = _child(element, "Representation")
    if representation is not None:
        source = _read_source(representation, archive, path, variables, report)
    else:
        link = element.get("path") or element.get("currentPath") or ""
        data, reason = archive.data(link) if link else (None, "it names no PDF file (no path)")
        if data is None:
            report.skipped_sources.append(f"PDFSource {name!r}: {reason}")
            return None
        try:
            text = pdf_text(data, name)
        except TranscriptError as exc:
            reason = str(exc).splitlines()[0].removeprefix(f"{name}: ")
            report.skipped_sources.append(f"PDFSource {name!r}: {reason}")
            return None
        source = _Source("", name, text, None, [], {})
    source.guid, source.name = norm_guid(element.get("guid")) or name, name
    source.variables.update(dict(filter(None, (_value(v, variables) for v in _children(element, "VariableValue")))))
    source.whole_codings += len(_children(element, "Coding"))
    return source


def _read_source(element: ET.Element, archive: _Archive, path: Path, variables, report) -> _Source:
    from workbench import limits

    name = (element.get("name") or "").strip() or "Source"
    guid = norm_guid(element.get("guid")) or name
    content = _child(element, "PlainTextContent")
    link = element.get("plainTextPath")
    text, problem = None, None
    try:
        if content is not None:
            text = content.text or ""
            limits.check("transcript-size", len(text), f"{path}: source {name!r}", "its text")
        elif link:
            text, problem = archive.source(link)
        else:
            problem = "it has no plain text (PlainTextContent or plainTextPath)"
    except RefiError as exc:
        problem = f"its text {link}: {exc}"
    selections = []
    for item in _children(element, "PlainTextSelection"):
        try:
            start, end = int(item.get("startPosition")), int(item.get("endPosition"))
        except (TypeError, ValueError):
            report.problems.append(f"source {name!r}: selection {item.get('guid')}: startPosition/endPosition "
                                   "are not whole numbers; skipped")
            continue
        user = norm_guid(item.get("creatingUser"))
        codings = [(norm_guid((_child(c, "CodeRef").get("targetGUID") if _child(c, "CodeRef") is not None else None)),
                    norm_guid(c.get("creatingUser")) or user)
                   for c in _children(item, "Coding")]
        note_refs = [norm_guid(r.get("targetGUID")) for r in _children(item, "NoteRef")]
        for coding in _children(item, "Coding"):
            note_refs += [norm_guid(r.get("targetGUID")) for r in _children(coding, "NoteRef")]
        selections.append(_Selection(norm_guid(item.get("guid")) or "", (item.get("name") or "").strip(),
                                     start, end, user, codings, note_refs))
    values = dict(filter(None, (_value(v, variables) for v in _children(element, "VariableValue"))))
    return _Source(guid, name, text, problem, selections, values, len(_children(element, "Coding")))
