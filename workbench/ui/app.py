"""The Workbench terminal app. Built by :func:`create_app` from an open store,
so the CLI and the tests construct it the same way and nothing opens a database
at import time."""

from __future__ import annotations

from textual.app import App, SystemCommand
from textual.binding import Binding

from workbench.plain import printable
from workbench.store import Store
from workbench.ui.home import HomeScreen


class WorkbenchApp(App):
    TITLE = "Workbench"
    CSS_PATH = "workbench.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "show_keys", "Keys", id="app.keys"),
    ]

    def __init__(self, store: Store, coder: str | None = None,
                 reconcile: tuple[str, str, str] | None = None, mode: str | None = None,
                 review: str | None = None):
        super().__init__()
        self.store = store
        self.start_coder = coder
        self.start_reconcile = reconcile
        # A blind mode of methods evidence ("training", "retest"): once coding in it, the app
        # stays in it, so the study coding (or the first coding) is not reachable from here.
        self.mode = mode
        self.start_review = review
        # Once someone codes in this app, it stays blind to the other coders: nothing
        # reachable from the coding screen may show their codings (see HomeScreen).
        self.coder: str | None = None
        self.sub_title = printable(store.project_info()["name"])

    #: The unexpected error that ended the app, if one did: the CLI logs its traceback and
    #: reports it in one line (``workbench.cli.failure``); Textual would print the traceback.
    failure: BaseException | None = None

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification as plain text: messages quote names, memos and file names, which must
        neither be read as markup (a "[/b]" in a name would end the app) nor reach the terminal raw."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        self.failure = error
        super()._handle_exception(error)  # ends the app (and lets run_test re-raise it in tests)
        self._exit_renderables.clear()  # not Textual's traceback on the screen: the CLI's message

    def on_mount(self) -> None:
        # Opened straight onto coding or reconciling, the home screen (and its queries over
        # every comment) is only built when the user goes back to it.
        if self.start_coder:
            self.start_coding(self.start_coder)
        elif self.start_reconcile:
            self.start_reconciling(*self.start_reconcile)
        elif self.start_review:
            self.start_reviewing(self.start_review)
        else:
            self.push_screen(HomeScreen(self.store))

    def leave_to_home(self) -> None:
        """Back from a working screen to the home screen, refreshed."""
        self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.action_refresh()
        else:
            self.push_screen(HomeScreen(self.store))

    def start_coding(self, coder: str) -> None:
        from workbench.coding.session import CodingSession
        from workbench.errors import WorkbenchError
        from workbench.ui.coding import CodingScreen

        try:
            if self.mode:
                from workbench.evidence.blind import blind_session

                session = blind_session(self.store, coder, self.mode)
            else:
                session = CodingSession.start(self.store, coder)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.coder = session.coder.get("person") or session.coder["name"]
        self.push_screen(CodingScreen(session))

    def start_reconciling(self, coder_a: str, coder_b: str, actor: str) -> None:
        from workbench.errors import WorkbenchError
        from workbench.reconcile.consensus import Reconciliation
        from workbench.ui.reconcile import ReconcileScreen

        try:
            reconciliation = Reconciliation(self.store, coder_a, coder_b, actor)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.push_screen(ReconcileScreen(reconciliation))

    def start_reviewing(self, actor: str) -> None:
        """The reconciliation screen on the review queue of the newest model."""
        from workbench.errors import WorkbenchError
        from workbench.reconcile.review import Review
        from workbench.ui.review import ReviewScreen

        try:
            review = Review(self.store, actor)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.push_screen(ReviewScreen(review))

    def action_show_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen):
        """The command palette offers every described binding of the current screen that
        the screen allows now (``check_action``: a key that would be refused is not offered)."""
        from textual.actions import parse

        yield from super().get_system_commands(screen)
        seen = set()
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in bindings:
                namespace, name, params = parse(binding.action)
                if not (self if namespace == "app" else screen).check_action(name, params):
                    continue
                if binding.description and binding.action not in seen:
                    seen.add(binding.action)
                    yield SystemCommand(
                        binding.description,  # markup: codebook names in it are escaped (render.py)
                        f"key: {binding.key}",
                        lambda action=binding.action: self.call_later(screen.run_action, action),
                    )


def create_app(store: Store, coder: str | None = None,
               reconcile: tuple[str, str, str] | None = None, *, mode: str | None = None,
               review: str | None = None) -> WorkbenchApp:
    """The app factory: the CLI and the tests both build the app here.

    ``coder`` opens the coding screen for that coder; with ``mode`` "training" or "retest" on
    the training set or the coder's retest sample, blind (``workbench.evidence.blind``);
    ``reconcile`` = (coder A, coder B, who decides) opens the reconciliation screen;
    ``review`` = who decides opens it on the review queue of the newest model
    (``workbench suggest review``).
    """
    return WorkbenchApp(store, coder, reconcile, mode, review)
