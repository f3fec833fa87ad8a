"""A .qdpx archive: the zip, its ``project.qde``, and the files its sources name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from workbench.exchange.refi.qdaxml import RefiError


class _Archive:
    """A .qdpx zip with member names matched case-insensitively (``Sources/`` or ``sources/``)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise RefiError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise RefiError(f"{path}: not a .qdpx (zip) archive ({exc}); export the project from "
                            "your QDA program as REFI-QDA project (.qdpx)") from None
        self.names = {}
        for info in self.zip.infolist():
            self.names.setdefault(info.filename.replace("\\", "/").lower(), info.filename)

    def __enter__(self) -> "_Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        real = self.names.get(name.replace("\\", "/").lower())
        return self.zip.read(real) if real is not None else None

    def qde(self) -> bytes:
        data = self.read("project.qde")
        if data is None:
            candidates = sorted(n for n in self.names if n.endswith(".qde"))
            if not candidates:
                raise RefiError(f"{self.path}: the archive holds no project.qde; is it a REFI-QDA project?")
            data = self.zip.read(self.names[candidates[0]])
        return data

    def source(self, link: str, path: Path) -> str | None:
        """The text a ``plainTextPath`` names (internal://, relative:// or absolute://), or None."""
        data = self.data(link, path)
        return None if data is None else _decode(data)

    def data(self, link: str, path: Path) -> bytes | None:
        """The bytes a source path names (internal://, relative:// or absolute://), or None."""
        scheme, sep, rest = link.partition("://")
        if not sep:
            scheme, rest = "relative", link
        rest = rest.lstrip("/") if scheme.lower() == "internal" else rest
        data = None
        if scheme.lower() in ("internal", "relative"):
            for name in (f"sources/{rest}", rest, f"sources/{Path(rest).name}"):
                data = self.read(name)
                if data is not None:
                    break
            if data is None and scheme.lower() == "relative" and (path.parent / rest).is_file():
                data = (path.parent / rest).read_bytes()
        elif scheme.lower() == "absolute" and Path(rest).is_file():
            data = Path(rest).read_bytes()
        return data


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefiError(f"not UTF-8 text (byte {exc.start})") from None
