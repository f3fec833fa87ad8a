"""The model chosen by the data, without peeking: nested grouped cross-validation.

For each outer fold, every candidate (:mod:`workbench.suggest.candidates`) is
cross-validated *inside the training folds only*: the inner folds are the other outer
folds (or, with two outer folds, the training fold's own groups), so the held-out fold
never shapes the choice. The candidate with the higher inner category kappa (ties: the
earlier, simpler one) is fitted on the training folds and predicts the held-out fold.
The held-out predictions are therefore those of the whole procedure "compare, choose,
fit", and their agreement with the coding is not flattered by the choice.

With inner folds taken from the outer ones, the fit that holds out folds *j* and *k*
serves outer fold *k* (predicting *j*) and outer fold *j* (predicting *k*): it is made
once. An inner fit learns from at most ``INNER_LIMIT`` comments (a seeded random share of
its training folds), which bounds the comparison's cost on large projects.

The overall winner, the model a project keeps, is the candidate with the higher mean
inner kappa over the outer folds; the margin is reported. The inner held-out
probabilities of each fold's chosen candidate are kept: the confidence bar for a target
kappa is chosen on them (:mod:`workbench.suggest.coverage`), never on the held-out fold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.suggest import crossval as cv
from workbench.suggest.candidates import CANDIDATES, Candidate

INNER_LIMIT = 10_000
# The ``combined`` kind (an embedding) is compared only while the training folds hold at most
# this many comments: static embeddings help where few comments are coded (the issue's
# trials: +2 to +8 kappa points at 100-1,000 training turns, +0.3 to +0.6 with all of them),
# and its lbfgs fits, with 256 dense columns, were the slowest (14 s each on 10,000 comments).
EMBEDDING_UP_TO = 5_000


@dataclass
class Inner:
    """One outer fold's training rows and the chosen candidate's inner held-out probabilities."""

    rows: np.ndarray
    category_p: np.ndarray


@dataclass
class Nested:
    predictions: cv.Predictions  # held-out, each fold's chosen candidate
    candidates: list[Candidate]
    scores: dict[
        str, list
    ]  # candidate key → inner category kappa per outer fold (None: no comparison)
    chosen: list[str]  # the candidate each outer fold chose
    inner: list[Inner]

    @property
    def means(self) -> dict[str, float | None]:
        out = {}
        for key, values in self.scores.items():
            known = [v for v in values if v is not None]
            out[key] = float(np.mean(known)) if known else None
        return out

    @property
    def winner(self) -> Candidate:
        """The overall choice: the higher mean inner kappa; ties and no comparison keep the first."""
        means = self.means
        best = self.candidates[0]
        for cand in self.candidates[1:]:
            mean, top = means[cand.key], means[best.key]
            if mean is not None and (top is None or mean > top):
                best = cand
        return best

    @property
    def margin(self) -> float | None:
        """How much the winner's mean inner kappa exceeds the best other candidate's."""
        means = self.means
        others = [v for k, v in means.items() if k != self.winner.key and v is not None]
        mine = means[self.winner.key]
        return None if mine is None or not others else mine - max(others)


def kappa(truth: np.ndarray, predicted: np.ndarray, k: int) -> float | None:
    """Cohen's kappa of category indices (truth -1: a category not learnt, never predicted)."""
    if len(truth) == 0:
        return None
    cells = np.where(truth < 0, k, truth) * (k + 1) + predicted
    table = np.bincount(cells, minlength=(k + 1) ** 2).reshape(k + 1, k + 1).astype(float)
    n = table.sum()
    observed = np.trace(table) / n
    expected = float(table.sum(0) @ table.sum(1)) / n**2
    return None if expected >= 1 else float((observed - expected) / (1 - expected))


def nested_cv(
    prep: cv.Prepared,
    splits,
    units: list,
    seed: int,
    candidates=CANDIDATES,
    size: int | None = None,
    progress=None,
) -> Nested:
    """Held-out predictions of the chosen candidate per fold; ``size`` trains each outer fold
    on that many comments of its training folds (a seeded random share: a learning curve)."""
    n, k_outer = prep.n, len(splits)
    n_cat = len(prep.learn.categories)
    fold_of = np.zeros(n, dtype=int)
    for k, (_, test) in enumerate(splits):
        fold_of[test] = k
    truth = prep.category_index
    category_p = np.zeros((n, n_cat))
    theme_p = np.zeros((n, len(prep.learn.themes)))
    rng = np.random.default_rng(seed)
    cache: dict = {}
    scores: dict[str, list[float | None]] = {c.key: [] for c in candidates}
    chosen, inner, sizes = [], [], []
    total = k_outer * (1 + len(candidates) * max(1, k_outer - 1))
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(min(done, total), total)

    for k, (train, test) in enumerate(splits):
        rows = (
            train
            if size is None or size >= len(train)
            else np.sort(rng.choice(train, size, replace=False))
        )
        sizes.append(len(rows))
        inner_folds = _inner_folds(rows, fold_of, units, k, size is None)
        probs = {}
        for cand in candidates:
            if cand.embedding and len(rows) > EMBEDDING_UP_TO:
                scores[cand.key].append(None)  # not compared on this many (see the module)
                for _ in inner_folds:
                    tick()
                continue
            p = np.zeros((len(rows), n_cat))
            for mask, key in inner_folds:
                found = cache.get((cand.key, key)) if key else None
                if found is None:
                    fitted = cv.fit(
                        prep, _limit(rows[~mask], seed, key), seed + 17 * k, cand, with_themes=False
                    )
                    # A shared fit predicts both of its held-out folds now; only the
                    # probabilities are kept (a fit's words and weights are large).
                    both = fold_of == key[0] if key else np.zeros(n, dtype=bool)
                    if key:
                        both |= fold_of == key[1]
                    out = np.flatnonzero(both) if key else rows[mask]  # ascending
                    found = (out, cv.category_probabilities(prep, fitted, out))
                    del fitted  # freed before the next fit
                    if key:
                        cache[(cand.key, key)] = found
                p[mask] = found[1][np.searchsorted(found[0], rows[mask])]
                tick()
            probs[cand.key] = p
            scores[cand.key].append(
                kappa(truth[rows], p.argmax(axis=1), n_cat) if inner_folds else None
            )
        best = candidates[0]
        for cand in candidates[1:]:
            if cand.key not in probs:
                continue
            mine, theirs = scores[cand.key][-1], scores[best.key][-1]
            if mine is not None and (theirs is None or mine > theirs):
                best = cand
        chosen.append(best.key)
        inner.append(Inner(rows, probs[best.key]))
        fitted = cv.fit(prep, rows, seed + k, best)
        category_p[test], theme_p[test] = cv.probabilities(prep, fitted, test)
        del fitted
        tick()
    codings, final = cv.cross_fitted(prep, category_p, theme_p, fold_of, k_outer)
    predictions = cv.Predictions(category_p, theme_p, fold_of, codings, final, sizes)
    return Nested(predictions, list(candidates), scores, chosen, inner)


def _inner_folds(rows: np.ndarray, fold_of: np.ndarray, units: list, k: int, shared: bool) -> list:
    """(held-out mask over ``rows``, cache key or None) per inner fold: the other outer folds,
    or with a single one the training rows' own groups; [] where no two groups remain."""
    folds = sorted(set(fold_of[rows].tolist()))
    if len(folds) >= 2:
        return [(fold_of[rows] == j, (min(j, k), max(j, k)) if shared else None) for j in folds]
    groups = np.asarray([units[i] for i in rows], dtype=object)
    distinct = len(set(groups.tolist()))
    if distinct < 2:
        return []
    from sklearn.model_selection import GroupKFold

    out = []
    for _, held in GroupKFold(n_splits=min(5, distinct)).split(np.zeros(len(rows)), groups=groups):
        mask = np.zeros(len(rows), dtype=bool)
        mask[held] = True
        out.append((mask, None))
    return out


def _limit(rows: np.ndarray, seed: int, key) -> np.ndarray:
    """At most ``INNER_LIMIT`` of an inner fit's training rows (the same ones for both uses of a
    shared fit)."""
    if len(rows) <= INNER_LIMIT:
        return rows
    salt = key[0] * 101 + key[1] if key else len(rows)
    return np.sort(np.random.default_rng(seed + salt).choice(rows, INNER_LIMIT, replace=False))
