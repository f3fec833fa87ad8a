"""Export: the codebook as a .qdc, the project as a .qdpx (``export_qdc``, ``export_qdpx``).

The codes and sets come from :mod:`.codes`. One ``User`` per coder; the agreed
(reconciled) coding is the user ``agreed``. Each transcript is a ``TextSource``
whose UTF-8 text is written to ``sources/<guid>.txt``
(``plainTextPath="internal://<guid>.txt"``): its comments in order, each as
``<speaker label>: <text>`` followed by a blank line (a comment without a speaker
is labelled ``Unknown``).

Each coder's coding of a comment is one ``PlainTextSelection`` named by the
comment's ref, whose ``startPosition``/``endPosition`` (Unicode code points, end
exclusive) are exactly the comment's text and whose ``creatingUser`` is the coder
(QualCoder takes the coder from the selection, ATLAS.ti, MAXQDA and NVivo from the
selection or the coding): inside it, one ``Coding`` per code applied (category,
each theme, each flag) with the same ``creatingUser``, and the memo twice, as the
selection's ``Description`` (read by QualCoder and MAXQDA as the coding's memo) and
as a ``Note`` referenced by a ``NoteRef``. Selections, codings and notes carry the
coding's time (``creationDateTime``/``modifiedDateTime``, UTC). An uncoded comment
has no selection (a selection without a code is an annotation to other programs).

Focus group metadata are ``VariableValue``s of the source (Focus group, Group code,
Group kind, Group date, Stakeholders, Transcript file); each speaker is a ``Case``
with the variables Speaker, Role and Speaker's focus group and references to their
source and selections; participants' and focus groups' attributes are variables of the
cases and sources too (:mod:`.cases`). What REFI-QDA has no element for (the exact codebook,
transcript files, comment times, reconciliation, the audit log) travels in the
archive's ``workbench/`` folder (:mod:`.extension`). GUIDs are deterministic (see
:mod:`.qdaxml`) and the zip's timestamps fixed, so exporting twice gives the same
file. Files are written by :mod:`workbench.output`, after validation when a schema
folder is given.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench.exchange.refi.cases import Attributes
from workbench.exchange.refi.codes import add_sets, build_codes, codebook_entries
from workbench.exchange.refi.extension import extension_files
from workbench.exchange.refi.qdaxml import (
    NS_CODEBOOK,
    NS_PROJECT,
    V_CASE_GROUP,
    V_CODE,
    V_DATE,
    V_FILE,
    V_GROUP,
    V_KIND,
    V_ROLE,
    V_SPEAKER,
    V_STAKEHOLDERS,
    Guids,
    refi_time,
    serialise,
    subelement,
    xml_text,
)
from workbench.exchange.refi.validate import validate_qdc, validate_qde
from workbench.store import Store
from workbench.store.coding_records import Coding
from workbench.store.comment_records import ListedComment

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same project exports to the same bytes
_VARIABLES = (
    V_GROUP,
    V_CODE,
    V_KIND,
    V_DATE,
    V_STAKEHOLDERS,
    V_FILE,
    V_SPEAKER,
    V_ROLE,
    V_CASE_GROUP,
)
UNKNOWN_SPEAKER = "Unknown"


def codebook_xml(store: Store) -> bytes:
    """The project's codebook as a REFI-QDA codebook (.qdc) document."""
    from workbench import __version__

    guid = Guids(store)
    root = ET.Element("CodeBook", {"xmlns": NS_CODEBOOK, "origin": f"Workbench {__version__}"})
    codes = subelement(root, NS_CODEBOOK, "Codes")
    _, sets = build_codes(store, guid, codes, NS_CODEBOOK, flags=False)
    add_sets(root, NS_CODEBOOK, sets, guid, "guid")
    return serialise(root, NS_CODEBOOK)


@dataclass
class ExportSummary:
    path: str
    sources: int = 0
    comments: int = 0
    selections: int = 0  # one per coder and coded comment
    codes: int = 0
    users: list[str] = field(default_factory=list)
    codings: dict[str, int] = field(default_factory=dict)  # coder → comments coded
    notes: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def source_text(comments: list[ListedComment]) -> tuple[str, list[tuple[int, int]]]:
    """A transcript's text for exchange and each comment's (start, end) in it (code points)."""
    parts, spans, offset = [], [], 0
    for comment in comments:
        label = comment.speaker if not comment.no_speaker else UNKNOWN_SPEAKER
        label = " ".join((label or UNKNOWN_SPEAKER).split()) or UNKNOWN_SPEAKER
        head = f"{label}: "
        text = comment.text
        start = offset + len(head)
        spans.append((start, start + len(text)))
        block = f"{head}{text}\n\n"
        parts.append(block)
        offset += len(block)
    return "".join(parts), spans


def project_xml(store: Store) -> tuple[bytes, dict[str, bytes], ExportSummary]:
    """``project.qde`` and the other files of the archive: sources (``sources/<guid>.txt``, UTF-8)
    and Workbench's own data (``workbench/``, see :mod:`.extension`)."""
    from workbench import __version__

    ns = NS_PROJECT
    guid = Guids(store)
    info = store.project_info()
    summary = ExportSummary("")
    created = refi_time(info["created_at"])
    root = ET.Element(
        "Project",
        {
            "xmlns": ns,
            "name": xml_text(info["name"]),
            "origin": f"Workbench {__version__}",
            **({"creationDateTime": created} if created else {}),  # (an attribute is never None)
        },
    )
    coders = sorted(store.coders(), key=lambda c: (c.kind != "coder", c.name.lower()))
    user_guid = {c.id: guid("user", c.name.lower()) for c in coders}
    if coders:
        users = subelement(root, ns, "Users")
        for coder in coders:
            subelement(users, ns, "User", guid=user_guid[coder.id], name=coder.name)
            summary.users.append(coder.name)
    codebook = subelement(root, ns, "CodeBook")
    codes = subelement(codebook, ns, "Codes")
    ids, sets = build_codes(store, guid, codes, ns, flags=True)
    summary.codes = len(ids.categories) + len(ids.themes) + len(ids.flags)

    var_guid = {name: guid("variable", name) for name in _VARIABLES}
    variables = subelement(root, ns, "Variables")
    for name in _VARIABLES:
        subelement(variables, ns, "Variable", guid=var_guid[name], name=name, typeOfVariable="Text")
    attributes = Attributes(store, variables, ns, guid)  # participants' and groups': .cases

    groups = {g.id: g for g in store.groups()}
    comments = store.comments()
    by_transcript: dict[tuple[str, str], list[ListedComment]] = {}
    for comment in comments:
        by_transcript.setdefault((comment.group_name, comment.transcript), []).append(comment)
    codings = {c.id: store.codings_of(c.id) for c in coders}
    roles = {(s.group_name, s.label): s.role_key for s in store.speakers()}

    sources_el = None
    files: dict[str, bytes] = {}
    exported: list[dict] = []  # per TextSource, for Workbench's own data (extension.py)
    notes: list[tuple[str, str, str, str | None, str]] = []  # guid, name, user guid, time, text
    cases: dict[tuple[str, str], dict] = {}
    for transcript in store.transcripts():
        group = groups[transcript.group_id]
        rows = by_transcript.get((transcript.group_name, transcript.filename), [])
        if not rows:
            continue
        if sources_el is None:
            sources_el = ET.Element("Sources")  # placed after Cases below
        text, spans = source_text(rows)
        source_guid = guid("source", group.code, transcript.filename)
        files[f"sources/{source_guid}.txt"] = text.encode("utf-8")
        exported.append(
            {
                "guid": source_guid,
                "transcript": transcript,
                "text": text,
                "rows": rows,
                "spans": spans,
            }
        )
        several = len([t for t in store.transcripts(group.id)]) > 1
        name = f"{group.name} ({transcript.filename})" if several else group.name
        source = subelement(
            sources_el,
            ns,
            "TextSource",
            guid=source_guid,
            name=name,
            plainTextPath=f"internal://{source_guid}.txt",
            creationDateTime=refi_time(transcript.imported_at),
        )
        subelement(
            source,
            ns,
            "Description",
            f"Focus group {group.code} {group.name!r}: transcript "
            f"{transcript.filename} ({transcript.format}, sha256 {transcript.sha256}), one "
            "selection per comment and coder.",
        )
        summary.sources += 1
        for comment, (start, end) in zip(rows, spans, strict=True):
            summary.comments += 1
            ref = comment.ref
            selections = []
            for coder in coders:
                coding = codings[coder.id].get(comment.id)
                if coding is None:
                    continue
                summary.codings[coder.name] = summary.codings.get(coder.name, 0) + 1
                who, when = user_guid[coder.id], refi_time(coding.updated_at)
                # One selection per coder and comment, marked with the coder as the creating user:
                # QualCoder (and its one-coding-per-code-and-user rule) reads the coder from here.
                selection = subelement(
                    source,
                    ns,
                    "PlainTextSelection",
                    guid=guid("selection", ref, coder.name.lower()),
                    name=ref,
                    startPosition=start,
                    endPosition=end,
                    creatingUser=who,
                    creationDateTime=when,
                    modifyingUser=who,
                    modifiedDateTime=when,
                )
                selections.append(selection.get("guid"))
                summary.selections += 1
                # the coding memo: QualCoder reads the Description, others the note
                if coding.memo:
                    subelement(selection, ns, "Description", coding.memo)
                for kind, key, code_guid in _applied(coding, ids):
                    element = subelement(
                        selection,
                        ns,
                        "Coding",
                        guid=guid("coding", ref, coder.name.lower(), kind, key),
                        creatingUser=who,
                        creationDateTime=when,
                    )
                    subelement(element, ns, "CodeRef", targetGUID=code_guid)
                if coding.memo:
                    note_guid = guid("memo", ref, coder.name.lower())
                    notes.append(
                        (note_guid, f"Memo of {coder.name} on {ref}", who, when, coding.memo)
                    )
                    subelement(selection, ns, "NoteRef", targetGUID=note_guid)
            if not comment.no_speaker:
                case_key = (comment.group_name, comment.speaker)
                case = cases.setdefault(
                    case_key,
                    {
                        "code": group.code,
                        "group": group.name,
                        "role": roles.get(case_key),
                        "sources": [],
                        "selections": [],
                    },
                )
                if source_guid not in case["sources"]:
                    case["sources"].append(source_guid)
                case["selections"] += selections
        values = [
            (V_GROUP, group.name),
            (V_CODE, group.code),
            (V_KIND, group.kind),
            (V_DATE, group.date),
            (V_STAKEHOLDERS, group.stakeholders),
            (V_FILE, transcript.filename),
        ]
        _variable_values(source, ns, var_guid, values)
        attributes.source_values(source, group.id)

    if cases:
        holder = subelement(root, ns, "Cases")
        for (group_name, label), case in cases.items():
            element = subelement(
                holder,
                ns,
                "Case",
                guid=guid("case", case["code"], label),
                name=f"{label} ({case['code']})",
            )
            _variable_values(
                element,
                ns,
                var_guid,
                [(V_SPEAKER, label), (V_ROLE, case["role"]), (V_CASE_GROUP, group_name)],
            )
            attributes.case_values(element, case["code"], label)
            for target in case["sources"]:
                subelement(element, ns, "SourceRef", targetGUID=target)
            for target in case["selections"]:
                subelement(element, ns, "SelectionRef", targetGUID=target)
    if sources_el is not None:
        root.append(sources_el)
    if notes:
        holder = subelement(root, ns, "Notes")
        for note_guid, name, user, when, text in notes:
            # QualCoder needs a date on every note (it fails without one).
            note = subelement(
                holder,
                ns,
                "Note",
                guid=note_guid,
                name=name,
                creatingUser=user,
                creationDateTime=when,
                modifyingUser=user,
                modifiedDateTime=when,
            )
            subelement(note, ns, "PlainTextContent", text)
        summary.notes = len(notes)
    add_sets(root, ns, sets, guid, "targetGUID")
    files.update(extension_files(store, exported))
    subelement(
        root,
        ns,
        "Description",
        f"Exported by Workbench {__version__}: focus group comments as selections, "
        "each coder's coding as codings by that user, the agreed coding as user 'agreed'.",
    )
    return serialise(root, ns), files, summary


def _applied(coding: Coding, ids) -> list[tuple[str, str, str]]:
    """(kind, key, code GUID) of each code a coding applies: its category, themes and flags."""
    applied = []
    if coding.category_key:
        applied.append(("category", coding.category_key, ids.categories[coding.category_key]))
    applied += [("theme", t, ids.themes[t]) for t in coding.themes]
    applied += [("flag", f, ids.flags[f]) for f in ("unsure", "exemplar") if getattr(coding, f)]
    return applied


def _variable_values(parent: ET.Element, ns: str, var_guid: dict[str, str], values) -> None:
    for name, value in values:
        if value is None or value == "":
            continue
        element = subelement(parent, ns, "VariableValue")
        subelement(element, ns, "VariableRef", targetGUID=var_guid[name])
        subelement(element, ns, "TextValue", str(value))


def export_qdc(
    store: Store, out: str | Path, schemas: str | Path | None = None, force: bool = False
) -> ExportSummary:
    """Write the codebook as ``out`` (.qdc); validate first when ``schemas`` names the XSD folder.
    ``out`` follows :mod:`workbench.output` (never the project; an existing file only if this
    project wrote it, or with ``force``)."""
    from workbench.output import for_project

    out = Path(out)
    output = for_project(store, force)
    output.check(out)
    data = codebook_xml(store)
    if schemas is not None:
        validate_qdc(data, schemas)
    output.write_bytes(out, data)
    categories, themes = codebook_entries(store)
    return ExportSummary(str(out), codes=len(categories) + len(themes))


def export_qdpx(
    store: Store, out: str | Path, schemas: str | Path | None = None, force: bool = False
) -> ExportSummary:
    """Write the project as ``out`` (.qdpx); validate first when ``schemas`` names the XSD folder.
    ``out`` follows :mod:`workbench.output`, as for :func:`export_qdc`."""
    from workbench.output import for_project

    out = Path(out)
    output = for_project(store, force)
    output.check(out)  # refuse before the work of building the file
    qde, files, summary = project_xml(store)
    summary.path = str(out)
    if schemas is not None:
        validate_qde(qde, schemas)

    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in [("project.qde", qde), *sorted(files.items())]:
                info = zipfile.ZipInfo(name, _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    output.write(out, write)
    return summary
