"""What every transcript parser produces: an ordered list of speaker turns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Turn:
    """One statement by one speaker: the unit that becomes a comment.

    ``speaker`` is ``None`` when the source gives no speaker (a caption file, or
    one unlabelled cue): the importer stores it as ``unknown`` and flags it rather
    than guessing a name.
    """

    speaker: str | None
    text: str
    start: float | None = None  # seconds from the start of the recording
    end: float | None = None
    line: int = 0  # 1-based line in the source where the turn starts
    role_tag: str | None = None  # a trailing "~HP"-style role tag, without the tilde
    words: int = 0  # word count, filled in by the importer


@dataclass
class ParsedTranscript:
    format: str  # e.g. "webvtt (zoom)", "text (otter)", "docx"
    encoding: str
    turns: list[Turn]
    warnings: list[str] = field(default_factory=list)

