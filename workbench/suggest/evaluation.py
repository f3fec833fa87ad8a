"""How good the suggestions are, in the terms a methods section cites.

``workbench suggest evaluate``: the model's cross-validated coding (folds by focus
group or transcript) against the coding it learns from, reported with the same
statistics as two people's agreement (:func:`workbench.suggest.training.agreement`),
plus precision, recall and F1 per category and theme, a learning curve (agreement
against the number of coded comments trained on), the categories and themes too rare
to learn, and the people's own agreement beside the model's where the project has it.
"""

from __future__ import annotations

import numpy as np

from workbench.store import Store
from workbench.suggest import classifier as clf
from workbench.suggest import crossval as cv
from workbench.suggest.data import MIN_PER_CLASS
from workbench.suggest.training import FOLDS, SEED, Run, agreement, cross_validation, headline

CURVE = (0.1, 0.25, 0.5)  # shares of each training fold, besides the whole of it


def evaluate(store: Store, coder: str | None = None, by: str = "group", folds: int = FOLDS,
             seed: int = SEED, minimum: int = MIN_PER_CLASS, bootstrap: int = 1000,
             curve: tuple[float, ...] = CURVE, progress=None) -> dict:
    """The evaluation report (JSON-able)."""
    steps = 1 + len(curve)
    tick = (lambda stage: (lambda done, total: progress(stage * total + done, steps * total))) if progress else None
    run = cross_validation(store, coder, by, folds, seed, minimum, tick(0) if tick else None)
    report = agreement(run, bootstrap)
    data, book = run.data, run.data.codebook
    learn = run.prep.learn
    return {
        "trained_on": data.source,
        "comments": len(data),
        "settings": run.settings,
        "learned": {"categories": learn.categories, "themes": learn.themes},
        "too_few": [{"key": k, "name": book.names[k], "coded": n, "minimum": learn.minimum}
                    for k, n in learn.too_few.items()],
        "headline": headline(report),
        "agreement": report,
        "classification": classification(run),
        "learning_curve": learning_curve(run, curve, tick),
        "people": people(store, data.source),
        "thresholds": dict(zip(learn.themes, map(float, run.predictions.thresholds))),
        "method": METHOD,
    }


METHOD = ("Grouped cross-validation: each comment is coded by a model trained without its focus group "
          "(or transcript); features (TF-IDF of words, word pairs and character n-grams) and weights come "
          "from the training folds only; theme thresholds for a fold maximise F1 on the other folds' "
          "held-out predictions. Agreement statistics are those reported for the coders.")


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
    categories = [{"key": c, "name": data.codebook.names[c], **_prf(model_cat == c, truth_cat == c)}
                  for c in data.codebook.categories]
    rows = run.prep.theme_rows
    themes = []
    for key in data.codebook.themes:
        truth = np.array([key in t for t in data.themes])[rows]
        if key in learn.themes:
            k = learn.themes.index(key)
            predicted = np.zeros(len(data), bool)
            for fold in range(len(run.splits)):  # the fold's own cross-fitted cut-off
                mine, others = pred.fold == fold, rows & (pred.fold != fold)
                cut = clf.choose_thresholds(pred.theme_p[others][:, [k]], run.prep.theme_truth[others][:, [k]])
                predicted[mine] = pred.theme_p[mine, k] >= cut[0]
            stats = _prf(predicted[rows], truth)
        else:
            stats = _prf(np.zeros(int(rows.sum()), bool), truth)
        themes.append({"key": key, "name": data.codebook.names[key], "learned": key in learn.themes, **stats})
    return {"categories": categories, "themes": themes, "theme_comments": int(rows.sum())}


def learning_curve(run: Run, shares: tuple[float, ...], tick=None) -> list[dict]:
    """Agreement of models trained on a share of each training fold (the held-out folds unchanged)."""
    from workbench.agreement.report import agreement_report

    data, book = run.data, run.data.codebook
    truth = data.codings()
    out = []
    for stage, share in enumerate([*sorted(shares), 1.0], start=1):
        if share >= 1.0:
            pred = run.predictions
        else:
            pred = cv.cross_validate(run.prep, run.splits, run.seed + 7, fraction=share,
                                     progress=tick(stage) if tick else None)
        codings = {ref: (c, frozenset(t)) for ref, (c, t) in zip(data.refs, pred.codings)}
        report = agreement_report({"model": codings, data.source: truth}, book.categories,
                                  [c for c in book.categories if book.takes_themes[c]], book.effective,
                                  book.ineffective, book.themes, bootstrap=0)
        line = headline(report)
        out.append({"share": share, "training_comments": round(float(np.mean(pred.training_sizes)), 1),
                    **{k: (v["value"] if isinstance(v, dict) else v) for k, v in line.items()}})
    return out


def people(store: Store, source: str) -> dict | None:
    """The coders' own agreement to set beside the model's: the first frozen round (before
    reconciliation) if there is one, else the two human coders' agreement now."""
    rounds = store.rounds()
    if rounds:
        first = rounds[0]
        label = first["label"] if first["label"].startswith("round") else f"round {first['number']}: {first['label']}"
        report, where = first["report"], f"frozen {label}"
    else:
        humans = [c["name"] for c in store.coders() if c["kind"] == "coder" and c["name"] != source]
        if len(humans) < 2:
            return None
        from workbench.agreement.reliability import project_agreement

        report, where = project_agreement(store, humans[:2]), "the coders' codings now"
    return {"coders": report["pairs"][0]["coders"], "source": where, **headline(report)}
