"""A focus group's comments in transcript order, with speaker, role and exclusion; ``j``/``k``
move, ``enter`` opens the comment for coding (as from the other reading views)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from workbench.coding.views import find_group
from workbench.errors import WorkbenchError
from workbench.project.status import comment_rows
from workbench.store import Store
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell, plain
from workbench.ui.wide import WideTable


class CommentsScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("enter", "open", "Code it", id="comments.open"),
        Binding("j", "cursor(1)", "Next", id="comments.next", show=False),
        Binding("k", "cursor(-1)", "Previous", id="comments.previous", show=False),
        Binding("escape", "app.pop_screen", "Back", id="comments.back"),
    ]

    def __init__(self, store: Store, group: str):
        super().__init__()
        self.store = store
        self.group = group

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="comments-title", classes="pane-title")
        yield WideTable(id="comments", cursor_type="row")
        yield Static(id="comment-text")
        yield KeyBar()

    def on_mount(self) -> None:
        try:
            rows = comment_rows(self.store, self.group)
            group = find_group(self.store, self.group)
        except WorkbenchError:  # removed in another window since home read its list
            self.leave_gone(f"Focus group {self.group}")
            return
        self.rows = {r["ref"]: r for r in rows}
        self.query_one("#comments-title", Static).update(plain(f"{group.code} {group.name}"))
        table = self.query_one("#comments", DataTable)
        table.add_columns("ref", "speaker", "role", "words", "text")
        for r in rows:
            marker = " (excluded)" if r["excluded"] else ""
            table.add_row(
                cell(r["ref"]),
                cell(r["speaker"]),
                cell((r["role"] or "-") + marker),
                r["words"],
                cell(r["text"].replace("\n", " ")[:200]),
                key=r["ref"],
            )
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(event.row_key.value)
        if row:
            self.query_one("#comment-text", Static).update(
                plain(f"{row['speaker']}: {row['text']}")
            )

    def _ref(self) -> str | None:
        table = self.query_one("#comments", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#comments", DataTable)
        (table.action_cursor_down if step > 0 else table.action_cursor_up)()

    def action_open(self) -> None:
        from workbench.ui.viewing import code_comment

        ref = self._ref()
        if ref:
            code_comment(self, ref, excluded=bool(self.rows[ref]["excluded"]))
