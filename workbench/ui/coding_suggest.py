"""The coding screen's suggestions: a model's category and themes for the comment shown.

Only for a coder who has switched suggestions on (``workbench suggest on``, or the
model screen): first-pass coding stays blind to the model. Then the newest model of
the project's codebook is loaded in a worker after the screen's first paint (loading
imports numpy and spaCy: ~0.5-1 s that a coder without suggestions never pays), and
the pane "Suggestion (model N)" shows the likeliest category and the suggested themes
with their probabilities. A suggestion takes well under a millisecond (median ~0.2 ms,
p95 ~0.7 ms on the demo), so it is computed on the UI thread when a comment is first
shown and kept per comment. ``A`` accepts it through :meth:`CodingSession.accept`:
committed, marked as suggestion-accepted and audited like any change (and undone by
``ctrl+z`` like any change).
"""

from __future__ import annotations

from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from workbench.errors import WorkbenchError
from workbench.ui import coding_panes as panes

LOADING, READY, NO_MODEL, FAILED = "loading", "ready", "no model", "failed"


class Suggestions:
    """Mixed into :class:`~workbench.ui.coding.CodingScreen` (its session, store, worklist)."""

    model = None
    _model_state: str | None = None  # None: suggestions are off for this coder
    _model_error = ""
    _accept_shown = False

    @property
    def suggesting(self) -> bool:
        return bool(self.session.suggestions)

    def start_suggestions(self) -> None:
        """Load the model once the screen has painted (only where suggestions are on)."""
        self._suggestions: dict[int, object] = {}
        if self.suggesting:
            self._model_state = LOADING
            self._names = {**{c["key"]: c["name"] for c in self.categories},
                           **{t["key"]: t["name"] for t in self.themes}}
            self.query_one("#suggestion", Static).border_title = "Suggestion"
            self.call_after_refresh(self._load_model)

    @work(thread=True, exclusive=True, group="model")
    def _load_model(self) -> None:
        from workbench.suggest.training import latest_model

        model, error = None, ""
        try:
            model = latest_model(self.store)
            if model is not None:
                model.suggest("warm up")  # spaCy's tokenizer is built on first use: here, not on a key
        except WorkbenchError as exc:
            error = str(exc)
        if not get_current_worker().is_cancelled:  # the coder may have left the screen meanwhile
            self.app.call_from_thread(self._model_loaded, model, error)

    def _model_loaded(self, model, error: str) -> None:
        self.model, self._model_error = model, error
        self._model_state = FAILED if error else READY if model is not None else NO_MODEL
        if error:
            self.notify(f"Suggestions are unavailable: {error}", severity="error")
        self._suggestions.clear()
        current = self.worklist.current if self.worklist is not None else None
        self.draw_suggestion(self.worklist.coding(current) if current is not None else None)

    def suggestion(self):
        """The model's suggestion for the comment shown (None: none to show)."""
        current = self.worklist.current if self.worklist is not None else None
        if self._model_state != READY or current is None:
            return None
        found = self._suggestions.get(current)
        if found is None:
            me = getattr(self, "_me", None)
            text = me["text"] if me and me["id"] == current else self.store.comment(current)["text"]
            found = self._suggestions[current] = self.model.suggest(text)
        return found

    def draw_suggestion(self, coding) -> None:
        """Redraw the suggestion pane for the comment shown and its coding."""
        if self._model_state is None:
            return
        s = self.suggestion()
        if (s is not None) != self._accept_shown:  # the key bar offers A only with a suggestion
            self._accept_shown = s is not None
            self.refresh_bindings()
        pane = self.query_one("#suggestion", Static)
        if s is None:
            key = (self._model_state, self._model_error)
            self._show("#suggestion", lambda: panes.suggestion_state(self._model_state, self._model_error), key, key)
        else:
            state = panes.accepted_state(s, coding)
            pane.border_title = f"Suggestion (model {s.model_id})"
            # Accepting changes the last line only: no new layout (the key's time to idle).
            self._show("#suggestion", lambda: panes.suggestion(s, self._names, state),
                       (s.model_id, self.worklist.current, state), (s.model_id, self.worklist.current))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """``A`` is offered (and the key bar shows it) only while a suggestion is shown."""
        if action == "accept":
            return self._accept_shown
        return True

    def action_accept(self) -> None:
        s = self.suggestion()
        if s is None:
            return
        themes = tuple(t for t, _p in s.themes)
        note = f"model {s.model_id}: {s.category} p = {s.probability:.2f}" + (
            "; themes " + ", ".join(f"{t} p = {p:.2f}" for t, p in s.themes) if s.themes else "")
        self._change(self.session.accept, s.category, themes, s.model_id, note=note)

    def forget_suggestions(self) -> None:
        """Comments were split or merged: their texts (and suggestions) changed."""
        self._suggestions.clear()
