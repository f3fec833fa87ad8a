"""Reconciliation: from two coders' independent codings to one agreed coding.

The agreed coding is stored as the coding of the reserved ``agreed`` coder; each
comment's reconciliation state (``auto``, ``resolved``, ``deferred``,
``imported``) and rationale is in ``reconciliations``. Every decision is one
transaction with an audit row (who, when, agreed coding before and after, the
rationale, and what each coder had).

* Comments both coders coded identically (category, theme set and exemplar mark)
  and neither marked "not sure" become agreed automatically, marked ``auto``.
* Everything else is a decision to make: category or theme set differ, one coder
  flagged "not sure", only one marked the comment an exemplar quote (one coder's star
  must not become the paper's exemplar unseen), or only one coder coded the comment —
  that shows as *missing*, never as agreement.

Decisions made through one :class:`Reconciliation` can be undone, newest first
(:class:`~workbench.reconcile.history.Undoable`). A decision is made on what the screen
shows: inside its transaction it checks the comment's words (``coding.seen``), both coders'
codings and the agreed coding against the queue the screen read, and refuses, writing
nothing, when another window changed any of them (:class:`~workbench.coding.seen.StaleView`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.coding.coder import AGREED
from workbench.coding.record import same_coding
from workbench.coding.seen import StaleView
from workbench.coding.session import Coding, codings_by_comment, from_row, write_coding
from workbench.errors import WorkbenchError
from workbench.reconcile.history import Undoable
from workbench.store import Store


@dataclass
class Item:
    """One comment in the reconciliation queue."""

    comment_id: int
    ref: str
    group_id: int
    codings: dict[str, Coding | None]  # coder → coding (None: not coded)
    reasons: tuple[str, ...]  # "category", "themes", "missing", "not sure"
    agreed: Coding | None = None
    status: str | None = None  # None (open), "auto", "resolved", "deferred", "imported"
    rationale: str = ""

    @property
    def open(self) -> bool:
        return self.status in (None, "deferred")


def differences(a: Coding | None, b: Coding | None) -> tuple[str, ...]:
    """Why two codings of one comment need reconciling (empty: they agree)."""
    if a is None or b is None or a.category is None or b.category is None:
        return ("missing",)
    reasons = []
    if a.category != b.category:
        reasons.append("category")
    if set(a.themes) != set(b.themes):
        reasons.append("themes")
    if a.unsure or b.unsure:
        reasons.append("not sure")
    if a.exemplar != b.exemplar:
        reasons.append("exemplar")
    return tuple(reasons)


class Reconciliation(Undoable):
    """Two coders' codings side by side and the agreed coding being built from them."""

    def __init__(self, store: Store, coder_a: str, coder_b: str, actor: str):
        self.store = store
        self.actor = actor
        coders = []
        for name in (coder_a, coder_b):
            coder = store.coder_named(name)
            if coder is None or coder["kind"] != "coder":
                names = ", ".join(c["name"] for c in store.coders() if c["kind"] == "coder") or "none"
                raise WorkbenchError(f"no coder {name!r} in this project (coders: {names})")
            coders.append(coder)
        if coders[0]["id"] == coders[1]["id"]:
            raise WorkbenchError("reconcile two different coders")
        self.coders = coders
        self.names = [c["name"] for c in coders]
        self.agreed_coder = store.coder_named(AGREED)

    # -- reading -----------------------------------------------------------------

    def items(self) -> list[Item]:
        """Every codable comment with both codings, its reasons and reconciliation state."""
        a, b = (codings_by_comment(self.store, c["id"]) for c in self.coders)
        agreed = codings_by_comment(self.store, self.agreed_coder["id"]) if self.agreed_coder else {}
        states = self.store.reconciliations()
        items = []
        for comment_id, ref, group_id, _transcript, excluded, _role in self.store.comment_index():
            if excluded:
                continue
            first, second = a.get(comment_id), b.get(comment_id)
            if first is None and second is None:
                continue  # nobody coded it yet: nothing to reconcile
            state = states.get(comment_id, {})
            items.append(Item(comment_id, ref, group_id, {self.names[0]: first, self.names[1]: second},
                              differences(first, second), agreed.get(comment_id), state.get("status"),
                              state.get("rationale", "")))
        return items

    def queue(self) -> list[Item]:
        """The comments that need a decision: every disagreement, resolved or not."""
        return [item for item in self.items() if item.reasons]

    def progress(self) -> dict[str, int]:
        items = self.items()
        disagreements = [i for i in items if i.reasons]
        return {
            "compared": len(items),
            "agreed_automatically": sum(1 for i in items if i.status == "auto"),
            "disagreements": len(disagreements),
            "resolved": sum(1 for i in disagreements if i.status in ("resolved", "imported")),
            "deferred": sum(1 for i in disagreements if i.status == "deferred"),
            "open": sum(1 for i in disagreements if i.status is None),
        }

    # -- deciding ----------------------------------------------------------------

    def auto_agree(self) -> int:
        """Record every identical coding as agreed (``auto``); return how many were added."""
        todo = [i for i in self.items() if not i.reasons and i.status is None and i.agreed is None]
        if not todo:
            return 0
        with self.store.transaction():
            coder = self._agreed_coder()
            for item in todo:
                first, second = item.codings.values()
                # Identical by construction (differences() is empty); never a coder's memo or
                # flags, nor the mark of a suggestion one of them accepted.
                agreed = Coding(first.category, first.themes, exemplar=first.exemplar)
                write_coding(self.store, coder, item.comment_id, item.ref, Coding(), agreed, "auto_agree",
                             actor=self.actor, note="identical codings of " + " and ".join(self.names))
                self.store.save_reconciliation(item.comment_id, "auto", "", self.names, self.actor)
        return len(todo)

    def take(self, item: Item, coder_name: str, rationale: str | None = None) -> Coding:
        """Make one coder's coding (without their memo and "not sure" flag) the agreed one."""
        chosen = item.codings[coder_name]
        if chosen is None or chosen.category is None:
            raise WorkbenchError(f"{item.ref}: {coder_name} did not code this comment")
        agreed = Coding(chosen.category, chosen.themes, exemplar=chosen.exemplar)
        return self.decide(item, agreed, rationale, note=f"took {coder_name}'s coding")

    def decide(self, item: Item, agreed: Coding, rationale: str | None = None, note: str | None = None,
               status: str = "resolved") -> Coding:
        """Record ``agreed`` as the agreed coding of ``item`` with a rationale."""
        self._check(agreed)
        rationale = item.rationale if rationale is None else rationale.strip()
        with self.store.transaction():
            step = self._begin(item, note or f"agreed coding {_describe(agreed)}")
            self._unchanged(item)
            coder = self._agreed_coder()
            before = from_row(self.store.coding(coder["id"], item.comment_id))
            context = "; ".join(f"{n}: {_describe(c)}" for n, c in item.codings.items())
            write_coding(self.store, coder, item.comment_id, item.ref, before, agreed, "reconcile",
                         actor=self.actor, note=" | ".join(filter(None, [note, rationale, context])))
            self.store.save_reconciliation(item.comment_id, status, rationale, self.names, self.actor)
            self._done(step)
        item.agreed, item.status, item.rationale = agreed, status, rationale
        return agreed

    def defer(self, item: Item, rationale: str | None = None) -> None:
        """Put a comment aside for the next meeting (keeps any agreed coding so far)."""
        rationale = item.rationale if rationale is None else rationale.strip()
        with self.store.transaction():
            step = self._begin(item, "deferred")
            self.store.save_reconciliation(item.comment_id, "deferred", rationale, self.names, self.actor)
            self.store.audit("defer", "reconciliation", item.ref, before=item.status, after="deferred",
                             actor=self.actor, note=rationale or None)
            self._done(step)
        item.status, item.rationale = "deferred", rationale

    def note(self, item: Item, rationale: str) -> None:
        """Change the rationale of a comment's decision without changing the decision."""
        with self.store.transaction():
            step = self._begin(item, "wrote the rationale")
            self.store.save_reconciliation(item.comment_id, item.status or "deferred", rationale.strip(),
                                           self.names, self.actor)
            self.store.audit("rationale", "reconciliation", item.ref, before=item.rationale,
                             after=rationale.strip(), actor=self.actor)
            self._done(step)
        item.rationale = rationale.strip()
        item.status = item.status or "deferred"

    # -- internals ---------------------------------------------------------------

    def _unchanged(self, item: Item) -> None:
        """Inside a decision's transaction: the coders' codings and the agreed coding are those
        the queue read; else :class:`StaleView` (nothing written, the queue read again)."""
        for coder, name in zip(self.coders, self.names):
            row = self.store.coding(coder["id"], item.comment_id)
            now = from_row(row) if row else None
            if not same_coding(now, item.codings[name]):
                raise StaleView(f"{item.ref}: {name}'s coding changed in another window since this "
                                f"queue was read (now {_describe(now)}). Nothing was written; the "
                                "queue is read again.")
        if not same_coding(self._stored_coding(item), item.agreed or Coding()):
            raise StaleView(f"{item.ref} was decided in another window since this queue was read "
                            f"(agreed coding now {_describe(self._stored_coding(item))}). Nothing "
                            "was written; the queue is read again.")

    def _agreed_coder(self) -> dict:
        if self.agreed_coder is None:
            self.agreed_coder = self.store.coder_named(AGREED) or self.store.add_coder(AGREED, "agreed")
        return self.agreed_coder

    def _check(self, coding: Coding) -> None:
        check_coding(self.store, coding)

    def _decision_row(self, item: Item) -> dict | None:
        return self.store.reconciliation(item.comment_id)

    def _restore_row(self, item: Item, row: dict | None) -> None:
        self.store.restore_reconciliation(item.comment_id, row)


def check_coding(store: Store, coding: Coding) -> None:
    """Refuse an agreed coding the project's codebook does not allow."""
    categories = {c["key"]: c for c in store.categories()}
    themes = {t["key"] for t in store.themes()}
    if coding.category not in categories:
        raise WorkbenchError(f"unknown category {coding.category!r}")
    unknown = set(coding.themes) - themes
    if unknown:
        raise WorkbenchError(f"unknown theme(s) {', '.join(sorted(unknown))}")
    if coding.themes and not categories[coding.category]["takes_themes"]:
        raise WorkbenchError(f"category {categories[coding.category]['name']!r} takes no themes")


def _describe(coding: Coding | None) -> str:
    if coding is None or coding.category is None:
        return "not coded"
    return coding.category + (f" [{', '.join(coding.themes)}]" if coding.themes else "")
