"""Tables wider than their pane (report tables, agreement): the first column stays while the
others scroll, ``left``/``right`` move one column, ``pageup``/``pagedown`` one screen (a table
that grows with its pane pages the pane), ``home``/``end`` go to the first or last column, so
every column is a few keys away at 80 columns. Each table's title is a line of its own above
it, whole (a title cut to fit the first column read "Comments by category in…").
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import CursorType

from workbench.ui.render import fill_table


class WideTable(DataTable, inherit_bindings=False):
    """A DataTable whose first column is fixed and whose other columns scroll one at a time.

    ``enter`` is left to the screen (its binding shows in the footer: "enter Disagreements"),
    which reads the row under the cursor."""

    BINDINGS = [
        Binding("up", "cursor_up", "Row up", show=False, id="table.up"),
        Binding("down", "cursor_down", "Row down", show=False, id="table.down"),
        Binding("ctrl+home", "scroll_top", "First row", show=False, id="table.top"),
        Binding("ctrl+end", "scroll_bottom", "Last row", show=False, id="table.bottom"),
        Binding("left", "column(-1)", "Column left", show=False, id="table.left"),
        Binding("right", "column(1)", "Column right", show=False, id="table.right"),
        Binding("home", "to_column(0)", "First column", show=False, id="table.first"),
        Binding("end", "to_column(-1)", "Last column", show=False, id="table.last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
    ]

    def __init__(
        self,
        *,
        id: str | None = None,
        classes: str | None = None,
        cursor_type: CursorType = "none",
        zebra_stripes: bool = True,
    ):
        super().__init__(
            id=id,
            classes=classes,
            cursor_type=cursor_type,
            zebra_stripes=zebra_stripes,
            fixed_columns=1,
        )

    def fill(
        self,
        labels: list[str],
        rows: list[list],
        keys: list[str] | None = None,
        widths: list[int] | None = None,
    ) -> None:
        fill_table(self, labels, rows, keys, widths)
        self.scroll_x = 0

    def _starts(self) -> list[int]:
        """Where each scrolling column starts (scroll_x that puts it just after the fixed one)."""
        starts, x = [], 0
        for column in self.ordered_columns[1:]:
            starts.append(x)
            x += column.get_render_width(self)
        return starts

    @property
    def first_shown(self) -> int:
        """The index of the first scrolling column in view (1 when not scrolled)."""
        starts = self._starts()
        return 1 + max((i for i, s in enumerate(starts) if s <= self.scroll_x + 0.5), default=0)

    def action_column(self, delta: int) -> None:
        self.action_to_column(self.first_shown - 1 + delta)

    def action_to_column(self, index: int) -> None:
        starts = self._starts()
        if not starts:
            return
        index = len(starts) - 1 if index < 0 else min(index, len(starts) - 1)
        self.scroll_to(x=min(starts[index], self.max_scroll_x), animate=False, force=True)

    def action_page(self, direction: int) -> None:
        """A screen down or up: this table's own, or, when it grows with its pane and has no
        scrolling of its own, the pane's."""
        if self.max_scroll_y > 0 or self.cursor_type in ("row", "cell"):
            (self.action_page_down if direction > 0 else self.action_page_up)()
            return
        pane = next(
            (w for w in self.ancestors if isinstance(w, Widget) and w.allow_vertical_scroll), None
        )
        if pane is not None:
            (pane.scroll_page_down if direction > 0 else pane.scroll_page_up)(animate=False)

    def page_columns(self, direction: int) -> None:
        """A screen's width of columns to the right (or left)."""
        room = max(1, self.scrollable_content_region.width - self._get_fixed_offset().left)
        target = self.scroll_x + direction * room
        starts = self._starts()
        index = max((i for i, s in enumerate(starts) if s <= target), default=0)
        self.action_to_column(index)
