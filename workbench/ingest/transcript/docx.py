"""Word (.docx) transcripts: paragraphs and speaker tables, in body order.

The text is then read by the plain-text parser, so every label style it knows
works in Word documents too. Tables are read from the XML directly rather than
through python-docx's cell grid, which raises on merged cells it cannot place
(a vertical merge in the first row) and repeats the text of merged cells.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, cast

from workbench.errors import TranscriptError
from workbench.ingest.transcript import labels as L
from workbench.ingest.transcript.model import ParsedTranscript

if TYPE_CHECKING:  # python-docx and lxml load when a Word file is read
    from docx.document import Document as WordDocument
    from docx.oxml.text.paragraph import CT_P
    from lxml.etree import _Element

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _BODY = (
    _W + tag for tag in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "body")
)
# Column headings of a speaker table ("Speaker | Text"): not a turn.
HEADINGS = {
    "speaker",
    "name",
    "who",
    "text",
    "transcript",
    "words",
    "comment",
    "utterance",
    "content",
    "speech",
    "time",
    "timestamp",
    "start",
}
_STAMP = re.compile(r"\[?(" + L.TIMESTAMP + r")\]?")


def looks_like_docx(data: bytes) -> bool:
    # The part's name is stored uncompressed in the zip, so no archive is opened to sniff.
    return data.startswith(b"PK\x03\x04") and b"word/document.xml" in data


_HINT = "open and re-save it in Word, or save it as plain text"


def check_package(data: bytes, filename: str) -> None:
    """The zip checks of :mod:`workbench.zips` before python-docx reads every part of the
    package: sizes and ratios from the directory, then every part streamed (CRC, sizes) and
    every XML part's prolog (no DTD); the main part at most ``document-size`` (Word's XML)."""
    from workbench import limits
    from workbench.zips import Archive

    with Archive(
        data, filename, TranscriptError, _HINT, kind="a Word document", whole=True
    ) as archive:
        main = next((i for i in archive.infos if i.filename == "word/document.xml"), None)
        if main is not None:
            limits.check(
                "document-size",
                main.file_size,
                f"{filename}: word/document.xml",
                "the document's XML",
            )
        archive.verify()


def docx_text(data: bytes, filename: str) -> str:
    """The document's paragraphs and table rows as text, one blank line between them."""
    from docx import Document  # lazy: python-docx pulls in lxml
    from lxml.etree import XMLSyntaxError

    check_package(data, filename)
    # What a damaged package raises, found by fuzzing (tests/test_transcript_fuzz.py):
    # a missing part (KeyError), broken XML (XMLSyntaxError, also for nesting deeper than
    # libxml2's 256 levels), and a main part of the wrong content type (ValueError); zip damage
    # is refused by check_package first.
    damaged = (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,
        NotImplementedError,
        KeyError,
        XMLSyntaxError,
        ValueError,
    )
    try:
        document = Document(io.BytesIO(data))
    except damaged as exc:
        what = (
            "corrupt compressed data"
            if isinstance(exc, zlib.error)
            else f"{type(exc).__name__}: {exc}"
        )
        raise TranscriptError(
            f"{filename}: damaged Word document ({what}); "
            "open and re-save it in Word, or save it as plain text"
        ) from None
    body = document.element.find(_BODY)
    if body is None:
        raise TranscriptError(
            f"{filename}: the Word document has no body (not a word-processing document); "
            "open and re-save it in Word, or save it as plain text"
        )
    parts = [text for text in _blocks(body, document) if text.strip()]
    return "\n\n".join(p.replace("\u000b", "\n") for p in parts)


def _blocks(parent: _Element, document: WordDocument) -> Iterator[str]:
    """Texts of paragraphs and table rows in body order; content controls are opened."""
    from docx.text.paragraph import Paragraph

    # Only these tags: iterchildren() would also yield XML comments, whose .tag is no string.
    for child in parent.iterchildren(_P, _TBL, _SDT):
        if child.tag == _P:
            yield Paragraph(cast("CT_P", child), document).text  # a w:p is read as a CT_P
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content, document)
        else:
            for number, tr in enumerate(child.iterchildren(_TR)):
                cells = [_cell_text(tc, document) for tc in tr.iterchildren(_TC)]
                cells = [c for c in cells if c]  # a vertically merged cell continues empty
                if number == 0 and cells and all(c.lower().rstrip(":") in HEADINGS for c in cells):
                    continue
                yield row_text(cells)


def _cell_text(tc: _Element, document: WordDocument) -> str:
    from docx.text.paragraph import Paragraph

    paragraphs = (Paragraph(cast("CT_P", p), document) for p in tc.iterchildren(_P))
    return "\n".join(p.text for p in paragraphs).strip()


def row_text(cells: list[str]) -> str:
    """A speaker | words row (or time | speaker | words) as a labelled line."""
    stamped = _STAMP.fullmatch(cells[0]) if len(cells) >= 3 else None
    if stamped:
        stamp, cells = stamped[1], cells[1:]
        return f"[{stamp}] {' '.join(cells[0].split()).rstrip(':')}: {' '.join(cells[1:])}"
    if len(cells) >= 2:
        return f"{' '.join(cells[0].split()).rstrip(':')}: {' '.join(cells[1:])}"
    return cells[0] if cells else ""


def parse_docx(data: bytes, filename: str, known: Set[str] = frozenset()) -> ParsedTranscript:
    from workbench.ingest.transcript.text import parse_text

    text = docx_text(data, filename)
    if not text.strip():
        raise TranscriptError(f"{filename}: the Word document has no text; nothing to import")
    return parse_text(text, filename, "docx", known, kind="docx")
