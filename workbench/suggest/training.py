"""Training a project's model: cross-validate, fit on every coded comment, store it.

A model is worth exactly its cross-validated agreement with the coding it learnt from,
so training always runs the nested grouped cross-validation first
(:mod:`workbench.suggest.nested`): it chooses the model kind on this project's data, the
theme thresholds and the confidence bars for each target kappa
(:mod:`workbench.suggest.coverage`), and gives the agreement the model is stored with
(kappa, alpha and AC1 with bootstrap CIs, from :mod:`workbench.agreement`, as for two
people). Nothing is stored unless every check passes; a stored model records the coder
and the fingerprint of the coding it learnt from, and the codebook it knows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.agreement.reliability import fingerprint
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.store import Store, default_actor
from workbench.suggest import crossval as cv
from workbench.suggest import nested as nest
from workbench.suggest.candidates import available
from workbench.suggest.candidates import candidate as candidate_named
from workbench.suggest.data import (
    MIN_PER_CLASS,
    Training,
    learnable,
    training_data,
    unit_of,
)
from workbench.suggest.embedding import NAME as EMBEDDING
from workbench.suggest.model import Model
from workbench.suggest.tokens import default_mode

FOLDS = 5
SEED = 1


@dataclass
class Run:
    """One cross-validation of a project's coding, and what it was run with."""

    data: Training
    prep: cv.Prepared
    splits: list
    predictions: cv.Predictions
    by: str
    seed: int
    nested: nest.Nested | None = None  # None: one candidate's plain cross-validation

    @property
    def settings(self) -> dict:
        units = unit_of(self.data, self.by)
        return {
            "by": self.by,
            "folds": len(self.splits),
            "seed": self.seed,
            "tokens": self.prep.mode,
            "min_per_class": self.prep.learn.minimum,
            "held_out": [sorted({str(units[i]) for i in test}) for _, test in self.splits],
        }


@cv.one_blas_thread
def cross_validation(
    store: Store,
    coder: str | None = None,
    by: str = "group",
    folds: int = FOLDS,
    seed: int = SEED,
    minimum: int = MIN_PER_CLASS,
    progress=None,
    candidate: str | None = None,
) -> Run:
    """Check the coding, count its comments' features once and predict every comment held out:
    by the model the nested comparison chooses in each fold, or (``candidate``, a stored
    model's kind) by that kind alone."""
    if folds < 2:
        raise WorkbenchError(f"--folds {folds}: cross-validation needs at least 2 folds")
    data = training_data(store, coder)
    learn = learnable(data, minimum)
    units = unit_of(data, by)
    splits = cv.folds(units, folds)
    prep = cv.prepare(data, learn, default_mode())
    step = (lambda done, total: progress(done, total + 1)) if progress else None
    if candidate is not None:
        chosen = candidate_named(candidate)
        predictions = cv.cross_validate(prep, splits, seed, progress=step, candidate=chosen)
        return Run(data, prep, splits, predictions, by, seed)
    found = nest.nested_cv(prep, splits, units, seed, available(), progress=step)
    return Run(data, prep, splits, found.predictions, by, seed, found)


def selection(found: nest.Nested) -> dict:
    """Which model the data chose and by how much, for the reports."""
    means = found.means
    return {
        "winner": found.winner.key,
        "name": found.winner.name,
        "margin": found.margin,
        "candidates": [
            {
                "key": c.key,
                "name": c.name,
                "mean_kappa": means[c.key],
                "fold_kappas": found.scores[c.key],
            }
            for c in found.candidates
        ],
        "chosen_per_fold": found.chosen,
    }


def model_codings(run: Run) -> dict[str, tuple[str, frozenset]]:
    """The held-out coding of every comment, ``{ref: (category, themes)}``."""
    return {
        ref: (category, frozenset(themes))
        for ref, (category, themes) in zip(run.data.refs, run.predictions.codings, strict=True)
    }


def agreement(run: Run, bootstrap: int = 1000) -> dict:
    """The model's held-out coding against the coding it learnt from: the people's report."""
    from workbench.agreement.report import agreement_report

    book = run.data.codebook
    report = agreement_report(
        {"model": model_codings(run), run.data.source: run.data.codings()},
        book.categories,
        [c for c in book.categories if book.takes_themes[c]],
        book.effective,
        book.ineffective,
        book.themes,
        bootstrap=bootstrap,
        seed=run.seed,
    ).as_dict()  # kept as JSON in the model
    report["scope"] = {
        "group": None,
        "codebook_sha256": book.sha256,
        "fingerprint": fingerprint({run.data.source: run.data.codings()}),
    }
    report["names"] = {
        "categories": {k: book.names[k] for k in book.categories},
        "themes": {k: book.names[k] for k in book.themes},
    }
    return report


def headline(report: dict) -> dict:
    """The figures a model is cited by: category kappa/alpha/AC1, themes pooled kappa and MASI alpha."""
    pair = report["pairs"][0]
    themes = pair["themes"]["theme_taking"]
    return {
        "n": pair["category"]["n"],
        "category_kappa": pair["category"]["cohen_kappa"],
        "category_alpha": pair["category"]["krippendorff_alpha"],
        "category_ac1": pair["category"]["gwet_ac1"],
        "themes_pooled_kappa": themes["pooled_kappa"],
        "themes_masi_alpha": themes["masi_alpha"],
    }


@cv.one_blas_thread
def train(
    store: Store,
    coder: str | None = None,
    by: str = "group",
    folds: int = FOLDS,
    seed: int = SEED,
    minimum: int = MIN_PER_CLASS,
    bootstrap: int = 1000,
    actor: str | None = None,
    progress=None,
) -> Model:
    """Cross-validate, fit on every coded comment, store the model (audited); return it."""
    from workbench.suggest.coverage import compact, targets

    run = cross_validation(store, coder, by, folds, seed, minimum, progress)
    report = agreement(run, bootstrap)
    winner = run.nested.winner
    # Only the winner's counts are needed now: the other tokenization's go before the largest fit.
    run.prep.variants = {winner.punct: run.prep.variants[winner.punct]}
    fitted = cv.fit(run.prep, np.arange(run.prep.n), seed, winner)
    data, learn = run.data, run.prep.learn
    info = {
        "trained_on": data.source,
        "comments": len(data),
        "fingerprint": report["scope"]["fingerprint"],
        "codebook_sha256": data.codebook.sha256,
        **run.settings,
        "learned": {"categories": learn.categories, "themes": learn.themes},
        "too_few": learn.too_few,
        "features": fitted.features.vectorizer.size,
        "thresholds": dict(zip(learn.themes, map(float, run.predictions.thresholds), strict=True)),
        "cross_validated": headline(report),
        "selection": selection(run.nested),
        "bars": targets(run.prep, run.nested),
        "curve": compact(run.prep, run.predictions),
    }
    model = Model(
        run.prep.mode,
        fitted.features.vectorizer,
        fitted.category,
        fitted.themes,
        run.predictions.thresholds,
        dict(data.codebook.takes_themes),
        info,
        punct=winner.punct,
        candidate=winner.key,
        embedding=EMBEDDING if winner.embedding else None,
    )
    meta, parameters = model.to_records()
    actor = actor or default_actor()
    with store.transaction():
        model.id = store.add_model(
            actor,
            data.source,
            info["fingerprint"],
            data.codebook.sha256,
            len(data),
            info,
            meta,
            parameters,
        )
        store.audit(
            "train",
            "model",
            str(model.id),
            actor=actor,
            after={
                "trained_on": data.source,
                "comments": len(data),
                "fingerprint": info["fingerprint"],
                "cross_validated": {
                    k: v["value"] if isinstance(v, dict) else v
                    for k, v in info["cross_validated"].items()
                },
            },
        )
    if progress:
        progress(1, 1)
    return model


def latest_model(store: Store) -> Model | None:
    """The newest model trained against the project's current codebook, or None."""
    current = active_codebook(store)["sha256"]
    rows = [m for m in store.models() if m["codebook_sha256"] == current]
    if not rows:
        return None
    row = rows[-1]
    parts = store.model_parts(row["id"])
    assert parts is not None, "the row was just listed"
    meta, parameters = parts
    return Model.from_records(meta, parameters, row["id"])


def require_model(store: Store) -> Model:
    model = latest_model(store)
    if model is None:
        older = (
            " (the models stored were trained against an earlier codebook)"
            if store.models()
            else ""
        )
        raise WorkbenchError(
            f"no model for this project's codebook{older}: "
            "`workbench suggest train PROJECT` trains one"
        )
    return model
