"""The Workbench terminal app. Built by :func:`create_app` from an open store,
so the CLI and the tests construct it the same way and nothing opens a database
at import time. It opens its working screens through ``ui.app_sessions``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding

from workbench.plain import printable
from workbench.store import Store
from workbench.ui import safety
from workbench.ui.app_sessions import SessionOpener
from workbench.ui.home import HomeScreen
from workbench.ui.kept import KeptSessions

if TYPE_CHECKING:
    from textual.screen import Screen


class WorkbenchApp(App):
    TITLE = "Workbench"
    #: How often the app looks for other windows' commits (``check_changes``).
    WATCH_SECONDS = 1.0
    CSS_PATH = "workbench.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "show_keys", "Keys", id="app.keys"),
    ]

    def __init__(
        self,
        store: Store,
        coder: str | None = None,
        reconcile: tuple[str, str, str] | None = None,
        mode: str | None = None,
        review: str | None = None,
        role: str | None = None,
        user: str | None = None,
    ):
        super().__init__()
        self.store = store
        self.start_coder = coder
        self.start_reconcile = reconcile
        # A blind mode of methods evidence ("training", "retest"): once coding in it, the app
        # stays in it, so the study coding (or the first coding) is not reachable from here.
        self.mode = mode
        self.start_review = review
        self.review_queue = (
            "review"  # or "precode": the model's pre-codes (reconcile --review --precodes)
        )
        # Once someone codes in this app, it stays blind to the other coders: nothing
        # reachable from the coding screen may show their codings (see HomeScreen), until
        # the user chooses to act as lead there (``act_as_lead``).
        self.coder: str | None = None
        # Served to a browser (`workbench serve`): the signed-in user and their role. A
        # coder is blind from the first frame and codes only as themselves; a lead works as
        # themselves; an observer has the report tables and nothing else.
        self.role, self.user = role, user
        if role == "coder":
            self.coder = user
        # One coding session per coder (and mode), one reconciliation per pair, one review per
        # queue: their undo stacks outlive a visit to their screen.
        self.sessions = KeptSessions()
        self.opener = SessionOpener(self)  # start_coding, start_reconciling, start_reviewing
        self.reconciling_as: str | None = (
            None  # who decides, once asked (the agreement screen's list)
        )
        self.sub_title = printable(store.project_info()["name"])

    #: The unexpected error that ended the app, if one did: the CLI logs its traceback and
    #: reports it in one line (``workbench.cli.failure``); Textual would print the traceback.
    failure: BaseException | None = None
    #: The signal that ended the app (SIGHUP: its terminal closed; SIGTERM), if one did.
    ended_by: int | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text: messages quote names, memos and file names, which must
        neither be read as markup (a "[/b]" in a name would end the app) nor reach the terminal raw."""
        from workbench.ui.wording import in_app

        super().notify(
            printable(in_app(message)),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action; a fault of the project file it meets (disk full, read-only, a
        lock held too long, the file gone) is told, and the app stays open (``ui.safety``)."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            fault = safety.store_fault(error, self.store.path)
            if fault is None:
                raise
            self.notify(str(fault), severity="error", timeout=20)
            return True

    def _handle_exception(self, error: Exception) -> None:
        fault = safety.store_fault(error, self.store.path)
        if fault is not None:  # from a dialog's callback or a timer: told, and the app stays
            self.notify(str(fault), severity="error", timeout=20)
            return
        self.failure = error
        super()._handle_exception(error)  # ends the app (and lets run_test re-raise it in tests)
        self._exit_renderables.clear()  # not Textual's traceback on the screen: the CLI's message

    def on_mount(self) -> None:
        from workbench.coding.watch import ProjectWatch

        # (not ``self.watch``: that is Textual's method to watch a reactive attribute)
        self.project_watch = ProjectWatch(self.store)
        self.set_interval(self.WATCH_SECONDS, self.check_changes, name="watch")
        safety.start(self)
        # Opened straight onto coding or reconciling, the home screen (and its queries over
        # every comment) is only built when the user goes back to it.
        if self.role == "observer":
            from workbench.ui.report import ReportScreen

            self.push_screen(ReportScreen(self.store))
        elif self.start_coder:  # named by the command line, which checked a new name (--new)
            self.start_coding(self.start_coder, new=True)
        elif self.start_reconcile:
            self.start_reconciling(*self.start_reconcile)
        elif self.start_review:
            self.start_reviewing(self.start_review)
        else:
            self.push_screen(HomeScreen(self.store))

    def check_changes(self) -> None:
        """Tell the open screens what other windows and processes committed since the last look
        (``PRAGMA data_version``: microseconds when nothing changed)."""
        from workbench.ui.changes import ProjectChanged

        changes = self.project_watch.poll()
        if changes is not None:
            for screen in self.screen_stack:
                screen.post_message(ProjectChanged(changes))

    def on_unmount(self) -> None:
        safety.stop(self)

    def leave_to_home(self) -> None:
        """Back from a working screen to the home screen, refreshed; or to the screen that
        opened it (the agreement screen's disagreements open the reconciliation screen)."""
        self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.action_refresh()
        elif len(self.screen_stack) <= 1:  # opened straight onto it: no home screen yet
            self.push_screen(HomeScreen(self.store))

    def served_refuses(self, what: str, coder: str | None = None) -> bool:
        """Served, the signed-in account decides: a coder codes only as themselves and opens
        nothing else; a lead codes only as themselves; an observer only reads the tables.
        The screens hide what is refused; this is the app's own check behind them."""
        if self.role is None:
            return False
        refused = (
            self.role == "observer"
            or (self.role == "coder" and what != "code")
            or (what == "code" and coder is not None and coder.lower() != (self.user or "").lower())
        )
        if refused:
            self.notify(
                f"Signed in as {self.user} ({self.role}): this account does not {what}"
                + (f" as {coder}" if what == "code" and coder else "")
                + ".",
                severity="error",
            )
        return refused

    def start_coding(self, coder: str, at: str | None = None, new: bool = False) -> None:
        """The coding screen for ``coder`` (on the comment ``at``, a ref, if given). A name the
        project has not seen starts a new coder only once the user says so (``new``)."""
        self.opener.start_coding(coder, at, new)

    def coded_here(self) -> list[str]:
        """Whom this window has coded as (study coders and blind modes alike)."""
        return self.sessions.coders()

    def act_as_lead(self) -> None:
        """Leave blind coding: the home screen shows every coder's work again (the user was
        asked first, see ``HomeScreen.action_lead``)."""
        if self.served_refuses("act as lead"):
            return
        self.coder = None

    def start_reconciling(
        self, coder_a: str, coder_b: str, actor: str, at: str | None = None
    ) -> None:
        """The reconciliation screen for ``coder_a`` and ``coder_b``, ``actor`` deciding."""
        self.opener.start_reconciling(coder_a, coder_b, actor, at)

    def start_reviewing(self, actor: str) -> None:
        """The reconciliation screen on the review queue of the newest model."""
        self.opener.start_reviewing(actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # An observer's report screen is the bottom of their app: there is nothing behind it.
        return not (
            self.role == "observer" and action == "pop_screen" and len(self.screen_stack) <= 2
        )

    def action_help_quit(self) -> None:
        """ctrl+c does not quit (it copies): say which key does, as plain text (Textual's own
        message carried markup that notify shows as it is)."""
        keys = [
            key
            for key, active in self.active_bindings.items()
            if active.binding.action in ("quit", "app.quit")
        ]
        shown = (
            " or ".join(self.get_key_display(self.active_bindings[key].binding) for key in keys)
            or "ctrl+q"
        )
        self.notify(f"Press {shown} to quit the app.", title="Do you want to quit?")

    # The key help (``?``, ``ui.help``) and the command palette's commands (``ui.palette``).
    def action_show_keys(self) -> None:
        from workbench.ui.help import toggle_panel

        toggle_panel(self)

    def action_show_help_panel(self) -> None:
        from workbench.ui.help import show_panel

        show_panel(self)

    def action_hide_help_panel(self) -> None:
        from workbench.ui.help import hide_panel

        hide_panel(self)

    def get_system_commands(self, screen: Screen) -> Iterator[SystemCommand]:
        from workbench.ui.palette import system_commands

        yield from system_commands(self, screen, super().get_system_commands(screen))


def create_app(
    store: Store,
    coder: str | None = None,
    reconcile: tuple[str, str, str] | None = None,
    *,
    mode: str | None = None,
    review: str | None = None,
    role: str | None = None,
    user: str | None = None,
) -> WorkbenchApp:
    """The app factory: the CLI and the tests both build the app here.

    ``coder`` opens the coding screen for that coder; with ``mode`` "training" or "retest" on
    the training set or the coder's retest sample, blind (``workbench.evidence.blind``);
    ``reconcile`` = (coder A, coder B, who decides) opens the reconciliation screen;
    ``review`` = who decides opens it on the review queue of the newest model
    (``workbench suggest review``). ``role`` ("coder", "lead", "observer") and ``user`` are
    set by the team server (``workbench serve``) for the signed-in user: see WorkbenchApp.
    """
    return WorkbenchApp(store, coder, reconcile, mode, review, role, user)
