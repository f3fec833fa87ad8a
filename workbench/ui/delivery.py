"""Where an export goes: a file on this machine in a terminal, a download in a browser.

Every screen's export goes through :func:`deliveries` (one :class:`Delivery` per app), so a
user of the team server can never name a place on the server's disk:

1. ``deliveries(app).ask(what, default, then, kinds=..., folder=...)`` asks where to. In a
   terminal the answer is a path, as on the command line; served (``workbench serve``), it
   is the name of the download: only its last part is kept (``/etc/x.docx`` and
   ``../../x.docx`` are ``x.docx``), in a fresh private temporary folder. ``then`` gets a
   :class:`Destination`.
2. The screen writes its file (or folder) at ``destination.path``, through
   ``workbench.output`` as any export does, and records ``destination.recorded`` (the path
   in a terminal; ``name (download)`` served) in its report run.
3. ``deliveries(app).done(destination, note)`` tells the user: "Wrote PATH (note)" in a
   terminal; served, the file (a folder zipped) is handed to the browser as a download
   (Textual's ``deliver_binary``: textual-serve's single-use ``/download/KEY``, only to the
   session whose app made it) and its temporary folder is deleted at once (the delivery
   reads from the handle it already holds). ``failed(destination, message)`` removes the
   temporary folder and shows the error. Both may be called from a worker thread.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Destination:
    """Where one export is written now, and how it is named to the user."""

    path: Path
    shown: str  # the path as typed (terminal), or the download's file name (served)
    served: bool
    folder: bool = False
    temporary: Path | None = None  # served: the private folder holding it, removed once delivered

    @property
    def recorded(self) -> str:
        """What a report run records as this export's file."""
        return f"{self.shown} (download)" if self.served else str(self.path)


def download_name(answer: str, default: str, folder: bool = False) -> str:
    """A download's file name from what a served user typed: its last part only, printable
    characters only (a folder's download is a zip: a typed ``.zip`` is not doubled)."""
    name = "".join(c for c in answer.replace("\\", "/") if c.isprintable()).strip()
    name = Path(name).name.strip() if name else ""
    if folder and name.lower().endswith(".zip"):
        name = name[:-4]
    return name if name.strip(".") else default


class Delivery:
    """One app's exports (see the module docstring)."""

    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self._folders: set[Path] = set()
        self._cleanup = None

    @property
    def served(self) -> bool:
        """Running in a browser through the team server (Textual's web driver)."""
        return bool(getattr(self.app, "is_web", False))

    def destination(self, answer: str, default: str, folder: bool = False) -> Destination:
        if not self.served:
            return Destination(Path(answer.strip()).expanduser(), answer.strip(), False, folder)
        name = download_name(answer, default, folder)
        temporary = Path(tempfile.mkdtemp(prefix="workbench-download-"))
        with self._lock:
            if not self._cleanup:  # whatever an ended app left half-way goes with its process
                self._cleanup = atexit.register(self.close)
            self._folders.add(temporary)
        return Destination(
            temporary / name, name + (".zip" if folder else ""), True, folder, temporary
        )

    def ask(
        self,
        what: str,
        default: str,
        then: Callable[[Destination], object],  # (a worker's start gives back its worker)
        *,
        kinds: str = "",
        folder: bool = False,
    ) -> None:
        """Ask where ``what`` goes (``kinds``: the file types offered, shown in brackets)."""
        from workbench.ui.dialogs import Prompt

        kinds = f" ({kinds})" if kinds else ""
        if self.served:
            title = f"Download {what} as{' a zip named' if folder else ''}{kinds}"
        else:
            title = f"Export {what} to {'folder' if folder else 'file'}{kinds}"

        def chosen(answer: str | None) -> None:
            if answer and answer.strip():
                then(self.destination(answer, default, folder))

        self.app.push_screen(Prompt(title, default, select=True), chosen)

    def done(self, destination: Destination, note: str) -> None:
        """The export at ``destination`` is written: tell the user, or send it to the browser."""
        if threading.current_thread() is not threading.main_thread():
            self.app.call_from_thread(self.done, destination, note)
            return
        if not destination.served:  # the absolute path: the app may have started anywhere
            self.app.notify(f"Wrote {destination.path.absolute()} ({note}).")
            return
        path = destination.path
        try:
            if destination.folder:
                path = Path(shutil.make_archive(str(path), "zip", path))
            self.app.deliver_binary(path, save_filename=destination.shown)
        except OSError as exc:
            self.app.notify(f"{destination.shown} could not be sent: {exc}", severity="error")
        else:
            self.app.notify(f"Downloading {destination.shown} ({note}).")
        finally:
            self._remove(destination)

    def failed(self, destination: Destination, message: str) -> None:
        """The export could not be written: say why; served, nothing of it stays behind."""
        if threading.current_thread() is not threading.main_thread():
            self.app.call_from_thread(self.failed, destination, message)
            return
        self._remove(destination)
        self.app.notify(message, severity="error")

    def _remove(self, destination: Destination) -> None:
        if destination.temporary is not None:
            shutil.rmtree(destination.temporary, ignore_errors=True)
            with self._lock:
                self._folders.discard(destination.temporary)

    def close(self) -> None:
        """Remove what is left (an export abandoned half-way); runs as the process ends."""
        with self._lock:
            folders, self._folders = list(self._folders), set()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def deliveries(app) -> Delivery:
    """The app's :class:`Delivery`, made on first use."""
    delivery = getattr(app, "_workbench_delivery", None)
    if delivery is None:
        delivery = app._workbench_delivery = Delivery(app)
    return delivery
