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
import textwrap

WIDTH = 80  # the reports' text forms (agreement, a model's evaluation) fit a terminal's width

_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
# C0 and C1 controls but tab and newline; Unicode's format characters (category Cf: bidi
# controls and overrides, zero-width space, word joiner, BOM, invisible tags, ...) but the
# soft hyphen and the zero-width (non-)joiner that emoji and several scripts need; line and
# paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b"
    "\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


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


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Prose in ``width`` columns (a figure such as ".418" never split at a hyphen)."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def grid(
    header: list[list[str]],
    rows: list[list[list[str]]],
    right: set[int] | frozenset[int] = frozenset(),
    width: int = WIDTH,
) -> list[str]:
    """Rows of cells, each cell a list of lines, in ``width`` columns: every column as wide as
    its widest line, the first column taking what is left (its lines wrapped to fit)."""
    columns = len(header)
    widths = [
        max(len(line) for cells in [header, *rows] for line in cells[j] or [""])
        for j in range(columns)
    ]
    rest = sum(widths[1:]) + 2 * (columns - 1)
    widths[0] = max(min(12, widths[0]), min(widths[0], width - rest))  # wrapped, not squeezed

    def lines_of(cells: list[list[str]]) -> list[list[str]]:
        first = [part for line in cells[0] for part in (textwrap.wrap(line, widths[0]) or [""])]
        cols = [first, *cells[1:]]
        height = max(len(c) for c in cols)
        return [[c[i] if i < len(c) else "" for c in cols] for i in range(height)]

    def line(parts: list[str]) -> str:
        out = [
            p.rjust(w) if j in right else p.ljust(w)
            for j, (p, w) in enumerate(zip(parts, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    out = [line(parts) for parts in lines_of(header)]
    out.append("  ".join("-" * w for w in widths))
    for cells in rows:
        out += [line(parts) for parts in lines_of(cells)]
    return out


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
