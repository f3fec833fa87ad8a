"""What one app window opens its working screens on: the coding session, reconciliation or
review it keeps (``app.sessions``, a ``KeptSessions``: undo outlives a visit to their screen),
found again or started, with the question and the messages that go with it.

:class:`SessionOpener` is the app's part with declared inputs (the app it opens the screens
in, asks through and notifies): a coder name the project has not seen starts a new coder only
after the user confirms (naming only this window's coders while blind; never asked served,
where the name is the account's); a kept coding session is read again, and dropped if its
coder was renamed or removed since; once someone codes, the window codes as them
(``app.coder``: blind to the other coders). The app's ``start_coding``, ``start_reconciling``
and ``start_reviewing`` are these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.ui.kept import CodingKey, ReconcileKey, ReviewKey

if TYPE_CHECKING:
    from workbench.coding.session import CodingSession
    from workbench.ui.app import WorkbenchApp


class SessionOpener:
    """Opens the coding, reconciliation and review screens of one app window."""

    def __init__(self, app: WorkbenchApp) -> None:
        self.app = app

    def start_coding(self, coder: str, at: str | None = None, new: bool = False) -> None:
        """The coding screen for ``coder`` (on the comment ``at``, a ref, if given). A name the
        project has not seen starts a new coder only once the user says so (``new``)."""
        from workbench.coding.session import CodingSession
        from workbench.errors import WorkbenchError
        from workbench.ui.coding import CodingScreen

        if self.app.served_refuses("code", coder):
            return
        if (
            not new
            and self.app.role is None
            and not self.app.mode
            and self._ask_new_coder(coder, at)
        ):
            return
        try:
            session = self._kept_session(coder)
            if session is None and self.app.mode:
                from workbench.evidence.blind import blind_session

                session = blind_session(self.app.store, coder, self.app.mode)
            elif session is None:
                session = CodingSession.start(self.app.store, coder)
        except WorkbenchError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.app.sessions.coding[CodingKey(coder, self.app.mode)] = session
        self.app.coder = session.coder.person or session.coder.name
        self.app.push_screen(CodingScreen(session, at=at))

    def _ask_new_coder(self, coder: str, at: str | None) -> bool:
        """Whether ``coder`` is a name the project has not seen: then ask before starting a new
        coder ("Start a new coder 'anna'? Coders: ana, ben"). While this window codes blind, only
        the names it coded as are named. Served, never asked: the name is the signed-in account's."""
        from workbench.coding.coder import NewCoderName, check_new
        from workbench.errors import WorkbenchError
        from workbench.ui.dialogs import Confirm

        try:
            check_new(
                self.app.store, coder, among=self.app.coded_here() if self.app.coder else None
            )
        except NewCoderName as exc:
            label = "This window coded as" if self.app.coder else "Coders"
            coders = f" {label}: {', '.join(exc.coders)}." if exc.coders else ""
            near = (
                f" Note: {exc.name!r} is one letter away from "
                + " and ".join(map(repr, exc.near))
                + "."
                if exc.near
                else ""
            )
            name = exc.name  # (exc is unbound once the except block ends)
            self.app.push_screen(
                Confirm(f"Start a new coder {name!r}?{coders}{near}"),
                lambda yes: self.start_coding(name, at, new=True) if yes else None,
            )
            return True
        except WorkbenchError as exc:
            self.app.notify(str(exc), severity="error")
            return True
        return False

    def _kept_session(self, coder: str) -> CodingSession | None:
        """The session this window coded as ``coder`` in (same undo stack), read again; None if
        none, or if that coder was renamed or removed since (``workbench coders``)."""
        from workbench.errors import WorkbenchError

        session = self.app.sessions.coding.get(CodingKey(coder, self.app.mode))
        if session is None:
            return None
        try:
            session.refresh()
        except WorkbenchError:
            return None
        return session if (session.coder.person or session.coder.name) == coder else None

    def start_reconciling(
        self, coder_a: str, coder_b: str, actor: str, at: str | None = None
    ) -> None:
        from workbench.errors import WorkbenchError
        from workbench.reconcile.consensus import Reconciliation
        from workbench.ui.reconcile import ReconcileScreen

        if self.app.served_refuses("reconcile"):
            return
        try:
            key = ReconcileKey(coder_a, coder_b, actor)
            reconciliation = self.app.sessions.reconciling.get(key) or Reconciliation(
                self.app.store, coder_a, coder_b, actor
            )
        except WorkbenchError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.app.sessions.reconciling[key] = reconciliation
        self.app.push_screen(ReconcileScreen(reconciliation, at=at))

    def start_reviewing(self, actor: str) -> None:
        """The reconciliation screen on the review queue of the newest model."""
        if self.app.served_refuses("review"):
            return
        from workbench.errors import WorkbenchError
        from workbench.reconcile.review import Review
        from workbench.ui.review import ReviewScreen

        try:
            review = Review(self.app.store, actor, queue=self.app.review_queue)
        except WorkbenchError as exc:
            self.app.notify(str(exc), severity="error")
            return
        key = ReviewKey(self.app.review_queue, review.model_id, actor)
        self.app.sessions.reviews[key] = review = self.app.sessions.reviews.get(key) or review
        if self.app.review_queue == "precode":
            from workbench.ui.review import PrecodeScreen

            self.app.push_screen(PrecodeScreen(review))
            return
        self.app.push_screen(ReviewScreen(review))
