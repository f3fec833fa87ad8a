"""The reconciliation screen: walk two coders through every disagreement.

Each comment of the queue shows with its context and both coders' category,
themes, memo and flags side by side, differences highlighted. Keys take coder A's
or B's coding, or edit the agreed coding directly with the coding keys; every
decision commits at once (with its audit row) through :class:`Reconciliation`.
The review of the agreed coding against a model (``ui.review``) is this screen over
a :class:`~workbench.reconcile.review.Review`, with its own labels.
"""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from workbench.coding.session import Coding
from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.reconcile.consensus import Item, Reconciliation
from workbench.ui.dialogs import Confirm, Prompt
from workbench.ui.keybar import KeyBar
from workbench.ui.render import bind_codebook_keys, cell, context_turns, plain, transcript_pane


class ReconcileScreen(Screen):
    BINDINGS = [
        Binding("A", "take(0)", "Take A", id="reconcile.take_a"),
        Binding("B", "take(1)", "Take B", id="reconcile.take_b"),
        Binding("N", "rationale", "Rationale", id="reconcile.rationale"),
        Binding("D", "defer", "Defer", id="reconcile.defer"),
        Binding("j,right", "move(1)", "Next", id="reconcile.next"),
        Binding("k,left", "move(-1)", "Prev", id="reconcile.previous"),
        Binding("u", "next_open", "Next open", id="reconcile.next_open"),
        Binding("escape", "leave", "Home", id="reconcile.home"),
    ]

    def __init__(self, reconciliation: Reconciliation):
        super().__init__()
        self.rec = reconciliation
        self.store = reconciliation.store
        self.queue: list[Item] = []
        self.pos = 0
        self.categories = self.store.categories()
        self.themes = self.store.themes()
        self.category_names = {c["key"]: c["name"] for c in self.categories}
        self.theme_names = {t["key"]: t["name"] for t in self.themes}
        bind_codebook_keys(self, self.categories, self.themes, "reconcile", "agreed ")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="where")
        with Horizontal(id="coding-body"):
            yield from transcript_pane()
            with Vertical(id="decision"):
                yield Static(id="sides")
                yield Static(id="rationale")
        yield KeyBar()

    # What the screen says; the review screen says it about a model (ui.review).
    LOADING = " Comparing codings…"
    EMPTY = " No disagreements: every comment both coders coded is agreed."
    COLUMN = "agreed"
    DECIDED = "resolved"

    def heading(self) -> str:
        return "reconciling " + " × ".join(self.rec.names)

    def on_mount(self) -> None:
        self.sub_title = printable(f"{self.store.project_info()['name']} · {self.heading()} as {self.rec.actor}")
        self.query_one("#where", Static).update(self.LOADING)
        self.prepare()

    @work(thread=True, exclusive=True)
    def prepare(self) -> None:
        """Record identical codings as agreed, then load the queue (slow on a big project)."""
        added = self.rec.auto_agree()
        queue = self.rec.queue()
        self.app.call_from_thread(self._loaded, queue, added)

    def _loaded(self, queue: list[Item], added: int) -> None:
        self.queue = queue
        first_open = next((i for i, item in enumerate(queue) if item.status is None), 0)
        self.pos = first_open
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
            return
        rows = self.store.comment_with_context(item.comment_id, 2)
        me = next(r for r in rows if r["current"])
        self.query_one("#context-before", Static).update(context_turns([r for r in rows if r["position"] < me["position"]]))
        self.query_one("#context-after", Static).update(context_turns([r for r in rows if r["position"] > me["position"]]))
        role = f" ({me['role']})" if me["role"] else ""
        self.query_one("#comment", Static).update(
            Text.assemble((printable(f"{me['speaker']}{role}") + "\n", "bold"), printable(me["text"])))
        done = sum(1 for i in self.queue if i.status not in (None, "deferred"))
        deferred = sum(1 for i in self.queue if i.status == "deferred")
        where.update(Text.assemble(
            (f" {printable(item.ref)} ", "bold reverse"),
            " " + ", ".join(_REASONS.get(r, r) for r in item.reasons),
            f" · {self.pos + 1}/{len(self.queue)} · {self.DECIDED} {done}, deferred {deferred}, "
            f"open {len(self.queue) - done - deferred}",
        ))
        self.query_one("#sides", Static).update(self._sides(item))
        status = item.status or "open"
        self.query_one("#rationale", Static).update(Text.assemble(
            ("Status: ", "bold"), (status, "bold yellow" if status in ("open", "deferred") else "bold green"),
            ("\nRationale: ", "bold"), plain(item.rationale) if item.rationale else Text("(none yet: N to write one)",
                                                                                         style="dim"),
        ))

    def _sides(self, item: Item) -> Table:
        a_name, b_name = self.rec.names
        a, b = item.codings[a_name], item.codings[b_name]
        table = Table(expand=True, show_lines=True)
        table.add_column("", style="bold", no_wrap=True)
        table.add_column(cell(f"A: {a_name}"), ratio=1)
        table.add_column(cell(f"B: {b_name}"), ratio=1)
        table.add_column(self.COLUMN, ratio=1)
        differ = "bold yellow"

        def category(c: Coding | None, other: Coding | None) -> Text:
            if c is None or c.category is None:
                return Text("not coded", style="italic red")
            style = differ if other is None or other.category != c.category else ""
            return plain(self.category_names.get(c.category, c.category), style=style)

        def themes(c: Coding | None, other: Coding | None) -> Text:
            text = Text()
            if c is None:
                return text
            others = set(other.themes) if other else set()
            for key in c.themes:
                text.append(printable(self.theme_names.get(key, key)) + "\n", style="" if key in others else differ)
            return text

        agreed = item.agreed
        table.add_row("category", category(a, b), category(b, a),
                      category(agreed, agreed) if agreed else Text("—", style="dim"))
        table.add_row("themes", themes(a, b), themes(b, a), themes(agreed, agreed) if agreed else "")
        self._more_rows(table, item, a, b)
        table.add_row("flags", _flags(a), _flags(b), _flags(agreed))
        return table

    def _more_rows(self, table: Table, item: Item, a: Coding | None, b: Coding | None) -> None:
        table.add_row("memo", plain(a.memo if a else ""), plain(b.memo if b else ""), "")

    # -- deciding ----------------------------------------------------------------

    def _decide(self, action, *args) -> None:
        item = self.item
        if item is None:
            return
        try:
            action(item, *args)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_view()

    def action_take(self, index: int) -> None:
        self._decide(self.rec.take, self.rec.names[index])

    def action_category(self, key: str) -> None:
        item = self.item
        if item is None:
            return
        current = item.agreed or Coding()
        takes = next(c["takes_themes"] for c in self.categories if c["key"] == key)
        if current.themes and not takes:
            def answered(yes: bool) -> None:
                if yes:
                    self._decide(self.rec.decide, replace(current, category=key, themes=()))

            self.app.push_screen(Confirm(f"Drop the agreed themes {', '.join(current.themes)}?"), answered)
            return
        self._decide(self.rec.decide, replace(current, category=key))

    def action_theme(self, key: str) -> None:
        item = self.item
        if item is None:
            return
        current = item.agreed or Coding()
        if current.category is None:
            self.notify("Choose the agreed category first (1-4), or take A or B.", severity="warning")
            return
        order = {t["key"]: t["position"] for t in self.themes}
        themes = set(current.themes) ^ {key}
        self._decide(self.rec.decide, replace(current, themes=tuple(sorted(themes, key=order.__getitem__))))

    def action_rationale(self) -> None:
        item = self.item
        if item is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._decide(self.rec.note, text)

        self.app.push_screen(Prompt(f"Rationale for {item.ref}", item.rationale), done)

    def action_defer(self) -> None:
        self._decide(self.rec.defer)

    # -- moving ------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.queue:
            self.pos = min(max(self.pos + delta, 0), len(self.queue) - 1)
            self.refresh_view()

    def action_next_open(self) -> None:
        for step in range(1, len(self.queue) + 1):
            index = (self.pos + step) % len(self.queue)
            if self.queue[index].status is None:
                self.pos = index
                self.refresh_view()
                return
        self.notify("No open disagreements left.")

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 140, "-wide")

    def action_leave(self) -> None:
        self.app.leave_to_home()


_REASONS = {"category": "categories differ", "themes": "themes differ",
            "missing": "coded by one coder only", "not sure": "marked not sure",
            "exemplar": "one coder marked it an exemplar"}


def _flags(coding: Coding | None) -> str:
    if coding is None:
        return ""
    flags = [flag for flag, on in (("not sure", coding.unsure), ("exemplar", coding.exemplar)) if on]
    if coding.suggested_by is not None:
        flags.append(f"from model {coding.suggested_by}")
    return " ".join(flags)
