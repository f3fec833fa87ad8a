"""The Workbench terminal app. Built by :func:`create_app` from an open store,
so the CLI and the tests construct it the same way and nothing opens a database
at import time."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from workbench.store import Store
from workbench.ui.home import HomeScreen


class WorkbenchApp(App):
    TITLE = "Workbench"
    CSS_PATH = "workbench.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "show_keys", "Keys", id="app.keys"),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.sub_title = store.project_info()["name"]

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.store))

    def action_show_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def create_app(store: Store) -> WorkbenchApp:
    return WorkbenchApp(store)
