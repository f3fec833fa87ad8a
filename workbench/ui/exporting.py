"""In-app exports: ask for a file name, write it by the output rule (asking before replacing a
file this project did not write, as ``--force`` does on the command line), and say where it
went, by its absolute path; served to a browser (``workbench serve``), write it to a
temporary folder and deliver it as a download, never a path on the server.

Every in-app export (report tables, agreement tables, the project tasks of the home screen)
leaves the app through :func:`delivered`: the one place to switch to another delivery.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError


def served(app) -> bool:
    """Running in a browser: exports become downloads."""
    return bool(getattr(app, "is_web", False))


def download_path(app, name: str) -> Path:
    """Where a served export is written before it is delivered: a name only (nothing outside
    the app's own temporary folder)."""
    folder = getattr(app, "_download_folder", None)
    if folder is None:
        folder = app._download_folder = tempfile.TemporaryDirectory(prefix="workbench-download-")
    base = Path(name.strip()).name
    return Path(folder.name) / (base if base.strip(".") else "export")


def target(app, answer: str) -> Path:
    """The path an answer names: a download's temporary file when served, else the file the
    user typed (relative to where the app was started), made absolute."""
    if served(app):
        return download_path(app, answer)
    return Path(answer.strip()).expanduser().absolute()


def ask_and_export(screen, default: str, formats: str, write) -> None:
    """Ask for a file name (``formats``, e.g. "(.docx .xlsx)"), then :func:`export` to it."""
    from workbench.ui.dialogs import Prompt

    def chosen(answer: str | None) -> None:
        if answer and answer.strip():
            export(screen, target(screen.app, answer), write)

    what = "Download as" if served(screen.app) else "Export to file"
    screen.app.push_screen(Prompt(f"{what} {formats}", default, select=True), chosen)


def export(screen, path: Path, write, force: bool = False) -> None:
    """``write(path, force)`` (the command line's code, which follows the output rule of the
    project, and returns what it wrote, in words); a file there that this project did not
    write is replaced only when the user says so (the command line's ``--force``)."""
    from workbench.output import OutputError
    from workbench.ui.dialogs import Confirm

    try:
        what = write(str(path), force)
    except OutputError as exc:
        if exc.replaceable:
            screen.app.push_screen(
                Confirm(f"{path} is there and Workbench did not write it. Replace it?"),
                lambda yes: export(screen, path, write, True) if yes else None,
            )
        else:
            screen.notify(str(exc), severity="error")
        return
    except (WorkbenchError, ValueError, OSError) as exc:
        screen.notify(str(exc), severity="error")
        return
    delivered(screen.app, path, what)


def delivered(app, path: str | Path, what: str) -> None:
    """Say where an export went, by its absolute path; served, send it as a download."""
    path = Path(path)
    if served(app):
        app.deliver_binary(path)
        app.notify(f"Downloading {path.name} ({what}).")
    else:
        app.notify(f"Wrote {path.absolute()} ({what}).")
