"""Splitting and merging comments from the coding screen (``S``, ``M``), and reloading
its worklist when the comments change under it (here or in another window).

Mixed into :class:`~workbench.ui.coding.CodingScreen`; the rules (only while nobody
has coded the comments) are :mod:`workbench.coding.comment`'s.
"""

from __future__ import annotations

from workbench.coding.comment import CommentEditError, merge_with_next, split_comment
from workbench.coding.worklist import Worklist
from workbench.errors import WorkbenchError
from workbench.ui.dialogs import Prompt


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
        menu = "  ".join(f"{n}: …{s[-30:]}" for n, s in enumerate(sentences[:-1], start=1))

        def done(answer: str | None) -> None:
            if not answer:
                return
            try:
                index = int(answer) - 1
                if not 0 <= index < len(points):
                    raise ValueError
                split_comment(self.store, current, points[index], actor=self.session.coder["name"])
            except ValueError:
                self.notify(f"Give a number from 1 to {len(points)}", severity="warning")
            except CommentEditError as exc:
                self.notify(str(exc), severity="error")
            else:
                self._reload(current)

        self.app.push_screen(Prompt(f"Split after which sentence? {menu}", placeholder="1"), done)

    def action_merge(self) -> None:
        current = self.worklist.current
        if current is None or self._editing_refused():
            return
        try:
            merge_with_next(self.store, current, actor=self.session.coder["name"])
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
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
