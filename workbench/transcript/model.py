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


def merge_consecutive(turns: list[Turn]) -> list[Turn]:
    """Join consecutive turns of one named speaker (caption cues split mid-turn).

    Turns without a speaker are never merged: two unlabelled cues may be two people.
    Texts are joined once per run, not cue by cue: a long run must stay linear.
    """
    merged: list[Turn] = []
    texts: list[list[str]] = []  # the texts of each merged turn's run
    for turn in turns:
        prev = merged[-1] if merged else None
        if prev is not None and turn.speaker and prev.speaker == turn.speaker:
            texts[-1].append(turn.text)
            prev.end = turn.end if turn.end is not None else prev.end
            prev.role_tag = prev.role_tag or turn.role_tag
        else:
            merged.append(turn)
            texts.append([turn.text])
    for turn, run in zip(merged, texts):
        if len(run) > 1:
            turn.text = " ".join(run).strip()
    return merged
