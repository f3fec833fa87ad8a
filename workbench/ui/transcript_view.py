"""The widget of the whole-transcript view: comments one below the other, each with its
margin of codes beside it, the cursor's comment marked in the gutter.

Drawn line by line on demand (Textual's line API). A comment is wrapped with Rich only
when it comes into view; until then its height is estimated by the same greedy word wrap
(exact for ordinary text), and corrected when drawn, so a group of 10,000 comments opens
in a fraction of a second (see ``benchmarks/views_bench.py``) instead of wrapping every
comment first.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 2  # columns between a comment and its margin


def estimate_lines(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped at ``width`` by a greedy word wrap (long words folded)."""
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= width and paragraph.isascii():
            lines += 1
            continue
        measure = len if paragraph.isascii() else cell_len
        count, used = 1, 0
        for word in paragraph.split():
            size = measure(word)
            if used and used + 1 + size <= width:
                used += 1 + size
                continue
            if used:
                count += 1
            count += (size - 1) // width if size > width else 0
            used = size % width or min(size, width)
        lines += count
    return lines


class TranscriptView(ScrollView, can_focus=False):
    """Comments and their margins; ``show`` them, move the ``cursor``."""

    COMPONENT_CLASSES = {"transcript-view--cursor", "transcript-view--mark"}
    DEFAULT_CSS = """
    TranscriptView { height: 1fr; scrollbar-gutter: stable; overflow-x: hidden; scrollbar-size-vertical: 1; }
    TranscriptView > .transcript-view--cursor { background: $boost; }
    TranscriptView > .transcript-view--mark { color: $accent; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.entries: list[tuple[Text, Text]] = []  # (comment, margin)
        self.cursor = 0
        self._drawn: dict[int, list[Strip]] = {}  # comments wrapped so far, at this width
        self._heights: list[int] = []  # estimated until drawn
        self._starts: list[int] = []  # first line of each comment
        self._width = 0
        self._columns = (0, 0)  # (comment, margin) widths
        self._scroll_pending = False  # the cursor is to be brought into view once laid out

    def show(self, entries: list[tuple[Text, Text]], cursor: int = 0) -> None:
        self.entries = entries
        self.cursor = min(max(cursor, 0), max(len(entries) - 1, 0))
        self._width = 0  # laid out at the width the view has when it is next drawn
        self._scroll_pending = True
        if self.width:
            self._lay_out()
        self.refresh()

    @property
    def width(self) -> int:
        """The columns drawn (the scrollbar's are kept free)."""
        return self.scrollable_content_region.width

    def _lay_out(self) -> None:
        """Estimate every comment's height at the width (again after a resize)."""
        self._width = self.width
        margin = max(20, min(46, self._width // 3 - GAP))
        self._columns = (max(self._width - 1 - GAP - margin, 1), margin)
        self._drawn = {}
        if self._width > 1:
            self._scroll_pending = True
            self.call_after_refresh(self._scroll_if_pending)
        self._heights = [
            max(estimate_lines(left.plain, self._columns[0]), estimate_lines(right.plain, margin))
            for left, right in self.entries
        ]
        self._restart()

    def _restart(self) -> None:
        """Where each comment starts (a blank line after each), and the height of them all."""
        self._starts = [0, *accumulate(h + 1 for h in self._heights)][: len(self._heights)]
        total = self._starts[-1] + self._heights[-1] if self._heights else 0
        self.virtual_size = Size(self._width, total)

    def _draw(self, index: int) -> list[Strip]:
        """The comment's lines, wrapped by Rich; its height corrected if the estimate was off."""
        strips = self._drawn.get(index)
        if strips is not None:
            return strips
        console = self.app.console
        left_width, margin_width = self._columns
        left, margin = self.entries[index]
        lefts = console.render_lines(left, console.options.update_width(left_width), pad=True)
        rights = console.render_lines(margin, console.options.update_width(margin_width), pad=True)
        blank_left, blank_right, gap = (
            [Segment(" " * left_width)],
            [Segment(" " * margin_width)],
            Segment(" " * GAP),
        )
        strips = [
            Strip(
                [
                    *(lefts[k] if k < len(lefts) else blank_left),
                    gap,
                    *(rights[k] if k < len(rights) else blank_right),
                ],
                left_width + GAP + margin_width,
            )
            for k in range(max(len(lefts), len(rights)))
        ]
        self._drawn[index] = strips
        if len(strips) != self._heights[index]:
            self._heights[index] = len(strips)
            self._restart()
        return strips

    def _settle(self) -> bool:
        """Draw every comment in view (so lines below them sit where they will stay)."""
        changed, top = False, self.scroll_offset.y
        index = max(bisect_right(self._starts, top) - 1, 0)
        while index < len(self.entries) and self._starts[index] < top + self.size.height:
            before = self._heights[index]
            self._draw(index)
            changed |= self._heights[index] != before
            index += 1
        return changed

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._width != self.width:
            self._lay_out()
        if self._settle():
            self.refresh()  # heights changed: every line of this paint is drawn afresh
        return super().render_lines(crop)

    def on_resize(self) -> None:
        if self.width != self._width:
            self._lay_out()
        self.refresh()

    def _scroll_if_pending(self) -> None:
        if self._scroll_pending:
            self._scroll_pending = False
            self.scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.width
        line = self.scroll_offset.y + y
        index = bisect_right(self._starts, line) - 1
        if (
            index < 0
            or index >= len(self.entries)
            or line - self._starts[index] >= self._heights[index]
        ):
            return Strip.blank(width, self.rich_style)
        strips = self._draw(index)
        offset = line - self._starts[index]
        if offset >= len(strips):
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        if index == self.cursor:
            base += self.get_component_rich_style("transcript-view--cursor")
            mark = Segment("▌", base + self.get_component_rich_style("transcript-view--mark"))
        else:
            mark = Segment(" ", base)
        return Strip([mark, *strips[offset].apply_style(base)], width).crop_extend(0, width, base)

    def move_cursor(self, index: int) -> None:
        if not self.entries:
            return
        self.cursor = min(max(index, 0), len(self.entries) - 1)
        self.scroll_to_cursor()
        self.refresh()
        self.screen.refresh_bindings()  # the keys may depend on the comment (a facilitator's is not coded)

    def scroll_to_cursor(self) -> None:
        if not self.entries or self._width < 2:
            return
        height = len(self._draw(self.cursor))
        # The comments that can show above it are wrapped first: a height corrected later
        # above the cursor would push it out of view.
        room, above = self.size.height - height, self.cursor - 1
        while above >= 0 and room > 0:
            room -= len(self._draw(above)) + 1
            above -= 1
        start = self._starts[self.cursor]
        if height >= self.size.height:  # taller than the view: its first lines
            self.scroll_to(y=start, animate=False)
        else:
            self.scroll_to_region(Region(0, start, self._width, height), animate=False)

    def page(self, delta: int) -> None:
        """The cursor a screen's height down (``delta`` 1) or up (-1), at least one comment."""
        if not self._starts:
            return
        line = self._starts[self.cursor] + delta * max(1, self.size.height - 1)
        index = bisect_right(self._starts, max(line, 0)) - 1
        self.move_cursor(index if index != self.cursor else index + delta)

    def entry_at(self, y: int) -> int | None:
        """The comment drawn at row ``y`` of the widget, if any."""
        index = bisect_right(self._starts, self.scroll_offset.y + y) - 1
        return index if 0 <= index < len(self.entries) else None

    def on_click(self, event: events.Click) -> None:
        index = self.entry_at(event.y)
        if index is not None:
            self.move_cursor(index)
