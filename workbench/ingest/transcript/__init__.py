"""Transcripts: decode any file a team has and split it into speaker turns.

``parse_transcript(data, filename)`` is the single entry point. The format is
detected from the content (a ``.txt`` holding WebVTT is read as WebVTT): Word, OpenDocument
text, PDF, RTF, WebVTT, SRT, plain text and Markdown; a project, codebook or spreadsheet given
by mistake is named with the command that reads it (``wrong.py``). The extension is only a
tie-breaker. It returns a :class:`ParsedTranscript` or raises
:class:`~workbench.errors.TranscriptError` with a message; nothing else escapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set

from workbench.errors import TranscriptError
from workbench.ingest.transcript.model import ParsedTranscript, Turn

__all__ = ["ParsedTranscript", "Turn", "TranscriptError", "parse_transcript", "content_hash"]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_transcript(
    data: bytes, filename: str, encoding: str | None = None, known: Set[str] = frozenset()
) -> ParsedTranscript:
    """Parse transcript bytes. ``known`` holds speaker labels a roster vouches for."""
    from workbench.ingest.transcript import captions, decode, docx, odt, pdf, rtf
    from workbench.ingest.transcript import text as plain
    from workbench.ingest.transcript.wrong import wrong_file

    try:
        if docx.looks_like_docx(data):
            return _checked(docx.parse_docx(data, filename, known), filename, known)
        if odt.looks_like_odt(data):
            return _checked(odt.parse_odt(data, filename, known), filename, known)
        if pdf.looks_like_pdf(data):
            text = pdf.pdf_text(data, filename)
            check_size(len(text), filename, "the text of the PDF")
            return _checked(
                plain.parse_text(text, filename, "pdf text", known, kind="pdf"), filename, known
            )
        if rtf.looks_like_rtf(data):
            text = rtf.rtf_text(data, filename)
            check_size(len(text), filename, "the text of the RTF document")
            return _checked(rtf.parse_text_of(text, filename, known), filename, known)
        wrong = wrong_file(data, filename)
        if wrong:
            raise TranscriptError(f"{filename}: this is {wrong}")
        check_size(len(data), filename, "the transcript")
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
        return _checked(parsed, filename, known)
    except RecursionError:
        raise TranscriptError(f"{filename}: the file is nested too deeply to read") from None


def check_size(size: int, filename: str, what: str) -> None:
    """A transcript's text (the file, or what a Word or PDF file holds) within ``transcript-size``."""
    from workbench import limits

    limits.check("transcript-size", size, filename, what)


def _checked(
    parsed: ParsedTranscript, filename: str, known: Set[str] = frozenset()
) -> ParsedTranscript:
    """Every turn (one comment) within ``field-length``: a turn of megabytes is not a person speaking.
    The speakers found are checked for what looks wrong (``reading.check_speakers``)."""
    from workbench import limits
    from workbench.ingest.transcript.reading import check_speakers

    check_speakers(parsed, known)
    longest = max(parsed.turns, key=lambda turn: len(turn.text), default=None)
    if longest is not None and len(longest.text) > limits.value("field-length"):
        where = f"{filename}: line {longest.line}" if longest.line else filename
        raise limits.refuse(
            where,
            f"one comment (a speaker's turn) is {len(longest.text):,} characters",
            "field-length",
            len(longest.text),
        )
    return parsed
