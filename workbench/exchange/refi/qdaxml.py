"""What every REFI-QDA module shares: namespaces, variable names, GUIDs, the marker, element helpers.

Exports write every element unqualified under the root's default ``xmlns``
(``urn:QDA-XML:project:1.0`` or ``urn:QDA-XML:codebook:1.0``); imports match
elements by local name, whatever prefix or namespace another tool used.

GUIDs are uuid5 of stable identifiers (project name and creation time, refs,
coder names, code keys), so exporting twice gives the same file; read GUIDs are
compared normalised (lower case, no braces). A marker is the last line of a
code's ``Description``, ``workbench: {json}`` (see :mod:`.codes` for what it carries).

Named ``qdaxml`` so that it never shadows the standard library's ``xml``.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET

from workbench.errors import WorkbenchError
from workbench.store import Store

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"

_GUID_NAMESPACE = uuid.UUID("6f1c3b0e-4a57-5c1e-9d2a-7e0b5f3c2a10")
_GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_MARKER_RE = re.compile(r"(?:\A|\r?\n)[ \t]*workbench:[ \t]*(\{[^\r\n]*\})[ \t]*\s*\Z")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Variables written on sources and cases, and read back.
V_GROUP, V_CODE, V_KIND, V_DATE, V_STAKEHOLDERS, V_FILE = (
    "Focus group", "Group code", "Group kind", "Group date", "Stakeholders", "Transcript file")
V_SPEAKER, V_ROLE = "Speaker", "Role"


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


# -- writing ---------------------------------------------------------------------


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


def _serialise(root: ET.Element, ns: str) -> bytes:
    """UTF-8 XML; every element is in ``ns``, declared as the default namespace on the root."""
    assert root.get("xmlns") == ns
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


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
