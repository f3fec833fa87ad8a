"""A coder's worklist: which comments to code, in what order, and where they are.

Holds a light index of every comment (no text) and the coder's own codings, so
filtering, "next uncoded" and progress over 100,000 comments need no query. It
never loads another coder's codings: the coding screen is blind by construction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property

from workbench.coding import Coding, CodingSession, codings_by_comment
from workbench.search import search

STATUSES = ("all", "uncoded", "coded", "flagged")
_EMPTY = Coding()
# Fields of the index rows (plain tuples: building 100,000 named tuples is measurable).
ID, REF, GROUP, TRANSCRIPT, EXCLUDED, ROLE = range(6)


@dataclass(frozen=True)
class Filters:
    group_id: int | None = None
    role: str | None = None
    status: str = "all"  # one of STATUSES; "flagged" = marked not sure
    search: str = ""

    @property
    def active(self) -> bool:
        return self != Filters()


class Worklist:
    def __init__(self, session: CodingSession):
        self.session = session
        self.rows = session.store.comment_index()
        self.by_id = {row[ID]: row for row in self.rows}
        self.codable = [row for row in self.rows if not row[EXCLUDED]]
        self.codings: dict[int, Coding] = codings_by_comment(session.store, session.coder_id)
        # Progress is kept as running counts, updated per change: recounting 100,000
        # comments on every key press is what made a large project sluggish.
        self.totals: dict[int, int] = Counter(row[GROUP] for row in self.codable)
        self.coded: dict[int, int] = dict.fromkeys(self.totals, 0)
        self.coded_ids: set[int] = set()
        for comment_id, coding in self.codings.items():
            row = self.by_id.get(comment_id)
            if row is not None and not row[EXCLUDED] and session.complete(coding):
                self.coded_ids.add(comment_id)
                self.coded[row[GROUP]] += 1
        self.filters = Filters()
        self.items: list[int] = [row[ID] for row in self.codable]
        self.pos = 0

    @cached_property
    def by_ref(self) -> dict[str, tuple]:
        """Rows by lower-case ref, built on the first jump (most sessions never jump)."""
        return {row[REF].lower(): row for row in self.rows}

    def group_of(self, comment_id: int) -> int:
        return self.by_id[comment_id][GROUP]

    # -- the current comment -----------------------------------------------------

    @property
    def current(self) -> int | None:
        return self.items[self.pos] if self.items else None

    def coding(self, comment_id: int) -> Coding:
        return self.codings.get(comment_id, _EMPTY)

    def record(self, comment_id: int, coding: Coding) -> None:
        """Keep the in-memory view in step after the session committed a change."""
        if coding.empty:
            self.codings.pop(comment_id, None)
        else:
            self.codings[comment_id] = coding
        row = self.by_id[comment_id]
        if row[EXCLUDED]:
            return
        was, now = comment_id in self.coded_ids, self.session.complete(coding)
        if now and not was:
            self.coded_ids.add(comment_id)
            self.coded[row[GROUP]] += 1
        elif was and not now:
            self.coded_ids.discard(comment_id)
            self.coded[row[GROUP]] -= 1

    def is_coded(self, comment_id: int) -> bool:
        return comment_id in self.coded_ids

    # -- filtering ---------------------------------------------------------------

    def apply(self, filters: Filters) -> int:
        """Show only comments matching ``filters``; return how many match."""
        keep = None
        if filters.search.strip():
            keep = set(search(self.session.store, filters.search))
        current = self.current
        items = []
        for row in self.codable:
            if filters.group_id is not None and row[GROUP] != filters.group_id:
                continue
            if filters.role is not None and row[ROLE] != filters.role:
                continue
            if keep is not None and row[ID] not in keep:
                continue
            if not self._status_matches(row[ID], filters.status):
                continue
            items.append(row[ID])
        self.filters, self.items = filters, items
        self.pos = items.index(current) if current in items else 0
        return len(items)

    def _status_matches(self, comment_id: int, status: str) -> bool:
        if status == "uncoded":
            return not self.is_coded(comment_id)
        if status == "coded":
            return self.is_coded(comment_id)
        if status == "flagged":
            return self.coding(comment_id).unsure
        return True

    # -- moving ------------------------------------------------------------------

    def move(self, delta: int) -> bool:
        if not self.items:
            return False
        target = min(max(self.pos + delta, 0), len(self.items) - 1)
        moved = target != self.pos
        self.pos = target
        return moved

    def next_matching(self, predicate) -> bool:
        """Go to the next comment (wrapping around) for which ``predicate(id)`` holds."""
        count = len(self.items)
        for step in range(1, count + 1):
            index = (self.pos + step) % count
            if predicate(self.items[index]):
                self.pos = index
                return True
        return False

    def next_uncoded(self) -> bool:
        return self.next_matching(lambda i: not self.is_coded(i))

    def next_flagged(self) -> bool:
        return self.next_matching(lambda i: self.coding(i).unsure)

    def jump(self, ref: str) -> str | None:
        """Go to the comment with ``ref``; return an error message if impossible."""
        row = self.by_ref.get(ref.strip().lower())
        if row is None:
            return f"no comment {ref.strip()!r}"
        if row[EXCLUDED]:
            return f"{row[REF]} is not coded (facilitator or observer); it shows as context only"
        if row[ID] not in self.items:
            self.apply(Filters())  # the ref is filtered out: show everything
        self.pos = self.items.index(row[ID])
        return None

    def goto_id(self, comment_id: int) -> None:
        if comment_id not in self.items:
            self.apply(replace(self.filters, status="all", search=""))
        if comment_id in self.items:
            self.pos = self.items.index(comment_id)

    # -- progress ----------------------------------------------------------------

    def progress(self, group_id: int | None = None) -> tuple[int, int]:
        """(coded, codable) for one group, or overall."""
        if group_id is None:
            return len(self.coded_ids), len(self.codable)
        return self.coded.get(group_id, 0), self.totals.get(group_id, 0)
