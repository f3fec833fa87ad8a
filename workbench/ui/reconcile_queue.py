"""Where the reconciliation screen (``ui.reconcile``) stands in its queue of disagreements: which
comments are still open, the counts its top line shows, the next one to decide, and where to
stand once the queue is read (again). Functions of the queue and a position, both the screen's.
"""

from __future__ import annotations

from rich.text import Text

from workbench.plain import printable
from workbench.reconcile.consensus import Item


def undecided(item: Item) -> bool:
    """Open: never decided, or decided and changed since (not deferred)."""
    return item.status is None or item.reopened is not None


def counts(queue: list[Item]) -> tuple[int, int, int]:
    """(decided, deferred, open) over the queue; deferred items are not open, nor decided; a
    comment changed since it was reconciled is open (``reconcile.changes``)."""
    deferred = sum(1 for i in queue if i.status == "deferred" and not i.reopened)
    still_open = sum(1 for i in queue if undecided(i))
    return len(queue) - deferred - still_open, deferred, still_open


def next_undecided(queue: list[Item], pos: int) -> int | None:
    """The next open comment after ``pos`` (round the queue), else the next deferred one."""
    for wanted in (None, "deferred"):
        for step in range(1, len(queue) + 1):
            index = (pos + step) % len(queue)
            candidate = queue[index]
            if index != pos and (
                undecided(candidate)
                if wanted is None
                else candidate.status == wanted and not candidate.reopened
            ):
                return index
    return None


def position(queue: list[Item], pos: int, at: int | None, ref: str | None) -> int:
    """Where to stand in a queue just read. Read again (``at``, the comment shown): on it, else
    about where the lead was (``pos``); read first: on the comment ``ref`` asked for if it is a
    disagreement, else on the first open one."""
    if at is not None:
        ids = [item.comment_id for item in queue]
        return ids.index(at) if at in ids else min(pos, max(len(queue) - 1, 0))
    first = next((i for i, item in enumerate(queue) if undecided(item)), 0)
    if not ref:
        return first
    return next((i for i, item in enumerate(queue) if item.ref.lower() == ref.lower()), first)


def top_line(queue: list[Item], pos: int, decided_word: str) -> Text:
    """The comment's ref, where it is in the queue, and the counts (``decided_word``: what the
    screen calls a decided one, "resolved" or "decided")."""
    decided, deferred, still_open = counts(queue)
    changed = sum(1 for i in queue if i.reopened)
    return Text.assemble(
        (f" {printable(queue[pos].ref)} ", "bold reverse"),
        f" {pos + 1}/{len(queue)} · {decided_word} {decided}, deferred {deferred}, "
        f"open {still_open}" + (f" ({changed} changed since reconciled)" if changed else ""),
    )
