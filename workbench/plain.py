"""Markdown as plain text for a terminal: tables aligned in columns, headings underlined.

Reports are written once, as Markdown (pasteable into a manuscript's supplement); the
``text`` format of a command is this rendering of it, not the Markdown source.
"""

from __future__ import annotations

import re

_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def _cells(line: str) -> list[str]:
    return [c.strip().replace("**", "") for c in line.strip().strip("|").split(" | ")]


def _table(lines: list[str]) -> list[str]:
    rows = [_cells(line) for line in lines if not _RULE.match(line)]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    widths = [max(len(r[j]) for r in rows) for j in range(width)]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
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
