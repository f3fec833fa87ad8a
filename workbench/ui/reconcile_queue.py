"""Where the reconciliation screen is in its queue: the comments it walks and the one shown.

:class:`QueuePlace` is a small part with no screen: the screen hands it the queue it read
(:meth:`QueuePlace.load`, staying on a comment when the queue is read again) and asks it which
comment is shown, how many are decided, deferred and open, which to go to after a decision
(the next open one, then the next deferred one) and the line saying where the lead is. A
comment changed since it was reconciled is open again (``reconcile.changes``).
"""

from __future__ import annotations

from rich.text import Text

from workbench.plain import printable
from workbench.reconcile.consensus import Item


class QueuePlace:
    """The queue the screen walks and the position of the comment it shows."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.pos = 0

    def load(self, queue: list[Item], at: int | None = None, ref: str | None = None) -> None:
        """The queue as read; ``at``: read again, staying on that comment id (else about where
        the lead was); else the first undecided comment, or ``ref`` if it is in the queue."""
        ids = [item.comment_id for item in queue]
        if at is not None:  # read again: the same comment, else about where the lead was
            self.pos = ids.index(at) if at in ids else min(self.pos, max(len(queue) - 1, 0))
        else:
            self.pos = next((i for i, item in enumerate(queue) if undecided(item)), 0)
            if ref:  # asked for one comment: on it, if it is a disagreement
                self.pos = next((i for i, item in enumerate(queue) if item.ref.lower() == ref.lower()), self.pos)
        self.items = queue

    @property
    def item(self) -> Item | None:
        return self.items[self.pos] if self.items else None

    def counts(self) -> tuple[int, int, int]:
        """(decided, deferred, open) over the queue; deferred items are not open, nor decided; a
        comment changed since it was reconciled is open (``reconcile.changes``)."""
        deferred = sum(1 for i in self.items if i.status == "deferred" and not i.reopened)
        still_open = sum(1 for i in self.items if undecided(i))
        return len(self.items) - deferred - still_open, deferred, still_open

    def where(self, decided_word: str) -> Text:
        """The line above the comment: its ref, its place, and the queue's counts."""
        item = self.item
        assert item is not None, "said only while a comment is shown"
        decided, deferred, still_open = self.counts()
        changed = sum(1 for i in self.items if i.reopened)
        return Text.assemble(
            (f" {printable(item.ref)} ", "bold reverse"),
            f" {self.pos + 1}/{len(self.items)} · {decided_word} {decided}, deferred {deferred}, open {still_open}"
            + (f" ({changed} changed since reconciled)" if changed else ""),
        )

    def next_undecided(self) -> int | None:
        for wanted in (None, "deferred"):
            for step in range(1, len(self.items) + 1):
                index = (self.pos + step) % len(self.items)
                candidate = self.items[index]
                if index != self.pos and (undecided(candidate) if wanted is None else
                                          candidate.status == wanted and not candidate.reopened):
                    return index
        return None

    def move(self, delta: int) -> None:
        """``delta`` comments on (or back), kept within the queue."""
        self.pos = min(max(self.pos + delta, 0), len(self.items) - 1)


def undecided(item: Item) -> bool:
    """Open: never decided, or decided and changed since (not deferred)."""
    return item.status is None or item.reopened is not None
