"""The coding screen's suggestion pane: a model's category and themes for the comment shown.

Only for a coder who has switched suggestions on (``workbench suggest on``, or the
model screen): first-pass coding stays blind to the model. Then the newest model of
the project's codebook is loaded in a worker after the screen's first paint (loading
imports numpy and spaCy: ~0.5-1 s that a coder without suggestions never pays), and
the pane "Suggestion (model N)" shows the likeliest category and the suggested themes
with their probabilities. A suggestion takes well under a millisecond (median ~0.2 ms,
p95 ~0.7 ms on the demo), so it is computed on the UI thread when a comment is first
shown and kept per comment.

:class:`SuggestionPane` is a widget with its own inputs (the store, the codebook's names):
the screen tells it what it shows (:meth:`SuggestionPane.show`) and offers ``A`` only while
it shows a suggestion (``offered``: the pane refreshes the bindings when that changes); it
posts :class:`SuggestionAccepted` when asked to accept one, and the screen writes it
through :meth:`CodingSession.accept`: committed, marked as suggestion-accepted and audited
like any change (and undone by ``ctrl+z`` like any change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from workbench.coding.session import Coding
from workbench.errors import WorkbenchError
from workbench.ui import coding_panes as panes
from workbench.ui.coding_codes import redraw

if TYPE_CHECKING:
    from workbench.store import Store
    from workbench.suggest.model import Model, Suggestion

LOADING, READY, NO_MODEL, FAILED = "loading", "ready", "no model", "failed"


class SuggestionAccepted(Message):
    """The coder accepted the model's suggestion for ``comment_id`` (``note``: what the model
    said, for the audit trail)."""

    def __init__(self, comment_id: int, suggestion: Suggestion, note: str) -> None:
        super().__init__()
        self.comment_id, self.suggestion, self.note = comment_id, suggestion, note


class SuggestionPane(Static):
    """The model's suggestion for the comment the screen shows (``#suggestion``)."""

    def __init__(self, store: Store, names: dict[str, str]) -> None:
        """``names``: the codebook's names by key (categories and themes)."""
        super().__init__(id="suggestion")
        self.store, self.names = store, names
        self.model: Model | None = None
        self.state: str | None = None  # None: not started
        self.error = ""
        self.offered = False  # whether a suggestion is shown (``A`` accepts it)
        self._kept: dict[int, Suggestion] = {}
        self._shown: tuple[int | None, str | None, Coding | None] = (None, None, None)
        self._drawn: dict[str, tuple] = {}  # (content, shape) last drawn

    def start(self) -> None:
        """Load the model once the screen has painted."""
        self.state = LOADING
        self.border_title = "Suggestion"
        self.call_after_refresh(self._load_model)

    @work(thread=True, exclusive=True, group="model")
    def _load_model(self) -> None:
        from workbench.suggest.training import latest_model

        model, error = None, ""
        try:
            model = latest_model(self.store)
            if model is not None:
                model.suggest(
                    "warm up"
                )  # spaCy's tokenizer is built on first use: here, not on a key
        except WorkbenchError as exc:
            error = str(exc)
        if not get_current_worker().is_cancelled:  # the coder may have left the screen meanwhile
            self.app.call_from_thread(self._model_loaded, model, error)

    def _model_loaded(self, model: Model | None, error: str) -> None:
        self.model, self.error = model, error
        self.state = FAILED if error else READY if model is not None else NO_MODEL
        if error:
            self.notify(f"Suggestions are unavailable: {error}", severity="error")
        self._kept.clear()
        self.show(*self._shown)

    def suggestion(self) -> Suggestion | None:
        """The model's suggestion for the comment shown (None: none to show)."""
        comment_id, text, _coding = self._shown
        if self.state != READY or comment_id is None or self.model is None:
            return None
        found = self._kept.get(comment_id)
        if found is None:
            if text is None:
                comment = self.store.comment(comment_id)
                if comment is None:  # removed in another window: nothing to suggest for
                    return None
                text = comment.text
            found = self._kept[comment_id] = self.model.suggest(text)
        return found

    def show(self, comment_id: int | None, text: str | None, coding: Coding | None) -> None:
        """Draw the suggestion for the comment ``comment_id`` (its ``text``, if the screen has
        it) and its ``coding``."""
        self._shown = (comment_id, text, coding)
        if self.state is None:
            return
        s = self.suggestion()
        if (s is not None) != self.offered:  # the key bar offers A only with a suggestion
            self.offered = s is not None
            self.refresh_bindings()
        if s is None:
            key = (state_now, error) = (self.state, self.error)
            redraw(
                self,
                self._drawn,
                "suggestion",
                lambda: panes.suggestion_state(state_now, error),
                key,
                key,
            )
        else:
            state = panes.accepted_state(s, coding)
            self.border_title = f"Suggestion (model {s.model_id})"
            # Accepting changes the last line only: no new layout (the key's time to idle).
            redraw(
                self,
                self._drawn,
                "suggestion",
                lambda: panes.suggestion(s, self.names, state),
                (s.model_id, comment_id, state),
                (s.model_id, comment_id),
            )

    def accept(self) -> None:
        """Post :class:`SuggestionAccepted` for the suggestion shown (if one is)."""
        s, comment_id = self.suggestion(), self._shown[0]
        if s is None or comment_id is None:
            return
        note = f"model {s.model_id}: {s.category} p = {s.probability:.2f}" + (
            "; themes " + ", ".join(f"{t} p = {p:.2f}" for t, p in s.themes) if s.themes else ""
        )
        self.post_message(SuggestionAccepted(comment_id, s, note))

    def forget(self) -> None:
        """Comments were split or merged: their texts (and suggestions) changed."""
        self._kept.clear()
