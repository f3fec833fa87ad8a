"""What the coding screen shows of the comment the coder is on: the top line (its ref and
group, the coder's progress, where it is in the list), the comment between its neighbouring
turns (more of them on a tall terminal), the codes pane, the comment box's own lines and the
suggestion; each redrawn only when its content changed (``coding_codes.redraw``).

:class:`CommentView` is a part with declared inputs: the coding session and the worklist it
draws from, the groups (for the progress table), the panes it tells what to show
(``CodesPane``, ``SuggestionPane``), the redraw cache, and the screen it draws on (its widgets,
its size, its layout classes). The screen reads back which comment it drew (``me``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import Static

from workbench.coding.record import corrected_since_coded
from workbench.ui import coding_layout
from workbench.ui import coding_panes as panes
from workbench.ui.coding_codes import CodesPane, redraw
from workbench.ui.render import TranscriptPane, context_turns

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.coding.session import Coding, CodingSession
    from workbench.coding.worklist import Worklist
    from workbench.store import Group
    from workbench.store.comment_records import ContextTurn
    from workbench.ui.coding_suggest import SuggestionPane


class CommentView:
    """Draws one coding screen's comment and its codes."""

    def __init__(
        self,
        session: CodingSession,
        worklist: Worklist,
        groups: dict[int, Group],
        codes: CodesPane,
        suggestions: SuggestionPane | None,
        drawn: dict[str, tuple[object, object]],
        screen: Screen,
    ) -> None:
        self.session, self.worklist, self.groups = session, worklist, groups
        self.codes, self.suggestions, self.screen = codes, suggestions, screen
        self._drawn = drawn  # widget id -> (content, shape) last shown
        self.me: ContextTurn | None = None  # the comment, as last drawn
        self.revised: dict[str, Any] | None = None  # its words corrected since it was coded

    def _show(
        self,
        widget_id: str,
        build: Callable[[], RenderableType],
        content: object,
        shape: object = None,
    ) -> None:
        redraw(
            self.screen.query_one(widget_id, Static), self._drawn, widget_id, build, content, shape
        )

    def show(self) -> bool:
        """Draw the comment the worklist is on, or why there is none; False if that comment is
        gone (merged or split away in another window since the list was read)."""
        current = self.worklist.current
        if current is None:
            empty = (
                " No comments to code yet: import transcripts (workbench import), then come back."
                if not self.worklist.codable
                else " No comments match the filter: F to change it, escape for home."
            )
            self._show("#where", lambda: Text(empty, style="bold"), empty)
            for widget_id in ("#context-before", "#comment", "#context-after"):
                self.screen.query_one(widget_id, Static).update("")
            self._draw_codes(None)
            return True
        # A tall terminal shows more of the conversation around the comment.
        around = max(1, min(6, (self.screen.size.height - 14) // 6))
        rows = self.session.context(current, around)  # what the coder sees: writes check it
        me = next((r for r in rows if r.current), None)
        if me is None:  # merged or split away in another window since the list was read
            return False
        before = [r for r in rows if r.position < me.position]
        after = [r for r in rows if r.position > me.position]
        self.screen.query_one("#context-before", Static).update(context_turns(before))
        self.screen.query_one("#context-after", Static).update(context_turns(after))
        self.screen.query_one("#comment", Static).update(
            panes.comment(me, self.worklist.filters.search)
        )
        self.me = me
        self.revised = corrected_since_coded(self.session.store, self.session.coder_id, current)
        self.show_codes()
        # After the layout of the new text, so the whole comment is scrolled into view.
        self.screen.call_after_refresh(self.scroll_to_comment)
        return True

    def scroll_to_comment(self) -> None:
        self.screen.query_one("#transcript", TranscriptPane).keep_comment_in_view()
        if self.worklist.current is not None:  # laid out: its width known
            coding_layout.draw_header(self.screen, self.worklist.coding(self.worklist.current))

    def show_codes(self) -> None:
        """Redraw what a coding change alters: codes, flags, progress (not the transcript)."""
        current, me, worklist = self.worklist.current, self.me, self.worklist
        assert current is not None and me is not None, (
            "drawn on a comment (show draws an empty list)"
        )
        where = (
            me.ref,
            me.group_code,
            worklist.progress(worklist.group_of(current)),
            worklist.progress(),
            worklist.filters.active,
            worklist.pos,
            len(worklist.items),
        )
        self._show("#where", lambda: panes.where(*where), where)
        self.codes.show_progress(self.groups, self.worklist.progress, self.screen.size.height >= 40)
        self._draw_codes(self.worklist.coding(current))

    def _draw_codes(self, coding: Coding | None) -> None:
        revised = self.revised if coding else None
        self.codes.show(coding, self.session.book, self.screen.has_class("-wide"), revised)
        coding_layout.draw_header(self.screen, coding)
        if self.suggestions is not None:
            me, current = self.me, self.worklist.current
            text = me.text if me and me.id == current else None
            self.suggestions.show(current, text, coding)
