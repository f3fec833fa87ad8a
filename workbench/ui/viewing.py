"""What the reading screens (whole transcript, themes, memos) share: whose coding they show,
and going from a comment to coding it.

Whose coding: while the app codes blind (``app.coder``), only that coder's own; otherwise
the agreed coding first (if there is one) and ``w`` for the next coder's
(:func:`workbench.coding.views.visible_codings`). The key is neither shown nor run while
blind.

Only some participants (``F``, :class:`AttributeFilter`): conditions on attributes such as
``site=Leeds``, as ``--where`` takes them; while blind, an attribute hidden from blind coders
is refused.

Coding a comment (:func:`code_comment`): back to the coding screen below, moved to it; or,
from home, the coding screen opened on it for the app's coder (a lead not yet coding is
asked as whom, as the home screen's ``c`` asks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from workbench.coding.views import Whose, visible_codings
from workbench.ui.kept import WorkbenchScreen

if TYPE_CHECKING:
    from workbench.store import Store

WHOSE_KEY = "w"


def whose_binding(prefix: str) -> Binding:
    return Binding(WHOSE_KEY, "whose", "Whose codes", id=f"{prefix}.whose")


class WhoseCoding(WorkbenchScreen):
    """Base of a reading screen: ``self.whose`` (the coding shown, or None when nobody has
    coded) and ``action_whose``; the screen implements ``show_whose()`` to redraw."""

    whose_list: list[Whose] = []  # replaced (never changed in place) by init_whose
    whose: Whose | None = None

    def init_whose(self, store, prefer: str | None = None) -> None:
        """Read the codings this viewer may see; show ``prefer`` (a coder's name) if among them."""
        app = self.app
        self.whose_list = visible_codings(
            store, getattr(app, "coder", None), getattr(app, "mode", None)
        )
        chosen = next((w for w in self.whose_list if w.name == prefer), None)
        self.whose = chosen or (self.whose_list[0] if self.whose_list else None)

    @property
    def blind(self) -> bool:
        return bool(getattr(self.app, "coder", None))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if (
            action == "whose"
        ):  # only a lead chooses whose coding; one coding has nothing to switch to
            return not self.blind and len(self.whose_list) > 1
        return True

    def action_whose(self) -> None:
        if self.blind or len(self.whose_list) < 2:
            return
        index = self.whose_list.index(self.whose) if self.whose in self.whose_list else -1
        self.whose = self.whose_list[(index + 1) % len(self.whose_list)]
        self.show_whose()  # each screen names whose coding it shows in its title

    def whose_label(self) -> str:
        return self.whose.label if self.whose else "nobody has coded yet"

    def show_whose(self) -> None:  # pragma: no cover - each screen draws its own
        raise NotImplementedError


def where_binding(prefix: str) -> Binding:
    return Binding("F", "where", "Filter by attribute", id=f"{prefix}.where", show=False)


class AttributeFilter(WhoseCoding):
    """Base of a reading screen: ``self.where`` (conditions on attributes, "" for none),
    ``F`` to change it; the screen redraws in ``show_whose()`` and reads ``where_ids()``."""

    where: str = ""
    store: Store  # the screen's project

    def where_ids(self, store) -> set[int] | None:
        """The comments that meet ``self.where`` (None: no filter)."""
        if not self.where:
            return None
        from workbench.project.where import parse

        return parse(store, [self.where], blind=self.blind, option="filter").comment_ids(store)

    def where_label(self) -> str:
        return f" · only where {self.where}" if self.where else ""

    def action_where(self) -> None:
        from workbench.errors import ParticipantError
        from workbench.project.where import parse
        from workbench.ui.dialogs import Prompt

        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:
                parse(self.store, [text], blind=self.blind, option="filter")
            except ParticipantError as exc:
                self.notify(str(exc), severity="warning", timeout=8)
                return
            self.where = text.strip()
            self.show_whose()

        shown = [a.name for a in self.store.attributes() if not (self.blind and a.hidden)]
        names = ", ".join(["role", "group", *shown])
        self.app.push_screen(
            Prompt(
                f"Only the comments where ({names}; empty: all)",
                self.where,
                "e.g. site=Leeds",
                select=True,
            ),
            chosen,
        )


def code_comment(screen, ref: str, excluded: bool = False) -> None:
    """Open ``ref`` for coding: on the coding screen below, if there is one, else a coding
    screen for the app's coder (a lead not coding yet is asked as whom)."""
    from workbench.coding.coder import coder_names
    from workbench.ui.coding import CodingScreen
    from workbench.ui.dialogs import Prompt

    app = screen.app
    if excluded:
        screen.notify(
            f"{ref} is a facilitator's or observer's turn: context only, not coded.",
            severity="warning",
        )
        return
    below = next((s for s in reversed(app.screen_stack) if isinstance(s, CodingScreen)), None)
    if below is not None:
        while app.screen is not below:
            app.pop_screen()
        below.go_to(ref)
        return
    if getattr(app, "coder", None):
        _start(app, app.coder, ref)
        return
    names = coder_names(screen.store)
    hint = f"existing: {', '.join(names)}" if names else "a new name starts a new coder"

    def chosen(name: str | None) -> None:
        if name and name.strip():
            _start(app, name.strip(), ref)

    app.push_screen(
        Prompt(
            f"Code {ref} as ({hint}); from then on this app shows only that coder's work",
            placeholder="your coder name",
        ),
        chosen,
    )


def _start(app, coder: str, ref: str) -> None:
    """Back to the home screen (or the bottom of the stack), then the coding screen on ``ref``."""
    from workbench.ui.home import HomeScreen

    while len(app.screen_stack) > 1 and not isinstance(app.screen, HomeScreen):
        app.pop_screen()
    app.start_coding(coder, at=ref)
