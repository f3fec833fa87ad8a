"""The report screen: choose a table, see it, export it, or export everything.

Tables come from :mod:`workbench.reports.runs` (the agreed coding; provisional only when
asked for), and every export is recorded as a report run like on the command line. Served
to a browser (``workbench serve``), an export is a download (everything at once as a zip),
through ``workbench.ui.delivery``; an observer sees the tables and cannot export.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, ProgressBar, Static

from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.store import Store
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell_width, plain
from workbench.ui.report_export import ReportExport, Shown
from workbench.ui.report_saturation import assess, chosen_settings, settings_dialog
from workbench.ui.wide import WideTable
from workbench.ui.wording import in_app

CHOICES = [
    ("categories", "Categories by focus group (Tables 1-2)"),
    ("themes", "Themes and % effective (Table 3)"),
    ("chart", "Themes chart"),
    ("exemplars", "Exemplar quotes (Table 4)"),
    ("roles", "Themes by stakeholder role"),
    ("groups", "Themes by focus group"),
    ("cooccurrence", "Theme co-occurrence"),
    ("themes-by", "Themes by attribute"),
    ("behaviours-by", "Behaviours by attribute"),
    ("categories-by", "Categories by attribute"),
    ("saturation", "Saturation (Guest et al. 2020)"),
]
BY = {"themes-by": "themes", "behaviours-by": "behaviours", "categories-by": "categories"}


class ReportScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("e", "export", "Export table", id="report.export"),
        Binding("E", "export_all", "Export all", id="report.export_all"),
        Binding("p", "toggle_provisional", "Provisional", id="report.provisional"),
        Binding(
            "s", "saturation_settings", "Saturation base/run", id="report.saturation", show=False
        ),
        Binding("b", "choose_by", "By which attribute", id="report.by"),
        Binding(
            "n",
            "toggle_participants",
            "Participants in Table 3",
            id="report.participants",
            show=False,
        ),
        # A wide table scrolls by column and by screen while the list of tables has the keys.
        Binding("left", "columns(-1)", "Column left", id="report.left", show=False, priority=True),
        Binding(
            "right", "columns(1)", "Column right", id="report.right", show=False, priority=True
        ),
        Binding("pageup", "page(-1)", "Page up", id="report.page_up", show=False, priority=True),
        Binding(
            "pagedown", "page(1)", "Page down", id="report.page_down", show=False, priority=True
        ),
        Binding("escape", "app.pop_screen", "Back", id="report.back"),
    ]

    def __init__(self, store: Store, choice: str = "categories"):
        super().__init__()
        self.store = store
        self.provisional = False
        self.tables: list = []
        self.record: dict[str, Any] = {}  # the run's record of the tables shown (R.build)
        self.choice = choice  # the table shown first (home's saturation task: "saturation")
        self.saturation: dict | None = None  # the assessment shown, when the choice is saturation
        self.saturation_options: dict = {}  # base/run set with s (else the last run's, else 4/2)
        self.by: str | None = None  # the attribute of the tables by attribute (b); else the first
        self.participants = False  # Table 3 with the participants who raised each theme (n)
        self.exports = ReportExport(store, self)  # e and E (ui.report_export)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="report"):
            yield OptionList(*(label for _, label in CHOICES), id="report-choices")
            with Vertical(id="report-view"):
                yield Static(id="report-title", classes="pane-title")
                with VerticalScroll(id="report-body"):
                    yield WideTable(id="report-table", classes="report-table")
                    yield Static(id="report-title-2", classes="report-subtitle")
                    yield WideTable(id="report-table-2", classes="report-table")
                    yield Static(id="report-text")
                    yield Static(id="report-notes", classes="dim")
                yield ProgressBar(id="report-progress", show_eta=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = printable(f"{self.store.project_info()['name']} · report tables")
        self.query_one("#report-progress").display = False
        choices = self.query_one(OptionList)
        choices.focus()
        choices.highlighted = [key for key, _ in CHOICES].index(self.choice)
        self.show(self.choice)

    def on_resize(self) -> None:
        # On a narrow terminal the list of tables gives the table its room ("% effective"
        # read "10" for "100%" at 80 columns); a wide table scrolls sideways, whole.
        self.set_class(self.size.width < 120, "-narrow")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(CHOICES[event.option_index][0])

    def show(self, choice: str) -> None:
        from workbench.reports import runs as R

        self.choice = choice
        table_widget = self.query_one("#report-table", WideTable)
        text = self.query_one("#report-text", Static)
        notes = self.query_one("#report-notes", Static)
        table_widget.clear(columns=True)
        self._second(None)
        text.update("")
        if choice == "saturation":
            self._show_saturation(table_widget, text, notes)
            return
        name = "themes" if choice == "chart" else BY.get(choice, choice)
        by = None
        if choice in BY:
            attributes = [a.name for a in self.store.attributes()]
            known = [*attributes, "role", "group"]
            by = self.by if self.by in known else (attributes or ["role"])[0]
        try:
            self.tables, self.record = R.build(
                self.store,
                [name],
                provisional=self.provisional,
                by=by,
                participants=self.participants and choice == "themes",
            )
        except WorkbenchError as exc:
            self.tables = []
            self.query_one("#report-title", Static).update(dict(CHOICES)[choice])
            hint = (
                "\n\nPress p to show a provisional table from the comments agreed so far."
                if "not agreed" in str(exc) or "no agreed category" in str(exc)
                else ""
            )
            notes.update("")
            text.update(plain(str(exc) + hint, style="yellow"))
            return
        first = self.tables[0]
        self.query_one("#report-title", Static).update(
            plain(first.title + ("  [provisional]" if self.provisional else ""))
        )
        if choice == "chart":
            from workbench.reports.figures import terminal_chart

            text.update(
                terminal_chart(first, max(40, self.query_one("#report-body").size.width - 4))
            )
        else:
            # Definitions are long and on the home screen; on screen the numbers matter.
            keep = [i for i, c in enumerate(first.columns) if c != "Definition"]
            labels = [first.columns[i] for i in keep]
            parts = [
                [[row[i] if i < len(row) else "" for i in keep] for row in t.rows]
                for t in self.tables
            ]
            # One width per column over every table, so tables shown one under the other line up.
            widths = [
                max([cell_width(label), *(cell_width(r[n]) for rows in parts for r in rows)])
                for n, label in enumerate(labels)
            ]
            table_widget.fill(labels, parts[0], widths=widths)
            if len(parts) > 1:  # the second table under its own title, whole
                self._second(
                    self.tables[1].title, labels, [r for rows in parts[1:] for r in rows], widths
                )
        # Tables 1 and 2 carry the same note on how to read them: said once.
        notes.update(plain("\n".join(dict.fromkeys(n for t in self.tables for n in t.notes))))

    def action_choose_by(self) -> None:
        """Which attribute the tables by attribute are by (role and group are always there)."""
        options = [*(a.name for a in self.store.attributes()), "role", "group"]

        def chosen(index: int | None) -> None:
            if index is not None:
                self.by = options[index]
                if self.choice not in BY:
                    names = [c for c, _ in CHOICES]
                    self.query_one(OptionList).highlighted = names.index("themes-by")
                self.show(self.choice if self.choice in BY else "themes-by")

        from workbench.ui.dialogs import Choose

        self.app.push_screen(Choose("Tables by which attribute?", options), chosen)

    def action_toggle_participants(self) -> None:
        self.participants = not self.participants
        self.notify(
            "Table 3 "
            + (
                "with the participants who raised each theme"
                if self.participants
                else "as the study's (comments only)"
            )
        )
        if self.choice == "themes":
            self.show("themes")

    def _second(self, title: str | None, labels=None, rows=None, widths=None) -> None:
        """The second table of a choice (Tables 1 and 2), or none."""
        table = self.query_one("#report-table-2", WideTable)
        heading = self.query_one("#report-title-2", Static)
        table.display = heading.display = title is not None
        if title is None:
            table.clear(columns=True)
            return
        heading.update(plain(title, style="bold"))
        table.fill(labels, rows, widths=widths)

    def _tables(self) -> list[WideTable]:
        return [t for t in self.query(WideTable) if t.display and t.columns]

    def action_columns(self, delta: int) -> None:
        """Every table of the choice a column left or right, together (their columns line up)."""
        for table in self._tables():
            table.action_column(delta)

    def action_page(self, direction: int) -> None:
        """A screen down or up: through a long table (its header stays), then the notes below."""
        body = self.query_one("#report-body")
        tables = self._tables()
        table = tables[0] if tables else None
        if table is not None and direction > 0 and table.scroll_y < table.max_scroll_y:
            table.scroll_page_down(animate=False)
        elif table is not None and direction < 0 and body.scroll_y == 0 and table.scroll_y > 0:
            table.scroll_page_up(animate=False)
        else:
            (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def action_toggle_provisional(self) -> None:
        self.provisional = not self.provisional
        self.notify(
            "Provisional tables "
            + ("on: comments not yet agreed are left out" if self.provisional else "off")
        )
        self.show(self.choice)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (
            action in ("export", "export_all") and getattr(self.app, "role", None) == "observer"
        )

    def action_export(self) -> None:
        self.exports.table(Shown(self.choice, self.tables, self.record, self.saturation))

    def action_export_all(self) -> None:
        self.exports.everything(self.provisional, self.query_one("#report-progress", ProgressBar))

    # -- saturation (methods evidence) ---------------------------------------------

    def _show_saturation(self, table_widget: WideTable, text: Static, notes: Static) -> None:
        from workbench.evidence import saturation_report as S
        from workbench.evidence.figures import terminal_chart

        title = self.query_one("#report-title", Static)
        try:  # an empty base from s: the default (fitted)
            self.saturation = assess(self.store, self.saturation_options, self.provisional)
        except WorkbenchError as exc:
            self.tables, self.saturation = [], None
            title.update(dict(CHOICES)["saturation"])
            notes.update("")
            text.update(
                plain(
                    f"{in_app(str(exc))}\n\nPress s to set the base size and run length.",
                    style="yellow",
                )
            )
            return
        self.tables = S.tables(self.saturation)
        first = self.tables[0]
        chosen = self.saturation["parameters"]
        title.update(plain(f"{first.title} · base {chosen['base']}, run {chosen['run']}"))
        table_widget.fill(first.columns[:-1], [row[:-1] for row in first.rows])
        text.update(
            terminal_chart(self.saturation, max(40, self.query_one("#report-body").size.width - 4))
        )
        notes.update(plain(S.sentence(self.saturation)))

    def action_saturation_settings(self) -> None:
        """The method's two settings (``ui.report_saturation``)."""

        def chosen(values: dict | None) -> None:
            if values is None:
                return
            self.saturation_options = chosen_settings(values)
            if self.choice == "saturation":
                self.show("saturation")

        self.app.push_screen(settings_dialog(self.saturation), chosen)
