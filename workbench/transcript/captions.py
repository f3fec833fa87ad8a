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
from workbench.transcript import labels as L
from workbench.transcript.model import ParsedTranscript, Turn, merge_consecutive
from workbench.transcript.text import split_lines

_TIME = r"\d+(?::\d+){1,2}(?:[.,]\d+)?"
_TIMING = re.compile(r"^\s*(?P<start>" + _TIME + r")\s*-->\s*(?P<end>" + _TIME + r")(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+(?P<name>[^>]*))?>(?P<text>.*?)(?:</v>|(?=<v[\s.>])|$)", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_BRACKET_SPEAKER = re.compile(r"^\s*\[(?P<name>[^\]\n]{1,48})\]\s*(?P<rest>.*)$", re.S)
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class _Cue:
    line: int
    start: float | None
    end: float | None
    text: str
    speaker: str | None = None  # from a <v> voice tag: certain
    candidate: str | None = None  # from "Name: text": needs the acceptance rule
    rest: str = ""


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


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into blank-line separated blocks, each with its first line number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(split_lines(text.lstrip("\ufeff")), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks or [(1, [])]


def _read_cues(blocks, filename) -> tuple[list[_Cue], list[str]]:
    cues: list[_Cue] = []
    warnings: list[str] = []
    for start, block in blocks:
        if block[0].split(" ", 1)[0] in _SKIPPED_BLOCKS:
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if _TIMING.match(line)), None)
        if timing_at is None:
            if cues and not any(_TIMING.match(line) for line in block):
                # A blank line inside a cue's text: keep the words with that cue (and with
                # its words after the label, or they are lost once the label is accepted).
                more = _clean(block)
                cues[-1].text = f"{cues[-1].text} {more}".strip()
                if cues[-1].candidate:
                    cues[-1].rest = f"{cues[-1].rest} {more}".strip()
                warnings.append(f"line {start}: text after a blank line joined to the cue above")
            else:
                warnings.append(f"line {start}: block has no cue timing ('-->'); skipped")
            continue
        timing = _TIMING.match(block[timing_at])
        payload = "\n".join(block[timing_at + 1 :])
        begin, end = L.seconds(timing["start"]), L.seconds(timing["end"])
        line = start + timing_at + 1
        voices = [m for m in _VOICE.finditer(payload) if m["name"] is not None]
        if voices:
            for m in voices:
                text = _clean(m["text"].splitlines())
                if text:
                    # "<v >" names nobody: the cue is kept without a speaker, not as "".
                    name = " ".join(m["name"].split()) or None
                    cues.append(_Cue(line, begin, end, text, speaker=name))
            continue
        text = _clean(block[timing_at + 1 :])
        if not text:
            continue
        cue = _Cue(line, begin, end, text)
        first = _TAG.sub("", block[timing_at + 1]) if timing_at + 1 < len(block) else ""
        found = L.INLINE.match(first) or _BRACKET_SPEAKER.match(first)
        if found and L.plausible(L.clean_label(found["name"])):
            cue.candidate = L.clean_label(found["name"])
            rest_lines = [found["rest"]] + block[timing_at + 2 :]
            cue.rest = _clean(rest_lines)
        cues.append(cue)
    return cues, warnings


def _clean(lines: list[str]) -> str:
    text = " ".join(line.strip() for line in lines if line.strip())
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _to_transcript(cues, warnings, filename, encoding, known, kind, flavour) -> ParsedTranscript:
    candidates = Counter(c.candidate for c in cues if c.candidate)
    accepted = L.accepted_labels(candidates, len(cues), set(known))
    turns = []
    for cue in cues:
        speaker, text = cue.speaker, cue.text
        if speaker is None and cue.candidate in accepted:
            speaker, text = cue.candidate, cue.rest
        if not text:  # "Ana:" and nothing else
            warnings.append(f"line {cue.line}: speaker {speaker!r} has no words; skipped")
            continue
        turns.append(Turn(speaker=speaker, text=text, start=cue.start, end=cue.end, line=cue.line))
    # Checked on the turns, not the cues: cues holding only a label give no comment either.
    if not turns:
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: no caption cues with text "
            "(each cue needs a '00:00:01.000 --> 00:00:02.000' line and words below it)"
        )
    named = sum(1 for t in turns if t.speaker)
    unnamed = [t for t in turns if not t.speaker]
    if named and unnamed:
        lines = ", ".join(str(t.line) for t in unnamed[:10])
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
    return ParsedTranscript(format=label, encoding=encoding, turns=merge_consecutive(turns), warnings=warnings)
