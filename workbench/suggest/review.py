"""A second look at the agreed coding: the comments the cross-validated model contradicts.

Each comment is predicted by a model that never saw its focus group. It goes in a ranked
queue where that model gives another category than the agreed one a probability of at
least ``confidence``; or, on a behaviour comment, gives a theme the agreed coding lacks
at least ``confidence`` (and its threshold), or a theme the agreed coding has at most
``1 - confidence`` of that theme's threshold (a rare theme's probabilities are all low,
so its threshold, not 0.5, is the yardstick). Its rank is that confidence.
The queue is stored with the model it came from, and the reconciliation screen walks
it (``workbench reconcile PROJECT --review``): keep the agreed coding, or change it,
with a rationale, audited. Peers sell this as "find inconsistencies"; here it comes
with the probability behind each item.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.store import Store, default_actor
from workbench.suggest.training import cross_validation, require_model

CONFIDENCE = 0.8


@dataclass
class ReviewItem:
    comment_id: int
    ref: str
    confidence: float
    reason: str  # "category" or "themes"
    detail: str  # what the model says, in words
    suggestion: dict  # the model's held-out coding with probabilities, and the agreed one


def review(
    store: Store,
    confidence: float = CONFIDENCE,
    top: int | None = None,
    actor: str | None = None,
    progress=None,
) -> tuple[int, list[ReviewItem]]:
    """Rank the agreed codings the held-out model contradicts; store the queue for the
    newest model (its settings are reused); return (model id, items)."""
    if not 0.5 <= confidence < 1:
        raise WorkbenchError(f"--confidence {confidence}: give a probability from 0.5 to below 1")
    model = require_model(store)
    if model.info.get("trained_on") != "agreed":
        raise WorkbenchError(
            f"model {model.id} learnt {model.info.get('trained_on')!r}'s coding; the review "
            "looks at the agreed coding: train on it (`workbench suggest train PROJECT`)"
        )
    settings = model.info
    run = cross_validation(
        store,
        None,
        settings.get("by", "group"),
        settings.get("folds", 5),
        settings.get("seed", 1),
        settings.get("min_per_class", 5),
        progress,
        model.candidate,
    )
    data, pred, learn = run.data, run.predictions, run.prep.learn
    names = data.codebook.names
    cuts = dict(zip(learn.themes, pred.thresholds, strict=True))
    items = []
    for i, ref in enumerate(data.refs):
        agreed_cat, agreed_themes = data.categories[i], set(data.themes[i])
        model_cat, model_themes = pred.codings[i]
        cat_p = dict(zip(learn.categories, pred.category_p[i].tolist(), strict=True))
        theme_p = dict(zip(learn.themes, pred.theme_p[i].tolist(), strict=True))
        suggestion = {
            "category": model_cat,
            "category_p": cat_p[model_cat],
            "themes": [[t, theme_p[t]] for t in model_themes],
            "agreed": {"category": agreed_cat, "themes": list(data.themes[i])},
        }
        found = []
        if model_cat != agreed_cat and cat_p[model_cat] >= confidence:
            found.append(
                (
                    cat_p[model_cat],
                    "category",
                    f"{names[model_cat]} (p = {cat_p[model_cat]:.2f}), not {names[agreed_cat]}",
                )
            )
        elif data.codebook.takes_themes[agreed_cat]:
            for theme, p in theme_p.items():
                cut = cuts[theme]
                if p >= max(confidence, cut) and theme not in agreed_themes:
                    found.append((p, "themes", f"add {names[theme]} (p = {p:.2f})"))
                elif theme in agreed_themes and p <= (1 - confidence) * cut:
                    found.append(
                        (
                            1 - p / cut,
                            "themes",
                            f"drop {names[theme]} (p = {p:.2f}, threshold {cut:.2f})",
                        )
                    )
        if found:
            found.sort(key=lambda f: -f[0])
            items.append(
                ReviewItem(
                    data.comment_ids[i],
                    ref,
                    found[0][0],
                    found[0][1],
                    "; ".join(f[2] for f in found),
                    suggestion,
                )
            )
    items.sort(key=lambda item: (-item.confidence, item.ref))
    if top is not None:
        items = items[:top]
    actor = actor or default_actor()
    with store.transaction():
        store.replace_review(
            model.stored_id,
            [
                (
                    it.comment_id,
                    rank,
                    it.confidence,
                    it.detail,
                    {**it.suggestion, "reason": it.reason},
                )
                for rank, it in enumerate(items, start=1)
            ],
        )
        store.audit(
            "review",
            "model",
            str(model.id),
            actor=actor,
            after={"items": len(items), "confidence": confidence, "top": top},
        )
    return model.stored_id, items
