"""Home screen: focus groups with each coder's progress, the codebook, the way to coding.

Once someone codes in this app (``app.coder``), the home screen is blind like the coding
screen: only their progress, and the keys to what would show the other coders' work
(reconciliation, report tables) or the model are neither shown nor run (pressed, they
say why).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from workbench.store import Store
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell, plain


class HomeScreen(Screen):
    BINDINGS = [
        Binding("c", "code", "Code", id="home.code"),
        Binding("R", "reconcile", "Reconcile", id="home.reconcile"),
        Binding("t", "tables", "Tables", id="home.tables"),
        Binding("m", "model", "Model", id="home.model"),
        Binding("enter", "open_group", "Comments", id="home.comments"),
        Binding("r", "refresh", "Refresh", id="home.refresh"),
        Binding("q", "app.quit", "Quit", id="home.quit", show=False),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="groups-pane"):
                yield Static("Focus groups", classes="pane-title")
                yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
                yield Static(id="totals", classes="dim")
            with Vertical(id="codebook-pane"):
                yield Static(id="codebook-title", classes="pane-title")
                yield DataTable(id="codebook", cursor_type="row", show_cursor=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_refresh()
        self.query_one("#groups", DataTable).focus()

    @property
    def blind(self) -> str | None:
        """The coder this app codes as, if any: then only their own progress shows."""
        return getattr(self.app, "coder", None)

    def action_refresh(self) -> None:
        self.refresh_bindings()  # a coding session may have begun since: see check_action
        summaries = self.store.group_summaries()
        progress = self.store.coder_progress()
        coders = sorted({p["coder"] for p in progress}, key=str.lower)
        if self.blind:
            coders = [self.blind]
        done = {(p["code"], p["coder"]): p["coded"] for p in progress}
        groups = self.query_one("#groups", DataTable)
        groups.clear(columns=True)
        groups.add_columns("code", "group", "kind", "comments", "to code", *map(cell, coders))
        for g in summaries:
            groups.add_row(cell(g["code"]), cell(g["name"]), g["kind"] or "-", g["comments"], g["codable"],
                           *(f"{done.get((g['code'], c), 0)}/{g['codable']}" for c in coders),
                           key=g["code"])
        words = sum(g["words"] for g in summaries)
        comments = sum(g["comments"] for g in summaries)
        codable = sum(g["codable"] for g in summaries)
        self.query_one("#totals", Static).update(plain(
            f"{len(summaries)} groups · {comments} comments · {codable} to code · {words:,} words"
            + (f" · coding as {self.blind}" if self.blind else
               f" · coders: {', '.join(coders)}" if coders else " · c to start coding")
            if summaries else "No transcripts yet: `workbench import PROJECT FILE...`"
        ))
        book = self.store.active_codebook()
        self.query_one("#codebook-title", Static).update(plain(f"Codebook: {book['name']} {book['version']}"))
        table = self.query_one("#codebook", DataTable)
        table.clear(columns=True)
        table.add_columns("key", "category / theme", "definition")
        for c in self.store.categories():
            table.add_row(cell(c["shortcut"]), cell(c["name"]), "takes themes" if c["takes_themes"] else "")
        for t in self.store.themes():
            table.add_row(cell(t["shortcut"]), cell(t["name"]), cell(t["definition"]))

    def on_resize(self) -> None:
        # Side by side on a wide terminal; groups above the codebook on a narrow one.
        self.set_class(self.size.width < 140, "-narrow")

    # What a coding session keeps from this screen, and why (said when the key is pressed).
    BLIND = {"reconcile": ("R", "reconciliation and its screens show the other coders' work"),
             "tables": ("t", "the report tables show the other coders' work"),
             "model": ("m", "the model screen shows a model of the agreed coding and the other coders' use of it")}

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.blind and action in self.BLIND)

    def on_key(self, event: events.Key) -> None:
        """A hidden key pressed in a coding session says why it does nothing."""
        if self.blind:
            for action, (key, _why) in self.BLIND.items():
                if event.key == key:
                    event.stop()
                    self._refuse_when_blind(action)

    def _refuse_when_blind(self, action: str) -> bool:
        if self.blind:
            self.notify(f"Coding as {self.blind}: {self.BLIND[action][1]}, so a coding session does not open "
                        "them. Open them with `workbench open PROJECT`.", severity="warning")
        return bool(self.blind)

    def action_code(self) -> None:
        from workbench.coding.coder import coder_names
        from workbench.ui.dialogs import Prompt

        if self.blind:  # back to one's own coding; the names of the others are not offered
            self.app.start_coding(self.blind)
            return
        names = coder_names(self.store)
        hint = f"existing: {', '.join(names)}" if names else "a new name starts a new coder"

        def chosen(name: str | None) -> None:
            if name and name.strip():
                self.app.start_coding(name.strip())

        self.app.push_screen(Prompt(f"Code as ({hint})", placeholder="your coder name"), chosen)

    def action_reconcile(self) -> None:
        from workbench.coding.coder import coder_names
        from workbench.ui.dialogs import Prompt

        if self._refuse_when_blind("reconcile"):
            return
        names = coder_names(self.store)
        if len(names) < 2:
            self.notify("Reconciling needs two coders who have coded.", severity="warning")
            return

        def chosen(answer: str | None) -> None:
            parts = (answer or "").split()
            if len(parts) != 3:
                if answer:
                    self.notify("Give three names: coder A, coder B, and who decides", severity="warning")
                return
            self.app.start_reconciling(*parts)

        self.app.push_screen(Prompt(f"Reconcile: coder A, coder B, your name (coders: {', '.join(names)})",
                                    f"{names[0]} {names[1]} ", "ana ben lead"), chosen)

    def action_tables(self) -> None:
        from workbench.ui.report import ReportScreen

        if self._refuse_when_blind("tables"):
            return
        self.app.push_screen(ReportScreen(self.store))

    def action_model(self) -> None:
        from workbench.ui.model import ModelScreen

        if self._refuse_when_blind("model"):
            return
        self.app.push_screen(ModelScreen(self.store))

    def action_open_group(self) -> None:
        from workbench.ui.comments import CommentsScreen

        table = self.query_one("#groups", DataTable)
        if table.row_count:
            code = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(CommentsScreen(self.store, code))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "groups":
            self.action_open_group()
