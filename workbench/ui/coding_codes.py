"""The coding screen's codes pane (``#codes``): the categories and themes with the chosen
ones marked, the coding's flags, the chosen themes' definitions, and this coder's progress
per group on a tall terminal.

:class:`CodesPane` is a widget with its own inputs (the codebook's entries): the screen
tells it what to show (:meth:`CodesPane.show`, :meth:`CodesPane.show_progress`), and it
redraws only the parts whose content changed (:func:`redraw`, which the screen's other
panes use too). It takes no keys and posts nothing: the coding keys are the screen's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workbench.ui import coding_panes as panes

if TYPE_CHECKING:
    from workbench.coding.session import Coding
    from workbench.store import Group
    from workbench.store.codebook import Category, Codebook, Theme


def redraw(
    widget: Static,
    drawn: dict,
    key: str,
    build: Callable[[], RenderableType],
    content: object,
    shape: object = None,
) -> None:
    """Update ``widget`` only if what it shows changed (``content``), and lay the screen out
    again only if its size may have changed (``shape``): on a coding key the full layout of
    the screen is most of the time to idle. ``drawn[key]`` keeps what it last showed."""
    last = drawn.get(key)
    if last == (content, shape):
        return
    widget.update(build(), layout=last is None or last[1] != shape)
    drawn[key] = (content, shape)


class CodesPane(Vertical):
    """The codes beside (or under) the comment."""

    def __init__(self, categories: list[Category], themes: list[Theme]) -> None:
        super().__init__(id="codes")
        self.categories, self.themes = categories, themes
        self._drawn: dict[str, tuple] = {}  # widget id -> (content, shape) last shown

    def compose(self) -> ComposeResult:
        yield Static(id="categories")
        yield Static(id="themes")
        yield Static(id="flags")
        yield Static(id="definitions", classes="dim")
        yield Static(id="progress")

    def new_codebook(self, categories: list[Category], themes: list[Theme]) -> None:
        """The codebook changed (in another window): drawn again with its entries."""
        self.categories, self.themes = categories, themes
        for pane in ("#categories", "#themes", "#definitions"):
            self._drawn.pop(pane, None)

    def _show(
        self,
        widget_id: str,
        build: Callable[[], RenderableType],
        content: object,
        shape: object = None,
    ) -> None:
        redraw(self.query_one(widget_id, Static), self._drawn, widget_id, build, content, shape)

    def show(self, coding: Coding | None, book: Codebook, wide: bool, revised: dict | None) -> None:
        """The coding of the comment shown (None: none), with the codebook's rules (``book``:
        which categories take themes); ``wide``: the definitions beside every theme;
        ``revised``: the comment's text was corrected since it was coded."""
        category = coding.category if coding else None
        takes = book.takes_themes(category)
        taking = " or ".join(c.shortcut for c in book.behaviours)
        chosen = tuple(coding.themes) if coding else ()
        # The same lines whichever category or themes are chosen: no new layout needed,
        # except for the themes' title, which differs (and can wrap) with the category.
        self._show("#categories", lambda: panes.categories(self.categories, category), category)
        self._show(
            "#themes",
            lambda: panes.themes(self.themes, takes, chosen, wide, taking),
            (takes, chosen),
            (takes, wide),
        )
        # Where definitions do not fit beside every theme, show those of the chosen ones.
        definitions = () if wide else chosen
        self._show(
            "#definitions",
            lambda: panes.definitions(self.themes, definitions),
            definitions,
            definitions,
        )
        flags = (
            (coding.unsure, coding.exemplar, coding.memo, coding.suggested_by, bool(revised))
            if coding
            else None
        )
        self._show(
            "#flags",
            lambda: panes.flags(coding) + panes.corrected(revised),
            (coding.memo, coding.suggested_by, bool(revised)) if coding else None,
            flags,
        )

    def show_progress(self, groups: dict[int, Group], progress_of: Callable, tall: bool) -> None:
        """This coder's progress per group (only where the terminal has room: ``tall``)."""
        progress = tuple(progress_of(g) for g in groups) if tall else ()
        self._show(
            "#progress", lambda: panes.progress(groups, progress_of) if tall else "", progress, tall
        )
