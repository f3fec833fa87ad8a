"""Splitting and merging comments from the coding screen (``S``, ``M``), and taking in what
changed under it: its worklist read again after a split or merge here, and what other windows
committed (:class:`~workbench.ui.changes.ProjectChanged`: comments imported, split, merged,
replaced or removed; a codebook edit, whose new keys work at once; this coder's codings made
in another window), each said in a notification.

Mixed into :class:`~workbench.ui.coding.CodingScreen`; the rules (only while nobody
has coded the comments) are :mod:`workbench.coding.comment`'s. Both go through the
coding session, so ``ctrl+z`` undoes them like a coding (``CodingScreen._replay``).
"""

from __future__ import annotations

from workbench.coding.seen import StaleView
from workbench.errors import WorkbenchError
from workbench.ui.changes import ProjectChanged
from workbench.ui.dialogs import Choose
from workbench.ui.render import bind_codebook_keys


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
        text = self.session.comment(current)["text"]  # the words the choice is made on
        points = split_points(text)
        if not points:
            self.notify("This comment is one sentence: nothing to split.", severity="warning")
            return
        sentences = [text[a:b].strip() for a, b in zip([0, *points], [*points, len(text)], strict=True)]
        options = [f"after “{s if len(s) <= 160 else '…' + s[-159:]}”" for s in sentences[:-1]]

        def done(index: int | None) -> None:
            if index is None:
                return
            try:
                first, second = self.session.split(current, points[index])
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
                if isinstance(exc, StaleView):
                    self._reload(current)
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
            if isinstance(exc, StaleView):
                self._reload(current)
            return
        self.notify(f"Merged into {ref} (ctrl+z splits it again).")
        self._reload(current)

    def _reload(self, comment_id: int | None) -> None:
        """Read the comments and this coder's codings again, staying on ``comment_id`` (else
        about where the coder was)."""
        self.forget_suggestions()
        self.worklist.reload()
        if comment_id is not None and comment_id in self.worklist.group:
            self.worklist.goto_id(comment_id)
        self.refresh_view()

    # -- what other windows committed --------------------------------------------

    def on_project_changed(self, message: ProjectChanged) -> None:
        changes, worklist = message.changes, self.worklist
        if worklist is None:
            return
        current, said = worklist.current, changes.described()
        try:
            if changes.coders or changes.codebook:
                self.session.refresh()  # renamed or removed: refused; the codebook read again
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.app.leave_to_home()
            return
        if changes.codebook:
            said += self._take_in_codebook()
        refs = changes.coded_by()  # whoever wrote them: a sheet may be imported for this coder
        count = len(worklist.codable)
        me = getattr(self, "_me", None)
        words = current is not None and self.session.seen.changed(current)
        if words and me is not None and me["id"] == current:
            said.append(f"{me['ref']} changed there")
        if changes.comments or changes.codebook or refs is None or words:
            self._reload(current)
            if len(self.worklist.codable) != count:
                said.append(f"comments to code: {count} → {len(self.worklist.codable)}")
        elif refs:
            found = self.store.comment_ids(sorted(refs))
            changed = [ref for ref, comment_id in found.items() if worklist.reread(comment_id)]
            if me is not None and me["id"] == current and me["ref"] in changed:
                said.append(f"your coding of {me['ref']} was changed there")
            if current is not None:
                self.refresh_codes()
        if said:
            self.notify("In another window: " + "; ".join(said) + ".", timeout=8)

    def _memo_again(self, comment_id: int, theirs: str, mine: str) -> None:
        """Another window changed the memo while the coder wrote: both in the editor, to merge."""
        self.worklist.reread(comment_id)
        if self.worklist.current is not None:
            self.refresh_codes()
        self._edit_memo(comment_id, "The memo was changed in another window while you wrote: "
                        "theirs first, yours below; keep what you want and ctrl+s",
                        f"{theirs}\n\n{mine}".strip(), theirs)

    def _take_in_codebook(self) -> list[str]:
        """The codebook changed: its keys bound again (a new theme's key works at once); what
        was added or retired, in words."""
        def entries() -> dict[str, str]:
            kinds = (("category", self.categories), ("theme", self.themes))
            return {e["key"]: f"{kind} {e['name']} ({e['shortcut']})"
                    for kind, rows in kinds for e in rows}

        before = entries()
        self.categories, self.themes = self.store.categories(), self.store.themes()
        bind_codebook_keys(self, self.categories, self.themes, "coding", "")
        for pane in ("#categories", "#themes", "#definitions"):
            self._drawn.pop(pane, None)
        self.refresh_bindings()
        after = entries()
        return ([f"{after[k]} added" for k in after if k not in before]
                + [f"{after[k]} changed" for k in after if k in before and before[k] != after[k]]
                + [f"{before[k]} retired" for k in before if k not in after])

    def _replay(self, step) -> None:
        """Undo or redo the session's last change: a coding, or a split or merge (then the
        worklist is read again). The session's stacks outlive this screen (``app.sessions``)."""
        edit = self.session.next_is_comment_edit(redo=step.__name__ == "redo")
        try:
            comment_id = step()
        except StaleView as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self._reload(self.worklist.current)
            return
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        if comment_id is None:
            self.notify("Nothing to " + step.__name__, severity="information")
            return
        if edit:
            self._reload(comment_id)
            return
        self.worklist.record(comment_id, self.session.get(comment_id))
        self.worklist.goto_id(comment_id)
        self.refresh_view()

    def action_undo(self) -> None:
        self._replay(self.session.undo)

    def action_redo(self) -> None:
        self._replay(self.session.redo)

    # -- moving ------------------------------------------------------------------
