"""What a ``PlainTextSelection``'s positions count, decided per source: code points or UTF-16 units.

REFI-QDA counts positions in Unicode code points; NVivo (a .NET program) writes UTF-16 code
units, in which every character beyond the Basic Multilingual Plane (emoji, many CJK
ideographs) counts twice, so after the first such character every position drifts. The two
readings agree on a text without such characters; on any other, each source is scored both
ways: how many selection edges (of the selections the readings place differently) fall on
a boundary, a word's edge or a comment's, and not inside a word. The reading that puts more
edges on boundaries is used; a tie goes to what the origin program is known to write (NVivo:
UTF-16; every other program: code points, the standard). ``--positions`` overrides it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Programs known to write UTF-16 code units (a tie between the two readings goes their way).
_UTF16_PROGRAMS = ("nvivo",)


@dataclass
class UnitChoice:
    unit: str
    why: str

    def __str__(self) -> str:
        return f"{self.unit} ({self.why})"


class Positions:
    """Selection positions in one unit → code point offsets in ``text``."""

    def __init__(self, text: str, unit: str):
        self.length = len(text)
        self.unit = unit
        # The UTF-16 offset at which each character beyond the BMP starts (it takes two units).
        self._starts = (
            [m.start() + k for k, m in enumerate(_ASTRAL.finditer(text))] if unit == UTF16 else []
        )

    def to_code_points(self, position: int) -> int | None:
        """The code point offset of ``position``; None inside a surrogate pair (no such place in
        the text). Positions past the end are returned as they are (reported as outside)."""
        if not self._starts or position <= self._starts[0]:
            return position
        inside = bisect.bisect_left(self._starts, position - 1)
        if inside < len(self._starts) and self._starts[inside] == position - 1:
            return None
        return position - bisect.bisect_right(self._starts, position - 2)


def choose_unit(
    text: str, selections: list, edges: set[int], origin: str, forced: str | None = None
) -> UnitChoice:
    """The unit of ``selections``' positions in ``text`` (see the module docstring); ``edges``: the
    comments' start and end offsets; ``forced``: the user's ``--positions``."""
    if forced:
        return UnitChoice(forced, "as --positions says")
    prior = UTF16 if any(p in origin.lower() for p in _UTF16_PROGRAMS) else CODE_POINTS
    if not selections:
        return UnitChoice(prior, "the source has no coded selections")
    if not _ASTRAL.search(text):
        return UnitChoice(
            CODE_POINTS,
            "the text has no character beyond the Basic Multilingual Plane, so both readings agree",
        )
    utf16 = Positions(text, UTF16)
    differ = [
        (s.start, s.end)
        for s in selections
        if utf16.to_code_points(s.start) != s.start or utf16.to_code_points(s.end) != s.end
    ]
    if not differ:
        return UnitChoice(
            prior, "no selection lies after a character the two readings count differently"
        )
    scores = {CODE_POINTS: 0, UTF16: 0}
    for start, end in differ:
        scores[CODE_POINTS] += _on_boundary(text, start, edges) + _on_boundary(text, end, edges)
        scores[UTF16] += _on_boundary(text, utf16.to_code_points(start), edges) + _on_boundary(
            text, utf16.to_code_points(end), edges
        )
    other = UTF16 if prior == CODE_POINTS else CODE_POINTS
    unit = other if scores[other] > scores[prior] else prior
    counts = (
        f"{scores[UTF16]} of the {2 * len(differ)} edges of the {len(differ)} selection(s) the "
        f"readings place differently fall on a word or comment boundary as UTF-16 units, "
        f"{scores[CODE_POINTS]} as code points"
    )
    if scores[UTF16] == scores[CODE_POINTS]:
        counts += f"; a tie, so as {origin or 'the standard'} writes them"
    return UnitChoice(unit, counts)


def _on_boundary(text: str, position: int | None, edges: set[int]) -> bool:
    if position is None or not 0 <= position <= len(text):
        return False
    if position in (0, len(text)) or position in edges:
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())
