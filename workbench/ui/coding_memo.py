"""The coding screen's memo flow (``enter``): the memo editor on the comment shown, and again
with both texts when another window changed the memo while the coder wrote.

:class:`MemoFlow` is a small controller with declared inputs (the screen it opens the editor
from and posts to): it posts :class:`MemoWritten`, which the screen writes through
:meth:`CodingSession.set_memo` (``was``: the memo the coder started from, so a change made
meanwhile in another window is caught, never overwritten).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from workbench.ui.dialogs import MemoEditor

if TYPE_CHECKING:
    from textual.screen import Screen


class MemoWritten(Message):
    """The coder saved ``memo`` on ``comment_id``, written over ``was``."""

    def __init__(self, comment_id: int, memo: str, was: str) -> None:
        super().__init__()
        self.comment_id, self.memo, self.was = comment_id, memo, was


class MemoFlow:
    """Memos for one coding screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def edit(self, comment_id: int, ref: str, memo: str, place: tuple[str, int | None]) -> None:
        """The editor on ``memo``, the memo of ``ref``; ``place``: where it opens (never over
        the comment, ``coding_layout.memo_place``)."""
        self._open(comment_id, f"Memo on {ref}", memo, memo, place)

    def again(self, comment_id: int, theirs: str, mine: str, place: tuple[str, int | None]) -> None:
        """Another window changed the memo while the coder wrote: both in the editor, to merge."""
        self._open(
            comment_id,
            "The memo was changed in another window while you wrote: "
            "theirs first, yours below; keep what you want and ctrl+s",
            f"{theirs}\n\n{mine}".strip(),
            theirs,
            place,
        )

    def _open(
        self, comment_id: int, title: str, text: str, was: str, place: tuple[str, int | None]
    ) -> None:
        def done(memo: str | None) -> None:
            if memo is not None:
                self.screen.post_message(MemoWritten(comment_id, memo, was))

        self.screen.app.push_screen(MemoEditor(title, text, place=place), done)
