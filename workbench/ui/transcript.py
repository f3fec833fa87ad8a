"""The whole-transcript view: a focus group's comments in transcript order, each with the
codes of one coding in a margin beside it, as a researcher reads a coded transcript in
NVivo, ATLAS.ti or MAXQDA.

The margin shows this coder's own codes while the app codes blind, else the agreed coding
(``w``: the next coder's; ``ui.viewing``). ``enter`` codes the comment under the cursor
(the coding screen below moves to it, or one opens on it); ``s`` fixes its speaker
(``ui.speakers``: the lead's, never in a coding session). Opened from the home screen on
a group (``v``), from the coding screen on the comment being coded (``T``), and from the
theme and memo screens on a comment. The comments are drawn by ``ui.transcript_view``.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from workbench.coding.views import Entry, coded_count, transcript
from workbench.errors import CodingRuleError
from workbench.plain import printable
from workbench.store import Store
from workbench.store.codebook import Category, Codebook, Theme
from workbench.ui.kept import WorkbenchScreen
from workbench.ui.keybar import KeyBar
from workbench.ui.render import speaker
from workbench.ui.transcript_view import TranscriptView
from workbench.ui.viewing import (
    AttributeFilter,
    WhoseCoding,
    code_comment,
    where_binding,
    whose_binding,
)


def comment_text(entry: Entry) -> Text:
    style = "dim" if entry.excluded else ""
    text = Text(style=style)
    text.append(printable(entry.ref), style="bold")
    text.append(printable(f"  {speaker(entry.speaker, entry.role)}") + "\n", style="bold")
    text.append(printable(entry.text))
    return text


def margin(entry: Entry, book: Codebook, uncoded: str) -> Text:
    """The codes beside a comment: category, themes, flags, the memo's first line."""
    if entry.excluded:
        return Text(printable(f"{entry.role or 'no role'}: not coded"), style="dim italic")
    coding = entry.coding
    if coding is None or coding.category is None:
        return Text(uncoded, style="dim italic")
    polarity = book.polarity(coding.category) or ""
    colour = {"effective": "green", "ineffective": "red"}.get(polarity, "")
    text = Text()
    text.append(printable(book.category_name(coding.category)), style=f"bold {colour}".strip())
    for key in coding.themes:
        text.append(printable(f"\n· {book.theme_name(key)}"))
    if not book.complete(coding):
        text.append("\nneeds a theme", style="yellow")
    flags = "  ".join(
        f for f, on in (("! not sure", coding.unsure), ("* exemplar", coding.exemplar)) if on
    )
    if flags:
        text.append(f"\n{flags}", style="bold magenta")
    if coding.memo:
        first = printable(coding.memo.splitlines()[0])
        more = len(coding.memo.splitlines()) > 1 or len(first) > 60
        text.append(f"\nmemo: {first[:60]}{'…' if more else ''}", style="dim")
    if entry.rationale:
        first = printable(" ".join(entry.rationale.split()))
        text.append(
            f"\nrationale: {first[:60]}{'…' if len(first) > 60 else ''}", style="dim italic"
        )
    if entry.text_corrected:
        text.append("\ntext corrected since coded: review", style="bold yellow")
    return text


def agreed_from_keys(text: str, book: Codebook):
    """An agreed coding from keys typed: the category's shortcut, then theme shortcuts (``2 a c``,
    or ``2ac`` when every key is one character); ValueError for keys that name nothing, the
    codebook's :class:`~workbench.errors.CodingRuleError` for a coding it does not allow."""
    from workbench.coding.session import Coding

    tokens = text.split() if " " in text.strip() else list(text.strip())
    category = book.by_shortcut(tokens[0]) if tokens else None
    if not isinstance(category, Category):
        keys = ", ".join(c.shortcut for c in book.categories if c.shortcut)
        raise ValueError(f"start with a category's key ({keys})")
    themes = [book.by_shortcut(t) for t in tokens[1:]]
    unknown = [
        t for t, theme in zip(tokens[1:], themes, strict=True) if not isinstance(theme, Theme)
    ]
    if unknown:
        raise ValueError(f"no theme has the key {unknown[0]!r}")
    coding = Coding(category.key, book.ordered({t.key for t in themes if isinstance(t, Theme)}))
    book.check(coding, needs_category=True)
    return coding


def _typed(entry: Category | Theme | None, key: str) -> str:
    """What to type for an entry: its shortcut while in use, else its key."""
    return entry.shortcut if entry is not None and entry.shortcut and not entry.retired else key


class TranscriptScreen(AttributeFilter, WhoseCoding, WorkbenchScreen):
    BINDINGS = [
        Binding("j,down", "move(1)", "Next", id="transcript.next"),
        Binding("k,up", "move(-1)", "Prev", id="transcript.previous"),
        Binding("enter", "code", "Code it", id="transcript.code"),
        Binding("a", "correct", "Correct agreed", id="transcript.correct"),
        Binding("s", "speaker", "Speaker", id="transcript.speaker"),
        whose_binding("transcript"),
        where_binding("transcript"),
        Binding("n", "group(1)", "Next group", id="transcript.next_group"),
        Binding("p", "group(-1)", "Prev group", id="transcript.previous_group", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="transcript.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="transcript.page_up", show=False),
        Binding("home", "edge(0)", "First", id="transcript.first", show=False),
        Binding("end", "edge(1)", "Last", id="transcript.last", show=False),
        Binding("escape", "app.pop_screen", "Back", id="transcript.back"),
    ]

    def __init__(self, store: Store, group: str, at: str | None = None, whose: str | None = None):
        super().__init__()
        self.store, self.group, self.at, self.prefer = store, group, at, whose
        self.items: list[Entry] = []
        self.book = store.codebook()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="transcript-title", classes="pane-title")
        yield TranscriptView(id="transcript-view")
        yield KeyBar()

    def on_mount(self) -> None:
        self.init_whose(self.store, self.prefer)
        self.load(self.at)

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def current(self) -> Entry | None:
        return self.items[self.view.cursor] if self.items else None

    def load(self, at: str | None = None) -> None:
        """Read the group with the coding shown, the cursor on ``at`` (a ref) if given."""
        from workbench.coding.views import find_group
        from workbench.errors import WorkbenchError

        try:
            group = find_group(self.store, self.group)
        except WorkbenchError:  # removed in another window since its list was read
            self.leave_gone(f"Focus group {self.group}")
            return
        self.items = transcript(self.store, group.code, self.whose)
        chosen = self.where_ids(self.store)
        if chosen is not None:  # only those participants' comments
            self.items = [e for e in self.items if e.comment_id in chosen]
        cursor = next((i for i, e in enumerate(self.items) if e.ref == at), 0)
        uncoded = (
            "not agreed yet" if self.whose and self.whose.coder.kind == "agreed" else "not coded"
        )
        self.view.show(
            [(comment_text(e), margin(e, self.book, uncoded)) for e in self.items], cursor
        )
        self.refresh_bindings()
        done, codable = coded_count(self.items, self.book)
        self.sub_title = f"{self.store.project_info()['name']} · whole transcript"
        self.query_one("#transcript-title", Static).update(
            Text.assemble(
                (printable(f"{group.code} {group.name}"), "bold"),
                printable(
                    f" · {len(self.items)} comments, {codable} to code · codes: {self.whose_label()}"
                )
                + (f", {done}/{codable} coded" if self.whose else "")
                + self.where_label(),
            )
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "code":  # a facilitator's or observer's turn is context, never coded
            return self.current is not None and not self.current.excluded
        if action == "correct":  # the lead, on the agreed coding (never while coding blind)
            return (
                not self.blind
                and getattr(self.app, "role", None) in (None, "lead")
                and self.whose is not None
                and self.whose.coder.kind == "agreed"
                and self.current is not None
                and not self.current.excluded
            )
        if (
            action == "speaker"
        ):  # the lead's to fix: never shown in a coding session or to a served coder
            return (
                self.current is not None
                and not getattr(self.app, "coder", None)
                and getattr(self.app, "role", None) in (None, "lead")
            )
        return super().check_action(action, parameters)

    def action_correct(self) -> None:
        """Correct the agreed coding of this comment: its keys, then the rationale; recorded as a
        reconciliation decision (``reconcile.project.correct_agreed``)."""
        from workbench.ui.dialogs import Prompt

        entry = self.current
        if not self.check_action("correct", ()) or entry is None:
            return
        book = self.book = self.store.codebook()  # as it is now (edited since the view opened?)
        coding = entry.coding
        now = (
            " ".join(
                [
                    _typed(book.find_category(coding.category), coding.category),
                    *(_typed(book.find_theme(t), t) for t in coding.themes),
                ]
            )
            if coding and coding.category
            else ""
        )

        def coded(answer: str | None) -> None:
            if answer is None or not answer.strip():
                return
            try:
                coding = agreed_from_keys(answer, book)
            except (ValueError, CodingRuleError) as exc:
                self.notify(str(exc), severity="error")
                return
            if entry.coding:  # the agreed exemplar mark stays as it was
                coding = replace(coding, exemplar=entry.coding.exemplar)
            self.app.push_screen(
                Prompt(
                    f"Rationale for the agreed coding of {entry.ref}",
                    entry.rationale,
                    "why this coding",
                ),
                lambda why: self._correct(entry, coding, why) if why is not None else None,
            )

        self.app.push_screen(
            Prompt(
                f"Agreed coding of {entry.ref}: the category's key, then the themes' keys",
                now,
                "e.g. 2 a c",
            ),
            coded,
        )

    def _correct(self, entry: Entry, coding, rationale: str) -> None:
        from workbench.errors import WorkbenchError
        from workbench.reconcile.project import correct_agreed
        from workbench.store import default_actor

        try:
            correct_agreed(
                self.store,
                entry.comment_id,
                coding,
                rationale,
                getattr(self.app, "user", None) or default_actor(),
            )
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(
            f"{entry.ref}: agreed coding corrected (recorded as a reconciliation decision)."
        )
        self.load(entry.ref)

    def show_whose(self) -> None:
        self.load(self.current.ref if self.current else None)

    def action_move(self, delta: int) -> None:
        self.view.move_cursor(self.view.cursor + delta)

    def action_page(self, delta: int) -> None:
        self.view.page(delta)

    def action_edge(self, end: int) -> None:
        self.view.move_cursor(len(self.items) - 1 if end else 0)

    def action_group(self, delta: int) -> None:
        codes = [g.code for g in self.store.groups()]
        if len(codes) < 2:
            self.notify("This project has one focus group.")
            return
        current = next(
            (g.code for g in self.store.groups() if self.group in (g.code, g.name)), codes[0]
        )
        self.group = codes[(codes.index(current) + delta) % len(codes)]
        self.load()

    def action_speaker(self) -> None:
        from workbench.ui.speakers import fix_speaker

        entry = self.current
        if entry is not None:
            fix_speaker(self, self.store, self.group, entry.ref, lambda: self.load(entry.ref))

    def action_code(self) -> None:
        entry = self.current
        if entry is not None:
            code_comment(self, entry.ref, entry.excluded)
