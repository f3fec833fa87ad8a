"""Agreement statistics checked against reference implementations and published values.

References: the ``krippendorff`` package, Krippendorff's (2011) worked example,
scikit-learn's ``cohen_kappa_score``, statsmodels' ``cohens_kappa`` (ASE and CI), the
PerfectFit authors' published per-code kappas (../shared/realdata), and brute-force
implementations of the textbook formulas written out below.
"""

from __future__ import annotations

import csv
import json
import math
from fractions import Fraction
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

import workbench.agreement as ag
from workbench.agreement.alpha import AlphaTable
from workbench.agreement.bootstrap import TAIL_FREQ
from workbench.agreement.ratings import encode_ratings, encode_sets, ordered_units
from workbench.agreement.results import ThemeCounts, UnitCounts

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example:
# 4 coders x 12 units, "." = missing. Published nominal alpha: 0.743.
KRIPP_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def package_alpha(data) -> float | None:
    """krippendorff package nominal alpha; None where it refuses (alpha undefined)."""
    try:
        with np.errstate(
            invalid="ignore", divide="ignore"
        ):  # the package divides 0/0 in some cases
            return float(
                krippendorff.alpha(
                    reliability_data=np.asarray(data, dtype=float), level_of_measurement="nominal"
                )
            )
    except ValueError:
        return None


def random_ratings(
    rng: np.random.Generator, coders: int, units: int, values: int, missing: float
) -> list[list]:
    data = rng.integers(0, values, size=(coders, units)).astype(float)
    data[rng.random((coders, units)) < missing] = NAN
    return data.tolist()


# --------------------------------------------------------------------------- Krippendorff's alpha


def test_krippendorff_2011_published_example():
    est = ag.krippendorff_alpha(KRIPP_2011)
    assert round(est.value, 3) == 0.743
    assert est.value == pytest.approx(package_alpha(KRIPP_2011), abs=1e-12)
    assert est.n == 11  # unit 12 has a single value: not pairable
    assert est.interpretation == "tentative conclusions only"
    # The same data as a mapping {coder: {unit: value}}, missing units simply absent.
    mapping = {
        f"c{i}": {u: v for u, v in enumerate(row) if not math.isnan(v)}
        for i, row in enumerate(KRIPP_2011)
    }
    assert ag.krippendorff_alpha(mapping).value == pytest.approx(est.value, abs=1e-12)


def test_alpha_matches_package_on_random_data_with_missing_values():
    rng = np.random.default_rng(20240601)
    compared = undefined = 0
    for _ in range(300):
        data = random_ratings(
            rng,
            int(rng.integers(2, 6)),
            int(rng.integers(1, 30)),
            int(rng.integers(1, 6)),
            float(rng.choice([0.0, 0.2, 0.5, 0.7])),
        )
        ours, ref = ag.krippendorff_alpha(data), package_alpha(data)
        if ref is None or math.isnan(ref):
            assert not ours.defined and ours.reason
            undefined += 1
        else:
            assert ours.value == pytest.approx(ref, abs=1e-10)
            compared += 1
    assert compared > 200 and undefined > 5


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(
    st.integers(2, 5).flatmap(
        lambda m: st.lists(
            st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=m, max_size=m),
            min_size=1,
            max_size=25,
        )
    )
)
def test_alpha_matches_package_hypothesis(units):
    data = [[NAN if u[i] is None else u[i] for u in units] for i in range(len(units[0]))]
    ours, ref = ag.krippendorff_alpha(data), package_alpha(data)
    if ref is None or math.isnan(ref):
        assert ours.value is None and ours.reason
    else:
        assert ours.value == pytest.approx(ref, abs=1e-10)


def test_alpha_undefined_cases_have_reasons():
    one_value = ag.krippendorff_alpha([["x", "x", "x"], ["x", "x", None]])
    assert one_value.value is None and "only one value" in one_value.reason and one_value.n == 2
    no_pairs = ag.krippendorff_alpha([["x", None], [None, "y"]])
    assert no_pairs.value is None and "pairable" in no_pairs.reason
    with pytest.raises(ValueError):
        ag.Estimate(None)
    with pytest.raises(ValueError):
        ag.Estimate(float("nan"))


# --------------------------------------------------------------------------- Cohen's kappa


def test_kappa_matches_sklearn_and_statsmodels():
    rng = np.random.default_rng(7)
    for _ in range(200):
        q = int(rng.integers(2, 6))
        n = int(rng.integers(2, 80))
        a = rng.integers(0, q, n)
        b = np.where(rng.random(n) < 0.6, a, rng.integers(0, q, n))
        est = ag.cohen_kappa([a.tolist(), b.tolist()], labels=list(range(q)))
        table = ag.confusion_matrix([a.tolist(), b.tolist()], labels=list(range(q)))
        assert table.sum() == n
        rows, cols = table.sum(1), table.sum(0)
        if (rows * cols).sum() == n * n:
            assert not est.defined and "expected agreement is 1" in est.reason
            continue
        assert est.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
        ref = sm_cohens_kappa(table)
        assert est.value == pytest.approx(ref.kappa, abs=1e-12)
        # statsmodels' CI uses std_kappa (not std_kappa0, the SE under H0).
        assert est.se == pytest.approx(ref.std_kappa, abs=1e-12)
        # ... clipped to kappa's range [-1, 1] (statsmodels' Wald interval is not).
        assert est.ci == pytest.approx((max(-1, ref.kappa_low), min(1, ref.kappa_upp)), abs=1e-12)
        assert -1 <= est.ci[0] <= est.ci[1] <= 1


def test_kappa_ci_never_leaves_kappas_range():
    """Near-perfect agreement: the Wald interval would end above 1 (".94 to 1.009")."""
    a = ["x"] * 60 + ["y"] * 61 + ["z"]
    b = ["x"] * 60 + ["y"] * 60 + ["z", "z"]
    est = ag.cohen_kappa([a, b])
    assert est.value + 1.96 * est.se > 1 and est.ci[1] == 1.0


def test_kappa_over_units_coded_by_both_only():
    a = {"u1": "x", "u2": "y", "u3": "x", "u4": "y", "u5": "x"}
    b = {"u1": "x", "u2": "y", "u3": "y", "u4": "y", "u6": "x"}  # u5, u6 coded by one coder each
    est = ag.cohen_kappa({"a": a, "b": b})
    assert est.n == 4
    assert est.value == pytest.approx(cohen_kappa_score(["x", "y", "x", "y"], ["x", "y", "y", "y"]))
    pa = ag.percent_agreement({"a": a, "b": b})
    assert pa.value == 0.75 and pa.n == 4


def test_kappa_undefined_cases():
    single = ag.cohen_kappa([["a", "a", "a"], ["a", "a", "a"]])
    assert single.value is None and "same single value ('a')" in single.reason and single.n == 3
    none = ag.cohen_kappa([["a", None], [None, "b"]])
    assert none.value is None and "no units coded by both" in none.reason
    assert ag.percent_agreement([["a", None], [None, "b"]]).reason
    assert not ag.krippendorff_alpha([["a", None], [None, "b"]]).defined
    assert not ag.gwet_ac1([["a", None], [None, "b"]]).defined


@pytest.mark.realdata
def test_perfectfit_published_kappas():
    if not REALDATA.is_dir():
        pytest.skip(f"{REALDATA} is absent")
    # The authors' script read from the 22nd line of each file: header + first 20 responses skipped.
    files = [
        list(
            csv.reader(
                (REALDATA / f"perfectfit_coder{i}_onehot.csv")
                .read_text(encoding="utf-8")
                .splitlines()
            )
        )
        for i in (1, 2)
    ]
    header = files[0][0]
    assert files[1][0] == header
    rows1, rows2 = files[0][21:], files[1][21:]
    assert len(rows1) == len(rows2) == 480
    assert [r[0] for r in rows1] == [r[0] for r in rows2]  # same response on the same line
    published = {}
    for line in (
        (REALDATA / "perfectfit_published_kappas.txt").read_text(encoding="utf-8").splitlines()
    ):
        name, value = line.rsplit(":", 1)
        published[name] = float(value)
    codes = header[6:]
    assert len(codes) == 62
    matched = 0
    for col, code in enumerate(codes, start=6):
        a = [int(r[col]) for r in rows1]
        b = [int(r[col]) for r in rows2]
        est = ag.cohen_kappa([a, b], labels=[0, 1])
        if code == "Felt prioritized":
            assert sum(a) == sum(b) == 0
            assert est.value is None and "same single value (0)" in est.reason and est.n == 480
            continue
        assert est.defined, code
        assert round(est.value, 4) == round(published[code], 4), code
        assert est.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
        matched += 1
    assert matched == 61


# --------------------------------------------------------------------------- percent agreement, AC1


def test_percent_agreement_mean_pairwise():
    data = [["a", "b", "a", None], ["a", "a", "a", "b"], ["b", "b", None, "b"]]
    est = ag.percent_agreement(data)
    pairs = [2 / 3, 1 / 2, 1 / 3]  # (1,2) on u1-u3; (1,3) on u1, u2; (2,3) on u1, u2, u4
    assert est.value == pytest.approx(sum(pairs) / 3)
    assert est.n == 4


def ac1_two_rater(a, b, labels):
    """Gwet (2008) two-rater AC1, written out."""
    n = len(a)
    pa = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pi = [(a.count(k) + b.count(k)) / (2 * n) for k in labels]
    pe = sum(p * (1 - p) for p in pi) / (len(labels) - 1)
    return (pa - pe) / (1 - pe)


def test_gwet_ac1_two_and_more_raters():
    rng = np.random.default_rng(11)
    for _ in range(50):
        q = int(rng.integers(2, 5))
        a = rng.integers(0, q, 40).tolist()
        b = [x if rng.random() < 0.7 else int(rng.integers(0, q)) for x in a]
        assert ag.gwet_ac1([a, b], labels=range(q)).value == pytest.approx(
            ac1_two_rater(a, b, range(q)), abs=1e-12
        )
    # Missing values: two coders -> units coded by both.
    a, b = ["x", "y", "x", None, "y"], ["x", "x", "x", "y", None]
    assert ag.gwet_ac1([a, b]).value == pytest.approx(ac1_two_rater(a[:3], b[:3], ["x", "y"]))
    # Three raters, written out (Gwet 2008, multiple raters).
    data = [["a", "b", "a", "c", None], ["a", "b", "b", "c", "a"], ["a", None, "b", "a", "a"]]
    units = [[r[j] for r in data if r[j] is not None] for j in range(5)]
    pa = np.mean(
        [sum(u.count(k) * (u.count(k) - 1) for k in "abc") / (len(u) * (len(u) - 1)) for u in units]
    )
    pi = [np.mean([u.count(k) / len(u) for u in units]) for k in "abc"]
    pe = sum(p * (1 - p) for p in pi) / 2
    assert ag.gwet_ac1(data, labels="abc").value == pytest.approx((pa - pe) / (1 - pe))
    # No chance paradox: a theme nobody used has AC1 = 1 while kappa is undefined.
    assert ag.gwet_ac1([[0] * 5, [0] * 5], labels=[0, 1]).value == pytest.approx(1.0)
    assert ag.gwet_ac1([[0] * 5, [0] * 5]).reason  # q = 1 without labels


def naive_bootstrap_ci(units: list, statistic, resamples: int, seed: int) -> tuple[float, float]:
    """Resample units with replacement, one resample at a time: the textbook bootstrap."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        pick = [units[i] for i in rng.integers(0, len(units), len(units))]
        value = statistic(pick)
        if value is not None and math.isfinite(value):
            values.append(value)
    return tuple(np.percentile(values, [2.5, 97.5]))


def test_ac1_bootstrap_ci_matches_resampling_units():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, 120).tolist()
    b = [x if rng.random() < 0.75 else int(rng.integers(0, 3)) for x in a]
    estimate = ag.gwet_ac1([a, b], labels=range(3), bootstrap=4000, seed=1)
    assert estimate == ag.gwet_ac1([a, b], labels=range(3), bootstrap=4000, seed=1)  # seeded
    low, high = naive_bootstrap_ci(
        list(zip(a, b, strict=True)),
        lambda u: ac1_two_rater(*zip(*u, strict=True), range(3)),
        4000,
        2,
    )
    assert estimate.ci[0] < estimate.value < estimate.ci[1]
    assert estimate.ci == pytest.approx((low, high), abs=0.02)
    # Three coders: the multi-rater form, the same way.
    c = [x if rng.random() < 0.8 else int(rng.integers(0, 3)) for x in a]
    three = ag.gwet_ac1([a, b, c], labels=range(3), bootstrap=4000, seed=1)
    low, high = naive_bootstrap_ci(
        list(zip(a, b, c, strict=True)),
        lambda u: ag.gwet_ac1([list(r) for r in zip(*u, strict=True)], labels=range(3)).value,
        1500,
        2,
    )
    assert three.ci == pytest.approx((low, high), abs=0.03)


def test_report_gives_ac1_cis_without_changing_the_alpha_resamples():
    codings = small_codings()
    rep = report(codings, bootstrap=300)
    pair = rep.pairs[0]
    assert pair.category.gwet_ac1.ci is not None
    theme = next(t for t in pair.themes["all_coded"].themes.values() if t.gwet_ac1.ci)
    assert theme.gwet_ac1.bootstrap.resamples == 300
    # The AC1 resamples come from child generators: the category alpha is resampled as on its own.
    data = {c: {u: v[0] for u, v in codings[c].items() if v[0] is not None} for c in codings}
    units = ordered_units(data.values())
    alone = ag.krippendorff_alpha(
        [[data[c].get(u) for u in units] for c in data], labels=CATEGORIES, bootstrap=300, seed=1
    )
    assert rep.category.krippendorff_alpha.ci == alone.ci


# --------------------------------------------------------------------------- MASI


def masi_ref(a, b) -> Fraction:
    a, b = frozenset(a), frozenset(b)
    if a == b:
        return Fraction(0)
    j = Fraction(len(a & b), len(a | b))
    m = Fraction(2, 3) if (a <= b or b <= a) else Fraction(1, 3) if a & b else Fraction(0)
    return 1 - j * m


def masi_alpha_ref(rows) -> float | None:
    """Brute force over pairable values (Krippendorff 2011, general distance form)."""
    units = [[frozenset(v) for v in u if v is not None] for u in zip(*rows, strict=True)]
    units = [u for u in units if len(u) >= 2]
    values = [v for u in units for v in u]
    n = len(values)
    if n == 0:
        return None
    do = (
        sum(
            sum(masi_ref(x, y) for i, x in enumerate(u) for j, y in enumerate(u) if i != j)
            / (len(u) - 1)
            for u in units
        )
        / n
    )
    de = sum(
        masi_ref(x, y) for i, x in enumerate(values) for j, y in enumerate(values) if i != j
    ) / (n * (n - 1))
    return None if de == 0 else float(1 - do / de)


def test_masi_distance_four_cases():
    assert ag.masi_distance({"a", "b"}, {"b", "a"}) == 0.0
    assert ag.masi_distance({"a"}, {"a", "b"}) == pytest.approx(1 - 1 / 2 * 2 / 3)  # subset
    assert ag.masi_distance({"a", "b"}, {"b", "c"}) == pytest.approx(1 - 1 / 3 * 1 / 3)  # overlap
    assert ag.masi_distance({"a"}, {"b"}) == 1.0  # disjoint
    assert ag.masi_distance(set(), set()) == 0.0
    assert ag.masi_distance(set(), {"a"}) == 1.0


def random_sets(rng, coders, units, elements, missing):
    pool = [chr(97 + i) for i in range(elements)]
    return [
        [
            None if rng.random() < missing else frozenset(x for x in pool if rng.random() < 0.35)
            for _ in range(units)
        ]
        for _ in range(coders)
    ]


def test_masi_alpha_against_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(40):
        rows = random_sets(
            rng, int(rng.integers(2, 5)), int(rng.integers(2, 15)), int(rng.integers(1, 5)), 0.2
        )
        ours, ref = ag.masi_alpha(rows), masi_alpha_ref(rows)
        if ref is None:
            assert ours.value is None and ours.reason
        else:
            assert ours.value == pytest.approx(ref, abs=1e-12)


def test_masi_alpha_properties():
    same = [[{"a"}, {"a", "b"}, {"c"}, set()], [{"a"}, {"a", "b"}, {"c"}, set()]]
    assert ag.masi_alpha(same).value == pytest.approx(1.0)
    differ = [[{"a"}, {"a", "b"}, {"c"}, set()], [{"a"}, {"a"}, {"c"}, set()]]
    assert ag.masi_alpha(differ).value < 1
    assert ag.masi_alpha([[{"a"}, {"a"}], [{"a"}, {"a"}]]).reason  # one value only
    # Singletons: MASI distance of distinct singletons is 1, so MASI alpha = nominal alpha.
    singletons = [[None if math.isnan(v) else {int(v)} for v in row] for row in KRIPP_2011]
    assert ag.masi_alpha(singletons).value == pytest.approx(
        ag.krippendorff_alpha(KRIPP_2011).value, abs=1e-12
    )


def test_masi_alpha_without_distance_matrix(monkeypatch):
    """Many distinct sets: the expected disagreement comes from subset sums (<= 16 elements)
    or from blocks of the distance matrix; both equal the brute force."""
    rng = np.random.default_rng(5)
    for elements in (6, 18):
        rows = random_sets(rng, 3, 25, elements, 0.1)
        expected = masi_alpha_ref(rows)
        monkeypatch.setattr("workbench.agreement.alpha.MAX_BOOT_DISTANCE_CELLS", 0)
        est = ag.masi_alpha(rows, bootstrap=10, seed=1)
        monkeypatch.undo()
        assert est.value == pytest.approx(expected, abs=1e-12)
        assert est.bootstrap.reason.startswith("not run")
        assert ag.masi_alpha(rows).value == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_is_seeded_and_sane():
    rng = np.random.default_rng(9)
    a = rng.integers(0, 3, 200)
    b = np.where(rng.random(200) < 0.8, a, rng.integers(0, 3, 200))
    data = [a.tolist(), b.tolist()]
    one = ag.krippendorff_alpha(data, bootstrap=1000, seed=42)
    two = ag.krippendorff_alpha(data, bootstrap=1000, seed=42)
    assert one.bootstrap == two.bootstrap and np.array_equal(
        one.bootstrap.samples, two.bootstrap.samples
    )
    assert one.bootstrap.resamples == one.bootstrap.defined == 1000
    lo, hi = one.ci
    assert lo < one.value < hi
    assert set(one.bootstrap.p_below) == {0.8, 0.667}
    assert all(0 <= p <= 1 for p in one.bootstrap.p_below.values())
    assert one.bootstrap.p_below[0.8] >= one.bootstrap.p_below[0.667]
    other = ag.krippendorff_alpha(data, bootstrap=1000, seed=43)
    assert not np.array_equal(one.bootstrap.samples, other.bootstrap.samples)


def expand(units: list, counts: np.ndarray) -> list:
    """A resample as real units: counts[k] copies of an original unit of pattern k."""
    return [u for k, c in enumerate(counts) for u in [units[k]] * int(c)]


def pattern_units(columns: list[tuple], table) -> list:
    """One original unit (column) per pattern of the table, in the table's pattern order."""
    by_key = {}
    for col in columns:
        by_key.setdefault(tuple(sorted(col)), col)
    return [by_key[tuple(sorted(table.pats[:, k]))] for k in range(table.pats.shape[1])]


def test_vectorised_bootstrap_equals_naive_loop_nominal():
    rng = np.random.default_rng(21)
    data = random_ratings(rng, 3, 40, 3, 0.25)
    est = ag.krippendorff_alpha(data, bootstrap=300, seed=5)
    codes, labels = encode_ratings(data)
    table = AlphaTable(codes, len(labels), labels)
    counts = np.vstack(
        [table.draw(size, g) for size, g in table.resample_blocks(300, np.random.default_rng(5))]
    )
    cols = [tuple(codes[:, j]) for j in range(codes.shape[1]) if (codes[:, j] >= 0).sum() >= 2]
    reps = pattern_units(cols, table)
    for b in range(300):
        units = expand(reps, counts[b])
        assert len(units) == est.n
        resample = np.array(units, dtype=float).T
        resample[resample < 0] = NAN
        ref = package_alpha(resample)
        got = est.bootstrap.samples[b]
        if ref is None:
            assert math.isnan(got)
        else:
            assert got == pytest.approx(ref, abs=1e-10)


def test_vectorised_bootstrap_equals_naive_loop_masi():
    rng = np.random.default_rng(22)
    rows = random_sets(rng, 2, 30, 3, 0.1)
    est = ag.masi_alpha(rows, bootstrap=40, seed=8)
    codes, values, members = encode_sets(rows)
    table = AlphaTable(codes, len(values), None, members)
    counts = np.vstack(
        [table.draw(size, g) for size, g in table.resample_blocks(40, np.random.default_rng(8))]
    )
    cols = [tuple(codes[:, j]) for j in range(codes.shape[1]) if (codes[:, j] >= 0).sum() >= 2]
    reps = pattern_units(cols, table)
    for b in range(40):
        units = expand(reps, counts[b])
        resample = [[values[u[i]] for u in units] for i in range(2)]
        ref = masi_alpha_ref(resample)
        got = est.bootstrap.samples[b]
        assert (ref is None and math.isnan(got)) or got == pytest.approx(ref, abs=1e-12)


def test_resample_draw_is_multinomial_over_units():
    """The two-step draw (binomials for common patterns, unit picks for rare ones) is the
    multinomial of n units drawn with replacement: exact where no pattern is rare, and with
    the multinomial's moments otherwise."""
    rng = np.random.default_rng(31)
    common = [
        [u % 3 for u in range(90)],
        [(u // 3) % 2 for u in range(90)],
    ]  # 6 patterns x 15 units
    codes, labels = encode_ratings(common)
    table = AlphaTable(codes, len(labels), labels)
    assert table.freq.min() > TAIL_FREQ
    assert np.array_equal(
        table.draw(50, np.random.default_rng(1)),
        np.random.default_rng(1).multinomial(90, table.freq / 90, size=50),
    )
    mixed = random_ratings(rng, 3, 120, 4, 0.1)
    codes, labels = encode_ratings(mixed)
    table = AlphaTable(codes, len(labels), labels)
    assert (table.freq <= TAIL_FREQ).sum() > 5 and (table.freq > TAIL_FREQ).any()
    counts = table.draw(40_000, np.random.default_rng(2))
    n, p = table.n_units, table.freq / table.n_units
    assert (counts.sum(1) == n).all()
    assert (np.abs(counts.mean(0) - n * p) <= 5 * np.sqrt(n * p * (1 - p) / len(counts))).all()
    assert counts.var(0) == pytest.approx(n * p * (1 - p), rel=0.05)
    cov = np.cov(counts[:, 0], counts[:, -1])[0, 1]
    assert cov == pytest.approx(-n * p[0] * p[-1], rel=0.15)


def test_vectorised_theme_bootstrap_equals_naive_loop():
    rng = np.random.default_rng(23)
    themes = ["t1", "t2", "t3", "t4"]
    sets_a = [frozenset(t for t in themes[:3] if rng.random() < 0.4) for _ in range(30)]
    sets_b = [
        frozenset(t for t in s if rng.random() < 0.8) | ({"t2"} if rng.random() < 0.2 else set())
        for s in sets_a
    ]
    res = ag.theme_agreement(sets_a, sets_b, themes, bootstrap=25, seed=4)
    # Per theme a unit is both-present, disagreeing or both-absent; one multinomial draw for all themes.
    counts = np.array(
        [
            [
                sum((t in a) and (t in b) for a, b in zip(sets_a, sets_b, strict=True)),
                sum((t in a) != (t in b) for a, b in zip(sets_a, sets_b, strict=True)),
                sum((t not in a) and (t not in b) for a, b in zip(sets_a, sets_b, strict=True)),
            ]
            for t in themes
        ]
    )
    draws = np.random.default_rng(4).multinomial(30, counts / 30, size=(25, len(themes)))
    for k, theme in enumerate(themes):
        alpha = res.themes[theme].krippendorff_alpha
        if theme == "t4":  # nobody used it
            assert alpha.value is None and alpha.reason and alpha.bootstrap is None
            continue
        for b in range(25):
            both, dis, neither = draws[b, k]
            resample = np.array(
                [[1] * both + [1] * dis + [0] * neither, [1] * both + [0] * dis + [0] * neither]
            )
            ref = package_alpha(resample)
            got = alpha.bootstrap.samples[b]
            assert (ref is None and math.isnan(got)) or got == pytest.approx(ref, abs=1e-12)


# --------------------------------------------------------------------------- theme layer


def test_theme_agreement_per_theme_and_summaries():
    sets_a = [{"r"}, {"r", "c"}, {"c"}, set(), {"e"}, {"r"}]
    sets_b = [{"r"}, {"r"}, {"c", "e"}, set(), {"e"}, {"c"}]
    themes = ["r", "c", "e", "never"]
    res = ag.theme_agreement(sets_a, sets_b, themes, coders=("A", "B"), definition="test units")
    assert res.n == 6 and res.definition == "test units"
    for theme in themes:
        a = [int(theme in s) for s in sets_a]
        b = [int(theme in s) for s in sets_b]
        entry = res.themes[theme]
        assert entry.n == 6
        assert entry.prevalence["A"].value == pytest.approx(sum(a) / 6)
        assert entry.prevalence["B"].value == pytest.approx(sum(b) / 6)
        assert entry.percent_agreement.value == pytest.approx(np.mean(np.array(a) == np.array(b)))
        if theme == "never":
            for key in ("cohen_kappa", "krippendorff_alpha"):
                estimate = getattr(entry, key)
                assert estimate.value is None and "neither coder used this theme" in estimate.reason
            assert entry.gwet_ac1.value == pytest.approx(1.0)
            continue
        assert entry.cohen_kappa.value == pytest.approx(cohen_kappa_score(a, b))
        pairs = list(zip(a, b, strict=True))
        table = np.array(
            [
                [
                    sum(x == 0 and y == 0 for x, y in pairs),
                    sum(x == 0 and y == 1 for x, y in pairs),
                ],
                [
                    sum(x == 1 and y == 0 for x, y in pairs),
                    sum(x == 1 and y == 1 for x, y in pairs),
                ],
            ]
        )
        assert entry.cohen_kappa.se == pytest.approx(sm_cohens_kappa(table).std_kappa)
        assert entry.krippendorff_alpha.value == pytest.approx(package_alpha([a, b]))
        assert entry.gwet_ac1.value == pytest.approx(ac1_two_rater(a, b, [0, 1]))
    # Pooled kappa (De Vries et al. 2008): mean p_o and mean p_e over all themes.
    po = pe = 0.0
    for theme in themes:
        a = np.array([theme in s for s in sets_a])
        b = np.array([theme in s for s in sets_b])
        po += np.mean(a == b)
        pe += a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    assert res.pooled_kappa.value == pytest.approx((po - pe) / (len(themes) - pe))
    assert res.masi_alpha.value == pytest.approx(masi_alpha_ref([sets_a, sets_b]))
    json.dumps(ag.to_jsonable(res), allow_nan=False)


def test_pooled_kappa_single_table_is_cohen_kappa_and_undefined_cases():
    table = [[20, 5], [3, 12]]
    assert ag.pooled_kappa([table]).value == pytest.approx(ag.cohen_kappa_table(table).value)
    assert ag.pooled_kappa([[[10, 0], [0, 0]], [[0, 0], [0, 10]]]).reason
    assert ag.pooled_kappa([[[0, 0], [0, 0]]]).reason


def test_theme_variants_unit_sets():
    a = {
        "u1": ("effective", frozenset({"r"})),
        "u2": ("defining", frozenset()),
        "u3": ("ineffective", frozenset({"c"})),
        "u4": ("effective", frozenset({"r"})),
        "u5": (None, frozenset()),
    }
    b = {
        "u1": ("effective", frozenset({"r"})),
        "u2": ("effective", frozenset({"r"})),
        "u3": ("ineffective", frozenset({"c", "r"})),
        "u5": ("defining", frozenset()),
    }
    res = ag.theme_agreement_variants(
        a, b, ["r", "c"], {"effective", "ineffective"}, coders=("A", "B")
    )
    assert res["theme_taking"].n == 2  # u1, u3
    assert res["all_coded"].n == 3  # u1, u2, u3 (u4 coded by A only, u5 by B only)
    definition = res["theme_taking"].definition
    assert "theme-taking" in definition or "takes themes" in definition
    assert res["all_coded"].themes["r"].counts == ThemeCounts(1, {"A": 0, "B": 2}, 0)


def test_polarity_agreement():
    a = {
        "u1": "effective",
        "u2": "ineffective",
        "u3": "effective",
        "u4": "defining",
        "u5": "effective",
    }
    b = {"u1": "effective", "u2": "ineffective", "u3": "ineffective", "u4": "effective"}
    res = ag.polarity_agreement(a, b, {"effective"}, {"ineffective"})
    assert res.n == 3
    assert res.percent_agreement.value == pytest.approx(2 / 3)
    x, y = ["e", "i", "e"], ["e", "i", "i"]
    assert res.cohen_kappa.value == pytest.approx(cohen_kappa_score(x, y))
    assert res.krippendorff_alpha.value == pytest.approx(package_alpha([[0, 1, 0], [0, 1, 1]]))
    assert res.confusion_matrix.matrix == ((1, 1), (0, 1))


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "kappa, label",
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.1 + 0.1, "slight"),
        (0.20000000000000004, "slight"),
        (0.2001, "fair"),
        (0.205, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6, "moderate"),
        (0.6000001, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, None),
    ],
)
def test_landis_koch_bands(kappa, label):
    assert ag.landis_koch(kappa) == label


@pytest.mark.parametrize(
    "alpha, label",
    [
        (1.0, "reliable"),
        (0.800, "reliable"),
        (0.7 + 0.1, "reliable"),
        (0.7999, "tentative conclusions only"),
        (0.667, "tentative conclusions only"),
        (0.6669, "unreliable"),
        (-0.2, "unreliable"),
        (None, None),
    ],
)
def test_krippendorff_labels(alpha, label):
    assert ag.krippendorff_label(alpha) == label
    assert (
        ag.krippendorff_label(ag.Estimate(alpha) if alpha is not None else ag.Estimate(None, "x"))
        == label
    )


# --------------------------------------------------------------------------- the report


CATEGORIES = ["defining", "effective", "ineffective", "benefits"]
THEMES = ["role_shift", "communication", "empowerment", "listening"]


def small_codings():
    a = {
        "FG1-001": ("defining", frozenset()),
        "FG1-002": ("effective", frozenset({"role_shift", "communication"})),
        "FG1-003": ("effective", frozenset({"communication"})),
        "FG1-004": ("ineffective", frozenset({"empowerment"})),
        "FG1-005": ("benefits", frozenset()),
        "FG1-006": ("effective", frozenset({"role_shift"})),
        "FG1-007": ("ineffective", frozenset({"role_shift"})),
        "FG1-008": ("defining", frozenset()),  # coded by A only
        "FG1-009": (None, frozenset()),  # not coded by A
    }
    b = {
        "FG1-001": ("defining", frozenset()),
        "FG1-002": ("effective", frozenset({"role_shift"})),
        "FG1-003": ("effective", frozenset({"communication"})),
        "FG1-004": ("effective", frozenset({"empowerment"})),
        "FG1-005": ("effective", frozenset({"communication"})),
        "FG1-006": ("effective", frozenset({"role_shift"})),
        "FG1-007": ("ineffective", frozenset({"role_shift", "empowerment"})),
        "FG1-009": ("benefits", frozenset()),  # coded by B only
    }
    return {"A": a, "B": b}


def report(codings=None, **kw):
    kw.setdefault("bootstrap", 200)
    kw.setdefault("seed", 1)
    return ag.agreement_report(
        codings or small_codings(),
        CATEGORIES,
        ["effective", "ineffective"],
        ["effective"],
        ["ineffective"],
        THEMES,
        **kw,
    )


def test_report_structure_counts_and_json():
    rep = report()
    json.dumps(rep.as_dict(), allow_nan=False)
    assert rep.units == UnitCounts(9, {"A": 8, "B": 8}, 7, 7)
    pair = rep.pairs[0]
    assert pair.coders == ("A", "B")
    assert pair.coded_by_both == 7 and pair.coded_by_one_only == {"A": 1, "B": 1}
    cat = rep.category
    assert cat.n == 7 and cat.labels == tuple(CATEGORIES)
    a = [
        "defining",
        "effective",
        "effective",
        "ineffective",
        "benefits",
        "effective",
        "ineffective",
    ]
    b = ["defining", "effective", "effective", "effective", "effective", "effective", "ineffective"]
    assert cat.percent_agreement.value == pytest.approx(5 / 7)
    assert cat.cohen_kappa.value == pytest.approx(cohen_kappa_score(a, b))
    assert cat.cohen_kappa.interpretation == ag.landis_koch(cohen_kappa_score(a, b))
    assert cat.krippendorff_alpha.value == pytest.approx(
        package_alpha([[CATEGORIES.index(x) for x in a], [CATEGORIES.index(x) for x in b]])
    )
    assert cat.krippendorff_alpha.bootstrap.resamples == 200
    assert cat.confusion_matrix.matrix[1][1] == 3
    assert pair.polarity.n == 5  # FG1-002, -003, -004, -006, -007
    themes = pair.themes
    assert themes["theme_taking"].n == 5 and themes["all_coded"].n == 7
    assert themes["theme_taking"].themes["listening"].cohen_kappa.value is None
    assert "neither coder" in themes["theme_taking"].themes["listening"].cohen_kappa.reason
    assert themes["all_coded"].masi_alpha.bootstrap.resamples == 200
    assert rep.bootstrap.seed == 1


def test_report_matches_the_layer_functions():
    codings = small_codings()
    rep = report(codings, bootstrap=0)
    pair = rep.pairs[0]
    variants = ag.theme_agreement_variants(
        codings["A"], codings["B"], THEMES, {"effective", "ineffective"}, coders=("A", "B")
    )
    assert pair.themes == variants
    cats = {c: {u: v[0] for u, v in codings[c].items()} for c in codings}
    polarity = ag.polarity_agreement(cats["A"], cats["B"], {"effective"}, {"ineffective"})
    assert pair.polarity == polarity
    a = {u: c for u, c in cats["A"].items() if c is not None}
    b = {u: c for u, c in cats["B"].items() if c is not None}
    assert rep.category.cohen_kappa == ag.cohen_kappa({"A": a, "B": b}, labels=CATEGORIES)


def test_report_is_reproducible_and_records_a_fresh_seed():
    assert report() == report()
    fresh = report(seed=None, bootstrap=50)
    assert isinstance(fresh.bootstrap.seed, int)
    assert report(seed=fresh.bootstrap.seed, bootstrap=50) == fresh
    assert report(bootstrap=0).category.krippendorff_alpha.bootstrap is None


def test_report_undefined_and_degenerate_inputs():
    # A single category throughout, no themes: kappa and alpha undefined with reasons, never 0.
    same = {c: {f"u{i}": ("defining", frozenset()) for i in range(5)} for c in ("A", "B")}
    rep = report(same)
    for estimate in (rep.category.cohen_kappa, rep.category.krippendorff_alpha):
        assert estimate.value is None and estimate.reason
    assert rep.pairs[0].polarity.n == 0
    assert rep.pairs[0].polarity.cohen_kappa.reason
    assert rep.pairs[0].themes["theme_taking"].pooled_kappa.reason
    json.dumps(rep.as_dict(), allow_nan=False)
    # No overlapping units.
    apart = {
        "A": {"u1": ("defining", frozenset())},
        "B": {"u2": ("effective", frozenset({"listening"}))},
    }
    rep = report(apart)
    assert rep.units.coded_by_all == 0
    for key in ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "gwet_ac1"):
        estimate = getattr(rep.category, key)
        assert estimate.value is None and estimate.reason, key


def test_report_three_coders():
    codings = small_codings()
    codings["C"] = dict(codings["A"])
    codings["C"]["FG1-005"] = ("defining", frozenset())
    rep = report(codings, bootstrap=50)
    assert [p.coders for p in rep.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    assert rep.category.cohen_kappa is None  # pairwise only
    assert "cohen_kappa" not in rep.as_dict()["category"]
    assert rep.pairs[1].category.cohen_kappa.value is not None
    data = {c: {u: v[0] for u, v in codings[c].items() if v[0] is not None} for c in codings}
    units = ordered_units(data.values())
    ref = package_alpha(
        [[CATEGORIES.index(data[c][u]) if u in data[c] else NAN for u in units] for c in data]
    )
    assert rep.category.krippendorff_alpha.value == pytest.approx(ref)
    full = [u for u in units if all(u in data[c] for c in data)]
    table, _ = aggregate_raters(
        np.array([[CATEGORIES.index(data[c][u]) for c in data] for u in full]),
        n_cat=len(CATEGORIES),
    )
    fleiss = rep.category.fleiss_kappa
    assert fleiss.value == pytest.approx(sm_fleiss_kappa(table)) and fleiss.n == len(full)
    assert fleiss.ci is not None and fleiss.bootstrap.resamples == 50
    assert report(small_codings(), bootstrap=0).category.fleiss_kappa is None  # two coders: Cohen


# Fleiss' kappa, the worked example on Wikipedia ("Fleiss' kappa"): 10 units, 14 raters,
# 5 categories, counts per unit; kappa = 0.210.
FLEISS_EXAMPLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_worked_example_and_statsmodels():
    # Rebuild the 14 raters' ratings from the counts (which rater gave which value does not matter).
    ratings = [[] for _ in range(14)]
    for counts in FLEISS_EXAMPLE:
        values = [v for v, n in enumerate(counts) for _ in range(n)]
        for rater, value in zip(ratings, values, strict=True):
            rater.append(value)
    estimate = ag.fleiss_kappa(ratings, labels=range(5))
    assert round(estimate.value, 3) == 0.210 and estimate.n == 10
    assert estimate.value == pytest.approx(sm_fleiss_kappa(np.array(FLEISS_EXAMPLE)), abs=1e-12)
    rng = np.random.default_rng(11)
    for _ in range(50):
        data = rng.integers(0, 4, size=(3, 40)).astype(float)
        data[rng.random(data.shape) < 0.1] = NAN  # units not coded by all three are left out
        full = ~np.isnan(data).any(0)
        table, _ = aggregate_raters(data[:, full].T.astype(int), n_cat=4)
        assert ag.fleiss_kappa(data.tolist(), labels=[0.0, 1.0, 2.0, 3.0]).value == pytest.approx(
            sm_fleiss_kappa(table), abs=1e-12
        )


def test_fleiss_kappa_bootstrap_and_undefined():
    same = [["a", "a", "a"], ["a", "a", "a"], ["a", "a", "a"]]
    assert ag.fleiss_kappa(same).reason.startswith("every coder gave every unit the same value")
    assert (
        ag.fleiss_kappa([["a", None], ["a", "b"], [None, "b"]]).reason
        == "no unit was coded by every coder"
    )
    data = [list("aabbccaabbcc"), list("aabbccaabbca"), list("abbbccaabbcc")]
    first, again = (ag.fleiss_kappa(data, bootstrap=300, seed=5) for _ in range(2))
    assert first == again and first.ci[0] < first.value < first.ci[1]


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"u1": ("unknown", frozenset())}, "unknown category"),
        ({"u1": ("defining", frozenset({"role_shift"}))}, "takes no themes"),
        ({"u1": (None, frozenset({"role_shift"}))}, "themes without a category"),
        ({"u1": ("effective", frozenset({"nope"}))}, "unknown theme"),
        ({"u1": "effective"}, "expected (category, themes)"),
    ],
)
def test_report_refuses_bad_codings(bad, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        report({"A": bad, "B": {"u1": ("defining", frozenset())}})
