"""LibreOffice and OpenOffice (.odt) transcripts, read like Word documents: paragraphs,
headings, lists, sections and speaker tables in document order, then the plain-text parser.

The package goes through the zip rules of :mod:`workbench.zips` (sizes, ratios, every part
streamed, no DTD in any XML part) and ``content.xml`` through :func:`workbench.files.parse_xml`
(no DTD, bounded depth and elements): the few ODF elements a transcript uses are read here,
not by a library that would parse the package again under its own rules. Footnotes, comments
(``office:annotation``) and tracked deletions are not the transcript's words and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from xml.etree.ElementTree import Element

from workbench.errors import TranscriptError
from workbench.ingest.transcript.docx import HEADINGS, row_text
from workbench.ingest.transcript.model import ParsedTranscript

_MIME = b"application/vnd.oasis.opendocument.text"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_HINT = "open and re-save it in LibreOffice, or save it as .docx or plain text"
# Elements whose text is not the transcript's: notes, comments, deleted text, index marks.
_SKIPPED = {
    _TEXT + "note",
    _OFFICE + "annotation",
    _OFFICE + "annotation-end",
    _TEXT + "tracked-changes",
    _TEXT + "bookmark-ref",
    _TEXT + "sequence-decls",
    _TEXT + "alphabetical-index-mark",
}
_CONTAINERS = {
    _TEXT + "list",
    _TEXT + "list-item",
    _TEXT + "list-header",
    _TEXT + "section",
    _TEXT + "index-body",
    _TABLE + "table-header-rows",
    _TABLE + "table-rows",
    _TABLE + "table-row-group",
}


def looks_like_odt(data: bytes) -> bool:
    """An OpenDocument text: its ``mimetype`` entry, stored first and uncompressed, says so."""
    return (
        data.startswith(b"PK\x03\x04")
        and data[30:38] == b"mimetype"
        and data[38 : 38 + len(_MIME)] == _MIME
        and data[38 + len(_MIME) : 39 + len(_MIME)] != b"-"
    )  # not -template, -master, -web


def odt_text(data: bytes, filename: str) -> str:
    """The document's paragraphs and table rows as text, one blank line between them."""
    from workbench import limits
    from workbench.files import parse_xml
    from workbench.zips import Archive

    with Archive(data, filename, TranscriptError, _HINT, kind="an OpenDocument text") as archive:
        archive.verify()  # every part streamed and checked, and none with a DTD
        content = next((i for i in archive.infos if i.filename == "content.xml"), None)
        if content is None:
            raise TranscriptError(f"{filename}: the OpenDocument file has no content.xml; {_HINT}")
        limits.check(
            "document-size", content.file_size, f"{filename}: content.xml", "the document's XML"
        )
        root = parse_xml(
            archive.read(content), f"{filename}: content.xml", TranscriptError, hint=f"; {_HINT}"
        )
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise TranscriptError(
            f"{filename}: the OpenDocument file holds no text document (office:text); {_HINT}"
        )
    parts = [text for text in _blocks(body) if text.strip()]
    return "\n\n".join(parts)


def _blocks(parent: Element) -> Iterator[str]:
    """Texts of paragraphs, headings and table rows in document order."""
    for child in parent:
        tag = child.tag
        if tag in (_TEXT + "p", _TEXT + "h"):
            yield _inline(child)
        elif tag in _CONTAINERS:
            yield from _blocks(child)
        elif tag == _TABLE + "table":
            yield from _rows(child)


def _rows(table: Element) -> Iterator[str]:
    first = True
    for row in table.iter(_TABLE + "table-row"):
        cells = [
            "\n".join(_blocks(cell)).strip() for cell in row if cell.tag == _TABLE + "table-cell"
        ]
        cells = [c for c in cells if c]
        if first and cells and all(c.lower().rstrip(":") in HEADINGS for c in cells):
            first = False
            continue  # "Speaker | Text" is the table's heading, not a turn
        first = False
        if cells:
            yield row_text(cells)


def _inline(element: Element) -> str:
    """A paragraph's text: spans and links opened, ``text:s`` as its spaces, tabs and line
    breaks as written; notes and comments left out."""
    pieces = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":
            pieces.append(" " * _count(child.get(_TEXT + "c")))
        elif tag == _TEXT + "tab":
            pieces.append("\t")
        elif tag == _TEXT + "line-break":
            pieces.append("\n")
        elif tag not in _SKIPPED:
            pieces.append(_inline(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _count(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


def parse_odt(data: bytes, filename: str, known: Set[str] = frozenset()) -> ParsedTranscript:
    from workbench.ingest.transcript.text import parse_text

    text = odt_text(data, filename)
    if not text.strip():
        raise TranscriptError(f"{filename}: the OpenDocument file has no text; nothing to import")
    return parse_text(text, filename, "odt", known, kind="odt")
