"""The records a comment crosses the store's door as.

* :class:`Comment`: one row of the ``comments`` table (:meth:`Store.comment`,
  :meth:`Store.next_comment`), what splitting and merging read and write back;
* :class:`ListedComment`: a comment in the listing of every comment with its group, speaker,
  role and transcript (:meth:`Store.comments`), a ``NamedTuple`` because it is built 100,000
  times at a time (a frozen dataclass costs about a microsecond a field to construct);
* :class:`ContextTurn`: a turn around a comment (:meth:`Store.comment_with_context`).

The flags (``excluded``, ``no_speaker``, ``current``) are ``bool``, never SQLite's 0 and 1.
``as_dict()`` (``_asdict()`` for the listing) gives the fields by name, for JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["Comment", "ContextTurn", "ListedComment"]


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment as stored: one statement by one speaker, at ``position`` in its transcript."""

    id: int
    ref: str
    group_id: int
    transcript_id: int
    position: int
    speaker_id: int | None
    text: str
    word_count: int
    start_s: float | None
    end_s: float | None
    source_line: int | None
    no_speaker: bool  # imported from a line without a speaker label
    excluded: bool  # not to be coded (a moderator's turn, an aside...)
    excluded_reason: str | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Comment:
        """From ``SELECT *`` of the comments table (its columns in table order)."""
        return cls(*(*row[:11], row[11] == 1, row[12] == 1, row[13]))

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class ListedComment(NamedTuple):
    """A comment in the listing of a project's comments, in reading order: its words, where it
    was said (group, transcript, position) and by whom (speaker label, role key)."""

    id: int
    ref: str
    group_name: str
    group_code: str
    position: int
    speaker: str  # the speaker's label ("unknown" without a speaker)
    role: str | None  # the speaker's role key (None: no role assigned)
    excluded: bool
    excluded_reason: str | None
    no_speaker: bool
    text: str
    word_count: int
    start_s: float | None
    end_s: float | None
    transcript: str  # the transcript's file name
    source_line: int | None


@dataclass(frozen=True, slots=True)
class ContextTurn:
    """A turn of a transcript shown around a comment; ``current`` marks the comment asked for."""

    id: int
    ref: str
    text: str
    excluded: bool
    no_speaker: bool
    position: int
    start_s: float | None
    speaker: str  # the speaker's label ("unknown" without a speaker)
    role: str | None
    group_code: str
    group_name: str
    current: bool

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> ContextTurn:
        """From the columns of :meth:`Store.comment_with_context`'s query, in order."""
        return cls(*(*row[:3], row[3] == 1, row[4] == 1, *row[5:11], row[11] == 1))

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_new = tuple.__new__


def listed_row(_cursor: object, row: tuple[Any, ...]) -> ListedComment:
    """A cursor's ``row_factory`` for :meth:`Store.comments`'s query: a :class:`ListedComment`
    with its flags as ``bool`` (built without the constructor's argument parsing: with the
    flags made bool, 10% faster than the dict per row it replaced)."""
    return _new(ListedComment, (*row[:7], row[7] == 1, row[8], row[9] == 1, *row[10:]))
