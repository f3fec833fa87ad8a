"""Undoing reconciliation decisions, newest first, and redoing what was undone.

:class:`Reconciliation` and :class:`~workbench.reconcile.review.Review` remember each
decision made through them (take a coding, edit the agreed coding, defer, write a
rationale) with what it replaced: the agreed coding and the stored decision row
(``reconciliations``, or the review item's decision). :meth:`Undoable.undo` puts both
back in one transaction, audited as ``undo`` with what was undone; :meth:`Undoable.redo`
makes the undone decision again, audited as ``redo``, until a new decision is made (as in
an editor). A comment decided again since (in another window), or whose words changed since
the decision (``coding.seen``), is left as it is: undo and redo refuse, changing nothing.

Every decision begins (:meth:`Undoable._begin`, inside its transaction) by checking that the
comment still has the words the screen showed: a comment split, merged, replaced or removed
in another window is refused (``coding.seen.CommentChanged``), and the screen reads the
queue again.

The history lives as long as the object: the app keeps one per reconciliation it
opened, so leaving the screen and coming back keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.coding.coder import AGREED
from workbench.coding.seen import CommentChanged, Seen
from workbench.coding.session import Coding, from_row, write_coding
from workbench.errors import CodingRuleError, WorkbenchError
from workbench.store import Store
from workbench.store.coding_records import Coder

if TYPE_CHECKING:  # consensus imports this module
    from workbench.reconcile.consensus import Item


@dataclass
class Step:
    """One decision and what it replaced."""

    item: Item  # the queue item it was made on
    what: str  # what the decision did, for the audit trail
    coding: Coding  # the stored agreed coding before (Coding(): none)
    agreed: Coding | None  # the item's agreed coding before
    status: str | None  # the item's state before
    rationale: str
    row: dict[str, Any] | None  # the stored decision row before
    after: Coding = Coding()  # what the decision left stored
    after_row: dict[str, Any] | None = None
    # the item's (agreed, status, rationale) the decision left (for redo; set by undo)
    after_item: tuple[Coding | None, str | None, str] = (None, None, "")
    words: bytes | None = None  # the digest of the comment's words it was made on (coding.seen)

    @property
    def comment_id(self) -> int:
        return self.item.comment_id


class Undoable:
    """Mixed into a class with ``store``, ``actor`` and ``agreed_coder`` that says how its
    decision rows are read and written back (:meth:`_decision_row`, :meth:`_restore_row`)."""

    ENTITY = "reconciliation"  # the audit rows' entity
    store: Store
    actor: str
    agreed_coder: Coder | None

    @property
    def seen(self) -> Seen:
        """The comments the screen showed (``seen.context``): every decision checks their words."""
        if not hasattr(self, "_seen"):
            self._seen = Seen(self.store)
        return self._seen

    @property
    def history(self) -> list[Step]:
        if not hasattr(self, "_history"):
            self._history: list[Step] = []
        return self._history

    @property
    def undone(self) -> list[Step]:
        """Steps undone, newest last: what :meth:`redo` makes again."""
        if not hasattr(self, "_undone"):
            self._undone: list[Step] = []
        return self._undone

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)

    def _decision_row(self, item: Item) -> dict[str, Any] | None:
        raise NotImplementedError

    def _restore_row(self, item: Item, row: dict[str, Any] | None) -> None:
        raise NotImplementedError

    def _stored_coding(self, item: Item) -> Coding:
        # The agreed coder may have been made by another window since this one started.
        coder = self.agreed_coder = self.agreed_coder or self.store.coder_named(AGREED)
        return from_row(self.store.coding(coder.id, item.comment_id)) if coder else Coding()

    def _begin(self, item: Item, what: str) -> Step:
        """What a decision is about to replace (call inside its transaction, before writing),
        once the comment is checked to have the words shown."""
        _ref, words = self.seen.check(item.comment_id)
        return Step(
            item,
            what,
            self._stored_coding(item),
            item.agreed,
            item.status,
            item.rationale,
            self._decision_row(item),
            words=words,
        )

    def _done(self, step: Step) -> None:
        """The decision is written (inside its transaction): remember what it left."""
        step.after, step.after_row = self._stored_coding(step.item), self._decision_row(step.item)
        self.history.append(step)
        self.undone.clear()  # a new decision: what was undone before it is no longer redone

    def undo(self) -> Step | None:
        """Undo the newest decision: its comment's agreed coding and decision as they were
        before it. Returns the step undone (None: nothing to undo)."""
        if not self.history:
            return None
        step = self.history.pop()
        item = step.item
        step.after_item = (item.agreed, item.status, item.rationale)
        self._replay(step, "undo", step.after, step.after_row, step.coding, step.row)
        item.agreed, item.status, item.rationale = step.agreed, step.status, step.rationale
        self._after_replay(item)
        self.undone.append(step)
        return step

    def redo(self) -> Step | None:
        """Make the newest undone decision again (None: nothing to redo)."""
        if not self.undone:
            return None
        step = self.undone.pop()
        self._replay(step, "redo", step.coding, step.row, step.after, step.after_row)
        step.item.agreed, step.item.status, step.item.rationale = step.after_item
        self._after_replay(step.item)
        self.history.append(step)
        return step

    def _after_replay(self, item: Item) -> None:
        """Read what an undo or redo changed about ``item`` beyond its decision (a
        reconciliation: whether it is changed since reconciled again)."""

    def _replay(
        self,
        step: Step,
        action: str,
        coding: Coding,
        row: dict[str, Any] | None,
        to: Coding,
        to_row: dict[str, Any] | None,
    ) -> None:
        """Put ``step``'s comment from (``coding``, ``row``) back to (``to``, ``to_row``) in one
        transaction, audited as ``action``; refused, changing nothing, if the comment is not
        as ``step`` left it (decided again in another window); the step is then dropped."""
        item = step.item
        verb = "undid" if action == "undo" else "redid"
        if self.agreed_coder is None:  # never: the step's decision made the agreed coder
            raise WorkbenchError(f"Nothing to {action}: this project has no agreed coder")
        with self.store.transaction():
            try:
                self.seen.check(item.comment_id, step.words)
            except CommentChanged as exc:
                raise CommentChanged(exc.ref, f"Nothing to {action}: {exc}") from None
            now = self._stored_coding(item)
            if now != coding or self._decision_row(item) != row:
                raise WorkbenchError(
                    f"{item.ref} was decided again since (in another window): "
                    "its decision is left as it is"
                )
            if now != to:
                try:  # the codebook's rule: e.g. a code retired since the step was made
                    self.store.codebook().check(to, now)
                except CodingRuleError as exc:
                    raise CodingRuleError(f"cannot {action} on {item.ref}: {exc}") from None
                write_coding(
                    self.store,
                    self.agreed_coder,
                    item.comment_id,
                    item.ref,
                    now,
                    to,
                    action,
                    actor=self.actor,
                    note=f"{verb}: {step.what}",
                )
            self._restore_row(item, to_row)
            self.store.audit(
                action,
                self.ENTITY,
                item.ref,
                before=_state(row),
                after=_state(to_row),
                actor=self.actor,
                note=f"{verb}: {step.what}",
            )


def _state(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A decision row as the audit trail shows it."""
    if row is None:
        return None
    return {"status": row.get("status", row.get("decision")), "rationale": row.get("rationale", "")}
