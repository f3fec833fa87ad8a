"""Page furniture of text extracted from PDF: running headers, footers, page numbers.

``pdftotext`` and "save as text" keep each page's header and footer ("Focus group 2
- confidential", "Page 3 of 12") in the text, where they would land inside a
participant's comment, and in its word count. They are found where they can only
be furniture: at the top or bottom of a page (a form feed starts each page), a
page-number line on most pages, or a line that recurs in the same place on at
least three pages and half of them, or on every page of a shorter document if it
does not end like a sentence (digits aside); without form feeds, only explicit
``Page N [of M]`` lines that occur more than once. A recurring line that starts
with a speaker label is a header only if words follow the label and the label
starts no line away from the page edges: a label alone on its line may well start
several pages, but "Transcript: focus group 3" atop every page is furniture.

Removed lines become blank, so every later line keeps its number, and a sentence
broken by a page break is joined again (see ``text.join_lines``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

# "3", "- 3 -", "Page 3", "page 3 of 12", "p. 3", "3/12", "3 | Page"
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?"
    r"(?:\s*\|\s*page)?\s*$",
    re.IGNORECASE,
)
_EXPLICIT_PAGE = re.compile(r"^\s*page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
EDGE = 2  # header/footer lines looked at on each side of a page break


def drop_page_furniture(
    lines: list[str], label_of: Callable[[str], tuple[str, str] | None], text: str | None = None
) -> tuple[list[str], list[str]]:
    """Blank the header, footer and page-number lines; return the lines and a warning.
    ``label_of(line)``: (speaker label, words after it) if the line starts with a label;
    ``text``, if given, the text the lines are of (a form feed looked for once in it)."""
    breaks = (
        [i for i, line in enumerate(lines) if "\f" in line] if text is None or "\f" in text else []
    )
    if not breaks:
        # A substring test first: the regex on every line of a long transcript shows in imports.
        found = [
            i
            for i, line in enumerate(lines)
            if ("age" in line or "AGE" in line) and _EXPLICIT_PAGE.match(line)
        ]
        return _blank(lines, found if len(found) > 1 else [])
    starts = [0, *breaks]
    ends = [*breaks, len(lines)]
    tops: list[list[int]] = []  # per page: the line indexes at its top, and at its bottom
    bottoms: list[list[int]] = []
    for start, end in zip(starts, ends, strict=True):
        filled = [i for i in range(start, end) if lines[i].replace("\f", "").strip()]
        tops.append(filled[:EDGE])
        bottoms.append(filled[-EDGE:])
    pages = len(tops)
    numbers = [
        i
        for edge in (*tops, *bottoms)
        for i in edge
        if _PAGE_NUMBER.match(lines[i].replace("\f", ""))
    ]
    # Recurring means in the same place (top or bottom) on at least three pages and half of
    # them, or on every page of a shorter document if it does not end like a sentence
    # ("Focus group 2 - confidential", not "Thank you.").
    at_edges = {i for edge in (*tops, *bottoms) for i in edge}
    headers = []
    for edges in (tops, bottoms):
        recurring = Counter(shape for edge in edges for shape in {_shape(lines[i]) for i in edge})
        headers += [
            i
            for edge in edges
            for i in edge
            if (
                recurring[_shape(lines[i])] >= max(3, (pages + 1) // 2)
                or (recurring[_shape(lines[i])] == pages > 1 and not _SENTENCE_END.search(lines[i]))
            )
            and not _speaks(lines, i, label_of, at_edges)
        ]
    # Page numbers on most pages, not a lone "3" that answers a question at a page's end.
    return _blank(lines, headers + (numbers if len(numbers) >= max(2, (pages + 1) // 2) else []))


def _speaks(
    lines: list[str],
    index: int,
    label_of: Callable[[str], tuple[str, str] | None],
    at_edges: set[int],
) -> bool:
    """Whether the line is a speaker's: a label alone ("MARIA:" may start several pages),
    or a label that also starts lines away from the page edges. "Transcript: focus
    group 3" on every page's top, and nowhere else, is a running header."""
    found = label_of(lines[index].replace("\f", ""))
    if not found:
        return False
    label, rest = found
    if not rest:
        return True
    return any(
        i not in at_edges
        and line.lstrip(" \t\f").startswith(label)
        and (label_of(line) or (None,))[0] == label
        for i, line in enumerate(lines)
    )


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.replace("\f", " ").split()).lower())


def _blank(lines: list[str], found: list[int]) -> tuple[list[str], list[str]]:
    if not found:
        return lines, []
    found = sorted(set(found))
    kept = list(lines)
    for i in found:
        kept[i] = "\f" if "\f" in lines[i] else ""
    example = " ".join(lines[found[0]].replace("\f", " ").split())
    where = ", ".join(str(i + 1) for i in found[:6]) + (", …" if len(found) > 6 else "")
    return kept, [
        f"line(s) {where}: {len(found)} page header, footer or page-number line(s) "
        f"left out of the comments (e.g. {example!r})"
    ]
