"""What the coding screen draws, as pure functions of what it shows: one per pane.

The screen (``workbench.ui.coding``) decides when a pane is redrawn; these say
how it looks, so a pane can be rebuilt from its inputs alone. Every text from the
project (names, memos, comments) is a Rich ``Text`` through ``printable`` (never markup,
no raw control characters: see ``workbench.ui.render.plain``).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from workbench.coding.search import highlight_spans
from workbench.plain import printable
from workbench.store import Group
from workbench.store.codebook import Category, Theme
from workbench.store.comment_records import ContextTurn
from workbench.ui.render import plain


def where(ref, group_code, group_progress, progress, filtered, pos, count) -> Text:
    return Text.assemble(
        (f" {ref} ", "bold reverse"),
        f" {printable(group_code)} · coded {group_progress[0]}/{group_progress[1]} in group, "
        f"{progress[0]}/{progress[1]} in all",
        f" · {'filtered ' if filtered else ''}{pos + 1}/{count}",
    )


def comment(me: ContextTurn, search: str) -> Text:
    role = f" ({me.role})" if me.role else ""
    flag = "  [no speaker in the transcript]" if me.no_speaker else ""
    text = Text()
    text.append(printable(f"{me.speaker}{role}"), style="bold")
    text.append(flag + "\n", style="italic")
    shown = printable(me.text)
    body = Text(shown)
    for start, end in highlight_spans(shown, search):
        body.stylize("black on yellow", start, end)
    text.append_text(body)
    return text


def categories(entries: list[Category], category: str | None) -> Text:
    cats = Text()
    for c in entries:
        chosen = c.key == category
        cats.append(f" {printable(c.shortcut)} ", style="bold reverse" if chosen else "bold")
        cats.append(f" {printable(c.name)}\n", style="bold" if chosen else "")
    return cats


def themes(
    entries: list[Theme], takes: bool, chosen: tuple[str, ...], wide: bool, taking: str = "2 or 3"
) -> Table | Text:
    """The theme keys, only where the category takes themes (else one line saying which do:
    at 80x24 the list of 14 pushed the rest of the pane off the screen)."""
    if not takes:
        return Text(f"Themes: categories {taking} take themes", style="dim")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    if wide:
        table.add_column(style="dim")
    table.title = "Themes"
    table.title_justify = "left"
    table.title_style = "bold"
    for t in entries:
        on = t.key in chosen
        style = "bold green" if on else ("" if takes else "dim")
        cell = Text.assemble(
            (f"{'●' if on else '·'} {printable(t.shortcut)} ", style), (printable(t.name), style)
        )
        table.add_row(cell, plain(t.definition)) if wide else table.add_row(cell)
    return table


def definitions(entries: list[Theme], keys: tuple[str, ...]) -> Text:
    text = Text()
    for t in entries:
        if t.key in keys:
            text.append(f"{printable(t.name)}: ", style="bold")
            text.append(f"{printable(t.definition)}\n")
    return text


FLAGS = (
    ("unsure", "! not sure", "!", "bold yellow"),
    ("exemplar", "* exemplar", "*", "bold magenta"),
    ("memo", "✎ memo", "✎", "bold cyan"),
)


def header(coding, categories: list[Category], width: int = 80) -> tuple[Text, Text]:
    """The comment box's top and bottom lines: its flags (not sure, exemplar, memo; as their
    keys alone where the words do not fit in ``width``) and its category, where they are always
    in view with the comment (whatever the layout, and with the key panel open). Not the
    themes: a theme key then redraws the codes pane alone, as before."""
    title = Text()
    if coding:
        on = [flag for flag in FLAGS if getattr(coding, flag[0])]
        # The words where they fit between the box's corners and a rule each side.
        words = sum(len(f[1]) + 2 for f in on) <= width - 4
        for _name, long, short, style in on:
            title.append(f" {long if words else short} ", style=style)
    subtitle = Text()
    if coding and coding.category:
        entry = next((c for c in categories if c.key == coding.category), None)
        name = entry.name if entry else coding.category
        key = printable(entry.shortcut) if entry else ""
        subtitle.append(f" {key} {printable(name)} ", style="bold")
    return title, subtitle


def flags(coding) -> Text:
    """Under the codes: the memo's first lines and an accepted suggestion (the flags
    themselves are on the comment's top line, ``header``)."""
    text = Text()
    if coding:
        if coding.suggested_by is not None:
            text.append(f"accepted suggestion of model {coding.suggested_by}  ", style="bold cyan")
        if coding.memo:  # a long memo shows its first lines; enter opens all of it
            lines = printable(coding.memo).splitlines()
            more = f"\n… {len(lines) - 3} more line(s): enter" if len(lines) > 3 else ""
            text.append("memo: " + "\n".join(lines[:3]) + more)
    return text


def corrected(revision: dict | None) -> Text:
    """A coding made before its comment's text was corrected: the old text, and how to clear it."""
    if revision is None:
        return Text("")
    old = printable(" ".join(revision["old_text"].split()))
    return Text.assemble(
        ("\ntext corrected since you coded it", "bold yellow"),
        (f" ({revision['at'][:10]}); it was: “{old[:300]}{'…' if len(old) > 300 else ''}”. ", ""),
        ("Check your coding; ! clears not sure.", "dim"),
    )


def accepted_state(suggestion, coding) -> str:
    """``accepted`` (the coding is the suggestion, taken with A), ``edited`` (taken, then
    changed) or ``""``."""
    if coding is None or coding.suggested_by != suggestion.model_id:
        return ""
    same = coding.category == suggestion.category and set(coding.themes) == {
        t for t, _p in suggestion.themes
    }
    return "accepted" if same else "edited"


def suggestion(s, names: dict[str, str], state: str) -> Table:
    """The model's likeliest category and its suggested themes, with probabilities."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=1)
    table.add_column(justify="right", no_wrap=True)
    table.add_row(plain(names.get(s.category, s.category), style="bold"), f"{s.probability:.2f}")
    for key, p in s.themes:
        table.add_row(plain(f"· {names.get(key, key)}"), f"{p:.2f}")
    hint = {
        "accepted": Text("✓ accepted", style="bold green"),
        "edited": Text("edited since accepting", style="yellow"),
    }.get(state, Text.assemble(("A", "bold"), " accepts it"))
    table.add_row(hint, "")
    return table


def suggestion_state(state: str, error: str) -> Text:
    """The pane while there is no suggestion to show."""
    if state == "failed":
        return plain(f"unavailable: {error}", style="yellow")
    if state == "ready":  # and no comment to suggest for
        return Text("")
    if state == "no model":
        return Text(
            "No model for this codebook yet: the lead trains one (home screen, m).", style="dim"
        )
    return Text("loading the model…", style="dim")


def progress(groups: dict[int, Group], progress_of) -> Table:
    """This coder's progress per group; ``progress_of(group_id)`` → (coded, total)."""
    table = Table(title="Your progress", title_justify="left", box=None, padding=(0, 1))
    table.add_column("group")
    table.add_column("coded", justify="right")
    table.add_column("to code", justify="right")
    for group_id, group in groups.items():
        coded, total = progress_of(group_id)
        table.add_row(plain(f"{group.code} {group.name}"), str(coded), str(total - coded))
    return table
