"""What every REFI-QDA module shares: namespaces, variable names, GUIDs, the marker, element helpers.

Exports write every element unqualified under the root's default ``xmlns``
(``urn:QDA-XML:project:1.0`` or ``urn:QDA-XML:codebook:1.0``); imports match
elements by local name, whatever prefix or namespace another tool used.

GUIDs are uuid5 of stable identifiers (project name and creation time, refs,
coder names, code keys), so exporting twice gives the same file; read GUIDs are
compared normalised (lower case, no braces). A marker is an XML comment in a code,
``<!-- workbench: {json} -->`` (see :mod:`.codes` for what it carries); earlier
exports wrote it as the last line of the code's ``Description``, which is still read.
Timestamps are written as xsd:dateTime in UTC to the second (``2025-03-04T10:00:00Z``).

Named ``qdaxml`` so that it never shadows the standard library's ``xml``.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from functools import lru_cache

from workbench.errors import WorkbenchError
from workbench.store import Store

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"

_GUID_NAMESPACE = uuid.UUID("6f1c3b0e-4a57-5c1e-9d2a-7e0b5f3c2a10")
_GUID_RE = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
MARKER_RE = re.compile(r"(?:\A|\r?\n)[ \t]*workbench:[ \t]*(\{[^\r\n]*\})[ \t]*\s*\Z")
_COMMENT_MARKER_RE = re.compile(r"\A\s*workbench:\s*(\{.*\})\s*\Z", re.DOTALL)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Variables written on sources and cases, and read back.
V_GROUP, V_CODE, V_KIND, V_DATE, V_STAKEHOLDERS, V_FILE = (
    "Focus group",
    "Group code",
    "Group kind",
    "Group date",
    "Stakeholders",
    "Transcript file",
)
V_SPEAKER, V_ROLE = "Speaker", "Role"
# A case's focus group: its own variable, since QualCoder makes a variable either a file's or a case's.
V_CASE_GROUP = "Speaker's focus group"


class RefiError(WorkbenchError):
    """A REFI-QDA file cannot be read or written, or does not validate."""


# -- GUIDs -------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # the same users' and codes' GUIDs on every one of 100,000s of codings
def norm_guid(value: str | None) -> str | None:
    """A GUID in any case, with or without braces → lower case without braces (None if not one)."""
    if value is None:
        return None
    match = _GUID_RE.match(value.strip())
    return match.group(1).lower() if match else None


class Guids:
    """Deterministic GUIDs: uuid5 of the project's identity and stable names."""

    def __init__(self, store: Store):
        info = store.project_info()
        self.project = f"{info['name']}\x1f{info['created_at']}"

    def __call__(self, *parts: str) -> str:
        return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join((self.project, *parts))))


# -- writing ---------------------------------------------------------------------


def xml_text(text: str | None) -> str:
    """Text safe in XML 1.0 (characters XML cannot carry become U+FFFD)."""
    return _XML_INVALID.sub("\ufffd", text or "")


def write_marker(element: ET.Element, ns: str, description: str, marker: dict) -> None:
    """A code's ``Description`` (only when there is one) and its marker, an XML comment
    ``<!-- workbench: {json} -->``: valid against the schema, and not shown by other programs,
    which read the Description as the code's memo. "-" is written ``\\u002d`` in the JSON,
    since a comment may not hold "--"."""
    description = xml_text(description).strip()
    if description:
        subelement(element, ns, "Description", description)
    text = json.dumps(marker, ensure_ascii=False, sort_keys=True).replace("-", "\\u002d")
    element.append(ET.Comment(f" workbench: {xml_text(text)} "))


def marker_of(element: ET.Element) -> dict | None:
    """The marker of a code: its ``<!-- workbench: {json} -->`` comment, else (files of older
    Workbench versions) the last line of its Description."""
    for child in element:
        if child.tag is ET.Comment:
            match = _COMMENT_MARKER_RE.match(child.text or "")
            if match:
                return json_object(match.group(1))
    return None


def json_object(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def refi_time(timestamp: str | None) -> str | None:
    """A stored timestamp (ISO 8601, UTC, milliseconds) as REFI-QDA writes it: to the second, with Z."""
    return f"{timestamp[:19]}Z" if timestamp and len(timestamp) >= 19 else None


def subelement(
    parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs
) -> ET.Element:
    # Tags are written unqualified under the root's default xmlns (see serialise).
    element = ET.SubElement(
        parent, tag, {k: xml_text(str(v)) for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        element.text = xml_text(text)
    return element


def serialise(root: ET.Element, ns: str) -> bytes:
    """UTF-8 XML; every element is in ``ns``, declared as the default namespace on the root."""
    assert root.get("xmlns") == ns
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    ).encode("utf-8")


# -- reading -----------------------------------------------------------------------


def local_name(element: ET.Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def elements_of(element: ET.Element | None) -> list[ET.Element]:
    """Child elements, without the comments the parser keeps (see :func:`parse_refi`)."""
    return [c for c in element if isinstance(c.tag, str)] if element is not None else []


def children_named(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [c for c in element if local_name(c) == name] if element is not None else []


def child_named(element: ET.Element | None, name: str) -> ET.Element | None:
    found = children_named(element, name)
    return found[0] if found else None


def descendants_named(element: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in element.iter() if local_name(e) == name]


def parse_refi(data: bytes, where: str) -> ET.Element:
    """A REFI-QDA document (project.qde, .qdc): no DTD, nesting within ``depth`` and at most
    ``elements`` elements (:func:`workbench.files.parse_xml`). Comments are kept: a code's
    marker is one (see write_marker); everything else skips them."""
    from workbench.files import parse_xml

    return parse_xml(data, where, RefiError, comments=True, hint="; is it a REFI-QDA file?")
