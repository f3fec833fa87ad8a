"""How good the suggestions are, in the terms a methods section cites.

``workbench suggest evaluate``: the held-out coding of the nested grouped
cross-validation (:mod:`workbench.suggest.nested`: the model kind chosen inside the
training folds, folds by focus group or transcript) against the coding it learns from,
reported with the same statistics as two people's agreement
(:func:`workbench.suggest.training.agreement`), plus which model the data chose and by
how much, precision, recall and F1 per category and theme, the coverage-agreement curve
and the bar for a target kappa (:mod:`workbench.suggest.coverage`), a learning curve
(the whole procedure at 100, 300, 1,000... training comments), the categories and themes
too rare to learn, and the people's own agreement beside the model's, with the model as
a further coder beside each person where more than two people coded.
"""

from __future__ import annotations

import numpy as np

from workbench.store import Store
from workbench.suggest import classifier as clf
from workbench.suggest import coverage as cov
from workbench.suggest import crossval as cv
from workbench.suggest import nested as nest
from workbench.suggest.candidates import available
from workbench.suggest.data import MIN_PER_CLASS, unit_of
from workbench.suggest.training import (
    FOLDS,
    SEED,
    Run,
    agreement,
    cross_validation,
    headline,
    model_codings,
    selection,
)

CURVE = (100, 300, 1000)  # training comments (numbers below 1: shares of a fold)
FALLBACK_SHARES = (0.25, 0.5)  # where no size above is below the training folds' size
SCORED_PER_FOLD = 4000  # held-out comments per fold a learning-curve model is judged on


@cv.one_blas_thread
def evaluate(
    store: Store,
    coder: str | None = None,
    by: str = "group",
    folds: int = FOLDS,
    seed: int = SEED,
    minimum: int = MIN_PER_CLASS,
    bootstrap: int = 1000,
    curve: tuple[float, ...] = CURVE,
    progress=None,
    target: float = cov.TARGET,
) -> dict:
    """The evaluation report (JSON-able)."""
    steps = 2 + len(curve)
    tick = (
        (lambda stage: lambda done, total: progress(stage * total + done, steps * total))
        if progress
        else None
    )
    run = cross_validation(store, coder, by, folds, seed, minimum, tick(0) if tick else None)
    report = agreement(run, bootstrap)
    data, book = run.data, run.data.codebook
    learn = run.prep.learn
    return {
        "trained_on": data.source,
        "comments": len(data),
        "settings": run.settings,
        "learned": {"categories": learn.categories, "themes": learn.themes},
        "too_few": [
            {"key": k, "name": book.names[k], "coded": n, "minimum": learn.minimum}
            for k, n in learn.too_few.items()
        ],
        "headline": headline(report),
        "selection": selection(run.nested),
        "agreement": report,
        "classification": classification(run),
        "coverage": {
            "target": target,
            "bars": cov.curve(run.prep, run.predictions, bootstrap, seed),
            "chosen": cov.cross_fitted_bar(run.prep, run.nested, target),
        },
        "learning_curve": learning_curve(run, curve, tick, target),
        "people": people(store, data.source),
        "beside_each_coder": beside_each_coder(store, run),
        "thresholds": dict(zip(learn.themes, map(float, run.predictions.thresholds), strict=True)),
        "method": METHOD,
    }


METHOD = (
    "Nested grouped cross-validation: each comment is coded by a model trained without its focus "
    "group (or transcript). Inside the training folds only, the candidate models are "
    "cross-validated and the one with the higher category kappa is kept; features (TF-IDF of "
    "words, word pairs and character n-grams) and weights come from the training folds only; "
    "theme thresholds for a fold maximise F1 on the other folds' held-out predictions; the "
    "confidence bar for a target kappa is chosen on the training folds' predictions and judged "
    "on the held-out fold. Agreement statistics are those reported for the coders."
)


def _prf(predicted: np.ndarray, truth: np.ndarray) -> dict:
    tp = int((predicted & truth).sum())
    p, t = int(predicted.sum()), int(truth.sum())
    precision = tp / p if p else None
    recall = tp / t if t else None
    f1 = 2 * tp / (p + t) if p + t else None
    return {"precision": precision, "recall": recall, "f1": f1, "support": t, "predicted": p}


def classification(run: Run) -> dict:
    """Precision, recall and F1 per category (all comments) and per theme (on the comments
    whose coded category takes themes, the themes the model would give them)."""
    data, pred, learn = run.data, run.predictions, run.prep.learn
    truth_cat = np.array(data.categories)
    model_cat = np.array([c for c, _ in pred.codings])
    categories = [
        {"key": c, "name": data.codebook.names[c], **_prf(model_cat == c, truth_cat == c)}
        for c in data.codebook.categories
    ]
    rows = run.prep.theme_rows
    themes = []
    for key in data.codebook.themes:
        truth = np.array([key in t for t in data.themes])[rows]
        if key in learn.themes:
            k = learn.themes.index(key)
            predicted = np.zeros(len(data), bool)
            for fold in range(len(run.splits)):  # the fold's own cross-fitted cut-off
                mine, others = pred.fold == fold, rows & (pred.fold != fold)
                cut = clf.choose_thresholds(
                    pred.theme_p[others][:, [k]], run.prep.theme_truth[others][:, [k]]
                )
                predicted[mine] = pred.theme_p[mine, k] >= cut[0]
            stats = _prf(predicted[rows], truth)
        else:
            stats = _prf(np.zeros(int(rows.sum()), bool), truth)
        themes.append(
            {"key": key, "name": data.codebook.names[key], "learned": key in learn.themes, **stats}
        )
    return {"categories": categories, "themes": themes, "theme_comments": int(rows.sum())}


def curve_points(run: Run, curve: tuple[float, ...]) -> list[int]:
    """Training sizes for the learning curve: the sizes below the smallest training fold, or
    (none being) the fallback shares of it; shares given as such are taken as asked."""
    smallest = min(len(train) for train, _ in run.splits)
    sizes = [int(c) for c in curve if c >= 1 and int(c) < smallest]
    shares = [c for c in curve if c < 1] or ([] if sizes or not curve else list(FALLBACK_SHARES))
    sizes += [max(2, int(round(share * smallest))) for share in shares]
    return sorted(set(sizes))


def _scored(run: Run, seed: int) -> tuple:
    """(prepared, splits, units) for the learning curve's smaller models: at most
    ``SCORED_PER_FOLD`` comments of each fold (a seeded random share) are predicted and drawn
    from, so a model of 100 comments is not asked about 20,000 (its kappa is as unbiased)."""
    rng = np.random.default_rng(seed)
    held = [
        np.sort(rng.choice(test, SCORED_PER_FOLD, replace=False))
        if len(test) > SCORED_PER_FOLD
        else np.sort(test)
        for _, test in run.splits
    ]
    if sum(map(len, held)) == run.prep.n:
        return run.prep, run.splits, unit_of(run.data, run.by)
    rows = np.concatenate(held)
    fold = np.concatenate([np.full(len(h), k) for k, h in enumerate(held)])
    splits = [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(len(held))]
    prep = cv.subset(run.prep, rows)
    return prep, splits, unit_of(prep.data, run.by)


def learning_curve(
    run: Run, curve: tuple[float, ...], tick=None, target: float = cov.TARGET
) -> list[dict]:
    """The whole procedure (compare, choose, fit) with that many training comments per fold
    (the held-out folds unchanged, or a share of them on a large project: see ``_scored``):
    agreement, the models chosen, coverage at the target."""
    from workbench.agreement.report import agreement_report

    book = run.data.codebook
    smallest = min(len(train) for train, _ in run.splits)
    out = []
    points = curve_points(run, curve)
    scored = _scored(run, run.seed + 11) if points else None
    for stage, size in enumerate([*points, None], start=1):
        if size is None:
            prep, found = run.prep, run.nested
        else:
            assert scored is not None  # made whenever there are curve points
            prep, splits, units = scored
            found = nest.nested_cv(
                prep,
                splits,
                units,
                run.seed + 7,
                available(),
                size=size,
                progress=tick(stage) if tick else None,
            )
        assert found is not None  # an evaluation's run is the nested comparison's
        data, truth = prep.data, prep.data.codings()
        pred = found.predictions
        codings = {
            ref: (c, frozenset(t)) for ref, (c, t) in zip(data.refs, pred.codings, strict=True)
        }
        report = agreement_report(
            {"model": codings, data.source: truth},
            book.categories,
            [c for c in book.categories if book.takes_themes[c]],
            book.effective,
            book.ineffective,
            book.themes,
            bootstrap=0,
        )
        line = headline(report.as_dict())
        bar = cov.cross_fitted_bar(prep, found, target)
        out.append(
            {
                "share": 1.0 if size is None else round(size / smallest, 4),
                "size": size,
                "held_out_comments": prep.n,
                "training_comments": round(float(np.mean(pred.training_sizes)), 1),
                **{k: (v["value"] if isinstance(v, dict) else v) for k, v in line.items()},
                "chosen": {c.key: found.chosen.count(c.key) for c in found.candidates},
                "coded_at_target": bar["share"],
                "kappa_at_target": bar["kappa"],
            }
        )
    return out


def people(store: Store, source: str) -> dict | None:
    """The coders' own agreement to set beside the model's: the first frozen round (before
    reconciliation) if there is one, else the two human coders' agreement now."""
    rounds = store.rounds()
    if rounds:
        first = rounds[0]
        label = (
            first["label"]
            if first["label"].startswith("round")
            else f"round {first['number']}: {first['label']}"
        )
        report, where = first["report"], f"frozen {label}"
    else:
        humans = [c.name for c in store.coders() if c.kind == "coder" and c.name != source]
        if len(humans) < 2:
            return None
        from workbench.agreement.reliability import project_agreement

        report, where = project_agreement(store, humans[:2]).as_dict(), "the coders' codings now"
    return {"coders": report["pairs"][0]["coders"], "source": where, **headline(report)}


def beside_each_coder(store: Store, run: Run) -> dict | None:
    """Where more than two people coded: the model's category kappa with each of them (its
    held-out coding, on the comments both coded) next to their kappas with each other."""
    from itertools import combinations

    from workbench.agreement.estimate import to_jsonable
    from workbench.agreement.kappa import cohen_kappa
    from workbench.agreement.reliability import codings

    humans = [c.name for c in store.coders() if c.kind == "coder"]
    coded, _ = codings(store, humans)
    humans = [h for h in humans if coded[h]]
    if len(humans) < 3:
        return None
    model = {ref: c for ref, (c, _t) in model_codings(run).items()}
    cats = {h: {ref: c for ref, (c, _t) in coded[h].items()} for h in humans}

    def pair(a: dict, b: dict) -> dict:
        units = sorted(set(a) & set(b))
        if not units:
            return {"n": 0, "kappa": None}
        estimate = cohen_kappa(
            [[a[u] for u in units], [b[u] for u in units]], run.data.codebook.categories
        )
        return {"n": len(units), "kappa": to_jsonable(estimate)}

    return {
        "coders": humans,
        "model": {h: pair(model, cats[h]) for h in humans},
        "people": [
            {"coders": [a, b], **pair(cats[a], cats[b])} for a, b in combinations(humans, 2)
        ],
    }
