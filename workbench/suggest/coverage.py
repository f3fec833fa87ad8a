"""The coverage-agreement curve: what the model would code at each confidence bar, and how well.

Schonlau and Couper's semi-automatic coding: the model codes the comments it is sure of
and people code the rest. For bars from .50 to .95, from the held-out predictions of the
nested cross-validation, the share of comments the model would code and its agreement
with the coding on those comments, per layer:

* **category**: a comment is coded when its likeliest category's probability reaches the
  bar; Cohen's kappa, Krippendorff's alpha and Gwet's AC1 with CIs, and accuracy;
* **themes**: a comment whose coded category takes themes is coded when its category
  clears the bar and so does *every* theme decision on it (a theme given: its
  probability; a theme not given: one minus it); pooled kappa, MASI alpha, exact-set
  accuracy.

The bar a team would pick for a target category kappa (:func:`cross_fitted_bar`) is the
lowest bar whose kappa reaches the target on the *training folds'* predictions (the inner
held-out predictions of each outer fold's chosen model); it is then applied to that
fold's held-out comments, so the kappa reported for it is not flattered by the choice.
The bar the stored model uses is chosen the same way on every held-out prediction.
"""

from __future__ import annotations

import numpy as np

from workbench.suggest.nested import kappa

BARS = tuple(round(0.50 + 0.05 * i, 2) for i in range(10))
TARGET = 0.80
MIN_CODED = 10  # a bar must code at least this many comments to be chosen


def confidence(category_p: np.ndarray) -> np.ndarray:
    return category_p.max(axis=1) if category_p.shape[1] else np.zeros(len(category_p))


def bar_kappas(
    conf: np.ndarray, truth: np.ndarray, predicted: np.ndarray, k: int, bars=BARS
) -> list:
    """Per bar, (comments coded, their category kappa or None)."""
    return [
        (int((conf >= bar).sum()), kappa(truth[conf >= bar], predicted[conf >= bar], k))
        for bar in bars
    ]


def choose_bar(found: list, target: float, bars=BARS) -> float | None:
    """The lowest bar (the most comments coded) whose category kappa reaches ``target``,
    from :func:`bar_kappas`; None where none does on at least ``MIN_CODED`` comments."""
    for bar, (n, value) in zip(bars, found, strict=True):
        if n >= MIN_CODED and value is not None and value >= target - 1e-12:
            return bar
    return None


def _codes(truth: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    return np.stack([np.where(truth < 0, k, truth), predicted]).astype(np.int64)


def category_stats(
    truth: np.ndarray, predicted: np.ndarray, labels: list[str], bootstrap: int, seed: int
) -> dict:
    """Kappa, alpha, AC1 (with CIs) and accuracy of the model's categories against the coding."""
    from workbench.agreement.estimate import to_jsonable
    from workbench.agreement.polarity import two_coder_nominal

    if len(truth) == 0:
        return {"n": 0, "kappa": None, "alpha": None, "ac1": None, "accuracy": None}
    rng = np.random.default_rng(seed) if bootstrap else None
    # A category too rare to learn is still a value of the coding (q counts it), never predicted.
    values = [*labels, "(not learnt)"] if (truth < 0).any() else list(labels)
    stats = two_coder_nominal(_codes(truth, predicted, len(labels)), values, bootstrap, rng, ())
    return to_jsonable(
        {
            "n": len(truth),
            "kappa": stats.cohen_kappa,
            "alpha": stats.krippendorff_alpha,
            "ac1": stats.gwet_ac1,
            "accuracy": float((np.where(truth < 0, -2, truth) == predicted).mean()),
        }
    )


def theme_confidence(theme_p: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Per comment, the least sure of its theme decisions (1 where no theme is learnt)."""
    if theme_p.shape[1] == 0:
        return np.ones(len(theme_p))
    return np.where(given, theme_p, 1 - theme_p).min(axis=1)


def curve(prep, predictions, bootstrap: int = 1000, seed: int = 1, bars=BARS) -> list[dict]:
    """Per bar, per layer: comments coded, share, agreement on them (see the module)."""
    from workbench.agreement.estimate import to_jsonable
    from workbench.agreement.themes import theme_agreement

    learn, data = prep.learn, prep.data
    truth = prep.category_index
    predicted = predictions.category_p.argmax(axis=1)
    conf = confidence(predictions.category_p)
    given = np.array(
        [[t in themes for t in learn.themes] for _, themes in predictions.codings], dtype=bool
    ).reshape(prep.n, len(learn.themes))
    both = np.minimum(conf, theme_confidence(predictions.theme_p, given))
    rows = prep.theme_rows
    model_sets = [frozenset(themes) for _, themes in predictions.codings]
    true_sets = [frozenset(t) for t in data.themes]
    out = []
    for i, bar in enumerate(bars):
        coded = conf >= bar
        cat = category_stats(truth[coded], predicted[coded], learn.categories, bootstrap, seed + i)
        themed = rows & (both >= bar)
        index = np.flatnonzero(themed)
        layer = {
            "n": int(len(index)),
            "share": float(len(index) / rows.sum()) if rows.any() else None,
            "pooled_kappa": None,
            "masi_alpha": None,
            "accuracy": None,
        }
        if len(index) and data.codebook.themes:
            found = theme_agreement(
                [true_sets[j] for j in index],
                [model_sets[j] for j in index],
                data.codebook.themes,
                bootstrap=bootstrap,
                seed=seed + 100 + i,
            )
            layer.update(
                to_jsonable({"pooled_kappa": found.pooled_kappa, "masi_alpha": found.masi_alpha})
            )
            layer["accuracy"] = float(np.mean([true_sets[j] == model_sets[j] for j in index]))
        out.append(
            {
                "bar": bar,
                "category": {**cat, "share": float(coded.mean()) if prep.n else None},
                "themes": layer,
            }
        )
    return out


def cross_fitted_bars(prep, nested, targets_: list[float], bars=BARS) -> dict[str, dict]:
    """Per target: the bar chosen per outer fold on its training folds' predictions (the inner
    held-out ones), judged on its held-out fold; and the bar chosen on every held-out
    prediction, which the model keeps. Keys are the targets as "0.80"."""
    pred = nested.predictions
    k = len(prep.learn.categories)
    truth = prep.category_index
    conf, predicted = confidence(pred.category_p), pred.category_p.argmax(axis=1)
    inner = [
        bar_kappas(confidence(i.category_p), truth[i.rows], i.category_p.argmax(axis=1), k, bars)
        for i in nested.inner
    ]
    overall = bar_kappas(conf, truth, predicted, k, bars)
    out = {}
    for target in targets_:
        coded = np.zeros(prep.n, dtype=bool)
        fold_bars = [choose_bar(found, target, bars) for found in inner]
        for fold, bar in enumerate(fold_bars):
            mine = pred.fold == fold
            if bar is not None:
                coded[mine] = conf[mine] >= bar
        value = kappa(truth[coded], predicted[coded], k)
        out[f"{target:.2f}"] = {
            "target": target,
            "fold_bars": fold_bars,
            "coded": int(coded.sum()),
            "share": float(coded.mean()) if prep.n else 0.0,
            "kappa": value,
            "accuracy": float((truth[coded] == predicted[coded]).mean()) if coded.any() else None,
            "bar": choose_bar(overall, target, bars),
        }
    return out


def cross_fitted_bar(prep, nested, target: float = TARGET, bars=BARS) -> dict:
    """:func:`cross_fitted_bars` for one target."""
    return cross_fitted_bars(prep, nested, [target], bars)[f"{target:.2f}"]


def targets(prep, nested, bars=BARS) -> dict[str, dict]:
    """:func:`cross_fitted_bars` for every target from .50 to .95 by .01 (what a model stores,
    so ``suggest precode --target-kappa`` needs no new cross-validation)."""
    return cross_fitted_bars(prep, nested, [t / 100 for t in range(50, 96)], bars)


def compact(prep, predictions, bars=BARS) -> list[dict]:
    """Per bar, the share coded and its category kappa on every held-out prediction (stored with
    a model: a refusal to pre-code quotes it)."""
    conf = confidence(predictions.category_p)
    found = bar_kappas(
        conf,
        prep.category_index,
        predictions.category_p.argmax(axis=1),
        len(prep.learn.categories),
        bars,
    )
    return [
        {"bar": bar, "share": n / prep.n if prep.n else 0.0, "kappa": value}
        for bar, (n, value) in zip(bars, found, strict=True)
    ]
