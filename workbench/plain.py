"""Text for a terminal: Markdown as plain text, and any text made safe to show.

Reports are written once, as Markdown (pasteable into a manuscript's supplement); the
``text`` format of a command is this rendering of it, not the Markdown source
(:func:`markdown_to_text`).

Text users hand over (memos, names, labels, comments) is stored as given, but a control
character, an ANSI escape sequence, a bidi override or another invisible format character
must never reach a terminal raw: it could recolour or rewrite the screen, or make one name
look like another. :func:`printable` shows each as an escape (``\x1b``, ``\u202e``); the
CLI writes everything it prints to a terminal through it (:class:`PrintableStream`) and the
app every text it shows (``workbench.ui.render.plain``).
"""

from __future__ import annotations

import re

_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
# C0 and C1 controls but tab and newline; Unicode's format characters (category Cf: bidi
# controls and overrides, zero-width space, word joiner, BOM, invisible tags, ...) but the
# soft hyphen and the zero-width (non-)joiner that emoji and several scripts need; line and
# paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b"
    "\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every character that could act on a terminal or hide itself shown as an
    escape (``\x1b[31m`` is shown, not obeyed); newlines and tabs kept, ``\r\n`` made ``\n``."""
    if text.isprintable():
        return text
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


class PrintableStream:
    """A text stream that writes through :func:`printable` (the CLI's output to a terminal)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        return self._stream.write(printable(text) if isinstance(text, str) else text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _cells(line: str) -> list[str]:
    return [c.strip().replace("**", "") for c in line.strip().strip("|").split(" | ")]


def _table(lines: list[str]) -> list[str]:
    rows = [_cells(line) for line in lines if not _RULE.match(line)]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    widths = [max(len(r[j]) for r in rows) for j in range(width)]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def markdown_to_text(markdown: str) -> str:
    out: list[str] = []
    table: list[str] = []
    for line in markdown.splitlines():
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        if table:
            out += _table(table)
            table = []
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            text = heading.group(2).replace("**", "")
            out += [text, ("=" if len(heading.group(1)) == 1 else "-") * len(text)]
        else:
            out.append(line.replace("**", ""))
    if table:
        out += _table(table)
    return "\n".join(out)
