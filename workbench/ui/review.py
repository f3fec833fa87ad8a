"""The review screen: the reconciliation screen walking the agreed codings a model contradicts.

Opened by ``workbench reconcile PROJECT --review --as NAME`` on a
:class:`~workbench.reconcile.review.Review`: each comment of the queue shows the agreed
coding beside the coding of the model that never saw its focus group, with the model's
probabilities and the reason it was queued. ``A`` keeps the agreed coding, ``B`` takes
the model's, the coding keys edit the agreed coding (``E`` its exemplar mark), ``N``
writes the rationale and ``D`` defers; every decision commits at once through
:class:`Review`, moves on like a reconciliation decision, and ``ctrl+z`` undoes it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding

from workbench.coding.session import Coding
from workbench.plain import printable
from workbench.reconcile.consensus import Item
from workbench.reconcile.review import Review, ReviewItem
from workbench.ui.reconcile import ReconcileScreen
from workbench.ui.reconcile_panes import DecisionPane


class ReviewDecisionPane(DecisionPane):
    """The decision pane with the model's probabilities where the coders' memos would be."""

    def more_rows(self, table: Table, item: Item, a: Coding | None, b: Coding | None) -> None:
        assert isinstance(item, ReviewItem), "a review's queue holds review items"
        s = item.suggestion
        p = Text(
            f"{printable(self.category_names.get(s['category'], s['category']))} {s['category_p']:.2f}\n"
        )
        for key, prob in s["themes"]:
            p.append(f"{printable(self.theme_names.get(key, key))} {prob:.2f}\n")
        p.append(f"queued at p = {item.confidence:.2f}", style="dim")
        table.add_row("p", "", p, "")


class ReviewScreen(ReconcileScreen):
    BINDINGS = [
        Binding("A", "take(0)", "Keep", id="review.keep"),
        Binding("B", "take(1)", "Take model", id="review.take_model"),
    ]
    TAKE_IDS = ("review.keep", "review.take_model")
    LOADING = " Reading the review queue…"
    EMPTY = (
        " Nothing to review: the model contradicts no agreed coding with the confidence the review "
        "queue was made with."
    )
    COLUMN = "agreed now"
    DECIDED = "decided"
    PANE = ReviewDecisionPane
    rec: Review  # the screen's reconciliation is a review

    def __init__(self, review: Review):
        super().__init__(review)

    def heading(self) -> str:
        return f"reviewing the agreed coding against {self.rec.model}"

    def take_labels(self) -> tuple[str, str]:
        return "keep the agreed coding", f"take {self.rec.model}'s"


class PrecodeScreen(ReviewScreen):
    """The same screen over a model's pre-codes: ``A`` keeps the pre-code (it becomes the agreed
    coding, marked as the model's), ``B`` returns the comment to the coders, the coding keys
    code it otherwise; each decision audited and undone by ``ctrl+z``."""

    BINDINGS = [
        Binding("A", "take(0)", "Keep pre-code", id="precode.keep"),
        Binding("B", "take(1)", "Return to coders", id="precode.return"),
    ]
    TAKE_IDS = ("precode.keep", "precode.return")
    LOADING = " Reading the pre-codes…"
    EMPTY = " No pre-codes to review (`workbench suggest precode PROJECT` makes them)."
    COLUMN = "pre-code"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """``B`` (return the comment to the coders) works on every pre-code: nothing is taken."""
        if action == "take" and parameters and parameters[0] == 1:
            return self.item is not None
        return super().check_action(action, parameters)

    def heading(self) -> str:
        return f"reviewing the pre-codes of {self.rec.model}"

    def take_labels(self) -> tuple[str, str]:
        return "keep the pre-code", "return it to the coders"
