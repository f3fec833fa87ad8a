"""The participants screen: every speaker of every focus group as a row, the participant they
are and each attribute's value, as the participant sheet has them; a table to edit.

The lead edits: ``enter`` on a cell sets a value (a choice from its list; empty clears), names
the participant, ``l`` links the row's speaker with another group's (one person in both),
``u`` unlinks, ``a`` declares an attribute, ``x`` exports the sheet (a download when served).
Every change goes through :mod:`workbench.project.participants` (checked, audited). A coder
who codes blind sees the table read-only, without the attributes hidden from blind coders.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from workbench.errors import WorkbenchError
from workbench.exchange.participant_sheet import GROUP_SUFFIX, sheet_rows
from workbench.plain import printable
from workbench.project import participants as P
from workbench.store import Store
from workbench.ui.delivery import Destination, deliveries
from workbench.ui.dialogs import Choose, FormDialog, Prompt
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell, plain

EDITS = ("edit", "link", "unlink", "add_attribute")


class ParticipantsScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("enter", "edit", "Edit", id="participants.edit"),
        Binding("l", "link", "Link", id="participants.link"),
        Binding("u", "unlink", "Unlink", id="participants.unlink"),
        Binding("a", "add_attribute", "New attribute", id="participants.add"),
        Binding("x", "export", "Export sheet", id="participants.export"),
        Binding("escape", "app.pop_screen", "Back", id="participants.back"),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.columns: list[str] = []
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="participants-title", classes="pane-title")
        yield DataTable(id="participants", cursor_type="cell", zebra_stripes=True)
        yield Static(id="participants-notes", classes="dim")
        yield KeyBar()

    @property
    def blind(self) -> bool:
        """Coding blind (or a served coder): the table is read-only, hidden attributes left out."""
        return bool(getattr(self.app, "coder", None)) or getattr(self.app, "role", None) in (
            "coder",
            "observer",
        )

    def on_mount(self) -> None:
        self.sub_title = printable(f"{self.store.project_info()['name']} · participants")
        self.load()
        self.query_one(DataTable).focus()

    def load(self) -> None:
        columns, rows = sheet_rows(self.store)
        if self.blind:
            hidden = {a.name for a in self.store.attributes() if a.hidden}
            columns = [c for c in columns if c.removesuffix(GROUP_SUFFIX) not in hidden]
        self.columns, self.rows = columns, rows
        table = self.query_one(DataTable)
        where = table.cursor_coordinate
        table.clear(columns=True)
        table.add_columns(*columns)
        for row in rows:
            table.add_row(*(cell(str(row.get(c, ""))) for c in columns))
        if rows:
            table.move_cursor(
                row=min(where.row, len(rows) - 1), column=min(where.column, len(columns) - 1)
            )
        people = P.participants(self.store)
        linked = [p for p in people if len(p.speakers) > 1]
        self.query_one("#participants-title", Static).update(
            plain(
                f"{len(people)} participants · {len(rows)} speakers"
                + (f" · {len(linked)} in more than one group" if linked else "")
                + (" · read-only while coding blind" if self.blind else ""),
                style="bold",
            )
        )
        self.query_one("#participants-notes", Static).update(
            plain(
                "No speakers yet: import transcripts first."
                if not rows
                else "enter edits a value (empty clears) · l links this speaker with another "
                "group's · "
                "a declares an attribute · columns 'NAME (of group)' are the focus group's"
            )
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in EDITS:
            return not self.blind and (action == "add_attribute" or bool(self.rows))
        if action == "export":
            return not self.blind and bool(self.rows)
        return True

    def _current(self) -> tuple[dict, str] | None:
        table = self.query_one(DataTable)
        if not self.rows:
            return None
        coordinate = table.cursor_coordinate
        return self.rows[coordinate.row], self.columns[coordinate.column]

    def _apply(self, change) -> None:
        """Run one change; a refusal is shown, and the table redrawn either way."""
        if self.app.served_refuses("edit participants"):
            return
        try:
            said = change()
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
        else:
            if said:
                self.notify(said)
        self.load()

    def on_data_table_cell_selected(self) -> None:  # enter in the table
        self.action_edit()

    def action_edit(self) -> None:
        current = self._current()  # None: no speakers (then check_action refuses too)
        if current is None or not self.check_action("edit", ()):
            return
        row, column = current
        ref = f"{row['group']}/{row['speaker']}"
        if column == "participant":
            self.app.push_screen(
                Prompt(
                    f"Name the participant {ref} is (empty: {ref})", row["participant"], select=True
                ),
                lambda name: (
                    self._apply(lambda: f"{ref}: {P.rename(self.store, ref, name or None).name}")
                    if name is not None
                    else None
                ),
            )
            return
        name = column.removesuffix(GROUP_SUFFIX)
        attribute = (
            self.store.attribute_named(name)
            if column not in ("group", "speaker", "role", "comments")
            else None
        )
        if attribute is None:
            self.notify(
                f"{column} is not edited here: speakers and roles come from the transcripts "
                "(`workbench speakers`)",
                severity="warning",
            )
            return
        group = attribute.scope == "group"
        owner = {"group": row["group"]} if group else {"speaker": ref}

        def set_value(value: str | None) -> None:
            if value is None:
                return
            self._apply(
                lambda: (
                    "; ".join(
                        f"{c.owner}: {c.attribute} = {c.after or '(none)'}"
                        for c in P.set_values(self.store, {name: value}, **owner)
                    )
                    or "No change."
                )
            )

        whose = f"focus group {row['group']}" if group else ref
        if attribute.type == "choice":
            options = [*attribute.choices, "(no value)"]
            self.app.push_screen(
                Choose(f"{name} of {whose}", options),
                lambda i: (
                    set_value(options[i] if i < len(options) - 1 else "") if i is not None else None
                ),
            )
        else:
            hint = {"number": "a number", "date": "YYYY-MM-DD", "text": "text"}[attribute.type]
            self.app.push_screen(
                Prompt(
                    f"{name} of {whose} ({hint}; empty clears)",
                    str(row.get(column, "")),
                    hint,
                    select=True,
                ),
                set_value,
            )

    def action_link(self) -> None:
        current = self._current()
        if current is None or not self.check_action("link", ()):
            return
        row, _ = current
        ref = f"{row['group']}/{row['speaker']}"

        def chosen(other: str | None) -> None:
            if other:
                self._apply(lambda: f"Linked as {P.link(self.store, [ref, other]).name}.")

        self.app.push_screen(
            Prompt(
                f"{ref} is the same person as (GROUP/label of another group's speaker)",
                "",
                "e.g. FG5/Ruth",
            ),
            chosen,
        )

    def action_unlink(self) -> None:
        current = self._current()
        if current is not None and self.check_action("unlink", ()):
            row, _ = current
            ref = f"{row['group']}/{row['speaker']}"
            self._apply(
                lambda: f"{P.unlink(self.store, ref).name} is a participant of their own again."
            )

    def action_add_attribute(self) -> None:
        if not self.check_action("add_attribute", ()):
            return
        from workbench.project.attributes import declared

        def check(values: dict[str, str]) -> str | None:
            try:
                declared(*_declaration(values))
            except WorkbenchError as exc:
                return str(exc)
            return None

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._apply(
                    lambda: (
                        f"Declared {P.declare(self.store, declared(*_declaration(values))).name}."
                    )
                )

        self.app.push_screen(
            FormDialog(
                "New attribute",
                [
                    ("name", "Name", ""),
                    ("of", "Of (participant/group)", "participant"),
                    ("type", "Type (text/number/date/choice)", "text"),
                    ("choices", "Choices (a,b,...)", ""),
                    ("hidden", "Hidden from blind coders (y/n)", "n"),
                ],
                check,
            ),
            done,
        )

    def action_export(self) -> None:
        if self.check_action("export", ()):
            deliveries(self.app).ask(
                "the participant sheet", "participants.xlsx", self.export, kinds=".xlsx .csv"
            )

    def export(self, target: Destination, force: bool = False) -> None:
        """Write the sheet; a file there that this project did not write is replaced only after
        the user says so (the command line's --force). Served, it is a download."""
        from workbench.exchange.participant_sheet import export
        from workbench.output import OutputError, for_project
        from workbench.ui.dialogs import Confirm

        delivery = deliveries(self.app)
        try:
            export(self.store, target.path, for_project(self.store, force))
        except OutputError as exc:
            if exc.replaceable and not target.served:
                question = f"{target.shown} is there and Workbench did not write it. Replace it?"
                self.app.push_screen(
                    Confirm(question), lambda yes: self.export(target, force=True) if yes else None
                )
            else:
                delivery.failed(target, str(exc))
            return
        except (WorkbenchError, OSError) as exc:
            delivery.failed(target, str(exc))
            return
        delivery.done(target, f"{len(self.rows)} rows")


def _declaration(values: dict[str, str]) -> tuple:
    """The form's fields as :func:`workbench.project.attributes.declared`'s arguments."""
    choices = [c for c in values["choices"].split(",") if c.strip()]
    hidden = values["hidden"].strip().lower() in ("y", "yes", "true", "1")
    return (
        values["name"],
        values["of"].strip().lower(),
        values["type"].strip().lower(),
        choices,
        hidden,
    )
