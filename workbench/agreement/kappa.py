"""Kappa family and percent agreement: the confusion matrix, percent agreement, Cohen's
kappa (with the Fleiss, Cohen & Everitt ASE), Fleiss' kappa (bootstrap CI) and De Vries'
pooled kappa over items (themes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from workbench.agreement.bootstrap import over_patterns
from workbench.agreement.estimate import Estimate, landis_koch, undefined_estimate
from workbench.agreement.ratings import (
    Seed,
    contingency_table,
    count_matrix,
    encode_ratings,
    rng_of,
    two_coders,
)

_Z975 = 1.959963984540054  # scipy.stats.norm.isf(0.025), as statsmodels uses


def confusion_matrix(ratings: Any, labels: Sequence[Any] | None = None) -> np.ndarray:
    """Two coders' confusion matrix over the units both coded: rows = first coder,
    columns = second coder, both in ``labels`` order (default: sorted values)."""
    codes, labels = encode_ratings(ratings, labels)
    a, b = two_coders(codes)
    return contingency_table(a, b, len(labels))


def cohen_kappa_table(table: Any, labels: Sequence[Any] | None = None) -> Estimate:
    """Cohen's (1960) unweighted kappa from a square two-coder table, with the asymptotic
    standard error of Fleiss, Cohen & Everitt (1969) and 95% CI kappa +- z(.975)*SE.

    Matches ``statsmodels.stats.inter_rater.cohens_kappa(table)``: ``se`` is its
    ``std_kappa`` (the non-null ASE, which statsmodels uses for ``kappa_low``/``kappa_upp``);
    its ``std_kappa0`` (SE under H0: kappa = 0) is only for the z-test and not reported.
    Unlike statsmodels', the CI is clipped to [-1, 1] (a Wald interval near perfect agreement
    can pass 1). Undefined (reason given) when the table is empty or the expected agreement
    is 1 (both coders used one and the same value for every unit: kappa = 0/0).

    Artstein & Poesio's (2008) survey example, 100 utterances coded by two coders as
    statements, information requests or checks; their published kappa is .8013:

    >>> k = cohen_kappa_table([[46, 6, 0], [0, 32, 0], [0, 6, 10]])
    >>> round(k.value, 4), k.n, k.interpretation
    (0.8013, 100, 'almost perfect')
    >>> k.ci[1] <= 1.0
    True
    """
    t = np.asarray(table, dtype=np.int64)
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise ValueError("a kappa table must be square")
    n = int(t.sum())
    if n == 0:
        return undefined_estimate("no units coded by both coders", 0)
    rows, cols = t.sum(1), t.sum(0)
    if int((rows * cols).sum()) == n * n:  # exact: expected agreement is 1
        only = int(np.argmax(rows))
        name = repr(labels[only]) if labels is not None else f"#{only}"
        return undefined_estimate(
            f"expected agreement is 1: both coders gave every one of the {n} units the same single value "
            f"({name}), so kappa = 0/0",
            n,
        )
    # kappa from integer counts: (n trace - sum r c) / (n^2 - sum r c), one rounding only, so
    # perfect agreement is exactly 1 (po and pe as floats gave 1.0000000000000002).
    chance = int((rows * cols).sum())
    observed = int(np.trace(t))
    kappa = (n * observed - chance) / (n * n - chance)
    if observed == n:  # no disagreement: kappa 1, and its variance is exactly 0
        return Estimate(1.0, se=0.0, ci=(1.0, 1.0), n=n, interpretation=landis_koch(1.0))
    p = t / n
    pr, pc = rows / n, cols / n
    pe = chance / (n * n)
    # Fleiss, Cohen & Everitt (1969), as statsmodels' var_kappa.
    term_a = (np.diag(p) * (1 - (pr + pc) * (1 - kappa)) ** 2).sum()
    off = p * (pc[:, None] + pr[None, :]) ** 2  # p_ij (p_.i + p_j.)^2
    np.fill_diagonal(off, 0)
    term_b = (1 - kappa) ** 2 * off.sum()
    term_c = (kappa - pe * (1 - kappa)) ** 2
    var = (term_a + term_b - term_c) / (1 - pe) ** 2 / n
    se = math.sqrt(max(float(var), 0.0))
    # The Wald interval can leave kappa's range near perfect agreement (".94 to 1.009"):
    # it is clipped to [-1, 1], as DEFINITIONS says, never printed above 1.
    ci = (max(-1.0, kappa - _Z975 * se), min(1.0, kappa + _Z975 * se))
    return Estimate(float(kappa), se=se, ci=ci, n=n, interpretation=landis_koch(kappa))


def cohen_kappa(ratings: Any, labels: Sequence[Any] | None = None) -> Estimate:
    """Cohen's kappa for two coders over the units both coded (see :func:`cohen_kappa_table`)."""
    codes, labels = encode_ratings(ratings, labels)
    a, b = two_coders(codes)
    return cohen_kappa_table(contingency_table(a, b, len(labels)), labels)


def percent_codes(codes: np.ndarray) -> Estimate:
    """Percent agreement of code arrays (coders x units): the mean over coder pairs of the
    share of units both coded alike, of those both coded."""
    m = codes.shape[0]
    shares = []
    for i, j in combinations(range(m), 2):
        both = (codes[i] >= 0) & (codes[j] >= 0)
        nb = int(both.sum())
        if nb:
            shares.append(float((codes[i][both] == codes[j][both]).sum()) / nb)
    n = int(((codes >= 0).sum(0) >= 2).sum())
    if not shares:
        return undefined_estimate("no unit was coded by two coders", 0)
    return Estimate(float(np.mean(shares)), n=n)


def percent_agreement(ratings: Any, labels: Sequence[Any] | None = None) -> Estimate:
    """Percent agreement: for two coders, the share of units coded by both on which they
    gave the same value (units coded by one coder are left out, not counted as agreement).
    For more coders: the mean over coder pairs of that pairwise share (pairs with no unit
    in common are left out); ``n`` is the number of units coded by two or more coders."""
    codes, _ = encode_ratings(ratings, labels)
    return percent_codes(codes)


def _fleiss_from_patterns(patterns: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fleiss' kappa for each row of ``weights`` (how many units have each count pattern).

    ``patterns``: k x q, how many of the m coders gave each value; ``weights``: B x k.
    NaN where kappa is 0/0 (every coder gave every unit one and the same value)."""
    m = patterns[0].sum()
    n = weights.sum(1)
    agree = (patterns * (patterns - 1)).sum(1) / (m * (m - 1))  # P_i per pattern
    p_bar = weights @ agree / n
    p_j = weights @ patterns / (n * m)[:, None]
    p_e = (p_j**2).sum(1)
    return np.where(p_e < 1, (p_bar - p_e) / (1 - p_e), np.nan)


def fleiss_counts(
    r: np.ndarray, bootstrap: int = 0, rng: np.random.Generator | None = None
) -> Estimate:
    """Fleiss' kappa from a units x values count matrix whose rows all sum to m >= 2."""
    n = r.shape[0]
    if n == 0:
        return undefined_estimate("no unit was coded by every coder", 0)
    value, boot = over_patterns(r, _fleiss_from_patterns, bootstrap, rng)
    if math.isnan(value):
        return undefined_estimate(
            "every coder gave every unit the same value: expected agreement is 1", n
        )
    return Estimate(
        value, n=n, ci=boot.ci if boot else None, interpretation=landis_koch(value), bootstrap=boot
    )


def fleiss_kappa(
    ratings: Any, labels: Sequence[Any] | None = None, *, bootstrap: int = 0, seed: Seed = None
) -> Estimate:
    """Fleiss' (1971) kappa for m >= 2 coders over the units coded by every coder.

    P_i = sum_j n_ij(n_ij - 1) / (m(m - 1)); p_j = share of all ratings in value j;
    kappa = (mean P_i - sum p_j^2) / (1 - sum p_j^2). With ``bootstrap``, a bias-corrected
    95% CI from units resampled with replacement (no asymptotic SE: Fleiss, Nee and
    Landis' SE holds only under kappa = 0)."""
    codes, labels = encode_ratings(ratings, labels)
    full = codes[:, (codes >= 0).all(0)]
    return fleiss_counts(
        count_matrix(full, len(labels)), bootstrap, rng_of(seed) if bootstrap else None
    )


def pooled_kappa(tables: Iterable[Any]) -> Estimate:
    """Pooled kappa (De Vries et al. 2008) over items (themes): kappa_pooled =
    (sum_t p_o,t - sum_t p_e,t) / (sum_t (1 - p_e,t)), i.e. Cohen's kappa with observed and
    expected agreement averaged over the themes' 2 x 2 tables. Themes used by neither coder
    contribute p_o = p_e = 1 and so do not change it. All tables must share the same n.
    Undefined when there are no units or every theme has expected agreement 1."""
    # In integer counts (every table has the same n): sum_t (n trace_t - sum r c) over
    # sum_t (n^2 - sum r c), one rounding only (perfect agreement is exactly 1).
    above = below = 0
    n = None
    for table in tables:
        t = np.asarray(table, dtype=np.int64)
        nt = int(t.sum())
        if n is None:
            n = nt
        elif nt != n:
            raise ValueError("pooled kappa: every table must cover the same units")
        if nt == 0:
            continue
        chance = int((t.sum(1) * t.sum(0)).sum())
        above += nt * int(np.trace(t)) - chance
        below += nt * nt - chance
    if not n:
        return undefined_estimate("no units", 0)
    if below == 0:
        return undefined_estimate(
            "every theme has expected agreement 1 (each theme used by neither coder, or by both "
            "on every unit): pooled kappa = 0/0",
            n,
        )
    k = above / below
    return Estimate(k, n=n, interpretation=landis_koch(k))
