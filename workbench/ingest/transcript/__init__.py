"""Transcripts: decode any file a team has and split it into speaker turns.

``parse_transcript(data, filename)`` is the single entry point. The format is
detected from the content (a ``.txt`` holding WebVTT is read as WebVTT); the
extension is only a tie-breaker. It returns a :class:`ParsedTranscript` or raises
:class:`~workbench.errors.TranscriptError` with a message; nothing else escapes.
"""

from __future__ import annotations

import hashlib

from workbench.errors import TranscriptError
from workbench.ingest.transcript.model import ParsedTranscript, Turn

__all__ = ["ParsedTranscript", "Turn", "TranscriptError", "parse_transcript", "content_hash"]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_transcript(
    data: bytes, filename: str, encoding: str | None = None, known: set[str] = frozenset()
) -> ParsedTranscript:
    """Parse transcript bytes. ``known`` holds speaker labels a roster vouches for."""
    from workbench.ingest.transcript import captions, decode, docx, pdf
    from workbench.ingest.transcript import text as plain

    try:
        if docx.looks_like_docx(data):
            return docx.parse_docx(data, filename, known)
        if pdf.looks_like_pdf(data):
            return plain.parse_text(pdf.pdf_text(data, filename), filename, "pdf text", known, kind="pdf")
        if data.startswith(b"PK\x03\x04"):
            raise TranscriptError(
                f"{filename}: a zip archive that is not a Word document; unpack it and import "
                "the transcripts inside"
            )
        content, used = decode.decode(data, filename, encoding)
        if captions.looks_like_vtt(content):
            parsed = captions.parse_vtt(content, filename, used, known)
        elif captions.looks_like_srt(content):
            parsed = captions.parse_srt(content, filename, used, known)
        else:
            kind = "markdown" if filename.lower().endswith((".md", ".markdown")) else "text"
            parsed = plain.parse_text(content, filename, used, known, kind=kind)
        warning = decode.mojibake_warning(content)
        if warning:
            parsed.warnings.append(warning)
        return parsed
    except RecursionError:
        raise TranscriptError(f"{filename}: the file is nested too deeply to read") from None
