"""The footer: the screen's keys and what they do, on one line.

Shows what Textual's ``Footer`` shows (each shown binding's key and description,
disabled ones dimmed, the command palette's key on the right, a click presses the
key) as one widget drawing one line of text. The stock footer builds a widget per
key and composes again after the first paint: ~80 ms each time a screen with a
dozen keys opens, which was most of the coding screen's start-up.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget


class KeyBar(Widget, can_focus=False):
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; }
        & > .keybar--disabled { text-style: dim; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of what was drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def keys(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str, bool] | None]:
        """(key, how it is shown, description, enabled) of each binding to show, in order
        (keys bound to one action show once), and the command palette's key apart."""
        app = self.app
        shown, seen, palette = [], set(), None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            entry = (binding.key, app.get_key_display(binding), binding.description, enabled)
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = entry
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append(entry)
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        description_style = self.get_component_rich_style("keybar--description", partial=True)
        disabled_style = self.get_component_rich_style("keybar--disabled", partial=True)
        keys, palette = self.keys()
        text, spans = Text(no_wrap=True, end=""), []

        def width(display: str, description: str) -> int:
            return cell_len(display) + cell_len(description) + 3  # " key description "

        def add(key: str, display: str, description: str, enabled: bool) -> None:
            start = text.cell_len
            dim = Style() if enabled else disabled_style
            text.append(f" {display} ", key_style + dim)
            text.append(f"{description} ", description_style + dim)
            spans.append((start, text.cell_len, key))

        room = self.size.width - (width(palette[1], palette[2]) if palette else 0)
        # Whole keys only: those that do not fit are in the key help (?) and the palette.
        for key, display, description, enabled in keys:
            if text.cell_len + width(display, description) > room:
                break
            add(key, display, description, enabled)
        if palette and room >= text.cell_len:
            text.append(" " * (room - text.cell_len))
            add(*palette)
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
