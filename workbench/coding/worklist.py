"""A coder's worklist: which comments to code, in what order, and where they are.

Holds the ids of the comments to code in reading order (read off a covering
index, one transcript at a time) and the state of the coder's own codings
(complete, not sure), so filtering, "next uncoded" and progress over 100,000
comments need no query. A coding's memo and themes are read when the comment is
shown. It never reads another coder's codings: the coding screen is blind by
construction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from workbench.coding.search import search
from workbench.coding.session import Coding, CodingSession

STATUSES = ("all", "uncoded", "coded", "flagged")
_EMPTY = Coding()


@dataclass(frozen=True)
class Filters:
    group_id: int | None = None
    role: str | None = None
    status: str = "all"  # one of STATUSES; "flagged" = marked not sure
    search: str = ""
    where: str = ""  # conditions on attributes, e.g. "site=Leeds" (workbench.project.where)

    @property
    def active(self) -> bool:
        return self != Filters()


class Worklist:
    def __init__(self, session: CodingSession):
        self.session = session
        self.filters = Filters()
        self.pos = 0
        self.reload()

    def reload(self) -> None:
        """Read the comments to code and this coder's codings again (after a split, a merge, an
        import, a removal, here or in another window), keeping the filters and, where it is
        still listed, the current comment."""
        current = self.current if hasattr(self, "items") else None
        store, session = self.session.store, self.session
        self.codable: list[int] = []
        self.group: dict[int, int] = {}
        self.totals: dict[int, int] = {}
        scope = session.scope  # a training set or retest sample: only its comments
        for group_id, transcript_id in store.transcript_order():
            ids = store.codable_ids(group_id, transcript_id)
            if scope is not None:
                ids = [i for i in ids if i in scope]
                if not ids:
                    continue
            self.codable += ids
            self.group.update(dict.fromkeys(ids, group_id))
            self.totals[group_id] = self.totals.get(group_id, 0) + len(ids)
        # Progress is kept as running counts, updated per change: recounting 100,000
        # comments on every key press is what made a large project sluggish.
        self.coded: dict[int, int] = dict.fromkeys(self.totals, 0)
        self.coded_ids: set[int] = set()
        self.unsure_ids: set[int] = set()
        takes_themes = {c.key for c in session.book.all_categories() if c.takes_themes}
        for comment_id, category, has_theme, unsure in store.coding_states(session.coder_id):
            if comment_id not in self.group:
                continue
            if category is not None and (has_theme or category not in takes_themes):
                self.coded_ids.add(comment_id)
                self.coded[self.group[comment_id]] += 1
            if unsure:
                self.unsure_ids.add(comment_id)
        # This coder's codings of the comments shown so far, read on first show.
        self.codings: dict[int, Coding] = {}
        pos, self.pos = self.pos, 0
        self.items: list[int] = self.codable
        if self.filters.active:
            self.apply(self.filters)
        if current is not None and current in self.items:
            self.pos = self.items.index(current)
        else:  # about where the coder was
            self.pos = min(pos, max(len(self.items) - 1, 0))

    def group_of(self, comment_id: int) -> int:
        return self.group[comment_id]

    # -- the current comment -----------------------------------------------------

    @property
    def current(self) -> int | None:
        return self.items[self.pos] if self.items else None

    def coding(self, comment_id: int) -> Coding:
        coding = self.codings.get(comment_id)
        if coding is None:
            coding = self.session.get(comment_id)
            if not coding.empty:
                self.codings[comment_id] = coding
        return coding

    def record(self, comment_id: int, coding: Coding) -> None:
        """Keep the in-memory view in step after the session committed a change."""
        if coding.empty:
            self.codings.pop(comment_id, None)
        else:
            self.codings[comment_id] = coding
        group = self.group.get(comment_id)
        if group is None:  # not a comment to code
            return
        (self.unsure_ids.add if coding.unsure else self.unsure_ids.discard)(comment_id)
        was, now = comment_id in self.coded_ids, self.session.complete(coding)
        if now and not was:
            self.coded_ids.add(comment_id)
            self.coded[group] += 1
        elif was and not now:
            self.coded_ids.discard(comment_id)
            self.coded[group] -= 1

    def reread(self, comment_id: int) -> bool:
        """Read one of this coder's codings again (changed in another window); whether it
        differs from what this list held."""
        before = self.codings.get(comment_id)
        self.codings.pop(comment_id, None)
        coding = self.coding(comment_id)
        self.record(comment_id, coding)
        return (before or _EMPTY) != coding

    def is_coded(self, comment_id: int) -> bool:
        return comment_id in self.coded_ids

    def is_unsure(self, comment_id: int) -> bool:
        return comment_id in self.unsure_ids

    # -- filtering ---------------------------------------------------------------

    def apply(self, filters: Filters, matches: set[int] | None = None) -> int:
        """Show only comments matching ``filters``; return how many match. ``matches``: the
        ids the search words find, if the caller searched already (in a worker)."""
        current = self.current
        if not filters.active:
            self.filters, self.items = filters, self.codable
        else:
            keep = None
            if filters.search.strip():
                keep = (
                    matches
                    if matches is not None
                    else set(search(self.session.store, filters.search))
                )
            if filters.role is not None:
                by_role = self.session.store.comment_ids_with_role(filters.role)
                keep = by_role if keep is None else keep & by_role
            if filters.where.strip():
                from workbench.project.where import parse

                # The coder codes blind: an attribute hidden from blind coders is refused.
                store = self.session.store
                chosen = parse(store, [filters.where], blind=True).comment_ids(store)
                if chosen is not None:  # (None: the filter named no condition)
                    keep = chosen if keep is None else keep & chosen
            status = {
                "uncoded": lambda i: i not in self.coded_ids,
                "coded": self.coded_ids.__contains__,
                "flagged": self.unsure_ids.__contains__,
            }.get(filters.status)
            self.filters, self.items = (
                filters,
                [
                    i
                    for i in self.codable
                    if (filters.group_id is None or self.group[i] == filters.group_id)
                    and (keep is None or i in keep)
                    and (status is None or status(i))
                ],
            )
        self.pos = self.items.index(current) if current in self.items else 0
        return len(self.items)

    # -- moving ------------------------------------------------------------------

    def move(self, delta: int) -> bool:
        if not self.items:
            return False
        target = min(max(self.pos + delta, 0), len(self.items) - 1)
        moved = target != self.pos
        self.pos = target
        return moved

    def next_matching(self, predicate: Callable[[int], bool]) -> bool:
        """Go to the next comment (wrapping around) for which ``predicate(id)`` holds."""
        count = len(self.items)
        for step in range(1, count + 1):
            index = (self.pos + step) % count
            if predicate(self.items[index]):
                self.pos = index
                return True
        return False

    def next_uncoded(self) -> bool:
        return self.next_matching(lambda i: i not in self.coded_ids)

    def next_flagged(self) -> bool:
        return self.next_matching(self.unsure_ids.__contains__)

    def jump(self, ref: str) -> str | None:
        """Go to the comment with ``ref``; return an error message if impossible."""
        from workbench.ingest.refs import typed_ref

        row = self.session.store.find_ref(typed_ref(ref))  # "fg1-10" finds FG1-010
        if row is None:
            return f"no comment {ref.strip()!r}"
        comment_id, ref, _group, excluded = row
        if excluded:
            return f"{ref} is not coded (facilitator or observer); it shows as context only"
        if comment_id not in self.group:
            self.reload()  # imported or split since this list was read?
        if comment_id not in self.group:
            return (
                f"{ref} is not among the comments of this {self.session.mode or 'coding'} session"
            )
        if comment_id not in self.items:
            self.apply(Filters())  # the ref is filtered out: show everything
        self.pos = self.items.index(comment_id)
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
