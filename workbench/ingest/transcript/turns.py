"""Turns from the file's decisions (``rules.py``): each label starts a turn that runs to the
next; a timestamp alone above a label is that turn's start; what stands before the first
label is the header block and a short opening (set aside as the preamble) or, if longer,
comments without a speaker, one per paragraph. Each turn keeps the span of its words in
the text (from its first word after the label to its last, a role tag left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.ingest.transcript import labels as L
from workbench.ingest.transcript.model import SetAside, Turn
from workbench.ingest.transcript.rules import ANNOT, BLANK, HEADER, LABEL, STAMP, TEXT, Decided

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# A short opening (a title, a date, a line about the session) is the preamble; beyond this
# it is someone's words, which become comments without a speaker.
SHORT_OPENING_LINES, SHORT_OPENING_WORDS = 8, 80


@dataclass
class Built:
    turns: list[Turn] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)
    preamble: list[int] = field(default_factory=list)  # line indexes
    annotations: list[int] = field(default_factory=list)  # annotation lines kept in a turn's text

    def aside(self, kind: str, indexes: list[int], lines: list[str]) -> None:
        """Lines (0-based ``indexes``) that are no comment, reported with their numbers."""
        if indexes:
            self.set_aside.append(
                SetAside(kind, tuple(i + 1 for i in indexes), _example(lines, indexes))
            )


def build(lines: list[str], d: Decided, starts: list[int]) -> Built:
    out = Built()
    header = [i for i, k in enumerate(d.kind) if k == HEADER]
    out.aside("header", header, lines)
    out.preamble += header
    first = next((i for i, k in enumerate(d.kind) if k == LABEL), None)
    opening = range(first if first is not None else len(lines))
    if first is None or _long(lines, d, opening):
        paragraphs = _paragraphs(lines, d, starts, opening, out)
        if first is not None and paragraphs:
            at = [t.line for t in paragraphs]
            out.findings.append(
                (
                    "unlabelled-stretch",
                    (
                        f"lines {at[0]}-{paragraphs[-1].line}: {len(paragraphs)} paragraph(s) "
                        "before the first speaker label have no label; imported as comments "
                        "without a speaker (flagged); give them their speaker with `workbench "
                        "speakers PROJECT --comment REF --speaker LABEL`"
                    ),
                    tuple(at),
                )
            )
        out.turns += paragraphs
    else:
        _set_aside_opening(lines, d, opening, out)
    if first is not None:
        above = next((i for i in range(first - 1, -1, -1) if d.kind[i] != BLANK), None)
        _labelled(
            lines,
            d,
            starts,
            first,
            out,
            d.stamp(above) if above is not None and d.kind[above] == STAMP else None,
        )
    return out


def _long(lines: list[str], d: Decided, opening: range) -> bool:
    texts = [i for i in opening if d.kind[i] == TEXT]
    return (
        len(texts) > SHORT_OPENING_LINES
        or sum(len(lines[i].split()) for i in texts) > SHORT_OPENING_WORDS
    )


def _set_aside_opening(lines: list[str], d: Decided, opening: range, out: Built) -> None:
    texts = [i for i in opening if d.kind[i] == TEXT]
    notes = [i for i in opening if d.kind[i] == ANNOT]
    stamps = [i for i in opening if d.kind[i] == STAMP and not _above_label(d, i)]
    if texts:
        first, last = texts[0] + 1, texts[-1] + 1
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        out.warnings.append(
            f"{where}: text before the first speaker label is not a comment (kept in the stored "
            "transcript, not coded)"
        )
        out.aside("preamble", texts, lines)
        out.preamble += texts
    out.aside("annotation", notes, lines)
    out.aside("timestamp", stamps, lines)


def _above_label(d: Decided, index: int) -> bool:
    """Whether the next non-blank line after ``index`` is a label."""
    for k in d.kind[index + 1 :]:
        if k != BLANK:
            return k == LABEL
    return False


def _labelled(
    lines: list[str],
    d: Decided,
    starts: list[int],
    first: int,
    out: Built,
    start_of_next: str | None,
) -> None:
    """Each label line to the next: the words after the label and the lines below it
    (``start_of_next``: the time alone above the first label, if any)."""
    kind, speaker, reads, turns, seconds = d.kind, d.speaker, d.reads, out.turns, L.seconds
    n = len(lines)
    at = [i for i in range(first, n) if kind[i] == LABEL]
    stray: list[int] = []
    for number, i in enumerate(at):
        end = at[number + 1] if number + 1 < len(at) else n
        _, _, _, when, col, _ = reads[i]
        line = lines[i]
        rest = line[col:] if col else line
        when = when or start_of_next
        turn = Turn(speaker[i], "", seconds(when) if when else None, None, i + 1)
        start_of_next = None
        pieces = [rest]
        # The words after a label begin where it ends (lines.py steps over the blanks); a label
        # alone has none, its words are on the lines below.
        first = i if col < len(line) and (rest[:1] not in " \t\f" or rest.strip()) else -1
        first_col, last, last_from, last_to = col, i, col, len(line)
        if (end == i + 1 or (end == i + 2 and kind[i + 1] == BLANK)) and (
            end == n or not reads[end][5]
        ):
            _finish(
                turn, lines, pieces, (i, col) if first >= 0 else None, (i, col, len(line)), starts
            )
            if turn.text:
                turns.append(turn)
            else:
                out.warnings.append(
                    f"line {turn.line}: speaker {turn.speaker!r} has no words; skipped"
                )
            continue
        following = kind[i + 1 : end]
        if STAMP not in following and ANNOT not in following:
            # Words and blank lines only (most turns): taken as they are, in one piece of C.
            pieces += lines[i + 1 : end]
            for j in range(end - 1, i, -1):
                if kind[j] == TEXT:
                    last, last_from, last_to = j, 0, len(lines[j])
                    break
            if first < 0:
                for j in range(i + 1, end):
                    if kind[j] == TEXT:
                        first, first_col = j, 0
                        break
        else:
            for j in range(i + 1, end):
                k = kind[j]
                if k == BLANK:
                    pieces.append("")
                elif k in (TEXT, ANNOT):
                    if k == ANNOT:
                        out.annotations.append(j + 1)
                    piece = lines[j]
                    pieces.append(piece)
                    last, last_from, last_to = j, 0, len(piece)
                    if first < 0:
                        first, first_col = j, 0
                elif all(x == BLANK for x in kind[j + 1 : end]) and end < n:
                    start_of_next = reads[j][3]  # a time alone above the next label is its start
                else:
                    stray.append(j)
        if end < n and reads[end][5]:  # "[crosstalk] Ana: yes": the mark ends the turn above
            to = reads[end][5]
            pieces.append(lines[end][:to])
            out.annotations.append(end + 1)
            last, last_from, last_to = end, 0, to
            if first < 0:
                first, first_col = end, 0
        _finish(
            turn,
            lines,
            pieces,
            (first, first_col) if first >= 0 else None,
            (last, last_from, last_to),
            starts,
        )
        if turn.text:
            turns.append(turn)
        else:
            out.warnings.append(f"line {turn.line}: speaker {turn.speaker!r} has no words; skipped")
    out.aside("timestamp", stray, lines)


def _finish(
    turn: Turn,
    lines: list[str],
    pieces: list[str],
    first_at: tuple[int, int] | None,
    last_at: tuple[int, int, int],
    starts: list[int],
) -> None:
    """The turn's text, role tag and span (from its first word to its last, a tag left out)."""
    if len(pieces) == 1 or not any(pieces[1:]):
        text = pieces[0]
        if text[:1].isspace() or text[-1:].isspace():
            text = text.strip()
        turn.text = " ".join(text.split()) if "  " in text or not text.isprintable() else text
    else:
        turn.text = join_lines(pieces)
    tagged = "~" in turn.text and take_role_tag(turn)
    if not turn.text or first_at is None:
        return
    i, a = first_at
    piece = lines[i]
    begin = starts[i] + a
    if piece[a : a + 1].isspace():
        begin += len(piece) - a - len(piece[a:].lstrip())
    i, a, b = last_at
    piece = lines[i]
    if tagged or piece[b - 1 : b].isspace():
        piece = piece[a:b].rstrip()
        if tagged:
            m = L.ROLE_TAG.search(piece)
            piece = piece[: m.start()].rstrip() if m else piece
        b = a + len(piece)
    turn.span = (begin, starts[i] + b)


def _paragraphs(
    lines: list[str], d: Decided, starts: list[int], region: range, out: Built
) -> list[Turn]:
    """Paragraphs without a label: one comment each, speaker unknown (a role-tagged quote
    takes its tag); a paragraph of annotations only, and stray timestamps, are set aside."""
    turns: list[Turn] = []
    held: list[int] = []  # the paragraph's line indexes
    when: str | None = None
    notes: list[int] = []
    stray: list[int] = []
    kind = d.kind

    def flush() -> None:
        nonlocal when
        if held and any(kind[i] == TEXT for i in held):
            turn = Turn(speaker=None, text="", start=L.seconds(when), line=held[0] + 1)
            last = held[-1]
            _finish(
                turn,
                lines,
                [lines[i] for i in held],
                (held[0], 0),
                (last, 0, len(lines[last])),
                starts,
            )
            if turn.role_tag:
                turn.speaker = turn.role_tag
            if turn.text:
                turns.append(turn)
            when = None
        else:
            notes.extend(held)
        held.clear()

    for i in region:
        k = kind[i]
        if k in (BLANK, HEADER):
            flush()
        elif k == STAMP:
            flush()
            if when is not None:
                stray.append(i)
            when = d.stamp(i)
        else:
            held.append(i)
            if k == TEXT and "~" in lines[i] and L.ROLE_TAG.search(lines[i].rstrip()):
                flush()  # a quote list: each tagged line ends a quote
    flush()
    out.aside("annotation", notes, lines)
    out.aside("timestamp", stray, lines)
    return turns


def take_role_tag(turn: Turn) -> bool:
    if "~" not in turn.text:
        return False
    m = L.ROLE_TAG.search(turn.text)
    if not m:
        return False
    turn.role_tag = m["tag"]
    turn.text = turn.text[: m.start()].rstrip()
    return True


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines back into sentences.

    A blank or whitespace-only line starts a new paragraph only where the text
    before it ends a sentence; elsewhere (a PDF page break mid-sentence) it is
    dropped, so no line break is ever left inside a sentence. Runs of whitespace
    inside a line (PDF layout, tabs, form feeds) become one space. Pieces are
    collected in a list, not concatenated: a long monologue must stay linear.
    """
    # Most turns are lines of words with single spaces and no blank line between them: those
    # are joined in C (blank lines at either end change nothing).
    stripped = list(map(str.strip, lines))
    first, last = 0, len(stripped)
    while first < last and not stripped[first]:
        first += 1
    while last > first and not stripped[last - 1]:
        last -= 1
    if all(stripped[first:last]):
        text = " ".join(stripped[first:last])
        if "  " not in text and "- " not in text and text.isprintable():
            return text
    pieces: list[str] = []
    prev = ""  # the previous non-blank line
    gap = False
    for raw in lines:
        line = raw.strip()
        # isprintable() is False for any whitespace but the space: a cheap test for the
        # rare line that needs its whitespace collapsed.
        if "  " in line or not line.isprintable():
            line = " ".join(line.split())
        if not line:
            gap = True
            continue
        if not prev:
            pieces.append(line)
        elif gap and _SENTENCE_END.search(prev):
            pieces.append("\n" + line)
        elif prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].islower():
            pieces.append(line)  # "self-\ndetermined" → "self-determined"
        else:
            pieces.append(" " + line)
        prev, gap = line, False
    return "".join(pieces)


def _example(lines: list[str], indexes: list[int]) -> str:
    line = " ".join(lines[indexes[0]].replace("\f", " ").split())
    return line if len(line) <= 60 else line[:59] + "…"
