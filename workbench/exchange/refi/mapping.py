"""Selections → comments, by offsets: each ``PlainTextSelection`` placed on the comment it codes.

Per source, the positions are first read in the source's unit (:mod:`.units`: code points,
or the UTF-16 units NVivo writes) and turned into code point offsets; then, against the
comments' spans (:class:`.transcripts.SourceComments`), the overlap rule: the coverage of a
comment is the share of its characters the selection covers (``COVERAGE`` = 50%):

* a selection touching one comment only codes that comment (a quote inside a long turn
  codes the turn);
* a selection touching several comments codes the one comment it covers at least half of,
  if exactly one; if it covers half or more of several (a comment and a half) or of none, it
  is **ambiguous**: reported with its position, text and the coverage of each comment, and
  not imported;
* a selection touching no comment is reported as on no comment, with its lines and the
  comments it lies between, and why: only speaker labels or blank lines, or text the parser
  did not read as a comment.

Nothing here searches text: the spans say where each comment is.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.exchange.refi.units import Positions, choose_unit

if TYPE_CHECKING:
    from workbench.exchange.refi.report import ImportReport
    from workbench.exchange.refi.sources import SelectionRecord
    from workbench.exchange.refi.transcripts import SourceComments

# A selection touching several comments codes the one it covers at least this share of.
COVERAGE = 0.5
# Comments whose coverage a selection reports (a selection over more is ambiguous anyway).
_MEASURED = 10


@dataclass
class Placed:
    """A selection on the comment it codes."""

    selection: SelectionRecord
    comment_id: int


def map_selection(
    start: int,
    end: int,
    spans: list[tuple[int, int, int]],
    bounds: tuple[list[int], list[int]] | None = None,
) -> tuple[int | None, list[tuple[int, float]]]:
    """Apply the overlap rule. ``spans`` are sorted (start, end, comment id); returns the comment
    the selection codes (None if unmapped or ambiguous) and the coverage of each comment it touches.
    ``bounds``, the spans' starts and ends, may be given once for many selections of a source."""
    starts, ends = bounds[:2] if bounds else ([s[0] for s in spans], [s[1] for s in spans])
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    # Touching five or more comments, it covers the three inside whole: ambiguous. Only the first
    # few are measured, so a file of selections over everything costs no more than any other.
    touched = []
    for a, b, comment_id in spans[first : min(last, first + _MEASURED)]:
        overlap = min(b, end) - max(a, start)
        if overlap > 0 and b > a:
            touched.append((comment_id, overlap / (b - a)))
    if len(touched) == 1:
        return touched[0][0], touched
    covered = [c for c, share in touched if share >= COVERAGE]
    return (covered[0] if len(covered) == 1 else None), touched


def map_source(
    placed: SourceComments, origin: str, forced_unit: str | None, report: ImportReport, code_label
) -> list[Placed]:
    """Every coded or annotated selection of one source on its comment; the rest reported.
    ``code_label``: a code GUID → how the report names it."""
    source, text = placed.source, placed.source.text
    if text is None:  # (a source placed on comments was read: it has its text)
        return []
    refs = dict(zip(placed.ids, placed.refs, strict=True))
    missing = [ref for ref, span in zip(placed.refs, placed.spans, strict=True) if span is None]
    if missing:
        report.warnings.append(
            f"source {source.name!r}: comment(s) {', '.join(missing)} could not be located "
            "in the source text; selections over them are reported as on no comment or ambiguous"
        )
    spans = sorted(
        (s[0], s[1], i) for i, s in zip(placed.ids, placed.spans, strict=True) if s is not None
    )
    bounds = ([s[0] for s in spans], [s[1] for s in spans])
    edges = set(bounds[0]) | set(bounds[1])
    wanted = [s for s in source.selections if s.codings or s.notes or s.description]
    choice = choose_unit(text, wanted, edges, origin, forced_unit)
    placed.summary["positions"] = str(choice)
    positions = Positions(text, choice.unit)
    breaks = None
    result = []
    for sel in wanted:
        start, end = positions.to_code_points(sel.start), positions.to_code_points(sel.end)
        where = {
            "source": source.name,
            "selection": sel.name or sel.guid,
            "start": sel.start,
            "end": sel.end,
        }
        if start is None or end is None or not 0 <= start < end <= len(text):
            if (
                start is None or end is None
            ):  # the snippet from the whole character the position falls in
                start = positions.to_code_points(sel.start - 1) if start is None else start
                end = positions.to_code_points(sel.end + 1) if end is None else end
                # (beside a position inside a character is never inside one: never None)
                where["text"] = _snippet(text, start or 0, end or 0)
                where["reason"] = (
                    f"a position falls inside a character that {choice.unit} count as two"
                )
            else:
                where["text"] = _snippet(text, start, end)
                where["reason"] = (
                    f"positions outside the text ({len(text)} code points)"
                    if not 0 <= start <= end <= len(text)
                    else "an empty selection"
                )
            report.unmapped.append(where)
            continue
        comment_id, touched = map_selection(start, end, spans, bounds)
        if comment_id is not None:
            report.mapped_selections += 1
            result.append(Placed(sel, comment_id))
            continue
        where["text"] = _snippet(text, start, end)
        where["coverage"] = {refs[c]: round(share, 2) for c, share in touched}
        where["codes"] = sorted({code_label(code) for code, _ in sel.codings})
        if touched:
            where["reason"] = (
                "covers half or more of several comments"
                if sum(share >= COVERAGE for _, share in touched) > 1
                else "covers less than half of each comment it touches"
            )
            report.ambiguous.append(where)
        else:
            if breaks is None:  # the line breaks, once per source that needs them
                breaks = [m.start() for m in re.finditer("\n", text)]
            where["reason"] = _outside(text, start, end, spans, refs, (*bounds, breaks))
            report.unmapped.append(where)
    return result


def _outside(
    text: str, start: int, end: int, spans: list[tuple[int, int, int]], refs: dict, bounds
) -> str:
    """Why a selection touching no comment was not mapped, and where it is: its lines, and
    before, between or after which comments (e.g. NVivo's opening block of title and date).
    ``bounds``: the spans' starts and ends and the text's line breaks (each sorted), so each
    selection costs a few bisections, whatever the number of comments and selections."""
    starts, ends, breaks = bounds
    first, last = (
        bisect.bisect_left(breaks, start) + 1,
        bisect.bisect_left(breaks, max(start, end - 1)) + 1,
    )
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    before = bisect.bisect_right(ends, start)  # spans ending at or before start
    after = bisect.bisect_left(starts, end)  # the first span starting at or after end
    place = (
        "before the first comment"
        if not before
        else "after the last comment"
        if after == len(spans)
        else f"between {refs[spans[before - 1][2]]} and {refs[spans[after][2]]}"
    )
    if end - start <= 4096 and all(
        not line.strip() or (line.strip().endswith(":") and len(line.strip()) <= 80)
        for line in text[start:end].splitlines()
    ):
        return f"touches no comment: only speaker labels or blank lines ({lines}, {place})"
    return (
        f"covers text at {lines}, {place}, that was not read as a comment: it has no speaker label "
        "(a title, date or heading block, for instance), so there is no comment to code"
    )


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    start = max(start, 0)
    piece = " ".join(
        text[start : min(max(end, 0), start + width * 8)].split()
    )  # never the whole of a long one
    return piece if len(piece) <= width and end - start <= width * 8 else piece[: width - 1] + "…"
