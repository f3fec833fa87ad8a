"""How the reconciliation screen's decision pane looks: both codings and the agreed one
side by side (each code with its key, differences highlighted; on a narrow terminal no
row labels or rule, so the comment keeps its room) and the legend of keys, filled whole
entries per line to the pane's width.

Mixed into :class:`~workbench.ui.reconcile.ReconcileScreen` (its ``rec``, codebook names,
``shortcuts``, ``category_keys``); the review screen overrides ``_more_rows``.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from workbench.coding.session import Coding
from workbench.plain import printable
from workbench.reconcile.consensus import Item
from workbench.ui.render import cell, plain


class DecisionPanes:
    """The reconciliation screen's tables and legend."""

    def _legend(self) -> Text:
        """Every key of the screen in a few words; on a wide terminal the themes by name."""
        a, b = self.take_labels()
        entries = [("A", a), ("B", b), (self.category_keys, "category")]
        keyed = [t for t in self.themes if t["shortcut"]]
        if self.has_class("-wide"):
            entries += [(t["shortcut"], t["name"]) for t in keyed]
        elif keyed:
            entries.append((" ".join(t["shortcut"] for t in keyed), "themes"))
        if len(keyed) < len(self.themes):  # past the keyboard: chosen in the palette
            entries.append(("ctrl+p", f"{len(self.themes) - len(keyed)} more themes"))
        entries += [("E", "agreed exemplar"), ("N", "rationale"), ("D", "defer"), ("ctrl+z", "undo"),
                    ("u", "next open"), ("j k", "move"), ("esc", "home")]
        room = getattr(self, "_decision_width", 60) - 4  # padding, and a scroll bar if it comes
        text, line = Text(), 0
        for key, words in entries:  # whole entries per line: "g Getting to know the person" never split
            width = len(key) + len(words) + 3
            if line and room > 0 and line + width > room:
                text.append("\n")
                line = 0
            text.append(key, style="bold")
            text.append(f" {words}  ")
            line += width
        return text

    def _sides(self, item: Item) -> Table:
        a_name, b_name = self.rec.names
        a, b = item.codings[a_name], item.codings[b_name]
        stacked = self.has_class("-stacked")  # no row labels, no rule: the comment keeps its room
        table = Table(expand=True, box=None if stacked else box.SIMPLE_HEAD, padding=(0, 1), show_edge=False,
                      header_style="bold underline" if stacked else "bold")
        table.add_column("", style="bold", no_wrap=True, width=0 if stacked else None,
                         max_width=0 if stacked else None)
        table.add_column(cell(f"A: {a_name}"), ratio=1)
        table.add_column(cell(f"B: {b_name}"), ratio=1)
        table.add_column(self.COLUMN, ratio=1)
        differ = "bold yellow"

        def key(code: str) -> Text:
            return Text(f"{self.shortcuts.get(code, '?')} ", style="dim")

        def category(c: Coding | None, other: Coding | None) -> Text:
            if c is None or c.category is None:
                return Text("not coded", style="italic red")
            style = differ if other is None or other.category != c.category else ""
            return key(c.category) + plain(self.category_names.get(c.category, c.category), style=style)

        def themes(c: Coding | None, other: Coding | None) -> Text:
            text = Text()
            if c is None:
                return text
            others = set(other.themes) if other else set()
            for n, code in enumerate(c.themes):
                text.append_text(key(code) + plain(self.theme_names.get(code, code),
                                                   style="" if code in others else differ))
                if n < len(c.themes) - 1:
                    text.append("\n")
            return text

        agreed = item.agreed
        table.add_row("category", category(a, b), category(b, a),
                      category(agreed, agreed) if agreed else Text("—", style="dim"))
        if any(c and c.themes for c in (a, b, agreed)):
            table.add_row("themes", themes(a, b), themes(b, a), themes(agreed, agreed) if agreed else "")
        self._more_rows(table, item, a, b)
        if any(_flags(c) for c in (a, b, agreed)) or "exemplar" in item.reasons:
            table.add_row("flags", _flags(a), _flags(b), _flags(agreed))
        return table

    def _more_rows(self, table: Table, item: Item, a: Coding | None, b: Coding | None) -> None:
        if (a and a.memo) or (b and b.memo):
            def memo(c: Coding | None) -> Text:  # said so where the rows have no labels
                return Text.assemble(("memo: ", "dim") if self.has_class("-stacked") and c and c.memo else "",
                                     printable(c.memo) if c else "")

            table.add_row("memo", memo(a), memo(b), "")


def reopened_lines(item: Item) -> list:
    """Under the reasons of a comment changed since it was reconciled: when it was decided,
    each changed coder's coding then and now, and the text it had then."""
    again = item.reopened
    if again is None:
        return []
    out: list = [(f"\nreconciled {again.since[:16].replace('T', ' ')}; since then {again.describe()}:", "yellow")]
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
    return coding.category + (f" [{', '.join(coding.themes)}]" if coding.themes else "") + (
        f" ({', '.join(flags)})" if flags else "")


REASONS = {"changed": "changed since reconciled", "category": "categories differ", "themes": "themes differ",
            "missing": "coded by one coder only", "not sure": "marked not sure",
            "exemplar": "one coder marked it an exemplar"}


def _flags(coding: Coding | None) -> str:
    if coding is None:
        return ""
    flags = [flag for flag, on in (("not sure", coding.unsure), ("exemplar", coding.exemplar)) if on]
    if coding.suggested_by is not None:
        flags.append(f"from model {coding.suggested_by}")
    return " ".join(flags)
