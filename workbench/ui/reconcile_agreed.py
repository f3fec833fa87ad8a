"""The reconciliation screen's edits of the agreed coding by key: a category (the coding
keys; asked first where it would drop the agreed themes), a theme, the agreed exemplar mark
(``E``) and the rationale (``N``, in a prompt).

:class:`AgreedEditor` is a small controller with declared inputs (the screen it asks through,
with a dialog or a notice, and posts to, and the codebook the screen read): it works out the
agreed coding the key asks for and posts :class:`AgreedChosen` or :class:`RationaleWritten`,
each carrying the comment's id, which the screen decides through its reconciliation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.message import Message

from workbench.coding.session import Coding
from workbench.ui.dialogs import Confirm, Prompt

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.reconcile.consensus import Item
    from workbench.store.codebook import Codebook, Theme


class AgreedChosen(Message):
    """The lead chose ``coding`` as the agreed coding of ``comment_id`` (``note``: for the audit)."""

    def __init__(self, comment_id: int, coding: Coding, note: str | None = None) -> None:
        super().__init__()
        self.comment_id, self.coding, self.note = comment_id, coding, note


class RationaleWritten(Message):
    """The lead wrote ``text`` as the rationale of the decision on ``comment_id``."""

    def __init__(self, comment_id: int, text: str) -> None:
        super().__init__()
        self.comment_id, self.text = comment_id, text


class AgreedEditor:
    """The agreed coding's keys for one reconciliation screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def use_codebook(self, book: Codebook, themes: list[Theme], category_keys: str) -> None:
        """The codebook the screen read (again after an edit in another window)."""
        self.book, self.themes, self.category_keys = book, themes, category_keys
        self.theme_names = {t.key: t.name for t in themes}

    def category(self, item: Item | None, key: str) -> None:
        if item is None:
            return
        current = item.agreed or Coding()
        if current.themes and not self.book.takes_themes(key):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._chosen(item, replace(current, category=key, themes=()))

            names = ", ".join(self.theme_names.get(t, t) for t in current.themes)
            self.screen.app.push_screen(Confirm(f"Drop the agreed themes {names}?"), answered)
            return
        self._chosen(item, replace(current, category=key))

    def theme(self, item: Item | None, key: str) -> None:
        current = self._agreed_so_far(item)
        if item is not None and current is not None:
            themes = set(current.themes) ^ {key}
            self._chosen(item, replace(current, themes=self.book.ordered(themes)))

    def exemplar(self, item: Item | None) -> None:
        current = self._agreed_so_far(item)
        if item is not None and current is not None:
            on = not current.exemplar
            self._chosen(
                item, replace(current, exemplar=on), f"agreed exemplar: {'yes' if on else 'no'}"
            )

    def _chosen(self, item: Item, coding: Coding, note: str | None = None) -> None:
        self.screen.post_message(AgreedChosen(item.comment_id, coding, note))

    def _agreed_so_far(self, item: Item | None) -> Coding | None:
        if item is None:
            return None
        if item.agreed is None or item.agreed.category is None:
            self.screen.notify(
                f"Choose the agreed category first ({self.category_keys}), or take A or B.",
                severity="warning",
            )
            return None
        return item.agreed

    def rationale(self, item: Item | None) -> None:
        if item is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.screen.post_message(RationaleWritten(item.comment_id, text))

        self.screen.app.push_screen(Prompt(f"Rationale for {item.ref}", item.rationale), done)
