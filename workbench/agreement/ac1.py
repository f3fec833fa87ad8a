"""Gwet's (2008) AC1: multi-rater from count patterns, two-rater from q x q tables, each
with a bootstrap percentile CI (no asymptotic SE).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from workbench.agreement.bootstrap import over_patterns, summarise
from workbench.agreement.estimate import Estimate, undefined_estimate
from workbench.agreement.ratings import Seed, count_matrix, encode_ratings, rng_of


def _ac1_from_patterns(patterns: np.ndarray, weights: np.ndarray, q: int) -> np.ndarray:
    """Multi-rater AC1 for each row of ``weights`` (how many units have each count pattern)."""
    ri = patterns.sum(1).astype(float)
    n = weights.sum(1)
    pa = weights @ ((patterns * (patterns - 1)).sum(1) / (ri * (ri - 1))) / n
    pi = weights @ (patterns / ri[:, None]) / n[:, None]
    pe = (pi * (1 - pi)).sum(1) / (q - 1)
    ac1: np.ndarray = (pa - pe) / (1 - pe)
    return ac1


def ac1_counts(
    r: np.ndarray, q: int, bootstrap: int = 0, rng: np.random.Generator | None = None
) -> Estimate:
    """AC1 from a units x values count matrix (units with >= 2 values only); with
    ``bootstrap``, a percentile CI from a multinomial draw over the count patterns."""
    n = r.shape[0]
    if n == 0:
        return undefined_estimate("no unit was coded by two coders", 0)
    if q < 2:
        return undefined_estimate("AC1 needs at least two possible values (q < 2)", n)
    value, boot = over_patterns(r, lambda p, w: _ac1_from_patterns(p, w, q), bootstrap, rng)
    return Estimate(value, n=n, ci=boot.ci if boot else None, bootstrap=boot)


def ac1_tables(tables: np.ndarray, q: int) -> np.ndarray:
    """AC1 of each of a stack of q x q tables (... x q x q): p_a = trace/n,
    pi_k = (row_k + col_k)/(2n), p_e = sum pi_k(1 - pi_k)/(q - 1)."""
    n = tables.sum((-2, -1))
    pa = np.trace(tables, axis1=-2, axis2=-1) / n
    pi = (tables.sum(-2) + tables.sum(-1)) / (2 * n[..., None])
    pe = (pi * (1 - pi)).sum(-1) / (q - 1)
    ac1: np.ndarray = (pa - pe) / (1 - pe)
    return ac1


def ac1_table(
    table: np.ndarray,
    q: int | None = None,
    bootstrap: int = 0,
    rng: np.random.Generator | None = None,
    samples: np.ndarray | None = None,
) -> Estimate:
    """Gwet's two-rater AC1 from a q x q table, with a bootstrap percentile CI when asked:
    units resampled with replacement are a multinomial draw over the table's cells (or
    ``samples``: resampled AC1s computed by the caller from draws it already has)."""
    t = np.asarray(table, dtype=float)
    q = t.shape[0] if q is None else q
    n = t.sum()
    if n == 0:
        return undefined_estimate("no units coded by both coders", 0)
    if q < 2:
        return undefined_estimate("AC1 needs at least two possible values (q < 2)", int(n))
    value = float(ac1_tables(t, q))
    if samples is None and bootstrap and rng is not None:
        draws = rng.multinomial(int(n), (t / n).ravel(), size=bootstrap).reshape(
            bootstrap, *t.shape
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            samples = ac1_tables(draws.astype(float), q)
    boot = summarise(samples, (), value) if samples is not None else None
    return Estimate(value, n=int(n), ci=boot.ci if boot else None, bootstrap=boot)


def gwet_ac1(
    ratings: Any, labels: Sequence[Any] | None = None, *, bootstrap: int = 0, seed: Seed = None
) -> Estimate:
    """Gwet's (2008) AC1 over the units coded by two or more coders.

    p_a = mean over units of sum_k r_ik(r_ik-1) / (r_i(r_i-1)); pi_k = mean over the same
    units of r_ik/r_i; p_e = sum_k pi_k(1-pi_k)/(q-1); AC1 = (p_a-p_e)/(1-p_e). For two
    coders this is Gwet's two-rater AC1 on the units both coded; for more coders his
    multi-rater form. (Gwet's 2014 handbook averages pi_k also over units rated once; the
    two agree when nothing is missing.) q = number of ``labels`` (the scheme's categories;
    default: the distinct values observed). With ``bootstrap``, a percentile 95% CI from
    units resampled with replacement; no asymptotic SE is reported.

    Gwet's handbook example (irrCAC's ``cont3x3abstractors``): two abstractors classify 100
    pregnancies as ectopic, abnormal (AIU) or normal intrauterine (NIU); his published AC1
    is .849:

    >>> first = ["Ectopic"] * 13 + ["AIU"] * 27 + ["NIU"] * 60
    >>> second = ["Ectopic"] * 13 + ["AIU"] * 20 + ["NIU"] * 7 + ["AIU"] * 4 + ["NIU"] * 56
    >>> est = gwet_ac1([first, second])
    >>> round(est.value, 3), est.n
    (0.849, 100)
    """
    codes, labels = encode_ratings(ratings, labels)
    return ac1_counts(
        count_matrix(codes, len(labels)),
        len(labels),
        bootstrap,
        rng_of(seed) if bootstrap else None,
    )
