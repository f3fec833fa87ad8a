"""In-app exports that write one file through a command's own code: ask for the file (through
:mod:`workbench.ui.delivery`, so served it is a download and never a path on the server),
write it by the output rule (asking before replacing a file this project did not write, as
``--force`` does on the command line), and say where it went.

The agreement screen's export and the home screen's project tasks use :func:`ask_and_export`;
the report screen, which records report runs and exports folders, uses ``delivery`` itself.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.errors import WorkbenchError
from workbench.ui.delivery import Destination, deliveries

Write = Callable[[str, bool], str]  # (path, force) → what was written, in words


def ask_and_export(screen, default: str, kinds: str, write: Write, what: str = "it") -> None:
    """Ask where ``what`` goes (``kinds``: the file types offered, e.g. ".docx .xlsx"), then
    :func:`export` to it."""
    deliveries(screen.app).ask(
        what, default, lambda target: export(screen, target, write), kinds=kinds.strip("()")
    )


def export(screen, target: Destination, write: Write, force: bool = False) -> None:
    """``write(path, force)`` (the command line's code, which follows the output rule of the
    project, and returns what it wrote, in words); a file there that this project did not
    write is replaced only when the user says so (the command line's ``--force``)."""
    from workbench.output import OutputError
    from workbench.ui.dialogs import Confirm

    delivery = deliveries(screen.app)
    try:
        note = write(str(target.path), force)
    except OutputError as exc:
        if exc.replaceable and not target.served:
            screen.app.push_screen(
                Confirm(f"{target.shown} is there and Workbench did not write it. Replace it?"),
                lambda yes: (
                    export(screen, target, write, True)
                    if yes
                    else delivery.failed(target, "Not exported: the file there was kept.")
                ),
            )
        else:
            delivery.failed(target, str(exc))
        return
    except (WorkbenchError, ValueError, OSError) as exc:
        delivery.failed(target, str(exc))
        return
    delivery.done(target, note)
