"""The coding screen: one coder maps comments to a category and themes, by keyboard.

Every key that changes a coding goes straight to :class:`CodingSession` (``ui.coding_write``),
which commits it (with its audit row) before the screen redraws (``ui.coding_view``). The screen
reads only this coder's codings (through :class:`Worklist`): blind to other coders, and to the
model unless the coder has switched suggestions on. Its parts talk to it by messages: the codes
and suggestion panes (``ui.coding_codes``, ``ui.coding_suggest``), search
(``ui.coding_search``), split, merge and undo (``ui.coding_edit``), memos (``ui.coding_memo``);
other windows' commits are read by ``ui.coding_intake``.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from workbench.coding.session import Coding, CodingSession
from workbench.coding.worklist import Worklist
from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.ui import coding_layout
from workbench.ui.changes import ProjectChanged
from workbench.ui.coding_codes import CodesPane
from workbench.ui.coding_edit import CodingReplayed, CommentEditor, CommentsChanged
from workbench.ui.coding_intake import reread, take_in
from workbench.ui.coding_memo import MemoFlow, MemoWritten
from workbench.ui.coding_search import CommentSearch, Filtered
from workbench.ui.coding_suggest import SuggestionAccepted, SuggestionPane
from workbench.ui.coding_view import CommentView
from workbench.ui.coding_write import CodingChanged, CodingWrites, MemoConflict
from workbench.ui.dialogs import Prompt
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import bind_codebook_keys, transcript_pane
from workbench.ui.similar import SimilarScreen, like_binding


class CodingScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("j,right", "move(1)", "Next", id="coding.next"),
        Binding("k,left", "move(-1)", "Prev", id="coding.previous"),
        Binding("u", "next_uncoded", "Next uncoded", id="coding.next_uncoded"),
        Binding("A", "accept", "Accept suggestion", id="coding.accept"),  # only while one is shown
        Binding("f", "next_flagged", "Next not sure", id="coding.next_flagged", show=False),
        Binding("enter", "memo", "Memo", id="coding.memo"),
        Binding("exclamation_mark", "unsure", "Not sure", id="coding.unsure"),
        Binding("asterisk", "exemplar", "Exemplar", id="coding.exemplar"),
        Binding("0,delete", "clear", "Clear", id="coding.clear", show=False),
        Binding("ctrl+z", "undo", "Undo", id="coding.undo"),
        Binding("ctrl+y", "redo", "Redo", id="coding.redo", show=False),
        Binding("slash", "search", "Search", id="coding.search"),
        Binding("F", "filter", "Filter", id="coding.filter", show=False),
        Binding("colon,ctrl+g", "goto", "Go to ref", id="coding.goto", show=False),
        Binding("S", "split", "Split", id="coding.split", show=False),
        Binding("M", "merge", "Merge with next", id="coding.merge", show=False),
        Binding("T", "transcript", "Transcript", id="coding.transcript", show=False),
        like_binding("coding"),
        # While a search or filter is on, escape clears it first (shown in its place).
        Binding("escape", "clear_filter", "Clear search", id="coding.clear_search"),
        Binding("escape", "leave", "Home", id="coding.home"),
    ]
    # What the footer keeps at 80 columns (ui.keybar); the rest are in ? and the palette.
    KEYBAR_PRIORITY = (
        "coding.undo",
        "coding.search",
        "coding.clear_search",
        "coding.home",
        "coding.accept",
        "coding.next_uncoded",
        "coding.next",
    )

    def __init__(self, session: CodingSession, at: str | None = None):
        super().__init__()
        self.session = session
        self.at = at  # a ref to open on (from the transcript, theme or memo views)
        self.store = session.store
        # Built with the screen, on the app's thread: reading 100,000 ids off a covering index
        # takes ~15 ms, less than a worker's extra repaint and the footer's redraw after it.
        self.worklist = Worklist(session)
        self._drawn: dict[str, tuple] = {}  # widget id -> (content, shape) last shown
        self.categories = self.store.categories()
        self.themes = self.store.themes()
        self.groups = {g.id: g for g in self.store.groups()}
        bind_codebook_keys(self, self.categories, self.themes, "coding", "")
        names = {c.key: c.name for c in self.categories} | {t.key: t.name for t in self.themes}
        self.suggestions = SuggestionPane(self.store, names) if session.suggestions else None
        self.codes = CodesPane(self.categories, self.themes)
        self.finder = CommentSearch(self.store, self)  # search (/) and filter (F)
        self.editor = CommentEditor(session, self)  # split (S), merge (M), undo, redo
        self.memos = MemoFlow(self)  # enter
        self.writes = CodingWrites(session, self)  # every change of a coding

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="where")
        with Horizontal(id="coding-body"):
            if self.suggestions is not None:
                with Vertical(id="left"):
                    yield from transcript_pane()
                    yield self.suggestions
            else:
                yield from transcript_pane()
            yield self.codes
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = printable(
            f"{self.store.project_info()['name']} · coding as {self.session.coder.name}"
        )
        coding_layout.apply(self)
        if self.session.scope is not None:  # training set or retest sample: only its groups
            self.groups = {g: v for g, v in self.groups.items() if g in self.worklist.totals}
        self.view = CommentView(
            self.session,
            self.worklist,
            self.groups,
            self.codes,
            self.suggestions,
            self._drawn,
            self,
        )
        # Start on the comment asked for, else where the coder left off.
        error = self.worklist.jump(self.at) if self.at else None
        if error:
            self.notify(error, severity="warning")
        if (
            (not self.at or error)
            and self.worklist.current is not None
            and self.worklist.is_coded(self.worklist.current)
        ):
            self.worklist.next_uncoded()
        self.refresh_view()
        if self.suggestions is not None:
            self.suggestions.start()

    # -- drawing (ui.coding_view) ------------------------------------------------

    def refresh_view(self) -> None:
        if not self.view.show():  # merged or split away in another window since the list was read
            self.notify("The comments changed in another window (a split or merge): list reloaded.")
            self._reload(None)
        elif self.view.me is not None:  # (none yet while the list is empty)
            self._me = self.view.me

    def on_screen_resume(self) -> None:
        # Back from a dialog (go to, search, filter): the comment it chose is laid out one
        # refresh after the screen resumes, so scroll it into view after that one.
        self.call_after_refresh(self.call_after_refresh, self.view.scroll_to_comment)

    # -- coding ------------------------------------------------------------------

    def _change(self, change, *args, comment_id: int | None = None, **kwargs) -> None:
        current = self.worklist.current if comment_id is None else comment_id
        if current is not None:
            coding = self.writes.change(current, change, *args, **kwargs)
            if coding is not None:
                self.on_coding_changed(CodingChanged(current, coding))

    def on_coding_changed(self, message: CodingChanged) -> None:
        self.worklist.record(message.comment_id, message.coding)
        if message.comment_id == self.worklist.current:
            self.view.revised = None  # coded again since the text was corrected: reviewed
            self.view.show_codes()

    def on_memo_conflict(self, message: MemoConflict) -> None:
        self.worklist.reread(message.comment_id)
        if self.worklist.current is not None:
            self.view.show_codes()
        self.memos.again(
            message.comment_id, message.theirs, message.mine, coding_layout.memo_place(self)
        )

    def _shown(self) -> Coding:
        current = self.worklist.current
        assert current is not None, "the toggles check there is a comment first"
        return self.worklist.coding(current)

    def action_category(self, key: str) -> None:
        self._change(self.session.set_category, key)

    # Toggles say what the coder wants from what they see: if another window already made
    # the change, pressing the key does not undo it.
    def action_theme(self, key: str) -> None:
        if self.worklist.current is not None:
            self._change(self.session.toggle_theme, key, on=key not in self._shown().themes)

    def action_unsure(self) -> None:
        if self.worklist.current is not None:
            self._change(self.session.toggle_unsure, on=not self._shown().unsure)

    def action_exemplar(self) -> None:
        if self.worklist.current is not None:
            self._change(self.session.toggle_exemplar, on=not self._shown().exemplar)

    def action_clear(self) -> None:
        self._change(self.session.clear)

    def action_memo(self) -> None:
        current = self.worklist.current
        if current is not None:
            ref = self._me.ref if getattr(self, "_me", None) else "this comment"
            memo = self.worklist.coding(current).memo
            self.memos.edit(current, ref, memo, coding_layout.memo_place(self))

    def on_memo_written(self, message: MemoWritten) -> None:
        self._change(
            self.session.set_memo, message.memo, comment_id=message.comment_id, was=message.was
        )

    def action_split(self) -> None:
        self.editor.split(self.worklist.current)

    def action_merge(self) -> None:
        self.editor.merge(self.worklist.current)

    def action_undo(self) -> None:
        self.editor.replay(False, self.worklist.current)

    def action_redo(self) -> None:
        self.editor.replay(True, self.worklist.current)

    def on_comments_changed(self, message: CommentsChanged) -> None:
        self._reload(message.comment_id)

    def on_coding_replayed(self, message: CodingReplayed) -> None:
        self.worklist.record(message.comment_id, self.session.get(message.comment_id))
        self.worklist.goto_id(message.comment_id)
        self.refresh_view()

    def _reload(self, comment_id: int | None, read: bool = True) -> None:
        """Read the comments and codings again (unless already read), on ``comment_id`` if it is
        still there; their texts (and so suggestions) may have changed."""
        if read:
            reread(self.worklist, comment_id)
        if self.suggestions is not None:
            self.suggestions.forget()
        self.refresh_view()

    def on_project_changed(self, message: ProjectChanged) -> None:
        """What other windows committed, taken in (``ui.coding_intake``) and said."""
        current, me = self.worklist.current, getattr(self, "_me", None)
        try:
            intake = take_in(
                message.changes, self.session, self.worklist, me, self.categories, self.themes
            )
        except WorkbenchError as exc:  # this coder was renamed or removed there
            self.notify(str(exc), severity="error", timeout=10)
            self.app.leave_to_home()
            return
        if intake.codebook is not None:  # its keys bound again: a new theme's key works at once
            self.categories, self.themes = intake.codebook
            bind_codebook_keys(self, self.categories, self.themes, "coding", "")
            self.codes.new_codebook(self.categories, self.themes)
            self.refresh_bindings()
        if intake.reload:
            self._reload(current, read=False)
        elif intake.recoded and current is not None:
            self.view.show_codes()
        if intake.said:
            self.notify("In another window: " + "; ".join(intake.said) + ".", timeout=8)

    # -- moving ------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.worklist.move(delta):
            self.refresh_view()

    def action_next_uncoded(self) -> None:
        if self.worklist.next_uncoded():
            self.refresh_view()
        else:
            self.notify("Every comment here is coded.")

    def action_next_flagged(self) -> None:
        if self.worklist.next_flagged():
            self.refresh_view()
        else:
            self.notify("No comment is marked not sure.")

    def action_goto(self) -> None:
        self.app.push_screen(
            Prompt("Go to comment", placeholder="e.g. FG2-014"),
            lambda ref: self.go_to(ref) if ref else None,
        )

    def go_to(self, ref: str) -> None:
        """Show the comment ``ref`` (a message says why not, if it is not to be coded here)."""
        error = self.worklist.jump(ref)
        if error:
            self.notify(error, severity="warning")
        self.refresh_view()

    def action_transcript(self) -> None:
        """The whole transcript of this comment's group, this coder's codes in the margin."""
        from workbench.ui.transcript import TranscriptScreen

        me = getattr(self, "_me", None)
        if self.worklist.current is None or me is None:
            return
        self.app.push_screen(TranscriptScreen(self.store, me.group_code, at=me.ref))

    def action_more_like(self) -> None:
        """The comments most like this one (``ui.similar``); enter there goes to one."""
        me = getattr(self, "_me", None)
        if self.worklist.current is None or me is None:
            return
        self.app.push_screen(
            SimilarScreen(self.store, me.id, me.ref), lambda ref: self.go_to(ref) if ref else None
        )

    def action_search(self) -> None:
        self.finder.ask_search(self.worklist.filters)

    def action_filter(self) -> None:
        self.finder.ask_filter(self.worklist.filters)

    def on_filtered(self, message: Filtered) -> None:
        count = self.worklist.apply(message.filters, message.matches)
        self.notify(f"{count} comment(s) shown" + ("" if message.filters.active else " (all)"))
        self.refresh_view()
        self.refresh_bindings()  # escape clears a search while one is on (check_action)

    def action_clear_filter(self) -> None:
        """The search off (a filter chosen with F stays)."""
        self.finder.apply(replace(self.worklist.filters, search=""))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "clear_filter":  # escape clears a search first, then goes home
            return bool(self.worklist and self.worklist.filters.search.strip())
        if action == "accept":  # offered (and in the key bar) only while a suggestion is shown
            return self.suggestions is not None and self.suggestions.offered
        return super().check_action(action, parameters)

    def action_accept(self) -> None:
        if self.suggestions is not None:
            self.suggestions.accept()

    def on_suggestion_accepted(self, message: SuggestionAccepted) -> None:
        s = message.suggestion
        self._change(
            self.session.accept,
            s.category,
            tuple(t for t, _p in s.themes),
            s.model_id,
            note=message.note,
            comment_id=message.comment_id,
        )

    def action_leave(self) -> None:
        self.app.leave_to_home()

    def on_help_panel(self) -> None:
        """The key panel (?) opened or closed (``WorkbenchApp``)."""
        self.on_resize()

    def on_resize(self) -> None:
        if coding_layout.apply(self):  # redraw only when the layout changes
            self.refresh_view()
