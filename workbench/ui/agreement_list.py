"""The comments two coders disagree on for one line of the agreement screen (the category,
effective vs ineffective, a theme, the theme sets), each with both codings; ``enter`` opens the
comment in the reconciliation screen of the two coders (:mod:`workbench.agreement.differences`
decides which comments)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from workbench.store import Store
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import plain
from workbench.ui.wide import WideTable


class DisagreementsScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("enter", "reconcile", "Reconcile it", id="disagreements.reconcile"),
        Binding("j", "cursor(1)", "Next", id="disagreements.next", show=False),
        Binding("k", "cursor(-1)", "Previous", id="disagreements.previous", show=False),
        Binding("escape", "app.pop_screen", "Back", id="disagreements.back"),
    ]

    def __init__(
        self, store: Store, codings: dict, coders: list[str], line: str, label: str, unit_set: str
    ):
        super().__init__()
        self.store, self.codings, self.coders = store, codings, coders
        self.line, self.label, self.unit_set = line, label, unit_set
        self.refs: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="disagreements-title", classes="pane-title")
        yield WideTable(id="disagreements", cursor_type="row")
        yield Static(id="disagreement-text")
        yield KeyBar()

    def on_mount(self) -> None:
        from workbench.agreement.differences import disagreements

        a, b = self.coders
        categories = self.store.categories()
        self.names = {c.key: c.name for c in categories} | {
            t.key: t.name for t in self.store.themes()
        }
        self.refs = disagreements(
            self.codings[a],
            self.codings[b],
            self.line,
            self.unit_set,
            theme_categories=[c.key for c in categories if c.takes_themes],
            effective=[c.key for c in categories if c.polarity == "effective"],
            ineffective=[c.key for c in categories if c.polarity == "ineffective"],
        )
        self.query_one("#disagreements-title", Static).update(
            plain(
                f"{self.label}: {a} and {b} disagree on {len(self.refs)} comment(s)"
                + ("" if self.refs else " (nothing to reconcile here)")
            )
        )
        table = self.query_one("#disagreements", WideTable)
        table.fill(
            ["comment", a, b],
            [[ref, self._coding(a, ref), self._coding(b, ref)] for ref in self.refs],
            keys=self.refs,
        )
        table.focus()

    def _coding(self, coder: str, ref: str) -> str:
        category, themes = self.codings[coder][ref]
        names = [self.names.get(t, t) for t in sorted(themes)]
        return self.names.get(category, category) + (f": {', '.join(names)}" if names else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        ref = event.row_key.value if event.row_key else None
        found = self.store.find_ref(ref) if ref else None
        if found:
            row = next(r for r in self.store.comment_with_context(found[0], 0) if r.current)
            self.query_one("#disagreement-text", Static).update(plain(f"{row.speaker}: {row.text}"))

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#disagreements", WideTable)
        table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def action_reconcile(self) -> None:
        """The comment in the reconciliation screen of these two coders (who decides: the
        signed-in lead when served, else asked once, as the home screen's R asks)."""
        from workbench.ui.dialogs import Prompt

        table = self.query_one("#disagreements", WideTable)
        if not table.row_count:
            return
        ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        a, b = self.coders
        actor = getattr(self.app, "user", None) or self.app.reconciling_as
        if actor:
            self.app.start_reconciling(a, b, actor, at=ref)
            return

        def named(name: str | None) -> None:
            if name and name.strip():
                self.app.reconciling_as = name.strip()  # asked once per window
                self.app.start_reconciling(a, b, name.strip(), at=ref)

        self.app.push_screen(
            Prompt(
                f"Reconcile {a} and {b} on {ref}: who decides (your name)?", placeholder="e.g. lead"
            ),
            named,
        )
