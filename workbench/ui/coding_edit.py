"""Splitting and merging comments from the coding screen (``S``, ``M``), and ``ctrl+z`` and
``ctrl+y`` over them and over codings.

:class:`CommentEditor` is a small controller with declared inputs (the coding session, and
the screen it asks through, with a dialog or a notice, and posts to): it makes the edit
through the session and posts :class:`CommentsChanged` (the screen reads its worklist again
and redraws) or :class:`CodingReplayed` (an undo or redo changed one coding). The rules
(only while nobody has coded the comments) are :mod:`workbench.coding.comment`'s. Both go
through the coding session, so ``ctrl+z`` undoes them like a coding. What other windows
commit is taken in by ``ui.coding_intake``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from workbench.coding.seen import StaleView
from workbench.errors import WorkbenchError
from workbench.ui.dialogs import Choose

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.coding.session import CodingSession


class CommentsChanged(Message):
    """The comments changed (split, merged, or words changed elsewhere): read the worklist
    again, staying on ``comment_id`` (else about where the coder was)."""

    def __init__(self, comment_id: int | None) -> None:
        super().__init__()
        self.comment_id = comment_id


class CodingReplayed(Message):
    """An undo or redo changed the coding of ``comment_id``: show it."""

    def __init__(self, comment_id: int) -> None:
        super().__init__()
        self.comment_id = comment_id


class CommentEditor:
    """Split, merge, undo and redo for one coding screen."""

    def __init__(self, session: CodingSession, screen: Screen) -> None:
        self.session, self.screen = session, screen

    def _refused(self) -> bool:
        """Comments are split and merged in study coding, never from a training or retest session."""
        if self.session.mode:
            self.screen.notify(
                f"Comments cannot be split or merged in a {self.session.mode} session.",
                severity="warning",
            )
        return bool(self.session.mode)

    def split(self, current: int | None) -> None:
        """Ask after which sentence to split the comment ``current``, and split it there."""
        from workbench.ingest.language import split_points

        if current is None or self._refused():
            return
        comment = self.session.comment(current)  # the words the choice is made on
        if comment is None:  # merged away or removed in another window since the list was read
            self.screen.notify("This comment is no longer in the project.", severity="warning")
            self.screen.post_message(CommentsChanged(current))
            return
        text = comment.text
        points = split_points(text)
        if not points:
            self.screen.notify(
                "This comment is one sentence: nothing to split.", severity="warning"
            )
            return
        bounds = zip([0, *points], [*points, len(text)], strict=True)
        sentences = [text[a:b].strip() for a, b in bounds]
        options = [f"after “{s if len(s) <= 160 else '…' + s[-159:]}”" for s in sentences[:-1]]

        def done(index: int | None) -> None:
            if index is None:
                return
            try:
                first, second = self.session.split(current, points[index])
            except WorkbenchError as exc:
                self._failed(exc, current)
            else:
                self.screen.notify(f"Split into {first} and {second} (ctrl+z merges them back).")
                self.screen.post_message(CommentsChanged(current))

        ref = self.session.store.comment_ref(current)
        self.screen.app.push_screen(Choose(f"Split {ref} after which sentence?", options), done)

    def merge(self, current: int | None) -> None:
        """Merge the comment ``current`` with the next one."""
        if current is None or self._refused():
            return
        try:
            ref = self.session.merge(current)
        except WorkbenchError as exc:
            self._failed(exc, current)
            return
        self.screen.notify(f"Merged into {ref} (ctrl+z splits it again).")
        self.screen.post_message(CommentsChanged(current))

    def _failed(self, exc: WorkbenchError, current: int) -> None:
        self.screen.notify(str(exc), severity="error")
        if isinstance(exc, StaleView):  # the words changed in another window: read them again
            self.screen.post_message(CommentsChanged(current))

    def replay(self, redo: bool, current: int | None) -> None:
        """Undo (or redo) the session's last change: a coding, or a split or merge (then the
        worklist is read again). The session's stacks outlive the screen (``app.sessions``)."""
        edit = self.session.next_is_comment_edit(redo=redo)
        word = "redo" if redo else "undo"
        try:
            comment_id = self.session.redo() if redo else self.session.undo()
        except StaleView as exc:
            self.screen.notify(str(exc), severity="error", timeout=10)
            self.screen.post_message(CommentsChanged(current))
            return
        except WorkbenchError as exc:
            self.screen.notify(str(exc), severity="error")
            return
        if comment_id is None:
            self.screen.notify("Nothing to " + word, severity="information")
            return
        self.screen.post_message(
            CommentsChanged(comment_id) if edit else CodingReplayed(comment_id)
        )
