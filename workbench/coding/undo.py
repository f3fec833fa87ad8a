"""A coder's undo and redo: the stacks of their changes and comment edits, and their replay.

A coding step (:class:`Change`) changes back, field by field, only what it changed, and is
refused, changing nothing, when another window changed one of those fields (or the comment's
words) since. A split or merge (:class:`Edit`) is undone and redone under the rules of
:mod:`workbench.coding.comment`. Every replay is committed and audited like the change it
replays. :class:`~workbench.coding.session.CodingSession` records its steps here and asks for
them back with the coder and codebook it holds at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from workbench.coding.record import FIELDS, Coding, from_row, same_field, write_coding
from workbench.coding.seen import CommentChanged, Seen
from workbench.errors import CodingRuleError, WorkbenchError
from workbench.store import Store
from workbench.store.codebook import Codebook
from workbench.store.coding_records import Coder
from workbench.store.comment_records import Comment


def read_rows(*rows: Comment | None) -> tuple[Comment, ...]:
    """Comment rows read before a split or merge that then ran: so none is missing (the edit
    refuses a missing comment, naming it, before this is asked)."""
    present = tuple(row for row in rows if row is not None)
    if len(present) != len(rows):
        raise WorkbenchError("the comment is no longer in this project")
    return present


@dataclass
class Change:
    comment_id: int
    ref: str
    before: Coding
    after: Coding
    words: bytes  # the digest of the words it was made on (coding.seen)


@dataclass
class Edit:
    """A split (``rows`` = the comment before) or merge (``rows`` = both comments before)."""

    kind: str
    comment_id: int
    rows: tuple[Comment, ...]
    second_ref: str
    at: int = 0  # where a split cut the text (to redo it)


@dataclass
class UndoHistory:
    """One coder's undo and redo stacks over ``store``, checking words with ``seen``."""

    store: Store
    seen: Seen
    _undo: list[Change | Edit] = field(default_factory=list)
    _redo: list[Change | Edit] = field(default_factory=list)

    def record(self, step: Change | Edit) -> None:
        """A step just made: the next undo; nothing is left to redo."""
        self._undo.append(step)
        self._redo.clear()

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def next_is_comment_edit(self, redo: bool = False) -> bool:
        """Whether the next undo (or redo) splits or merges comments, not a coding."""
        stack = self._redo if redo else self._undo
        return bool(stack) and isinstance(stack[-1], Edit)

    def undo(self, coder: Coder, book: Codebook) -> int | None:
        """Undo the last change; return the comment id it touched (None if nothing)."""
        return self._replay(self._undo, self._redo, coder, book, undo=True)

    def redo(self, coder: Coder, book: Codebook) -> int | None:
        return self._replay(self._redo, self._undo, coder, book, undo=False)

    def _replay(
        self,
        source: list[Change | Edit],
        target: list[Change | Edit],
        coder: Coder,
        book: Codebook,
        undo: bool,
    ) -> int | None:
        if not source:
            return None
        change = source.pop()
        try:
            if isinstance(change, Edit):
                self._replay_edit(change, coder, undo)
            else:
                self._replay_change(change, coder, book, undo)
        except WorkbenchError:
            if isinstance(change, Edit):
                source.append(change)  # e.g. coded since: undoable again once the coding is cleared
            raise  # a coding step refused (changed elsewhere since) is dropped: left as it is
        target.append(change)
        return change.comment_id

    def _replay_change(self, change: Change, coder: Coder, book: Codebook, undo: bool) -> None:
        """Put back, field by field, only what ``change`` changed; refused, changing nothing,
        if another window changed one of those fields (or the comment's words) since."""
        verb = "undo" if undo else "redo"
        source, target = (change.after, change.before) if undo else (change.before, change.after)
        fields = [name for name in FIELDS if not same_field(name, source, target)]
        with self.store.transaction():
            try:
                ref, _words = self.seen.check(change.comment_id, change.words)
            except CommentChanged as exc:
                raise CommentChanged(exc.ref, f"Nothing to {verb} on {change.ref}: {exc}") from None
            current = from_row(self.store.coding(coder.id, change.comment_id))
            clashes = [FIELDS[name] for name in fields if not same_field(name, current, source)]
            if clashes:
                raise CodingRuleError(
                    f"cannot {verb} on {ref}: its {' and '.join(clashes)} "
                    "changed in another window since; left as it is"
                )
            result = replace(current, **{name: getattr(target, name) for name in fields})
            try:
                book.check(result, current)
            except CodingRuleError as exc:  # e.g. its themes or category changed in another window
                raise CodingRuleError(f"cannot {verb} on {ref}: {exc}") from None
            if result != current:
                write_coding(self.store, coder, change.comment_id, ref, current, result, verb)

    def _replay_edit(self, edit: Edit, coder: Coder, undo: bool) -> None:
        from workbench.coding.comment import merge_with_next, split_comment, unmerge, unsplit

        actor = coder.name
        if edit.kind == "split" and undo:
            unsplit(self.store, edit.comment_id, edit.rows[0], edit.second_ref, actor=actor)
        elif edit.kind == "split":
            row = self.store.comment(edit.comment_id)
            edit.second_ref = split_comment(self.store, edit.comment_id, edit.at, actor=actor)[1]
            edit.rows = read_rows(row)
        elif undo:
            first, second = edit.rows
            new_id = unmerge(self.store, edit.comment_id, first, second, actor=actor)
            old_id = second.id
            edit.rows = (first, replace(second, id=new_id))
            # The second part is a new row now: earlier changes to it follow it there.
            for stack in (self._undo, self._redo):
                for change in stack:
                    if isinstance(change, Change) and change.comment_id == old_id:
                        change.comment_id = new_id
        else:
            row = self.store.comment(edit.comment_id)
            following = self.store.next_comment(row) if row else None
            merge_with_next(self.store, edit.comment_id, actor=actor)
            edit.rows = read_rows(row, following)
        self.edited(edit.comment_id)

    def edited(self, comment_id: int) -> None:
        """The coder split or merged the comment (or undid that): the new words, and the
        part after it, are the ones the session shows now."""
        first = self.store.comment(comment_id)
        following = self.store.next_comment(first) if first else None
        self.seen.show([row for row in (first, following) if row])
