"""The home screen's focus groups: a table of the groups with each coder's progress, every
column fitted into the pane's width by shortening group names, and the project's totals under
it (with the lead's count of comments changed since reconciled, once counted).

:class:`GroupsPane` is a widget the home screen tells what to show (``show``, ``fit``,
``show_reopened``); which coders' columns show (only one's own while coding blind) is the
screen's to decide.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from workbench.store import GroupSummary
from workbench.ui.render import fill_table, plain


class GroupsPane(Vertical):
    """The groups table (``#groups``) and the totals line (``#totals``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # What the table shows (to refit): summaries, progress, the coders' columns
        self._groups: tuple[list[GroupSummary], list[dict[str, Any]], list[str]] = ([], [], [])
        self._fitted = 0  # the screen width the groups table was fitted to

    def compose(self) -> ComposeResult:
        yield Static("Focus groups", classes="pane-title")
        yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
        yield Static(id="totals", classes="dim")

    def show(
        self,
        summaries: list[GroupSummary],
        progress: list[dict[str, Any]],
        coders: list[str],
        blind: str | None,
        screen: int,
    ) -> None:
        """The groups with the progress of ``coders`` (``blind``: the one coder this window
        codes as), fitted to a ``screen`` this wide, and the totals."""
        self._groups = (summaries, progress, coders)
        self._fill_groups(screen)
        words = sum(g.words for g in summaries)
        comments = sum(g.comments for g in summaries)
        codable = sum(g.codable for g in summaries)
        self.query_one("#totals", Static).update(
            plain(
                f"{len(summaries)} groups · {comments} comments · {codable} to code · {words:,} words"
                + (
                    f" · coding as {blind}"
                    if blind
                    else f" · coders: {', '.join(coders)}"
                    if coders
                    else " · c to start coding"
                )
                if summaries
                else "No transcripts yet: press i to import one (or `workbench import PROJECT FILE...`)"
            )
        )

    def fit(self, screen: int) -> None:
        """The table fitted again to a screen now ``screen`` wide, if that is new."""
        if self._groups[0] and self._fitted != screen:
            self._fill_groups(screen)

    def _fill_groups(self, screen: int) -> None:
        """The groups with each coder's progress, every column in the pane's width: group names
        are shortened (then the kind left out) rather than a coder's column hidden."""
        summaries, progress, coders = self._groups
        done = {(p["code"], p["coder"]): p["coded"] for p in progress}
        rows = [
            [
                g.code,
                g.name,
                g.kind or "-",
                g.comments,
                g.codable,
                *(f"{done.get((g.code, c), 0)}/{g.codable}" for c in coders),
            ]
            for g in summaries
        ]
        labels = ["code", "group", "kind", "comments", "to code", *coders]
        self._fitted = screen
        room = (screen if screen < 140 else screen // 2) - 3  # the pane, less a scroll bar

        def width(i: int) -> int:  # a column's cells plus their padding
            return (
                max(len(str(labels[i])), *(len(str(r[i])) for r in rows)) + 2
                if rows
                else len(labels[i]) + 2
            )

        keep = list(range(len(labels)))
        name_room = room - sum(width(i) for i in keep if i != 1) - 2
        if name_room < 14:  # too narrow for names: the kind goes first
            keep.remove(2)
            name_room += width(2)
        name_room = max(name_room, 8)
        for row in rows:
            name = str(row[1])
            row[1] = name if len(name) <= name_room else name[: name_room - 1] + "…"
        widths = [min(width(i) - 2, name_room) if i == 1 else width(i) - 2 for i in keep]
        fill_table(
            self.query_one("#groups", DataTable),
            [labels[i] for i in keep],
            [[row[i] for i in keep] for row in rows],
            [g.code for g in summaries],
            widths,
        )

    def show_reopened(self, changed: int) -> None:
        """Say (once) that ``changed`` reconciled comments changed since (``R`` reconciles)."""
        totals = self.query_one("#totals", Static)
        base = totals.content if isinstance(totals.content, Text) else Text(str(totals.content))
        if "changed since reconciled" not in base.plain:
            totals.update(
                Text.assemble(base, (f" · {changed} changed since reconciled (R)", "bold yellow"))
            )
