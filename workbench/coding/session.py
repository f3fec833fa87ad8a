"""One coder's coding of comments: the rules, immediate commits, audit, undo/redo.

Every change is one transaction (``BEGIN IMMEDIATE``) that reads the coding, applies the
change to it and writes it with an audit row whose "before" is the row as it was inside that
transaction: the same coder in two windows (two terminals, two browser tabs) never loses a
change, and nothing a coder decides is lost even if the process dies the next moment. Each
write first checks that the comment still has the words the window showed
(:mod:`workbench.coding.seen`): one split, merged, replaced or removed in another window is
refused (:class:`~workbench.coding.seen.CommentChanged`), writing nothing.

Undo and redo replay the coder's own changes field by field (category, themes, memo, not
sure, exemplar; :mod:`workbench.coding.undo` keeps the stacks): a step changes back only what
it changed, and is refused, changing nothing, when another window changed one of those fields
since. They are committed and audited too; a split or merge made through the session
(:meth:`CodingSession.split`, :meth:`CodingSession.merge`) is on the same stack, undone under
the rules of :mod:`workbench.coding.comment`. The app keeps one session per coder, so the
stacks outlive a visit to the coding screen.

Rules enforced here, not in the UI: every change is checked by the codebook's one rule
(:meth:`workbench.store.codebook.Codebook.check`: known, not newly retired keys; themes only on a
category that takes themes; each theme once), and moving a themed comment to a category without
themes needs ``drop_themes`` (the UI asks first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from workbench.coding.coder import ensure_coder
from workbench.coding.record import (
    Coding,
    clean_memo,
    codings_by_comment,
    from_row,
    write_coding,
)
from workbench.coding.seen import Seen
from workbench.coding.undo import Change, Edit, UndoHistory, read_rows
from workbench.errors import CodingRuleError
from workbench.store import Store
from workbench.store.codebook import Codebook
from workbench.store.coding_records import Coder
from workbench.store.comment_records import Comment, ContextTurn

# Coding and its helpers live in coding.record; importers of this module find them here too.
__all__ = [
    "Coding",
    "CodingRuleError",
    "CodingSession",
    "MemoChanged",
    "ThemesWouldBeDropped",
    "clean_memo",
    "codings_by_comment",
    "from_row",
    "write_coding",
]


class ThemesWouldBeDropped(CodingRuleError):
    """Moving to a category without themes would drop themes: ask the coder first."""

    def __init__(self, themes: tuple[str, ...], names: dict[str, str] | None = None):
        names = names or {}
        super().__init__(
            f"the comment's themes ({', '.join(names.get(t, t) for t in themes)}) would be dropped"
        )
        self.themes = themes


class MemoChanged(CodingRuleError):
    """The memo was changed in another window while the coder wrote theirs: nothing saved."""

    def __init__(self, theirs: str):
        super().__init__(
            "the memo was changed in another window while you wrote this one: "
            "yours is not saved yet"
        )
        self.theirs = theirs


def _flip(value: bool, on: bool | None) -> bool:
    return not value if on is None else on


@dataclass
class CodingSession:
    """A coder at work. Create with :meth:`start`."""

    store: Store
    coder: Coder
    #: Blind modes (methods evidence): only these comments are worked on ("training": the
    #: training set, "retest": the coder's retest sample), as a training or retest coder.
    scope: frozenset[int] | None = None
    mode: str | None = None

    def __post_init__(self) -> None:
        self.seen = Seen(self.store)  # the words of each comment shown: every write checks them
        self.history = UndoHistory(self.store, self.seen)  # undo and redo (coding.undo)

    @classmethod
    def start(cls, store: Store, coder_name: str) -> CodingSession:
        session = cls(store, ensure_coder(store, coder_name))
        session._load_codebook()
        return session

    @classmethod
    def scoped(cls, store: Store, coder: Coder, scope: frozenset[int], mode: str) -> CodingSession:
        """A session of a training or retest coder restricted to ``scope`` (see ``workbench.evidence.blind``)."""
        session = cls(store, coder, scope=frozenset(scope), mode=mode)
        session._load_codebook()
        return session

    def refresh(self) -> None:
        """Read the coder (their suggestions switch) and the codebook again: a session the
        app kept between two visits to the coding screen, or a codebook edited meanwhile."""
        coder = next(
            (c for c in self.store.coders(include_scoped=True) if c.id == self.coder_id), None
        )
        if coder is None:
            raise CodingRuleError(f"coder {self.coder.name!r} was removed from this project")
        self.coder = coder
        self._load_codebook()

    def _load_codebook(self) -> None:
        self.book: Codebook = self.store.codebook()  # every change is checked by its rule

    @property
    def coder_id(self) -> int:
        return self.coder.id

    @property
    def suggestions(self) -> bool:
        """Whether this coder has asked to see a model's suggestions (off by default:
        first-pass coding stays blind to the model as to the other coders)."""
        return self.coder.suggestions

    # -- reading -----------------------------------------------------------------

    def get(self, comment_id: int) -> Coding:
        return from_row(self.store.coding(self.coder_id, comment_id))

    def comment(self, comment_id: int) -> Comment | None:
        """A comment as shown to the coder: its words are what later writes are checked against."""
        row = self.store.comment(comment_id)
        if row is not None:
            self.seen.show([row])
        return row

    def context(self, comment_id: int, around: int = 2) -> list[ContextTurn]:
        """A comment with ``around`` turns either side (``Store.comment_with_context``), shown."""
        return self.seen.context(comment_id, around)

    def complete(self, coding: Coding) -> bool:
        """Coded as the codebook requires: a category, and a theme where it takes themes."""
        return self.book.complete(coding)

    # -- changing ----------------------------------------------------------------
    # Each method says how the coding changes (``make``); _change applies it to the coding as
    # it is inside the write's transaction, so another window's change in between is kept.

    def set_category(self, comment_id: int, key: str | None, drop_themes: bool = False) -> Coding:
        if key is not None:
            self.book.check(Coding(key))  # before the comment is read: an unknown key says so

        def make(current: Coding) -> Coding:
            themes = current.themes
            if themes and not self.book.takes_themes(key):
                if not drop_themes:
                    raise ThemesWouldBeDropped(themes, {t: self.book.theme_name(t) for t in themes})
                themes = ()
            return replace(current, category=key, themes=themes)

        return self._change(comment_id, make)

    def toggle_theme(self, comment_id: int, key: str, on: bool | None = None) -> Coding:
        """Add or remove a theme: ``on`` says which (what the coder saw decides, in the app);
        None flips it as stored."""

        def make(current: Coding) -> Coding:
            wanted = (key not in current.themes) if on is None else on
            themes = (set(current.themes) - {key}) | ({key} if wanted else set())
            return replace(current, themes=self.book.ordered(themes))

        return self._change(comment_id, make)

    def set_memo(self, comment_id: int, memo: str, was: str | None = None) -> Coding:
        """Write the memo. ``was``: the memo the coder started from; if another window changed
        it meanwhile, :class:`MemoChanged` (with theirs), so neither memo is lost."""
        memo = clean_memo(memo)

        def make(current: Coding) -> Coding:
            if was is not None and current.memo not in (clean_memo(was), memo):
                raise MemoChanged(current.memo)
            return replace(current, memo=memo)

        return self._change(comment_id, make)

    def toggle_unsure(self, comment_id: int, on: bool | None = None) -> Coding:
        return self._change(comment_id, lambda c: replace(c, unsure=_flip(c.unsure, on)))

    def toggle_exemplar(self, comment_id: int, on: bool | None = None) -> Coding:
        return self._change(comment_id, lambda c: replace(c, exemplar=_flip(c.exemplar, on)))

    def accept(
        self, comment_id: int, category: str, themes: tuple[str, ...], model_id: int, note: str = ""
    ) -> Coding:
        """Take a model's suggestion as the comment's category and themes (memo and flags
        kept). The coding stays marked as suggestion-accepted (``suggested_by``) through
        later edits, so agreement can leave out or separate assisted codings."""
        try:
            self.book.check(Coding(category, themes))
        except CodingRuleError as exc:
            raise CodingRuleError(f"the model's suggestion: {exc}; train the model again") from None
        themes = self.book.ordered(themes)
        return self._change(
            comment_id,
            lambda c: replace(c, category=category, themes=themes, suggested_by=model_id),
            "accept suggestion",
            note,
        )

    def clear(self, comment_id: int) -> Coding:
        return self._change(comment_id, lambda c: Coding())

    # -- undo / redo -------------------------------------------------------------

    @property
    def can_redo(self) -> bool:
        return self.history.can_redo

    def next_is_comment_edit(self, redo: bool = False) -> bool:
        """Whether the next undo (or redo) splits or merges comments, not a coding."""
        return self.history.next_is_comment_edit(redo)

    def undo(self) -> int | None:
        """Undo the last change; return the comment id it touched (None if nothing)."""
        return self.history.undo(self.coder, self.book)

    def redo(self) -> int | None:
        return self.history.redo(self.coder, self.book)

    # -- splitting and merging comments (study coding only) ----------------------

    def split(self, comment_id: int, at: int) -> tuple[str, str]:
        """Split a comment at a sentence boundary (``coding.comment.split_comment``), undoably;
        refused if its words are no longer those shown."""
        from workbench.coding.comment import split_comment

        with self.store.transaction():
            self.seen.check(comment_id)
            original = self.store.comment(comment_id)
            refs = split_comment(self.store, comment_id, at, actor=self.coder.name)
        self.history.record(Edit("split", comment_id, read_rows(original), refs[1], at))
        self.history.edited(comment_id)
        return refs

    def merge(self, comment_id: int) -> str:
        """Merge a comment with the next (``coding.comment.merge_with_next``), undoably; refused
        if the words of either are no longer those shown."""
        from workbench.coding.comment import merge_with_next

        with self.store.transaction():
            self.seen.check(comment_id)
            first = self.store.comment(comment_id)
            second = self.store.next_comment(first) if first else None
            if second is not None:
                self.seen.check(second.id)
            ref = merge_with_next(self.store, comment_id, actor=self.coder.name)
        rows = read_rows(first, second)  # (merge_with_next refused a missing one)
        self.history.record(Edit("merge", comment_id, rows, rows[1].ref))
        self.history.edited(comment_id)
        return ref

    # -- internals ---------------------------------------------------------------

    def _change(
        self,
        comment_id: int,
        make: Callable[[Coding], Coding],
        action: str = "code",
        note: str | None = None,
    ) -> Coding:
        """In one transaction: check the comment's words, read its coding, ``make`` the new one
        from it and write it with its audit row (before = the coding as read here)."""
        with self.store.transaction():
            ref, words = self.seen.check(comment_id)
            current = self.get(comment_id)
            after = make(current)
            if after == current:
                return current
            self.book.check(after, current)
            write_coding(
                self.store, self.coder, comment_id, ref, current, after, action, note=note or None
            )
        self.history.record(Change(comment_id, ref, current, after, words))
        return after
