"""Memos overview: every memo of one coding (a coder's, or the agreed coding), in
transcript order with its comment, searchable, as the app's memo screen and
``workbench memos`` list them.

A search keeps the memos holding every word typed (as a word prefix, any case, so
"listen plan" finds "listened ... planning"), or whose comment ref is the one typed.
Which coding a viewer may read is decided by :func:`workbench.coding.views.visible_codings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from workbench.coding.search import terms
from workbench.coding.views import Whose
from workbench.store import Store


@dataclass(frozen=True)
class Memo:
    comment_id: int
    ref: str
    group_code: str
    group: str
    speaker: str
    role: str | None
    text: str  # the comment's
    category: str | None  # key
    themes: tuple[str, ...]  # keys, codebook order
    memo: str
    unsure: bool
    exemplar: bool
    updated_at: str

    def as_dict(self, names: dict[str, str] | None = None) -> dict[str, Any]:
        """A flat record for CSV and JSON; ``names``: key → name of categories and themes."""
        names = names or {}
        return {
            "ref": self.ref,
            "group": self.group,
            "speaker": self.speaker,
            "role": self.role or "",
            "category": names.get(self.category, self.category) if self.category else "",
            "themes": "; ".join(names.get(t, t) for t in self.themes),
            "memo": self.memo,
            "comment": self.text,
            "updated": self.updated_at[:19],
        }


def memos(store: Store, whose: Whose, search: str = "") -> list[Memo]:
    """The memos of ``whose`` coding, in transcript order; with ``search``, only those that match."""
    found = [
        Memo(
            r["comment_id"],
            r["ref"],
            r["group_code"],
            r["group_name"],
            r["speaker"],
            r["role"],
            r["text"],
            r["category_key"],
            tuple(r["themes"]),
            r["memo"],
            bool(r["unsure"]),
            bool(r["exemplar"]),
            r["updated_at"] or "",
        )
        for r in store.memos(whose.coder.id)
    ]
    if whose.coder.kind == "agreed":
        found = _with_rationales(store, whose, found)
    return [m for m in found if matches(m, search)] if search.strip() else found


def _with_rationales(store: Store, whose: Whose, found: list[Memo]) -> list[Memo]:
    """The agreed coding's notes are the reconciliation's rationales: each shown as a memo
    ("rationale: ..."), in transcript order with any memo the agreed coding carries."""
    rationales = {
        r["comment_id"]: r["rationale"]
        for r in store.reconciliation_log()
        if r["rationale"].strip()
    }
    if not rationales:
        return found
    mine = {m.comment_id: m for m in found}
    agreed = store.codings_of(whose.coder.id)
    out = []
    for c in store.comments():
        memo, why = mine.get(c.id), rationales.get(c.id)
        if why is None:
            if memo is not None:
                out.append(memo)
            continue
        row = agreed.get(c.id)
        text = "\n".join(filter(None, [memo.memo if memo else "", f"rationale: {why}"]))
        out.append(
            Memo(
                c.id,
                c.ref,
                c.group_code,
                c.group_name,
                c.speaker,
                c.role,
                c.text,
                row.category_key if row else None,
                row.themes if row else (),
                text,
                bool(row and row.unsure),
                bool(row and row.exemplar),
                row.updated_at if row else "",
            )
        )
    return out


def matches(memo: Memo, search: str) -> bool:
    """Whether ``memo`` holds every word of ``search`` (word prefixes, any case), or ``search``
    is its comment's ref."""
    if search.strip().casefold() == memo.ref.casefold():
        return True
    words = terms(search)
    if not words:
        return True
    found = {w.lower() for w in re.findall(r"\w+", memo.memo)}
    return all(any(f.startswith(w) for f in found) for w in words)
