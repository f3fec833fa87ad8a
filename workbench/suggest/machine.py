"""The model as a coder: its coding written as the coding of a coder of kind ``model``.

Then every report made for people works on it: agreement with each coder or with the
agreed coding, frozen rounds, sheets, REFI-QDA export. A comment the model learnt from
gets its *cross-validated* coding (from a model that never saw its focus group), so
agreement with the coding it learnt from is not inflated; a comment not yet coded gets
the final model's coding. A model coder is never shown to a person coding blind (the
coding screen shows only one's own codings), and the name cannot be a person's.
"""

from __future__ import annotations

from workbench.coding.coder import validate_name
from workbench.coding.session import Coding, codings_by_comment, write_coding
from workbench.errors import CodingRuleError, WorkbenchError
from workbench.store import Store, default_actor
from workbench.store.coding_records import Coder
from workbench.suggest.training import cross_validation, require_model


def model_coder_name(store: Store, name: str) -> tuple[str, Coder | None]:
    """The model coder's name as stored and its row (None: new); refuses a person's name."""
    existing = store.coder_named(name.strip())
    name = existing.name if existing else validate_name(name, [c.name for c in store.coders()])
    if existing is not None and existing.kind != "model":
        raise WorkbenchError(
            f"--as {name!r} is a {existing.kind} of this project; name the model coder "
            "something else (e.g. --as model)"
        )
    return name, existing


def ensure_model_coder(store: Store, name: str, existing: Coder | None, actor: str) -> Coder:
    """The model coder's row, created and audited if new (call inside a transaction)."""
    if existing is not None:
        return existing
    coder = store.add_coder(name, "model")
    store.audit("create", "coder", name, actor=actor, after={"name": name, "kind": "model"})
    return coder


def code_as_model(
    store: Store, name: str = "model", actor: str | None = None, progress=None
) -> dict:
    """Write the newest model's coding of every codable comment as coder ``name``; a summary."""
    name, existing = model_coder_name(store, name)
    model = require_model(store)
    info = model.info
    run = cross_validation(
        store,
        None if info.get("trained_on") == "agreed" else info.get("trained_on"),
        info.get("by", "group"),
        info.get("folds", 5),
        info.get("seed", 1),
        info.get("min_per_class", 5),
        progress,
        model.candidate,
    )
    held_out = dict(zip(run.data.comment_ids, run.predictions.codings, strict=True))
    rows = store.coded_comments(None)  # every codable comment, in reading order
    fresh = [r for r in rows if r["id"] not in held_out]
    final = _predict(model, [r["text"] for r in fresh])
    codings = {**held_out, **dict(zip((r["id"] for r in fresh), final, strict=True))}
    actor = actor or default_actor()
    with store.transaction():
        coder = ensure_model_coder(store, name, existing, actor)
        before = codings_by_comment(store, coder.id)
        book = store.codebook()
        for row in rows:
            category, themes = codings[row["id"]]
            note = (
                f"model {model.id}, cross-validated (its group held out)"
                if row["id"] in held_out
                else f"model {model.id}"
            )
            was = before.get(row["id"], Coding())
            after = model_coding(book, model.stored_id, row["ref"], was, category, themes)
            write_coding(
                store, coder, row["id"], row["ref"], was, after, "code", actor=actor, note=note
            )
    return {
        "coder": name,
        "model": model.id,
        "comments": len(rows),
        "cross_validated": len(held_out),
        "predicted": len(fresh),
    }


def model_coding(
    book, model_id: int, ref: str, was: Coding, category: str | None, themes
) -> Coding:
    """A model's coding of ``ref`` as the codebook's one rule allows it (``Codebook.check``;
    themes in codebook order); a model whose codes the codebook no longer allows is refused,
    nothing written."""
    coding = Coding(category, book.ordered(themes))
    try:
        book.check(coding, was)
    except CodingRuleError as exc:
        raise CodingRuleError(
            f"model {model_id}'s coding of {ref}: {exc}; train the model again "
            "(nothing was written)"
        ) from None
    return coding


def _predict(model, texts: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    if not texts:
        return []
    out = []
    for text in texts:
        suggestion = model.suggest(text)
        out.append((suggestion.category, tuple(t for t, _ in suggestion.themes)))
    return out
