"""Pre-coding: the model codes only the uncoded comments it is sure of; people code the rest.

``workbench suggest precode PROJECT --target-kappa .8``: the newest model (trained on the
agreed coding) codes, as a coder of kind ``model``, each comment that no person has coded
and that has no agreed coding, where its confidence reaches the bar chosen for the target
kappa (:mod:`workbench.suggest.coverage`: the least sure of its decisions, the category's
and, on a comment whose category takes themes, every theme's). The bar and its
cross-validated kappa were computed when the model was trained (nested cross-validation:
the bar chosen on training folds, judged on held-out ones), so nothing is re-learnt here.
Refused, with the curve's numbers, when no bar reaches the target on this project's data, or when
the honest figure (the bar chosen on training folds, judged on held-out ones) falls short of it
on at least ``coverage.MIN_CODED`` comments.

The pre-codes are a model coder's codings, never a person's: a blind coder never sees
them (a coder sees only their own codings), people's progress leaves model coders out,
and the default agreement report is between people. Each run is stored
(``precode_runs``) with what the methods paragraph states, and its pre-codes go in the
model's pre-code review queue, walked like the review queue (``workbench reconcile
PROJECT --review --precodes``): keep (the pre-code becomes the agreed coding, marked as
the model's), return the comment to people, or code it with the coding keys; audited.
"""

from __future__ import annotations

from workbench.coding.session import Coding, codings_by_comment, write_coding
from workbench.errors import WorkbenchError
from workbench.store import Store, default_actor
from workbench.suggest.coverage import MIN_CODED
from workbench.suggest.machine import ensure_model_coder, model_coder_name, model_coding
from workbench.suggest.training import require_model


def _coded_by_people(store: Store) -> set[int]:
    """Comments a person (or the agreed coding) has coded."""
    people = [c for c in store.coders() if c.kind in ("coder", "agreed")]
    return {cid for c in people for cid in store.codings_of(c.id)}


def _kappa(value) -> str:
    return "-" if value is None else f"{value:.3f}".replace("0.", ".", 1)


def _curve_numbers(model) -> str:
    curve = model.info.get("curve") or []
    return "; ".join(
        f"p ≥ {row['bar']:.2f}".replace("0.", ".", 1)
        + f": {row['share']:.0%} coded, κ "
        + ("-" if row["kappa"] is None else f"{row['kappa']:.3f}".replace("0.", ".", 1))
        for row in curve
    )


def precode(
    store: Store, target: float = 0.80, name: str = "model", actor: str | None = None
) -> dict:
    """Pre-code the uncoded comments above the bar for ``target``; a summary of the run."""
    if not 0.5 <= target <= 0.95 or round(target, 2) != target:
        raise WorkbenchError(
            f"--target-kappa {target}: give a kappa from .50 to .95 in steps of .01"
        )
    model = require_model(store)
    if model.info.get("trained_on") != "agreed":
        raise WorkbenchError(
            f"model {model.id} learnt {model.info.get('trained_on')!r}'s coding; pre-codes "
            "stand in for the agreed coding: train on it (`workbench suggest train PROJECT`)"
        )
    key = f"{round(target, 2):.2f}"
    bars = model.info.get("bars")
    if not bars:
        raise WorkbenchError(
            f"model {model.id} was trained before pre-coding existed: train it again "
            "(`workbench suggest train PROJECT`)"
        )
    found = bars[key]
    honest = (
        found["kappa"] is not None
        and found["coded"] >= MIN_CODED
        and found["kappa"] >= target - 1e-12
    )
    if found["bar"] is None or not honest:
        checked = (
            ""
            if found["bar"] is None
            else f"; with the bar chosen on training folds, cross-validation coded {found['coded']} "
            f"held-out comment(s) at κ = {_kappa(found['kappa'])}, short of the target on at least "
            f"{MIN_CODED}"
        )
        raise WorkbenchError(
            f"no confidence bar reaches category κ ≥ {key.lstrip('0')} on this project's held-out "
            f"predictions (model {model.id}: {_curve_numbers(model)}{checked}); nothing pre-coded. "
            "Code more comments and train again, or choose a lower --target-kappa"
        )
    name, existing = model_coder_name(store, name)
    coded = _coded_by_people(store)
    rows = [
        r for r in store.coded_comments(None) if r["id"] not in coded
    ]  # codable, in reading order
    bar = found["bar"]
    chosen = []
    for row in rows:
        s = model.suggest(row["text"])
        if s.confidence >= bar:
            chosen.append((row, s))
    codable = len(store.coded_comments(None))
    summary = {
        "model": model.id,
        "coder": name,
        "target": round(target, 2),
        "bar": bar,
        "precoded": len(chosen),
        "uncoded": len(rows),
        "codable": codable,
        "cv_kappa": found["kappa"],
        "cv_share": found["share"],
        "fold_bars": found["fold_bars"],
        "kappa_at_bar": next(
            (r["kappa"] for r in model.info.get("curve", []) if r["bar"] == bar), None
        ),
        "candidate": model.candidate,
        "by": model.info.get("by", "group"),
    }
    actor = actor or default_actor()
    with store.transaction():
        # Someone may have coded a comment while the model read them: never pre-code it.
        coded = _coded_by_people(store)
        chosen = [(row, s) for row, s in chosen if row["id"] not in coded]
        summary["precoded"] = len(chosen)
        coder = ensure_model_coder(store, name, existing, actor)
        before = codings_by_comment(store, coder.id)
        book = store.codebook()
        items = []
        for rank, (row, s) in enumerate(sorted(chosen, key=lambda c: -c[1].confidence), start=1):
            was = before.get(row["id"], Coding())
            write_coding(
                store,
                coder,
                row["id"],
                row["ref"],
                was,
                model_coding(
                    book, model.stored_id, row["ref"], was, s.category, (t for t, _ in s.themes)
                ),
                "precode",
                actor=actor,
                note=f"model {model.id} at p ≥ {bar:.2f} (target κ {key}): {s.category} "
                f"p = {s.probability:.2f}, least sure decision {s.confidence:.2f}",
            )
            items.append(
                (
                    row["id"],
                    rank,
                    s.confidence,
                    "pre-coded",
                    {
                        "category": s.category,
                        "category_p": s.probability,
                        "themes": [[t, p] for t, p in s.themes],
                        "agreed": None,
                        "reason": "precode",
                    },
                )
            )
        store.replace_review(model.stored_id, items, queue="precode")
        run = store.add_precode_run(
            model.stored_id, coder.id, actor, round(target, 2), bar, summary
        )
        store.audit("precode", "model", str(model.id), actor=actor, after={**summary, "run": run})
    return {**summary, "run": run}
