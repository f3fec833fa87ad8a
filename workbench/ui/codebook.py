"""The codebook editor (the lead's, never in a blind coding session): the names,
definitions and shortcuts of the categories and themes, the codebook's name and version,
and new themes.

Each edit is checked at once by the codebook loader (:class:`~workbench.project.codebook_edit.
CodebookDraft`) and refused with its message in the form; ``ctrl+s`` saves the edited
codebook through the path ``workbench codebook --replace`` takes: once anything is coded
the lead is asked to confirm, a backup of the project is made first, and the audit trail
records the hashes and what was edited.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from workbench.errors import CodebookError, WorkbenchError
from workbench.plain import printable
from workbench.project.codebook_edit import EDITABLE, CodebookDraft, save_draft
from workbench.project.lifecycle import CodebookInUse, active_codebook
from workbench.store import Store
from workbench.ui.dialogs import Confirm, FormDialog
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell, plain

LABELS = {
    "name": "Name",
    "version": "Version",
    "description": "Description",
    "shortcut": "Key",
    "definition": "Definition",
    "key": "Stored as",
}


class CodebookScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("enter", "edit", "Edit", id="codebook.edit"),
        Binding("a", "add_theme", "Add theme", id="codebook.add_theme"),
        Binding("ctrl+s", "save", "Save codebook", id="codebook.save"),
        Binding("escape", "leave", "Back", id="codebook.back"),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.draft = CodebookDraft.of(store)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="codebook-edit-title", classes="pane-title")
        yield DataTable(id="codebook-entries", cursor_type="row", zebra_stripes=True)
        yield Static(id="codebook-entry")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{self.store.project_info()['name']} · codebook"
        table = self.query_one(DataTable)
        table.add_column("", width=1)  # • on an entry edited since the last save
        table.add_columns("kind", "key", "name", "definition / description")
        self.fill()
        table.focus()

    def fill(self, at: str | None = None) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        edited = {c.split(":")[0] for c in self.draft.changes}
        header = self.draft.entry("codebook", "")
        table.add_row(
            "•" if "codebook header" in edited else "",
            "codebook",
            "",
            cell(f"{header.get('name', '')} {header.get('version', '')}".strip()),
            cell(header.get("description", "")),
            key="codebook:",
        )
        for kind, text_field in (("category", "description"), ("theme", "definition")):
            for entry in self.draft.entries(kind):
                mark = "•" if f"{kind} {entry['key']}" in edited else ""
                table.add_row(
                    mark,
                    kind,
                    *map(
                        cell,
                        (
                            entry.get("shortcut", ""),
                            entry.get("name", ""),
                            entry.get(text_field, ""),
                        ),
                    ),
                    key=f"{kind}:{entry['key']}",
                )
        if at is not None:
            row = table.get_row_index(at)
        table.move_cursor(row=min(row, table.row_count - 1))
        book = active_codebook(self.store)
        changes = len(self.draft.changes)
        self.query_one("#codebook-edit-title", Static).update(
            plain(
                f"Codebook: {book['name']} {book['version']} · "
                + (
                    f"{changes} unsaved edit(s): ctrl+s saves"
                    if changes
                    else "enter edits, a adds a theme"
                )
            )
        )
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        kind, key = self._entry(event.row_key.value)
        entry = self.draft.entry(kind, key)
        lines = [
            Text(
                f"{kind}, stored as “{key}” in every coding (not editable)"
                if key
                else "the codebook's name, version and description",
                style="bold",
            )
        ]
        lines += [
            Text.assemble((f"{LABELS[f]}: ", "bold"), printable(str(entry.get(f, ""))))
            for f in EDITABLE[kind]
        ]
        self.query_one("#codebook-entry", Static).update(Text("\n").join(lines))

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    @staticmethod
    def _entry(row_key: str | None) -> tuple[str, str]:
        assert row_key is not None, "every row is added with its key (fill)"
        kind, _, key = row_key.partition(":")
        return kind, key

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "save":  # only with something to save
            return self.draft.changed
        return True

    # -- editing -------------------------------------------------------------------

    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        kind, key = self._entry(row_key)
        entry = self.draft.entry(kind, key)
        fields = [(f, LABELS[f], str(entry.get(f, ""))) for f in EDITABLE[kind]]

        def check(values: dict) -> str | None:
            try:
                self.draft.edit(kind, key, **values)
            except CodebookError as exc:
                return str(exc)
            return None

        title = (
            "Edit the codebook's name, version, description"
            if kind == "codebook"
            else f"Edit {kind} {entry.get('name', key)} (stored as {key})"
        )
        self.app.push_screen(
            FormDialog(title, fields, check), lambda done: self.fill(row_key) if done else None
        )

    def action_add_theme(self) -> None:
        added: list[str] = []

        def check(values: dict) -> str | None:
            try:
                added.append(
                    self.draft.add_theme(
                        values["key"], values["name"], values["shortcut"], values["definition"]
                    )
                )
            except CodebookError as exc:
                return str(exc)
            return None

        fields = [
            ("name", LABELS["name"], ""),
            ("shortcut", LABELS["shortcut"], ""),
            ("definition", LABELS["definition"], ""),
            ("key", LABELS["key"], ""),
        ]
        self.app.push_screen(
            FormDialog(
                "Add a theme (stored as: made from the name if left empty; never changed later)",
                fields,
                check,
            ),
            lambda done: self.fill(f"theme:{added[-1]}") if done else None,
        )

    # -- saving --------------------------------------------------------------------

    def action_save(self, force: bool = False, version: str | None = None) -> None:
        if not self.draft.changed:
            self.notify("No edits to save.")
            return
        current = active_codebook(self.store)
        if (
            version is None
            and str(self.draft.entry("codebook", "").get("version", "")) == current["version"]
        ):
            # The edited codebook is a new version of it: ask which (the next one offered).
            from workbench.project.versions import next_version
            from workbench.ui.dialogs import Prompt

            self.app.push_screen(
                Prompt(
                    f"Version of the edited codebook (in use now: {current['version']})",
                    next_version(current["version"]),
                    "e.g. 1.1",
                ),
                lambda answer: (
                    self.action_save(force, answer.strip()) if answer and answer.strip() else None
                ),
            )
            return
        try:
            outcome = save_draft(self.store, self.draft, force, version=version)
        except CodebookInUse as exc:
            question = (
                f"{exc.coded} coding(s) were made with this codebook. Save the edited codebook anyway? "
                "A backup of the project is made first, and the audit trail records the change."
            )
            self.app.push_screen(
                Confirm(question), lambda yes: self.action_save(True, version) if yes else None
            )
            return
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        book = active_codebook(self.store)
        self.draft = CodebookDraft.of(self.store)
        self.fill()
        self.notify(
            f"Codebook saved: {book['name']} {book['version']} ({book['sha256'][:12]})"
            + (", a backup of the project made first" if force else "")
            if outcome == "replaced"
            else "The edits leave the codebook as it was: nothing to save."
        )

    def action_leave(self) -> None:
        if not self.draft.changed:
            self.app.leave_to_home()
            return
        self.app.push_screen(
            Confirm(f"Leave without saving {len(self.draft.changes)} edit(s) to the codebook?"),
            lambda yes: self.app.leave_to_home() if yes else None,
        )
