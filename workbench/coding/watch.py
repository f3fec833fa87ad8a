"""Noticing what other windows and processes committed: comments imported, split, merged,
replaced or removed, a codebook edited, the same coder's codings changed elsewhere.

:class:`ProjectWatch` asks SQLite's ``PRAGMA data_version``, which moves only when another
connection committed (microseconds: the app asks every second), and when it moved reads the
audit rows written since the last one it took in. Every write in Workbench is audited and
audit ids only grow, so those rows say what changed; :class:`Changes` sorts them for a
window. A row of an unknown kind counts as a change of the comments (the window reads its
list again, ~15 ms at 100,000 comments), so a new kind of edit is never missed.

This only tells open windows to catch up; the guarantee that no coding lands on words the
coder did not see is each write's own check (:mod:`workbench.coding.seen`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.coding.seen import by_whom, describe
from workbench.store import Store

#: Audit entities that change nothing a coding window shows.
QUIET = frozenset(
    {
        "reconciliation",
        "review",
        "report_run",
        "agreement_round",
        "user",
        "model",
        "role",
        "project",
    }
)
#: Audit entities a notification names (other kinds still count as changes, said only by their
#: effect: "comments to code: 24 → 25").
SAID = frozenset(
    {
        "comment",
        "transcript",
        "focus_group",
        "speaker",
        "codebook",
        "qdpx",
        "coder_package",
        "training_set",
        "retest_sample",
    }
)
#: Past tenses for the notification ("transcript FG3/fg3.txt imported by lead at 10:05").
DONE = {
    "import": "imported",
    "replace": "replaced",
    "remove": "removed",
    "create": "created",
    "set_role": "given another role",
    "load": "loaded",
    "rename": "renamed",
    "edit": "edited",
}


@dataclass(frozen=True)
class Changes:
    """The audit rows other connections committed since the last look, sorted for a window.
    ``complete`` is False when there were more than a window reads at once: then everything
    counts as changed."""

    events: tuple[dict[str, Any], ...]
    complete: bool = True

    def _any(self, test: Callable[[dict[str, Any]], bool]) -> bool:
        return not self.complete or any(test(e) for e in self.events)

    @property
    def comments(self) -> bool:
        """Comments were added, split, merged, replaced, removed or excluded (any row that is
        not a coding, the codebook, a coder or quiet)."""
        return self._any(lambda e: e["entity"] not in QUIET | {"coding", "codebook", "coder"})

    @property
    def codebook(self) -> bool:
        return self._any(lambda e: e["entity"] == "codebook")

    @property
    def coders(self) -> bool:
        return self._any(lambda e: e["entity"] == "coder")

    def coded_by(self, actor: str | None = None) -> set[str] | None:
        """Refs of the comments whose codings ``actor`` (None: anyone: a coder in another window,
        a sheet or package imported for them) changed; None: unknown, read them all."""
        if not self.complete:
            return None
        return {
            e["entity_ref"]
            for e in self.events
            if e["entity"] == "coding" and actor in (None, e["actor"])
        }

    def touched(self) -> set[str] | None:
        """Refs whose codings or reconciliation decisions changed (None: unknown, maybe all)."""
        if not self.complete:
            return None
        return {
            e["entity_ref"]
            for e in self.events
            if e["entity"] in ("coding", "reconciliation", "review")
        }

    def described(self) -> list[str]:
        """What changed the comments or the codebook, in words, oldest first (at most 3)."""
        if not self.complete:
            return ["many changes in other windows"]
        said = []
        for e in self.events:
            if e["entity"] not in SAID or (e["entity"], e["action"]) == ("focus_group", "create"):
                continue  # (a group is created by an import, which says so)
            if e["entity"] == "comment":
                said.append(f"{e['entity_ref']} {describe(e, e['entity_ref'])}")
            else:
                what = " ".join(
                    filter(
                        None,
                        (
                            e["entity"].replace("_", " "),
                            e["entity_ref"],
                            DONE.get(e["action"], e["action"]),
                        ),
                    )
                )
                said.append(f"{what} {by_whom(e)}")
        return said[:3] + ([f"and {len(said) - 3} more"] if len(said) > 3 else [])


class ProjectWatch:
    """Whether other connections committed since the last :meth:`poll`, and what."""

    LIMIT = 500  # audit rows read at once; more and everything counts as changed

    def __init__(self, store: Store):
        self.store = store
        store.own_audit_ids()  # from now on the store remembers the rows it writes
        self.mark = store.audit_mark()
        self.version = store.data_version()

    def poll(self) -> Changes | None:
        """None if no other connection committed; else what they did."""
        # The mark first: if data_version has not moved after it was read, no other
        # connection committed before then, so the rows up to it are this connection's own.
        mark = self.store.audit_mark()
        version = self.store.data_version()
        own = self.store.own_audit_ids()
        if version == self.version:
            self._took_in(max(self.mark, mark), own)
            return None
        self.version = version
        rows = self.store.audit_since(self.mark, self.LIMIT + 1)
        if len(rows) > self.LIMIT:
            self._took_in(self.store.audit_mark(), own)
            return Changes((), complete=False)
        # Another thread of this process (a worker) commits through its own connection: its
        # rows are this window's own doing, as are rows written here before a commit elsewhere.
        events = tuple(row for row in rows if row["id"] not in own)
        self._took_in(rows[-1]["id"] if rows else self.mark, own)
        return Changes(events) if events else None

    def _took_in(self, mark: int, own: set[int]) -> None:
        self.mark = mark
        own.difference_update([i for i in list(own) if i <= mark])
