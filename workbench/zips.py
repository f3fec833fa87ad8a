"""Zip archives users hand over (.qdpx, .docx, .xlsx), read within the limits of :mod:`workbench.limits`.

Before anything is decompressed, the archive's directory is checked: how many entries it
has (``entries``), and for each entry its compression method (stored or deflated only:
what REFI-QDA programs and Office write; bzip2 and LZMA are refused, one read of theirs can
expand without bound, and so are methods Python cannot read), encryption, uncompressed
size (``entry-size``) and compression ratio (``entry-ratio``); for a document that a
library reads whole, the sum of the sizes too (``archive-size``). Every read then streams
in 1 MB pieces and counts, so an entry that fails its CRC, holds other than its directory
says (a lying directory) or has damaged compressed data is refused, and so is reading past
``archive-size`` in all.

:meth:`Archive.verify` streams every entry once (discarding it) and refuses an XML part
that declares a DTD, so a library that reads the archive afterwards (python-docx, openpyxl)
meets only entries proven to be what the directory says, and XML without entities.
:func:`xlsx_rows` reads an Excel workbook's first sheet that way (coding sheets, codebooks).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from workbench import limits
from workbench.files import DTD_REFUSED

_CHUNK = 1 << 20
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_METHOD_NAMES = {
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    9: "Deflate64",
    93: "Zstandard",
    95: "XZ",
    98: "PPMd",
    99: "AES encryption",
}
# A central directory record is 46 bytes plus the name and extras; this much room per entry is
# generous (ZipFile reads the whole directory into memory before anything can be checked).
_DIRECTORY_BYTES_PER_ENTRY = 256
# zipfile's end-record reader and its offsets are private (not in its stubs, so untyped here);
# if a release drops them, the AttributeError is caught and ZipFile alone checks the archive.
_ZIPFILE: Any = zipfile
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, IndexError, KeyError)


class _DTD(Exception):
    pass


class _Root(Exception):
    pass


class Archive:
    """A zip archive opened under the limits. ``where`` names it in messages, ``error`` is the
    exception for a damaged or unreadable archive, ``hint`` says what to do and ``kind`` what the
    file should be ("a Word document"). ``whole``: a library will read every entry, so the sum of
    their sizes is checked (``archive-size``) up front."""

    def __init__(
        self,
        source: str | Path | bytes,
        where: str,
        error: type[Exception],
        hint: str,
        kind: str = "a zip archive",
        whole: bool = False,
    ):
        self.where, self.error, self.hint = where, error, hint
        self.total = 0  # bytes read so far, uncompressed
        self._handle: IO[bytes]
        try:
            if isinstance(source, (bytes, bytearray)):
                self._handle = io.BytesIO(source)
            else:
                # Checked before opening: a file over the limit leaves no handle open.
                limits.check("file-size", Path(source).stat().st_size, where, "the file")
                self._handle = open(source, "rb")  # noqa: SIM115 - the Archive holds it: close()
        except FileNotFoundError:
            raise error(f"{where}: no such file") from None
        except OSError as exc:
            raise error(f"{where}: cannot read the file ({exc.strerror})") from None
        try:
            self._check_directory_size()
            self.zip = zipfile.ZipFile(self._handle)
        except _DAMAGED as exc:
            self._handle.close()
            raise error(
                f"{where}: not {kind}, or a damaged one (the zip cannot be read: {exc}); {hint}"
            ) from None
        except BaseException:
            self._handle.close()
            raise
        self.infos = self.zip.infolist()
        try:
            limits.check("entries", len(self.infos), where, "the number of entries")
            for info in self.infos:
                self._check_entry(info)
            if whole:
                total = sum(info.file_size for info in self.infos)
                if total > limits.value("archive-size"):
                    raise limits.refuse(
                        where,
                        f"its entries expand to {limits.size(total)} in all",
                        "archive-size",
                        total,
                    )
        except BaseException:
            self.close()
            raise

    def _check_directory_size(self) -> None:
        """Refuse a directory too large for ``entries`` before ZipFile reads it into memory."""
        try:
            end = _ZIPFILE._EndRecData(self._handle)  # the end record, as ZipFile finds it
        except (OSError, AttributeError):
            end = None
        if end is None:
            return  # not a zip: ZipFile says so
        limits.check(
            "entries", end[_ZIPFILE._ECD_ENTRIES_TOTAL], self.where, "the number of entries"
        )
        room = limits.value("entries") * _DIRECTORY_BYTES_PER_ENTRY
        if end[_ZIPFILE._ECD_SIZE] > room:
            raise limits.refuse(
                self.where,
                f"its directory is {limits.size(end[_ZIPFILE._ECD_SIZE])}, more than "
                f"{limits.value('entries'):,} entries need",
                "entries",
                end[_ZIPFILE._ECD_SIZE] // _DIRECTORY_BYTES_PER_ENTRY,
            )

    def _check_entry(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        if info.flag_bits & 0x1:
            raise self.error(
                f"{self.where}: {name} is encrypted (password-protected), which Workbench does not "
                f"read; {self.hint}"
            )
        if info.compress_type not in _METHODS:
            method = _METHOD_NAMES.get(info.compress_type, "an unknown method")
            raise self.error(
                f"{self.where}: {name} is compressed with {method} (zip method {info.compress_type}), "
                f"which Workbench does not read (only stored and deflated entries); {self.hint}"
            )
        limits.check("entry-size", info.file_size, f"{self.where}: {name}", "its uncompressed size")
        if info.file_size > limits.RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.value("entry-ratio"):
                raise limits.refuse(
                    f"{self.where}: {name}",
                    f"it expands {ratio:,.0f} times (from "
                    f"{limits.size(info.compress_size)} to {limits.size(info.file_size)})",
                    "entry-ratio",
                    int(ratio) + 1,
                )

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close() if hasattr(self, "zip") else None
        self._handle.close()

    def _chunks(self, info: zipfile.ZipInfo):
        """The entry's data in pieces, counted against its directory and ``archive-size``."""
        got = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    got += len(chunk)
                    if got > info.file_size:
                        break
                    self.total += len(chunk)
                    if self.total > limits.value("archive-size"):
                        raise limits.refuse(self.where, "its entries expand beyond", "archive-size")
                    yield chunk
        except _DAMAGED as exc:
            detail = (
                "its data fails the CRC check"
                if "CRC" in str(exc)
                else f"{type(exc).__name__}: {exc}"
            )
            raise self.error(
                f"{self.where}: {info.filename} is damaged ({detail}); {self.hint}"
            ) from None
        if got != info.file_size:
            raise self.error(
                f"{self.where}: {info.filename} holds {'more' if got > info.file_size else 'less'} than "
                f"the {limits.size(info.file_size)} its directory says (a damaged or crafted archive); "
                f"{self.hint}"
            )

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """An entry's bytes (streamed and checked; see the module docstring)."""
        buffer = io.BytesIO()
        for chunk in self._chunks(info):
            buffer.write(chunk)
        return buffer.getvalue()

    def verify(self) -> None:
        """Stream every entry once (CRC, sizes, ``archive-size``) and refuse XML parts with a DTD."""
        for info in self.infos:
            scan = _PrologScan()
            for chunk in self._chunks(info):
                if scan.feed(chunk):
                    raise self.error(f"{self.where}: {info.filename}: {DTD_REFUSED}; {self.hint}")


def xlsx_rows(
    path: Path, error: type[Exception], hint: str
) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The first worksheet's non-empty rows ``(row number, cells as text)`` and the names of all the
    sheets. The zip is checked first (every part at most ``document-size``, streamed once, no DTD
    in any XML part), then read by openpyxl; every cell is held to ``field-length``, and the number
    of cells (empty ones too, so a sheet that claims a million columns stops at once) to
    ``elements``. ``error`` and ``hint``: the caller's exception and what to do."""
    from openpyxl import load_workbook

    with Archive(path, str(path), error, hint, kind="an Excel workbook", whole=True) as archive:
        for info in archive.infos:
            limits.check(
                "document-size", info.file_size, f"{path}: {info.filename}", "its uncompressed size"
            )
        archive.verify()
    budget, length = limits.value("elements"), limits.value("field-length")
    used, rows = 0, []
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            names = list(book.sheetnames)
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # the rows as stored, not padded to the size the sheet claims
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                used += len(values) or 1
                if used > budget:
                    raise limits.refuse(
                        f"{path}: row {number}",
                        "its cells (empty ones counted) go beyond",
                        "elements",
                    )
                cells = ["" if v is None else str(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                for cell in cells:
                    if len(cell) > length:
                        raise limits.refuse(
                            f"{path}: row {number}",
                            f"a cell is {len(cell):,} characters",
                            "field-length",
                            len(cell),
                        )
                rows.append((number, cells))
        finally:
            book.close()
    except limits.LimitError:
        raise
    except error:
        raise
    except (
        Exception
    ) as exc:  # openpyxl raises many kinds for a damaged workbook, while loading or reading rows
        raise error(
            f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc}); {hint}"
        ) from None
    return rows, names


class _PrologScan:
    """Whether an entry's XML prolog declares a DTD: expat reads up to the root element's start
    (whatever the encoding); an entry that is not XML is settled at its first bytes."""

    def __init__(self):
        from xml.parsers import expat

        self.parser = expat.ParserCreate()
        self.error = expat.ExpatError
        self.done = False

        def doctype(*_):
            raise _DTD

        def root(*_):
            raise _Root

        self.parser.StartDoctypeDeclHandler = doctype
        self.parser.StartElementHandler = root

    def feed(self, chunk: bytes) -> bool:
        if self.done:
            return False
        try:
            self.parser.Parse(chunk, False)
        except _DTD:
            self.done = True
            return True
        except (_Root, self.error):
            self.done = True
        return False
