"""Rich Text Format (.rtf) transcripts, as Word, WordPad and TextEdit save them: the text
taken out by ``striprtf`` (a small, maintained RTF-to-text converter: control words, groups,
code pages and ``\\u`` escapes, pictures and footnotes left out), table rows made into
``Speaker: words`` lines as in Word documents, then read by the plain-text parser."""

from __future__ import annotations

import re
from collections.abc import Set

from workbench.errors import TranscriptError
from workbench.ingest.transcript.docx import HEADINGS, row_text
from workbench.ingest.transcript.model import ParsedTranscript

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def looks_like_rtf(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf"


def rtf_text(data: bytes, filename: str) -> str:
    """The document's text, a table row per line as ``Speaker: words``."""
    import codecs

    from striprtf.striprtf import rtf_to_text

    m = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(m[1])}" if m else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        # RTF is 7-bit text with escapes; any 8-bit byte in it stands for itself (latin-1 keeps it).
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except (ValueError, IndexError, RecursionError) as exc:
        raise TranscriptError(
            f"{filename}: cannot read this RTF document ({type(exc).__name__}: {exc}); save it "
            "from Word as .docx or plain text and import that"
        ) from None
    lines, first_row = [], True
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.endswith("|"):  # striprtf ends each table cell with "|"
            cells = [c.strip() for c in line[:-1].split("|")]
            cells = [c for c in cells if c]
            if first_row and cells and all(c.lower().rstrip(":") in HEADINGS for c in cells):
                first_row = False
                continue
            first_row = False
            lines.append(row_text(cells) if cells else "")
        else:
            lines.append(line)
    return "\n".join(lines)


def parse_text_of(text: str, filename: str, known: Set[str] = frozenset()) -> ParsedTranscript:
    """Read the text :func:`rtf_text` took out of an RTF document."""
    from workbench.ingest.transcript.text import parse_text

    if not text.strip():
        raise TranscriptError(f"{filename}: the RTF document has no text; nothing to import")
    return parse_text(text, filename, "rtf", known, kind="rtf")
