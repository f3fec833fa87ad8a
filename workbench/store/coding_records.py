"""The records coders and codings cross the store's door as: :class:`Coder` and :class:`Coding`.

A :class:`Coder` is a row of ``coders`` (a handful per project: a frozen dataclass). A
:class:`Coding` is one coder's stored coding of one comment, built for every coding of a coder
by ``Store.codings_of`` (100,000 on a large project: a ``NamedTuple``, a tenth of a
dataclass's cost to build). The coding a coder edits and the write path take is
:class:`workbench.coding.record.Coding`, made from this one by ``coding.record.from_row``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

#: The columns of ``coders`` a :class:`Coder` is built from, in its fields' order.
CODER_COLUMNS = "id, name, kind, suggestions, created_at, person"


@dataclass(frozen=True, slots=True)
class Coder:
    """A coder of the project: a person (kind ``coder``), the agreed coding (``agreed``), a
    model's coding (``model``), or a person's blind training or retest coding (``training``,
    ``retest``: ``person`` names whose). ``suggestions``: whether the coding screen shows this
    coder a model's suggestions."""

    id: int
    name: str
    kind: str
    suggestions: bool
    created_at: str
    person: str | None = None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Coder:
        """A row of :data:`CODER_COLUMNS` as a coder (SQLite gives the flag as 0 or 1)."""
        coder_id, name, kind, suggestions, created_at, person = row
        return cls(coder_id, name, kind, bool(suggestions), created_at, person)

    def as_dict(self) -> dict[str, Any]:
        """The coder as JSON (the row's columns)."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "suggestions": self.suggestions,
            "created_at": self.created_at,
            "person": self.person,
        }


class Coding(NamedTuple):
    """One coder's stored coding of one comment: its category (None: the coding has only a
    memo or a mark), its themes as keys in codebook order, memo, the not-sure and exemplar
    marks, the model whose suggestion the coder accepted (None: none), and when it last
    changed (ISO 8601, UTC). ``_asdict()`` for JSON."""

    comment_id: int
    category_key: str | None
    themes: tuple[str, ...]
    memo: str
    unsure: bool
    exemplar: bool
    suggested_by: int | None
    updated_at: str
