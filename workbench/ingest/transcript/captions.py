"""Caption files: WebVTT (Zoom, Teams, plain captions) and SubRip (SRT).

Zoom writes ``Name: text`` inside cues; Teams writes ``<v Name>text</v>`` with
unpadded times (``0:0:0.210``), a BOM, CRLF line endings and ``NOTE`` blocks.
Consecutive cues of one speaker become one comment. A cue without a speaker is
kept as a comment of speaker unknown and flagged, never given a made-up name.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Set
from typing import Any

from workbench.errors import TranscriptError
from workbench.ingest.transcript import labels as L
from workbench.ingest.transcript.lines import leading_annotations
from workbench.ingest.transcript.model import ParsedTranscript, SetAside, Turn

# A block of the file: (its first line number, its lines, where it starts in the text).
Origin = tuple[int, list[str], int]

_TIME = r"\d+(?::\d+){1,2}(?:[.,]\d+)?"
_TIMING = re.compile(r"^\s*(?P<start>" + _TIME + r")\s*-->\s*(?P<end>" + _TIME + r")(?:\s.*)?$")
_VOICE = re.compile(
    r"<v(?:\.[^\s>]*)?(?:\s+(?P<name>[^>]*))?>(?P<text>.*?)(?:</v>|(?=<v[\s.>])|$)", re.S
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_BRACKET_SPEAKER = re.compile(r"^\s*\[(?P<name>[^\]\n]{1,48})\]\s*(?P<rest>.*)$", re.S)
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")
_NEWLINE = re.compile(r"\r\n|\r|\n")


class _Cue:
    """One cue (or one voice of a Teams cue). The fields most cues never set are class-level
    defaults: a caption file has thousands of cues, and each one's creation shows in an import."""

    speaker: str | None = None  # from a <v> voice tag: certain
    candidate: str | None = None  # from "Name: text": needs the acceptance rule
    rest_lines: list[str] | None = None  # the lines after that label
    first: tuple[int, int] | None = (
        None  # (line, column) of its first word, where not line 1 column 0
    )
    # (line, end column, origin) of its last word, where not its last line
    tail: tuple[int, int, Origin] | None = None

    def __init__(
        self,
        line: int,
        start: str | None,
        end: str | None,
        lines: list[str],
        origin: Origin,
        speaker: str | None = None,
    ):
        self.line = line
        self.start = start  # the cue time as written; converted after merging
        self.end = end
        self.lines = lines  # the cue's text lines, as written
        self.origin = origin  # its block: (first line, lines, where that line starts in the text)
        if speaker is not None:
            self.speaker = speaker


def looks_like_vtt(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("WEBVTT")


def looks_like_srt(text: str) -> bool:
    lines = [line for line in text.lstrip("\ufeff").splitlines()[:6] if line.strip()]
    return len(lines) >= 2 and lines[0].strip().isdigit() and bool(_TIMING.match(lines[1]))


def parse_vtt(
    text: str, filename: str, encoding: str, known: Set[str] = frozenset()
) -> ParsedTranscript:
    header, *blocks = _blocks(text)
    if not header[1] or not header[1][0].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError(f"{filename}: line 1: a WebVTT file must start with 'WEBVTT'")
    cues, warnings, notes = _read_cues(blocks, filename)
    flavour = "teams" if any(c.speaker for c in cues) else "zoom"
    return _to_transcript(cues, warnings, filename, encoding, known, "webvtt", flavour, text, notes)


def parse_srt(
    text: str, filename: str, encoding: str, known: Set[str] = frozenset()
) -> ParsedTranscript:
    cues, warnings, notes = _read_cues(_blocks(text), filename)
    return _to_transcript(cues, warnings, filename, encoding, known, "srt", None, text, notes)


_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")


def _blocks(text: str) -> list[tuple[int, list[str], int]]:
    """Split into blank-line separated blocks, each with its first line number and where that
    line starts (in the text with its line ends made "\\n" and no BOM).

    One C-level split over the whole file rather than a Python loop over its lines:
    a caption file has four lines per cue, and this is most of its parse time.
    """
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[tuple[int, list[str], int]] = []
    line, position = 1, 0
    for separator in _BLANK_LINES.finditer(text + "\n\n"):
        chunk = text[position : separator.start()]
        lines = chunk.split("\n")
        if chunk and not chunk.isspace():  # (isspace, not strip: no copy of every cue)
            skipped = 0
            while not lines[skipped].strip():  # blank lines at the very start of the file
                skipped += 1
            at = (
                position + sum(len(piece) + 1 for piece in lines[:skipped]) if skipped else position
            )
            blocks.append(
                (line + skipped, list(map(str.rstrip, lines[skipped:] if skipped else lines)), at)
            )
        line += len(lines) - 1 + separator.group().count("\n")
        position = separator.end()
    return blocks or [(1, [], 0)]


def _read_cues(blocks: list[Origin], filename: str) -> tuple[list[_Cue], list[str], list[int]]:
    """The cues, warnings, and the lines of cues that hold annotations only ("[Music]": a
    mark, not words anyone said; they are no one's comment and are not among the cues)."""
    cues: list[_Cue] = []
    warnings: list[str] = []
    notes: list[int] = []
    for origin in blocks:
        start, block, position = origin
        if block[0].startswith(_SKIPPED_BLOCKS) and block[0].split(" ", 1)[0] in _SKIPPED_BLOCKS:
            continue
        # The timing is the first line, or the second after a cue identifier.
        timing, timing_at = _TIMING.match(block[0]) if "-->" in block[0] else None, 0
        if timing is None:
            second = block[1] if len(block) > 1 else ""
            timing, timing_at = _TIMING.match(second) if "-->" in second else None, 1
        if timing is None:
            if cues and not any(_TIMING.match(line) for line in block):
                # A blank line inside a cue's text: keep the words with that cue (and with
                # its words after the label, or they are lost once the label is accepted).
                cues[-1].lines += block
                cues[-1].tail = (start + len(block) - 1, _end_col(block[-1]), origin)
                if cues[-1].rest_lines is not None:
                    cues[-1].rest_lines += block
                warnings.append(f"line {start}: text after a blank line joined to the cue above")
            else:
                warnings.append(f"line {start}: block has no cue timing ('-->'); skipped")
            continue
        payload = block[-1] if timing_at + 2 == len(block) else "\n".join(block[timing_at + 1 :])
        # Times stay text until consecutive cues are merged: most are never needed.
        begin, end = timing["start"], timing["end"]
        line = start + timing_at + 1
        voices = (
            [m for m in _VOICE.finditer(payload) if m["name"] is not None]
            if "<v" in payload
            else []
        )
        if voices:
            for m in voices:
                text = _clean(m["text"].splitlines())
                if text:
                    # "<v >" names nobody: the cue is kept without a speaker, not as "".
                    name = " ".join(m["name"].split()) or None
                    voice = _Cue(line, begin, end, [text], origin, speaker=name)
                    voice.first = _place(payload, m.start("text"), line, False)
                    voice.tail = (*_place(payload, m.end("text"), line, True), origin)
                    cues.append(voice)
            continue
        cue = _Cue(line, begin, end, block[timing_at + 1 :], origin)
        first = block[timing_at + 1] if timing_at + 1 < len(block) else ""
        if "<" in first:
            first = _TAG.sub("", first)
        skip = leading_annotations(first) if first[:1] in ("[", "(") else 0
        if skip and not first[skip:].strip() and len(cue.lines) == 1:
            notes.append(line)
            continue
        found = L.match_inline(first[skip:] if skip else first) or (
            _BRACKET_SPEAKER.match(first) if first.lstrip()[:1] == "[" and not skip else None
        )
        name = L.clean_label(found["name"]) if found else None
        if found and name and L.plausible_display_name(name):
            cue.candidate = name
            rest = found["rest"]
            cue.rest_lines = [
                f"{first[:skip].rstrip()} {rest}" if skip else rest,
                *block[timing_at + 2 :],
            ]
        cues.append(cue)
    return cues, warnings, notes


_TRAILING_TAGS = re.compile(r"(?:\s*</?[a-zA-Z][^>]*>)+\s*$")


def _end_col(line: str) -> int:
    """Where a cue line's words end (closing tags left out)."""
    if "<" in line:
        m = _TRAILING_TAGS.search(line)
        if m:
            return m.start()
    return len(line)


def _place(payload: str, position: int, first_line: int, end: bool) -> tuple[int, int]:
    """(line number, column) of ``position`` in a cue's text that starts on ``first_line``;
    the column moves past white space (to the first word) or back over it (after the last)."""
    if end:
        while position > 0 and payload[position - 1].isspace():
            position -= 1
    else:
        while position < len(payload) and payload[position].isspace():
            position += 1
    before = payload.rfind("\n", 0, position)
    return first_line + payload.count("\n", 0, position), position - before - 1


def _clean(lines: list[str]) -> str:
    text = lines[0] if len(lines) == 1 else " ".join(lines)
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    # Most cues are one line of words between single spaces: nothing to collapse.
    if "  " in text or not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        return " ".join(text.split())
    return text


def _to_transcript(
    cues: list[_Cue],
    warnings: list[str],
    filename: str,
    encoding: str,
    known: Set[str],
    kind: str,
    flavour: str | None,
    source: str,
    notes: list[int],
) -> ParsedTranscript:
    candidates = Counter(c.candidate for c in cues if c.candidate)
    accepted = L.accepted_labels(candidates, len(cues), set(known), display_names=True)
    spelling = {L.key(k): k for k in known}
    # [speaker, texts, start, end, line, last cue, first cue, labelled], merged as cues come
    turns: list[list[Any]] = []
    for cue in cues:
        speaker, lines = cue.speaker, cue.lines
        labelled = speaker is None and cue.candidate in accepted
        if labelled:
            speaker, lines = cue.candidate, cue.rest_lines or []  # set with the candidate
            if spelling:
                speaker = spelling.get(L.key(speaker), speaker)
        # Cleaned only now, once: either the whole cue or the words after its label.
        text = _clean(lines)
        if not text and speaker is None:
            continue  # a cue of markup only
        if not text:  # "Ana:" and nothing else
            warnings.append(f"line {cue.line}: speaker {speaker!r} has no words; skipped")
            continue
        if speaker is not None and turns and turns[-1][0] == speaker:
            # Consecutive cues of one speaker are one comment (never cues without one).
            turns[-1][1].append(text)
            turns[-1][3] = cue.end
            turns[-1][5] = cue
        else:
            turns.append([speaker, [text], cue.start, cue.end, cue.line, cue, cue, labelled])
    # Checked on the turns, not the cues: cues holding only a label give no comment either.
    if not turns:
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: no caption cues with text "
            "(each cue needs a '00:00:01.000 --> 00:00:02.000' line and words below it)"
        )
    named = any(t[0] for t in turns)
    unnamed = [t for t in turns if not t[0]]
    if named and unnamed:
        numbers = ", ".join(str(t[4]) for t in unnamed[:10])
        more = " …" if len(unnamed) > 10 else ""
        warnings.append(
            f"{len(unnamed)} cue(s) have no speaker (line {numbers}{more}): imported as speaker "
            "'unknown' and flagged; assign them before coding"
        )
    elif unnamed:
        warnings.append(
            f"no speaker labels found: {len(unnamed)} cue(s) imported as comments of speaker "
            "'unknown'"
        )
        flavour = "no speaker labels"
    label = f"{kind} ({flavour})" if flavour else kind
    where = _Where(source)
    # Cue times stay text until here: only each comment's first start and last end are needed.
    span, seconds = where.span, L.seconds
    made = [
        Turn(
            speaker,
            " ".join(parts),
            seconds(start),
            seconds(end),
            line,
            None,
            0,
            span(first, labelled, last),
        )
        for speaker, parts, start, end, line, last, first, labelled in turns
    ]
    parsed = ParsedTranscript(format=label, encoding=encoding, turns=made, warnings=warnings)
    if notes:
        parsed.set_aside.append(SetAside("annotation", tuple(notes), "a cue of annotations only"))
    return parsed


class _Where:
    """Offsets in the decoded text of a turn's first and last words, found from each cue's
    block (a few ``find`` calls a turn, not a pass over every line); a text with CR line ends
    or a BOM, which ``_blocks`` rewrote, is mapped by its line starts instead."""

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] | None = None
        if "\r" in text or text.startswith("\ufeff"):
            self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def line(self, number: int, origin: Origin) -> int:
        if self.starts is not None:
            return self.starts[number - 1]
        position, find = origin[2], self.text.find
        for _ in range(number - origin[0]):
            position = find("\n", position) + 1
        return position

    def span(self, first: _Cue, labelled: bool, last: _Cue) -> tuple[int, int]:
        """From the first word of ``first`` (after its label if it was read as one, on the line
        below a label alone) to the last word of ``last``."""
        if first.first is not None:
            line, column = first.first
        elif not labelled or first.rest_lines is None:
            line, column = first.line, 0
        elif first.rest_lines[0].strip() or len(first.rest_lines) == 1:
            # The words after the label end its line as written (unless tags or an annotation
            # were taken out before the label was read: then they are looked for).
            raw, rest = first.lines[0], first.rest_lines[0]
            column = (
                len(raw) - len(rest) if raw.endswith(rest) else max(raw.find(rest.lstrip()[:16]), 0)
            )
            line = first.line
        else:  # "Ana:" alone, the words on the line below
            line, column = first.line + 1, 0
        begin = self.line(line, first.origin) + column
        if last.tail is not None:
            line, column, origin = last.tail
        else:
            line, origin = last.line + len(last.lines) - 1, last.origin
            end_line = last.lines[-1]
            column = _end_col(end_line) if "<" in end_line else len(end_line)
        return begin, self.line(line, origin) + column
