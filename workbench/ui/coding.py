"""The coding screen: one coder maps comments to a category and themes, by keyboard.

Every key that changes a coding goes straight to :class:`CodingSession`, which commits it
(with its audit row) before the screen redraws. The screen reads only this coder's codings
(through :class:`Worklist`): it is blind to other coders, and to the model unless the coder
has switched suggestions on (``ui.coding_suggest``). Splitting and merging comments are in
``ui.coding_edit``, how each pane looks in ``ui.coding_panes``.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from workbench.coding.record import corrected_since_coded
from workbench.coding.search import search
from workbench.coding.seen import StaleView
from workbench.coding.session import (
    Coding,
    CodingRuleError,
    CodingSession,
    MemoChanged,
    ThemesWouldBeDropped,
)
from workbench.coding.worklist import Worklist
from workbench.plain import printable
from workbench.ui import coding_layout
from workbench.ui import coding_panes as panes
from workbench.ui.coding_edit import CommentEdits
from workbench.ui.coding_suggest import Suggestions
from workbench.ui.dialogs import Confirm, FilterDialog, MemoEditor, Prompt
from workbench.ui.keybar import KeyBar
from workbench.ui.render import TranscriptPane, bind_codebook_keys, context_turns, transcript_pane
from workbench.ui.similar import SimilarScreen, like_binding


class CodingScreen(Suggestions, CommentEdits, Screen):
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
    KEYBAR_PRIORITY = ("coding.undo", "coding.search", "coding.clear_search", "coding.home", "coding.accept",
                       "coding.next_uncoded", "coding.next")

    def __init__(self, session: CodingSession, at: str | None = None):
        super().__init__()
        self.session = session
        self.at = at  # a ref to open on (from the transcript, theme or memo views)
        self.store = session.store
        self.worklist: Worklist | None = None
        self._drawn: dict[str, tuple] = {}  # widget id -> (content, shape) last shown
        self.categories = self.store.categories()
        self.themes = self.store.themes()
        self.groups = {g["id"]: g for g in self.store.groups()}
        bind_codebook_keys(self, self.categories, self.themes, "coding", "")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="where")
        with Horizontal(id="coding-body"):
            if self.suggesting:  # the model's suggestion under the comment
                with Vertical(id="left"):
                    yield from transcript_pane()
                    yield Static(id="suggestion")
            else:
                yield from transcript_pane()
            with Vertical(id="codes"):
                yield Static(id="categories")
                yield Static(id="themes")
                yield Static(id="flags")
                yield Static(id="definitions", classes="dim")
                yield Static(id="progress")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = printable(f"{self.store.project_info()['name']} · coding as {self.session.coder['name']}")
        self._apply_layout()
        # Built here, not in a worker: reading 100,000 ids off a covering index takes
        # ~15 ms, less than a worker's extra repaint and the footer's redraw when the
        # keys come alive.
        self.worklist = Worklist(self.session)
        if self.session.scope is not None:  # training set or retest sample: only its groups
            self.groups = {g: v for g, v in self.groups.items() if g in self.worklist.totals}
        # Start on the comment asked for, else where the coder left off.
        error = self.worklist.jump(self.at) if self.at else None
        if error:
            self.notify(error, severity="warning")
        if (not self.at or error) and self.worklist.current is not None \
                and self.worklist.is_coded(self.worklist.current):
            self.worklist.next_uncoded()
        self.refresh_view()
        self.start_suggestions()

    # -- drawing -----------------------------------------------------------------

    def _show(self, widget_id: str, build, content: object, shape: object = None) -> None:
        """Update a Static only if what it shows changed (``content``), and lay the screen
        out again only if its size may have changed (``shape``): on a coding key the full
        layout of the screen is most of the time to idle."""
        drawn = self._drawn.get(widget_id)
        if drawn == (content, shape):
            return
        self.query_one(widget_id, Static).update(build(), layout=drawn is None or drawn[1] != shape)
        self._drawn[widget_id] = (content, shape)

    def refresh_view(self) -> None:
        if self.worklist is None:
            return
        current = self.worklist.current
        if current is None:
            empty = (" No comments to code yet: import transcripts (workbench import), then come back."
                     if not self.worklist.codable else
                     " No comments match the filter: F to change it, escape for home.")
            self._show("#where", lambda: Text(empty, style="bold"), empty)
            for widget_id in ("#context-before", "#comment", "#context-after"):
                self.query_one(widget_id, Static).update("")
            self._draw_codes(None)
            return
        # A tall terminal shows more of the conversation around the comment.
        around = max(1, min(6, (self.size.height - 14) // 6))
        rows = self.session.context(current, around)  # what the coder sees: writes check it
        me = next((r for r in rows if r["current"]), None)
        if me is None:  # merged or split away in another window since the list was read
            self.notify("The comments changed in another window (a split or merge): list reloaded.")
            self._reload(None)
            return
        before = [r for r in rows if r["position"] < me["position"]]
        after = [r for r in rows if r["position"] > me["position"]]
        self.query_one("#context-before", Static).update(context_turns(before))
        self.query_one("#context-after", Static).update(context_turns(after))
        self.query_one("#comment", Static).update(panes.comment(me, self.worklist.filters.search))
        self._me = me
        self._revised = corrected_since_coded(self.store, self.session.coder_id, current)
        self.refresh_codes()
        # After the layout of the new text, so the whole comment is scrolled into view.
        self.call_after_refresh(self._scroll_to_comment)

    def _scroll_to_comment(self) -> None:
        self.query_one("#transcript", TranscriptPane).keep_comment_in_view()
        if self.worklist is not None and self.worklist.current is not None:  # laid out: its width known
            self._draw_header(self.worklist.coding(self.worklist.current))

    def on_screen_resume(self) -> None:
        # Back from a dialog (go to, search, filter): the comment it chose is laid out one
        # refresh after the screen resumes, so scroll it into view after that one.
        self.call_after_refresh(self.call_after_refresh, self._scroll_to_comment)

    def refresh_codes(self) -> None:
        """Redraw what a coding change alters: codes, flags, progress (not the transcript)."""
        current, me, worklist = self.worklist.current, self._me, self.worklist
        where = (me["ref"], me["group_code"], worklist.progress(worklist.group_of(current)),
                 worklist.progress(), worklist.filters.active, worklist.pos, len(worklist.items))
        self._show("#where", lambda: panes.where(*where), where)
        self._draw_progress()
        self._draw_codes(self.worklist.coding(current))

    def _draw_codes(self, coding) -> None:
        category = coding.category if coding else None
        book = self.session.book  # read again with the codebook (session.refresh)
        takes = book.takes_themes(category)
        taking = " or ".join(c.shortcut for c in book.behaviours)
        chosen = tuple(coding.themes) if coding else ()
        wide = self.has_class("-wide")
        # The same lines whichever category or themes are chosen: no new layout needed,
        # except for the themes' title, which differs (and can wrap) with the category.
        self._show("#categories", lambda: panes.categories(self.categories, category), category)
        self._show("#themes", lambda: panes.themes(self.themes, takes, chosen, wide, taking), (takes, chosen),
                   (takes, wide))
        # Where definitions do not fit beside every theme, show those of the chosen ones.
        definitions = () if wide else chosen
        self._show("#definitions", lambda: panes.definitions(self.themes, definitions), definitions, definitions)
        revised = getattr(self, "_revised", None) if coding else None
        flags = (coding.unsure, coding.exemplar, coding.memo, coding.suggested_by, bool(revised)) if coding else None
        self._show("#flags", lambda: panes.flags(coding) + panes.corrected(revised),
                   (coding.memo, coding.suggested_by, bool(revised)) if coding else None, flags)
        self._draw_header(coding)
        self.draw_suggestion(coding)

    def _draw_header(self, coding) -> None:
        coding_layout.draw_header(self, coding)

    def _draw_progress(self) -> None:
        """This coder's progress per group (only where the terminal has room)."""
        tall = self.size.height >= 40
        progress = tuple(self.worklist.progress(g) for g in self.groups) if tall else ()
        self._show("#progress", lambda: panes.progress(self.groups, self.worklist.progress) if tall else "",
                   progress, tall)

    # -- coding ------------------------------------------------------------------

    def _change(self, change, *args, comment_id: int | None = None, **kwargs) -> None:
        current = self.worklist.current if comment_id is None else comment_id
        if current is None:
            return
        try:
            coding = change(current, *args, **kwargs)
        except ThemesWouldBeDropped as exc:
            def answered(yes: bool) -> None:
                if yes:
                    self._change(change, *args, comment_id=current, **kwargs, drop_themes=True)

            names = ", ".join(self.session.book.theme_name(t) for t in exc.themes)
            self.app.push_screen(Confirm(f"Drop the themes {names}?"), answered)
            return
        except StaleView as exc:  # the words changed in another window: nothing was written
            self.notify(str(exc), severity="error", timeout=10)
            self._reload(current)
            return
        except MemoChanged as exc:
            self._memo_again(current, exc.theirs, *args)
            return
        except CodingRuleError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.worklist.record(current, coding)
        if current == self.worklist.current:
            self._revised = None  # coded again since the text was corrected: reviewed
            self.refresh_codes()

    def _shown(self) -> Coding:
        return self.worklist.coding(self.worklist.current)

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
        if current is None:
            return
        ref = self._me["ref"] if getattr(self, "_me", None) else "this comment"
        was = self.worklist.coding(current).memo
        self._edit_memo(current, f"Memo on {ref}", was, was)

    def _edit_memo(self, comment_id: int, title: str, text: str, was: str) -> None:
        def done(memo: str | None) -> None:
            if memo is not None:
                self._change(self.session.set_memo, memo, comment_id=comment_id, was=was)

        self.app.push_screen(MemoEditor(title, text, place=coding_layout.memo_place(self)), done)

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
        self.app.push_screen(Prompt("Go to comment", placeholder="e.g. FG2-014"),
                             lambda ref: ref and self.go_to(ref))

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
        if self.worklist is None or self.worklist.current is None or me is None:
            return
        self.app.push_screen(TranscriptScreen(self.store, me["group_code"], at=me["ref"]))

    def action_more_like(self) -> None:
        """The comments most like this one (``ui.similar``); enter there goes to one."""
        me = getattr(self, "_me", None)
        if self.worklist is None or self.worklist.current is None or me is None:
            return
        self.app.push_screen(SimilarScreen(self.store, me["id"], me["ref"]), lambda ref: ref and self.go_to(ref))

    def action_search(self) -> None:
        def done(query: str | None) -> None:
            if query is not None:
                self._filter(type(self.worklist.filters)(**{**vars(self.worklist.filters), "search": query}))

        self.app.push_screen(Prompt("Search comments", self.worklist.filters.search, "words", select=True), done)

    def action_filter(self) -> None:
        self.app.push_screen(
            FilterDialog(self.worklist.filters, self.store.groups(), self.store.roles(),
                         [a.name for a in self.store.attributes() if not a.hidden],
                         self._check_where),
            lambda filters: filters is not None and self._filter(filters),
        )

    def _check_where(self, text: str) -> str | None:
        """Why the filter dialog's attribute conditions are refused, or None."""
        from workbench.errors import ParticipantError
        from workbench.project.where import parse

        try:
            parse(self.store, [text], blind=True, option="filter")
        except ParticipantError as exc:
            return str(exc)
        return None

    def _filter(self, filters) -> None:
        if filters.search.strip():
            # The first search indexes every comment (~0.4 s for 100,000): off the UI thread.
            pending = self.store.unindexed_comments()
            if pending > 5000:
                self.notify(f"Indexing {pending:,} comments for search (the first search only)…")
            self._search(filters)
        else:
            self._show_filtered(filters, None)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, filters) -> None:
        matches = set(search(self.store, filters.search))
        if not get_current_worker().is_cancelled:  # a newer search replaced this one
            self.app.call_from_thread(self._show_filtered, filters, matches)

    def _show_filtered(self, filters, matches: set[int] | None) -> None:
        count = self.worklist.apply(filters, matches)
        self.notify(f"{count} comment(s) shown" + ("" if filters.active else " (all)"))
        self.refresh_view()
        self.refresh_bindings()  # escape clears a search while one is on (check_action)

    def action_clear_filter(self) -> None:
        """The search off (a filter chosen with F stays)."""
        self._filter(type(self.worklist.filters)(**{**vars(self.worklist.filters), "search": ""}))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "clear_filter":  # escape clears a search first, then goes home
            return bool(self.worklist and self.worklist.filters.search.strip())
        return super().check_action(action, parameters)

    def action_leave(self) -> None:
        self.app.leave_to_home()

    def _apply_layout(self) -> bool:
        """The layout for the terminal's size and the key panel (``ui.coding_layout``);
        whether it changed."""
        return coding_layout.apply(self)

    def on_help_panel(self) -> None:
        """The key panel (?) opened or closed (``WorkbenchApp``)."""
        self.on_resize()

    def on_resize(self) -> None:
        if self._apply_layout():  # redraw only when the layout changes
            self.refresh_view()
