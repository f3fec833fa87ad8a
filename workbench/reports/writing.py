"""Writing a report and exporting everything: the one use case behind each, which the command
line (``workbench report``), the Python API (``write_report``, ``write_all``) and the app's
report and theme screens call, each only parsing its arguments and presenting the result.

Writing a report is: check every output first (nothing half-written: :mod:`workbench.output`),
build the tables (:func:`workbench.reports.runs.build`), write them (and the theme chart),
and record the run with the coding's fingerprint (:func:`workbench.reports.runs.save_run`).
Exporting everything is every table in every format, the figures, the methods paragraph
and the reconciliation log into one folder, all or nothing, recorded as one run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.reports.runs import FORMATS, TABLES, build, save_run
from workbench.store import Store

if TYPE_CHECKING:
    from workbench.output import Output
    from workbench.project.where import Where
    from workbench.reports.tables import Table

FIGURE = "figure"  # ReportRequest.format: the theme chart, its format from the file's suffix


@dataclass(frozen=True)
class ReportRequest:
    """What a report is asked for: the tables by name (``workbench.reports.runs.TABLES`` and
    ``ON_REQUEST``), whose coding (the agreed one unless ``coder``), and the options of
    ``workbench report``. ``where`` is parsed (``workbench.project.where.parse``); ``format``
    is a table format (default: the file's suffix), or :data:`FIGURE` for the theme chart."""

    tables: tuple[str, ...] = ()
    coder: str | None = None
    provisional: bool = False
    groups: tuple[str, ...] | None = None
    all_quotes: bool = False
    themes: tuple[str, ...] | None = None
    by: str | None = None
    where: Where | None = None
    participants: bool = False
    format: str | None = None


@dataclass(frozen=True)
class Report:
    """The tables built for a request, and the record of the run that writes them."""

    tables: list[Table]
    record: dict[str, Any]


@dataclass(frozen=True)
class ReportRun:
    """A report written and recorded: the run's id, its tables, record and files."""

    run: int
    tables: list[Table] = field(repr=False)
    record: dict[str, Any]
    outputs: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        return str(self.record["fingerprint"])

    @property
    def codebook(self) -> str:
        return str(self.record["parameters"]["codebook"])

    def as_dict(self) -> dict[str, Any]:
        """The run as JSON: id, tables asked for, parameters, fingerprint, counts, files."""
        return {"run": self.run, **self.record, "outputs": list(self.outputs)}


def build_report(store: Store, request: ReportRequest) -> Report:
    """The tables of ``request``, not written nor recorded (the report screen shows them)."""
    tables, record = build(
        store,
        list(request.tables),
        request.coder,
        request.provisional,
        None if request.groups is None else list(request.groups),
        request.all_quotes,
        None if request.themes is None else list(request.themes),
        request.by,
        request.where,
        request.participants,
    )
    return Report(tables, record)


def write_report(
    store: Store,
    request: ReportRequest,
    out: str | Path | None = None,
    output: Output | None = None,
    *,
    figure: str | Path | None = None,
    report: Report | None = None,
    recorded: Sequence[str] | None = None,
) -> ReportRun:
    """Write the report of ``request`` to ``out`` (and the theme chart to ``figure``), then
    record the run; with neither file, the run records the tables alone (shown, not written).

    ``output`` is the command's :class:`workbench.output.Output` (default: the project's,
    refusing a file there that the project did not write); both files are checked before
    anything is built and written together. ``report``: tables already built for
    ``request`` (the ones on screen); ``recorded``: the files as the run names them
    (default: the paths; served, a download's name)."""
    from workbench.output import for_project
    from workbench.reports.exports import writer
    from workbench.reports.figures import chart_writer

    output = output if output is not None else for_project(store)
    for path, option in ((out, "--out"), (figure, "--figure")):
        if path:
            output.check(path, option)
    report = report if report is not None else build_report(store, request)
    outputs: list[str] = []
    if out and request.format == FIGURE:
        output.add(out, chart_writer(_theme_table(store, request, report), out))
        outputs.append(str(out))
    elif out:
        output.add(out, writer(report.tables, out, request.format))
        outputs.append(str(out))
    if figure:
        output.add(figure, chart_writer(_theme_table(store, request, report), figure), "--figure")
        outputs.append(str(figure))
    output.commit()
    names = list(recorded) if recorded is not None else outputs
    run = save_run(store, report.tables, report.record, names)
    return ReportRun(run, report.tables, report.record, tuple(names))


def _theme_table(store: Store, request: ReportRequest, report: Report) -> Table:
    """The report's themes table (Table 3), built on its own when the report has none."""
    theme = next((t for t in report.tables if t.key == "themes"), None)
    if theme is None:
        theme = build(store, ["themes"], request.coder, request.provisional)[0][0]
    return theme


def write_all(
    store: Store,
    folder: str | Path,
    coder: str | None = None,
    provisional: bool = False,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> ReportRun:
    """Every table in every format, the theme figure (PNG, SVG) and the methods paragraph, into
    ``folder`` (made if missing). All or nothing, by the rule of :mod:`workbench.output`: every
    file is checked before any is written (a file there that this project did not write is
    refused unless ``force``), and the files replace the old ones only once all are written.
    ``progress(done, total)`` is called after each file; the run's outputs are the files."""
    from workbench.output import OutputError, for_project
    from workbench.reports.exports import writer
    from workbench.reports.figures import chart_writer
    from workbench.reports.methods import methods_paragraph

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--out {folder}: not a folder; --all writes a folder of files")
    tables, record = build(store, list(TABLES), coder, provisional, attributes=True)
    theme = next(t for t in tables if t.key == "themes")
    steps = len(FORMATS) + 3
    done = [0]

    def step(write: Callable[[Path], object]) -> Callable[[Path], None]:
        def run(path: Path) -> None:
            write(path)
            done[0] += 1
            if progress:
                progress(done[0], steps)

        return run

    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    output = for_project(store, force)
    written: list[Path] = []
    try:
        for fmt in FORMATS:
            written.append(folder / f"tables.{fmt}")
            output.add(written[-1], step(writer(tables, written[-1], fmt)))
        for fmt in ("png", "svg"):
            written.append(folder / f"themes.{fmt}")
            output.add(written[-1], step(chart_writer(theme, written[-1], fmt)))
        text = methods_paragraph(store) + "\n"
        written.append(folder / "methods.md")
        output.add(written[-1], step(lambda p: p.write_text(text, encoding="utf-8")))
        for path, write in _log_writers(store, folder):  # the reconciliation log, once there is one
            written.append(path)
            output.add(path, write)
        output.commit()
    except BaseException:
        if made:
            folder.rmdir()  # nothing was put in the folder this call made
        raise
    outputs = tuple(str(p) for p in written)
    run = save_run(store, tables, record, list(outputs))
    return ReportRun(run, tables, record, outputs)


def _log_writers(store: Store, folder: Path) -> list[tuple[Path, Callable[[Path], None]]]:
    """(path, write) of the reconciliation log in each of its formats; none before any decision."""
    from workbench.reconcile.log import reconciliation_log
    from workbench.reports.reconciliation_log import FORMATS as LOG_FORMATS
    from workbench.reports.reconciliation_log import log_writer

    entries = reconciliation_log(store) if store.reconciliations() else []
    paths = {fmt: folder / f"reconciliation-log.{fmt}" for fmt in LOG_FORMATS} if entries else {}
    return [(path, log_writer(store, path, fmt, entries)) for fmt, path in paths.items()]
