"""Home screen: the focus groups with their comments, and the codebook."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from workbench.store import Store


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "open_group", "Comments", id="home.comments", show=True),
        Binding("r", "refresh", "Refresh", id="home.refresh"),
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
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()
        self.query_one("#groups", DataTable).focus()

    def action_refresh(self) -> None:
        groups = self.query_one("#groups", DataTable)
        groups.clear(columns=True)
        groups.add_columns("code", "group", "kind", "comments", "to code", "speakers")
        summaries = self.store.group_summaries()
        for g in summaries:
            groups.add_row(g["code"], g["name"], g["kind"] or "-", g["comments"], g["codable"],
                           g["speakers"], key=g["code"])
        words = sum(g["words"] for g in summaries)
        comments = sum(g["comments"] for g in summaries)
        codable = sum(g["codable"] for g in summaries)
        self.query_one("#totals", Static).update(
            f"{len(summaries)} groups · {comments} comments · {codable} to code · {words:,} words"
            if summaries else "No transcripts yet: `workbench import PROJECT FILE...`"
        )
        book = self.store.active_codebook()
        self.query_one("#codebook-title", Static).update(f"Codebook: {book['name']} {book['version']}")
        table = self.query_one("#codebook", DataTable)
        table.clear(columns=True)
        table.add_columns("key", "code", "definition")
        for c in self.store.categories():
            table.add_row(c["shortcut"], c["name"], "takes themes" if c["takes_themes"] else "")
        for t in self.store.themes():
            table.add_row(t["shortcut"], t["name"], t["definition"])

    def action_open_group(self) -> None:
        from workbench.ui.comments import CommentsScreen

        table = self.query_one("#groups", DataTable)
        if table.row_count:
            code = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(CommentsScreen(self.store, code))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "groups":
            self.action_open_group()
