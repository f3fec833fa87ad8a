"""Word (.docx) transcripts: paragraphs and two-column speaker tables, in body order.

The text is then read by the plain-text parser, so every label style it knows
works in Word documents too.
"""

from __future__ import annotations

import io
import zipfile

from workbench.errors import TranscriptError
from workbench.transcript.model import ParsedTranscript


def looks_like_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def docx_text(data: bytes, filename: str) -> str:
    """The document's paragraphs as text, one blank line between paragraphs."""
    from docx import Document  # lazy: python-docx pulls in lxml
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise TranscriptError(
            f"{filename}: damaged Word document ({type(exc).__name__}: {exc}); "
            "open and re-save it in Word, or save it as plain text"
        ) from None
    parts: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [cell.text.strip() for cell in row.cells]
                cells = [c for i, c in enumerate(cells) if c and c not in cells[:i]]
                if len(cells) >= 2:
                    # A speaker | words table, as some transcription services deliver.
                    parts.append(f"{cells[0].rstrip(':')}: {' '.join(cells[1:])}")
                elif cells:
                    parts.append(cells[0])
    return "\n\n".join(p.replace("\u000b", "\n") for p in parts)


def parse_docx(data: bytes, filename: str, known: set[str] = frozenset()) -> ParsedTranscript:
    from workbench.transcript.text import parse_text

    text = docx_text(data, filename)
    if not text.strip():
        raise TranscriptError(f"{filename}: the Word document has no text; nothing to import")
    return parse_text(text, filename, "docx", known, kind="docx")
