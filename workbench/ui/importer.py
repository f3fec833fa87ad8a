"""The import screen (home ``i``): a transcript file (its path completed as it is typed), the
group's name, kind and date; then the file's reading, as ``workbench import --dry-run``
prints it (label styles, speakers with their turns and a role to choose for each, the lines
set aside, the warnings, the first turns as they would be stored); then the import. Reading
and writing run in workers, through the use cases the CLI runs (``ingest.importer``:
``read_import``, then ``write_import`` with the roles chosen); nothing is written before the
user presses ``ctrl+s``. Never in a coding session, nor served (a served app never reads the
server's disk).
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static

from workbench.errors import WorkbenchError
from workbench.store import Role, Store
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import plain


class PathSuggester(Suggester):
    """Completes a file path from what is on disk (→ takes the completion)."""

    def __init__(self):
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, prefix = os.path.split(value)
        base = Path(os.path.expanduser(folder or "."))
        best = None
        try:
            with os.scandir(
                base
            ) as entries:  # the first name in order, without listing a big folder
                for entry in entries:
                    if (
                        entry.name.startswith(prefix)
                        and (prefix.startswith(".") or not entry.name.startswith("."))
                        and (best is None or entry.name < best.name)
                    ):
                        best = entry
                    if best is not None and best.name == prefix:
                        break
        except OSError:
            return None
        if best is None:
            return None
        found = os.path.join(folder, best.name) if folder else best.name
        if best.is_dir():
            found += os.sep
        return found if found != value else None


class ImportForm(Vertical):
    """The file and the group: posts :class:`ImportForm.Read` when the file is to be read."""

    class Read(Message):
        def __init__(self, path: str, group: str, kind: str | None, date: str):
            super().__init__()
            self.path, self.group, self.kind, self.date = path, group, kind, date

    def compose(self) -> ComposeResult:
        with Horizontal(classes="import-row"):
            yield Label("File", classes="import-label")
            yield Input(
                placeholder="path of a transcript (→ completes)",
                id="import-path",
                suggester=PathSuggester(),
                compact=True,
            )
        with Horizontal(classes="import-row"):
            yield Label("Group", classes="import-label")
            yield Input(placeholder="default: the file's name", id="import-group", compact=True)
        with Horizontal(classes="import-row"):
            yield Label("Kind", classes="import-label")
            yield Select(
                [
                    ("individual stakeholder group", "individual"),
                    ("multi-stakeholder group", "multi"),
                ],
                prompt="not set",
                id="import-kind",
                compact=True,
            )
            yield Label("Date", classes="import-label import-date-label")
            yield Input(placeholder="YYYY-MM-DD", id="import-date", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.request()

    def request(self) -> None:
        kind = self.query_one("#import-kind", Select).value
        self.post_message(
            self.Read(
                self.query_one("#import-path", Input).value.strip(),
                self.query_one("#import-group", Input).value.strip(),
                kind if isinstance(kind, str) else None,
                self.query_one("#import-date", Input).value.strip(),
            )
        )


class ReadingPane(VerticalScroll):
    """A file's reading, with a role to choose for each speaker."""

    def show(self, report, roles: list[Role]) -> None:
        from workbench.ingest.plan import details

        self.remove_children()
        widgets: list[Widget] = [Static(plain(_summary(report)), classes="import-summary")]
        options = [(f"{r.key}{' (not coded)' if r.excluded else ''}", r.key) for r in roles]
        for number, speaker in enumerate(report.speakers):
            widgets.append(
                Horizontal(
                    Label(
                        plain(f"{speaker.label} · {speaker.comments} turn(s)"),
                        classes="import-speaker",
                    ),
                    Select(
                        options,
                        prompt="no role",
                        value=speaker.role or Select.NULL,
                        compact=True,
                        id=f"role-{number}",
                    ),
                    classes="import-role-row",
                )
            )
        # The roles are chosen above: the CLI's hint to give them with --role is not this screen's.
        shown = [line[2:] for line in details(report) if "speaker(s) have no role" not in line]
        widgets.append(Static(plain("\n".join(shown)), classes="import-details"))
        self.mount_all(widgets)
        self.speakers = [s.label for s in report.speakers]
        self.read_roles = {s.label: s.role for s in report.speakers}

    def chosen_roles(self) -> dict[str, str]:
        """The roles the user set, where they differ from what was read."""
        chosen = {}
        for number, label in enumerate(getattr(self, "speakers", [])):
            value = self.query_one(f"#role-{number}", Select).value
            role = value if isinstance(value, str) else None
            if role and role != self.read_roles.get(label):
                chosen[label] = role
        return chosen


def _summary(report) -> str:
    styles = f"; labels: {', '.join(report.styles)}" if report.styles else ""
    unknown = f"; {report.unknown_speaker} without a speaker" if report.unknown_speaker else ""
    return (
        f"{Path(report.path).name} → group {report.group!r} ({report.format}, "
        f"{report.encoding}{styles})\n{report.comments} comments ({report.codable} to "
        f"code){unknown}, {len(report.speakers)} speakers, {report.words:,} words. Choose each "
        "speaker's role:"
    )


class ImportScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("ctrl+r", "read", "Read", id="import.read"),
        Binding("ctrl+s", "write", "Import", id="import.write"),
        Binding("escape", "leave", "Back", id="import.back"),
    ]
    KEYBAR_PRIORITY = ("import.write", "import.read", "import.back")
    DEFAULT_CSS = """
    ImportScreen ImportForm { height: auto; padding: 0 1; margin-top: 1; }
    ImportScreen .import-row { height: 1; }
    ImportScreen .import-label { width: 7; }
    ImportScreen .import-date-label { margin-left: 2; width: 6; }
    ImportScreen #import-path, ImportScreen #import-group { width: 1fr; }
    ImportScreen #import-kind { width: 34; }
    ImportScreen #import-date { width: 14; }
    ImportScreen #import-status { padding: 0 1; margin-top: 1; height: auto; }
    ImportScreen ReadingPane { height: 1fr; padding: 0 1; }
    ImportScreen .import-role-row { height: 1; }
    ImportScreen .import-speaker { width: 1fr; max-width: 40; }
    ImportScreen .import-role-row Select { width: 28; }
    ImportScreen .import-details { margin-top: 1; }
    """

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.plan = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Import a transcript", classes="pane-title")
        yield ImportForm()
        yield Static(
            "Give a file and press enter (or ctrl+r) to read it: nothing is imported until you "
            "press ctrl+s.",
            id="import-status",
            classes="dim",
        )
        yield ReadingPane(id="import-reading")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{self.store.project_info()['name']} · import"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "write":
            return self.plan is not None and not self.busy
        if action == "read":
            return not self.busy
        return True

    def _status(self, text: str, style: str = "") -> None:
        self.query_one("#import-status", Static).update(plain(text, style=style))

    def action_read(self) -> None:
        self.query_one(ImportForm).request()

    def action_leave(self) -> None:
        if not self.busy:
            self.app.pop_screen()

    def on_import_form_read(self, message: ImportForm.Read) -> None:
        if self.busy:
            return
        if not message.path:
            self._status("Give the path of a transcript file first.", "yellow")
            return
        if message.date:
            from datetime import date

            try:
                date.fromisoformat(message.date)
            except ValueError:
                self._status(
                    f"Date {message.date!r}: write it as YYYY-MM-DD, or leave it empty.", "yellow"
                )
                return
        self.plan = None
        self.busy = True
        self.refresh_bindings()
        self._status(f"Reading {message.path}…")
        self.read(message)

    @work(thread=True, exclusive=True, group="import")
    def read(self, request: ImportForm.Read) -> None:
        from workbench.ingest.importer import GroupMeta, read_import

        meta = GroupMeta(name=request.group or None, kind=request.kind, date=request.date or None)
        try:
            plan = read_import(self.store, [os.path.expanduser(request.path)], meta)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._read, None, str(exc))
        else:
            self.app.call_from_thread(self._read, plan, "")

    def _read(self, plan, error: str) -> None:
        self.busy = False
        self.plan = None
        if error:
            self.query_one(ReadingPane).remove_children()
            self._status(error, "yellow")
        else:
            [report] = plan.reports
            if report.status == "unchanged":
                self.query_one(ReadingPane).remove_children()
                self._status(
                    report.warnings[0] if report.warnings else "Already imported.", "yellow"
                )
            else:
                self.plan = plan
                pane = self.query_one(ReadingPane)
                pane.show(report, self.store.roles())
                # On to the roles: the first speaker's role is the next thing to decide.
                self.call_after_refresh(self._focus_roles)
                self._status(
                    "Read, nothing imported yet: check the speakers and their roles, then ctrl+s "
                    "imports."
                )
        self.refresh_bindings()

    def _focus_roles(self) -> None:
        selects = self.query_one(ReadingPane).query(Select)
        if selects:
            selects.first().focus()

    def action_write(self) -> None:
        if self.plan is None or self.busy:
            return
        self.busy = True
        self.refresh_bindings()
        self._status("Importing…")
        self.write(self.plan, self.query_one(ReadingPane).chosen_roles())

    @work(thread=True, exclusive=True, group="import")
    def write(self, plan, roles: dict[str, str]) -> None:
        from workbench.ingest.importer import write_import

        try:
            [report] = write_import(self.store, plan, roles)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._written, None, str(exc))
        else:
            self.app.call_from_thread(self._written, report, "")

    def _written(self, report, error: str) -> None:
        self.busy = False
        self.plan = None
        self.refresh_bindings()
        if error:
            self._status(error, "yellow")
            return
        self.app.notify(
            f"Imported {Path(report.path).name} into {report.group!r}: {report.comments} "
            f"comments, {report.codable} to code."
        )
        self.app.pop_screen()
        refresh = getattr(self.app.screen, "action_refresh", None)
        if refresh:
            refresh()
