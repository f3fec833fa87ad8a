"""REFI-QDA (QDA-XML) exchange: codebooks (.qdc) and projects (.qdpx), out and in.

REFI-QDA is the exchange standard of ATLAS.ti, NVivo, MAXQDA, QualCoder and others.
A ``.qdc`` is one XML codebook (``urn:QDA-XML:codebook:1.0``); a ``.qdpx`` is a zip
holding ``project.qde`` (``urn:QDA-XML:project:1.0``) and a sources folder.

Export (``export_qdc``, ``export_qdpx``)
========================================

Codes. The codebook becomes three top-level, non-codable folder codes:

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

Project. One ``User`` per coder; the agreed (reconciled) coding is the user
``agreed``. Each transcript is a ``TextSource`` whose UTF-8 text is written to
``sources/<guid>.txt`` (``plainTextPath="internal://<guid>.txt"``): its comments
in order, each as ``<speaker label>: <text>`` followed by a blank line (a comment
without a speaker is labelled ``Unknown``). Each comment is one
``PlainTextSelection`` named by its ref whose ``startPosition``/``endPosition``
(Unicode code points, end exclusive) are exactly the comment's text. Each coder's
coding of a comment is one ``Coding`` per code applied (category, each theme,
each flag) with ``creatingUser`` = the coder's GUID; a memo is a ``Note``
(``creatingUser`` = its coder) referenced from the selection. Focus group
metadata are ``VariableValue``s of the source (Focus group, Group code, Group
kind, Group date, Stakeholders, Transcript file); each speaker is a ``Case`` with
the variables Speaker, Role and Focus group and references to their source and
selections. GUIDs are uuid5 of stable identifiers (project name and creation
time, refs, coder names, code keys), so exporting twice gives the same file.

Import (``import_qdpx``, ``qdc_to_toml``)
=========================================

Codes → codebook. Codes under a ``Categories``/``Themes``/``Flags`` folder marked
as above map back to categories, themes and flags by their markers. Any other
code (a file made by another tool) follows one rule: a top-level code is a
category; every code nested below it (any depth) is a theme, and coding with a
theme implies its top-level category. Themes of the same name under several
categories are one theme. A category takes themes when codes are nested under
it. Keys are slugs of the names (``Role shift`` → ``role_shift``), shortcuts are
assigned where the file has none. A file without codes gets the bundled codebook.

Sources → comments. Each ``TextSource`` becomes a focus group (named by the
source, or by its Focus group variable) whose text is parsed by the ordinary
transcript parser into comments; roles come from the Cases' Role variable, else
from the labels as on any import. PDF, picture, audio and video sources are
reported and skipped.

Selections → codings (the overlap rule, ``COVERAGE`` = 50%). Each comment is
located in the source text; for each ``PlainTextSelection`` the coverage of a
comment is the share of the comment's characters the selection covers:

* a selection touching one comment only codes that comment (a quote inside a
  long turn codes the turn);
* a selection touching several comments codes the one comment it covers at
  least half of, if exactly one; if it covers half or more of several comments
  (e.g. a comment and a half) or of none, it is **ambiguous**: reported with its
  position, text and the coverage of each comment, and not imported;
* a selection touching no comment (only speaker labels or blank lines) is
  reported as unmapped.

Users become coders (``agreed`` becomes the agreed coding). One user's codes on
one comment make one coding; two categories on one comment are reported and not
imported (their memo and flags are). Every coding is written with an audit row.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
import unicodedata
import uuid
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.store import Store

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
PROJECT_XSD = "Project-mrt2019.xsd"
CODEBOOK_XSD = "Codebook.xsd"

# A selection touching several comments codes the one it covers at least this share of.
COVERAGE = 0.5

_GUID_NAMESPACE = uuid.UUID("6f1c3b0e-4a57-5c1e-9d2a-7e0b5f3c2a10")
_GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_MARKER_RE = re.compile(r"(?:\A|\r?\n)[ \t]*workbench:[ \t]*(\{[^\r\n]*\})[ \t]*\s*\Z")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same project exports to the same bytes

# Variables written on sources and cases, and read back.
V_GROUP, V_CODE, V_KIND, V_DATE, V_STAKEHOLDERS, V_FILE = (
    "Focus group", "Group code", "Group kind", "Group date", "Stakeholders", "Transcript file")
V_SPEAKER, V_ROLE = "Speaker", "Role"
_VARIABLES = (V_GROUP, V_CODE, V_KIND, V_DATE, V_STAKEHOLDERS, V_FILE, V_SPEAKER, V_ROLE)
_FLAGS = (("unsure", "Not sure", "The coder was not sure of this coding."),
          ("exemplar", "Exemplar", "An exemplar quote of its themes."))
UNKNOWN_SPEAKER = "Unknown"


class RefiError(WorkbenchError):
    """A REFI-QDA file cannot be read or written, or does not validate."""


# -- GUIDs -------------------------------------------------------------------------


def norm_guid(value: str | None) -> str | None:
    """A GUID in any case, with or without braces → lower case without braces (None if not one)."""
    if value is None:
        return None
    match = _GUID_RE.match(value.strip())
    return match.group(1).lower() if match else None


class _Guids:
    """Deterministic GUIDs: uuid5 of the project's identity and stable names."""

    def __init__(self, store: Store):
        info = store.project_info()
        self.project = f"{info['name']}\x1f{info['created_at']}"

    def __call__(self, *parts: str) -> str:
        return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join((self.project, *parts))))


# -- export ------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """Text safe in XML 1.0 (characters XML cannot carry become U+FFFD)."""
    return _XML_INVALID.sub("\ufffd", text or "")


def _marked(description: str, marker: dict) -> str:
    line = "workbench: " + json.dumps(marker, ensure_ascii=False, sort_keys=True)
    description = _clean(description).strip()
    return f"{description}\n\n{line}" if description else line


def _sub(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs) -> ET.Element:
    # Tags are written unqualified under the root's default xmlns (see _serialise).
    element = ET.SubElement(parent, tag, {k: _clean(str(v)) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = _clean(text)
    return element


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


def codebook_xml(store: Store) -> bytes:
    """The project's codebook as a REFI-QDA codebook (.qdc) document."""
    from workbench import __version__

    guid = _Guids(store)
    root = ET.Element("CodeBook", {"xmlns": NS_CODEBOOK, "origin": f"Workbench {__version__}"})
    codes = _sub(root, NS_CODEBOOK, "Codes")
    _, sets = _build_codes(store, guid, codes, NS_CODEBOOK, flags=False)
    _add_sets(root, NS_CODEBOOK, sets, guid, "guid")
    return _serialise(root, NS_CODEBOOK)


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


def _serialise(root: ET.Element, ns: str) -> bytes:
    """UTF-8 XML; every element is in ``ns``, declared as the default namespace on the root."""
    assert root.get("xmlns") == ns
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


@dataclass
class ExportSummary:
    path: str
    sources: int = 0
    comments: int = 0
    codes: int = 0
    users: list[str] = field(default_factory=list)
    codings: dict[str, int] = field(default_factory=dict)  # coder → comments coded
    notes: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def source_text(comments: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """A transcript's text for exchange and each comment's (start, end) in it (code points)."""
    parts, spans, offset = [], [], 0
    for comment in comments:
        label = comment["speaker"] if not comment.get("no_speaker") else UNKNOWN_SPEAKER
        label = " ".join((label or UNKNOWN_SPEAKER).split()) or UNKNOWN_SPEAKER
        head = f"{label}: "
        text = comment["text"]
        start = offset + len(head)
        spans.append((start, start + len(text)))
        block = f"{head}{text}\n\n"
        parts.append(block)
        offset += len(block)
    return "".join(parts), spans


def project_xml(store: Store) -> tuple[bytes, dict[str, bytes], ExportSummary]:
    """``project.qde`` and the source files (``sources/<guid>.txt`` → UTF-8 bytes)."""
    from workbench import __version__

    ns = NS_PROJECT
    guid = _Guids(store)
    info = store.project_info()
    summary = ExportSummary("")
    root = ET.Element("Project", {
        "xmlns": ns, "name": _clean(info["name"]), "origin": f"Workbench {__version__}",
        "creationDateTime": info["created_at"],
    })
    coders = sorted(store.coders(), key=lambda c: (c["kind"] != "coder", c["name"].lower()))
    user_guid = {c["id"]: guid("user", c["name"].lower()) for c in coders}
    if coders:
        users = _sub(root, ns, "Users")
        for coder in coders:
            _sub(users, ns, "User", guid=user_guid[coder["id"]], name=coder["name"])
            summary.users.append(coder["name"])
    codebook = _sub(root, ns, "CodeBook")
    codes = _sub(codebook, ns, "Codes")
    ids, sets = _build_codes(store, guid, codes, ns, flags=True)
    summary.codes = len(ids.categories) + len(ids.themes) + len(ids.flags)

    var_guid = {name: guid("variable", name) for name in _VARIABLES}
    variables = _sub(root, ns, "Variables")
    for name in _VARIABLES:
        _sub(variables, ns, "Variable", guid=var_guid[name], name=name, typeOfVariable="Text")

    groups = {g["id"]: g for g in store.groups()}
    comments = store.comments()
    by_transcript: dict[tuple[str, str], list[dict]] = {}
    for comment in comments:
        by_transcript.setdefault((comment["group_name"], comment["transcript"]), []).append(comment)
    codings = {c["id"]: store.codings_of(c["id"]) for c in coders}
    speakers = {(s["group_name"], s["label"]): s for s in store.speakers()}

    sources_el = None
    files: dict[str, bytes] = {}
    notes: list[tuple[str, str, str, str]] = []  # guid, name, user guid, text
    cases: dict[tuple[str, str], dict] = {}
    for transcript in store.transcripts():
        group = groups[transcript["group_id"]]
        rows = by_transcript.get((transcript["group_name"], transcript["filename"]), [])
        if not rows:
            continue
        if sources_el is None:
            sources_el = ET.Element("Sources")  # placed after Cases below
        text, spans = source_text(rows)
        source_guid = guid("source", group["code"], transcript["filename"])
        files[f"sources/{source_guid}.txt"] = text.encode("utf-8")
        several = len([t for t in store.transcripts(group["id"])]) > 1
        name = f"{group['name']} ({transcript['filename']})" if several else group["name"]
        source = _sub(sources_el, ns, "TextSource", guid=source_guid, name=name,
                      plainTextPath=f"internal://{source_guid}.txt", creationDateTime=transcript["imported_at"])
        _sub(source, ns, "Description", f"Focus group {group['code']} {group['name']!r}: transcript "
             f"{transcript['filename']} ({transcript['format']}, sha256 {transcript['sha256']}), one "
             "selection per comment.")
        summary.sources += 1
        for comment, (start, end) in zip(rows, spans):
            summary.comments += 1
            selection_guid = guid("selection", comment["ref"])
            selection = _sub(source, ns, "PlainTextSelection", guid=selection_guid, name=comment["ref"],
                             startPosition=start, endPosition=end)
            note_refs = []
            for coder in coders:
                coding = codings[coder["id"]].get(comment["id"])
                if coding is None:
                    continue
                summary.codings[coder["name"]] = summary.codings.get(coder["name"], 0) + 1
                applied = []
                if coding["category_key"]:
                    applied.append(("category", coding["category_key"], ids.categories[coding["category_key"]]))
                applied += [("theme", t, ids.themes[t]) for t in coding["themes"]]
                applied += [("flag", f, ids.flags[f]) for f in ("unsure", "exemplar") if coding[f]]
                for kind, key, code_guid in applied:
                    element = _sub(selection, ns, "Coding", guid=guid("coding", comment["ref"], coder["name"].lower(),
                                                                     kind, key),
                                   creatingUser=user_guid[coder["id"]])
                    _sub(element, ns, "CodeRef", targetGUID=code_guid)
                if coding["memo"]:
                    note_guid = guid("memo", comment["ref"], coder["name"].lower())
                    notes.append((note_guid, f"Memo of {coder['name']} on {comment['ref']}",
                                  user_guid[coder["id"]], coding["memo"]))
                    note_refs.append(note_guid)
            for note_guid in note_refs:
                _sub(selection, ns, "NoteRef", targetGUID=note_guid)
            if not comment["no_speaker"]:
                key = (comment["group_name"], comment["speaker"])
                case = cases.setdefault(key, {"code": group["code"], "group": group["name"],
                                              "role": (speakers.get(key) or {}).get("role_key"),
                                              "sources": [], "selections": []})
                if source_guid not in case["sources"]:
                    case["sources"].append(source_guid)
                case["selections"].append(selection_guid)
        values = [(V_GROUP, group["name"]), (V_CODE, group["code"]), (V_KIND, group["kind"]),
                  (V_DATE, group["date"]), (V_STAKEHOLDERS, group["stakeholders"]),
                  (V_FILE, transcript["filename"])]
        _variable_values(source, ns, var_guid, values)

    if cases:
        holder = _sub(root, ns, "Cases")
        for (group_name, label), case in cases.items():
            element = _sub(holder, ns, "Case", guid=guid("case", case["code"], label),
                           name=f"{label} ({case['code']})")
            _variable_values(element, ns, var_guid,
                             [(V_SPEAKER, label), (V_ROLE, case["role"]), (V_GROUP, group_name)])
            for target in case["sources"]:
                _sub(element, ns, "SourceRef", targetGUID=target)
            for target in case["selections"]:
                _sub(element, ns, "SelectionRef", targetGUID=target)
    if sources_el is not None:
        root.append(sources_el)
    if notes:
        holder = _sub(root, ns, "Notes")
        for note_guid, name, user, text in notes:
            note = _sub(holder, ns, "Note", guid=note_guid, name=name, creatingUser=user)
            _sub(note, ns, "PlainTextContent", text)
        summary.notes = len(notes)
    _add_sets(root, ns, sets, guid, "targetGUID")
    _sub(root, ns, "Description", f"Exported by Workbench {__version__}: focus group comments as selections, "
         "each coder's coding as codings by that user, the agreed coding as user 'agreed'.")
    return _serialise(root, ns), files, summary


def _variable_values(parent: ET.Element, ns: str, var_guid: dict[str, str], values) -> None:
    for name, value in values:
        if value is None or value == "":
            continue
        element = _sub(parent, ns, "VariableValue")
        _sub(element, ns, "VariableRef", targetGUID=var_guid[name])
        _sub(element, ns, "TextValue", str(value))


def _write_atomically(path: Path, write) -> None:
    if not path.parent.is_dir():
        raise RefiError(f"{path}: the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def export_qdc(store: Store, out: str | Path, schemas: str | Path | None = None) -> ExportSummary:
    """Write the codebook as ``out`` (.qdc); validate first when ``schemas`` names the XSD folder."""
    out = Path(out)
    data = codebook_xml(store)
    if schemas is not None:
        validate_qdc(data, schemas)
    _write_atomically(out, lambda p: p.write_bytes(data))
    categories, themes = _codebook_entries(store)
    return ExportSummary(str(out), codes=len(categories) + len(themes))


def export_qdpx(store: Store, out: str | Path, schemas: str | Path | None = None) -> ExportSummary:
    """Write the project as ``out`` (.qdpx); validate first when ``schemas`` names the XSD folder."""
    out = Path(out)
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

    _write_atomically(out, write)
    return summary


# -- validation --------------------------------------------------------------------


def find_schemas() -> Path | None:
    """The folder holding the REFI-QDA XSDs: $WORKBENCH_REFI_SCHEMAS, else ../shared/refi-qda of a checkout."""
    candidates = []
    if os.environ.get("WORKBENCH_REFI_SCHEMAS"):
        candidates.append(Path(os.environ["WORKBENCH_REFI_SCHEMAS"]))
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "refi-qda")
    for folder in candidates:
        if (folder / PROJECT_XSD).is_file():
            return folder
    return None


def validate_qde(xml: bytes, schemas: str | Path | None = None) -> None:
    """Raise :class:`RefiError` listing every schema error of a ``project.qde`` document."""
    _validate(xml, PROJECT_XSD, schemas, "project.qde")


def validate_qdc(xml: bytes, schemas: str | Path | None = None) -> None:
    """Raise :class:`RefiError` listing every schema error of a ``.qdc`` codebook."""
    _validate(xml, CODEBOOK_XSD, schemas, "codebook")


_SCHEMA_CACHE: dict[str, object] = {}


def _validate(xml: bytes, xsd: str, schemas, what: str) -> None:
    folder = Path(schemas) if schemas is not None else find_schemas()
    if folder is None or not (folder / xsd).is_file():
        raise RefiError(f"{xsd}: the REFI-QDA schema was not found in {folder or 'any known folder'}; "
                        "give the folder holding Project-mrt2019.xsd and Codebook.xsd")
    try:
        from lxml import etree
    except ImportError:
        raise RefiError("validating against the REFI-QDA schemas needs lxml: pip install lxml") from None
    key = str((folder / xsd).resolve())
    schema = _SCHEMA_CACHE.get(key)
    if schema is None:
        schema = _SCHEMA_CACHE[key] = etree.XMLSchema(etree.parse(key))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise RefiError(f"{what}: not well-formed XML: {exc}") from None
    if not schema.validate(document):
        errors = [f"line {e.line}: {e.message}" for e in schema.error_log]
        raise RefiError(f"{what}: does not validate against {xsd}:\n" + "\n".join(errors[:20])
                        + (f"\n… and {len(errors) - 20} more" if len(errors) > 20 else ""))


def validate_qdpx(path: str | Path, schemas: str | Path | None = None) -> None:
    """Validate a .qdpx: project.qde against the schema, and the spec's rules the schema leaves
    out (each TextSource has its text inline or in the zip, not both; selections lie in the text)."""
    path = Path(path)
    with _Archive(path) as archive:
        qde = archive.qde()
        validate_qde(qde, schemas)
        root = _parse(qde, f"{path}: project.qde")
        problems = []
        for source in _all(root, "TextSource"):
            name = source.get("name") or source.get("guid")
            inline = _child(source, "PlainTextContent")
            link = source.get("plainTextPath")
            if (inline is None) == (link is None):
                problems.append(f"TextSource {name!r}: needs PlainTextContent or plainTextPath, not "
                                + ("both" if inline is not None else "neither"))
                continue
            text = (inline.text or "") if inline is not None else archive.source(link, path)
            if text is None:
                problems.append(f"TextSource {name!r}: {link} is not in the archive")
                continue
            for selection in _children(source, "PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                if not 0 <= start <= end <= len(text):
                    problems.append(f"TextSource {name!r}: selection {selection.get('name') or selection.get('guid')} "
                                    f"[{start}, {end}) lies outside the text ({len(text)} code points)")
        if problems:
            raise RefiError(f"{path}:\n" + "\n".join(problems))


# -- reading -----------------------------------------------------------------------


def _local(element: ET.Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c) == name] if element is not None else []


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _all(element: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in element.iter() if _local(e) == name]


def _parse(data: bytes, where: str) -> ET.Element:
    if b"<!ENTITY" in data[:4096]:
        raise RefiError(f"{where}: declares XML entities, which Workbench does not read")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise RefiError(f"{where}: not well-formed XML ({exc}); is it a REFI-QDA file?") from None


class _Archive:
    """A .qdpx zip with member names matched case-insensitively (``Sources/`` or ``sources/``)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise RefiError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise RefiError(f"{path}: not a .qdpx (zip) archive ({exc}); export the project from "
                            "your QDA program as REFI-QDA project (.qdpx)") from None
        self.names = {}
        for info in self.zip.infolist():
            self.names.setdefault(info.filename.replace("\\", "/").lower(), info.filename)

    def __enter__(self) -> "_Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        real = self.names.get(name.replace("\\", "/").lower())
        return self.zip.read(real) if real is not None else None

    def qde(self) -> bytes:
        data = self.read("project.qde")
        if data is None:
            candidates = sorted(n for n in self.names if n.endswith(".qde"))
            if not candidates:
                raise RefiError(f"{self.path}: the archive holds no project.qde; is it a REFI-QDA project?")
            data = self.zip.read(self.names[candidates[0]])
        return data

    def source(self, link: str, path: Path) -> str | None:
        """The text a ``plainTextPath`` names (internal://, relative:// or absolute://), or None."""
        data = self.data(link, path)
        return None if data is None else _decode(data)

    def data(self, link: str, path: Path) -> bytes | None:
        """The bytes a source path names (internal://, relative:// or absolute://), or None."""
        scheme, sep, rest = link.partition("://")
        if not sep:
            scheme, rest = "relative", link
        rest = rest.lstrip("/") if scheme.lower() == "internal" else rest
        data = None
        if scheme.lower() in ("internal", "relative"):
            for name in (f"sources/{rest}", rest, f"sources/{Path(rest).name}"):
                data = self.read(name)
                if data is not None:
                    break
            if data is None and scheme.lower() == "relative" and (path.parent / rest).is_file():
                data = (path.parent / rest).read_bytes()
        elif scheme.lower() == "absolute" and Path(rest).is_file():
            data = Path(rest).read_bytes()
        return data


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefiError(f"not UTF-8 text (byte {exc.start})") from None


@dataclass
class _Code:
    guid: str
    name: str
    codable: bool
    description: str
    marker: dict | None
    children: list["_Code"]


def _read_codes(parent: ET.Element | None) -> list[_Code]:
    codes = []
    for element in _children(parent, "Code"):
        description = (_child(element, "Description").text or "") if _child(element, "Description") is not None else ""
        marker = None
        match = _MARKER_RE.search(description)
        if match:
            try:
                marker = json.loads(match.group(1))
                description = description[: match.start()].rstrip()
            except ValueError:
                marker = None
        if not isinstance(marker, dict):
            marker = None
        guid = norm_guid(element.get("guid")) or f"missing-{len(codes)}-{element.get('name')}"
        codes.append(_Code(guid, " ".join((element.get("name") or "").split()),
                           (element.get("isCodable") or "true").strip().lower() in ("true", "1"),
                           description.strip(), marker, _read_codes(element)))
    return codes


# -- codes → codebook ----------------------------------------------------------------

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
    used: set[str] = set()
    entries = plan.categories + plan.themes
    for entry in entries:  # keep the file's own shortcuts where they are usable
        s = entry.shortcut
        if s and len(s) == 1 and not s.isspace() and s.lower() not in used:
            used.add(s.lower())
        else:
            entry.shortcut = None

    def take(preferred: str) -> str:
        for ch in (*preferred, *_POOL):
            if ch.lower() not in used and not ch.isspace():
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
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefiError(f"{path}: cannot read the codebook ({exc.strerror})") from None
    root = _parse(data, str(path))
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


# -- importing a project -----------------------------------------------------------------


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


@dataclass
class _Note:
    user: str | None
    text: str


@dataclass
class ImportReport:
    """What ``import_qdpx`` did: every skip and ambiguity is listed, nothing is dropped silently."""

    path: str
    project: str
    origin: str = ""
    codebook: str = ""  # "workbench codes", "other tool's codes" or "bundled codebook (no codes)"
    categories: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    code_mapping: list[str] = field(default_factory=list)
    coders: dict[str, str] = field(default_factory=dict)  # user → coder
    sources: list[dict] = field(default_factory=list)  # name, group, transcript, comments, selections
    skipped_sources: list[str] = field(default_factory=list)
    codings: dict[str, int] = field(default_factory=dict)  # coder → comments coded
    mapped_selections: int = 0
    ambiguous: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _value(element: ET.Element, variables: dict[str, str]) -> tuple[str, str] | None:
    ref = _child(element, "VariableRef")
    name = variables.get(norm_guid(ref.get("targetGUID")) if ref is not None else None)
    if name is None:
        return None
    for child in element:
        if _local(child) != "VariableRef":
            return name, (child.text or "").strip()
    return None


def _read_project(root: ET.Element, archive: _Archive, path: Path, report: ImportReport):
    variables = {norm_guid(v.get("guid")): (v.get("name") or "").strip()
                 for v in _children(_child(root, "Variables"), "Variable")}
    notes = {}
    for note in _children(_child(root, "Notes"), "Note"):
        content = _child(note, "PlainTextContent")
        text = content.text if content is not None else None
        if text is None and note.get("plainTextPath"):
            try:
                text = archive.source(note.get("plainTextPath"), path)
            except RefiError:
                text = None
        notes[norm_guid(note.get("guid"))] = _Note(norm_guid(note.get("creatingUser")), (text or "").strip())
    sources: list[_Source] = []
    holder = _child(root, "Sources")
    for element in holder if holder is not None else []:
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
        data = archive.data(link, path) if link else None
        if data is None:
            report.skipped_sources.append(f"PDFSource {name!r}: the PDF {link or '(no path)'} is neither in "
                                          "the archive nor next to it")
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
    name = (element.get("name") or "").strip() or "Source"
    guid = norm_guid(element.get("guid")) or name
    content = _child(element, "PlainTextContent")
    link = element.get("plainTextPath")
    text, problem = None, None
    try:
        if content is not None:
            text = content.text or ""
        elif link:
            text = archive.source(link, path)
            if text is None:
                problem = f"its text {link} is neither in the archive nor next to it"
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


def _locate(source: str, texts: list[str]) -> list[tuple[int, int] | None]:
    """Each comment's (start, end) in the source text, in order; None where it cannot be found.

    Whitespace is compared collapsed (the parser joins wrapped lines); a comment the
    parser changed otherwise is found by its first and last 40 characters.
    """
    chars, index = [], []
    pending = False
    for i, ch in enumerate(source):
        if ch.isspace():
            pending = True
            continue
        if pending and chars:
            chars.append(" ")
            index.append(i - 1)
        pending = False
        chars.append(ch)
        index.append(i)
    norm = "".join(chars)
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        wanted = " ".join(text.split())
        if not wanted:
            spans.append(None)
            continue
        at = norm.find(wanted, cursor)
        end = at + len(wanted) if at >= 0 else -1
        if at < 0 and len(wanted) > 80:
            head, tail = wanted[:40], wanted[-40:]
            at = norm.find(head, cursor)
            tail_at = norm.find(tail, at + len(head)) if at >= 0 else -1
            end = tail_at + len(tail) if tail_at >= 0 else -1
            if end < 0:
                at = -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((index[at], index[end - 1] + 1))
        cursor = end
    return spans


def map_selection(start: int, end: int, spans: list[tuple[int, int, int]]) -> tuple[int | None, list[tuple[int, float]]]:
    """Apply the overlap rule. ``spans`` are sorted (start, end, comment id); returns the comment
    the selection codes (None if unmapped or ambiguous) and the coverage of each comment it touches."""
    starts = [s[0] for s in spans]
    ends = [s[1] for s in spans]
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    touched = []
    for a, b, comment_id in spans[first:last]:
        overlap = min(b, end) - max(a, start)
        if overlap > 0 and b > a:
            touched.append((comment_id, overlap / (b - a)))
    if len(touched) == 1:
        return touched[0][0], touched
    covered = [c for c, share in touched if share >= COVERAGE]
    return (covered[0] if len(covered) == 1 else None), touched


def _coder_names(users: list[ET.Element], report: ImportReport) -> dict[str, str]:
    from workbench.coding.coder import AGREED, validate_name

    names: dict[str, str] = {}
    taken: set[str] = set()
    for user in users:
        guid = norm_guid(user.get("guid"))
        if guid is None or guid in names:
            continue
        raw = " ".join((user.get("name") or user.get("id") or "").split())
        if raw.lower() == AGREED:
            name = AGREED
        else:
            try:
                name = validate_name(raw[:40].strip())
            except WorkbenchError:
                name = f"user {guid[:8]}"
                report.warnings.append(f"user {raw!r} ({guid}): not a usable coder name; imported as {name!r}")
        base, n = name, 2
        while name.lower() in taken:
            name = f"{base[:35]} ({n})"
            n += 1
        taken.add(name.lower())
        names[guid] = name
        report.coders[raw if raw and raw not in report.coders else f"{raw} [{guid}]"] = name
    return names


def import_qdpx(path: str | Path, out_project: str | Path, name: str | None = None) -> ImportReport:
    """Create the project ``out_project`` from a .qdpx made by Workbench or another QDA program.

    On any error the half-made project file is removed: the import is all or nothing.
    """
    from workbench.store import remove_project

    path, out = Path(path), Path(out_project)
    if out.exists():
        raise RefiError(f"{out}: a file already exists here; choose a new project path for the import")
    with _Archive(path) as archive:
        root = _parse(archive.qde(), f"{path}: project.qde")
        if _local(root) != "Project":
            raise RefiError(f"{path}: project.qde's root element is <{_local(root)}>, not <Project>")
        project_name = name or (root.get("name") or "").strip() or path.stem
        report = ImportReport(str(path), str(out), (root.get("origin") or "").strip())
        sources, notes, cases = _read_project(root, archive, path, report)
    codes = _read_codes(_child(_child(root, "CodeBook"), "Codes"))
    plan = plan_codebook(codes, project_name, path.name) if codes else None
    store = None
    try:
        with tempfile.TemporaryDirectory(prefix="workbench-qdpx-") as tmp:
            if plan is not None and plan.categories:
                toml_path = Path(tmp) / f"{slug(path.stem)}-codebook.toml"
                toml_path.write_text(codebook_toml(plan, path.name), encoding="utf-8")
                from workbench.project.lifecycle import init_project

                store = init_project(out, toml_path, project_name)
                marked = any(c.marker for c in codes)
                report.codebook = "Workbench codes (markers)" if marked else "codes of another program (nesting rule)"
                report.code_mapping = plan.mapping
                report.warnings += plan.notes
            else:
                from workbench.project.lifecycle import init_project

                store = init_project(out, None, project_name)
                report.codebook = "the bundled codebook (the file has no codes)"
                plan = plan or CodebookPlan({})
            report.categories = [f"{c['key']} = {c['name']}" for c in store.categories()]
            report.themes = [f"{t['key']} = {t['name']}" for t in store.themes()]
            _import_sources(store, sources, cases, Path(tmp), report)
            _import_codings(store, root, sources, notes, plan, path, report)
    except BaseException:
        if store is not None:
            store.close()
        remove_project(out)
        raise
    return report


def _import_sources(store: Store, sources: list[_Source], cases: list[dict], tmp: Path, report: ImportReport) -> None:
    from workbench.errors import TranscriptError
    from workbench.ingest.importer import KINDS, GroupMeta, import_transcripts
    from workbench.project.roles import Role, find_role
    from workbench.ingest.transcript import parse_transcript

    roles = [Role(r["key"], r["name"], bool(r["excluded"]), tuple(r["aliases"])) for r in store.roles()]
    wanted = {c["values"].get(V_ROLE) for c in cases} - {None, ""}
    new_roles = sorted(r for r in wanted if find_role(r, roles) is None)
    if new_roles:
        with store.transaction():
            for key in new_roles:
                store.add_role(key, key, False)
                store.audit("create", "role", key, after={"name": key, "excluded": False}, note="from a .qdpx Case")
                roles.append(Role(key, key, False))
        report.warnings.append(f"role(s) {', '.join(new_roles)} added to the project (coded, not excluded)")

    used_groups: set[str] = set()
    used_files: set[tuple[str, str]] = set()
    used_codes = set()
    for number, source in enumerate(sources, start=1):
        if source.text is None:
            report.skipped_sources.append(f"TextSource {source.name!r}: {source.problem}")
            continue
        group = source.variables.get(V_GROUP) or _without_extension(source.name)
        group = " ".join(group.split())[:80] or f"Source {number}"
        own_group = source.variables.get(V_GROUP) is not None
        if not own_group:
            base, n = group, 2
            while group.lower() in used_groups:
                group, n = f"{base} ({n})", n + 1
        used_groups.add(group.lower())
        stem = Path(source.variables.get(V_FILE) or source.name).stem or f"source{number}"
        stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", stem)[:100].strip(" .") or f"source{number}"
        filename, n = f"{stem}.txt", 2
        while (group.lower(), filename.lower()) in used_files:
            filename, n = f"{stem} ({n}).txt", n + 1
        used_files.add((group.lower(), filename.lower()))
        folder = tmp / f"s{number}"
        folder.mkdir()
        file = folder / filename
        file.write_bytes(source.text.encode("utf-8"))
        code = source.variables.get(V_CODE)
        if code:
            holder = store.group_by_name(code)
            if (not re.match(r"^[A-Za-z]\w*$", code) or code.upper() in used_codes
                    or (holder is not None and holder["name"].lower() != group.lower())):
                code = None
        kind = source.variables.get(V_KIND)
        meta = GroupMeta(name=group, code=code, kind=kind if kind in KINDS else None,
                         date=source.variables.get(V_DATE) or None, stakeholders=source.variables.get(V_STAKEHOLDERS) or None)
        # Roles from the Cases of this source, for the speakers the parser finds in it.
        try:
            speaking = {t.speaker for t in parse_transcript(source.text.encode("utf-8"), filename).turns if t.speaker}
        except TranscriptError as exc:
            report.skipped_sources.append(f"TextSource {source.name!r}: {exc}")
            continue
        assigned = {}
        selection_guids = {s.guid for s in source.selections}
        for case in cases:
            label, role = case["values"].get(V_SPEAKER), case["values"].get(V_ROLE)
            if not label or not role or label not in speaking:
                continue
            if source.guid in case["sources"] or case["selections"] & selection_guids:
                assigned[label] = role
        try:
            [file_report] = import_transcripts(store, [file], meta, roles=assigned)
        except TranscriptError as exc:
            report.skipped_sources.append(f"TextSource {source.name!r}: {exc}")
            continue
        if file_report.status == "unchanged":
            report.skipped_sources.append(f"TextSource {source.name!r}: the same text as an earlier source "
                                          f"({file_report.warnings[0] if file_report.warnings else ''}); "
                                          "its selections are not imported")
            continue
        group_row = store.group_by_name(group)
        used_codes.add(group_row["code"].upper())
        source.comments = [(c["id"], c["ref"], c["text"], c["excluded"]) for c in store.comments(group_row["id"])
                           if c["transcript"] == filename]
        report.sources.append({
            "name": source.name, "group": group_row["name"], "code": group_row["code"], "transcript": filename,
            "format": file_report.format, "comments": file_report.comments, "selections": len(source.selections),
            "speakers_without_role": [s.label for s in file_report.speakers if s.role is None],
        })
        report.warnings += [f"{source.name}: {w}" for w in file_report.warnings]


def _import_codings(store: Store, root: ET.Element, sources: list[_Source], notes: dict[str, _Note],
                    plan: CodebookPlan, path: Path, report: ImportReport) -> None:
    from workbench.coding.coder import AGREED
    from workbench.coding.session import Coding, codings_by_comment, write_coding

    users = _children(_child(root, "Users"), "User")
    coder_of = _coder_names(users, report)
    default_user = norm_guid(root.get("creatingUserGUID"))
    theme_order = {t.key: i for i, t in enumerate(plan.themes)}
    takes = {c["key"]: bool(c["takes_themes"]) for c in store.categories()}
    # (user guid, comment id) → codes, memos
    applied: dict[tuple[str | None, int], dict] = {}
    refs: dict[int, tuple[str, bool]] = {}
    used_notes: set[str] = set()
    for source in sources:
        comments = source.comments
        if not comments:
            if source.selections:
                report.problems.append(f"source {source.name!r}: {len(source.selections)} selection(s) not "
                                       "imported (the source was not imported)")
            continue
        spans_found = _locate(source.text, [c[2] for c in comments])
        missing = [c[1] for c, s in zip(comments, spans_found) if s is None]
        if missing:
            report.warnings.append(f"source {source.name!r}: comment(s) {', '.join(missing)} could not be located "
                                   "in the source text; selections over them are reported as unmapped or ambiguous")
        spans = sorted((s[0], s[1], c[0]) for c, s in zip(comments, spans_found) if s is not None)
        for c in comments:
            refs[c[0]] = (c[1], bool(c[3]))
        if source.whole_codings:
            report.problems.append(f"source {source.name!r}: {source.whole_codings} coding(s) of the whole source "
                                   "not imported (the unit is a comment)")
        for sel in source.selections:
            where = {"source": source.name, "selection": sel.name or sel.guid, "start": sel.start, "end": sel.end,
                     "text": _snippet(source.text, sel.start, sel.end)}
            if not 0 <= sel.start < sel.end <= len(source.text):
                reason = (f"positions outside the text ({len(source.text)} code points)"
                          if not 0 <= sel.start <= sel.end <= len(source.text) else "an empty selection")
                if sel.codings or sel.notes:
                    report.unmapped.append({**where, "reason": reason})
                continue
            comment_id, touched = map_selection(sel.start, sel.end, spans)
            where["coverage"] = {refs[c][0]: round(share, 2) for c, share in touched}
            codes = [(code, user) for code, user in sel.codings]
            if comment_id is None:
                if not sel.codings and not sel.notes:
                    continue
                where["codes"] = sorted({_code_label(plan, code) for code, _ in codes})
                if touched:
                    where["reason"] = ("covers half or more of several comments" if
                                       sum(share >= COVERAGE for _, share in touched) > 1 else
                                       "covers less than half of each comment it touches")
                    report.ambiguous.append(where)
                else:
                    where["reason"] = "touches no comment (speaker labels or blank lines only)"
                    report.unmapped.append(where)
                continue
            report.mapped_selections += 1
            for code, user in codes:
                user = user or default_user
                entry = applied.setdefault((user, comment_id), {"codes": [], "memos": []})
                entry["codes"].append(code)
            for note_guid in sel.notes:
                note = notes.get(note_guid)
                if note is None or not note.text:
                    continue
                used_notes.add(note_guid)
                user = note.user or sel.user or default_user
                entry = applied.setdefault((user, comment_id), {"codes": [], "memos": []})
                if note.text not in entry["memos"]:
                    entry["memos"].append(note.text)
    loose = [g for g, n in notes.items() if g not in used_notes and n.text]
    if loose:
        report.warnings.append(f"{len(loose)} note(s) not attached to a coded selection were not imported")

    unknown_codes: set[str] = set()
    results: dict[tuple[str | None, int], Coding] = {}
    for (user, comment_id), entry in applied.items():
        categories, themes, flags = [], [], set()
        for code in entry["codes"]:
            meaning = plan.codes.get(code)
            if meaning is None:
                unknown_codes.add(code or "(none)")
                continue
            kind, key, implied = meaning
            if kind == "category" and key not in categories:
                categories.append(key)
            elif kind == "theme":
                if key not in themes:
                    themes.append(key)
                if implied and implied not in categories:
                    categories.append(implied)
            elif kind == "flag":
                flags.add(key)
        ref = refs[comment_id][0]
        who = coder_of.get(user) if user else None
        category = None
        if len(categories) > 1:
            report.problems.append(f"{ref}: {who or 'a user'} applied several categories ({', '.join(categories)}); "
                                   "category and themes not imported")
            themes = []
        elif categories:
            category = categories[0]
            if themes and not takes.get(category):
                report.problems.append(f"{ref}: themes {', '.join(themes)} not imported: category {category} takes none")
                themes = []
        elif themes:
            report.problems.append(f"{ref}: themes {', '.join(themes)} without a category not imported")
            themes = []
        results[(user, comment_id)] = Coding(category, tuple(sorted(themes, key=theme_order.get)),
                                             "\n\n".join(entry["memos"]), "unsure" in flags, "exemplar" in flags)
    if unknown_codes:
        report.problems.append(f"{len(unknown_codes)} code(s) used by codings are not in the codebook: "
                               + ", ".join(sorted(unknown_codes)[:10]))

    note = f"from {path.name}"
    with store.transaction():
        coders: dict[str | None, dict] = {}

        def coder_for(user: str | None) -> dict:
            if user not in coders:
                name = coder_of.get(user) if user else None
                if name is None:
                    name = f"user {user[:8]}" if user else "imported"
                    coder_of[user] = name
                    report.coders[user or "(no user)"] = name
                coder = store.coder_named(name)
                if coder is None:
                    coder = store.add_coder(name, "agreed" if name == AGREED else "coder")
                    store.audit("create", "coder", name, after={"name": name}, note=note)
                coders[user] = coder
            return coders[user]

        for guid in list(coder_of):
            coder_for(guid)
        current: dict[int, dict] = {}
        excluded = 0
        for (user, comment_id), coding in results.items():
            if coding.empty:
                continue
            coder = coder_for(user)
            before = current.setdefault(coder["id"], codings_by_comment(store, coder["id"])).get(comment_id, Coding())
            ref, is_excluded = refs[comment_id]
            excluded += is_excluded
            write_coding(store, coder, comment_id, ref, before, coding, "import", note=note)
            if coder["kind"] == "agreed":
                store.save_reconciliation(comment_id, "imported", note, [], coder["name"])
            report.codings[coder["name"]] = report.codings.get(coder["name"], 0) + 1
        if excluded:
            report.warnings.append(f"{excluded} coding(s) are on comments excluded from coding (e.g. a "
                                   "facilitator's); they are imported but not counted in tables")
        store.audit("import", "qdpx", path.name, after={
            "origin": report.origin, "sources": len(report.sources), "skipped_sources": len(report.skipped_sources),
            "codings": report.codings, "ambiguous": len(report.ambiguous), "unmapped": len(report.unmapped),
            "problems": len(report.problems)})


_FILE_SUFFIX = re.compile(r"\.(txt|text|docx?|rtf|odt|pdf|md|html?|vtt|srt)$", re.IGNORECASE)


def _without_extension(name: str) -> str:
    return _FILE_SUFFIX.sub("", name).strip() or name


def _code_label(plan: CodebookPlan, code: str | None) -> str:
    meaning = plan.codes.get(code)
    return f"{meaning[0]} {meaning[1]}" if meaning else f"unknown code {code}"


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    piece = " ".join(text[max(start, 0):max(end, 0)].split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"
