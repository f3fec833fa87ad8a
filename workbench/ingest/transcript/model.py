"""What every transcript parser produces: an ordered list of speaker turns, and what the
reader made of the file (its reading: label styles, lines set aside, findings)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Turn:
    """One statement by one speaker: the unit that becomes a comment.

    ``speaker`` is ``None`` when the source gives no speaker (a caption file, or
    one unlabelled cue): the importer stores it as ``unknown`` and flags it rather
    than guessing a name. ``span`` is where the turn's words are in the text the parser
    read (character offsets, end exclusive): from its first word after the label to its
    last word (a role tag left out); for plain text, Markdown and captions that is the
    decoded file, for Word and PDF the text extracted from them.
    """

    speaker: str | None
    text: str
    start: float | None = None  # seconds from the start of the recording
    end: float | None = None
    line: int = 0  # 1-based line in the source where the turn starts
    role_tag: str | None = None  # a trailing "~HP"-style role tag, without the tilde
    words: int = 0  # word count, filled in by the importer
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class SetAside:
    """Lines of the file that are no comment: ``kind`` is ``header`` (a ``Key: value`` block
    before the dialogue), ``title``, ``preamble`` (a short opening without labels),
    ``annotation`` (``[Music]`` outside any turn) or ``timestamp`` (alone on its line, not
    above a label)."""

    kind: str
    lines: tuple[int, ...]
    example: str


@dataclass(frozen=True)
class Finding:
    """Something the reader could not be sure of, said before anything is stored. ``code``
    names the kind (``label-as-text``, ``one-turn``, ``case-variants``, ``full-name``,
    ``mostly-unlabelled``, ``unlabelled-stretch``, ``header-role``)."""

    code: str
    message: str
    lines: tuple[int, ...] = ()


@dataclass
class ParsedTranscript:
    format: str  # e.g. "webvtt (zoom)", "text (otter)", "docx"
    encoding: str
    turns: list[Turn]
    warnings: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # the label styles read, most used first
    set_aside: list[SetAside] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    preamble: str = ""  # the header block and short opening, as written
    facilitators: dict[str, str] = field(
        default_factory=dict
    )  # label → why (the header names them)
    annotations: list[int] = field(
        default_factory=list
    )  # lines of annotations kept in a turn's text

    def warn(self, code: str, message: str, lines: tuple[int, ...] = ()) -> None:
        """A finding, also among the warnings every import prints."""
        self.findings.append(Finding(code, message, lines))
        self.warnings.append(message)
