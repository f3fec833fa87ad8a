"""Thematic saturation, the method of Guest, Namey & Chen (2020), as pure computation.

Guest G, Namey E, Chen M (2020) A simple method to assess and report thematic saturation
in qualitative research. PLoS ONE 15(5): e0232076.

Input: a units x themes matrix of counts (how many comments of each transcript carry each
theme), rows in the order the transcripts were collected. The method:

* **base size** b: the first b transcripts; the number of distinct themes found in them is
  the denominator;
* **run length** r: the r transcripts after a point, in which new themes are counted;
* a theme is **new** in the transcript where it is found first in the order (the
  code-frequency variant with ``min_comments`` k: where it has been coded on k comments in
  all, counting every transcript up to that one; k = 1 is the method as published);
* the **saturation ratio** of the run after point p (p = b, b+1, ...) is the number of new
  themes in transcripts p+1..p+r divided by the base's themes; saturation at a **new
  information threshold** (≤ 5%, and 0%: no new information) is the first p whose run's
  ratio is at or below it, reported as "p+r" (p transcripts, confirmed by the next r). The
  base stays the first b transcripts while the run moves on one transcript at a time.

Order matters, so the order-independent version repeats the assessment over random orders
of the transcripts (every order, when there are no more than asked for) and reports the
share of orders that reach saturation and where. Ratios are compared exactly (integers),
so 1/20 meets ≤ 5%. A base without themes makes the ratio 0/0: undefined, never "met".
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from workbench.errors import WorkbenchError

THRESHOLDS = (5, 0)  # percent of new information, as in Guest et al. (2020)
BASE, RUN = 4, 2  # Guest et al.'s (2020) base size and run length


@dataclass(frozen=True)
class Params:
    """The method's settings. ``base=None``: Guest et al.'s base of 4, or, with too few units
    for it, the largest base that leaves a run (:meth:`fit`)."""

    base: int | None = None
    run: int = RUN
    min_comments: int = 1
    thresholds: tuple[int, ...] = THRESHOLDS

    def fit(self, n: int) -> Params:
        """These settings for ``n`` units: the default base made concrete."""
        if self.base is not None:
            return self
        return replace(self, base=max(1, min(BASE, n - self.run)))

    @property
    def base_size(self) -> int:
        """The base of fitted settings (:meth:`fit` makes the default concrete)."""
        if self.base is None:
            raise ValueError("the default base is chosen for a number of units: fit() first")
        return self.base

    def base_note(self, n: int, noun: str = "focus groups") -> str | None:
        """Why the base is not Guest et al.'s 4, when it was chosen for ``n`` units (else None)."""
        base = self.fit(n).base_size
        if self.base is not None or base == BASE or n < base + self.run:
            return None
        return (
            f"the largest base that leaves a run of {self.run} in {n} {noun} (Guest et al.'s "
            f"base of {BASE} would leave {'no run' if n <= BASE else f'a run of {n - BASE}'})"
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "thresholds": list(self.thresholds)}


def check(params: Params, units: list[str], where: str, noun: str = "transcripts") -> None:
    """Refuse parameters the method cannot use, naming what is wrong and what to do."""
    params = params.fit(len(units))
    if params.base_size < 1 or params.run < 1:
        raise WorkbenchError(
            f"--base and --run must be at least 1 (got base {params.base}, run {params.run})"
        )
    if params.min_comments < 1:
        raise WorkbenchError(f"--min-comments must be at least 1 (got {params.min_comments})")
    if any(not 0 <= t < 100 for t in params.thresholds):
        raise WorkbenchError("new-information thresholds are percentages from 0 to 99")
    need, n = params.base_size + params.run, len(units)
    if n < need:
        shown = ", ".join(units[:8]) + (", ..." if n > 8 else "")
        way = (
            f"import more, or lower --base or --run (e.g. --base {n - 1} --run 1)"
            if n >= 2
            else f"import more {noun}"
        )
        raise WorkbenchError(
            f"saturation with a base of {params.base} and a run of {params.run} needs at least {need} {noun} "
            f"in order; {where} has {n}" + (f" ({shown})" if n else "") + f": {way}"
        )


def first_found(counts: np.ndarray, k: int = 1) -> np.ndarray:
    """Per theme, the index of the unit in which it is found (cumulative count reaches ``k``);
    ``len(counts)`` for a theme never found. Works on (units x themes) or (orders x units x themes)."""
    reached = np.cumsum(counts, axis=-2) >= k
    return np.where(reached.any(axis=-2), reached.argmax(axis=-2), counts.shape[-2])


def _meets(new, base, threshold: int):
    """new / base <= threshold %, exactly; never for an empty base (0/0 is undefined)."""
    return (base > 0) & (new * 100 <= threshold * base)


def assess(counts, params: Params = Params()) -> dict:
    """The assessment in the given order: per unit, the themes found and their running total;
    per run, new themes and the ratio; per threshold, where saturation is reached (if it is)."""
    counts = np.asarray(counts, dtype=np.int64)
    n, t = counts.shape
    params = params.fit(n)
    b, r = params.base_size, params.run
    if n < b + r:
        raise ValueError(f"{n} units cannot hold a base of {b} and a run of {r}")
    first = first_found(counts, params.min_comments)
    new_n = np.bincount(first[first < n], minlength=n)
    cumulative = np.cumsum(new_n)
    base_count = int(cumulative[b - 1])
    units = [
        {
            "position": i + 1,
            "themes_coded": [int(j) for j in np.flatnonzero(counts[i])],
            "new": [int(j) for j in np.flatnonzero(first == i)],
            "cumulative": int(cumulative[i]),
        }
        for i in range(n)
    ]
    runs: list[dict[str, Any]] = []
    for p in range(b, n - r + 1):
        new = int(new_n[p : p + r].sum())
        runs.append(
            {
                "after": p,
                "transcripts": [p + 1, p + r],
                "new": new,
                "ratio": new / base_count if base_count else None,
                "meets": {str(th): bool(_meets(new, base_count, th)) for th in params.thresholds},
            }
        )
    saturation: dict[str, dict[str, Any]] = {}
    for th in params.thresholds:
        hit = next((run for run in runs if run["meets"][str(th)]), None)
        saturation[str(th)] = (
            {
                "reached": True,
                "after": hit["after"],
                "label": f"{hit['after']}+{r}",
                "new_in_run": hit["new"],
                "ratio": hit["ratio"],
            }
            if hit
            else {
                "reached": False,
                "reason": "no themes in the base: the ratio is 0/0"
                if not base_count
                else f"every run of {r} added more than {th}% new themes",
            }
        )
    return {
        "units": units,
        "themes": t,
        "base_themes": base_count,
        "total_found": int(cumulative[-1]),
        "runs": runs,
        "saturation": saturation,
    }


def _orders(n: int, orders: int, seed: int) -> tuple[np.ndarray, bool]:
    """Every order of n units when there are at most ``orders`` of them, else ``orders`` random ones."""
    if math.factorial(n) <= orders:
        return np.array(list(itertools.permutations(range(n))), dtype=np.int64).reshape(-1, n), True
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(n, dtype=np.int64), (orders, 1)), axis=1), False


def points(
    counts: np.ndarray, perms: np.ndarray, params: Params
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each order (a row of ``perms``): the saturation point per threshold (-1: not reached),
    the base's themes, and the running total of themes found after each unit."""
    n = counts.shape[0]
    params = params.fit(n)
    b, r = params.base_size, params.run
    first = first_found(counts[perms], params.min_comments)  # orders x themes
    new_n = (first[:, :, None] == np.arange(n)).sum(axis=1)  # orders x units
    cumulative = np.cumsum(new_n, axis=1)
    base = cumulative[:, b - 1]
    starts = np.arange(b, n - r + 1)
    window = cumulative[:, starts + r - 1] - cumulative[:, starts - 1]  # new themes in each run
    out = np.full((len(perms), len(params.thresholds)), -1, dtype=np.int64)
    for j, th in enumerate(params.thresholds):
        ok = _meets(window, base[:, None], th)
        out[:, j] = np.where(ok.any(axis=1), starts[ok.argmax(axis=1)], -1)
    return out, base, cumulative


def order_independent(counts, params: Params = Params(), orders: int = 1000, seed: int = 1) -> dict:
    """Saturation over many orders of the units: per threshold, the share of orders (with a
    defined ratio) that reach it, and where (median, 95% range, the whole distribution); the
    running total of themes across orders (median and 95% range per position)."""
    counts = np.asarray(counts, dtype=np.int64)
    n = counts.shape[0]
    if orders < 1:
        raise ValueError("orders must be at least 1")
    perms, exact = _orders(n, orders, seed)
    found, base, cumulative = points(counts, perms, params)
    defined = base > 0
    result: dict[str, Any] = {
        "orders": len(perms),
        "exact": exact,
        "seed": None if exact else seed,
        "undefined": int((~defined).sum()),
        "thresholds": {},
    }
    for j, th in enumerate(params.thresholds):
        at = found[defined, j]
        hit = at[at >= 0]
        entry: dict[str, Any] = {
            "reached": int(len(hit)),
            "of": int(defined.sum()),
            "share": len(hit) / int(defined.sum()) if defined.any() else None,
            "distribution": {
                str(int(v)): int(c)
                for v, c in zip(*np.unique(hit, return_counts=True), strict=True)
            },
        }
        if len(hit):
            low, high = np.percentile(hit, [2.5, 97.5], method="inverted_cdf")
            entry.update(
                median=float(np.median(hit)),
                range95=[int(low), int(high)],
                min=int(hit.min()),
                max=int(hit.max()),
            )
        result["thresholds"][str(th)] = entry
    low, mid, high = np.percentile(cumulative, [2.5, 50, 97.5], axis=0, method="inverted_cdf")
    result["cumulative"] = {
        "median": mid.astype(int).tolist(),
        "low": low.astype(int).tolist(),
        "high": high.astype(int).tolist(),
    }
    return result
