"""The home screen's codebook: each category and theme with its key and, where the pane has
room for them, its definition in full (wrapped); where it has not, one line each, cut.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import DataTable

from workbench.plain import printable
from workbench.store.codebook import Category, Theme
from workbench.ui.render import cell


class CodebookTable(DataTable):
    """The codebook as a table of key, name and definition, refitted when its size changes."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id, cursor_type="row", show_cursor=False)
        self.entries: list[tuple[str, str, str]] = []  # (key, name, definition)
        self._fitted: tuple | None = None

    def show(self, categories: list[Category], themes: list[Theme]) -> None:
        self.entries = [
            (c.shortcut, c.name, "takes themes" if c.takes_themes else "") for c in categories
        ] + [(t.shortcut, t.name, t.definition or "") for t in themes]
        self._fitted = None
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        width, height = (
            self.size.width or self.app.size.width,
            self.size.height or self.app.size.height,
        )
        if self._fitted == (width, height, len(self.entries)):
            return
        self._fitted = (width, height, len(self.entries))
        key_width = max([3, *(len(printable(k)) for k, _, _ in self.entries)])
        name_width = max([16, *(len(printable(n)) for _, n, _ in self.entries)])
        room = width - key_width - name_width - 6 - 2  # cell padding and a scroll bar
        lines = [max(1, math.ceil(len(d) / room)) if room > 0 else 1 for _, _, d in self.entries]
        wrap = room >= 20 and sum(lines) + 1 <= height  # every definition whole, without scrolling
        self.clear(columns=True)
        self.add_column("key", width=key_width)
        self.add_column("category / theme", width=name_width)
        self.add_column("definition", width=max(room, 10))
        for (key, name, definition), need in zip(self.entries, lines, strict=True):
            text = Text(
                printable(definition), no_wrap=not wrap, overflow="fold" if wrap else "ellipsis"
            )
            self.add_row(cell(key), cell(name), text, height=need if wrap else 1)
