"""Splitting and merging comments from the coding screen (``S``, ``M``), and reloading
its worklist when the comments change under it (here or in another window).

Mixed into :class:`~workbench.ui.coding.CodingScreen`; the rules (only while nobody
has coded the comments) are :mod:`workbench.coding.comment`'s. Both go through the
coding session, so ``ctrl+z`` undoes them like a coding (``CodingScreen._replay``).
"""

from __future__ import annotations

from workbench.coding.worklist import Worklist
from workbench.errors import WorkbenchError
from workbench.ui.dialogs import Choose


class CommentEdits:
    """The coding screen's comment edits (its session, store, worklist)."""

    def _editing_refused(self) -> bool:
        """Comments are split and merged in study coding, never from a training or retest session."""
        if self.session.mode:
            self.notify(f"Comments cannot be split or merged in a {self.session.mode} session.", severity="warning")
        return bool(self.session.mode)

    def action_split(self) -> None:
        from workbench.ingest.language import split_points

        current = self.worklist.current
        if current is None or self._editing_refused():
            return
        text = self.store.comment(current)["text"]
        points = split_points(text)
        if not points:
            self.notify("This comment is one sentence: nothing to split.", severity="warning")
            return
        sentences = [text[a:b].strip() for a, b in zip([0, *points], [*points, len(text)])]
        options = [f"after “{s if len(s) <= 160 else '…' + s[-159:]}”" for s in sentences[:-1]]

        def done(index: int | None) -> None:
            if index is None:
                return
            try:
                first, second = self.session.split(current, points[index])
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
            else:
                self.notify(f"Split into {first} and {second} (ctrl+z merges them back).")
                self._reload(current)

        self.app.push_screen(Choose(f"Split {self.store.comment_ref(current)} after which sentence?", options), done)

    def action_merge(self) -> None:
        current = self.worklist.current
        if current is None or self._editing_refused():
            return
        try:
            ref = self.session.merge(current)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Merged into {ref} (ctrl+z splits it again).")
        self._reload(current)

    def _reload(self, comment_id: int | None) -> None:
        self.forget_suggestions()
        filters, pos = self.worklist.filters, self.worklist.pos
        self.worklist = Worklist(self.session)
        self.worklist.apply(filters)
        if comment_id is not None:
            self.worklist.goto_id(comment_id)
        else:  # about where the coder was
            self.worklist.pos = min(pos, max(len(self.worklist.items) - 1, 0))
        self.refresh_view()
