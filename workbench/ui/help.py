"""The key help (``?``): the screen's own keys first (its codebook keys, then the rest in the
screen's order), then the keys that work everywhere, then those of the focused pane.

It replaces Textual's help panel, which listed the focused pane's scroll keys first and the
screen's keys after them, and could not be scrolled from the keyboard: at 80x24 most of the
coding screen's keys were below its end. This panel takes the focus while it is open, so
``up``/``down``, ``pageup``/``pagedown`` and ``home``/``end`` scroll it; every other key
still reaches the screen (it binds no key a screen uses), and ``?`` or ``escape`` closes it
(:func:`toggle_panel`, :func:`show_panel`, :func:`hide_panel`: the app's actions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.actions import parse
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App


def _own_actions(screen) -> set[str]:
    """The actions bound by the screen's own classes (Workbench's, not Textual's Screen)."""
    own = set()
    for cls in type(screen).__mro__:
        if cls.__module__.startswith("workbench."):
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    own.add(binding.action)
    return own


def sections(screen, focused=None) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """(heading, [(keys, description, enabled)]) for the key help of ``screen``; ``focused``:
    the widget that had the focus before the help took it (its keys come last)."""
    app = screen.app
    own_actions = _own_actions(screen)
    grouped: dict[tuple[str, str], list] = {}  # (action, description) -> [keys, enabled, kind]
    for bindings in screen._bindings.key_to_bindings.values():
        for binding in bindings:
            if not binding.description:
                continue
            namespace, name, params = parse(binding.action)
            allowed = (app if namespace == "app" else screen).check_action(name, params)
            if allowed is False:
                continue  # hidden on this screen now (as in the footer and the palette)
            kind = (
                "category"
                if ".category." in (binding.id or "")
                else "theme"
                if ".theme." in (binding.id or "")
                else "own"
                if binding.action in own_actions
                else "everywhere"
            )
            description = binding.description
            if kind in ("category", "theme"):  # under a heading of their own: the name alone
                description = description.split(": ", 1)[-1]
            entry = grouped.setdefault(
                (binding.action, description), [[], allowed is not None, kind]
            )
            key = app.get_key_display(binding)
            if key not in entry[0] and "super" not in key:
                entry[0].append(key)

    def of(kind: str) -> list[tuple[str, str, bool]]:
        return [
            (" ".join(keys), description, enabled)
            for (_, description), (keys, enabled, k) in grouped.items()
            if k == kind
        ]

    everywhere = [("?", "Keys (this list)", True)]
    if app.ENABLE_COMMAND_PALETTE:
        everywhere.append(
            (
                app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")),
                "Commands by name",
                True,
            )
        )
    everywhere += of("everywhere")
    everywhere.append(("^q", "Quit", True))
    pane = []
    if focused is not None and not isinstance(focused, KeysPanel):
        for bindings in focused._bindings.key_to_bindings.values():
            pane += [
                (app.get_key_display(b), b.description, True) for b in bindings if b.description
            ]
    out = [
        ("Categories", of("category")),
        ("Themes", of("theme")),
        ("This screen", of("own")),
        ("Everywhere", everywhere),
    ]
    if pane:
        out.append(("In the focused pane", pane))
    return out


def render(sections_: list[tuple[str, list[tuple[str, str, bool]]]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True, style="bold")
    table.add_column()
    first = True
    for heading, rows in sections_:
        if not rows:
            continue
        if not first:
            table.add_row("", "")
        first = False
        table.add_row("", Text(heading, style="bold underline"))
        for keys, description, enabled in rows:
            style = "" if enabled else "dim"
            table.add_row(Text(keys, style=style), Text.from_markup(description, style=style))
    return table


class KeysPanel(VerticalScroll, inherit_bindings=False):
    """The key help beside the screen (``WorkbenchApp.action_show_help_panel``)."""

    DEFAULT_CSS = """
    KeysPanel {
        split: right;
        width: 33%;
        min-width: 30;
        max-width: 60;
        height: 1fr;
        border-left: vkey $foreground 30%;
        padding: 0 1;
        &:focus { border-left: vkey $accent; }
    }
    """
    BINDINGS = [
        Binding("up", "scroll_up", "Scroll the keys up", show=False),
        Binding("down", "scroll_down", "Scroll the keys down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "End", show=False),
        Binding("escape", "app.hide_help_panel", "Close the keys", show=False),
    ]

    def __init__(self, focused=None) -> None:
        super().__init__(id="keys-panel")
        self.can_focus = True
        self.focused_before = focused  # given the focus back on closing

    def compose(self):
        yield Static(id="keys-text")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.update_keys())
        self.update_keys()

    def update_keys(self) -> None:
        self.query_one("#keys-text", Static).update(
            render(sections(self.screen, self.focused_before))
        )


def toggle_panel(app: App) -> None:
    """``?``: the key help beside the screen, or closed if it is open."""
    if app.screen.query(KeysPanel):
        hide_panel(app)
    else:
        show_panel(app)


# The key panel takes a third of the screen on the right: the screen is told (class ``-help``)
# so it can make room without crushing the transcript (workbench.tcss).
def show_panel(app: App) -> None:
    """Open the key help (``WorkbenchApp.action_show_help_panel``, Textual's name for it)."""
    if app.screen.query(KeysPanel):
        return
    panel = KeysPanel(app.screen.focused)
    app.screen.mount(panel)
    panel.focus()  # so the keyboard scrolls it
    _told(app, True)


def hide_panel(app: App) -> None:
    """Close the key help, the focus back where it was."""
    for panel in app.screen.query(KeysPanel):
        before = panel.focused_before
        panel.remove()
        if before is not None and before.is_attached:
            before.focus()
    _told(app, False)


def _told(app: App, shown: bool) -> None:
    app.screen.set_class(shown, "-help")
    if hasattr(app.screen, "on_help_panel"):
        app.screen.on_help_panel()
