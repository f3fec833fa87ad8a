"""The reconciliation screen's decision pane (``#decision``): why the comment is queued, both
codings and the agreed one side by side (each code with its key, differences highlighted; on
a narrow terminal no row labels or rule, so the comment keeps its room), the rationale, and
the legend of keys, filled whole entries per line to the pane's width.

:class:`DecisionPane` is a widget with its own inputs (the two sides' names and what taking
each does, the agreed column's title, the codebook's entries and keys): the screen tells it
the comment to show (:meth:`DecisionPane.show`) and how it is laid out. It takes no keys: A,
B and the coding keys are the screen's. The review screen's pane (``ui.review``) adds the
model's probabilities (:meth:`DecisionPane.more_rows`).
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.coding.session import Coding
from workbench.plain import printable
from workbench.reconcile.consensus import Item
from workbench.store.codebook import Category, Theme
from workbench.ui.render import cell, plain


class DecisionPane(VerticalScroll):
    """The decision on the comment shown."""

    def __init__(self, names: list[str], labels: tuple[str, str], column: str) -> None:
        """``names``: coder A's and B's (the keys of an item's codings); ``labels``: what A and
        B do, in words; ``column``: the agreed coding's title."""
        super().__init__(id="decision")
        self.names, self.labels, self.column = names, labels, column
        self.wide = self.stacked = False
        self.width = 60  # as workbench.tcss makes it (the legend is filled to it)
        self.use_codebook([], [], "")

    def compose(self) -> ComposeResult:
        yield Static(id="why")
        yield Static(id="sides")
        yield Static(id="rationale")
        yield Static(id="legend", classes="dim")

    def use_codebook(
        self, categories: list[Category], themes: list[Theme], category_keys: str
    ) -> None:
        """The codebook's entries, and its category keys in a few words ("1-4")."""
        self.themes, self.category_keys = themes, category_keys
        self.category_names = {c.key: c.name for c in categories}
        self.theme_names = {t.key: t.name for t in themes}
        self.shortcuts = {c.key: c.shortcut for c in categories} | {
            t.key: t.shortcut for t in themes
        }

    def lay_out(self, wide: bool, stacked: bool, width: int) -> None:
        """The screen's layout: ``wide`` (themes by name in the legend), ``stacked`` (under the
        comment: no row labels, the rationale on one line), the pane's ``width``."""
        self.wide, self.stacked, self.width = wide, stacked, width

    def show(self, item: Item | None) -> None:
        """The decision on ``item`` (None: only the legend)."""
        if item is not None:
            status = item.state
            self.query_one("#why", Static).update(
                Text.assemble(
                    (", ".join(REASONS.get(r, r) for r in item.reasons), "bold"),
                    "  ",
                    (
                        status,
                        "bold green"
                        if status in ("auto", "resolved", "imported", "kept", "changed")
                        else "bold yellow",
                    ),
                    *reopened_lines(item),
                )
            )
            self.query_one("#sides", Static).update(self.sides(item))
            rationale, room = item.rationale, self.width - 30
            if self.stacked and len(rationale) > room:  # one line: the comment keeps its room
                rationale = rationale[: max(room, 10)].rstrip() + "… (N shows it all)"
            self.query_one("#rationale", Static).update(
                Text.assemble(
                    ("Rationale: ", "bold"),
                    plain(rationale) if rationale else Text("none yet (N writes one)", style="dim"),
                )
            )
        self.query_one("#legend", Static).update(self.legend())

    def legend(self) -> Text:
        """Every key of the screen in a few words; on a wide terminal the themes by name."""
        a, b = self.labels
        entries = [("A", a), ("B", b), (self.category_keys, "category")]
        keyed = [t for t in self.themes if t.shortcut]
        if self.wide:
            entries += [(t.shortcut, t.name) for t in keyed]
        elif keyed:
            entries.append((" ".join(t.shortcut for t in keyed), "themes"))
        if len(keyed) < len(self.themes):  # past the keyboard: chosen in the palette
            entries.append(("ctrl+p", f"{len(self.themes) - len(keyed)} more themes"))
        entries += [
            ("E", "agreed exemplar"),
            ("N", "rationale"),
            ("D", "defer"),
            ("ctrl+z", "undo"),
            ("u", "next open"),
            ("j k", "move"),
            ("esc", "home"),
        ]
        room = self.width - 4  # padding, and a scroll bar if it comes
        text, line = Text(), 0
        for (
            key,
            words,
        ) in entries:  # whole entries per line: "g Getting to know the person" never split
            width = len(key) + len(words) + 3
            if line and room > 0 and line + width > room:
                text.append("\n")
                line = 0
            text.append(key, style="bold")
            text.append(f" {words}  ")
            line += width
        return text

    def sides(self, item: Item) -> Table:
        a_name, b_name = self.names
        a, b = item.codings[a_name], item.codings[b_name]
        stacked = self.stacked  # no row labels, no rule: the comment keeps its room
        table = Table(
            expand=True,
            box=None if stacked else box.SIMPLE_HEAD,
            padding=(0, 1),
            show_edge=False,
            header_style="bold underline" if stacked else "bold",
        )
        table.add_column(
            "",
            style="bold",
            no_wrap=True,
            width=0 if stacked else None,
            max_width=0 if stacked else None,
        )
        table.add_column(cell(f"A: {a_name}"), ratio=1)
        table.add_column(cell(f"B: {b_name}"), ratio=1)
        table.add_column(self.column, ratio=1)
        differ = "bold yellow"

        def key(code: str) -> Text:
            return Text(f"{self.shortcuts.get(code, '?')} ", style="dim")

        def category(c: Coding | None, other: Coding | None) -> Text:
            if c is None or c.category is None:
                return Text("not coded", style="italic red")
            style = differ if other is None or other.category != c.category else ""
            return key(c.category) + plain(
                self.category_names.get(c.category, c.category), style=style
            )

        def themes(c: Coding | None, other: Coding | None) -> Text:
            text = Text()
            if c is None:
                return text
            others = set(other.themes) if other else set()
            for n, code in enumerate(c.themes):
                text.append_text(
                    key(code)
                    + plain(
                        self.theme_names.get(code, code), style="" if code in others else differ
                    )
                )
                if n < len(c.themes) - 1:
                    text.append("\n")
            return text

        agreed = item.agreed
        table.add_row(
            "category",
            category(a, b),
            category(b, a),
            category(agreed, agreed) if agreed else Text("—", style="dim"),
        )
        if any(c and c.themes for c in (a, b, agreed)):
            table.add_row(
                "themes", themes(a, b), themes(b, a), themes(agreed, agreed) if agreed else ""
            )
        self.more_rows(table, item, a, b)
        if any(_flags(c) for c in (a, b, agreed)) or "exemplar" in item.reasons:
            table.add_row("flags", _flags(a), _flags(b), _flags(agreed))
        return table

    def more_rows(self, table: Table, item: Item, a: Coding | None, b: Coding | None) -> None:
        """The coders' memos (the review's pane shows the model's probabilities here)."""
        if (a and a.memo) or (b and b.memo):

            def memo(c: Coding | None) -> Text:  # said so where the rows have no labels
                return Text.assemble(
                    ("memo: ", "dim") if self.stacked and c and c.memo else "",
                    printable(c.memo) if c else "",
                )

            table.add_row("memo", memo(a), memo(b), "")


def reopened_lines(item: Item) -> list:
    """Under the reasons of a comment changed since it was reconciled: when it was decided,
    each changed coder's coding then and now, and the text it had then."""
    again = item.reopened
    if again is None:
        return []
    out: list = [
        (
            f"\nreconciled {again.since[:16].replace('T', ' ')}; since then {again.describe()}:",
            "yellow",
        )
    ]
    for name, (then, now) in again.coders.items():
        out.append(printable(f"\n  {name}: {_short(then)} → {_short(now)}"))
    if again.text:
        out.append(("\n  the text was: ", "dim"))
        out.append(printable(again.text[0]))
    return out


def _short(coding: Coding | None) -> str:
    if coding is None or coding.category is None:
        return "not coded"
    flags = [f for f, on in (("not sure", coding.unsure), ("exemplar", coding.exemplar)) if on]
    return (
        coding.category
        + (f" [{', '.join(coding.themes)}]" if coding.themes else "")
        + (f" ({', '.join(flags)})" if flags else "")
    )


REASONS = {
    "changed": "changed since reconciled",
    "category": "categories differ",
    "themes": "themes differ",
    "missing": "coded by one coder only",
    "not sure": "marked not sure",
    "exemplar": "one coder marked it an exemplar",
}


def _flags(coding: Coding | None) -> str:
    if coding is None:
        return ""
    flags = [
        flag for flag, on in (("not sure", coding.unsure), ("exemplar", coding.exemplar)) if on
    ]
    if coding.suggested_by is not None:
        flags.append(f"from model {coding.suggested_by}")
    return " ".join(flags)


def pane_layout(width: int, helping: bool) -> tuple[bool, bool, int]:
    """(wide, stacked, the pane's width) on a terminal ``width`` columns wide, the key panel open
    (``helping``) or not: side by side from 140 columns left, the comment above the decision
    under 110; the pane's width as workbench.tcss makes it (the legend is filled to it)."""
    if helping:
        width -= max(30, min(60, width // 3))
    wide, stacked = width >= 140, width < 110
    return wide, stacked, width if stacked else width // 2 if helping else 100 if wide else 60
