"""Inter-coder agreement: category layer, theme layer, polarity, bootstrap CIs.

A pure module: numpy only, no I/O, no store, no UI. Every statistic returns an
:class:`Estimate`; a statistic that does not exist for the data (kappa when
expected agreement is 1, alpha when only one value occurs, no overlapping units, ...)
has ``value=None`` and a ``reason`` -- never 0 and never NaN.

Inputs ("ratings") are plain Python: either a sequence of per-coder value
sequences aligned on units (``[[a1, a2, ...], [b1, b2, ...]]``) or a mapping
``{coder: {unit: value}}``. ``None`` (or a float NaN) is *missing*: the coder did not
code that unit. A unit coded by one coder only is missing for the other coder,
never agreement.

References (the formula each function follows is named in its docstring):

* Cohen J (1960) A coefficient of agreement for nominal scales. Educ Psychol Meas 20:37-46.
* Fleiss JL, Cohen J, Everitt BS (1969) Large sample standard errors of kappa and
  weighted kappa. Psychol Bull 72:323-327 (the ASE used by statsmodels' ``std_kappa``).
* Krippendorff K (2011) Computing Krippendorff's alpha-reliability. Annenberg School
  for Communication, University of Pennsylvania (coincidence matrices, pairable values,
  general distance form alpha = 1 - D_o/D_e).
* Krippendorff K (2004) Content Analysis, 2nd ed., ch. 11; Hayes AF, Krippendorff K (2007)
  Answering the call for a standard reliability measure for coding data. Commun Methods
  Meas 1:77-89 (bootstrap, probability q of failing to reach a minimum alpha).
* Gwet KL (2008) Computing inter-rater reliability and its variance in the presence of
  high agreement. Br J Math Stat Psychol 61:29-48 (AC1).
* De Vries H, Elliott MN, Kanouse DE, Teleki SS (2008) Using pooled kappa to summarize
  interrater agreement across many items. Field Methods 20:272-282.
* Passonneau R (2006) Measuring agreement on set-valued items (MASI) for semantic and
  pragmatic annotation. LREC 2006.
* Landis JR, Koch GG (1977) The measurement of observer agreement for categorical data.
  Biometrics 33:159-174.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_MINIMUMS",
    "Bootstrap",
    "Estimate",
    "agreement_report",
    "cohen_kappa",
    "cohen_kappa_table",
    "confusion_matrix",
    "gwet_ac1",
    "krippendorff_alpha",
    "krippendorff_label",
    "landis_koch",
    "masi_alpha",
    "masi_distance",
    "percent_agreement",
    "polarity_agreement",
    "pooled_kappa",
    "theme_agreement",
    "theme_agreement_variants",
    "to_jsonable",
]

#: Krippendorff's (2004) minimum acceptable alphas: .800 (reliable), .667 (tentative).
DEFAULT_MINIMUMS: tuple[float, ...] = (0.800, 0.667)
_Z975 = 1.959963984540054  # scipy.stats.norm.isf(0.025), as statsmodels uses
_CHUNK_CELLS = 4_000_000  # bootstrap resamples are drawn and reduced in blocks of this many cells
_BLOCK = 250  # resamples per block (each block: own child generator, may run in a thread)
_TAIL_FREQ = 8  # patterns of at most this many units are drawn by picking units (see _Table.draw)
_THREAD_CELLS = 2_000_000  # K x B above which blocks run in threads (numpy releases the GIL)
# Work limits of the pattern bootstrap (beyond them it is reported as not run, with the reason):
_MAX_BOOT_DISTANCE_CELLS = 2_500  # distinct set values V (the MASI bootstrap costs B x V^2)
_MAX_BOOT_DRAWS = 50_000_000  # B x K multinomial cells (K = distinct unit patterns)

Seed = int | np.random.Generator | np.random.SeedSequence | None


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap distribution summary of an alpha (Hayes & Krippendorff 2007).

    ``ci`` is the 95% percentile interval of the resampled alphas; ``p_below[m]`` is
    Krippendorff's q: the share of resampled alphas below the minimum ``m``. Both use
    only the ``defined`` resamples (a resample in which alpha is 0/0 -- e.g. a rare value
    drawn zero times -- is left out and counted). ``samples`` holds every resampled alpha
    (NaN marks an undefined resample); it is not part of :meth:`as_dict`.
    """

    resamples: int
    defined: int = 0
    ci: tuple[float, float] | None = None
    p_below: dict[float, float] = field(default_factory=dict, hash=False)
    reason: str | None = None
    samples: np.ndarray | None = field(default=None, repr=False, compare=False, hash=False)

    def as_dict(self) -> dict:
        return {
            "method": "percentile, units resampled with replacement",
            "resamples": self.resamples,
            "defined": self.defined,
            "ci": list(self.ci) if self.ci is not None else None,
            "p_below": {f"{m:.3f}": p for m, p in self.p_below.items()},
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Estimate:
    """One agreement statistic. ``value is None`` exactly when ``reason`` says why.

    ``se``/``ci``: asymptotic standard error and 95% CI where the statistic has one
    (Cohen's kappa), or the bootstrap percentile CI (alpha, see ``bootstrap``).
    ``n``: the number of units the statistic is computed over.
    ``interpretation``: Landis & Koch band (kappa) or Krippendorff label (alpha).
    """

    value: float | None
    reason: str | None = None
    se: float | None = None
    ci: tuple[float, float] | None = None
    n: int = 0
    interpretation: str | None = None
    bootstrap: Bootstrap | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.reason is None):
            raise ValueError("an Estimate has either a value or a reason why it is undefined")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"non-finite estimate {self.value!r}: report it as undefined with a reason")

    @property
    def defined(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict:
        data: dict[str, Any] = {
            "value": self.value,
            "reason": self.reason,
            "se": self.se,
            "ci": list(self.ci) if self.ci is not None else None,
            "n": self.n,
        }
        if self.interpretation is not None:
            data["interpretation"] = self.interpretation
        if self.bootstrap is not None:
            data["bootstrap"] = self.bootstrap.as_dict()
        return data


def _undefined(reason: str, n: int = 0) -> Estimate:
    return Estimate(None, reason, n=int(n))


def to_jsonable(obj: Any) -> Any:
    """Recursively turn results (Estimate, Bootstrap, numpy values, tuples) into JSON types."""
    if isinstance(obj, (Estimate, Bootstrap)):
        return to_jsonable(obj.as_dict())
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (frozenset, set)):
        return sorted(to_jsonable(v) for v in obj)
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ValueError("non-finite number in a report")
    return obj


# ----------------------------------------------------------------------------- labels


def _band_value(x: float | Estimate | None) -> float | None:
    if isinstance(x, Estimate):
        x = x.value
    if x is None:
        return None
    # Rounded to 12 decimals first, so 0.2 computed as 0.20000000000000004 stays on its band.
    return round(float(x), 12)


def landis_koch(kappa: float | Estimate | None) -> str | None:
    """Landis & Koch (1977) band: <0 poor, 0-.20 slight, .21-.40 fair, .41-.60 moderate,
    .61-.80 substantial, .81-1 almost perfect.

    Boundaries: each band includes its upper limit (0.20 is slight, 0.40 fair, 0.60
    moderate, 0.80 substantial); any value above a limit (e.g. 0.205, in the printed
    gap between .20 and .21) belongs to the next band. 0 is slight. None -> None.
    """
    k = _band_value(kappa)
    if k is None:
        return None
    if k < 0:
        return "poor"
    for limit, label in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if k <= limit:
            return label
    return "almost perfect"


def krippendorff_label(alpha: float | Estimate | None) -> str | None:
    """Krippendorff (2004): alpha >= .800 "reliable"; .667 <= alpha < .800 "tentative
    conclusions only"; alpha < .667 "unreliable". None -> None."""
    a = _band_value(alpha)
    if a is None:
        return None
    if a >= 0.800:
        return "reliable"
    if a >= 0.667:
        return "tentative conclusions only"
    return "unreliable"


# ----------------------------------------------------------------------------- inputs


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and math.isnan(v))


def _ordered_units(maps: Iterable[Mapping]) -> list:
    return list(dict.fromkeys(u for m in maps for u in m))


def _rows(ratings: Any) -> list[list]:
    """Per-coder value lists aligned on units (from a sequence of sequences or a mapping)."""
    if isinstance(ratings, Mapping):
        maps = list(ratings.values())
        units = _ordered_units(maps)
        return [[m.get(u) for u in units] for m in maps]
    rows = [list(r) for r in ratings]
    if rows and len({len(r) for r in rows}) != 1:
        raise ValueError("every coder's values must be aligned on the same units (equal lengths)")
    return rows


def _encode(ratings: Any, labels: Sequence | None = None) -> tuple[np.ndarray, list]:
    """Ratings -> (codes m x N, -1 = missing; the label list codes index into)."""
    rows = _rows(ratings)
    if len(rows) < 2:
        raise ValueError("agreement needs at least two coders")
    if labels is None:
        seen = dict.fromkeys(v for r in rows for v in r if not _is_missing(v))
        try:
            labels = sorted(seen)
        except TypeError:
            labels = list(seen)
    labels = list(labels)
    index = {v: i for i, v in enumerate(labels)}
    if len(index) != len(labels):
        raise ValueError("labels must be distinct")
    codes = np.full((len(rows), len(rows[0])), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if _is_missing(v):
                continue
            try:
                codes[i, j] = index[v]
            except KeyError:
                raise ValueError(f"value {v!r} (coder {i + 1}, unit {j + 1}) is not among the labels "
                                 f"{labels!r}") from None
    return codes, labels


def _rng(seed: Seed) -> np.random.Generator:
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------- two-coder tables


def _two(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if codes.shape[0] != 2:
        raise ValueError(f"this statistic is for two coders, got {codes.shape[0]}")
    both = (codes[0] >= 0) & (codes[1] >= 0)
    return codes[0][both], codes[1][both]


def _table(a: np.ndarray, b: np.ndarray, q: int) -> np.ndarray:
    return np.bincount(a * q + b, minlength=q * q).reshape(q, q)


def confusion_matrix(ratings: Any, labels: Sequence | None = None) -> np.ndarray:
    """Two coders' confusion matrix over the units both coded: rows = first coder,
    columns = second coder, both in ``labels`` order (default: sorted values)."""
    codes, labels = _encode(ratings, labels)
    a, b = _two(codes)
    return _table(a, b, len(labels))


def cohen_kappa_table(table: Any, labels: Sequence | None = None) -> Estimate:
    """Cohen's (1960) unweighted kappa from a square two-coder table, with the asymptotic
    standard error of Fleiss, Cohen & Everitt (1969) and 95% CI kappa +- z(.975)*SE.

    Matches ``statsmodels.stats.inter_rater.cohens_kappa(table)``: ``se`` is its
    ``std_kappa`` (the non-null ASE, which statsmodels uses for ``kappa_low``/``kappa_upp``);
    its ``std_kappa0`` (SE under H0: kappa = 0) is only for the z-test and not reported.
    The CI is not clipped to [-1, 1] (as statsmodels). Undefined (reason given) when the
    table is empty or the expected agreement is 1 (both coders used one and the same value
    for every unit: kappa = 0/0).
    """
    t = np.asarray(table, dtype=np.int64)
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise ValueError("a kappa table must be square")
    n = int(t.sum())
    if n == 0:
        return _undefined("no units coded by both coders", 0)
    rows, cols = t.sum(1), t.sum(0)
    if int((rows * cols).sum()) == n * n:  # exact: expected agreement is 1
        only = int(np.argmax(rows))
        name = repr(labels[only]) if labels is not None else f"#{only}"
        return _undefined(
            f"expected agreement is 1: both coders gave every one of the {n} units the same single value "
            f"({name}), so kappa = 0/0", n)
    p = t / n
    pr, pc = rows / n, cols / n
    po = float(np.trace(p))
    pe = float((pr * pc).sum())
    kappa = (po - pe) / (1 - pe)
    # Fleiss, Cohen & Everitt (1969), as statsmodels' var_kappa.
    term_a = (np.diag(p) * (1 - (pr + pc) * (1 - kappa)) ** 2).sum()
    off = p * (pc[:, None] + pr[None, :]) ** 2  # p_ij (p_.i + p_j.)^2
    np.fill_diagonal(off, 0)
    term_b = (1 - kappa) ** 2 * off.sum()
    term_c = (kappa - pe * (1 - kappa)) ** 2
    var = (term_a + term_b - term_c) / (1 - pe) ** 2 / n
    se = math.sqrt(max(float(var), 0.0))
    return Estimate(float(kappa), se=se, ci=(kappa - _Z975 * se, kappa + _Z975 * se), n=n,
                    interpretation=landis_koch(kappa))


def cohen_kappa(ratings: Any, labels: Sequence | None = None) -> Estimate:
    """Cohen's kappa for two coders over the units both coded (see :func:`cohen_kappa_table`)."""
    codes, labels = _encode(ratings, labels)
    a, b = _two(codes)
    return cohen_kappa_table(_table(a, b, len(labels)), labels)


def _percent_codes(codes: np.ndarray) -> Estimate:
    m = codes.shape[0]
    shares = []
    for i, j in combinations(range(m), 2):
        both = (codes[i] >= 0) & (codes[j] >= 0)
        nb = int(both.sum())
        if nb:
            shares.append(float((codes[i][both] == codes[j][both]).sum()) / nb)
    n = int(((codes >= 0).sum(0) >= 2).sum())
    if not shares:
        return _undefined("no unit was coded by two coders", 0)
    return Estimate(float(np.mean(shares)), n=n)


def percent_agreement(ratings: Any, labels: Sequence | None = None) -> Estimate:
    """Percent agreement: for two coders, the share of units coded by both on which they
    gave the same value (units coded by one coder are left out, not counted as agreement).
    For more coders: the mean over coder pairs of that pairwise share (pairs with no unit
    in common are left out); ``n`` is the number of units coded by two or more coders."""
    codes, _ = _encode(ratings, labels)
    return _percent_codes(codes)


def _ac1_from_patterns(patterns: np.ndarray, weights: np.ndarray, q: int) -> np.ndarray:
    """Multi-rater AC1 for each row of ``weights`` (how many units have each count pattern)."""
    ri = patterns.sum(1).astype(float)
    n = weights.sum(1)
    pa = weights @ ((patterns * (patterns - 1)).sum(1) / (ri * (ri - 1))) / n
    pi = weights @ (patterns / ri[:, None]) / n[:, None]
    pe = (pi * (1 - pi)).sum(1) / (q - 1)
    return (pa - pe) / (1 - pe)


def _ac1_counts(r: np.ndarray, q: int, bootstrap: int = 0, rng: np.random.Generator | None = None) -> Estimate:
    """AC1 from a units x values count matrix (units with >= 2 values only); with
    ``bootstrap``, a percentile CI from a multinomial draw over the count patterns."""
    n = r.shape[0]
    if n == 0:
        return _undefined("no unit was coded by two coders", 0)
    if q < 2:
        return _undefined("AC1 needs at least two possible values (q < 2)", n)
    value, boot = _over_patterns(r, lambda p, w: _ac1_from_patterns(p, w, q), bootstrap, rng)
    return Estimate(value, n=n, ci=boot.ci if boot else None, bootstrap=boot)


def _over_patterns(r: np.ndarray, statistic, bootstrap: int, rng: np.random.Generator | None
                   ) -> tuple[float, Bootstrap | None]:
    """A statistic of a units x values count matrix, and its bootstrap when asked.

    ``statistic(patterns, weights)`` gives one value per row of ``weights`` (B x k: how
    many units have each of the k distinct count patterns). Units with the same pattern
    are exchangeable, so a resample of the units is a multinomial draw over the patterns.
    No bootstrap when the statistic is undefined (NaN) on the data themselves."""
    patterns, counts = np.unique(r, axis=0, return_counts=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(statistic(patterns, counts[None, :].astype(float))[0])
        if not bootstrap or rng is None or math.isnan(value):
            return value, None
        draws = rng.multinomial(r.shape[0], counts / r.shape[0], size=bootstrap).astype(float)
        return value, _summarise(statistic(patterns, draws), ())


def _ac1_tables(tables: np.ndarray, q: int) -> np.ndarray:
    """AC1 of each of a stack of q x q tables (... x q x q): p_a = trace/n,
    pi_k = (row_k + col_k)/(2n), p_e = sum pi_k(1 - pi_k)/(q - 1)."""
    n = tables.sum((-2, -1))
    pa = np.trace(tables, axis1=-2, axis2=-1) / n
    pi = (tables.sum(-2) + tables.sum(-1)) / (2 * n[..., None])
    pe = (pi * (1 - pi)).sum(-1) / (q - 1)
    return (pa - pe) / (1 - pe)


def _ac1_table(table: np.ndarray, q: int | None = None, bootstrap: int = 0,
               rng: np.random.Generator | None = None, samples: np.ndarray | None = None) -> Estimate:
    """Gwet's two-rater AC1 from a q x q table, with a bootstrap percentile CI when asked:
    units resampled with replacement are a multinomial draw over the table's cells (or
    ``samples``: resampled AC1s computed by the caller from draws it already has)."""
    t = np.asarray(table, dtype=float)
    q = t.shape[0] if q is None else q
    n = t.sum()
    if n == 0:
        return _undefined("no units coded by both coders", 0)
    if q < 2:
        return _undefined("AC1 needs at least two possible values (q < 2)", int(n))
    value = float(_ac1_tables(t, q))
    if samples is None and bootstrap and rng is not None:
        draws = rng.multinomial(int(n), (t / n).ravel(), size=bootstrap).reshape(bootstrap, *t.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            samples = _ac1_tables(draws.astype(float), q)
    boot = _summarise(samples, ()) if samples is not None else None
    return Estimate(value, n=int(n), ci=boot.ci if boot else None, bootstrap=boot)


def _count_matrix(codes: np.ndarray, q: int) -> np.ndarray:
    """Units (with >= 2 values) x values: how many coders gave the unit each value."""
    c = codes[:, (codes >= 0).sum(0) >= 2]
    unit = np.broadcast_to(np.arange(c.shape[1]), c.shape)
    ok = c >= 0
    return np.bincount(unit[ok] * q + c[ok], minlength=c.shape[1] * q).reshape(c.shape[1], q)


def gwet_ac1(ratings: Any, labels: Sequence | None = None, *, bootstrap: int = 0,
             seed: Seed = None) -> Estimate:
    """Gwet's (2008) AC1 over the units coded by two or more coders.

    p_a = mean over units of sum_k r_ik(r_ik-1) / (r_i(r_i-1)); pi_k = mean over the same
    units of r_ik/r_i; p_e = sum_k pi_k(1-pi_k)/(q-1); AC1 = (p_a-p_e)/(1-p_e). For two
    coders this is Gwet's two-rater AC1 on the units both coded; for more coders his
    multi-rater form. (Gwet's 2014 handbook averages pi_k also over units rated once; the
    two agree when nothing is missing.) q = number of ``labels`` (the scheme's categories;
    default: the distinct values observed). With ``bootstrap``, a percentile 95% CI from
    units resampled with replacement; no asymptotic SE is reported.
    """
    codes, labels = _encode(ratings, labels)
    return _ac1_counts(_count_matrix(codes, len(labels)), len(labels), bootstrap,
                       _rng(seed) if bootstrap else None)


def _fleiss_from_patterns(patterns: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fleiss' kappa for each row of ``weights`` (how many units have each count pattern).

    ``patterns``: k x q, how many of the m coders gave each value; ``weights``: B x k.
    NaN where kappa is 0/0 (every coder gave every unit one and the same value)."""
    m = patterns[0].sum()
    n = weights.sum(1)
    agree = ((patterns * (patterns - 1)).sum(1) / (m * (m - 1)))  # P_i per pattern
    p_bar = weights @ agree / n
    p_j = weights @ patterns / (n * m)[:, None]
    p_e = (p_j ** 2).sum(1)
    return np.where(p_e < 1, (p_bar - p_e) / (1 - p_e), np.nan)


def _fleiss_counts(r: np.ndarray, bootstrap: int = 0, rng: np.random.Generator | None = None) -> Estimate:
    """Fleiss' kappa from a units x values count matrix whose rows all sum to m >= 2."""
    n = r.shape[0]
    if n == 0:
        return _undefined("no unit was coded by every coder", 0)
    value, boot = _over_patterns(r, _fleiss_from_patterns, bootstrap, rng)
    if math.isnan(value):
        return _undefined("every coder gave every unit the same value: expected agreement is 1", n)
    return Estimate(value, n=n, ci=boot.ci if boot else None, interpretation=landis_koch(value),
                    bootstrap=boot)


def fleiss_kappa(ratings: Any, labels: Sequence | None = None, *, bootstrap: int = 0,
                 seed: Seed = None) -> Estimate:
    """Fleiss' (1971) kappa for m >= 2 coders over the units coded by every coder.

    P_i = sum_j n_ij(n_ij - 1) / (m(m - 1)); p_j = share of all ratings in value j;
    kappa = (mean P_i - sum p_j^2) / (1 - sum p_j^2). With ``bootstrap``, a percentile
    95% CI from units resampled with replacement (no asymptotic SE: Fleiss, Nee and
    Landis' SE holds only under kappa = 0)."""
    codes, labels = _encode(ratings, labels)
    full = codes[:, (codes >= 0).all(0)]
    return _fleiss_counts(_count_matrix(full, len(labels)), bootstrap, _rng(seed) if bootstrap else None)


# ----------------------------------------------------------------------------- alpha machinery


def _masi_from_sizes(inter: np.ndarray, sa: np.ndarray, sb: np.ndarray) -> np.ndarray:
    union = sa + sb - inter
    jac = np.where(union > 0, inter / np.where(union > 0, union, 1), 1.0)
    m = np.where((inter == sa) & (inter == sb), 1.0,
                 np.where(inter == np.minimum(sa, sb), 2 / 3, np.where(inter > 0, 1 / 3, 0.0)))
    return 1.0 - jac * m


def masi_distance(a: Collection, b: Collection) -> float:
    """MASI distance (Passonneau 2006): 1 - J * M, J = Jaccard |a&b|/|a|b|, M = 1 if the
    sets are equal, 2/3 if one is a subset of the other, 1/3 if they otherwise intersect,
    0 if disjoint. Two empty sets are equal (distance 0)."""
    a, b = frozenset(a), frozenset(b)
    inter = np.array(len(a & b), dtype=float)
    return float(_masi_from_sizes(inter, np.array(float(len(a))), np.array(float(len(b)))))


class _Masi:
    """MASI distances between V distinct sets given as a V x E membership matrix.

    delta depends only on (|a|, |b|, |a & b|), so it is read from a lookup table built
    with the same arithmetic as :func:`masi_distance`.
    """

    def __init__(self, members: np.ndarray):
        self.members = np.asarray(members, dtype=bool)
        e = self.members.shape[1]
        self.sizes = self.members.sum(1).astype(np.int64)
        g = np.arange(e + 1, dtype=float)
        a, b, c = np.meshgrid(g, g, g, indexing="ij")
        self.lut = np.where(c <= np.minimum(a, b), _masi_from_sizes(c, a, b), 0.0)
        self._x = self.members.astype(np.float32)  # 0/1 dot products are exact in float32
        self.zeta_ok = e <= 16
        self.masks = (self.members.astype(np.int64) << np.arange(e, dtype=np.int64)).sum(1) if self.zeta_ok else None

    def pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        inter = (self.members[i] & self.members[j]).sum(1)
        return self.lut[self.sizes[i], self.sizes[j], inter]

    def block(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        inter = np.rint(self._x[i] @ self._x[j].T).astype(np.int64)
        return self.lut[self.sizes[i][:, None], self.sizes[j][None, :], inter]

    def expected_sum_zeta(self, values: np.ndarray, counts: np.ndarray) -> float:
        """sum_{c,k} n_c n_k delta_ck without the V x V matrix: for every pair of set sizes
        (a, b) the number of value pairs with each intersection size comes from superset
        sums over the 2^E subsets (sum_{|S|=j} g_a(S) g_b(S) counts pairs weighted by
        C(|a&b|, j)) and binomial inversion; exact integer arithmetic, O(E^2 2^E)."""
        e = self.members.shape[1]
        f = np.zeros((e + 1, 1 << e), dtype=np.int64)
        np.add.at(f, (self.sizes[values], self.masks[values]), np.rint(counts).astype(np.int64))
        for bit in range(e):
            view = f.reshape(e + 1, -1, 2, 1 << bit)
            view[:, :, 0, :] += view[:, :, 1, :]
        popcount = np.zeros(1 << e, dtype=np.int64)
        for bit in range(e):
            popcount += (np.arange(1 << e) >> bit) & 1
        moments = []
        for j in range(e + 1):
            g = f[:, popcount == j]
            moments.append([[int(v) for v in row] for row in g @ g.T])
        total = 0.0
        for a in range(e + 1):
            for b in range(e + 1):
                for c in range(min(a, b) + 1):
                    w = sum((-1) ** (j - c) * math.comb(j, c) * moments[j][a][b] for j in range(c, min(a, b) + 1))
                    if w:
                        total += float(self.lut[a, b, c]) * w
        return total


class _Table:
    """Units aggregated into K exchangeable patterns (the multiset of values a unit got).

    Only units with >= 2 values (pairable) are kept. Per pattern: its frequency, its
    observed-disagreement contribution sum_{i != j} delta(v_i, v_j) / (m_u - 1), and its
    values (for the value totals n_c). Alpha for any B x K matrix of pattern counts is then
    computed vectorised (Krippendorff 2011): alpha = 1 - (n-1) * sum_u obs_u / sum_{c,k} n_c n_k delta_ck.
    ``members`` (V x E bool) switches from the nominal to the MASI distance.
    """

    def __init__(self, codes: np.ndarray, n_values: int, labels: Sequence | None = None,
                 members: np.ndarray | None = None):
        self.labels = labels
        self.members = _Masi(members) if members is not None else None
        m = codes.shape[0]
        pairable = (codes >= 0).sum(0) >= 2
        cols = np.sort(codes[:, pairable], axis=0)  # missing (-1) first: a multiset per unit
        if cols.shape[1] == 0:
            pats = np.empty((m, 0), dtype=np.int64)
            freq = np.empty(0, dtype=np.int64)
        elif (n_values + 1) ** m < 2 ** 62:
            base = n_values + 1
            key = np.zeros(cols.shape[1], dtype=np.int64)
            for i in range(m):
                key = key * base + (cols[i] + 1)
            _, first, freq = np.unique(key, return_index=True, return_counts=True)
            pats = cols[:, first]
        else:
            pats, freq = np.unique(cols, axis=1, return_counts=True)
        order = np.argsort(-freq, kind="stable")  # large cells first: multinomial draws run faster
        pats, freq = pats[:, order], freq[order]
        self.pats, self.freq = pats, freq
        self.n_units = int(freq.sum())
        valid = pats >= 0
        mk = valid.sum(0)
        obs = np.zeros(pats.shape[1])
        for i, j in combinations(range(pats.shape[0]), 2):
            both = valid[i] & valid[j]
            obs[both] += 2 * self.delta_pairs(pats[i][both], pats[j][both])
        self.obs = obs / np.maximum(mk - 1, 1)
        ks = np.concatenate([np.nonzero(valid[i])[0] for i in range(pats.shape[0])] or [np.empty(0, np.int64)])
        vs = np.concatenate([pats[i][valid[i]] for i in range(pats.shape[0])] or [np.empty(0, np.int64)])
        order = np.argsort(vs, kind="stable")
        self.inc_k, vs = ks[order], vs[order]
        self.starts = np.flatnonzero(np.r_[True, vs[1:] != vs[:-1]]) if vs.size else np.empty(0, np.int64)
        self.values = vs[self.starts] if vs.size else np.empty(0, np.int64)
        self._delta = None

    # distances ------------------------------------------------------------------
    def delta_pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if self.members is None:
            return (i != j).astype(float)
        return self.members.pairs(i, j)

    def _expected_sum(self, nv: np.ndarray) -> np.ndarray:
        """sum_{c,k} n_c n_k delta_ck per row of nv (B x U totals of the present values)."""
        if self.members is None:
            n = nv.sum(1)
            return n * n - (nv * nv).sum(1)
        u = len(self.values)
        if u <= _MAX_BOOT_DISTANCE_CELLS:
            if self._delta is None:
                self._delta = self.members.block(self.values, self.values)
            return ((nv @ self._delta) * nv).sum(1)
        if self.members.zeta_ok:
            return np.array([self.members.expected_sum_zeta(self.values, row) for row in nv])
        out = np.zeros(nv.shape[0])
        step = max(1, _CHUNK_CELLS // u)
        for s in range(0, u, step):
            block = self.members.block(self.values, self.values[s:s + step])
            out += ((nv @ block) * nv[:, s:s + step]).sum(1)
        return out

    # alpha ----------------------------------------------------------------------
    def alphas(self, counts: np.ndarray) -> np.ndarray:
        """Alpha for each row of a (B x K) pattern-count matrix; NaN where undefined."""
        counts = np.asarray(counts, dtype=float)
        if counts.shape[1] == 0:
            return np.full(counts.shape[0], np.nan)
        nv = np.add.reduceat(counts[:, self.inc_k], self.starts, axis=1)
        n = nv.sum(1)
        ok = (nv > 0).sum(1) >= 2  # >= 2 distinct values: D_e > 0 (the distances are positive)
        de = self._expected_sum(nv)
        do = counts @ self.obs
        return np.where(ok, 1.0 - (n - 1) * do / np.where(ok, de, 1.0), np.nan)

    def resample_blocks(self, bootstrap: int, rng: np.random.Generator) -> list[tuple[int, np.random.Generator]]:
        """The B resamples as blocks (size, generator), each block drawn by :meth:`draw` from
        its own child of ``rng`` (``rng.spawn``): the same result whether blocks run in threads or not."""
        size = max(1, min(_BLOCK, _CHUNK_CELLS // max(len(self.freq), len(self.values), 1)))
        sizes = [min(size, bootstrap - s) for s in range(0, bootstrap, size)]
        return list(zip(sizes, rng.spawn(len(sizes))))

    def draw(self, size: int, generator: np.random.Generator) -> np.ndarray:
        """``size`` resamples of the n pairable units with replacement, as a (size x K) matrix
        of pattern counts: Multinomial(n, freq/n) per row, drawn exactly in two steps. Patterns
        with more than ``_TAIL_FREQ`` units get one binomial each (numpy's multinomial); the
        rest are pooled into one cell whose draws are then spread by picking uniformly among
        the pooled units (cheaper than one binomial per rare pattern, same distribution)."""
        n, freq = self.n_units, self.freq
        head = int(np.searchsorted(-freq, -_TAIL_FREQ, side="left"))  # freq is sorted descending
        if head >= len(freq) - 1:
            return generator.multinomial(n, freq / n, size=size)
        tail_freq = freq[head:]
        tail_units = int(tail_freq.sum())
        cells = generator.multinomial(n, np.r_[freq[:head], tail_units] / n, size=size)
        drawn = cells[:, head]
        picks = generator.integers(0, tail_units, size=int(drawn.sum()))
        pattern = np.repeat(np.arange(len(tail_freq)), tail_freq)[picks]
        row = np.repeat(np.arange(size), drawn)
        tail = np.bincount(row * len(tail_freq) + pattern, minlength=size * len(tail_freq))
        return np.concatenate([cells[:, :head], tail.reshape(size, len(tail_freq))], axis=1)

    def _label(self, v: int) -> str:
        if self.members is not None:
            return "{" + ", ".join(map(str, self.labels[v])) + "}" if self.labels is not None else f"#{v}"
        return repr(self.labels[v]) if self.labels is not None else f"#{v}"

    def estimate(self, bootstrap: int, rng: np.random.Generator | None, minimums) -> Estimate:
        if self.n_units == 0:
            return _undefined("no unit has values from two or more coders (no pairable values)", 0)
        present = self.values[np.add.reduceat(self.freq[self.inc_k], self.starts) > 0]
        if len(present) < 2:
            return _undefined(
                f"only one value ({self._label(int(present[0]))}) occurs among the pairable values of the "
                f"{self.n_units} units: expected disagreement D_e = 0, so alpha = 0/0", self.n_units)
        value = float(self.alphas(self.freq[None, :])[0])
        boot = None
        if bootstrap and self.members is not None and len(self.values) > _MAX_BOOT_DISTANCE_CELLS:
            boot = Bootstrap(bootstrap, reason=(
                f"not run: {len(self.values)} distinct sets would need {bootstrap} x {len(self.values)}^2 "
                f"distance terms (limit: {_MAX_BOOT_DISTANCE_CELLS} distinct sets)"))
        elif bootstrap and bootstrap * len(self.freq) > _MAX_BOOT_DRAWS:
            boot = Bootstrap(bootstrap, reason=(
                f"not run: {len(self.freq)} distinct unit patterns would need {bootstrap} x {len(self.freq)} "
                f"multinomial cells (limit: {_MAX_BOOT_DRAWS:.0e})"))
        elif bootstrap:
            blocks = self.resample_blocks(bootstrap, rng)
            work = lambda block: self.alphas(self.draw(*block))
            if len(self.freq) * bootstrap >= _THREAD_CELLS and len(blocks) > 1:
                with ThreadPoolExecutor(max_workers=min(len(blocks), os.cpu_count() or 1)) as pool:
                    parts = list(pool.map(work, blocks))
            else:
                parts = [work(block) for block in blocks]
            boot = _summarise(np.concatenate(parts), minimums)
        return Estimate(value, n=self.n_units, ci=boot.ci if boot else None,
                        interpretation=krippendorff_label(value), bootstrap=boot)


def _summarise(samples: np.ndarray, minimums: Sequence[float]) -> Bootstrap:
    ok = ~np.isnan(samples)
    d = samples[ok]
    if d.size == 0:
        return Bootstrap(len(samples), 0, reason="alpha is undefined in every resample", samples=samples)
    lo, hi = np.percentile(d, [2.5, 97.5])
    return Bootstrap(len(samples), int(d.size), (float(lo), float(hi)),
                     {float(m): float((d < m).mean()) for m in minimums}, samples=samples)


def krippendorff_alpha(ratings: Any, labels: Sequence | None = None, *, bootstrap: int = 0,
                       seed: Seed = None, minimums: Sequence[float] = DEFAULT_MINIMUMS) -> Estimate:
    """Krippendorff's (2011) alpha for nominal data: any number of coders, missing values
    allowed; only units with two or more values (pairable) count. alpha = 1 - D_o/D_e from
    the coincidence matrix. ``n`` = pairable units.

    ``bootstrap=B`` adds a percentile 95% CI and, per minimum, the probability that alpha
    falls below it: the pairable units are resampled with replacement (seeded numpy
    Generator); since units with the same multiset of values are exchangeable, a resample
    is one multinomial draw of n units over the K observed patterns, and all B alphas are
    computed at once from the B x K count matrix. Undefined (reason given) when no unit is
    pairable or only one value occurs (D_e = 0).
    """
    codes, labels = _encode(ratings, labels)
    return _Table(codes, len(labels), labels).estimate(bootstrap, _rng(seed) if bootstrap else None, minimums)


def _encode_sets(ratings: Any) -> tuple[np.ndarray, list[frozenset], np.ndarray]:
    rows = _rows(ratings)
    if len(rows) < 2:
        raise ValueError("agreement needs at least two coders")
    sets: dict[frozenset, int] = {}
    codes = np.full((len(rows), len(rows[0])), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is None:
                continue
            codes[i, j] = sets.setdefault(frozenset(v), len(sets))
    values = list(sets)
    elements = {e: k for k, e in enumerate(dict.fromkeys(e for s in values for e in s))}
    members = np.zeros((len(values), len(elements)), dtype=bool)
    for k, s in enumerate(values):
        members[k, [elements[e] for e in s]] = True
    return codes, values, members


def masi_alpha(ratings: Any, *, bootstrap: int = 0, seed: Seed = None,
               minimums: Sequence[float] = DEFAULT_MINIMUMS) -> Estimate:
    """Krippendorff's alpha on set values with the MASI distance (Passonneau 2006).

    ``ratings``: per-coder sequences of sets (None = missing) aligned on units, or
    ``{coder: {unit: set}}``. General distance form (Krippendorff 2011): D_o = (1/n)
    sum_u sum_{i != j} delta(v_ui, v_uj)/(m_u - 1), D_e = sum_{c,k} n_c n_k delta_ck/(n(n-1))
    over the pairable values (units with >= 2 coders); alpha = 1 - D_o/D_e. Equals the
    nominal alpha when every set is a singleton. Bootstrap as :func:`krippendorff_alpha`
    (patterns = multisets of sets).
    """
    codes, values, members = _encode_sets(ratings)
    table = _Table(codes, len(values), [sorted(map(str, s)) for s in values], members)
    return table.estimate(bootstrap, _rng(seed) if bootstrap else None, minimums)


# ----------------------------------------------------------------------------- theme layer


def _theme_counts(ma: np.ndarray, mb: np.ndarray, t: int) -> np.ndarray:
    """(T x 4) counts per theme: both, only a, only b, neither."""
    bits = np.arange(t, dtype=np.int64)
    pa = ((ma[:, None] >> bits) & 1).astype(bool)
    pb = ((mb[:, None] >> bits) & 1).astype(bool)
    both = (pa & pb).sum(0)
    only_a = pa.sum(0) - both
    only_b = pb.sum(0) - both
    return np.stack([both, only_a, only_b, len(ma) - both - only_a - only_b], axis=1)


def _binary_alpha(c11: np.ndarray, cd: np.ndarray, c00: np.ndarray) -> np.ndarray:
    """Nominal alpha for two coders, no missing, present/absent: from the counts of units
    both-present, disagreeing and both-absent (any array shape); NaN where undefined."""
    n1 = 2 * c11 + cd
    n0 = 2 * c00 + cd
    total = n1 + n0
    ok = (n1 > 0) & (n0 > 0)
    return np.where(ok, 1.0 - (total - 1) * cd / np.where(ok, n1 * n0, 1.0), np.nan)


def _theme_reason(kind: str, n: int) -> str:
    return (f"neither coder used this theme on any of the {n} units" if kind == "none" else
            f"both coders used this theme on every one of the {n} units")


def pooled_kappa(tables: Iterable[Any]) -> Estimate:
    """Pooled kappa (De Vries et al. 2008) over items (themes): kappa_pooled =
    (sum_t p_o,t - sum_t p_e,t) / (sum_t (1 - p_e,t)), i.e. Cohen's kappa with observed and
    expected agreement averaged over the themes' 2 x 2 tables. Themes used by neither coder
    contribute p_o = p_e = 1 and so do not change it. All tables must share the same n.
    Undefined when there are no units or every theme has expected agreement 1."""
    po = pe = q = 0.0
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
        r, c = t.sum(1), t.sum(0)
        po += float(np.trace(t)) / nt
        pe_t = float((r * c).sum()) / nt / nt
        pe += pe_t
        if int((r * c).sum()) != nt * nt:
            q += 1 - pe_t
    if not n:
        return _undefined("no units", 0)
    if q == 0:
        return _undefined("every theme has expected agreement 1 (each theme used by neither coder, or by "
                          "both on every unit): pooled kappa = 0/0", n)
    k = (po - pe) / q
    return Estimate(k, n=n, interpretation=landis_koch(k))


def _theme_mask(themes: frozenset, theme_bit: Mapping[str, int], cache: dict[frozenset, int], where: str) -> int:
    """A theme set as a bit mask (one bit per theme); cached, since coders reuse a few sets."""
    mask = cache.get(themes)
    if mask is None:
        unknown = themes - theme_bit.keys()
        if unknown:
            raise ValueError(f"{where}: unknown theme(s) {sorted(map(str, unknown))}")
        mask = cache[themes] = sum(1 << theme_bit[x] for x in themes)
    return mask


def _masks_from_sets(sets: Iterable, theme_bit: Mapping[str, int], where: str) -> np.ndarray:
    cache: dict[frozenset, int] = {}
    return np.asarray([_theme_mask(frozenset(s or ()), theme_bit, cache, where) for s in sets], dtype=np.int64)


def _theme_core(ma: np.ndarray, mb: np.ndarray, themes: Sequence[str], definition: str | None,
                coders: Sequence[str], bootstrap: int, rng: np.random.Generator | None, minimums) -> dict:
    n, t = len(ma), len(themes)
    counts = _theme_counts(ma, mb, t)
    boots: np.ndarray | None = None
    ac1_boots: np.ndarray | None = None
    if bootstrap and n:
        c11, cd, c00 = counts[:, 0], counts[:, 1] + counts[:, 2], counts[:, 3]
        p = np.stack([c11, cd, c00], axis=1) / n
        draws = rng.multinomial(n, p, size=(bootstrap, t))  # B x T x 3: every theme at once
        boots = _binary_alpha(draws[..., 0].astype(float), draws[..., 1].astype(float), draws[..., 2].astype(float))
        # AC1 of a 2 x 2 table depends on the same three counts: the same draws give its CI.
        half = draws[..., 1] / 2.0
        tables_b = np.stack([np.stack([draws[..., 2], half], -1), np.stack([half, draws[..., 0]], -1)], -2)
        with np.errstate(divide="ignore", invalid="ignore"):
            ac1_boots = _ac1_tables(tables_b.astype(float), 2)
    per_theme = {}
    tables = []
    for k, theme in enumerate(themes):
        both, oa, ob, neither = (int(x) for x in counts[k])
        table = np.array([[neither, ob], [oa, both]])  # rows: first coder absent/present
        tables.append(table)
        used_a, used_b = both + oa, both + ob
        entry: dict[str, Any] = {
            "n": n,
            "counts": {"both": both, "only": {coders[0]: oa, coders[1]: ob}, "neither": neither},
            "prevalence": {
                c: (Estimate(u / n, n=n) if n else _undefined("no units", 0)) for c, u in zip(coders, (used_a, used_b))
            },
        }
        if n == 0:
            for key in ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "gwet_ac1"):
                entry[key] = _undefined("no units in this unit set", 0)
            per_theme[theme] = entry
            continue
        entry["percent_agreement"] = Estimate((both + neither) / n, n=n)
        degenerate = "none" if used_a == used_b == 0 else "all" if used_a == used_b == n else None
        if degenerate:
            reason = _theme_reason(degenerate, n)
            entry["cohen_kappa"] = _undefined(f"{reason}: expected agreement is 1, so kappa = 0/0", n)
            entry["krippendorff_alpha"] = _undefined(f"{reason}: only one value occurs, D_e = 0, so alpha = 0/0", n)
        else:
            entry["cohen_kappa"] = cohen_kappa_table(table)
            value = float(_binary_alpha(np.array(both), np.array(oa + ob), np.array(neither)))
            boot = _summarise(boots[:, k], minimums) if boots is not None else None
            entry["krippendorff_alpha"] = Estimate(value, n=n, ci=boot.ci if boot else None,
                                                   interpretation=krippendorff_label(value), bootstrap=boot)
        entry["gwet_ac1"] = _ac1_table(table, samples=ac1_boots[:, k] if boots is not None else None)
        per_theme[theme] = entry
    # MASI alpha on the theme sets themselves (two coders, every unit has both values).
    if n:
        uniq, inv = np.unique(np.concatenate([ma, mb]), return_inverse=True)
        codes = inv.reshape(2, n).astype(np.int64)
        members = ((uniq[:, None] >> np.arange(t)) & 1).astype(bool)
        labels = [[themes[b] for b in range(t) if members[v, b]] for v in range(len(uniq))]
        masi = _Table(codes, len(uniq), labels, members).estimate(bootstrap, rng, minimums)
    else:
        masi = _undefined("no units in this unit set", 0)
    return {
        "definition": definition,
        "n": n,
        "themes": per_theme,
        "pooled_kappa": pooled_kappa(tables) if n else _undefined("no units in this unit set", 0),
        "masi_alpha": masi,
    }


def theme_agreement(sets_a: Any, sets_b: Any, themes: Sequence[str], *, units: Iterable | None = None,
                    definition: str | None = None, coders: Sequence[str] = ("a", "b"), bootstrap: int = 0,
                    seed: Seed = None, minimums: Sequence[float] = DEFAULT_MINIMUMS) -> dict:
    """Per-theme present/absent agreement of two coders over the units the CALLER chose.

    ``sets_a``/``sets_b``: aligned sequences of theme sets, or mappings unit -> theme set
    with ``units`` naming the units (a unit absent from a mapping has no themes).
    Per theme: n, counts (both / only one coder / neither), each coder's prevalence (share
    of the n units carrying the theme), percent agreement, Cohen's kappa (+ASE, CI),
    Krippendorff's alpha, Gwet's AC1 (q = 2). Across themes: :func:`pooled_kappa` and the
    MASI alpha on the theme sets. Returns a dict of Estimates (:func:`to_jsonable` turns it
    into JSON types).

    Bootstrap (``bootstrap=B``): for a theme, a unit is one of three exchangeable patterns
    (both present, coders disagree, both absent), so a resample of the n units is
    ``Multinomial(n, those counts / n)``; one ``rng.multinomial(n, p, size=(B, T))`` call draws
    the B resamples of every theme at once (independently per theme, which gives each theme
    exactly the distribution of resampling units) and the B x T alphas are computed in closed
    form. The MASI alpha is bootstrapped afterwards from the same generator (patterns =
    unordered pairs of theme sets, see :func:`krippendorff_alpha`).
    """
    if units is not None:
        units = list(units)
        sets_a = [sets_a.get(u, ()) for u in units]
        sets_b = [sets_b.get(u, ()) for u in units]
    sets_a, sets_b = list(sets_a), list(sets_b)
    if len(sets_a) != len(sets_b):
        raise ValueError("the two coders' theme sets must be aligned on the same units")
    theme_bit = _theme_bits(themes)
    ma = _masks_from_sets(sets_a, theme_bit, f"coder {coders[0]}")
    mb = _masks_from_sets(sets_b, theme_bit, f"coder {coders[1]}")
    return _theme_core(ma, mb, list(themes), definition, coders, bootstrap,
                       _rng(seed) if bootstrap else None, minimums)


def _theme_bits(themes: Sequence[str]) -> dict[str, int]:
    bits = {t: i for i, t in enumerate(themes)}
    if len(bits) != len(themes):
        raise ValueError("theme keys must be distinct")
    if len(bits) > 62:
        raise ValueError("at most 62 themes")
    return bits


THEME_TAKING = ("units both coders coded and both put in a category that takes themes; "
                "a theme is present/absent in each coder's theme set")
ALL_CODED = ("all units both coders coded; a unit in a category without themes counts as "
             "'theme absent' for that coder")


def theme_agreement_variants(codings_a: Mapping[Hashable, tuple], codings_b: Mapping[Hashable, tuple],
                             themes: Sequence[str], theme_categories: Collection[str], *,
                             coders: Sequence[str] = ("a", "b"), bootstrap: int = 0, seed: Seed = None,
                             minimums: Sequence[float] = DEFAULT_MINIMUMS) -> dict:
    """Theme agreement over both standard unit sets, each labelled with its definition and n.

    ``codings_x``: ``{unit: (category or None, theme set)}``. Returns
    ``{"theme_taking": ..., "all_coded": ...}`` (see :func:`theme_agreement`):
    (a) units both coders put in a theme-taking category; (b) all units both coders coded.
    """
    rng = _rng(seed) if bootstrap else None
    units = [u for u in codings_a if u in codings_b
             and codings_a[u][0] is not None and codings_b[u][0] is not None]
    taking = [u for u in units if codings_a[u][0] in theme_categories and codings_b[u][0] in theme_categories]
    out = {}
    for key, chosen, definition in (("theme_taking", taking, THEME_TAKING), ("all_coded", units, ALL_CODED)):
        out[key] = theme_agreement([codings_a[u][1] for u in chosen], [codings_b[u][1] for u in chosen], themes,
                                   definition=definition, coders=coders, bootstrap=bootstrap, seed=rng,
                                   minimums=minimums)
    return out


# ----------------------------------------------------------------------------- polarity


POLARITY = ("units both coders mapped to a behaviour category (effective or ineffective); "
            "value = effective vs ineffective")


def _two_coder_nominal(codes: np.ndarray, labels: list, bootstrap: int, rng, minimums,
                       alpha: Estimate | None = None) -> dict:
    a, b = _two(codes)
    q = len(labels)
    table = _table(a, b, q)
    if alpha is None:
        alpha = _Table(codes, q, labels).estimate(bootstrap, rng, minimums)
    # A child generator: AC1's resamples leave the alpha resamples' stream as it was.
    ac1_rng = rng.spawn(1)[0] if bootstrap and rng is not None else None
    return {
        "n": int(len(a)),
        "percent_agreement": _percent_codes(codes),
        "cohen_kappa": cohen_kappa_table(table, labels),
        "krippendorff_alpha": alpha,
        "gwet_ac1": _ac1_table(table, q, bootstrap, ac1_rng),
        "confusion_matrix": {"labels": list(labels), "matrix": table},
    }


def polarity_agreement(categories_a: Mapping[Hashable, str | None], categories_b: Mapping[Hashable, str | None],
                       effective: Collection[str], ineffective: Collection[str], *, bootstrap: int = 0,
                       seed: Seed = None, minimums: Sequence[float] = DEFAULT_MINIMUMS) -> dict:
    """Agreement on effective vs ineffective over the units both coders mapped to a behaviour
    category (``effective``/``ineffective`` name the categories of each polarity). Units one
    coder put elsewhere are left out (that disagreement shows in the category layer).
    Percent agreement, Cohen's kappa, Krippendorff's alpha (+bootstrap), AC1 (q = 2),
    confusion matrix (rows = first coder)."""
    if set(effective) & set(ineffective):
        raise ValueError("a category cannot be both effective and ineffective")
    polarity = {c: 0 for c in effective} | {c: 1 for c in ineffective}
    units = [u for u, c in categories_a.items() if c in polarity and categories_b.get(u) in polarity]
    codes = np.array([[polarity[categories_a[u]] for u in units], [polarity[categories_b[u]] for u in units]],
                     dtype=np.int64).reshape(2, len(units))
    out = {"definition": POLARITY}
    out.update(_two_coder_nominal(codes, ["effective", "ineffective"], bootstrap,
                                  _rng(seed) if bootstrap else None, minimums))
    return out


# ----------------------------------------------------------------------------- the report


def agreement_report(codings: Mapping[str, Mapping[Hashable, tuple[str | None, Collection[str]]]],
                     categories: Sequence[str], theme_categories: Collection[str], effective: Collection[str],
                     ineffective: Collection[str], themes: Sequence[str], *, bootstrap: int = 1000,
                     seed: Seed = None, minimums: Sequence[float] = DEFAULT_MINIMUMS) -> dict:
    """Full JSON-able agreement report of two or more coders.

    ``codings``: ``{coder: {unit: (category or None, frozenset(themes))}}``; category None
    (or a unit absent from a coder's dict) = not coded by that coder. Codebook facts:
    ``categories`` (keys, in order), ``theme_categories`` (those taking themes),
    ``effective``/``ineffective`` (polarity), ``themes`` (keys, in order).

    Sections: ``units`` (counts coded per coder, by all, by two or more); ``category``
    (all coders: percent = mean pairwise, alpha + bootstrap, AC1; with two coders also
    kappa and the confusion matrix); ``pairs`` (one per coder pair: category kappa and
    confusion matrix, ``polarity``, ``themes`` for the two unit sets of
    :func:`theme_agreement_variants`). ``seed=None`` draws fresh entropy and records it in
    ``bootstrap.seed`` so the report can be reproduced.
    """
    coders = list(codings)
    if len(coders) < 2:
        raise ValueError("an agreement report needs at least two coders")
    categories = list(categories)
    cat_index = {c: i for i, c in enumerate(categories)}
    if len(cat_index) != len(categories):
        raise ValueError("category keys must be distinct")
    for name, group in (("theme_categories", theme_categories), ("effective", effective),
                        ("ineffective", ineffective)):
        unknown = set(group) - cat_index.keys()
        if unknown:
            raise ValueError(f"{name}: unknown categories {sorted(unknown)}")
    if set(effective) & set(ineffective):
        raise ValueError("a category cannot be both effective and ineffective")
    themes = list(themes)
    theme_bit = _theme_bits(themes)
    taking = np.zeros(len(categories), dtype=bool)
    taking[[cat_index[c] for c in theme_categories]] = True

    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0 resamples")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    recorded_seed = int(seed) if isinstance(seed, (int, np.integer)) else None
    rng = _rng(seed)

    units = _ordered_units(codings[c] for c in coders)
    position = {u: j for j, u in enumerate(units)}
    m, n_units = len(coders), len(units)
    cats = np.full((m, n_units), -1, dtype=np.int64)
    masks = np.zeros((m, n_units), dtype=np.int64)
    for i, coder in enumerate(coders):
        cache: dict[frozenset, int] = {}
        row_c, row_m = cats[i], masks[i]
        for unit, value in codings[coder].items():
            try:
                category, unit_themes = value
            except (TypeError, ValueError):
                raise ValueError(f"coder {coder!r}, unit {unit!r}: expected (category, themes), "
                                 f"got {value!r}") from None
            j = position[unit]
            if category is None:
                if unit_themes:
                    raise ValueError(f"coder {coder!r}, unit {unit!r}: themes without a category")
                continue
            k = cat_index.get(category)
            if k is None:
                raise ValueError(f"coder {coder!r}, unit {unit!r}: unknown category {category!r}")
            row_c[j] = k
            if unit_themes:
                if not taking[k]:
                    raise ValueError(f"coder {coder!r}, unit {unit!r}: themes on category {category!r}, "
                                     "which takes no themes")
                key = unit_themes if isinstance(unit_themes, frozenset) else frozenset(unit_themes)
                row_m[j] = _theme_mask(key, theme_bit, cache, f"coder {coder!r}, unit {unit!r}")

    coded = cats >= 0
    report: dict[str, Any] = {
        "coders": coders,
        "units": {
            "total": n_units,
            "coded": {c: int(coded[i].sum()) for i, c in enumerate(coders)},
            "coded_by_all": int(coded.all(0).sum()),
            "coded_by_two_or_more": int((coded.sum(0) >= 2).sum()),
        },
        "bootstrap": {"resamples": bootstrap, "seed": recorded_seed, "minimums": list(minimums),
                      "method": "percentile 95% CI; units resampled with replacement "
                                "(multinomial over exchangeable unit patterns)"},
        "definitions": DEFINITIONS,
    }
    boot_rng = rng if bootstrap else None
    cat_alpha = _Table(cats, len(categories), categories).estimate(bootstrap, boot_rng, minimums)
    category: dict[str, Any] = {
        "labels": categories,
        "n": int((coded.sum(0) >= 2).sum()),
        "percent_agreement": _percent_codes(cats),
        "krippendorff_alpha": cat_alpha,
        "gwet_ac1": _ac1_counts(_count_matrix(cats, len(categories)), len(categories), bootstrap,
                                rng.spawn(1)[0] if bootstrap else None),
    }
    if m >= 3:
        category["fleiss_kappa"] = _fleiss_counts(_count_matrix(cats[:, coded.all(0)], len(categories)),
                                                  bootstrap, rng.spawn(1)[0] if bootstrap else None)
    polarity = np.full(len(categories), -1, dtype=np.int64)
    polarity[[cat_index[c] for c in effective]] = 0
    polarity[[cat_index[c] for c in ineffective]] = 1

    pairs = []
    for i, j in combinations(range(m), 2):
        a, b = coders[i], coders[j]
        both = coded[i] & coded[j]
        pair_codes = cats[[i, j]]
        cat = _two_coder_nominal(pair_codes, categories, bootstrap, boot_rng, minimums,
                                 alpha=cat_alpha if m == 2 else None)
        pol_units = both & (polarity[np.maximum(cats[i], 0)] >= 0) & (polarity[np.maximum(cats[j], 0)] >= 0)
        pol_codes = np.stack([polarity[cats[i][pol_units]], polarity[cats[j][pol_units]]])
        pol = {"definition": POLARITY}
        pol.update(_two_coder_nominal(pol_codes, ["effective", "ineffective"], bootstrap, boot_rng, minimums))
        take = both & taking[np.maximum(cats[i], 0)] & taking[np.maximum(cats[j], 0)]
        theme_sets = {}
        for key, sel, definition in (("theme_taking", take, THEME_TAKING), ("all_coded", both, ALL_CODED)):
            theme_sets[key] = _theme_core(masks[i][sel], masks[j][sel], themes, definition, (a, b),
                                          bootstrap, boot_rng, minimums)
        pairs.append({
            "coders": [a, b],
            "units": {"coded_by_both": int(both.sum()),
                      "coded_by_one_only": {a: int((coded[i] & ~coded[j]).sum()),
                                            b: int((coded[j] & ~coded[i]).sum())}},
            "category": cat,
            "polarity": pol,
            "themes": theme_sets,
        })
        if m == 2:
            category["cohen_kappa"] = cat["cohen_kappa"]
            category["confusion_matrix"] = cat["confusion_matrix"]
    report["category"] = category
    report["pairs"] = pairs
    return to_jsonable(report)


DEFINITIONS = {
    "missing": "a unit coded by one coder only is missing for the other, never agreement",
    "percent_agreement": "share of the units coded by both coders with the same value; with more than two "
                         "coders, the mean of that share over coder pairs",
    "cohen_kappa": "Cohen (1960), unweighted, units coded by both; se = asymptotic SE of Fleiss, Cohen & "
                   "Everitt (1969) (statsmodels std_kappa); ci = kappa +- 1.96 se",
    "krippendorff_alpha": "Krippendorff (2011), nominal, units with two or more values; n = pairable units; "
                          "ci = bootstrap percentile interval",
    "gwet_ac1": "Gwet (2008), q = number of possible values, units coded by two or more coders; ci = "
                "bootstrap percentile interval (units resampled as for alpha)",
    "fleiss_kappa": "Fleiss (1971), three or more coders, units coded by every coder; ci = bootstrap "
                    "percentile interval (no SE: the Fleiss, Nee & Landis SE holds only under kappa = 0)",
    "pooled_kappa": "De Vries et al. (2008): (sum of observed - sum of expected agreement) / "
                    "(themes - sum of expected agreement), over the themes' present/absent tables",
    "masi_alpha": "Krippendorff's alpha on the theme sets with the MASI distance (Passonneau 2006): "
                  "1 - Jaccard x M, M = 1 equal, 2/3 subset, 1/3 overlap, 0 disjoint",
    "prevalence": "share of the unit set's units on which the coder used the theme",
    "bootstrap": "units (for alpha: the pairable units) resampled with replacement B times; ci = 2.5th and "
                 "97.5th percentiles of the resampled alphas; resamples where alpha is 0/0 are left out and "
                 "counted ('defined'); per-theme alphas resample each theme's present/absent patterns",
    "p_below": "Krippendorff's q: share of bootstrap alphas below the minimum",
    "interpretation": "kappa: Landis & Koch (1977) bands, upper limits inclusive (<0 poor, <=.20 slight, "
                      "<=.40 fair, <=.60 moderate, <=.80 substantial, else almost perfect); alpha: >=.800 "
                      "reliable, >=.667 tentative conclusions only, else unreliable",
    "undefined": "value null with a reason: the statistic is 0/0 for these data (never reported as 0)",
}
