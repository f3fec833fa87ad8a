"""A tiny PDF writer for tests: pages of text lines in Helvetica, as a word processor's
"save as PDF" lays out a transcript (one text line per PDF line, a text layer pypdf reads).
Written by hand so the tests need no PDF-making library and every byte is known."""

from __future__ import annotations


def _literal(line: str) -> bytes:
    raw = line.encode("cp1252")  # WinAnsiEncoding, as declared for the font
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: list[list[str]], encrypt_marker: bool = False) -> bytes:
    objects: list[bytes] = []
    kids = []
    font = 3
    for page_lines in pages:
        content = (
            b"BT /F1 11 Tf 14 TL 72 760 Td "
            + b" ".join(_literal(line) + b" Tj T*" for line in page_lines)
            + b" ET"
        )
        stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        page_no = 4 + len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page_no + 1, font)
        )
        objects.append(stream)
        kids.append(page_no)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % k for k in kids)
        + b"] /Count %d >>" % len(kids),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, obj in enumerate(head + objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return body
