"""The study's places as records: focus groups, their transcripts, their speakers, the roles.

The store builds these from its SELECTs and every layer reads their attributes (``g.code``,
``t.filename``), never a row's keys. ``as_dict()`` gives the dictionary the JSON, CSV and
Excel outputs have always shown, for the edges that hand out dictionaries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Group", "GroupSummary", "Role", "Speaker", "Transcript"]


@dataclass(frozen=True, slots=True)
class Role:
    """A stakeholder role: its key (also the tag printed after quotes, "~HP"), its name, whether
    its comments are kept but not coded by default, and the other words that name it."""

    key: str
    name: str
    excluded: bool = False
    aliases: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "aliases": list(self.aliases)}


@dataclass(frozen=True, slots=True)
class Group:
    """A focus group (or an interview): its code ("FG1"), name, kind ('individual', 'multi' or
    None), date and stakeholders as given, place in reading order, and the number its next
    comment's ref takes."""

    id: int
    code: str
    name: str
    kind: str | None
    date: str | None
    stakeholders: str | None
    position: int
    next_number: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class GroupSummary(Group):
    """A focus group with its counts: transcripts, speakers, comments, comments to code, comments
    without a speaker, and words."""

    transcripts: int
    speakers: int
    comments: int
    codable: int
    no_speaker: int
    words: int


@dataclass(frozen=True, slots=True)
class Transcript:
    """A transcript file of a group as imported (its bytes stay in the store:
    ``Store.transcript_content``): name, format, encoding, SHA-256, when, its place in the group
    and how many comments it gave."""

    id: int
    group_id: int
    group_name: str
    filename: str
    format: str
    encoding: str
    sha256: str
    imported_at: str
    position: int
    comments: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker of a group, by the label the transcript gives them, with their role's key (None:
    no role yet) and how many comments and words they spoke."""

    id: int
    group_id: int
    group_name: str
    label: str
    role_key: str | None
    comments: int
    words: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
