"""PDF transcripts: the text layer of each page, read as a text transcript.

pypdf (pure Python) gives each page's text line by line; pages are joined with a
form feed, as ``pdftotext`` does, so the text parser rejoins sentences broken by a
page break and leaves the running headers, footers and page numbers out (see
``pages.py``). A PDF of scanned pages has no text layer: that is refused with what
to do, as are password-protected and damaged files.
"""

from __future__ import annotations

import io
import logging
from contextlib import AbstractContextManager

from workbench.errors import TranscriptError


def looks_like_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def pdf_text(data: bytes, filename: str) -> str:
    """The PDF's text, pages separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    from workbench import limits

    # pypdf logs its repairs of slightly malformed files as warnings; they are not the user's.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with _stream_limits():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):  # an empty user password opens many
                raise TranscriptError(
                    f"{filename}: the PDF is password-protected; save a copy without the password "
                    "(or export the transcript as text or Word) and import that"
                )
            pages = [page.extract_text() or "" for page in reader.pages]
    except TranscriptError:
        raise
    except LimitReachedError:  # a compressed stream that expands past document-size
        raise limits.refuse(
            filename, "a compressed stream in the PDF expands beyond", "document-size"
        ) from None
    except RecursionError:
        raise limits.refuse(filename, "the nesting of its objects goes beyond", "depth") from None
    except Exception as exc:  # a damaged file can fail anywhere inside the PDF parser
        raise TranscriptError(
            f"{filename}: cannot read this PDF: it is damaged or incomplete; export the transcript "
            f"as text or Word from the program that made it and import that\n  (pypdf: {exc})"
        ) from None
    if not any(page.strip() for page in pages):
        raise TranscriptError(
            f"{filename}: the PDF has no text to read (scanned pages are pictures of text); "
            "run OCR on it first, or import the transcript as text or Word"
        )
    return "\f".join(page.rstrip("\n") + "\n" for page in pages)


def _stream_limits() -> AbstractContextManager[object]:
    """pypdf's own decompression limits (75 MB a stream) lowered to ``document-size``: a page's
    text never needs more, and a PDF stream bomb is refused as soon as it passes it."""
    import contextlib

    import pypdf

    from workbench import limits

    if not hasattr(pypdf, "apply_configuration"):  # pypdf 6: its own constants stand
        return contextlib.nullcontext()
    most = limits.value("document-size")
    names = (
        "maximum_declared_stream_length",
        "array_based_stream_maximum_output_length",
        "jbig2_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "zlib_maximum_output_length",
        "brotli_maximum_output_length",
    )
    current = pypdf.get_configuration()
    return pypdf.apply_configuration(
        **{name: min(most, getattr(current, name)) for name in names if hasattr(current, name)}
    )
