"""A .qdpx archive: the zip, its ``project.qde``, and the files its sources and notes name.

A source's text is read from the archive only, or from a folder the user names
(``--sources DIR``) when the path stays inside it after resolving links; never from
anywhere else on the recipient's disk (see :meth:`QdpxArchive.data`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from workbench.exchange.refi.qdaxml import RefiError

_HINT = "export the project again from your QDA program as a REFI-QDA project (.qdpx)"


class QdpxArchive:
    """A .qdpx zip with member names matched case-insensitively (``Sources/`` or ``sources/``),
    read under the limits (:mod:`workbench.zips`: sizes, ratios and methods from the directory
    first, every read streamed and counted)."""

    def __init__(self, path: Path, sources: str | Path | None = None):
        from workbench.zips import Archive

        self.path = path
        self.sources = Path(sources) if sources is not None else None
        self.zip = Archive(path, str(path), RefiError, _HINT, kind="a .qdpx (zip) archive")
        self.names: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infos:
            self.names.setdefault(info.filename.replace("\\", "/").lower(), info)

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        info = self.names.get(name.replace("\\", "/").lower())
        return self.zip.read(info) if info is not None else None

    def entry(self, name: str) -> str | None:
        """The member's name as the archive writes it (``Project.qde``, ``Sources/A.txt``)."""
        info = self.names.get(name.replace("\\", "/").lower())
        return info.filename if info is not None else None

    def qde(self) -> bytes:
        data = self.read("project.qde")
        if data is None:
            candidates = sorted(n for n in self.names if n.endswith(".qde"))
            if not candidates:
                raise RefiError(
                    f"{self.path}: the archive holds no project.qde; is it a REFI-QDA project?"
                )
            data = self.zip.read(self.names[candidates[0]])
        return data

    def source(self, link: str) -> tuple[str | None, str | None]:
        """The text a ``plainTextPath`` names (at most ``transcript-size``), or (None, why it was
        not read); see :meth:`data`."""
        text, reason, _ = self.source_entry(link)
        return text, reason

    def source_entry(self, link: str) -> tuple[str | None, str | None, str | None]:
        """:meth:`source`, and the entry: the archive member (``Sources/ab.txt``) or the file in
        ``--sources`` (messages about the text name it)."""
        from workbench import limits

        data, reason, entry = self.find(link)
        if data is None:
            return None, reason, entry
        limits.check("transcript-size", len(data), f"{self.path}: {entry}", "the text")
        try:
            return _decode(data), None, entry
        except RefiError as exc:
            raise RefiError(f"{entry}: {exc}") from None

    def data(self, link: str) -> tuple[bytes | None, str | None]:
        """The bytes a source path names, or (None, why it was not read); see :meth:`find`."""
        data, reason, _ = self.find(link)
        return data, reason

    def find(self, link: str) -> tuple[bytes | None, str | None, str | None]:
        """The bytes a source path names and the entry they were read from, or (None, why it was
        not read, the entries looked for).

        Only the archive is read: ``internal://`` and ``relative://`` (or a bare path) name a
        member of the zip (``sources/`` or ``Sources/``, or by its file name). A file on disk
        (``absolute://``, or a relative path not in the zip) is read only from inside the
        folder given as ``sources`` (``--sources DIR``): the path itself if it lies there, else
        the file of that name there, and only if its real path (links resolved) stays inside
        the folder. A .qdpx received from someone else never makes Workbench read other files.
        """
        scheme, sep, rest = link.partition("://")
        if not sep:
            scheme, rest = "relative", link
        scheme = scheme.lower()
        if scheme not in ("internal", "relative", "absolute"):
            return None, f"{link!r} is not an internal://, relative:// or absolute:// path", None
        looked = None
        if scheme != "absolute":
            inner = rest.replace("\\", "/").lstrip("/")
            for name in (f"sources/{inner}", inner, f"sources/{basename(inner)}"):
                info = self.names.get(name.lower())
                if info is not None:
                    return self.zip.read(info), None, info.filename
            looked = f"looked for Sources/{basename(inner)}"
            if scheme == "internal":
                return None, f"{link} is not in the archive ({looked})", None
        if self.sources is None:
            return (
                None,
                (
                    f"{link} names a file outside the archive, which Workbench does not read; if "
                    "that file came with the project, put it in a folder and name the folder with "
                    "--sources DIR"
                ),
                None,
            )
        data, reason = self._from_folder(self.sources, link, rest, scheme == "absolute")
        return data, reason, (f"--sources {self.sources}" if data is not None else None)

    def _from_folder(
        self, folder: Path, link: str, rest: str, absolute: bool
    ) -> tuple[bytes | None, str | None]:
        base = folder.resolve()
        named = rest.replace("\\", "/")
        candidates = [
            Path(named) if absolute else base / named.lstrip("/"),
            base / basename(named),
        ]
        outside = False
        for candidate in candidates:
            try:
                real = candidate.resolve()
            except (OSError, RuntimeError):
                continue
            if not real.is_relative_to(base):
                outside = outside or real.exists()
                continue
            if real.is_file():
                from workbench.files import read_bytes

                return read_bytes(real, "file-size", "source", RefiError), None
        if outside:
            return (
                None,
                f"{link} resolves to a file outside --sources {self.sources}; it is not read",
            )
        return None, f"{link} is neither in the archive nor in --sources {self.sources}"


def basename(name: str) -> str:
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefiError(f"not UTF-8 text (byte {exc.start})") from None
