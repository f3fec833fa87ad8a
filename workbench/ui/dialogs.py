"""Small modal dialogs: a yes/no question, a one-line prompt, the filter form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from workbench.coding.worklist import STATUSES, Filters
from workbench.plain import printable
from workbench.ui.render import plain


class Confirm(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.question))
            yield Label("[b]y[/b] yes   [b]n[/b] no", classes="dim")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class Prompt(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text))
            # A stored memo is edited as shown: control characters in it appear escaped.
            yield Input(value=printable(self.value), placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterDialog(ModalScreen[Filters | None]):
    """Choose which comments the worklist shows: group, role, status, search text."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="filter.cancel")]

    def __init__(self, current: Filters, groups: list[dict], roles: list[dict]):
        super().__init__()
        self.current, self.groups, self.roles = current, groups, roles

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Show comments")
            yield Select([(plain(f"{g['code']} {g['name']}"), g["id"]) for g in self.groups],
                         prompt="all groups", value=self.current.group_id or Select.NULL, id="f-group")
            yield Select([(plain(f"{r['key']} ({r['name']})"), r["key"]) for r in self.roles],
                         prompt="all roles", value=self.current.role or Select.NULL, id="f-role")
            yield Select([(s, s) for s in STATUSES], allow_blank=False, value=self.current.status,
                         id="f-status")
            yield Input(value=printable(self.current.search), placeholder="words in the comment", id="f-search")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="f-apply")
                yield Button("Clear", id="f-clear")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "f-clear":
            self.dismiss(Filters())
        else:
            self._apply()

    def on_input_submitted(self) -> None:
        self._apply()

    def _apply(self) -> None:
        def value(widget_id):
            selected = self.query_one(widget_id, Select).value
            return None if selected is Select.NULL else selected

        self.dismiss(Filters(value("#f-group"), value("#f-role"), value("#f-status") or "all",
                             self.query_one("#f-search", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
