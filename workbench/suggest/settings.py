"""Who sees suggestions, and what a project holds of machine-assisted coding.

Suggestions are off for every coder until switched on for that coder: first-pass
coding stays blind to the model, as it is to the other coders. Switching is audited,
and every coding a coder takes from a suggestion stays marked as such.
"""

from __future__ import annotations

from workbench.coding.coder import NewCoderName, check_new, ensure_coder, near_note
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.store import Store, default_actor


def set_suggestions(
    store: Store, coder: str, on: bool, actor: str | None = None, new: bool = False
) -> str:
    """Switch the coding screen's suggestions on or off for ``coder``; a sentence saying so.
    A name the project has not seen is refused naming its coders (a typo would switch them on
    for nobody), unless ``new`` (on, for a coder who has not started yet)."""
    try:
        coder, _ = check_new(store, coder, new and on)
    except NewCoderName as exc:
        names = ", ".join(exc.coders) or "none yet"
        then = "; to switch them on for a coder who has not started yet, add --new" if on else ""
        raise WorkbenchError(
            f"--coder {exc.name!r}: no such coder (coders: {names}){near_note(exc.name, exc.near)}"
            + then
        ) from None
    found = ensure_coder(store, coder, actor)
    if found.suggestions == on:
        return f"Suggestions were already {'on' if on else 'off'} for {found.name}."
    with store.transaction():
        store.set_suggestions(found.id, on)
        store.audit(
            "suggestions",
            "coder",
            found.name,
            actor=actor or default_actor(),
            before={"suggestions": not on},
            after={"suggestions": on},
        )
    if not on:
        return f"Suggestions off for {found.name}."
    warning = "" if store.models() else " (no model yet: `workbench suggest train PROJECT`)"
    return (
        f"Suggestions on for {found.name}{warning}. Codings taken from a suggestion are marked, and "
        "`workbench agreement --suggested exclude|separate` keeps them apart."
    )


def status(store: Store) -> dict:
    current = active_codebook(store)["sha256"]
    return {
        "models": [{**m, "current": m["codebook_sha256"] == current} for m in store.models()],
        "suggestions": [c.name for c in store.coders() if c.suggestions],
        "accepted": store.suggestion_accepted_counts(),
    }
