"""What one app window keeps between visits to its working screens, typed: the coding
sessions, reconciliations and reviews it opened (their undo stacks outlive a visit), one
field per kind, each keyed by a small frozen key; and :class:`WorkbenchScreen` and
:class:`WorkbenchModal`, the bases of the app's screens and dialogs, whose ``self.app`` is typed
as :class:`~workbench.ui.app.WorkbenchApp`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:  # the sessions' modules load with their screens, not with the app
    from workbench.coding.session import CodingSession
    from workbench.reconcile.consensus import Reconciliation
    from workbench.reconcile.review import Review
    from workbench.suggest.similar import Similarity
    from workbench.ui.app import WorkbenchApp

#: What a dialog gives back when it is dismissed.
ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class CodingKey:
    """One coder's coding, in the study (``mode`` None) or a blind mode ("training", "retest")."""

    coder: str
    mode: str | None


@dataclass(frozen=True)
class ReconcileKey:
    """Two coders' reconciliation, decided by ``actor``."""

    coder_a: str
    coder_b: str
    actor: str


@dataclass(frozen=True)
class ReviewKey:
    """A model's queue ("review" or "precode"), walked by ``actor``."""

    queue: str
    model_id: int
    actor: str


@dataclass
class KeptSessions:
    """The sessions this window opened, one dict per kind."""

    coding: dict[CodingKey, CodingSession] = field(default_factory=dict)
    reconciling: dict[ReconcileKey, Reconciliation] = field(default_factory=dict)
    reviews: dict[ReviewKey, Review] = field(default_factory=dict)
    #: The index "more like this" (``ui.similar``) finds in, with what it was built from (the
    #: model's id, the comments): built on first use, again once they change.
    similar: tuple[object, Similarity] | None = None

    def coders(self) -> list[str]:
        """Whom this window has coded as (study coders and blind modes alike)."""
        return sorted({key.coder for key in self.coding}, key=str.lower)


class WorkbenchScreen(Screen):
    """A screen of this app: ``self.app`` is the :class:`WorkbenchApp` (its store, sessions,
    ``start_coding``, ``leave_to_home``...), typed so for the type checker the way Textual
    types its own (``textual.getters.app``); at run time it is Textual's property."""

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def leave_gone(self, what: str) -> None:
        """Go back from a screen whose subject (a focus group, a comment) another window removed
        between the list being read and this screen opening, saying so (never end the app)."""
        self.notify(
            f"{what} is no longer in the project (removed in another window?).", severity="warning"
        )

        def back() -> None:  # (not awaited: a screen may not await its own dismissal)
            if self.is_current:
                self.app.pop_screen()

        self.call_after_refresh(back)


class WorkbenchModal(ModalScreen[ResultT]):
    """A dialog of this app, giving back a ``ResultT``: ``self.app`` is typed as the
    :class:`WorkbenchApp`, as :class:`WorkbenchScreen`'s is."""

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)
