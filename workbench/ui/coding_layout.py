"""How the coding screen lays itself out for the terminal (``ui.coding``): wide, tall, beside
the key panel, stacked below 60 columns; the comment box's own top and bottom lines (its
flags and the coding so far, always in view with the comment); where the memo editor opens
(beside the comment or under it, never over it).
"""

from __future__ import annotations

from textual.widgets import Static

from workbench.ui import coding_panes as panes


def apply(screen) -> bool:
    """A large terminal gets the theme definitions beside the names, a tall one more context
    and the progress table. The key panel (?) takes a third of the width: then the codes pane
    is narrow, and on a small terminal the panel takes its place, so the transcript keeps its
    room. Below 60 columns the codes go under the comment. Returns whether the layout changed."""
    helping = screen.has_class("-help")
    width, height = screen.size.width, screen.size.height
    layout = (
        width >= 140 and not helping,
        height >= 40,
        max(1, min(6, (height - 14) // 6)),
        helping and width < 110,
        width < 60,
    )
    changed = layout != getattr(screen, "_layout", None)
    screen._layout = layout
    screen.set_class(layout[0], "-wide")
    screen.set_class(layout[3], "-cramped")
    screen.set_class(layout[4], "-stacked")
    return changed


def draw_header(screen, coding) -> None:
    """The comment box's top and bottom lines (flags, the category): no layout needed, and
    redrawn only when they change (not on a theme key)."""
    box = screen.query_one("#comment", Static)
    flags = (coding.unsure, coding.exemplar, bool(coding.memo), coding.category) if coding else None
    drawn = (flags, box.outer_size.width)
    if screen._drawn.get("header") != drawn:
        box.border_title, box.border_subtitle = panes.header(
            coding, screen.categories, box.outer_size.width
        )
        screen._drawn["header"] = drawn


def memo_place(screen) -> tuple[str, int | None]:
    """Where the memo editor opens: right of the comment's column (over the codes, or the key
    panel), or, stacked, under the comment (scrolled to the top of its pane first)."""
    if screen.has_class("-stacked"):
        screen.query_one("#transcript").scroll_to_widget(
            screen.query_one("#comment"), animate=False, top=True
        )
        return "bottom", None
    left = screen.query_one("#coding-body").children[0].outer_size.width  # the comment's column
    return "right", max(0, screen.size.width - left) or None
