"""The command palette's commands (``ctrl+p``, ``WorkbenchApp.get_system_commands``): Textual's
own (its "Theme" said to be the colours, beside our "By theme"; "Keys" our key help), then every
described binding of the screen that the screen allows now (``check_action``: a key that would
be refused is not offered), then the actions past the keyboard (a screen's ``keyless_actions``:
codes beyond its keys)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textual.actions import parse
from textual.app import SystemCommand

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.ui.app import WorkbenchApp


def system_commands(
    app: WorkbenchApp, screen: Screen, textuals: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """The palette's commands for ``screen``, after Textual's (``textuals``)."""
    titles = set()
    for command in textuals:
        if command.title == "Theme":  # Textual's, beside our "By theme": said what it is
            command = command._replace(title="Colour theme", help="Change the app's colours")
        elif command.title == "Keys":  # ours (ui.help), not Textual's panel
            command = command._replace(
                help="Show or hide the keys of this screen", callback=app.action_show_keys
            )
        titles.add(command.title)
        yield command
    seen = set()
    for bindings in screen._bindings.key_to_bindings.values():
        for binding in bindings:
            namespace, name, params = parse(binding.action)
            if not (app if namespace == "app" else screen).check_action(name, params):
                continue
            if (
                binding.description
                and binding.action not in seen
                and binding.description not in titles
            ):
                seen.add(binding.action)  # "Quit" once: Textual's, not home's q again
                yield SystemCommand(
                    binding.description,  # markup: codebook names in it are escaped (render.py)
                    f"key: {binding.key}",
                    lambda action=binding.action: app.call_later(screen.run_action, action),
                )
    for description, action in getattr(screen, "keyless_actions", ()):  # codes past the keys
        namespace, name, params = parse(action)
        if screen.check_action(name, params):
            yield SystemCommand(
                description,
                "no key",
                lambda action=action: app.call_later(screen.run_action, action),
            )
