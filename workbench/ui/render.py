"""Rendering helpers shared by the screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.plain import printable
from workbench.store.comment_records import ContextTurn

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from workbench.store.codebook import Category, Theme


def plain(text: object, style: str = "") -> Text:
    """Text users gave (a name, a memo, a comment) for a widget: never read as markup (Textual
    reads a ``str`` as markup: "[laughs]" would vanish, "[/b]" end the app) and with control,
    format and bidi characters shown escaped (:func:`workbench.plain.printable`)."""
    return Text(printable("" if text is None else str(text)), style=style, end="")


def cursor_key(table: DataTable) -> str:
    """The key of the row under ``table``'s cursor (the screens add every row with its key)."""
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    assert key is not None, f"a row of #{table.id} was added without its key"
    return key


def cell(text: object) -> str:
    """User text where a ``str`` is read as markup but must stay a ``str`` (DataTable cells, Rich
    table headers): escaped, so it shows as given, with :func:`workbench.plain.printable`."""
    return escape(printable("" if text is None else str(text)))


def speaker(label: str, role: str | None) -> str:
    """``Ruth (PwCHC)``; a label that is its role alone (``Facilitator``) is not said twice."""
    return printable(f"{label} ({role})" if role and role.lower() != label.lower() else label)


def context_turns(rows: list[ContextTurn]) -> Text:
    """Neighbouring turns of a comment, dimmed: ``FG1-004 Ruth (PwCHC): text``."""
    text = Text(style="dim")
    for row in rows:
        text.append(f"{row.ref} {speaker(row.speaker, row.role)}: ", style="bold")
        text.append(printable(row.text).replace("\n", " ") + "\n")
    return text


def bind_codebook_keys(
    screen, categories: list[Category], themes: list[Theme], prefix: str, label: str
) -> None:
    """Bind each category's and theme's one-key shortcut on ``screen`` to its
    ``category('key')`` / ``theme('key')`` action, with an id and a description so
    the key help and the command palette list them; an entry without a shortcut (a codebook
    with more entries than the keyboard has keys) is in ``screen.keyless_actions``, which the
    palette offers too. Bound again after a codebook edit, the old codebook's keys go first."""
    screen.keyless_actions = []  # entries past the keyboard (no shortcut): offered by the palette only
    keys = screen._bindings.key_to_bindings
    old = (f"{prefix}.category.", f"{prefix}.theme.")
    for key, bindings in list(keys.items()):
        kept = [b for b in bindings if not (b.id or "").startswith(old)]
        if len(kept) < len(bindings):
            keys[key] = kept
            if not kept:
                del keys[key]
    for kind, entries in (("category", categories), ("theme", themes)):
        for entry in entries:
            # The key help and the palette read a description as markup: the name is escaped.
            description = escape(f"{(label + kind).capitalize()}: {printable(entry.name)}")
            if not entry.shortcut:
                screen.keyless_actions.append((description, f"{kind}('{entry.key}')"))
                continue
            binding = Binding(
                entry.shortcut,
                f"{kind}('{entry.key}')",
                description,
                show=False,
                id=f"{prefix}.{kind}.{entry.key}",
            )
            screen._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)


class TranscriptPane(VerticalScroll):
    """The transcript around a comment. It keeps the comment in view: after a new
    comment is shown, and again whenever the pane's own size changes (a decision pane
    above or beside it grows or shrinks once its new text is laid out)."""

    def keep_comment_in_view(self) -> None:
        comment = self.query("#comment")
        if comment:
            self.scroll_to_widget(comment.first(), animate=False, top=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self.keep_comment_in_view)


def transcript_pane() -> ComposeResult:
    """The comment between its dimmed neighbouring turns, scrollable."""
    with TranscriptPane(id="transcript"):
        yield Static(id="context-before", classes="context")
        yield Static(id="comment")
        yield Static(id="context-after", classes="context")


def cell_width(value: object) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(printable(str(value)))


def fill_table(
    table,
    labels: list[str],
    rows: list[list],
    keys: list[str] | None = None,
    widths: list[int] | None = None,
) -> None:
    """Clear a DataTable and fill it with columns of fixed width (by default the widest
    cell or label). Textual's auto-width columns keep the rows drawn before they were
    measured, cut to the label's width ("Health prof"), when a table is refilled quickly."""
    if widths is None:
        widths = [
            max([cell_width(label), *(cell_width(row[i]) for row in rows if i < len(row))])
            for i, label in enumerate(labels)
        ]
    table.clear(columns=True)
    for label, width in zip(labels, widths, strict=True):
        table.add_column(_cell(label), width=width)
    for n, row in enumerate(rows):  # user text (names, quotes) never read as markup
        table.add_row(*map(_cell, row), key=keys[n] if keys else None)


def _cell(value: object) -> object:
    return cell(value) if isinstance(value, str) else value
