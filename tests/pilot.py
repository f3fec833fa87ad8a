"""Helpers for the app's Pilot tests."""

from workbench.ui.keybar import KeyBar


async def ready(pilot):
    """Wait until the app is idle (workers done, screen drawn)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def keys(app) -> str:
    """The footer's text on the current screen."""
    return app.screen.query_one(KeyBar).render().plain


def palette(app) -> list[str]:
    """The command palette's commands on the current screen."""
    return [command.title for command in app.get_system_commands(app.screen)]
