"""Memos overview: every memo of one coding (the agreed coding, or the app coder's own
while coding blind; ``w`` switches a lead to a coder's), in transcript order, searched as
you type (words, or a ref), each with its comment and codes.

``enter`` shows the comment in its whole transcript, ``c`` codes it (a coder edits their
memo there, with ``enter``).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from workbench.coding.memos import Memo, matches, memos
from workbench.coding.search import highlight_spans
from workbench.plain import printable
from workbench.store import Store
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell, plain, speaker
from workbench.ui.viewing import WhoseCoding, code_comment, whose_binding


class MemosScreen(WhoseCoding, WorkbenchScreen):
    BINDINGS = [
        Binding("slash", "search", "Search", id="memos.search"),
        Binding("enter", "open", "In transcript", id="memos.transcript"),
        Binding("c", "code", "Code it", id="memos.code"),
        whose_binding("memos"),
        Binding("escape", "back", "Back", id="memos.back"),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.all: list[Memo] = []
        self.shown: list[Memo] = []
        self.names = {c.key: c.name for c in store.categories(include_retired=True)}
        self.names.update({t.key: t.name for t in store.themes(include_retired=True)})

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="memos-title", classes="pane-title")
        yield Input(
            placeholder="search the memos: words, or a ref (/)", id="memo-search", compact=True
        )
        yield DataTable(id="memo-list", cursor_type="row", zebra_stripes=True)
        yield Static(id="memo-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{self.store.project_info()['name']} · memos"
        self.init_whose(self.store)
        self.load()
        self.query_one(DataTable).focus()

    @property
    def query_text(self) -> str:
        return self.query_one("#memo-search", Input).value

    def load(self) -> None:
        self.all = memos(self.store, self.whose) if self.whose else []
        self.filter()

    def show_whose(self) -> None:
        self.load()

    def filter(self) -> None:
        search = self.query_text
        self.shown = (
            [m for m in self.all if matches(m, search)] if search.strip() else list(self.all)
        )
        table = self.query_one(DataTable)
        table.clear(columns=True)  # columns fitted to what is shown (another coding's may be wider)
        table.add_columns("ref", "memo", "codes")
        for m in self.shown:
            first = m.memo.splitlines()[0] if m.memo else ""
            lines = len(m.memo.splitlines())
            table.add_row(
                cell(m.ref),
                cell(first[:70] + ("…" if len(first) > 70 or lines > 1 else "")),
                cell(self.codes(m)),
                key=m.ref,
            )
        found = (
            f"{len(self.shown)} of {len(self.all)} memo(s) match “{search.strip()}”"
            if search.strip()
            else f"{len(self.all)} memo(s)"
        )
        title = (
            f"Memos of {self.whose.label}: {found}" if self.whose else "Memos: nobody has coded yet"
        )
        self.query_one("#memos-title", Static).update(plain(title))
        self.refresh_bindings()
        if not self.shown:
            self.query_one("#memo-detail", Static).update(
                Text(
                    "No memo matches."
                    if self.all
                    else "No memos in this coding yet: a coder writes one with enter "
                    "on the coding screen.",
                    style="dim",
                )
            )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open", "code"):  # only while a memo is listed
            return bool(self.shown)
        return super().check_action(action, parameters)

    def codes(self, memo: Memo) -> str:
        if not memo.category:
            return ""
        return self.names.get(memo.category, memo.category) + "".join(
            f" · {self.names.get(t, t)}" for t in memo.themes
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter()

    def on_input_submitted(self) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        memo = self._memo(event.row_key.value if event.row_key else None)
        if memo is None:
            return
        shown = printable(memo.memo)  # control characters shown escaped, the search marked in that
        body = Text(shown)
        for start, end in highlight_spans(shown, self.query_text):
            body.stylize("black on yellow", start, end)
        self.query_one("#memo-detail", Static).update(
            Text.assemble(
                (printable(f"{memo.ref} "), "bold"),
                (printable(self.codes(memo)), "bold"),
                "\n",
                body,
                "\n",
                (
                    printable(f"{speaker(memo.speaker, memo.role)}: {' '.join(memo.text.split())}"),
                    "dim",
                ),
            )
        )

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def _memo(self, ref: str | None) -> Memo | None:
        return next((m for m in self.shown if m.ref == ref), None)

    def _chosen(self) -> Memo | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self._memo(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_search(self) -> None:
        self.query_one("#memo-search", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#memo-search", Input).has_focus:
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    def action_open(self) -> None:
        from workbench.ui.transcript import TranscriptScreen

        memo = self._chosen()
        if memo:
            self.app.push_screen(
                TranscriptScreen(
                    self.store,
                    memo.group_code,
                    at=memo.ref,
                    whose=self.whose.name if self.whose else None,
                )
            )

    def action_code(self) -> None:
        memo = self._chosen()
        if memo:
            code_comment(self, memo.ref)
