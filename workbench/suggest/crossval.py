"""Grouped cross-validation: every comment predicted by a model that never saw its group.

Comments of one focus group share a facilitator's questions, speakers and context, so a
comment's neighbours would leak its answer into a model scored on it: folds hold out
whole focus groups (or transcripts), never single comments (scikit-learn's
``GroupKFold``). Features are chosen and weighted inside each fold from its training
comments only (:mod:`workbench.suggest.features`).

Theme thresholds are cross-fitted: the comments of fold *k* are assigned themes with the
thresholds that maximise F1 on the held-out predictions of the *other* folds, so no
comment's own label sets the cut-off it is judged by. The final model's thresholds are
chosen on every held-out prediction.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np

from workbench.errors import WorkbenchError
from workbench.suggest import classifier as clf
from workbench.suggest import features as feat
from workbench.suggest.candidates import CURRENT, Candidate
from workbench.suggest.data import Learnable, Training
from workbench.suggest.tokens import tokenize_both


def one_blas_thread(function):
    """Run ``function`` with one BLAS thread. The BLAS work here is small vector operations
    (L-BFGS-B's steps, SGD's weight scaling, the agreement statistics), where a second
    OpenBLAS thread only waits: on 100,000 comments it spun for 11 s of CPU time and made
    ``suggest evaluate`` slower, not faster. The fits that can use two cores run in threads."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return run


@dataclass
class Prepared:
    """A training set counted once, with its truths as arrays."""

    data: Training
    learn: Learnable
    mode: str
    variants: dict[bool, feat.Counts]  # without and with punctuation (``Candidate.punct``)
    category_truth: dict[str, np.ndarray]  # learnable category → bool per comment
    theme_truth: np.ndarray  # (comments × learnable themes) bool
    theme_rows: np.ndarray  # bool: the comment's category takes themes

    @property
    def n(self) -> int:
        return len(self.data)

    def embedding(self, rows: np.ndarray) -> np.ndarray:
        """The WordLlama embeddings of comments ``rows`` (the ``combined`` kind's), each computed
        once and only when asked for: a learning curve's small training sets need few."""
        from workbench.suggest.embedding import DIMENSIONS, embed

        if getattr(self, "_embedded", None) is None:
            self._embedding = np.zeros((self.n, DIMENSIONS), np.float32)
            self._embedded = np.zeros(self.n, dtype=bool)
        missing = rows[~self._embedded[rows]]
        if len(missing):
            self._embedding[missing] = embed([self.data.texts[i] for i in missing])
            self._embedded[missing] = True
        return self._embedding[rows]

    @property
    def counts(self) -> feat.Counts:
        """The counts of the words without punctuation (the ``current`` candidate's)."""
        return self.variants[False]

    @property
    def category_index(self) -> np.ndarray:
        """Each comment's category as an index into the learnable categories (-1: not learnt)."""
        index = np.full(self.n, -1)
        for k, truth in enumerate(self.category_truth.values()):
            index[truth] = k
        return index


def prepare(data: Training, learn: Learnable, mode: str) -> Prepared:
    variants = {
        punct: feat.count(found) for punct, found in tokenize_both(data.texts, mode).items()
    }
    cats = np.array(data.categories)
    takes = data.codebook.takes_themes
    theme_truth = np.array(
        [[t in themes for t in learn.themes] for themes in data.themes], dtype=bool
    ).reshape(len(data), len(learn.themes))
    return Prepared(
        data,
        learn,
        mode,
        variants,
        {c: cats == c for c in learn.categories},
        theme_truth,
        np.array([takes[c] for c in data.categories], dtype=bool),
    )


def subset(prep: Prepared, rows: np.ndarray) -> Prepared:
    """The same counted comments, only ``rows`` of them (in that order): the words, codebook,
    learnable labels and column choices are the whole project's."""
    data = prep.data

    def pick(values: list) -> list:
        return [values[i] for i in rows]

    part = replace(
        data,
        comment_ids=pick(data.comment_ids),
        refs=pick(data.refs),
        texts=pick(data.texts),
        groups=pick(data.groups),
        transcripts=pick(data.transcripts),
        categories=pick(data.categories),
        themes=pick(data.themes),
    )
    variants = {
        k: replace(c, words=c.words[rows], pairs=c.pairs[rows]) for k, c in prep.variants.items()
    }
    return Prepared(
        part,
        prep.learn,
        prep.mode,
        variants,
        {c: truth[rows] for c, truth in prep.category_truth.items()},
        prep.theme_truth[rows],
        prep.theme_rows[rows],
    )


@dataclass
class Fitted:
    features: feat.Fitted
    category: clf.Weights
    themes: clf.Weights
    candidate: Candidate = CURRENT


def fit(
    prep: Prepared,
    rows: np.ndarray,
    seed: int,
    candidate: Candidate = CURRENT,
    with_themes: bool = True,
) -> Fitted:
    """Features and both classifiers of ``candidate`` from the comments ``rows`` (``with_themes``
    False: the category's only, as the nested comparison needs; themes then never fire)."""
    features, matrix = feat.fit_transform(prep.variants[candidate.punct], rows)
    matrix = _with_embedding(prep, matrix, candidate, rows)
    if candidate.solver == "lbfgs":
        labels = list(prep.category_truth)
        truth = np.array(labels + ["-"], dtype=object)[prep.category_index[rows]]
        category = clf.fit_multinomial(matrix, truth, labels)
    else:
        category = _layer(
            matrix, {c: truth[rows] for c, truth in prep.category_truth.items()}, seed, True
        )
    if not with_themes:
        learnt = list(prep.learn.themes)
        never = clf.Weights(
            learnt,
            np.zeros((len(learnt), matrix.shape[1]), np.float32),
            np.full(len(learnt), -50.0, np.float32),
        )
        return Fitted(features, category, never, candidate)
    takes = prep.theme_rows[rows]
    themed = matrix[takes]
    del matrix  # the whole fold's rows are not needed for the themes: freed before their fits
    truths = {t: prep.theme_truth[rows[takes], j] for j, t in enumerate(prep.learn.themes)}
    themes = _layer(themed, truths, seed + 1000, False)
    return Fitted(features, category, themes, candidate)


def _layer(matrix, truths: dict[str, np.ndarray], seed: int, balanced: bool) -> clf.Weights:
    """Weights for every label, in order. A label none (or all) of the training comments
    carry, as a small fold or a learning-curve share may have, cannot be learnt there:
    it never (or always) fires."""
    learnable = {k: v for k, v in truths.items() if 0 < v.sum() < len(v)}
    learnt = clf.fit_layer(matrix, learnable, seed, balanced)
    coef = np.zeros((len(truths), matrix.shape[1]), np.float32)
    intercept = np.zeros(len(truths), np.float32)
    for j, (label, truth) in enumerate(truths.items()):
        if label in learnable:
            i = learnt.labels.index(label)
            coef[j], intercept[j] = learnt.coef[i], learnt.intercept[i]
        else:
            intercept[j] = 50.0 if len(truth) and truth.all() else -50.0
    return clf.Weights(list(truths), coef, intercept)


def _matrix(prep: Prepared, features: feat.Fitted, candidate: Candidate, rows: np.ndarray):
    """The candidate's feature rows: TF-IDF, and the embedding after it for ``combined``."""
    return _with_embedding(
        prep, features.transform(prep.variants[candidate.punct], rows), candidate, rows
    )


def _with_embedding(prep: Prepared, matrix, candidate: Candidate, rows: np.ndarray):
    if not candidate.embedding:
        return matrix
    import scipy.sparse as sp

    return sp.hstack([matrix, sp.csr_matrix(prep.embedding(rows))], format="csr", dtype=np.float32)


def probabilities(
    prep: Prepared, fitted: Fitted, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    matrix = _matrix(prep, fitted.features, fitted.candidate, rows)
    return (
        clf.category_probabilities(fitted.category.scores(matrix), fitted.category.link),
        clf.sigmoid(fitted.themes.scores(matrix)),
    )


def category_probabilities(prep: Prepared, fitted: Fitted, rows: np.ndarray) -> np.ndarray:
    """:func:`probabilities` of the category alone (the nested comparison's)."""
    matrix = _matrix(prep, fitted.features, fitted.candidate, rows)
    return clf.category_probabilities(fitted.category.scores(matrix), fitted.category.link)


def folds(units: list, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) per fold, whole units held out; at most one fold per unit."""
    from sklearn.model_selection import GroupKFold

    distinct = len(set(units))
    if distinct < 2:
        raise WorkbenchError(
            f"cross-validation holds out whole focus groups (or transcripts), and the coded comments "
            f"come from {distinct}: code comments of at least two, or use --by transcript where a group "
            "has several transcripts"
        )
    splitter = GroupKFold(n_splits=min(k, distinct))
    return list(splitter.split(np.zeros(len(units)), groups=np.asarray(units, dtype=object)))


@dataclass
class Predictions:
    """Held-out predictions of every comment."""

    category_p: np.ndarray  # (comments × learnable categories)
    theme_p: np.ndarray  # (comments × learnable themes)
    fold: np.ndarray  # fold of each comment
    codings: list[tuple[str, tuple[str, ...]]]  # with cross-fitted thresholds
    thresholds: np.ndarray  # chosen on every held-out prediction (the final model's)
    training_sizes: list[int]


def cross_validate(
    prep: Prepared,
    splits,
    seed: int,
    fraction: float = 1.0,
    progress=None,
    candidate: Candidate = CURRENT,
) -> Predictions:
    """Held-out predictions for every comment; ``fraction`` of each training fold is used
    (a random share of its comments, for the learning curve)."""
    n, learn = prep.n, prep.learn
    category_p = np.zeros((n, len(learn.categories)))
    theme_p = np.zeros((n, len(learn.themes)))
    fold_of = np.zeros(n, dtype=int)
    rng = np.random.default_rng(seed)
    sizes = []
    for k, (train, test) in enumerate(splits):
        if fraction < 1.0:
            train = np.sort(
                rng.choice(train, size=max(2, int(round(fraction * len(train)))), replace=False)
            )
        sizes.append(len(train))
        fitted = fit(prep, train, seed + k, candidate)
        category_p[test], theme_p[test] = probabilities(prep, fitted, test)
        fold_of[test] = k
        if progress:
            progress(k + 1, len(splits))
    codings, final = cross_fitted(prep, category_p, theme_p, fold_of, len(splits))
    return Predictions(category_p, theme_p, fold_of, codings, final, sizes)


def cross_fitted(
    prep: Prepared, category_p: np.ndarray, theme_p: np.ndarray, fold_of: np.ndarray, n_folds: int
) -> tuple[list, np.ndarray]:
    """Each comment's coding with theme thresholds chosen on the other folds' held-out
    predictions, and the thresholds chosen on all of them (the final model's)."""
    learn, truth, rows = prep.learn, prep.theme_truth, prep.theme_rows
    codings: list = [None] * prep.n
    takes = prep.data.codebook.takes_themes
    for k in range(n_folds):
        others, mine = rows & (fold_of != k), fold_of == k
        cut = clf.choose_thresholds(theme_p[others], truth[others])
        for i, coding in zip(
            np.flatnonzero(mine),
            clf.assign(category_p[mine], learn.categories, theme_p[mine], learn.themes, cut, takes),
            strict=True,
        ):
            codings[i] = coding
    return codings, clf.choose_thresholds(theme_p[rows], truth[rows])
