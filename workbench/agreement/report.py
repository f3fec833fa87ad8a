"""The full agreement report of two or more coders (:func:`agreement_report`): every layer
(category, polarity, themes) for all coders and for each pair, with bootstrap CIs from one
recorded seed, and the :data:`DEFINITIONS` it carries.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import combinations
from operator import itemgetter
from typing import Any

import numpy as np

from workbench.agreement.ac1 import ac1_counts
from workbench.agreement.alpha import AlphaTable
from workbench.agreement.estimate import DEFAULT_MINIMUMS
from workbench.agreement.kappa import fleiss_counts, percent_codes
from workbench.agreement.polarity import POLARITY, two_coder_nominal
from workbench.agreement.ratings import Seed, count_matrix, ordered_units, rng_of
from workbench.agreement.results import (
    AgreementReport,
    BootstrapPlan,
    CategoryAgreement,
    PairAgreement,
    UnitCounts,
)
from workbench.agreement.themes import (
    ALL_CODED,
    THEME_TAKING,
    theme_bits,
    theme_core,
    theme_mask,
)

# progress(done, total), called after each layer (the app's progress bar).
Progress = Callable[[int, int], object]


def agreement_report(
    codings: Mapping[str, Mapping[Any, tuple[str | None, Collection[str]]]],
    categories: Sequence[str],
    theme_categories: Collection[str],
    effective: Collection[str],
    ineffective: Collection[str],
    themes: Sequence[str],
    *,
    bootstrap: int = 1000,
    seed: Seed = None,
    minimums: Sequence[float] = DEFAULT_MINIMUMS,
    progress: Progress | None = None,
    numbers: Callable[[AgreementReport], object] | None = None,
) -> AgreementReport:
    """Full agreement report of two or more coders (``as_dict()`` gives its JSON).

    ``codings``: ``{coder: {unit: (category or None, frozenset(themes))}}``; category None
    (or a unit absent from a coder's dict) = not coded by that coder. Codebook facts:
    ``categories`` (keys, in order), ``theme_categories`` (those taking themes),
    ``effective``/``ineffective`` (polarity), ``themes`` (keys, in order).

    Sections: ``units`` (counts coded per coder, by all, by two or more); ``category``
    (all coders: percent = mean pairwise, alpha + bootstrap, AC1; with two coders also
    kappa and the confusion matrix); ``pairs`` (one per coder pair: category kappa and
    confusion matrix, ``polarity``, ``themes`` for the two unit sets of
    :func:`theme_agreement_variants`). ``seed=None`` draws fresh entropy and records it in
    ``bootstrap.seed`` so the report can be reproduced. ``progress(done, total)`` is called
    after each layer (the app's progress bar). ``numbers(report)``, with a bootstrap, is
    first given the report without it (what ``bootstrap=0`` returns), computed from the
    same reading of ``codings``: the app shows the numbers while their CIs are drawn.
    """
    coders = list(codings)
    if len(coders) < 2:
        raise ValueError("an agreement report needs at least two coders")
    categories = list(categories)
    cat_index = {c: i for i, c in enumerate(categories)}
    if len(cat_index) != len(categories):
        raise ValueError("category keys must be distinct")
    for name, group in (
        ("theme_categories", theme_categories),
        ("effective", effective),
        ("ineffective", ineffective),
    ):
        unknown = set(group) - cat_index.keys()
        if unknown:
            raise ValueError(f"{name}: unknown categories {sorted(unknown)}")
    if set(effective) & set(ineffective):
        raise ValueError("a category cannot be both effective and ineffective")
    themes = list(themes)
    theme_bit = theme_bits(themes)
    taking = np.zeros(len(categories), dtype=bool)
    taking[[cat_index[c] for c in theme_categories]] = True

    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0 resamples")
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)  # drawn fresh from the OS when none is given
        seed = entropy
    recorded_seed = int(seed) if isinstance(seed, (int, np.integer)) else None
    rng = rng_of(seed)

    units = ordered_units(codings[c] for c in coders)
    position = {unit: i for i, unit in enumerate(units)}
    m, n_units = len(coders), len(units)
    cats = np.full((m, n_units), -1, dtype=np.int64)
    masks = np.zeros((m, n_units), dtype=np.int64)
    for i, coder in enumerate(coders):
        _encode_coder(
            coder, codings[coder], position, cat_index, taking, theme_bit, cats[i], masks[i]
        )
    encoded = (coders, categories, cats, masks, taking, themes, cat_index, effective, ineffective)
    tables: dict[Any, Any] = {}  # the pattern tables, built once for both
    if numbers is not None and bootstrap:  # the numbers first, from the same encoding
        numbers(_report(encoded, 0, recorded_seed, None, minimums, None, tables))
    return _report(encoded, bootstrap, recorded_seed, rng, minimums, progress, tables)


def _encode_coder(
    coder: str,
    mapping: Mapping[Any, Any],
    position: dict[Any, int],
    cat_index: dict[str, int],
    taking: np.ndarray,
    theme_bit: dict[str, int],
    row_c: np.ndarray,
    row_m: np.ndarray,
) -> None:
    """One coder's codings into its rows of category codes and theme masks. The work is done
    once per distinct category and theme set (a coder uses few), not once per unit; any
    unit the quick checks doubt is read again by :func:`_encode_checked`, which names it."""
    values = list(mapping.values())
    try:
        if set(map(len, values)) - {2}:
            raise ValueError
        chosen = list(map(itemgetter(0), values))
        sets = list(map(itemgetter(1), values))
        code_of = {c: -1 if c is None else cat_index.get(c, -2) for c in set(chosen)}
        cache: dict[frozenset[str], int] = {}
        mask_of = {}
        for s in set(sets):
            try:
                mask_of[s] = (
                    theme_mask(
                        s if isinstance(s, frozenset) else frozenset(s), theme_bit, cache, ""
                    )
                    if s
                    else 0
                )
            except ValueError:
                mask_of[s] = -1
    except (TypeError, ValueError, KeyError, IndexError):  # unhashable or malformed: one by one
        return _encode_checked(coder, mapping, position, cat_index, taking, theme_bit, row_c, row_m)
    count = len(values)
    codes = np.fromiter(map(code_of.__getitem__, chosen), np.int64, count)
    themed = np.fromiter(map(mask_of.__getitem__, sets), np.int64, count)
    misplaced = (themed != 0) & ((codes < 0) | ~taking[np.maximum(codes, 0)])
    bad = (codes == -2) | (themed == -1) | misplaced
    if bad.any():
        return _encode_checked(coder, mapping, position, cat_index, taking, theme_bit, row_c, row_m)
    where = np.fromiter(map(position.__getitem__, mapping), np.int64, count)
    row_c[where] = codes
    row_m[where] = themed


def _encode_checked(
    coder: str,
    mapping: Mapping[Any, Any],
    position: dict[Any, int],
    cat_index: dict[str, int],
    taking: np.ndarray,
    theme_bit: dict[str, int],
    row_c: np.ndarray,
    row_m: np.ndarray,
) -> None:
    """:func:`_encode_coder` unit by unit: the first unit that is wrong is named."""
    cache: dict[frozenset[str], int] = {}
    for unit, value in mapping.items():
        try:
            category, unit_themes = value
        except (TypeError, ValueError):
            raise ValueError(
                f"coder {coder!r}, unit {unit!r}: expected (category, themes), got {value!r}"
            ) from None
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
                raise ValueError(
                    f"coder {coder!r}, unit {unit!r}: themes on category "
                    f"{category!r}, which takes no themes"
                )
            key = unit_themes if isinstance(unit_themes, frozenset) else frozenset(unit_themes)
            row_m[j] = theme_mask(key, theme_bit, cache, f"coder {coder!r}, unit {unit!r}")


def _report(
    encoded: tuple[Any, ...],
    bootstrap: int,
    recorded_seed: int | None,
    rng: np.random.Generator | None,
    minimums: Sequence[float],
    progress: Progress | None,
    tables: dict[Any, Any],
) -> AgreementReport:
    """The report of the encoded codings (see :func:`agreement_report`). ``tables``: the pattern
    tables and counts of the layers, kept there for a second report of the same codings."""
    coders, categories, cats, masks, taking, themes, cat_index, effective, ineffective = encoded
    m, n_units = cats.shape
    coded = cats >= 0
    steps = [0, 2 + (m >= 3) + 3 * m * (m - 1) // 2]  # done, total: category, pairs (3 each), end

    def step() -> None:
        steps[0] += 1
        if progress:
            progress(*steps)

    units = UnitCounts(
        n_units,
        {c: int(coded[i].sum()) for i, c in enumerate(coders)},
        int(coded.all(0).sum()),
        int((coded.sum(0) >= 2).sum()),
    )
    plan = BootstrapPlan(bootstrap, recorded_seed, tuple(minimums), BOOTSTRAP_METHOD)
    boot_rng = rng if bootstrap else None
    if "category" not in tables:
        tables["category"] = AlphaTable(cats, len(categories), categories)
    cat_alpha = tables["category"].estimate(bootstrap, boot_rng, minimums)
    cat_ac1 = ac1_counts(
        count_matrix(cats, len(categories)),
        len(categories),
        bootstrap,
        boot_rng.spawn(1)[0] if boot_rng is not None else None,
    )
    step()
    fleiss = None
    if m >= 3:
        fleiss_rng = boot_rng.spawn(1)[0] if boot_rng is not None else None
        fleiss = fleiss_counts(
            count_matrix(cats[:, coded.all(0)], len(categories)), bootstrap, fleiss_rng
        )
        step()
    polarity = np.full(len(categories), -1, dtype=np.int64)
    polarity[[cat_index[c] for c in effective]] = 0
    polarity[[cat_index[c] for c in ineffective]] = 1

    pairs = []
    for i, j in combinations(range(m), 2):
        a, b = coders[i], coders[j]
        both = coded[i] & coded[j]
        pair_codes = cats[[i, j]]
        cat = two_coder_nominal(
            pair_codes,
            categories,
            bootstrap,
            boot_rng,
            minimums,
            alpha=cat_alpha if m == 2 else None,
            tables=tables.setdefault(("category", i, j), {}),
        )
        pol_units = (
            both & (polarity[np.maximum(cats[i], 0)] >= 0) & (polarity[np.maximum(cats[j], 0)] >= 0)
        )
        pol_codes = np.stack([polarity[cats[i][pol_units]], polarity[cats[j][pol_units]]])
        pol = two_coder_nominal(
            pol_codes,
            ["effective", "ineffective"],
            bootstrap,
            boot_rng,
            minimums,
            tables=tables.setdefault(("polarity", i, j), {}),
            definition=POLARITY,
        )
        step()
        take = both & taking[np.maximum(cats[i], 0)] & taking[np.maximum(cats[j], 0)]
        theme_sets = {}
        for key, sel, definition in (
            ("theme_taking", take, THEME_TAKING),
            ("all_coded", both, ALL_CODED),
        ):
            theme_sets[key] = theme_core(
                masks[i][sel],
                masks[j][sel],
                themes,
                definition,
                (a, b),
                bootstrap,
                boot_rng,
                minimums,
                tables.setdefault((key, i, j), {}),
            )
            step()
        only = {a: int((coded[i] & ~coded[j]).sum()), b: int((coded[j] & ~coded[i]).sum())}
        pairs.append(PairAgreement((a, b), int(both.sum()), only, cat, pol, theme_sets))
    two = pairs[0].category if m == 2 else None
    category = CategoryAgreement(
        tuple(categories),
        int((coded.sum(0) >= 2).sum()),
        percent_codes(cats),
        cat_alpha,
        cat_ac1,
        fleiss,
        two.cohen_kappa if two else None,
        two.confusion_matrix if two else None,
    )
    out = AgreementReport(tuple(coders), units, plan, DEFINITIONS, category, tuple(pairs))
    step()
    return out


BOOTSTRAP_METHOD = (
    "bias-corrected percentile (BC) 95% CI; units resampled with replacement "
    "(multinomial over exchangeable unit patterns)"
)

DEFINITIONS = {
    "missing": "a unit coded by one coder only is missing for the other, never agreement",
    "percent_agreement": "share of the units coded by both coders with the same value; with more than two "
    "coders, the mean of that share over coder pairs",
    "cohen_kappa": "Cohen (1960), unweighted, units coded by both; se = asymptotic SE of Fleiss, Cohen & "
    "Everitt (1969) (statsmodels std_kappa); ci = kappa +- 1.96 se, clipped to kappa's range [-1, 1]",
    "krippendorff_alpha": "Krippendorff (2011), nominal, units with two or more values; n = pairable units; "
    "ci = bootstrap bias-corrected percentile interval",
    "gwet_ac1": "Gwet (2008), q = number of possible values, units coded by two or more coders; ci = "
    "bootstrap bias-corrected percentile interval (units resampled as for alpha)",
    "fleiss_kappa": "Fleiss (1971), three or more coders, units coded by every coder; ci = bootstrap "
    "bias-corrected percentile interval (no SE: the Fleiss, Nee & Landis SE holds only "
    "under kappa = 0)",
    "pooled_kappa": "De Vries et al. (2008): (sum of observed - sum of expected agreement) / "
    "(themes - sum of expected agreement), over the themes' present/absent tables",
    "masi_alpha": "Krippendorff's alpha on the theme sets with the MASI distance (Passonneau 2006): "
    "1 - Jaccard x M, M = 1 equal, 2/3 subset, 1/3 overlap, 0 disjoint",
    "prevalence": "share of the unit set's units on which the coder used the theme",
    "bootstrap": "units (for alpha: the pairable units) resampled with replacement B times; ci = the "
    "bias-corrected (BC, Efron 1981) percentile interval: the percentiles Phi(2 z0 -+ 1.96) of "
    "the resampled values, z0 = Phi^-1(share of resamples below the estimate); none, with the "
    "reason, when 97.5% or more of the resamples fall on one side of the estimate; resamples "
    "where the statistic is 0/0 are left out and counted ('defined'); per-theme alphas "
    "resample each theme's present/absent patterns",
    "p_below": "Krippendorff's q: share of bootstrap alphas below the minimum",
    "interpretation": "kappa: Landis & Koch (1977) bands, upper limits inclusive (<0 poor, <=.20 slight, "
    "<=.40 fair, <=.60 moderate, <=.80 substantial, else almost perfect); alpha: >=.800 "
    "reliable, >=.667 tentative conclusions only, else unreliable",
    "undefined": "value null with a reason: the statistic is 0/0 for these data (never reported as 0)",
}
