"""Browse by theme: each theme with its definition and counts, and every comment carrying
it (in the agreed coding, or the app coder's own while coding blind; ``w`` switches a
lead to a coder's), with the speaker's role.

``enter`` shows a comment in its whole transcript, ``c`` codes it, ``e`` exports the
theme's comments (``E`` every theme's) through the report machinery, recorded as a report
run like ``workbench report --table theme-quotes``. The coding is read in a worker (every
comment's text, once); choosing a theme draws from memory.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, OptionList, Static
from textual.worker import get_current_worker

from workbench.errors import WorkbenchError
from workbench.plain import printable
from workbench.reports.quotes import ThemeQuotes, theme_quotes
from workbench.store import Store
from workbench.ui.delivery import Destination, deliveries
from workbench.ui.dialogs import Confirm
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import cell
from workbench.ui.similar import SimilarScreen, like_binding
from workbench.ui.viewing import (
    AttributeFilter,
    WhoseCoding,
    code_comment,
    where_binding,
    whose_binding,
)

FILE_TYPES = ".docx .xlsx .md .csv .html .tex .json"


class ThemesScreen(AttributeFilter, WhoseCoding, WorkbenchScreen):
    BINDINGS = [
        Binding("enter", "open", "In transcript", id="themes.transcript"),
        Binding("c", "code", "Code it", id="themes.code"),
        like_binding("themes"),
        whose_binding("themes"),
        where_binding("themes"),
        Binding("e", "export", "Export theme", id="themes.export"),
        Binding("E", "export_all", "Export all themes", id="themes.export_all", show=False),
        Binding("escape", "app.pop_screen", "Back", id="themes.back"),
    ]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.categories = store.categories()
        self.themes = store.themes()
        self.quotes: dict[str, ThemeQuotes] = {}
        self.uncoded = 0
        self.key: str | None = self.themes[0].key if self.themes else None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="themes-view"):
            yield OptionList(id="theme-list")
            with Vertical(id="theme-detail"):
                yield Static(id="theme-about")
                yield DataTable(id="theme-comments", cursor_type="row", zebra_stripes=True)
                yield Static(id="theme-comment")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{self.store.project_info()['name']} · themes"
        self.init_whose(self.store)
        self.query_one("#theme-about", Static).update(Text("Reading the coding…", style="dim"))
        table = self.query_one("#theme-comments", DataTable)
        table.add_columns("ref", "group", "role", "behaviour", "*", "comment")
        self.query_one(OptionList).focus()
        self.load()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 120, "-narrow")

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        rows = self.store.coded_comments(self.whose.coder.id) if self.whose else []
        chosen = self.where_ids(self.store)
        if chosen is not None:
            rows = [r for r in rows if r["id"] in chosen]
        quotes = theme_quotes(rows, self.categories, self.themes)
        uncoded = sum(1 for r in rows if r["category"] is None) if self.whose else 0
        if not get_current_worker().is_cancelled:  # the screen was left, or w pressed again
            self.app.call_from_thread(self._loaded, quotes, uncoded)

    def _loaded(self, quotes: dict[str, ThemeQuotes], uncoded: int) -> None:
        if not self.is_attached:
            return
        self.quotes, self.uncoded = quotes, uncoded
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        width = max(len(str(q.count)) for q in quotes.values()) if quotes else 1
        for t in self.themes:  # the count first, so a long name is cut, never the count
            options.add_option(
                Text.assemble(
                    (f"{quotes[t.key].count:>{width}}  ", "bold"),
                    t.name,
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
        if self.themes:
            options.highlighted = highlighted or 0
        self.show_theme()

    def show_whose(self) -> None:
        self.load()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.key = self.themes[event.option_index].key
        if self.quotes:
            self.show_theme()

    def on_option_list_option_selected(self) -> None:
        self.query_one("#theme-comments", DataTable).focus()

    def show_theme(self) -> None:
        about = self.query_one("#theme-about", Static)
        table = self.query_one("#theme-comments", DataTable)
        table.clear()
        self.query_one("#theme-comment", Static).update("")
        if self.key is None:
            about.update(Text("The codebook has no themes.", style="dim"))
            return
        found = self.quotes[self.key]
        text = Text.assemble(
            (printable(found.theme.name), "bold"),
            (printable(f"  key {found.theme.shortcut}"), "dim"),
            "\n",
            (printable(found.theme.definition or "no definition"), "italic"),
            "\n",
            printable(found.summary()),
            "\n",
            (printable(f"Codes: {self.whose_label()}{self.where_label()}"), "dim"),
        )
        if self.uncoded and self.whose is not None:  # (counted for a coding shown)
            state = "not agreed yet" if self.whose.coder.kind == "agreed" else "not coded yet"
            text.append(f" · {self.uncoded} comment(s) {state}", style="yellow")
        about.update(text)
        self.refresh_bindings()
        for q in found.quotes:
            table.add_row(
                *map(
                    cell,
                    (
                        q["ref"],
                        q["group_code"],
                        q["role"] or "",
                        q["polarity"] or "",
                        "*" if q["exemplar"] else "",
                        " ".join(q["text"].split())[:200],
                    ),
                ),
                key=q["ref"],
            )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open", "code"):  # only while the theme lists a comment
            return bool(self.key and self.quotes and self.quotes[self.key].quotes)
        if action in ("export", "export_all"):  # a report reads the agreed coding or a coder's
            return (
                self.whose is not None
                and self.whose.coder.kind in ("agreed", "coder")
                and bool(self.themes)
            )
        return super().check_action(action, parameters)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        quote = self._quote(event.row_key.value if event.row_key else None)
        if quote:
            self.query_one("#theme-comment", Static).update(
                Text.assemble(
                    (printable(f"{quote['ref']} ~{quote['role']}"), "bold"),
                    printable(f" ({quote['group']}): "),
                    printable(quote["text"]),
                )
            )

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def _quote(self, ref: str | None) -> dict | None:
        if ref is None or self.key is None or not self.quotes:
            return None
        return next((q for q in self.quotes[self.key].quotes if q["ref"] == ref), None)

    def _chosen(self) -> dict | None:
        table = self.query_one("#theme-comments", DataTable)
        if not table.row_count:
            self.notify("No comment carries this theme in this coding.", severity="warning")
            return None
        return self._quote(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_open(self) -> None:
        from workbench.ui.transcript import TranscriptScreen

        quote = self._chosen()
        if quote:
            self.app.push_screen(
                TranscriptScreen(
                    self.store,
                    quote["group_code"],
                    at=quote["ref"],
                    whose=self.whose.name if self.whose else None,
                )
            )

    def action_code(self) -> None:
        quote = self._chosen()
        if quote:
            code_comment(self, quote["ref"])

    def action_more_like(self) -> None:
        """The comments most like the one chosen (``ui.similar``); enter there codes that one."""
        quote = self._chosen()
        found = self.store.find_ref(quote["ref"]) if quote else None
        if found:
            self.app.push_screen(
                SimilarScreen(self.store, found[0], found[1]),
                lambda ref: code_comment(self, ref) if ref else None,
            )

    # -- export --------------------------------------------------------------------

    def action_export(self) -> None:
        key = self.key
        if key is None:
            return
        name = self.quotes[key].theme.name if self.quotes else key
        deliveries(self.app).ask(
            f"the comments coded {name}",
            f"{key}-quotes.docx",
            lambda target: self.export(target, [key]),
            kinds=FILE_TYPES,
        )

    def action_export_all(self) -> None:
        deliveries(self.app).ask(
            "every theme's comments",
            "theme-quotes.docx",
            lambda target: self.export(target, None),
            kinds=FILE_TYPES,
        )

    def export(self, target: Destination, keys: list[str] | None, force: bool = False) -> None:
        """Write the theme tables (provisional where comments are not coded yet) and record
        the report run, as `workbench report --table theme-quotes` does; served, the file is
        a download (``workbench.ui.delivery``). A file there that this project did not write
        is replaced only after the user says so."""
        from workbench.output import OutputError, for_project
        from workbench.reports.writing import ReportRequest, write_report

        delivery = deliveries(self.app)
        if self.whose is None:
            delivery.failed(target, "Nobody has coded yet: nothing to export.")
            return
        coder = None if self.whose.coder.kind == "agreed" else self.whose.name
        try:
            from workbench.project.where import parse

            where = parse(self.store, [self.where] if self.where else [], blind=self.blind)
            request = ReportRequest(
                ("theme-quotes",),
                coder,
                provisional=True,
                themes=None if keys is None else tuple(keys),
                where=where,
            )
            written = write_report(
                self.store,
                request,
                target.path,
                for_project(self.store, force),
                recorded=[target.recorded],
            )
            run, record = written.run, written.record
        except OutputError as exc:
            if exc.replaceable and not target.served:
                question = f"{target.shown} is there and Workbench did not write it. Replace it?"
                self.app.push_screen(
                    Confirm(question),
                    lambda yes: self.export(target, keys, force=True) if yes else None,
                )
            else:
                delivery.failed(target, str(exc))
            return
        except (WorkbenchError, ValueError, OSError) as exc:
            delivery.failed(target, str(exc))
            return
        provisional = "; provisional: not every comment is coded" if record["not_agreed"] else ""
        delivery.done(target, f"report run {run}{provisional}")
