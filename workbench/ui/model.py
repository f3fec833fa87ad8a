"""The model screen: the project's newest model, training a new one, who sees suggestions.

Reached from the home screen (``m``; not in a coding session, which stays blind to
the model as to the other coders). It shows the newest model's summary as
``workbench suggest status`` prints it (what it learnt, its cross-validated agreement
with the coding it learnt from), trains a new one from the agreed coding in a worker
with a progress bar over the cross-validation folds (``T``; the screen stays until it
is done), and switches a coder's suggestions in the coding screen on or off (``s``).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, ProgressBar, Static

from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.store import Store
from workbench.ui.dialogs import Prompt
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import plain


class ModelScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("T", "train", "Train a new model", id="model.train"),
        Binding("s", "suggestions", "Suggestions on/off", id="model.suggestions"),
        Binding("escape", "leave", "Back", id="model.back"),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.training = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="model-view"):
            yield Static("Machine-assisted coding", classes="pane-title")
            with VerticalScroll(id="model-body"):
                yield Static(id="model-summary")
                yield Static(id="model-coders")
            yield Static(id="model-status", classes="dim")
            yield ProgressBar(id="model-progress", show_eta=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = printable(f"{self.store.project_info()['name']} · model")
        self.query_one("#model-progress").display = False
        self.show()

    def show(self) -> None:
        """The newest model of the current codebook, older ones, and who sees suggestions."""
        from workbench.suggest.settings import status
        from workbench.suggest.text import model_summary

        data = status(self.store)
        current = [m for m in data["models"] if m["current"]]
        summary = Text()
        if current:
            newest = current[-1]
            summary.append(f"{model_summary(newest['summary'], newest['id'])}\n", style="")
            when = newest["created_at"][:16].replace("T", " ")
            summary.append(printable(f"Trained {when} by {newest['created_by']}."), "dim")
            older = len(data["models"]) - 1
            if older:
                summary.append(
                    f" {older} older model(s) stored; the newest is the one used.", "dim"
                )
        else:
            stale = " (the models stored learnt an earlier codebook)" if data["models"] else ""
            summary.append(
                f"No model for this codebook yet{stale}. T trains one from the agreed coding: "
                "grouped cross-validation first, so the model comes with its agreement with that coding."
            )
        self.query_one("#model-summary", Static).update(summary)
        coders = [c for c in self.store.coders() if c.kind == "coder"]
        lines = Text("\n")
        for coder in coders:
            on = coder.suggestions
            lines.append(f"{printable(coder.name)}: ", style="bold")
            lines.append(
                "sees suggestions" if on else "codes blind to the model",
                style="green" if on else "dim",
            )
            accepted = data["accepted"].get(coder.name)
            lines.append(
                f" · {accepted} coding(s) accepted from a suggestion\n" if accepted else "\n"
            )
        if not coders:
            lines.append("No coders yet.", style="dim")
        self.query_one("#model-coders", Static).update(lines)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("train", "leave"):
            return not self.training  # one training at a time, seen through to its end
        return True

    def action_leave(self) -> None:
        self.app.pop_screen()

    def action_train(self) -> None:
        self.training = True
        self.refresh_bindings()
        self.query_one("#model-status", Static).update("Training: cross-validating by focus group…")
        bar = self.query_one("#model-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.train()

    @work(thread=True, exclusive=True, group="train")
    def train(self) -> None:
        from workbench.suggest.training import train

        bar = self.query_one("#model-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            model = train(self.store, progress=progress)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._trained, None, str(exc))
        else:
            self.app.call_from_thread(self._trained, model.id, "")

    def _trained(self, model_id: int | None, error: str) -> None:
        self.training = False
        self.refresh_bindings()
        self.query_one("#model-progress").display = False
        status = self.query_one("#model-status", Static)
        if error:
            status.update(plain(error, style="yellow"))
            self.app.notify(f"No model trained: {error}", severity="error")
            return
        status.update(f"Model {model_id} trained and stored.")
        self.app.notify(
            f"Model {model_id} trained: the coding screen suggests with it for coders who have "
            "suggestions on."
        )
        self.show()

    def action_suggestions(self) -> None:
        from workbench.suggest.settings import set_suggestions

        coders = {c.name.lower(): c for c in self.store.coders() if c.kind == "coder"}
        if not coders:
            self.notify("No coders yet: suggestions are switched on per coder.", severity="warning")
            return

        def chosen(name: str | None) -> None:
            if not name or not name.strip():
                return
            coder = coders.get(name.strip().lower())
            if coder is None:
                self.notify(
                    f"No coder {name.strip()!r} (coders: {', '.join(c.name for c in coders.values())})",
                    severity="warning",
                )
                return
            self.notify(set_suggestions(self.store, coder.name, not coder.suggestions))
            self.show()

        names = ", ".join(f"{c.name} ({'on' if c.suggestions else 'off'})" for c in coders.values())
        self.app.push_screen(
            Prompt(
                f"Switch suggestions on or off for which coder? ({names})", placeholder="coder name"
            ),
            chosen,
        )
