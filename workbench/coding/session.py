"""One coder's coding of comments: the rules, immediate commits, audit, undo/redo.

Every change is written in its own transaction together with an audit row
(coder, time, comment, before, after), so nothing a coder decides is lost even
if the process dies the next moment. Undo and redo replay the coder's own
changes, and are themselves committed and audited; a split or merge made through
the session (:meth:`CodingSession.split`, :meth:`CodingSession.merge`) is on the
same stack, undone under the rules of :mod:`workbench.coding.comment`. The app keeps
one session per coder, so the stacks outlive a visit to the coding screen.

Rules enforced here, not in the UI:
* themes only on a category that takes themes;
* moving a themed comment to a category without themes needs ``drop_themes``
  (the UI asks first);
* themes and category must exist in the project's codebook (not retired).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from workbench.coding.coder import ensure_coder
from workbench.errors import WorkbenchError
from workbench.store import Store


class CodingRuleError(WorkbenchError):
    """A change the codebook does not allow."""


class ThemesWouldBeDropped(CodingRuleError):
    """Moving to a category without themes would drop themes: ask the coder first."""

    def __init__(self, themes: tuple[str, ...], names: dict[str, str] | None = None):
        names = names or {}
        super().__init__(f"the comment's themes ({', '.join(names.get(t, t) for t in themes)}) would be dropped")
        self.themes = themes


@dataclass(frozen=True)
class Coding:
    category: str | None = None
    themes: tuple[str, ...] = ()
    memo: str = ""
    unsure: bool = False
    exemplar: bool = False
    suggested_by: int | None = None  # the model whose suggestion the coder accepted here

    @property
    def empty(self) -> bool:
        return self == Coding()

    def as_dict(self) -> dict:
        # Written out rather than dataclasses.asdict, which deep-copies every field: an import
        # writes this twice per coding for 100,000s of codings (benchmarks/refi_bench.py).
        data = {"category": self.category, "themes": list(self.themes), "memo": self.memo,
                "unsure": self.unsure, "exemplar": self.exemplar}
        if self.suggested_by is not None:  # only an accepted suggestion is recorded as such
            data["suggested_by"] = self.suggested_by
        return data


def clean_memo(text: str) -> str:
    """A memo as it is stored: line breaks as ``\n`` (a sheet saved on Windows or a paste
    brings ``\r\n`` and ``\r``), no blank space at either end, the lines as written."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def from_row(row: dict | None) -> Coding:
    """A stored coding row (``Store.coding``/``codings_of``) as a :class:`Coding`."""
    if row is None:
        return Coding()
    return Coding(row["category_key"], tuple(row["themes"]), row["memo"], bool(row["unsure"]),
                  bool(row["exemplar"]), row.get("suggested_by"))


def codings_by_comment(store: Store, coder_id: int) -> dict[int, Coding]:
    """Every coding of one coder, by comment id."""
    return {comment_id: from_row(row) for comment_id, row in store.codings_of(coder_id).items()}


def write_coding(store: Store, coder: dict, comment_id: int, ref: str, before: Coding, after: Coding,
                 action: str, actor: str | None = None, note: str | None = None) -> None:
    """Store one coding change and its audit row (call inside a transaction)."""
    if after.empty:
        store.delete_coding(coder["id"], comment_id)
    else:
        store.save_coding(coder["id"], comment_id, after.category, list(after.themes), after.memo,
                          after.unsure, after.exemplar, after.suggested_by)
    store.audit(action, "coding", ref, before=before.as_dict(), after=after.as_dict(),
                actor=actor or coder["name"], note=note)


@dataclass
class _Change:
    comment_id: int
    ref: str
    before: Coding
    after: Coding


@dataclass
class _Edit:
    """A split (``rows`` = the comment before) or merge (``rows`` = both comments before)."""

    kind: str
    comment_id: int
    rows: tuple[dict, ...]
    second_ref: str
    at: int = 0  # where a split cut the text (to redo it)


@dataclass
class CodingSession:
    """A coder at work. Create with :meth:`start`."""

    store: Store
    coder: dict
    _undo: list[_Change | _Edit] = field(default_factory=list)
    _redo: list[_Change | _Edit] = field(default_factory=list)
    #: Blind modes (methods evidence): only these comments are worked on ("training": the
    #: training set, "retest": the coder's retest sample), as a training or retest coder.
    scope: frozenset[int] | None = None
    mode: str | None = None

    @classmethod
    def start(cls, store: Store, coder_name: str) -> "CodingSession":
        session = cls(store, ensure_coder(store, coder_name))
        session._load_codebook()
        return session

    @classmethod
    def scoped(cls, store: Store, coder: dict, scope: frozenset[int], mode: str) -> "CodingSession":
        """A session of a training or retest coder restricted to ``scope`` (see ``workbench.evidence.blind``)."""
        session = cls(store, coder, scope=frozenset(scope), mode=mode)
        session._load_codebook()
        return session

    def refresh(self) -> None:
        """Read the coder (their suggestions switch) and the codebook again: a session the
        app kept between two visits to the coding screen."""
        coder = next((c for c in self.store.coders(include_scoped=True) if c["id"] == self.coder_id), None)
        if coder is None:
            raise CodingRuleError(f"coder {self.coder['name']!r} was removed from this project")
        self.coder = coder
        self._load_codebook()

    def _load_codebook(self) -> None:
        self.categories = {c["key"]: c for c in self.store.categories()}
        themes = self.store.themes()
        self.theme_order = {t["key"]: t["position"] for t in themes}
        self.theme_names = {t["key"]: t["name"] for t in themes}

    @property
    def coder_id(self) -> int:
        return self.coder["id"]

    @property
    def suggestions(self) -> bool:
        """Whether this coder has asked to see a model's suggestions (off by default:
        first-pass coding stays blind to the model as to the other coders)."""
        return bool(self.coder.get("suggestions"))

    # -- reading -----------------------------------------------------------------

    def get(self, comment_id: int) -> Coding:
        return from_row(self.store.coding(self.coder_id, comment_id))

    def complete(self, coding: Coding) -> bool:
        """Coded as the codebook requires: a category, and a theme where it takes themes."""
        if coding.category is None:
            return False
        category = self.categories.get(coding.category)
        return not (category and category["takes_themes"] and not coding.themes)

    # -- changing ----------------------------------------------------------------

    def set_category(self, comment_id: int, key: str | None, drop_themes: bool = False) -> Coding:
        current = self.get(comment_id)
        themes = current.themes
        if key is not None:
            category = self.categories.get(key)
            if category is None:
                raise CodingRuleError(f"unknown category {key!r}")
            if not category["takes_themes"] and themes:
                if not drop_themes:
                    raise ThemesWouldBeDropped(themes, self.theme_names)
                themes = ()
        elif themes and not drop_themes:
            raise ThemesWouldBeDropped(themes, self.theme_names)
        elif drop_themes:
            themes = ()
        return self._apply(comment_id, current, replace(current, category=key, themes=themes))

    def toggle_theme(self, comment_id: int, key: str) -> Coding:
        current = self.get(comment_id)
        if key not in self.theme_order:
            raise CodingRuleError(f"unknown theme {key!r}")
        category = self.categories.get(current.category) if current.category else None
        if category is None or not category["takes_themes"]:
            raise CodingRuleError(
                "themes go only on a category that takes themes: choose "
                + " or ".join(c["name"] for c in self.categories.values() if c["takes_themes"])
                + " first"
            )
        if key in current.themes:
            themes = tuple(t for t in current.themes if t != key)
        else:
            themes = tuple(sorted((*current.themes, key), key=self.theme_order.__getitem__))
        return self._apply(comment_id, current, replace(current, themes=themes))

    def set_memo(self, comment_id: int, memo: str) -> Coding:
        current = self.get(comment_id)
        return self._apply(comment_id, current, replace(current, memo=clean_memo(memo)))

    def toggle_unsure(self, comment_id: int) -> Coding:
        current = self.get(comment_id)
        return self._apply(comment_id, current, replace(current, unsure=not current.unsure))

    def toggle_exemplar(self, comment_id: int) -> Coding:
        current = self.get(comment_id)
        return self._apply(comment_id, current, replace(current, exemplar=not current.exemplar))

    def accept(self, comment_id: int, category: str, themes: tuple[str, ...], model_id: int,
               note: str = "") -> Coding:
        """Take a model's suggestion as the comment's category and themes (memo and flags
        kept). The coding stays marked as suggestion-accepted (``suggested_by``) through
        later edits, so agreement can leave out or separate assisted codings."""
        current = self.get(comment_id)
        chosen = self.categories.get(category)
        if chosen is None or any(t not in self.theme_order for t in themes):
            raise CodingRuleError(f"the suggestion names a {'category' if chosen is None else 'theme'} "
                                  "this codebook does not have; train the model again")
        if themes and not chosen["takes_themes"]:
            raise CodingRuleError(f"{chosen['name']} takes no themes")
        themes = tuple(sorted(themes, key=self.theme_order.__getitem__))
        after = replace(current, category=category, themes=themes, suggested_by=model_id)
        if after == current:
            return after
        ref = self._write(comment_id, None, current, after, "accept suggestion", note)
        self._undo.append(_Change(comment_id, ref, current, after))
        self._redo.clear()
        return after

    def clear(self, comment_id: int) -> Coding:
        return self._apply(comment_id, self.get(comment_id), Coding())

    # -- undo / redo -------------------------------------------------------------

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def next_is_comment_edit(self, redo: bool = False) -> bool:
        """Whether the next undo (or redo) splits or merges comments, not a coding."""
        stack = self._redo if redo else self._undo
        return bool(stack) and isinstance(stack[-1], _Edit)

    def undo(self) -> int | None:
        """Undo the last change; return the comment id it touched (None if nothing)."""
        return self._replay(self._undo, self._redo, undo=True)

    def redo(self) -> int | None:
        return self._replay(self._redo, self._undo, undo=False)

    def _replay(self, source: list, target: list, undo: bool) -> int | None:
        if not source:
            return None
        change = source.pop()
        try:
            if isinstance(change, _Edit):
                self._replay_edit(change, undo)
            else:
                if self.store.comment_ref(change.comment_id) is None:
                    raise CodingRuleError(f"{change.ref} no longer exists (merged or split since): nothing to "
                                          + ("undo" if undo else "redo"))
                self._write(change.comment_id, change.ref, self.get(change.comment_id),
                            change.before if undo else change.after, "undo" if undo else "redo")
        except WorkbenchError:
            if isinstance(change, _Edit):
                source.append(change)  # e.g. coded since: undoable again once the coding is cleared
            raise
        target.append(change)
        return change.comment_id

    # -- splitting and merging comments (study coding only) ----------------------

    def split(self, comment_id: int, at: int) -> tuple[str, str]:
        """Split a comment at a sentence boundary (``coding.comment.split_comment``), undoably."""
        from workbench.coding.comment import split_comment

        original = self.store.comment(comment_id)
        refs = split_comment(self.store, comment_id, at, actor=self.coder["name"])
        self._undo.append(_Edit("split", comment_id, (original,), refs[1], at))
        self._redo.clear()
        return refs

    def merge(self, comment_id: int) -> str:
        """Merge a comment with the next (``coding.comment.merge_with_next``), undoably."""
        from workbench.coding.comment import merge_with_next

        first = self.store.comment(comment_id)
        second = self.store.next_comment(first) if first else None
        ref = merge_with_next(self.store, comment_id, actor=self.coder["name"])
        self._undo.append(_Edit("merge", comment_id, (first, second), second["ref"]))
        self._redo.clear()
        return ref

    def _replay_edit(self, edit: _Edit, undo: bool) -> None:
        from workbench.coding.comment import merge_with_next, split_comment, unmerge, unsplit

        actor = self.coder["name"]
        if edit.kind == "split" and undo:
            unsplit(self.store, edit.comment_id, edit.rows[0], edit.second_ref, actor=actor)
        elif edit.kind == "split":
            edit.rows = (self.store.comment(edit.comment_id),)
            edit.second_ref = split_comment(self.store, edit.comment_id, edit.at, actor=actor)[1]
        elif undo:
            new_id = unmerge(self.store, edit.comment_id, *edit.rows, actor=actor)
            old_id = edit.rows[1]["id"]
            edit.rows = (edit.rows[0], {**edit.rows[1], "id": new_id})
            # The second part is a new row now: earlier changes to it follow it there.
            for stack in (self._undo, self._redo):
                for change in stack:
                    if isinstance(change, _Change) and change.comment_id == old_id:
                        change.comment_id = new_id
        else:
            first = self.store.comment(edit.comment_id)
            second = self.store.next_comment(first) if first else None
            merge_with_next(self.store, edit.comment_id, actor=actor)
            edit.rows = (first, second)

    # -- internals ---------------------------------------------------------------

    def _apply(self, comment_id: int, before: Coding, after: Coding) -> Coding:
        if after == before:
            return after
        ref = self._write(comment_id, None, before, after, "code")
        self._undo.append(_Change(comment_id, ref, before, after))
        self._redo.clear()
        return after

    def _write(self, comment_id: int, ref: str | None, before: Coding, after: Coding, action: str,
               note: str | None = None) -> str:
        store = self.store
        with store.transaction():
            ref = ref or store.comment_ref(comment_id)
            if ref is None:
                raise CodingRuleError(f"comment {comment_id} does not exist (was it merged or split?)")
            write_coding(store, self.coder, comment_id, ref, before, after, action, note=note or None)
        return ref
