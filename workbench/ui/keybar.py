"""The footer: the screen's keys and what they do, on one line.

Shows what Textual's ``Footer`` shows (each shown binding's key and description,
disabled ones dimmed, the command palette's key on the right, a click presses the
key) as one widget drawing one line of text. The stock footer builds a widget per
key and composes again after the first paint: ~80 ms each time a screen with a
dozen keys opens, which was most of the coding screen's start-up.

Where not every key fits, the screen's ``KEYBAR_PRIORITY`` (binding ids, most
important first; ``?`` always first, the palette's key next) chooses which stay;
they are drawn in the screen's order. A screen may add hints that are not one key (``keybar_hints()``:
``(after binding id, shown, description)``, e.g. "1-4 category, letters themes").
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

#: (key, how it is shown, description, enabled, id) of one binding, or of a hint (no key).
Entry = tuple[str | None, str, str, bool, str]


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

    def keys(self) -> tuple[list[Entry], Entry | None]:
        """(key, how it is shown, description, enabled, id) of each binding to show, in order
        (keys bound to one action show once; hints have no key), and the command palette's
        key apart."""
        app, screen = self.app, self.screen
        shown: list[Entry] = []
        seen: set[str] = set()
        palette: Entry | None = None
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            entry: Entry = (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                binding.id or binding.action,
            )
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = entry
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append(entry)
        hints = getattr(screen, "keybar_hints", None)
        for after, display, description in hints() if hints else ():
            ids = [entry[4] for entry in shown]
            at = ids.index(after) + 1 if after in ids else 0
            shown.insert(at, (None, display, description, True, f"hint:{display}"))
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        description_style = self.get_component_rich_style("keybar--description", partial=True)
        disabled_style = self.get_component_rich_style("keybar--disabled", partial=True)
        keys, palette = self.keys()
        text, spans = Text(no_wrap=True, end=""), []

        def width(entry) -> int:
            return cell_len(entry[1]) + cell_len(entry[2]) + 3  # " key description "

        def add(key: str | None, display: str, description: str, enabled: bool, *_id) -> None:
            start = text.cell_len
            dim = Style() if enabled else disabled_style
            text.append(f" {display} ", key_style + dim)
            text.append(f"{description} ", description_style + dim)
            if key is not None:
                spans.append((start, text.cell_len, key))

        # Whole keys only, the screen's most important first (then the palette's key, then
        # the rest): those that do not fit are in the key help (?) and the palette.
        priority = ["app.keys", *getattr(self.screen, "KEYBAR_PRIORITY", ())]
        rank = {entry_id: n for n, entry_id in enumerate(priority)}
        entries = keys + ([palette] if palette else [])
        last = len(entries) - 1 if palette else None
        order = sorted(
            range(len(entries)),
            key=lambda i: (rank.get(entries[i][4], len(rank) + (0 if i == last else 1)), i),
        )
        chosen, used = set(), 0
        for i in order:
            if used + width(entries[i]) <= self.size.width:
                chosen.add(i)
                used += width(entries[i])
        for i in sorted(chosen - {last}):
            add(*entries[i])
        if palette is not None and last in chosen:
            text.append(" " * (self.size.width - width(palette) - text.cell_len))
            add(*palette)
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
