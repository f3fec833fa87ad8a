"""The coding screen's writes: every change of a coding its keys make (a category, a theme, a
flag, a memo, a suggestion taken), made through the coding session, which commits it with its
audit row before the screen redraws; and what can stop one.

:class:`CodingWrites` is a small controller with declared inputs (the coding session, and the
screen it asks through, with a dialog or a notice, and posts to): it hands the new coding back.
A change that would drop themes is asked first (:class:`CodingChanged` once made); words changed
in another window since they were shown refuse it (``CommentsChanged``: read them again); a memo
changed there while the coder wrote goes back to the editor with both texts
(:class:`MemoConflict`); a rule of the codebook refuses it, said.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

from workbench.coding.seen import StaleView
from workbench.coding.session import CodingRuleError, MemoChanged, ThemesWouldBeDropped
from workbench.ui.coding_edit import CommentsChanged
from workbench.ui.dialogs import Confirm

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.coding.session import Coding, CodingSession


class CodingChanged(Message):
    """The coding of ``comment_id`` is now ``coding`` (made after the coder confirmed)."""

    def __init__(self, comment_id: int, coding: Coding) -> None:
        super().__init__()
        self.comment_id, self.coding = comment_id, coding


class MemoConflict(Message):
    """Another window changed the memo of ``comment_id`` (to ``theirs``) while the coder wrote
    ``mine``: nothing was written; the coding is read again, and both go to the editor."""

    def __init__(self, comment_id: int, theirs: str, mine: str) -> None:
        super().__init__()
        self.comment_id, self.theirs, self.mine = comment_id, theirs, mine


class CodingWrites:
    """Coding changes for one coding screen."""

    def __init__(self, session: CodingSession, screen: Screen) -> None:
        self.session, self.screen = session, screen

    def change(
        self, current: int, change: Callable[..., Coding], *args: Any, **kwargs: Any
    ) -> Coding | None:
        """Make ``change`` (a :class:`CodingSession` method) on the comment ``current``: the new
        coding, or None if it was not made now."""
        try:
            coding = change(current, *args, **kwargs)
        except ThemesWouldBeDropped as exc:

            def answered(yes: bool | None) -> None:
                if yes:
                    coding = self.change(current, change, *args, **kwargs, drop_themes=True)
                    if coding is not None:
                        self.screen.post_message(CodingChanged(current, coding))

            names = ", ".join(self.session.book.theme_name(t) for t in exc.themes)
            self.screen.app.push_screen(Confirm(f"Drop the themes {names}?"), answered)
            return None
        except StaleView as exc:  # the words changed in another window: nothing was written
            self.screen.notify(str(exc), severity="error", timeout=10)
            self.screen.post_message(CommentsChanged(current))
            return None
        except MemoChanged as exc:  # changed in another window while the coder wrote: merge
            self.screen.post_message(MemoConflict(current, exc.theirs, args[0]))
            return None
        except CodingRuleError as exc:
            self.screen.notify(str(exc), severity="warning")
            return None
        return coding
