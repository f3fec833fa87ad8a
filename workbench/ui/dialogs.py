"""Small modal dialogs: a yes/no question, a one-line prompt, a numbered choice, a memo of
several lines, a form of one-line fields, the filter form."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select

from workbench.coding.worklist import STATUSES, Filters
from workbench.plain import printable
from workbench.store import Group, Role
from workbench.ui.kept import WorkbenchModal
from workbench.ui.render import plain


class Confirm(WorkbenchModal[bool]):
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


class Prompt(WorkbenchModal[str | None]):
    """Ask for one line of text; dismisses with the text, or None on escape.

    A given value is edited from its end (a memo, a rationale, names to complete); with
    ``select`` it is selected, so typing replaces it (a search, a file name)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", select: bool = False):
        super().__init__()
        self.title_text, self.value, self.placeholder, self.select = (
            title,
            value,
            placeholder,
            select,
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text))
            # A stored memo is edited as shown: control characters in it appear escaped.
            yield Input(
                value=printable(self.value),
                placeholder=self.placeholder,
                id="prompt-input",
                select_on_focus=self.select,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoEditor(WorkbenchModal[str | None]):
    """Write a memo of several lines: enter starts a new line, ctrl+s keeps the memo, escape
    leaves it as it was (asking first when something was typed). Dismisses with the text,
    or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save memo", id="memo.save"),
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
    ]

    def __init__(self, title: str, value: str = "", place: tuple[str, int | None] | None = None):
        """``place``: ("right", width) beside the comment, over the pane of codes, or
        ("bottom", None) under it; by default in the middle of the screen."""
        super().__init__()
        self.title_text, self.value, self.place = title, value, place

    def compose(self) -> ComposeResult:
        # Imported only when a memo is written: off the coding screen's start.
        from textual.widgets import TextArea

        with Vertical(classes="dialog", id="memo-dialog"):
            yield Label(plain(self.title_text))
            # A stored memo is edited as shown: control characters in it appear escaped.
            yield TextArea(printable(self.value), id="memo-text", soft_wrap=True)
            yield Label(
                "[b]ctrl+s[/b] save   [b]escape[/b] cancel   [b]enter[/b] new line", classes="dim"
            )
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="memo-save")
                yield Button("Cancel", id="memo-cancel")

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        if self.place:
            side, width = self.place
            self.add_class(f"-{side}")
            if width:
                self.query_one("#memo-dialog").styles.width = max(width, 36)
        area = self.query_one("#memo-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        from textual.widgets import TextArea

        return self.query_one("#memo-text", TextArea).text

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "memo-save" else self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text.strip() == self.value.strip():
            self.dismiss(None)
            return
        self.app.push_screen(
            Confirm("Discard what you typed in this memo?"), lambda yes: yes and self.dismiss(None)
        )


class FormDialog(WorkbenchModal[dict | None]):
    """A few one-line fields (label, value) in a form; enter in the last field or ctrl+s
    submits. ``check(values)`` returns a message to show (the form stays open) or None
    (the form closes with the values)."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str, fields: list[tuple[str, str, str]], check=None):
        super().__init__()
        self.title_text, self.fields, self.check = title, fields, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(plain(self.title_text))
            for name, label, value in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(value, id=f"field-{name}", compact=True)
            yield Label("", id="form-error", classes="form-error")
            yield Label(
                "[b]enter[/b] next field (saves on the last)  [b]ctrl+s[/b] save  [b]esc[/b] cancel",
                classes="dim",
            )

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @property
    def values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#field-{name}", Input).value
            for name, _label, _value in self.fields
        }

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_submit(self) -> None:
        message = self.check(self.values) if self.check else None
        if message:
            self.query_one("#form-error", Label).update(message)
            return
        self.dismiss(self.values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choose(WorkbenchModal[int | None]):
    """Choose one of numbered options (a digit, or the arrows and enter); dismisses with its
    index, or None on escape. Every option shows, wrapped, however long."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]

    def __init__(self, title: str, options: list[str]):
        super().__init__()
        self.title_text, self.options = title, options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text))
            yield OptionList(
                *(plain(f"{n}  {text}") for n, text in enumerate(self.options, start=1)),
                id="choices",
            )
            keys = f"1-{len(self.options)}" if len(self.options) > 1 else "1"
            yield Label(
                f"[b]{keys}[/b] or [b]↑↓ enter[/b] choose   [b]esc[/b] cancel", classes="dim"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        if (
            event.character
            and event.character.isdigit()
            and 1 <= int(event.character) <= min(9, len(self.options))
        ):
            event.stop()
            self.dismiss(int(event.character) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterDialog(WorkbenchModal[Filters | None]):
    """Choose which comments the worklist shows: group, role, status, search text, and
    conditions on attributes (``check`` returns why a condition is refused, or None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="filter.cancel")]

    def __init__(
        self,
        current: Filters,
        groups: list[Group],
        roles: list[Role],
        attributes: list[str] | None = None,
        check=None,
    ):
        super().__init__()
        self.current, self.groups, self.roles = current, groups, roles
        self.attributes, self.check = attributes or [], check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="filter-dialog"):
            yield Label("Show comments")
            yield Select(
                [(plain(f"{g.code} {g.name}"), g.id) for g in self.groups],
                prompt="all groups",
                value=self.current.group_id or Select.NULL,
                id="f-group",
            )
            yield Select(
                [(plain(f"{r.key} ({r.name})"), r.key) for r in self.roles],
                prompt="all roles",
                value=self.current.role or Select.NULL,
                id="f-role",
            )
            yield Select(
                [(s, s) for s in STATUSES],
                allow_blank=False,
                value=self.current.status,
                id="f-status",
            )
            yield Input(
                value=printable(self.current.search),
                placeholder="words in the comment",
                id="f-search",
            )
            if self.attributes:
                example = f"e.g. {self.attributes[0]}=..." if self.attributes else ""
                yield Input(
                    value=printable(self.current.where),
                    id="f-where",
                    placeholder=f"attributes ({', '.join(self.attributes)}), {example}",
                )
                yield Label("", id="f-error", classes="filter-error")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="f-apply")
                yield Button("Clear", id="f-clear")

    def on_resize(self) -> None:
        # Five fields with their margins and the buttons take 30 rows: on a shorter terminal
        # (80x24) the fields sit close, so Apply and Clear stay on the screen.
        self.set_class(self.size.height < 32, "-short")

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

        where = self.query_one("#f-where", Input).value.strip() if self.attributes else ""
        problem = self.check(where) if where and self.check else None
        if problem:
            self.query_one("#f-error", Label).update(plain(problem))
            self.query_one("#f-error", Label).add_class("-shown")
            return
        self.dismiss(
            Filters(
                value("#f-group"),
                value("#f-role"),
                value("#f-status") or "all",
                self.query_one("#f-search", Input).value.strip(),
                where,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
