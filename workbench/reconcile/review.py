"""A second look at the agreed coding: walking the review queue a model raised.

``workbench suggest review`` ranks the agreed codings that the cross-validated model
contradicts and stores them as a queue with the model (``store.review_items``).
:class:`Review` walks that queue with the interface of :class:`Reconciliation` that the
reconciliation screen uses, so the same screen (and ``workbench reconcile --review``)
serves both. Each item shows two codings: ``agreed`` (the agreed coding as it stood
when the walk began) and ``model N`` (what the model coded the comment as when it had
not seen its focus group), with the reason and probabilities from the queue.

Decisions, each one transaction recorded with the item (``store.decide_review``):

* taking ``agreed`` keeps it (``kept``; an edit made earlier in the walk is undone);
* taking ``model N`` makes the model's category and themes the agreed coding, marked
  as taken from that model (``suggested_by``), and is ``changed``;
* editing with the coding keys is ``changed`` (``kept`` if the edit ends where the
  agreed coding was);
* deferring is ``deferred``.

A change of the agreed coding goes through :func:`write_coding` (audit action
``review``, the note giving the model's probabilities and the rationale); keeping,
deferring and rationales are audited on the review item. Each decision checks, inside its
transaction, the comment's words (``coding.seen``) and that the agreed coding is the one the
screen shows; else it is refused, writing nothing. This module reads the queue
from the store only: it never needs the model (``workbench.suggest``) itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from workbench.coding.coder import AGREED
from workbench.coding.record import same_coding
from workbench.coding.seen import StaleView
from workbench.coding.session import Coding, codings_by_comment, write_coding
from workbench.errors import WorkbenchError
from workbench.reconcile.consensus import Item, check_agreed
from workbench.reconcile.history import Undoable
from workbench.store import Store
from workbench.store.coding_records import Coder

KEPT, CHANGED, DEFERRED = "kept", "changed", "deferred"
REVIEW, PRECODE = "review", "precode"  # the two queues a model raises


@dataclass
class ReviewItem(Item):
    """One comment of the review queue; ``status`` is its decision (None: open)."""

    confidence: float = 0.0
    kind: str = ""  # what the model contradicts: "category" or "themes"
    # the model's coding with probabilities
    suggestion: dict[str, Any] = field(default_factory=dict)


def same_codes(a: Coding | None, b: Coding | None) -> bool:
    """Same category and theme set (flags and memos aside)."""
    a, b = a or Coding(), b or Coding()
    return a.category == b.category and set(a.themes) == set(b.themes)


class Review(Undoable):
    """The review queue of one model (by default the newest model of the current codebook);
    its decisions can be undone, newest first (``reconcile.history``)."""

    ENTITY = "review"

    def __init__(self, store: Store, actor: str, model_id: int | None = None, queue: str = REVIEW):
        self.store = store
        self.actor = actor
        self.which = queue
        if model_id is None:
            codebook = store.active_codebook()
            current = codebook["sha256"] if codebook else None
            models = [m["id"] for m in store.models() if m["codebook_sha256"] == current]
            if not models:
                raise WorkbenchError(
                    "no model for this project's codebook, so no review queue: "
                    "`workbench suggest train PROJECT`, then `workbench suggest review PROJECT`"
                )
            model_id = models[-1]
        elif model_id not in {m["id"] for m in store.models()}:
            raise WorkbenchError(f"no model {model_id} in this project")
        self.model_id = model_id
        self.model = f"model {model_id}"
        # A pre-code is the model's: A keeps it, B returns the comment to people.
        self.names = [self.model, AGREED] if queue == PRECODE else [AGREED, self.model]
        self.agreed_coder = store.coder_named(AGREED)

    # -- reading -----------------------------------------------------------------

    def items(self) -> list[ReviewItem]:
        """The queue in rank order, each item with the agreed coding and the model's."""
        agreed = codings_by_comment(self.store, self.agreed_coder.id) if self.agreed_coder else {}
        items = []
        for row in self.store.review_items(self.model_id, self.which):
            s = row["suggestion"]
            model = Coding(s["category"], tuple(t for t, _p in s["themes"]))
            now = agreed.get(row["comment_id"])
            items.append(
                ReviewItem(
                    row["comment_id"],
                    row["ref"],
                    row["group_id"],
                    {name: {AGREED: now, self.model: model}[name] for name in self.names},
                    (row["reason"],),
                    now,
                    row["decision"],
                    row["rationale"] or "",
                    confidence=row["confidence"],
                    kind=s.get("reason", ""),
                    suggestion=s,
                )
            )
        return items

    def queue(self) -> list[ReviewItem]:
        """Every item of the queue, decided or not (the screen walks them all)."""
        return self.items()

    def progress(self) -> dict[str, int]:
        items = self.items()
        return {
            "queued": len(items),
            **{d: sum(1 for i in items if i.status == d) for d in (KEPT, CHANGED, DEFERRED)},
            "open": sum(1 for i in items if i.status is None),
        }

    def auto_agree(self) -> int:
        """Nothing to agree automatically: every item is a question about one coding."""
        return 0

    # -- deciding ----------------------------------------------------------------

    def take(self, item: ReviewItem, name: str, rationale: str | None = None) -> Coding | None:
        """Keep the agreed coding (``name`` = ``agreed``) or take the model's; in the pre-code
        queue, keep the pre-code (the model's) or return the comment to people (``agreed``: the
        agreed coding left as it is, None if there is none)."""
        if self.which == PRECODE and name == AGREED:
            return self._return(item, rationale)
        if name == AGREED:
            kept = item.codings[AGREED]
            if kept is None or kept.category is None:
                raise WorkbenchError(
                    f"{item.ref}: there is no agreed coding to keep; take the model's or "
                    "code it with the coding keys"
                )
            return self._record(item, kept, rationale, "kept the agreed coding")
        if name != self.model:
            raise WorkbenchError(f"{item.ref}: take {AGREED!r} or {self.model!r}, not {name!r}")
        chosen = item.codings[self.model]
        if chosen is None:  # never: every item of the queue carries the model's coding
            raise WorkbenchError(f"{item.ref}: {self.model} has no coding of this comment")
        agreed = replace(
            item.agreed or Coding(),
            category=chosen.category,
            themes=chosen.themes,
            suggested_by=self.model_id,
        )
        return self._record(item, agreed, rationale, f"took {self.model}'s coding")

    def decide(
        self,
        item: ReviewItem,
        agreed: Coding,
        rationale: str | None = None,
        note: str | None = None,
    ) -> Coding:
        """Make ``agreed`` (an edit of the agreed coding) the agreed coding of ``item``."""
        return self._record(item, agreed, rationale, note or "edited the agreed coding")

    def defer(self, item: ReviewItem, rationale: str | None = None) -> None:
        """Put the item aside (the agreed coding stays as it is)."""
        rationale = item.rationale if rationale is None else rationale.strip()
        with self.store.transaction():
            step = self._begin(item, "deferred")
            self.store.audit(
                "defer",
                "review",
                item.ref,
                before=item.status,
                after=DEFERRED,
                actor=self.actor,
                note=" | ".join(filter(None, [rationale, self.evidence(item)])),
            )
            self.store.decide_review(
                self.model_id, item.comment_id, DEFERRED, rationale, self.actor
            )
            self._done(step)
        item.status, item.rationale = DEFERRED, rationale

    def note(self, item: ReviewItem, rationale: str) -> None:
        """Change the rationale without changing the decision (an open item stays open)."""
        rationale = rationale.strip()
        with self.store.transaction():
            step = self._begin(item, "wrote the rationale")
            self.store.audit(
                "rationale",
                "review",
                item.ref,
                before=item.rationale,
                after=rationale,
                actor=self.actor,
            )
            self.store.decide_review(
                self.model_id, item.comment_id, item.status, rationale, self.actor
            )
            self._done(step)
        item.rationale = rationale

    def evidence(self, item: ReviewItem) -> str:
        """What the model said, for the audit trail: ``model 3 (held out): effective p = 0.81; ...``."""
        s = item.suggestion
        themes = ", ".join(f"{t} p = {p:.2f}" for t, p in s.get("themes", []))
        return (
            f"{self.model} (its group held out): {s.get('category')} p = {s.get('category_p', 0):.2f}"
            + (f"; themes {themes}" if themes else "")
            + f"; {item.reasons[0]}"
        )

    # -- internals ---------------------------------------------------------------

    def _record(self, item: ReviewItem, agreed: Coding, rationale: str | None, what: str) -> Coding:
        rationale = item.rationale if rationale is None else rationale.strip()
        reference = item.codings[self.model] if self.which == PRECODE else item.codings[AGREED]
        decision = KEPT if same_codes(agreed, reference) else CHANGED
        note = " | ".join(filter(None, [what, rationale, self.evidence(item)]))
        with self.store.transaction():
            step = self._begin(item, what)
            before = self._stored_coding(item)
            if not same_coding(before, item.agreed or Coding()):  # the screen shows another coding
                raise StaleView(
                    f"{item.ref}: the agreed coding changed in another window since "
                    "this queue was read. Nothing was written; the queue is read "
                    "again."
                )
            check_agreed(self.store, item.ref, agreed, before)  # before the agreed coder is made
            coder = self._agreed_coder()
            if agreed != before:
                write_coding(
                    self.store,
                    coder,
                    item.comment_id,
                    item.ref,
                    before,
                    agreed,
                    "review",
                    actor=self.actor,
                    note=note,
                )
            else:
                self.store.audit(
                    "review",
                    "review",
                    item.ref,
                    before=item.status,
                    after=decision,
                    actor=self.actor,
                    note=note,
                )
            self.store.decide_review(
                self.model_id, item.comment_id, decision, rationale, self.actor
            )
            self._done(step)
        item.agreed, item.status, item.rationale = agreed, decision, rationale
        return agreed

    def _return(self, item: ReviewItem, rationale: str | None) -> Coding | None:
        """A pre-code not taken: the agreed coding left as it is (none), the comment left for
        people (``changed``); the model coder's coding stays the model's, as any model coder's."""
        rationale = item.rationale if rationale is None else rationale.strip()
        note = " | ".join(filter(None, ["returned to the coders", rationale, self.evidence(item)]))
        with self.store.transaction():
            step = self._begin(item, "returned the comment to the coders")
            self.store.audit(
                "review",
                "review",
                item.ref,
                before=item.status,
                after=CHANGED,
                actor=self.actor,
                note=note,
            )
            self.store.decide_review(self.model_id, item.comment_id, CHANGED, rationale, self.actor)
            self._done(step)
        item.status, item.rationale = CHANGED, rationale
        return item.agreed

    def _decision_row(self, item: Item) -> dict[str, Any] | None:
        return self.store.review_decision(self.model_id, item.comment_id)

    def _restore_row(self, item: Item, row: dict[str, Any] | None) -> None:
        if row is not None:  # None: the item is gone (its model deleted), nothing to put back
            self.store.restore_review_decision(self.model_id, item.comment_id, row)

    def _agreed_coder(self) -> Coder:
        if self.agreed_coder is None:
            self.agreed_coder = self.store.coder_named(AGREED) or self.store.add_coder(
                AGREED, "agreed"
            )
        return self.agreed_coder
