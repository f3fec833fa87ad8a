"""MkDocs hook of the user guide: the troubleshooting page is made from docs/bad-inputs.md.

A page holding the line ``<!-- bad-inputs -->`` gets, in its place, every section of
docs/bad-inputs.md (the file whose every row is run by the tests), so the page can never say
other than what Workbench prints. The tables of cases (``| case | what was done | message |``)
become lists, which read at 80 columns in a text browser; the other tables and the prose stay
as they are. The file's own opening paragraph (about the tests) is left out: the page has its own.
"""

from __future__ import annotations

import re
from pathlib import Path

MARKER = "<!-- bad-inputs -->"
SOURCE = Path(__file__).resolve().parent / "bad-inputs.md"
FIRST_SECTION = "Messages and what they mean"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, troubleshooting(SOURCE.read_text(encoding="utf-8")))


def troubleshooting(text: str) -> str:
    """docs/bad-inputs.md as the guide's troubleshooting sections (Markdown)."""
    lines = text.splitlines()
    # Skip the title and the opening paragraph; the first table gets a heading of its own.
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    out = [f"## {FIRST_SECTION}", ""]
    block: list[str] = []
    for line in lines[start:] + [""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            out.extend(_table(block))
            block = []
        out.append(line)
    return "\n".join(out)


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row (a ``|`` inside backticks is not a separator)."""
    cells, cell, ticks = [], "", 0
    body = row.strip()[1:-1] if row.strip().endswith("|") else row.strip()[1:]
    i = 0
    while i < len(body):
        char = body[i]
        if char == "`":
            run = len(body[i:]) - len(body[i:].lstrip("`"))
            ticks = 0 if ticks == run else (run if ticks == 0 else ticks)
            cell += body[i : i + run]
            i += run
            continue
        if char == "|" and ticks == 0:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
        i += 1
    cells.append(cell.strip())
    return cells


def _table(rows: list[str]) -> list[str]:
    header = _cells(rows[0])
    if header[0] != "case" or len(header) != 3:
        return rows
    said = "Workbench says" if "message" in header[2] else "The summary says"
    out = []
    for row in rows[2:]:
        _, done, message = _cells(row)
        out += [f"- {_sentence(done)}  ", f"  {said}: {message}", ""]
    return out


def _sentence(cell: str) -> str:
    return re.sub(r"^[a-z]", lambda m: m[0].upper(), cell)
