"""Reconciliation at the project's level, outside one screen's queue.

Which two coders the project reconciles (:func:`project_pair`: the pair its decisions name
most, else its two study coders), their counts as they are now (:func:`project_counts`, for
status, the home screen and the methods paragraph), and the lead's correction of one comment's
agreed coding from the whole-transcript view (:func:`correct_agreed`), a decision like any
other made through a :class:`~workbench.reconcile.consensus.Reconciliation`.
"""

from __future__ import annotations

import json

from workbench.coding.coder import AGREED
from workbench.coding.session import Coding, from_row, write_coding
from workbench.errors import WorkbenchError
from workbench.reconcile.consensus import Item, Reconciliation, check_agreed
from workbench.store import Store


def project_pair(store: Store) -> tuple[str, str] | None:
    """The two coders the project reconciles: the pair its decisions name most, else its two
    study coders (None: no such pair)."""
    from collections import Counter

    from workbench.coding.coder import coder_names

    names = {n.lower(): n for n in coder_names(store)}
    decided = (json.loads(r["coders"]) for r in store.reconciliations().values())
    pairs = Counter(
        (c[0], c[1]) for c in decided if len(c) == 2 and all(n.lower() in names for n in c)
    )
    if pairs:
        return pairs.most_common(1)[0][0]
    if len(names) != 2:
        return None
    first, second = names.values()
    return first, second


def project_counts(store: Store) -> dict[str, int] | None:
    """The reconciliation counts of the project's pair (None: no pair), as they are now."""
    pair = project_pair(store)
    return Reconciliation(store, *pair, "").progress() if pair else None


def correct_agreed(
    store: Store, comment_id: int, agreed: Coding, rationale: str | None, actor: str
) -> Coding:
    """The lead corrects the agreed coding of one comment outside the queue (the whole-transcript
    view): a reconciliation decision like any other (audited ``reconcile``, status resolved, its
    basis the coders' codings now), for the pair that reconciled it (else the project's pair)."""
    row = store.reconciliation(comment_id)
    named = json.loads(row["coders"]) if row else []
    if len(named) == 2 and all(store.coder_named(n) for n in named):
        pair: tuple[str, str] | None = (named[0], named[1])
    else:
        pair = project_pair(store)
    comment = store.comment(comment_id)
    if comment is None:
        raise WorkbenchError(f"comment {comment_id} no longer exists")
    note = "corrected from the whole-transcript view"
    if pair:
        rec = Reconciliation(store, *pair, actor)
        item = Item(comment_id, comment.ref, comment.group_id, {}, ())
        rec.refresh(item)
        return rec.decide(item, agreed, rationale, note=note)
    with store.transaction():  # no pair of coders (an imported agreed coding): the decision alone
        coder = store.coder_named(AGREED) or store.add_coder(AGREED, "agreed")
        before = from_row(store.coding(coder.id, comment_id))
        check_agreed(store, comment.ref, agreed, before)  # a refusal rolls the coder back too
        write_coding(
            store,
            coder,
            comment_id,
            comment.ref,
            before,
            agreed,
            "reconcile",
            actor=actor,
            note=" | ".join(filter(None, [note, rationale])),
        )
        store.save_reconciliation(comment_id, "resolved", (rationale or "").strip(), [], actor)
    return agreed
