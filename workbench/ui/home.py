"""Home screen: focus groups with each coder's progress, the codebook, the way to coding.

Once someone codes in this app (``app.coder``), the home screen is blind like the coding
screen: only their progress, and the keys to what would show the other coders' work
(reconciliation, report tables) or the model are neither shown nor run (pressed, they
say why). From there ``C`` switches to another coder (still blind) and ``L`` leaves blind
coding to act as lead, after a dialog that states the blindness rule; the lead then
reconciles and sees the tables in the same window. A key that would be refused is not
shown (``check_action``). The groups table fits every coder's column into the width by
shortening group names (``ui.home_groups``); ``ui.home_coders`` asks whom the window codes as.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static

from workbench.store import GroupSummary, Store
from workbench.ui.home_codebook import CodebookTable
from workbench.ui.home_coders import ActingAsLead, CoderFlow
from workbench.ui.home_groups import GroupsPane
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cursor_key, plain


class HomeScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("c", "code", "Code", id="home.code"),
        Binding("C", "switch_coder", "Switch coder", id="home.switch_coder"),
        Binding("L", "lead", "Act as lead", id="home.lead"),
        Binding("R", "reconcile", "Reconcile", id="home.reconcile"),
        Binding("t", "tables", "Tables", id="home.tables"),
        Binding("m", "model", "Model", id="home.model"),
        Binding("enter", "open_group", "Comments", id="home.comments"),
        Binding("r", "refresh", "Refresh", id="home.refresh"),
        Binding("q", "app.quit", "Quit", id="home.quit", show=False),
        Binding("v", "transcript", "Transcript", id="home.transcript"),
        Binding("b", "themes", "By theme", id="home.themes"),
        Binding("n", "memos", "Memos", id="home.memos"),
        Binding("e", "edit_codebook", "Edit codebook", id="home.edit_codebook"),
        Binding("P", "participants", "Participants", id="home.participants", show=False),
        Binding(
            "G", "transcripts", "Transcripts and groups", id="home.transcripts", show=False
        ),  # ui.project_tasks
        Binding("i", "import", "Import", id="home.import"),
        # The lead's project tasks (ui.agreement, ui.tasks): each the code its command runs.
        Binding("a", "agreement", "Agreement", id="home.agreement"),
        Binding("B", "backup", "Backup", id="home.backup", show=False),
        Binding("x", "export", "Export: REFI-QDA, sheets, packages", id="home.export", show=False),
        Binding("s", "saturation", "Saturation", id="home.saturation", show=False),
        Binding("j", "groups_cursor(1)", "Next group", id="home.next_group", show=False),
        Binding("k", "groups_cursor(-1)", "Previous group", id="home.previous_group", show=False),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self._groups: tuple[list[GroupSummary], list[dict]] = ([], [])  # summaries, progress
        self._coders: list[str] = []  # every coder (a column each)
        self._coded: set[str] = set()  # those who have coded something (reconciling needs two)
        self.who = CoderFlow(store, self)  # c, C, L, R: whom the window codes or decides as

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            yield GroupsPane(id="groups-pane")
            with Vertical(id="codebook-pane"):
                yield Static(id="codebook-title", classes="pane-title")
                yield CodebookTable(id="codebook")
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_refresh()
        self.query_one("#groups", DataTable).focus()

    def on_project_changed(self, message) -> None:
        """Another window imported, split or removed comments or edited the codebook
        (``ui.changes.ProjectChanged``): shown at once, and said."""
        changes = message.changes
        if self.is_current and (changes.comments or changes.codebook):
            self.action_refresh()
            if said := changes.described():
                self.notify("In another window: " + "; ".join(said) + ".", timeout=8)

    @property
    def blind(self) -> str | None:
        """The coder this app codes as, if any: then only their own progress shows."""
        return getattr(self.app, "coder", None)

    def action_refresh(self) -> None:
        summaries = self.store.group_summaries()
        progress = self.store.coder_progress()
        self._coders = sorted({p["coder"] for p in progress}, key=str.lower)
        self._coded = {p["coder"] for p in progress if p["coded"] or p["needs_theme"]}
        self._groups = (summaries, progress)
        self.refresh_bindings()  # a coding session may have begun or ended since: see check_action
        coders = [self.blind] if self.blind else self._coders
        self.query_one(GroupsPane).show(
            summaries, progress, coders, self.blind, self.size.width or self.app.size.width
        )
        book = self.store.codebook()
        self.query_one("#codebook-title", Static).update(
            plain(f"Codebook: {book.name} {book.version}")
        )
        if (
            not self.blind and summaries
        ):  # the lead: reconciled comments changed since (counted in a worker)
            self.run_worker(self._count_reopened, thread=True, exclusive=True, group="reopened")
        self.query_one("#codebook", CodebookTable).show(
            self.store.categories(), self.store.themes()
        )

    def on_resize(self) -> None:
        # Side by side on a wide terminal; groups above the codebook on a narrow one.
        self.set_class(self.size.width < 140, "-narrow")
        self.query_one(GroupsPane).fit(self.size.width or self.app.size.width)

    # What a coding session keeps from this screen, and why (said when the key is pressed).
    BLIND = {
        "reconcile": ("R", "reconciliation and its screens show the other coders' work"),
        "tables": ("t", "the report tables show the other coders' work"),
        "model": (
            "m",
            "the model screen shows a model of the agreed coding and the other coders' use of it",
        ),
        "edit_codebook": (
            "e",
            "the codebook is the lead's to edit (a change reaches every coder's codes)",
        ),
        "transcripts": ("G", "removing or replacing transcripts changes every coder's comments"),
        "import": ("i", "importing transcripts is the lead's (it sets up every coder's comments)"),
        "agreement": ("a", "the agreement screen compares the other coders' codings with yours"),
        "backup": ("B", "a backup holds every coder's work"),
        "saturation": ("s", "saturation is assessed on the agreed coding"),
    }

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        served = getattr(self.app, "role", None)  # served: the account's role fixes who codes
        if action == "import" and served:  # a served app never reads the server's disk
            return False
        if action in self.BLIND:
            return not self.blind and (action != "reconcile" or len(self._coded) >= 2)
        if action == "switch_coder":  # the way from one coder to another, or to the lead's view
            return bool(self.blind) and not served
        if (
            action == "lead"
        ):  # a training or retest window stays blind (the gold is the agreed coding)
            return (
                bool(self.blind)
                and not getattr(self.app, "mode", None)
                and served in (None, "lead")
            )
        if action == "open_group":
            return bool(self._groups[0])
        return True

    def on_key(self, event: events.Key) -> None:
        """A hidden key pressed in a coding session says why it does nothing."""
        if self.blind:
            for action, (key, _why) in self.BLIND.items():
                if event.key == key:
                    event.stop()
                    self._refuse_when_blind(action)

    def _refuse_when_blind(self, action: str) -> bool:
        if self.blind:
            if getattr(self.app, "role", None) == "coder":  # served: the server fixes the role
                way = "a coder's account does not open them; the project lead's does"
            elif getattr(self.app, "mode", None):
                way = "open them with `workbench open PROJECT`"
            else:
                way = "press L to act as lead (once the first pass is done)"
            self.notify(
                f"Coding as {self.blind}: {self.BLIND[action][1]}, so a coding session does not open "
                f"them; {way}.",
                severity="warning",
            )
        return bool(self.blind)

    def action_lead(self) -> None:
        if self.check_action("lead", ()) and self.blind:  # (allowed only while blind)
            self.who.lead(self.blind)

    def on_acting_as_lead(self, message: ActingAsLead) -> None:
        self.action_refresh()

    def action_switch_coder(self) -> None:
        if self.blind:
            self.who.switch_coder(self.blind)

    def action_code(self) -> None:
        self.who.code(self.blind)

    def action_reconcile(self) -> None:
        if not self._refuse_when_blind("reconcile") and self.check_action("reconcile", ()):
            self.who.reconcile()

    def action_tables(self) -> None:
        from workbench.ui.report import ReportScreen

        if self._refuse_when_blind("tables"):
            return
        self.app.push_screen(ReportScreen(self.store))

    def action_model(self) -> None:
        from workbench.ui.model import ModelScreen

        if self._refuse_when_blind("model"):
            return
        self.app.push_screen(ModelScreen(self.store))

    def action_open_group(self) -> None:
        from workbench.ui.comments import CommentsScreen

        table = self.query_one("#groups", DataTable)
        if table.row_count:
            code = cursor_key(table)
            self.app.push_screen(CommentsScreen(self.store, code))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "groups":
            self.action_open_group()

    # -- the reading views and the codebook editor (ui.transcript, themes, memos, codebook) --

    def action_transcript(self) -> None:
        from workbench.ui.transcript import TranscriptScreen

        table = self.query_one("#groups", DataTable)
        if table.row_count:
            code = cursor_key(table)
            self.app.push_screen(TranscriptScreen(self.store, code))

    def action_themes(self) -> None:
        from workbench.ui.themes import ThemesScreen

        self.app.push_screen(ThemesScreen(self.store))

    def action_memos(self) -> None:
        from workbench.ui.memos import MemosScreen

        self.app.push_screen(MemosScreen(self.store))

    # -- the transcripts and groups of the project (ui.project_tasks) --

    def action_transcripts(self) -> None:
        from workbench.ui.project_tasks import open_tasks

        table = self.query_one("#groups", DataTable)
        if not self._refuse_when_blind("transcripts") and table.row_count:
            open_tasks(self, cursor_key(table))

    def _count_reopened(self) -> None:
        from workbench.reconcile.project import project_counts

        counts = project_counts(self.store) if self.store.reconciliations() else None
        changed = counts["changed_since_reconciled"] if counts else 0
        if changed:
            self.app.call_from_thread(self._show_reopened, changed)

    def _show_reopened(self, changed: int) -> None:
        if not self.blind:
            self.query_one(GroupsPane).show_reopened(changed)

    def action_import(self) -> None:
        from workbench.ui.importer import ImportScreen

        if self._refuse_when_blind("import") or not self.check_action("import", ()):
            return
        self.app.push_screen(ImportScreen(self.store))

    # -- the lead's project tasks (ui.agreement, ui.tasks) --

    def action_agreement(self) -> None:
        from workbench.ui.agreement import AgreementScreen

        if self._refuse_when_blind("agreement") or self.app.served_refuses("see the agreement"):
            return
        self.app.push_screen(AgreementScreen(self.store))

    def action_backup(self) -> None:
        from workbench.ui import tasks

        if not self._refuse_when_blind("backup") and not self.app.served_refuses(
            "back up the project"
        ):
            tasks.backup(self)

    def action_export(self) -> None:
        from workbench.ui import tasks

        tasks.export(self)  # in a coding session: only that coder's own package

    def action_saturation(self) -> None:
        from workbench.ui import tasks

        if not self._refuse_when_blind("saturation"):
            tasks.saturation(self)

    def action_groups_cursor(self, step: int) -> None:
        (
            self.query_one("#groups", DataTable).action_cursor_down
            if step > 0
            else self.query_one("#groups", DataTable).action_cursor_up
        )()

    def action_edit_codebook(self) -> None:
        from workbench.ui.codebook import CodebookScreen

        if self._refuse_when_blind("edit_codebook"):
            return
        self.app.push_screen(CodebookScreen(self.store))

    def action_participants(self) -> None:
        from workbench.ui.participants import ParticipantsScreen

        self.app.push_screen(ParticipantsScreen(self.store))
