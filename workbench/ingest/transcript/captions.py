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
from dataclasses import dataclass

from workbench.errors import TranscriptError
from workbench.ingest.transcript import labels as L
from workbench.ingest.transcript.model import ParsedTranscript, Turn

_TIME = r"\d+(?::\d+){1,2}(?:[.,]\d+)?"
_TIMING = re.compile(r"^\s*(?P<start>" + _TIME + r")\s*-->\s*(?P<end>" + _TIME + r")(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+(?P<name>[^>]*))?>(?P<text>.*?)(?:</v>|(?=<v[\s.>])|$)", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_BRACKET_SPEAKER = re.compile(r"^\s*\[(?P<name>[^\]\n]{1,48})\]\s*(?P<rest>.*)$", re.S)
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class _Cue:
    line: int
    start: str | None  # the cue time as written; converted after merging
    end: str | None
    lines: list[str]  # the cue's text lines, as written
    speaker: str | None = None  # from a <v> voice tag: certain
    candidate: str | None = None  # from "Name: text": needs the acceptance rule
    rest_lines: list[str] | None = None  # the lines after that label


def looks_like_vtt(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("WEBVTT")


def looks_like_srt(text: str) -> bool:
    lines = [line for line in text.lstrip("\ufeff").splitlines()[:6] if line.strip()]
    return len(lines) >= 2 and lines[0].strip().isdigit() and bool(_TIMING.match(lines[1]))


def parse_vtt(text: str, filename: str, encoding: str, known: set[str] = frozenset()) -> ParsedTranscript:
    header, *blocks = _blocks(text)
    if not header[1] or not header[1][0].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError(f"{filename}: line 1: a WebVTT file must start with 'WEBVTT'")
    cues, warnings = _read_cues(blocks, filename)
    flavour = "teams" if any(c.speaker for c in cues) else "zoom"
    return _to_transcript(cues, warnings, filename, encoding, known, "webvtt", flavour)


def parse_srt(text: str, filename: str, encoding: str, known: set[str] = frozenset()) -> ParsedTranscript:
    cues, warnings = _read_cues(_blocks(text), filename)
    return _to_transcript(cues, warnings, filename, encoding, known, "srt", None)


_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into blank-line separated blocks, each with its first line number.

    One C-level split over the whole file rather than a Python loop over its lines:
    a caption file has four lines per cue, and this is most of its parse time.
    """
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[tuple[int, list[str]]] = []
    line, position = 1, 0
    for separator in _BLANK_LINES.finditer(text + "\n\n"):
        chunk = text[position:separator.start()]
        lines = chunk.split("\n")
        if chunk.strip():
            skipped = 0
            while not lines[skipped].strip():  # blank lines at the very start of the file
                skipped += 1
            blocks.append((line + skipped, [piece.rstrip() for piece in lines[skipped:]]))
        line += len(lines) - 1 + separator.group().count("\n")
        position = separator.end()
    return blocks or [(1, [])]


def _read_cues(blocks, filename) -> tuple[list[_Cue], list[str]]:
    cues: list[_Cue] = []
    warnings: list[str] = []
    for start, block in blocks:
        if block[0].split(" ", 1)[0] in _SKIPPED_BLOCKS:
            continue
        timing, timing_at = None, None
        for index, candidate in enumerate(block[:2]):
            timing = _TIMING.match(candidate)
            if timing:
                timing_at = index
                break
        if timing_at is None:
            if cues and not any(_TIMING.match(line) for line in block):
                # A blank line inside a cue's text: keep the words with that cue (and with
                # its words after the label, or they are lost once the label is accepted).
                cues[-1].lines += block
                if cues[-1].rest_lines is not None:
                    cues[-1].rest_lines += block
                warnings.append(f"line {start}: text after a blank line joined to the cue above")
            else:
                warnings.append(f"line {start}: block has no cue timing ('-->'); skipped")
            continue
        payload = "\n".join(block[timing_at + 1 :])
        # Times stay text until consecutive cues are merged: most are never needed.
        begin, end = timing["start"], timing["end"]
        line = start + timing_at + 1
        voices = [m for m in _VOICE.finditer(payload) if m["name"] is not None] if "<v" in payload else []
        if voices:
            for m in voices:
                text = _clean(m["text"].splitlines())
                if text:
                    # "<v >" names nobody: the cue is kept without a speaker, not as "".
                    name = " ".join(m["name"].split()) or None
                    cues.append(_Cue(line, begin, end, [text], speaker=name))
            continue
        cue = _Cue(line, begin, end, block[timing_at + 1 :])
        first = block[timing_at + 1] if timing_at + 1 < len(block) else ""
        if "<" in first:
            first = _TAG.sub("", first)
        found = L.match_inline(first) or (
            _BRACKET_SPEAKER.match(first) if first.lstrip()[:1] == "[" else None
        )
        if found and L.plausible_display_name(L.clean_label(found["name"])):
            cue.candidate = L.clean_label(found["name"])
            cue.rest_lines = [found["rest"], *block[timing_at + 2 :]]
        cues.append(cue)
    return cues, warnings


def _clean(lines: list[str]) -> str:
    text = " ".join(lines)
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def _to_transcript(cues, warnings, filename, encoding, known, kind, flavour) -> ParsedTranscript:
    candidates = Counter(c.candidate for c in cues if c.candidate)
    accepted = L.accepted_labels(candidates, len(cues), set(known), display_names=True)
    turns = []
    for cue in cues:
        speaker, lines = cue.speaker, cue.lines
        if speaker is None and cue.candidate in accepted:
            speaker, lines = cue.candidate, cue.rest_lines
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
        else:
            turns.append([speaker, [text], cue.start, cue.end, cue.line])
    # Checked on the turns, not the cues: cues holding only a label give no comment either.
    if not turns:
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: no caption cues with text "
            "(each cue needs a '00:00:01.000 --> 00:00:02.000' line and words below it)"
        )
    named = any(t[0] for t in turns)
    unnamed = [t for t in turns if not t[0]]
    if named and unnamed:
        lines = ", ".join(str(t[4]) for t in unnamed[:10])
        more = " …" if len(unnamed) > 10 else ""
        warnings.append(
            f"{len(unnamed)} cue(s) have no speaker (line {lines}{more}): imported as speaker "
            "'unknown' and flagged; assign them before coding"
        )
    elif unnamed:
        warnings.append(
            f"no speaker labels found: {len(unnamed)} cue(s) imported as comments of speaker "
            "'unknown'"
        )
        flavour = "no speaker labels"
    label = f"{kind} ({flavour})" if flavour else kind
    # Cue times stay text until here: only each comment's first start and last end are needed.
    turns = [Turn(speaker=speaker, text=" ".join(parts), start=L.seconds(start), end=L.seconds(end), line=line)
             for speaker, parts, start, end, line in turns]
    return ParsedTranscript(format=label, encoding=encoding, turns=turns, warnings=warnings)
