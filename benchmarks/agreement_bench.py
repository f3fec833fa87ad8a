"""Agreement report speed: 100,000 comments, 2 coders, 14 themes, 1,000 bootstrap resamples.

Prints the time of the full agreement report (every statistic, both theme unit
sets, bootstrap CIs for every alpha) beside computing the same nominal alphas
with the `krippendorff` package alone (point estimates, no bootstrap), in the
same run, and checks the two agree. Target (issue 4): the whole report ≤ 3 s.

    python benchmarks/agreement_bench.py [--comments 100000] [--bootstrap 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

CATEGORIES = ["defining", "effective", "ineffective", "benefits"]
WEIGHTS = np.array([44, 33, 33, 32, 28, 15, 14, 14, 13, 12, 12, 12, 6, 5], float)  # study Table 3


def synthetic(n: int, seed: int = 0):
    """Two coders: 85% same category, 1-3 themes by Table 3's weights, ~10% theme flips,
    1% of comments coded by one coder only."""
    rng = np.random.default_rng(seed)
    themes = [f"theme_{i:02d}" for i in range(14)]
    weights = WEIGHTS / WEIGHTS.sum()
    ca = rng.choice(4, size=n, p=[0.15, 0.55, 0.2, 0.1])
    cb = np.where(rng.random(n) < 0.15, rng.choice(4, size=n), ca)
    pa = np.zeros((n, 14), bool)
    for unit, k in enumerate(rng.integers(1, 4, size=n)):
        pa[unit, rng.choice(14, size=k, replace=False, p=weights)] = True
    pb = pa ^ (rng.random((n, 14)) < 0.1 * weights * 14 / 3)
    a, b = {}, {}
    for unit in range(n):
        a[unit] = (
            CATEGORIES[ca[unit]],
            frozenset(themes[i] for i in np.flatnonzero(pa[unit]))
            if ca[unit] in (1, 2)
            else frozenset(),
        )
        if rng.random() >= 0.01:
            b[unit] = (
                CATEGORIES[cb[unit]],
                frozenset(themes[i] for i in np.flatnonzero(pb[unit]))
                if cb[unit] in (1, 2)
                else frozenset(),
            )
    return {"ana": a, "ben": b}, themes


def with_krippendorff_package(codings, themes) -> dict:
    """The nominal alphas of the report, computed with the `krippendorff` package."""
    import krippendorff

    units = sorted(set(codings["ana"]) | set(codings["ben"]))
    index = {c: i for i, c in enumerate(CATEGORIES)}

    def row(coder, value):
        return [value(codings[coder][u]) if u in codings[coder] else np.nan for u in units]

    out = {
        "category": krippendorff.alpha(
            reliability_data=np.array(
                [row(c, lambda v: index[v[0]]) for c in ("ana", "ben")], float
            ),
            level_of_measurement="nominal",
        )
    }
    both = [
        u
        for u in units
        if u in codings["ben"]
        and codings["ana"][u][0] in ("effective", "ineffective")
        and codings["ben"][u][0] in ("effective", "ineffective")
    ]
    out["polarity"] = krippendorff.alpha(
        reliability_data=np.array(
            [[index[codings[c][u][0]] for u in both] for c in ("ana", "ben")], float
        ),
        level_of_measurement="nominal",
    )
    for theme in themes:
        data = np.array([[theme in codings[c][u][1] for u in both] for c in ("ana", "ben")], float)
        out[theme] = (
            krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
            if len(np.unique(data)) > 1
            else None
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from workbench.agreement.report import agreement_report

    codings, themes = synthetic(args.comments)
    report_times, package_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        report = agreement_report(
            codings,
            CATEGORIES,
            ["effective", "ineffective"],
            ["effective"],
            ["ineffective"],
            themes,
            bootstrap=args.bootstrap,
            seed=1,
        )
        report_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        reference = with_krippendorff_package(codings, themes)
        package_times.append(time.perf_counter() - start)
    pair = report.pairs[0]
    ours = {
        "category": pair.category.krippendorff_alpha.value,
        "polarity": pair.polarity.krippendorff_alpha.value,
        **{t: pair.themes["theme_taking"].themes[t].krippendorff_alpha.value for t in themes},
    }
    worst = max(abs(ours[k] - v) for k, v in reference.items() if v is not None)
    took = statistics.median(report_times)
    print(
        f"data: {args.comments:,} comments, 2 coders, 14 themes; bootstrap {args.bootstrap} resamples"
    )
    print(
        f"full agreement report (all statistics, both theme unit sets, bootstrap CIs): "
        f"median {took:.2f} s of {args.repeat}  (target <= 3 s: {'met' if took <= 3 else 'NOT met'})"
    )
    print(
        f"the same {len(reference)} nominal alphas with the krippendorff package alone (no bootstrap): "
        f"median {statistics.median(package_times):.2f} s"
    )
    print(f"largest difference between the two: {worst:.2e}")


if __name__ == "__main__":
    main()
