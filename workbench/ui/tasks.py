"""The project tasks of the home screen, each running the code its command runs: backup
(``workbench backup``: the last one shown first), export (``workbench export qdpx|qdc``,
``workbench codings export``, ``workbench coder export``) and saturation (the report screen
on it, its two settings as two labelled fields). Exports leave through
:mod:`workbench.ui.exporting`: a file named by its absolute path, or a download when served.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError

# -- backup ---------------------------------------------------------------------------


def backup(screen) -> None:
    """Say when the last backup was made, where, and whether it passed its check, then make one
    if asked (``project.backups``, as ``workbench backup``)."""
    from workbench.project.backups import ago, folder, last_backup
    from workbench.ui.dialogs import Confirm

    last = last_backup(screen.store)
    if last is None:
        said = "There is no backup of this project yet"
    else:
        latest = last.latest
        said = (
            f"The last backup is {latest.path}, made {ago(latest.made_at)} "
            f"({latest.made_at[:16].replace('T', ' ')} UTC)"
            + ("" if latest.passed else f"; it failed its check ({latest.check_result})")
            + ("" if last.latest_exists else "; its file is gone")
        )
        if last.good is not None and last.good is not latest:
            said += f". The last good one is {last.good.path}"
    where = folder(screen.store).absolute()
    screen.app.push_screen(
        Confirm(
            f"{said}. Back up the project now? A consistent, checked copy, safe while others "
            f"code, goes to {where}."
        ),
        lambda yes: _back_up(screen) if yes else None,
    )


def _back_up(screen) -> None:
    from workbench.project.backups import backup_project

    def run() -> None:
        try:
            record = backup_project(screen.store)  # as `workbench backup PROJECT`
        except (WorkbenchError, OSError) as exc:
            screen.app.call_from_thread(screen.notify, f"No backup made: {exc}", severity="error")
            return
        screen.app.call_from_thread(
            screen.notify, f"Backed up to {record.path} (checked: {record.check_result})."
        )

    screen.run_worker(run, thread=True, group="tasks", description="backup")


# -- export ---------------------------------------------------------------------------

EXPORTS = [
    ("qdpx", "REFI-QDA project (.qdpx): for NVivo, ATLAS.ti, MAXQDA, QualCoder", "project.qdpx"),
    ("qdc", "REFI-QDA codebook (.qdc)", "codebook.qdc"),
    ("sheet", "Coding sheet of every coder (.xlsx or .csv)", "codings.xlsx"),
    ("agreed", "Coding sheet of the agreed coding (.xlsx or .csv)", "agreed.xlsx"),
    ("package", "A coder's package (to merge into a project elsewhere)", "package.json"),
]


def export(screen) -> None:
    """Choose what to export, then where; a coding session exports only its coder's package."""
    from workbench.ui.dialogs import Choose

    blind = getattr(screen.app, "coder", None)
    choices = [e for e in EXPORTS if e[0] == "package"] if blind else EXPORTS

    def chosen(index: int | None) -> None:
        if index is not None:
            _export(screen, *choices[index])

    screen.app.push_screen(Choose("Export what?", [label for _, label, _ in choices]), chosen)


def _export(screen, kind: str, label: str, default: str) -> None:
    from workbench.ui.exporting import ask_and_export

    store = screen.store
    if kind == "package":
        _package(screen, default)
        return
    formats = {"qdpx": "(.qdpx)", "qdc": "(.qdc)"}.get(kind, "(.xlsx .csv)")
    ask_and_export(screen, default, formats, lambda path, force: write(store, kind, path, force))


def write(store, kind: str, path: str, force: bool, coder: str | None = None) -> str:
    """One export, as its command writes it; what was written, in words."""
    if kind == "qdpx":
        from workbench.exchange.refi import export_qdpx

        summary = export_qdpx(store, path, None, force)
        return (
            f"{summary.sources} source(s), {summary.comments} comment(s), {summary.codes} code(s)"
        )
    if kind == "qdc":
        from workbench.exchange.refi import export_qdc

        return f"{export_qdc(store, path, None, force).codes} categories and themes"
    if kind == "package":
        from workbench.exchange.package import export_package

        assert coder is not None, "a package is one coder's (_package names them)"
        result = export_package(store, coder, path, force)
        return f"{result.comments} coded comment(s) of {result.coder}"
    from workbench.exchange.sheets import export_sheet

    return f"{export_sheet(store, path, agreed=kind == 'agreed', force=force)} row(s)"


def _package(screen, default: str) -> None:
    from workbench.coding.coder import coder_names
    from workbench.ui.dialogs import Choose
    from workbench.ui.exporting import ask_and_export

    own = getattr(screen.app, "coder", None) or getattr(screen.app, "user", None)
    names = [own] if own else coder_names(screen.store)
    if not names:
        screen.notify(
            "Nobody has coded yet: a package holds one coder's codings.", severity="warning"
        )
        return

    def export_for(name: str) -> None:
        ask_and_export(
            screen,
            f"{name}-package.json",
            "(.json)",
            lambda path, force: write(screen.store, "package", path, force, name),
        )

    if len(names) == 1:
        export_for(names[0])
        return
    screen.app.push_screen(
        Choose("Whose package?", names),
        lambda index: export_for(names[index]) if index is not None else None,
    )


# -- saturation -----------------------------------------------------------------------


def saturation(screen) -> None:
    """The report screen on the saturation assessment (``s`` there sets its two settings)."""
    from workbench.ui.report import ReportScreen

    screen.app.push_screen(ReportScreen(screen.store, choice="saturation"))
