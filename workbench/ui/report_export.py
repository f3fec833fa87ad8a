"""The report screen's exports (``e``, ``E``): the table or chart shown, or every table, figure
and the methods paragraph at once, each recorded as a report run like on the command line.

:class:`ReportExport` is a small controller with declared inputs (the store, and the screen it
asks through, with a dialog, and runs its worker on): it asks where through
``workbench.ui.delivery`` (served, a download), writes by the output rule, asks before replacing
a file this project did not write (the command line's ``--force``), and says what it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError
from workbench.ui.delivery import Destination, deliveries
from workbench.ui.dialogs import Confirm
from workbench.ui.report_saturation import export_saturation

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widgets import ProgressBar

    from workbench.reports.tables import Table
    from workbench.store import Store


@dataclass(frozen=True)
class Shown:
    """What the screen shows when an export is asked for: the choice (``chart``: its figure),
    its tables and their run's record, and for ``saturation`` the assessment."""

    choice: str
    tables: list[Table]
    record: dict[str, Any]
    saturation: dict[str, Any] | None = None


class ReportExport:
    """Exports for one report screen."""

    def __init__(self, store: Store, screen: Screen) -> None:
        self.store, self.screen = store, screen

    def table(self, shown: Shown) -> None:
        """Ask where, then write the table (or chart) shown."""
        if not shown.tables:
            self.screen.notify(
                "Nothing to export: the table could not be computed.", severity="warning"
            )
            return
        suffix = ".png" if shown.choice == "chart" else ".docx"
        figure = shown.choice in ("chart", "saturation")
        kinds = ".docx .xlsx .tex .md .csv .html .json" + (", .png .svg" if figure else "")
        deliveries(self.screen.app).ask(
            "the table",
            f"{shown.choice}{suffix}",
            lambda target: self.export_table(target, shown),
            kinds=kinds,
        )

    def export_table(self, target: Destination, shown: Shown, force: bool = False) -> None:
        """Write the table (or chart) to ``target``; a file there that this project did not write
        is replaced only after the user says so (the command line's --force). Served, it is a
        download (``workbench.ui.delivery``)."""
        from workbench.output import OutputError, for_project
        from workbench.reports import writing as W

        app = self.screen.app
        delivery, path = deliveries(app), str(target.path)
        try:
            output = for_project(self.store, force)
            if shown.choice == "saturation":
                number = export_saturation(
                    self.store, shown.saturation, shown.tables, path, output, target.recorded
                )
                run = f"saturation run {number}"
            else:  # the tables on screen, as `workbench report` writes and records them
                request = W.ReportRequest(format=W.FIGURE if shown.choice == "chart" else None)
                report = W.Report(shown.tables, shown.record)
                written = W.write_report(
                    self.store, request, path, output, report=report, recorded=[target.recorded]
                )
                run = f"report run {written.run}"
        except OutputError as exc:
            if exc.replaceable and not target.served:
                question = f"{target.shown} is there and Workbench did not write it. Replace it?"
                app.push_screen(
                    Confirm(question),
                    lambda yes: self.export_table(target, shown, force=True) if yes else None,
                )
            else:
                delivery.failed(target, str(exc))
            return
        except (WorkbenchError, ValueError, OSError) as exc:
            delivery.failed(target, str(exc))
            return
        delivery.done(target, run)

    def everything(self, provisional: bool, bar: ProgressBar) -> None:
        """Ask for a folder, then write every table, figure and the methods paragraph into it in
        a worker, with progress on ``bar``."""

        def start(target: Destination) -> object:
            return self.screen.run_worker(
                lambda: self.export_all(target, provisional, bar), thread=True, exclusive=True
            )

        deliveries(self.screen.app).ask(
            "every table, figure and the methods paragraph", "report", start, folder=True
        )

    def export_all(self, target: Destination, provisional: bool, bar: ProgressBar) -> None:
        from workbench.reports.writing import write_all

        app = self.screen.app
        app.call_from_thread(setattr, bar, "display", True)

        def progress(done: int, total: int) -> None:
            app.call_from_thread(bar.update, total=total, progress=done)

        delivery = deliveries(app)
        try:
            run = write_all(self.store, target.path, provisional=provisional, progress=progress)
        except (WorkbenchError, OSError) as exc:
            delivery.failed(target, str(exc))
        else:
            delivery.done(target, f"{len(run.outputs)} files, run {run.run}")
        finally:
            app.call_from_thread(setattr, bar, "display", False)
