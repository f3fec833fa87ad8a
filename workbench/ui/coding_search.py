"""The coding screen's search (``/``) and filter (``F``): which comments its worklist shows.

:class:`CommentSearch` is a small controller with declared inputs (the store, and the
screen it opens its dialogs from and posts to): it asks for the words or the filter, runs
a search in a worker (the first search indexes every comment, ~0.4 s for 100,000: never on
the UI thread) and posts :class:`Filtered`; the screen applies it to its worklist.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from workbench.coding.search import search
from workbench.coding.worklist import Filters
from workbench.ui.dialogs import FilterDialog, Prompt

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.store import Store


class Filtered(Message):
    """The comments to show: ``filters``, and for a search the ids that match (None: no search)."""

    def __init__(self, filters: Filters, matches: set[int] | None) -> None:
        super().__init__()
        self.filters, self.matches = filters, matches


class CommentSearch:
    """Search and filter for one coding screen."""

    def __init__(self, store: Store, screen: Screen) -> None:
        self.store, self.screen = store, screen

    def ask_search(self, filters: Filters) -> None:
        def done(query: str | None) -> None:
            if query is not None:
                self.apply(replace(filters, search=query))

        self.screen.app.push_screen(
            Prompt("Search comments", filters.search, "words", select=True), done
        )

    def ask_filter(self, filters: Filters) -> None:
        def done(chosen: Filters | None) -> None:
            if chosen is not None:
                self.apply(chosen)

        attributes = [a.name for a in self.store.attributes() if not a.hidden]
        dialog = FilterDialog(
            filters, self.store.groups(), self.store.roles(), attributes, self.check_where
        )
        self.screen.app.push_screen(dialog, done)

    def check_where(self, text: str) -> str | None:
        """Why the filter dialog's attribute conditions are refused, or None."""
        from workbench.errors import ParticipantError
        from workbench.project.where import parse

        try:
            parse(self.store, [text], blind=True, option="filter")
        except ParticipantError as exc:
            return str(exc)
        return None

    def apply(self, filters: Filters) -> None:
        if filters.search.strip():
            # The first search indexes every comment (~0.4 s for 100,000): off the UI thread.
            pending = self.store.unindexed_comments()
            if pending > 5000:
                self.screen.notify(
                    f"Indexing {pending:,} comments for search (the first search only)…"
                )
            self.screen.run_worker(
                lambda: self._search(filters), thread=True, exclusive=True, group="search"
            )
        else:
            self.screen.post_message(Filtered(filters, None))

    def _search(self, filters: Filters) -> None:
        matches = set(search(self.store, filters.search))
        if not get_current_worker().is_cancelled:  # a newer search replaced this one
            self.screen.post_message(Filtered(filters, matches))
