"""Reading the files users hand over, within the limits of :mod:`workbench.limits`.

* :func:`read_bytes`: any file, its size checked before reading (from the file system)
  and while reading (a file that grows, a device that never ends);
* :func:`read_text`: the same, decoded by the rules for rosters and sheets (UTF-8 with or
  without BOM, else Windows-1252 as Excel and Word save it);
* :func:`load_json`, :func:`load_toml`: nesting beyond what the parser can follow is the
  ``depth`` limit's message, never a ``RecursionError`` (:mod:`workbench.shapes` then
  checks every field and the depth itself); JSON's objects and lists are counted against
  ``elements`` before parsing;
* :func:`read_csv`: rows as Excel writes them, each field within ``field-length``, all the
  cells within ``elements``;
* :func:`parse_xml`: XML without a DTD (so no entity is ever expanded and no external
  entity or DTD is ever loaded: a ``<!DOCTYPE`` is refused at its first byte), with
  elements nested deeper than ``depth``, or more than ``elements`` of them, refused while
  parsing.

Zip archives (.qdpx, .docx, .xlsx) are read by :mod:`workbench.zips`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import limits

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

_CHUNK = 1 << 20
DTD_REFUSED = (
    "declares a DTD (<!DOCTYPE ...>), which Workbench never reads: its entities could expand without "
    "bound or read other files"
)
# Fed to the XML parser in pieces, so a refusal (a DTD, an element too deep) stops the
# parse within this many bytes rather than at the end of the document.
_XML_CHUNK = 64 * 1024


def read_bytes(path: str | Path, limit: str, what: str, error: type[Exception]) -> bytes:
    """The bytes of the file ``path`` (the ``what`` of the messages), at most limit ``limit``
    and ``file-size``; ``error`` is raised when it cannot be read."""
    path = Path(path)
    most = min(limits.value(limit), limits.value("file-size"))
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            limits.check(limit, size, str(path), f"the {what}")
            limits.check("file-size", size, str(path), "the file")
            # The size and one byte more (a file that grows, a device that has no size): then in
            # pieces, never past the limit (a read of n bytes allocates n at once).
            chunks = [handle.read(size + 1)]
            got = len(chunks[0])
            while (
                got > size and got <= most and (chunk := handle.read(min(_CHUNK, most + 1 - got)))
            ):
                chunks.append(chunk)
                got += len(chunk)
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except IsADirectoryError:
        raise error(f"{path}: is a folder; name the {what} file itself") from None
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if len(data) > size:  # it grew while being read, or is a device without a size
        limits.check(limit, len(data), str(path), f"the {what}")
        limits.check("file-size", len(data), str(path), "the file")
    return data


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel and Word save it on Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(path: Path, what: str, error: type[Exception], limit: str = "config-size") -> str:
    """The text of a small file users hand over (a roster, a sheet), by :func:`decode_text`."""
    return decode_text(read_bytes(path, limit, what, error))


def read_csv(text: str, where: str, error: type[Exception]) -> list[list[str]]:
    """The rows of CSV ``text``: line ends as Excel writes them (a line break inside quotes is
    part of the field), each field at most ``field-length``; anything the csv module cannot read
    is ``error`` naming the line."""
    import csv
    import io

    length, budget = limits.value("field-length"), limits.value("elements")
    csv.field_size_limit(length)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, cells = [], 0
    try:
        for row in reader:
            cells += len(row) or 1
            if cells > budget:
                raise limits.refuse(
                    f"{where}: line {reader.line_num}", "its cells go beyond", "elements"
                )
            rows.append(row)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise limits.refuse(
                f"{where}: line {reader.line_num}", "a field goes beyond", "field-length"
            ) from None
        raise error(
            f"{where}: line {reader.line_num}: not readable as CSV ({exc}); save the sheet again as CSV "
            "from Excel or another spreadsheet"
        ) from None
    return rows


def too_deep(where: str) -> limits.LimitError:
    return limits.refuse(where, "its nesting goes beyond", "depth")


def load_json(text: str | bytes, where: str):
    """``json.loads``; raises ``ValueError`` for text that is not JSON, and the ``depth``
    limit's :class:`~workbench.errors.LimitError` for nesting the parser cannot follow."""
    import json

    # Each object or list costs ~100-600 bytes once parsed: count them (brackets in strings too,
    # an upper bound) before parsing, so "[[],[],...]" cannot take 20 times its size in memory.
    count = (
        text.count(b"{") + text.count(b"[")
        if isinstance(text, bytes)
        else text.count("{") + text.count("[")
    )
    if count > limits.value("elements"):
        raise limits.refuse(where, f"it holds up to {count:,} objects and lists", "elements", count)
    try:
        return json.loads(text)
    except RecursionError:
        raise too_deep(where) from None


def load_toml(text: str, where: str) -> dict:
    """``tomllib.loads``; raises ``tomllib.TOMLDecodeError`` for text that is not TOML, and the
    ``depth`` limit's error for nesting the parser cannot follow."""
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise too_deep(where) from None


class _Refused(Exception):
    """Raised inside the XML parser's callbacks; becomes the caller's message."""


def _builder(where: str, comments: bool):
    import xml.etree.ElementTree as ET

    class Builder(ET.TreeBuilder):
        """A tree builder that refuses a DTD and elements nested deeper than the limit."""

        depth = elements = 0
        limit, budget = limits.value("depth"), limits.value("elements")

        def start(self, tag, attrs):
            self.depth += 1
            self.elements += 1
            if self.depth > self.limit:
                raise _Refused("deep")
            if self.elements > self.budget:
                raise _Refused("elements")
            return super().start(tag, attrs)

        def end(self, tag):
            self.depth -= 1
            return super().end(tag)

        def doctype(self, name, pubid, system):
            raise _Refused("dtd")

    return Builder(insert_comments=comments)


def parse_xml(
    data: bytes, where: str, error: type[Exception], comments: bool = False, hint: str = ""
) -> ET.Element:
    """The root element of XML ``data``. A DTD is refused (``error``: no entity expansion, no
    external entities or DTDs), nesting deeper than ``depth`` is the limit's error, and XML
    that is not well-formed is ``error`` naming the line (``hint`` added). ``comments`` keeps
    XML comments."""
    import xml.etree.ElementTree as ET

    parser = ET.XMLParser(target=_builder(where, comments))
    try:
        for start in range(0, len(data), _XML_CHUNK):
            parser.feed(data[start : start + _XML_CHUNK])
        return parser.close()
    except _Refused as exc:
        if str(exc) == "deep":
            raise too_deep(where) from None
        if str(exc) == "elements":
            raise limits.refuse(where, "its elements go beyond", "elements") from None
        raise error(
            f"{where}: {DTD_REFUSED}; export the file again from the program that made it"
        ) from None
    except ET.ParseError as exc:
        raise error(f"{where}: not well-formed XML ({exc}){hint}") from None
