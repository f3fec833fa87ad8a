"""Who the window codes or decides as, from the home screen: code (``c``), switch to another
coder while blind (``C``), act as lead after the blindness rule is stated (``L``), reconcile
two coders (``R``).

:class:`CoderFlow` is a small controller with declared inputs (the store, and the home screen
it asks through, with a dialog or a notice, and posts to): it asks the names, then the app
opens the coding or reconciliation screen (``start_coding``, ``start_reconciling``) or leaves
blind coding (``act_as_lead``), and it posts :class:`ActingAsLead` so the home screen shows
every coder's work again. Whether a key works at all (blind, served, two coders) is the
screen's ``check_action``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from workbench.store import Store
    from workbench.ui.kept import WorkbenchScreen


class ActingAsLead(Message):
    """The window left blind coding: every coder's progress shows again."""


class CoderFlow:
    """The dialogs that choose whom the home screen's window codes or decides as."""

    def __init__(self, store: Store, screen: WorkbenchScreen) -> None:
        self.store, self.screen = store, screen

    def lead(self, blind: str) -> None:
        """Ask ``blind``, the coder this window codes as, to act as lead, stating the rule."""
        from workbench.ui.dialogs import Confirm

        app = self.screen.app
        coded = app.coded_here() or [blind]
        names = " and ".join(coded)

        def answered(yes: bool | None) -> None:
            if yes:
                app.act_as_lead()
                self.screen.post_message(ActingAsLead())
                self.screen.notify(
                    "Acting as lead: every coder's progress shows; R reconciles, t shows the tables."
                )

        app.push_screen(
            Confirm(
                f"You coded as {names} in this window. Reconciling shows every coder's codings; do it only "
                f"once {names}'s first pass is done. Continue as lead?"
            ),
            answered,
        )

    def switch_coder(self, blind: str) -> None:
        """Ask which coder to code as next (the window stays blind: no other name offered)."""
        from workbench.ui.dialogs import Prompt

        app = self.screen.app

        def chosen(name: str | None) -> None:
            if name and name.strip():
                app.start_coding(name.strip())

        # While blind, the other coders' names are not offered.
        app.push_screen(
            Prompt(
                f"Code as another coder (you coded as {blind}). The coding screen shows only that "
                "coder's codings, and this window stays blind to everyone else's.",
                placeholder="coder name",
            ),
            chosen,
        )

    def code(self, blind: str | None) -> None:
        """Code as ``blind`` (or, served, as the signed-in user), else as the name asked for."""
        from workbench.coding.coder import coder_names
        from workbench.ui.dialogs import Prompt

        app = self.screen.app
        own = blind or getattr(app, "user", None)
        if (
            own
        ):  # back to one's own coding (served, a lead codes as themselves); no other name offered
            app.start_coding(own)
            return
        names = coder_names(self.store)
        hint = f"existing: {', '.join(names)}" if names else "a new name starts a new coder"

        def chosen(name: str | None) -> None:
            if name and name.strip():
                app.start_coding(name.strip())

        app.push_screen(Prompt(f"Code as ({hint})", placeholder="your coder name"), chosen)

    def reconcile(self) -> None:
        """Ask the two coders (and, in a terminal, who decides), then reconcile them."""
        from workbench.coding.coder import coder_names
        from workbench.ui.dialogs import Prompt

        app = self.screen.app
        names = coder_names(self.store)

        user = getattr(app, "user", None)  # served: the signed-in lead decides, as themselves

        def chosen(answer: str | None) -> None:
            parts = (answer or "").split() + ([user] if user else [])
            if len(parts) != 3:
                if answer:
                    self.screen.notify(
                        "Give "
                        + (
                            "two names: coder A and coder B"
                            if user
                            else "three names: coder A, coder B, and who decides"
                        ),
                        severity="warning",
                    )
                return
            app.start_reconciling(*parts)

        app.push_screen(
            Prompt(
                f"Reconcile: coder A, coder B{'' if user else ', your name'} "
                f"(coders: {', '.join(names)})",
                f"{names[0]} {names[1]} ",
                "ana ben" if user else "ana ben lead",
            ),
            chosen,
        )
