"""The agreement screen (home ``a``, the lead's; never reachable by a blind coder): per layer
and per theme, percent agreement, Cohen's kappa, Krippendorff's alpha and Gwet's AC1 with
their 95% CIs and n, for coders chosen from the project's coders; the frozen rounds side by
side; a round frozen from here; the tables exported like the report tables.

The report is what ``workbench agreement`` computes (:func:`project_agreement`, 1,000
resamples, seed 1), in a worker with a progress bar: the numbers first (no bootstrap), then
their CIs, so a large project shows its numbers at once. ``enter`` on a line lists the
comments the coders disagree on for it (:mod:`workbench.ui.agreement_list`).
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, ProgressBar, Static

from workbench.agreement.results import AgreementReport
from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.reports import agreement_tables as T
from workbench.store import Store
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cursor_key, plain
from workbench.ui.wide import WideTable

BOOTSTRAP = 1000  # as `workbench agreement` (and what a frozen round keeps)
PENDING = "…"  # an interval still being computed


class AgreementScreen(WorkbenchScreen):
    BINDINGS = [
        Binding("enter", "disagreements", "Disagreements", id="agreement.disagreements"),
        Binding("c", "coders", "Coders", id="agreement.coders"),
        Binding("u", "unit_set", "Theme comments", id="agreement.unit_set"),
        Binding("r", "rounds", "Rounds", id="agreement.rounds"),
        Binding("f", "freeze", "Freeze round", id="agreement.freeze"),
        Binding("e", "export", "Export tables", id="agreement.export"),
        Binding("escape", "app.pop_screen", "Back", id="agreement.back"),
    ]
    KEYBAR_PRIORITY = (
        "agreement.disagreements",
        "agreement.back",
        "agreement.freeze",
        "agreement.coders",
    )

    def __init__(self, store: Store, coders: list[str] | None = None):
        super().__init__()
        self.store = store
        self.coders = coders  # None: every person who coded
        self.report: AgreementReport | None = None  # the numbers (then the full report, CIs)
        self.complete = False  # the bootstrap CIs are in
        self.data: tuple[dict, dict] | None = None  # the codings the report was computed from
        self.pair = 0  # which pair of the report is shown
        self.unit_set = "theme_taking"
        self.showing_rounds = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agreement-title", classes="pane-title")
        yield Static(id="agreement-status", classes="dim")
        yield ProgressBar(id="agreement-progress", show_eta=False)
        yield WideTable(id="agreement-table", cursor_type="row")
        yield WideTable(id="rounds-table")
        yield Static(id="agreement-notes", classes="dim")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = printable(f"{self.store.project_info()['name']} · agreement")
        self.query_one("#rounds-table").display = False
        self.query_one("#agreement-title", Static).update("Inter-coder agreement")
        self.query_one("#agreement-table").focus()
        self.compute()

    # -- computing (a worker: the numbers, then their bootstrap CIs) -------------------

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        from textual.worker import get_current_worker

        from workbench.agreement.reliability import codings, project_agreement, select_coders

        worker = get_current_worker()
        bar = self.query_one("#agreement-progress", ProgressBar)
        app = self.app

        def call(function, *args, **kwargs) -> None:
            """Back on the app's thread, unless this computation was replaced (other coders
            chosen) or the screen closed meanwhile: a thread cannot be stopped, its results
            can be dropped."""
            if not worker.is_cancelled:
                app.call_from_thread(lambda: self.is_attached and function(*args, **kwargs))

        # A bar with a total from the start: an indeterminate one animates on the app's thread,
        # which takes the interpreter from the computation (a third of its time here).
        call(setattr, bar, "display", True)
        call(bar.update, total=3, progress=0)
        call(self._status, "Reading the codings…")
        try:
            names = select_coders(self.store, self.coders)
            data = codings(self.store, names)
            call(bar.update, progress=1)

            def numbers(report: AgreementReport) -> None:  # the numbers, before their bootstrap
                call(self._shown, report, False, data)
                call(
                    self._status,
                    f"Numbers shown; their 95% CIs: {BOOTSTRAP:,} bootstrap resamples…",
                )

            def progress(done: int, total: int) -> None:
                call(bar.update, total=total + 2, progress=done + 2)

            full = project_agreement(
                self.store,
                names,
                bootstrap=BOOTSTRAP,
                data=data,
                progress=progress,
                numbers=numbers,
            )
        except WorkbenchError as exc:
            call(self._failed, str(exc))
            return
        finally:
            call(setattr, bar, "display", False)
        call(self._status, "")
        call(self._shown, full, True)  # last: once complete, the worker touches the screen no more

    def _status(self, text: str) -> None:
        status = self.query_one("#agreement-status", Static)
        status.update(plain(text))
        status.display = bool(text)

    def _failed(self, message: str) -> None:
        self.report = None
        self._status("")
        self.query_one("#agreement-notes", Static).update(plain(message, style="yellow"))

    def _shown(self, report: AgreementReport, complete: bool, data: tuple | None = None) -> None:
        self.report, self.complete = report, complete
        if data is not None:  # the codings these numbers are of (what enter lists from)
            self.data = data
        self.pair = min(self.pair, len(report.pairs) - 1)
        self.draw()
        self.refresh_bindings()

    # -- drawing ------------------------------------------------------------------------

    def draw(self) -> None:
        table = self.query_one("#agreement-table", WideTable)
        rounds = self.query_one("#rounds-table", WideTable)
        table.display, rounds.display = not self.showing_rounds, self.showing_rounds
        title = self.query_one("#agreement-title", Static)
        notes = self.query_one("#agreement-notes", Static)
        if self.showing_rounds:
            self._draw_rounds(title, rounds, notes)
            return
        if self.report is None:
            return
        report, pair = self.report, self.report.pairs[self.pair]
        a, b = pair.coders
        themes = pair.themes[self.unit_set]
        title.update(
            plain(
                f"{a} × {b} · category over the {pair.category.n} comments both coded; "
                f"themes over {T.UNIT_SETS[self.unit_set]} ({themes.n})"
            )
        )
        rows = T.pair_rows(report, pair, self.unit_set)
        cells = [self._cells(row) for row in rows]
        cursor = table.cursor_row
        table.fill(list(T.COLUMNS), cells, keys=[row.key for row in rows])
        if cells:
            table.move_cursor(row=min(cursor, len(cells) - 1))
        lines = []
        if len(report.coders) > 2:
            every = report.category
            lines.append(
                f"All {len(report.coders)} coders, category: Fleiss' κ "
                f"{T.value(every.fleiss_kappa)}, α {T.value(every.krippendorff_alpha)}, "
                f"AC1 {T.value(every.gwet_ac1)} (n {every.n})."
            )
        lines += T.gaps(rows) if self.complete else []
        lines.append(
            T.short_note(report)
            if self.complete
            else f"95% CIs of α and AC1: being computed ({PENDING})."
        )
        notes.update(plain("\n".join(lines)))

    def _cells(self, row: T.Row) -> list[str]:
        cells = T.cells(row)
        if not self.complete:  # the CIs of alpha and AC1 are still being computed
            for column in (6, 8):
                if row.estimates.get(T.STATISTICS[column // 2 - 2][0]):
                    cells[column] = PENDING
        return cells

    def _draw_rounds(self, title: Static, rounds: WideTable, notes: Static) -> None:
        from workbench.agreement.rounds import frozen_rounds, rounds_table

        frozen = frozen_rounds(self.store)
        title.update("Frozen agreement rounds, side by side")
        if not frozen:
            rounds.clear(columns=True)
            notes.update("No round frozen yet: f freezes the agreement shown as the next round.")
            return
        header, body = rounds_table(frozen)
        rounds.fill(header, body)
        notes.update(
            plain("Round 1 is the agreement before reconciliation; the methods paragraph cites it.")
        )

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "disagreements":
            return self.report is not None and not self.showing_rounds
        if action == "freeze":
            return self.complete and getattr(self.app, "role", None) != "observer"
        if action in ("coders", "unit_set", "export"):
            return self.report is not None
        return True

    def action_unit_set(self) -> None:
        self.unit_set = "all_coded" if self.unit_set == "theme_taking" else "theme_taking"
        self.notify(f"Themes over {T.UNIT_SETS[self.unit_set]}.")
        self.draw()

    def action_rounds(self) -> None:
        self.showing_rounds = not self.showing_rounds
        self.draw()
        self.query_one("#rounds-table" if self.showing_rounds else "#agreement-table").focus()
        self.refresh_bindings()

    def action_coders(self) -> None:
        """Which coders: a pair of the report shown, or others chosen from the project's coders."""
        from workbench.coding.coder import coder_names
        from workbench.ui.dialogs import Choose

        names = coder_names(self.store)
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
        options = [f"{a} × {b}" for a, b in pairs] + (
            [f"all {len(names)} coders"] if len(names) > 2 else []
        )

        def chosen(index: int | None) -> None:
            if index is None:
                return
            wanted = list(pairs[index]) if index < len(pairs) else list(names)
            if self.report is not None and set(wanted) <= set(self.report.coders):
                self.pair = next(
                    (k for k, p in enumerate(self.report.pairs) if list(p.coders) == wanted), 0
                )
                self.draw()
                return
            self.coders, self.pair, self.report, self.complete = wanted, 0, None, False
            self.compute()

        self.app.push_screen(Choose("Agreement of which coders?", options), chosen)

    def action_disagreements(self) -> None:
        from workbench.ui.agreement_list import DisagreementsScreen

        table = self.query_one("#agreement-table", WideTable)
        if self.report is None or not table.row_count or self.data is None:
            return
        line = cursor_key(table)
        label = table.get_row_at(table.cursor_row)[0]
        pair = self.report.pairs[self.pair]
        self.app.push_screen(
            DisagreementsScreen(
                self.store, self.data[0], list(pair.coders), line, str(label), self.unit_set
            )
        )

    def action_freeze(self) -> None:
        from workbench.agreement.rounds import freeze_round
        from workbench.ui.dialogs import Prompt

        report = self.report  # the agreement shown, frozen as the user names it
        if not self.complete or report is None:
            return
        number = len(self.store.rounds()) + 1

        def named(label: str | None) -> None:
            if label is None:
                return
            try:
                frozen = freeze_round(
                    self.store, report, label.strip() or None, getattr(self.app, "user", None)
                )
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Frozen as agreement round {frozen}.")
            if self.showing_rounds:
                self.draw()

        self.app.push_screen(
            Prompt(
                f"Freeze this agreement ({' × '.join(report.coders)}) as round {number}: its name",
                f"round {number}",
                select=True,
            ),
            named,
        )

    def action_export(self) -> None:
        from workbench.ui.exporting import ask_and_export

        if self.report is None:
            return
        if not self.complete:
            self.notify(
                "The 95% CIs are still being computed: export when they are in.", severity="warning"
            )
            return
        ask_and_export(self, "agreement.docx", "(.docx .xlsx)", self.write_export)

    def write_export(self, path: str, force: bool) -> str:
        """Write the agreement tables to ``path`` by the output rule (as ``workbench agreement
        --format docx|xlsx --out``); what was written, in words."""
        from workbench.agreement.rounds import frozen_rounds
        from workbench.output import for_project
        from workbench.reports.exports import writer

        if self.showing_rounds:
            tables = T.rounds_tables(frozen_rounds(self.store))
        else:
            assert self.report is not None, "exported only once shown (action_export)"
            tables = T.tables(self.report)
        if Path(path).suffix.lower() not in (".docx", ".xlsx"):
            raise WorkbenchError(
                f"{Path(path).name}: the agreement tables are written as .docx or .xlsx"
            )
        for_project(self.store, force).write(path, writer(tables, path))
        return f"{len(tables)} table(s)"
