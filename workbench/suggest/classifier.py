"""The two classifiers over the TF-IDF features: one for the category, one per theme.

Each is a logistic regression (log loss) fitted by stochastic gradient descent
(scikit-learn's ``SGDClassifier``): linear, so a model is only its weights and a
suggestion is a dot product, and fast enough to cross-validate 100,000 comments.

* **Category**: one-vs-rest over the categories with enough agreed comments to learn,
  each class weighted inversely to its frequency (on the demo, unweighted fits said
  "effective" to almost everything: cross-validated kappa .23 against .34 weighted);
  the per-category probabilities are normalised to sum to one (as scikit-learn does).
* **Themes**: one binary classifier per theme with enough comments carrying it, trained
  on the comments whose category takes themes (the only ones that can carry one).
  A theme is suggested when its probability reaches its threshold, chosen per theme to
  maximise F1 on held-out predictions (:func:`choose_thresholds`); a behaviour comment
  always gets at least its most likely theme, because the codebook requires one.

The other classifier a project's data may choose (:mod:`workbench.suggest.candidates`) is
scikit-learn's ``LogisticRegression`` (lbfgs, multinomial, class-balanced) for the category:
its probabilities are a softmax of the scores (``Weights.link``); themes are learnt as above.

Fitting needs scikit-learn; predicting needs only numpy (:class:`Weights`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

C = 10.0  # inverse regularisation strength, as in LogisticRegression(C=...): alpha = 1 / (C n)
MAX_EPOCHS = 50
LBFGS_ITERATIONS = 200
LBFGS_TOLERANCE = 1e-3  # relative: held-out agreement, not the last digit of the loss, is the test
OVR, SOFTMAX = "ovr", "softmax"


@dataclass
class Weights:
    """A linear layer: one weight row and intercept per label (float32)."""

    labels: list[str]
    coef: np.ndarray  # (labels × features)
    intercept: np.ndarray  # (labels,)
    link: str = OVR  # how a category's scores become probabilities

    def scores(self, matrix) -> np.ndarray:
        """Log-odds per row of a (sparse) feature matrix."""
        return np.asarray(matrix @ self.coef.T) + self.intercept

    def scores_one(self, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Log-odds of one comment's vector (column indices and weights)."""
        return self.coef[:, cols] @ values + self.intercept


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -35, 35)))


def category_probabilities(scores: np.ndarray, link: str = OVR) -> np.ndarray:
    """Scores → probabilities that sum to one per comment: one-vs-rest log-odds normalised,
    or a softmax (a multinomial model's)."""
    if link == SOFTMAX:
        shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
        return shifted / shifted.sum(axis=-1, keepdims=True)
    p = sigmoid(scores)
    total = p.sum(axis=-1, keepdims=True)
    return np.divide(p, total, out=np.full_like(p, 1.0 / p.shape[-1]), where=total > 0)


def _fit_binary(matrix, truth: np.ndarray, seed: int, balanced: bool) -> tuple[np.ndarray, float]:
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(
        loss="log_loss",
        alpha=1.0 / (C * matrix.shape[0]),
        max_iter=MAX_EPOCHS,
        tol=1e-4,
        n_iter_no_change=3,
        average=True,
        random_state=seed,
        class_weight="balanced" if balanced else None,
    )
    with warnings.catch_warnings():
        # A small training set stops at MAX_EPOCHS short of the tolerance: the averaged
        # weights are still the estimate, and held-out agreement says how good they are.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(matrix, truth)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def fit_layer(matrix, truths: dict[str, np.ndarray], seed: int, balanced: bool = False) -> Weights:
    """One binary classifier per label (two threads: the solver releases the GIL)."""
    labels = list(truths)
    jobs = [(matrix, truths[label], seed + i, balanced) for i, label in enumerate(labels)]
    if not jobs:
        return Weights([], np.zeros((0, matrix.shape[1]), np.float32), np.zeros(0, np.float32))
    with ThreadPoolExecutor(max_workers=2) as pool:
        fitted = list(pool.map(lambda job: _fit_binary(*job), jobs))
    return Weights(
        labels, np.stack([w for w, _ in fitted]), np.array([b for _, b in fitted], dtype=np.float32)
    )


def fit_multinomial(matrix, truth: np.ndarray, labels: list[str]) -> Weights:
    """A class-balanced multinomial logistic regression (lbfgs) over ``labels``; a label no
    training comment carries (a small share of a fold) never wins (intercept -50). Comments
    whose truth is not among ``labels`` (a category too rare to learn) are left out."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    known = np.isin(truth, labels)
    if not known.all():  # a copy of the matrix only where rows must go (the largest array here)
        matrix, truth = matrix[known], truth[known]
    present = [label for label in labels if (truth == label).any()]
    coef = np.zeros((len(labels), matrix.shape[1]), np.float32)
    intercept = np.full(len(labels), -50.0, np.float32)
    if len(present) < 2:
        intercept[[labels.index(p) for p in present]] = 50.0
        return Weights(list(labels), coef, intercept, SOFTMAX)
    from threadpoolctl import threadpool_limits

    model = LogisticRegression(
        class_weight="balanced", max_iter=LBFGS_ITERATIONS, tol=LBFGS_TOLERANCE
    )
    # One BLAS thread: L-BFGS-B's steps are small vector operations, which OpenBLAS's threads
    # made ten times slower on a busy two-core machine (measured: 0.12 s against 0.02 s a step
    # at 200,000 weights).
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore", ConvergenceWarning)  # as above: held-out agreement decides
        model.fit(matrix, truth)
    learnt_coef, learnt_intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes: softmax(-z/2, z/2)
        learnt_coef = np.vstack([-learnt_coef / 2, learnt_coef / 2])
        learnt_intercept = np.array([-learnt_intercept[0] / 2, learnt_intercept[0] / 2])
    for i, label in enumerate(model.classes_):
        j = labels.index(label)
        coef[j], intercept[j] = learnt_coef[i], learnt_intercept[i]
    return Weights(list(labels), coef, intercept, SOFTMAX)


def choose_thresholds(probabilities: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per column, the probability cut-off that maximises F1 (0.5 where nothing is positive).

    ``probabilities`` and ``truth`` are (comments × themes); a theme is predicted
    where its probability is at least the cut-off.
    """
    thresholds = np.full(probabilities.shape[1], 0.5)
    for j in range(probabilities.shape[1]):
        positives = int(truth[:, j].sum())
        if positives == 0:
            continue
        order = np.argsort(-probabilities[:, j], kind="stable")
        p, t = probabilities[order, j], truth[order, j]
        tp = np.cumsum(t)
        predicted = np.arange(1, len(p) + 1)
        f1 = 2 * tp / (predicted + positives)
        # Only cut where the next probability is lower (ties are predicted together).
        last_of_tie = np.append(p[1:] < p[:-1], True)
        best = int(np.argmax(np.where(last_of_tie, f1, -1)))
        thresholds[j] = p[best]
    return thresholds


def assign(
    category_p: np.ndarray,
    categories: list[str],
    theme_p: np.ndarray,
    themes: list[str],
    thresholds: np.ndarray,
    takes_themes: dict[str, bool],
) -> list[tuple[str, tuple[str, ...]]]:
    """Probabilities → a coding per comment: the likeliest category, and its themes (those whose
    probability reaches their threshold, or else the one nearest to it)."""
    best = np.argmax(category_p, axis=1) if len(categories) else np.zeros(len(category_p), int)
    if not themes:
        return [(categories[k], ()) for k in best]
    ratio = theme_p / np.maximum(thresholds, 1e-9)
    picked = ratio >= 1
    none = np.flatnonzero(~picked.any(axis=1))
    picked[none, np.argmax(ratio[none], axis=1)] = True
    # Comments share few distinct sets of themes: each is made into a tuple once.
    sets: dict[bytes, tuple[str, ...]] = {}
    out: list[tuple[str, tuple[str, ...]]] = []
    for k, row in zip(best, np.packbits(picked, axis=1), strict=True):
        category = categories[k]
        if not takes_themes.get(category):
            out.append((category, ()))
            continue
        key = row.tobytes()
        chosen = sets.get(key)
        if chosen is None:
            chosen = sets[key] = tuple(
                themes[j] for j in np.flatnonzero(np.unpackbits(row)[: len(themes)])
            )
        out.append((category, chosen))
    return out
