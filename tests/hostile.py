"""Hostile files, built by the tests: zip bombs, lying zip directories, damaged entries, XML
with entities, deep nesting, wrong types, oversized fields. Each builder writes one file and
returns its path; bombs expand far (tens of megabytes) from a few kilobytes, so a reader that
decompressed them would show in the memory the tests measure."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def deflated(size: int, byte: bytes = b" ") -> bytes:
    """``size`` bytes of one byte, raw-deflated (as a zip entry holds them): ~1000 times smaller."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = byte * (1 << 20)
    out = [packer.compress(block) for _ in range(size >> 20)]
    out.append(packer.compress(byte * (size & ((1 << 20) - 1))))
    out.append(packer.flush())
    return b"".join(out)


def write_zip(path: Path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_with_bomb(path: Path, members: dict[str, bytes], bomb: str, size: int) -> Path:
    """A zip of ``members`` plus the entry ``bomb``: ``size`` bytes of spaces, deflated, written
    without ever holding them (the entry's sizes and CRC computed as zlib would)."""
    write_zip(path, members)
    data = deflated(size)
    crc = 0
    block = b" " * (1 << 20)
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(b" " * (size & ((1 << 20) - 1)), crc)
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo(bomb, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(data), crc
        archive.fp.seek(archive.start_dir)
        info.header_offset = archive.fp.tell()
        archive.fp.write(info.FileHeader(False))
        archive.fp.write(data)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[bomb] = info
        archive._didModify = True
    return path


def patch_entry(path: Path, name: str, **fields) -> Path:
    """Rewrite fields of ``name``'s records in the zip, in the local header and the central
    directory alike: ``flag_bits``, ``compress_type``, ``crc``, ``file_size`` (a lying directory)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(name).header_offset
    encoded = name.encode()
    central = next(
        i for i in _find_all(data, b"PK\x01\x02") if data[i + 46 : i + 46 + len(encoded)] == encoded
    )
    # (offset in the local header, offset in the central record, struct format)
    layout = {
        "flag_bits": (6, 8, "<H"),
        "compress_type": (8, 10, "<H"),
        "crc": (14, 16, "<I"),
        "file_size": (22, 24, "<I"),
    }
    for field, value in fields.items():
        at_local, at_central, fmt = layout[field]
        struct.pack_into(fmt, data, local + at_local, value)
        struct.pack_into(fmt, data, central + at_central, value)
    path.write_bytes(bytes(data))
    return path


def _find_all(data: bytes, needle: bytes):
    start = data.find(needle)
    while start >= 0:
        yield start
        start = data.find(needle, start + 1)


def nested_json(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- documents of each reader -----------------------------------------------------------


def docx_members() -> dict[str, bytes]:
    """The parts of a one-paragraph Word document (python-docx's template)."""
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Ana: hello")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xlsx_members(rows: list[list[str]]) -> dict[str, bytes]:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def package(coder: str = "ana", **changes) -> dict:
    """A coder package of one coding (for a project the hashes will not match: the shape and
    the name are refused before the hashes are compared)."""
    data = {
        "format": "workbench-coder-package",
        "version": 1,
        "project": {"name": "p", "created_at": "2025-01-01T00:00:00Z"},
        "codebook": {"key": "k", "name": "Coproduction", "version": "1", "sha256": "0" * 64},
        "coder": coder,
        "exported_at": "2025-01-01T00:00:00Z",
        "exported_by": "ana",
        "workbench": "0.1.0",
        "transcripts": [{"group": "fg1", "filename": "fg1.txt", "sha256": "0" * 64}],
        "codings": [
            {
                "ref": "FG1-002",
                "group": "fg1",
                "transcript": "fg1.txt",
                "text_sha256": "0" * 64,
                "category": "defining",
                "themes": [],
                "memo": "",
                "unsure": False,
                "exemplar": False,
            }
        ],
    }
    data.update(changes)
    return data


def write_json(path: Path, data) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


G = "{0000000%d-0000-0000-0000-000000000000}"


def qde(
    sources: str = "", codes: str = "", notes: str = "", users: str = "", prolog: bytes = b""
) -> bytes:
    """A project.qde with the given Sources, Codes, Notes and Users XML."""
    body = (
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Hostile" origin="a test">'
        f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook>"
        f"<Sources>{sources}</Sources><Notes>{notes}</Notes></Project>"
    )
    return (prolog or b'<?xml version="1.0" encoding="utf-8"?>\n') + body.encode("utf-8")


def text_source(name: str, text: str, guid: int = 1) -> str:
    from xml.sax.saxutils import escape

    return (
        f'<TextSource guid="{G % guid}" name="{name}">'
        f"<PlainTextContent>{escape(text)}</PlainTextContent></TextSource>"
    )


def nested_codes(depth: int) -> str:
    return (
        "".join(
            f'<Code guid="{{{i:08d}-0000-0000-0000-000000000000}}" name="c{i}" isCodable="true">'
            for i in range(depth)
        )
        + "</Code>" * depth
    )


def pdf_with_flate_stream(size: int) -> bytes:
    """A one-page PDF whose content stream is ``size`` bytes of text operators, FlateDecode-
    compressed (a PDF's own compression bomb), with a proper cross-reference table."""
    packer = zlib.compressobj(9)
    block = b"BT /F1 11 Tf (we talked) Tj ET\n" * ((1 << 20) // 31)
    stream = b"".join([packer.compress(block) for _ in range(size >> 20)] + [packer.flush()])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += str(number).encode() + b" 0 obj\n" + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += (
        b"trailer\n<< /Size "
        + str(len(objects) + 1).encode()
        + b" /Root 1 0 R >>\nstartxref\n"
        + str(xref).encode()
        + b"\n%%EOF\n"
    )
    return body
