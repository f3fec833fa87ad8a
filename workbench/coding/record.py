"""A coding as a record: :class:`Coding`, read from a stored row and written with its audit row.

One coder's coding of one comment: category, themes (keys in codebook order), memo, the
not-sure and exemplar marks, and the model whose suggestion was accepted. Every path that
writes a coding (the coding session, reconciliation, review, sheets, packages, REFI-QDA)
writes it through :func:`write_coding`, so each change has its audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.store import Store
from workbench.store.coding_records import Coder
from workbench.store.coding_records import Coding as StoredCoding

#: A coding's fields as undo names them (themes compared as sets).
FIELDS = {
    "category": "category",
    "themes": "themes",
    "memo": "memo",
    "unsure": "not-sure mark",
    "exemplar": "exemplar mark",
    "suggested_by": "accepted suggestion",
}


@dataclass(frozen=True)
class Coding:
    category: str | None = None
    themes: tuple[str, ...] = ()
    memo: str = ""
    unsure: bool = False
    exemplar: bool = False
    suggested_by: int | None = None  # the model whose suggestion the coder accepted here

    @property
    def empty(self) -> bool:
        return self == Coding()

    def as_dict(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict, which deep-copies every field: an import
        # writes this twice per coding for 100,000s of codings (benchmarks/refi_bench.py).
        data: dict[str, Any] = {
            "category": self.category,
            "themes": list(self.themes),
            "memo": self.memo,
            "unsure": self.unsure,
            "exemplar": self.exemplar,
        }
        if self.suggested_by is not None:  # only an accepted suggestion is recorded as such
            data["suggested_by"] = self.suggested_by
        return data


def clean_memo(text: str) -> str:
    """A memo as it is stored: line breaks as ``\n`` (a sheet saved on Windows or a paste
    brings ``\r\n`` and ``\r``), no blank space at either end, the lines as written."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def from_row(row: StoredCoding | None) -> Coding:
    """A stored coding (``Store.coding``/``codings_of``) as the :class:`Coding` a coder edits."""
    if row is None:
        return Coding()
    return Coding(
        row.category_key, row.themes, row.memo, row.unsure, row.exemplar, row.suggested_by
    )


def codings_by_comment(store: Store, coder_id: int) -> dict[int, Coding]:
    """Every coding of one coder, by comment id."""
    return {comment_id: from_row(row) for comment_id, row in store.codings_of(coder_id).items()}


def write_coding(
    store: Store,
    coder: Coder,
    comment_id: int,
    ref: str,
    before: Coding,
    after: Coding,
    action: str,
    actor: str | None = None,
    note: str | None = None,
) -> None:
    """Store one coding change and its audit row (call inside a transaction)."""
    if after.empty:
        store.delete_coding(coder.id, comment_id)
    else:
        store.save_coding(
            coder.id,
            comment_id,
            after.category,
            list(after.themes),
            after.memo,
            after.unsure,
            after.exemplar,
            after.suggested_by,
        )
    store.audit(
        action,
        "coding",
        ref,
        before=before.as_dict(),
        after=after.as_dict(),
        actor=actor or coder.name,
        note=note,
    )


def same_field(name: str, a: Coding, b: Coding) -> bool:
    if name == "themes":
        return set(a.themes) == set(b.themes)
    return bool(getattr(a, name) == getattr(b, name))


def same_coding(a: Coding | None, b: Coding | None) -> bool:
    """Whether two codings are the same, themes in any order (None: not coded)."""
    if a is None or b is None:
        return a is b
    return all(same_field(name, a, b) for name in FIELDS)


def corrected_since_coded(store: Store, coder_id: int, comment_id: int) -> dict[str, Any] | None:
    """The correction of a comment's text made after this coder coded it (it needs a look:
    ``transcripts replace``), else None."""
    revision = store.last_revisions([comment_id]).get(comment_id)
    if revision is None:
        return None
    row = store.coding(coder_id, comment_id)
    return revision if row is not None and row.updated_at < revision["at"] else None
