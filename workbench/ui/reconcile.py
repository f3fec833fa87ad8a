"""The reconciliation screen: walk two coders through every disagreement.

Each comment of the queue shows with its context and both coders' category,
themes, memo and flags side by side, differences highlighted, with a legend of the
keys under them. Keys take coder A's or B's coding, or edit the agreed coding
directly with the coding keys (``E`` toggles the agreed exemplar); every decision
commits at once (with its audit row) through :class:`Reconciliation`, and
``ctrl+z`` undoes the last one and ``ctrl+y`` redoes it (``reconcile.history``). Taking a coding or deferring
moves on to the next open comment (then to the deferred ones); an edit stays. On a
narrow terminal the comment sits above the decision, scrolled into view, so it is
always on screen (the decision pane, a widget the screen tells what to show:
``ui.reconcile_panes``; the agreed coding's keys, a controller posting what the lead chose:
``ui.reconcile_agreed``). The review of the agreed coding against a model (``ui.review``) is
this screen over a :class:`~workbench.reconcile.review.Review`, with its own labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Static

from workbench.coding.seen import StaleView
from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.reconcile.consensus import Item, Reconciliation
from workbench.ui.changes import ProjectChanged
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.reconcile_agreed import AgreedChosen, AgreedEditor, RationaleWritten
from workbench.ui.reconcile_panes import DecisionPane, pane_layout
from workbench.ui.reconcile_queue import counts, next_undecided, position, top_line, undecided
from workbench.ui.render import TranscriptPane, bind_codebook_keys, context_turns, transcript_pane

if TYPE_CHECKING:
    from workbench.reconcile.review import Review


class ReconcileScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("A", "take(0)", "Take A", id="reconcile.take_a"),
        Binding("B", "take(1)", "Take B", id="reconcile.take_b"),
        Binding("E", "exemplar", "Agreed exemplar", id="reconcile.exemplar"),
        Binding("N", "rationale", "Rationale", id="reconcile.rationale"),
        Binding("D", "defer", "Defer", id="reconcile.defer"),
        Binding("ctrl+z", "undo", "Undo", id="reconcile.undo"),
        Binding("ctrl+y", "redo", "Redo", id="reconcile.redo", show=False),
        Binding("j,right", "move(1)", "Next", id="reconcile.next"),
        Binding("k,left", "move(-1)", "Prev", id="reconcile.previous"),
        Binding("u", "next_open", "Next open", id="reconcile.next_open"),
        Binding("escape", "leave", "Home", id="reconcile.home"),
    ]

    def __init__(self, reconciliation: Reconciliation | Review, at: str | None = None):
        super().__init__()
        self.rec = reconciliation
        self.at = at  # a ref to open on (from the agreement screen's disagreements)
        self.store = reconciliation.store
        self.queue: list[Item] = []
        self.pos = 0
        self.edits = AgreedEditor(self)  # the coding keys, E and N
        self.decision = self.PANE(reconciliation.names, self.take_labels(), self.COLUMN)
        self._read_codebook()

    def _read_codebook(self) -> None:
        """The codebook's names and keys (again after an edit in another window)."""
        self.book = self.store.codebook()
        self.categories = self.store.categories()
        self.themes = self.store.themes()
        bind_codebook_keys(self, self.categories, self.themes, "reconcile", "agreed ")
        keys = [c.shortcut for c in self.categories if c.shortcut]
        digits = "".join(keys)
        self.category_keys = (
            f"{keys[0]}-{keys[-1]}"
            if keys and digits.isdigit() and digits in "123456789"
            else " ".join(keys)
        )
        # What the footer keeps at 80 columns (ui.keybar), the coding keys as one hint.
        self.decision.use_codebook(self.categories, self.themes, self.category_keys)
        self.edits.use_codebook(self.book, self.themes, self.category_keys)
        self.KEYBAR_PRIORITY = (
            "reconcile.undo",
            "reconcile.home",
            *self.TAKE_IDS,
            f"hint:{self.category_keys}",
            "reconcile.next_open",
        )

    TAKE_IDS = ("reconcile.take_a", "reconcile.take_b")  # the bindings of A and B

    def keybar_hints(self) -> list[tuple[str, str, str]]:
        return [(self.TAKE_IDS[1], self.category_keys, "category, letters themes")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="where")
        with Horizontal(id="coding-body"):
            yield from transcript_pane()
            yield self.decision
        yield KeyBar()

    # What the screen says; the review screen says it about a model (ui.review).
    LOADING = " Comparing codings…"
    EMPTY = " No disagreements: every comment both coders coded is agreed."
    COLUMN = "agreed"
    PANE: type[DecisionPane] = DecisionPane  # the review's shows the model's probabilities
    DECIDED = "resolved"

    def heading(self) -> str:
        return "reconciling " + " × ".join(self.rec.names)

    def take_labels(self) -> tuple[str, str]:
        """What A and B do, in words (the legend)."""
        a, b = self.rec.names
        return f"take {a}'s", f"take {b}'s"

    def on_mount(self) -> None:
        self.sub_title = printable(
            f"{self.store.project_info()['name']} · {self.heading()} as {self.rec.actor}"
        )
        self.query_one("#where", Static).update(self.LOADING)
        self.prepare()

    @work(thread=True, exclusive=True)
    def prepare(self, at: int | None = None) -> None:
        """Record identical codings as agreed, then load the queue (slow on a big project);
        ``at``: read again, staying on that comment."""
        added = self.rec.auto_agree()
        queue = self.rec.queue()
        self.app.call_from_thread(self._loaded, queue, added, at)

    def read_again(self) -> None:
        """The queue as it is now (changed in another window), staying on the comment shown."""
        self.prepare(self.item.comment_id if self.item else None)

    def _loaded(self, queue: list[Item], added: int, at: int | None = None) -> None:
        self.pos = position(queue, self.pos, at, self.at)  # (self.at: the comment asked for)
        self.queue = queue
        if added:
            self.notify(f"{added} identical coding(s) recorded as agreed automatically.")
        self.refresh_view()

    # -- drawing -----------------------------------------------------------------

    @property
    def item(self) -> Item | None:
        return self.queue[self.pos] if self.queue else None

    def refresh_view(self) -> None:
        item = self.item
        where = self.query_one("#where", Static)
        if item is None:
            where.update(Text(self.EMPTY, style="bold"))
            self.decision.show(None)
            return
        rows = self.rec.seen.context(item.comment_id, 2)  # what the lead sees: decisions check it
        me = next((r for r in rows if r.current), None)
        if me is None:  # removed or merged away in another window
            self.read_again()
            return
        before = [r for r in rows if r.position < me.position]
        after = [r for r in rows if r.position > me.position]
        self.query_one("#context-before", Static).update(context_turns(before))
        self.query_one("#context-after", Static).update(context_turns(after))
        role = f" ({me.role})" if me.role else ""
        self.query_one("#comment", Static).update(
            Text.assemble((printable(f"{me.speaker}{role}") + "\n", "bold"), printable(me.text))
        )
        where.update(top_line(self.queue, self.pos, self.DECIDED))
        self.decision.show(item)
        self.refresh_bindings()  # which of A, B and E work on this comment (check_action)
        # After the new text is laid out, and the decision pane's new height with it.
        self.call_after_refresh(self.call_after_refresh, self._scroll_to_comment)

    def _scroll_to_comment(self) -> None:
        self.query_one("#transcript", TranscriptPane).keep_comment_in_view()

    # -- deciding ----------------------------------------------------------------

    def _decide(self, action, *args, move_on: bool = False, comment_id: int | None = None) -> None:
        """``action`` on the comment shown (or on ``comment_id``, if still in the queue)."""
        item = (
            self.item
            if comment_id is None
            else next((i for i in self.queue if i.comment_id == comment_id), None)
        )
        if item is None:
            return
        try:
            action(item, *args)
        except WorkbenchError as exc:
            stale = isinstance(exc, StaleView)  # changed in another window: nothing was written
            self.notify(str(exc), severity="error", timeout=10 if stale else None)
            if stale:
                self.read_again()
            return
        if move_on:
            self._move_on()
        self.refresh_view()

    def _move_on(self) -> None:
        """After a decision, to the next open comment, then the next deferred one."""
        index = next_undecided(self.queue, self.pos)
        if index is None:
            self.notify("Every disagreement is decided: escape for home, then t for the tables.")
        else:
            self.pos = index

    def action_take(self, index: int) -> None:
        self._decide(self.rec.take, self.rec.names[index], move_on=True)

    def action_category(self, key: str) -> None:
        self.edits.category(self.item, key)

    def action_theme(self, key: str) -> None:
        self.edits.theme(self.item, key)

    def action_exemplar(self) -> None:
        self.edits.exemplar(self.item)

    def on_agreed_chosen(self, message: AgreedChosen) -> None:
        self._decide(
            self.rec.decide, message.coding, None, message.note, comment_id=message.comment_id
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """A key that would be refused is not shown: taking a side that did not code the
        comment, or the agreed exemplar before there is an agreed category."""
        item = self.item
        if action == "take" and item is not None:
            chosen = item.codings.get(self.rec.names[parameters[0]])
            return chosen is not None and chosen.category is not None
        if action == "exemplar":
            return item is not None and item.agreed is not None and item.agreed.category is not None
        return True

    def action_rationale(self) -> None:
        self.edits.rationale(self.item)

    def on_rationale_written(self, message: RationaleWritten) -> None:
        self._decide(self.rec.note, message.text, comment_id=message.comment_id)

    def action_defer(self) -> None:
        self._decide(self.rec.defer, move_on=True)

    def action_undo(self) -> None:
        self._replay(self.rec.undo, "Undone", "undo")

    def action_redo(self) -> None:
        self._replay(self.rec.redo, "Redone", "redo")

    def _replay(self, step_of, done: str, what: str) -> None:
        try:
            step = step_of()
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            if isinstance(exc, StaleView):
                self.read_again()
            return
        if step is None:
            self.notify(f"Nothing to {what} in this session.")
            return
        for index, item in enumerate(self.queue):
            if item.comment_id == step.comment_id:  # the app may have kept the history over a visit
                item.agreed, item.status, item.rationale = (
                    step.item.agreed,
                    step.item.status,
                    step.item.rationale,
                )
                self.pos = index
        self.notify(f"{done}: {step.item.ref}, {step.what}.")
        self.refresh_view()

    # -- moving ------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.queue:
            self.pos = min(max(self.pos + delta, 0), len(self.queue) - 1)
            self.refresh_view()

    def action_next_open(self) -> None:
        item = self.item
        if item is None:  # (an empty queue)
            return
        index = next_undecided(self.queue, self.pos)
        if index is None:
            self.notify(
                "Every disagreement is decided."
                if not item.open
                else "No other open or deferred disagreement."
            )
            return
        if not undecided(self.queue[index]):
            self.notify(
                f"No open disagreements left; {counts(self.queue)[1]} deferred: going through those."
            )
        self.pos = index
        self.refresh_view()

    def on_project_changed(self, message: ProjectChanged) -> None:
        """Another window committed: the queue is read again if comments, the codebook or the
        comment shown changed (a decision on any other is checked when it is made)."""
        changes, item = message.changes, self.item
        touched = changes.touched()
        shown = item is not None and (
            touched is None or item.ref in touched or self.rec.seen.changed(item.comment_id)
        )
        if changes.codebook:
            self._read_codebook()
        if changes.comments or changes.codebook or shown:
            said = changes.described() + (
                [f"{item.ref} changed there"] if item is not None and shown else []
            )
            self.notify(
                "In another window: " + "; ".join(said) + ": the queue is read again.", timeout=8
            )
            self.read_again()

    def on_resize(self) -> None:
        self._apply_layout()

    def on_help_panel(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        """Side by side on a wide terminal; on a narrow one (or beside the key panel) the
        comment above the decision."""
        wide, stacked, pane = pane_layout(self.size.width, self.has_class("-help"))
        self.decision.lay_out(wide, stacked, pane)
        layout = (wide, stacked)
        if layout != getattr(self, "_layout", None):
            self._layout = layout
            self.set_class(layout[0], "-wide")
            self.set_class(layout[1], "-stacked")
            self.refresh_view()

    def action_leave(self) -> None:
        self.app.leave_to_home()
