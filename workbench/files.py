"""Reading the small text files users hand over: rosters, coding sheets."""

from __future__ import annotations

from pathlib import Path


def read_text(path: Path, what: str, error: type[Exception]) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as Excel and
    Word save it on Windows. ``what`` names the file in the message of ``error``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
