"""More like this (``L`` on the coding screen and in browse by theme): the comments most like
the current one, by the cosine similarity of the model's own features
(:mod:`workbench.suggest.similar`), each with its codes where the viewer may see them (a
blind coder: only their own). ``enter`` goes to the comment chosen, ``escape`` back.

The comments' vectors are built once per window in a worker (loading the model, numpy and
spaCy's tokenizer: never on a key press), kept on the app for the next ``L``.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label
from textual.worker import get_current_worker

from workbench.ui.kept import WorkbenchModal
from workbench.ui.render import cell, plain

KEY = "L"


def like_binding(prefix: str) -> Binding:
    return Binding(KEY, "more_like", "More like this", id=f"{prefix}.more_like", show=False)


class SimilarScreen(WorkbenchModal[str | None]):
    """The list for one comment; dismisses with the ref chosen (None: escape)."""

    BINDINGS = [Binding("escape", "close", "Back", id="similar.back")]
    DEFAULT_CSS = """
    SimilarScreen { align: center middle; }
    SimilarScreen > Vertical { width: 96%; height: 80%; border: round $accent; background: $surface; }
    SimilarScreen DataTable { height: 1fr; }
    """

    def __init__(self, store, comment_id: int, ref: str):
        super().__init__()
        self.store, self.comment_id, self.ref = store, comment_id, ref
        self.found: list = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                plain(f"More like {self.ref}: finding the most alike comments…"), id="similar-title"
            )
            yield DataTable(id="similar-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("ref", "alike", "codes", "comment")
        self.find()

    @work(thread=True, exclusive=True, group="similar")
    def find(self) -> None:
        from workbench.suggest.similar import Similarity, more_like_this
        from workbench.suggest.training import latest_model

        app = self.app
        model = latest_model(self.store)
        rows = self.store.coded_comments(None)  # a split or merge changes comments: build anew
        key = (getattr(model, "id", None), tuple((r["id"], len(r["text"])) for r in rows))
        index = app.sessions.similar
        if index is None or index[0] != key:
            index = app.sessions.similar = (key, Similarity(self.store, model))
        found = more_like_this(
            self.store,
            index[1],
            self.comment_id,
            getattr(app, "coder", None),
            getattr(app, "mode", None),
        )
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show, found, index[1].model_id)

    def show(self, found: list, model_id: int | None) -> None:
        self.found = found
        whose = (
            f"features of model {model_id}"
            if model_id
            else "the comments' own words (no model yet)"
        )
        self.query_one("#similar-title", Label).update(
            plain(
                f"More like {self.ref}: {len(found)} most alike, by {whose}. enter: go to it · escape: back"
            )
        )
        table = self.query_one(DataTable)
        table.clear()
        for like in found:
            codes = (
                like.category + (": " + ", ".join(like.themes) if like.themes else "")
                if like.category
                else "-"
            )
            text = like.text if len(like.text) <= 160 else like.text[:157] + "…"
            table.add_row(
                cell(like.ref), f"{like.similarity:.2f}", cell(codes), cell(text), key=like.ref
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(str(event.row_key.value))

    def action_close(self) -> None:
        self.dismiss(None)
