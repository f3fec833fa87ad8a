"""The theme layer: per-theme present/absent agreement of two coders (counts, prevalence,
percent agreement, Cohen's kappa, alpha, AC1, with bootstrap CIs drawn for every theme at
once), pooled kappa and the MASI alpha across themes, theme sets as bit masks, and the two
standard unit sets (theme-taking categories, all coded units).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from workbench.agreement.ac1 import ac1_table, ac1_tables
from workbench.agreement.alpha import AlphaTable
from workbench.agreement.bootstrap import summarise
from workbench.agreement.estimate import (
    DEFAULT_MINIMUMS,
    Estimate,
    krippendorff_label,
    undefined_estimate,
)
from workbench.agreement.kappa import cohen_kappa_table, pooled_kappa
from workbench.agreement.ratings import Seed, rng_of
from workbench.agreement.results import ThemeAgreement, ThemeCounts, ThemeSetAgreement


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
    return (
        f"neither coder used this theme on any of the {n} units"
        if kind == "none"
        else f"both coders used this theme on every one of the {n} units"
    )


def theme_mask(
    themes: frozenset[str],
    theme_bit: Mapping[str, int],
    cache: dict[frozenset[str], int],
    where: str,
) -> int:
    """A theme set as a bit mask (one bit per theme); cached, since coders reuse a few sets."""
    mask = cache.get(themes)
    if mask is None:
        unknown = themes - theme_bit.keys()
        if unknown:
            raise ValueError(f"{where}: unknown theme(s) {sorted(map(str, unknown))}")
        mask = cache[themes] = sum(1 << theme_bit[x] for x in themes)
    return mask


def _masks_from_sets(sets: Iterable[Any], theme_bit: Mapping[str, int], where: str) -> np.ndarray:
    cache: dict[frozenset[str], int] = {}
    return np.asarray(
        [theme_mask(frozenset(s or ()), theme_bit, cache, where) for s in sets], dtype=np.int64
    )


def theme_core(
    ma: np.ndarray,
    mb: np.ndarray,
    themes: Sequence[str],
    definition: str | None,
    coders: Sequence[str],
    bootstrap: int,
    rng: np.random.Generator | None,
    minimums: Sequence[float],
    memo: dict[str, Any] | None = None,
) -> ThemeSetAgreement:
    """``memo``: where the counts and the MASI pattern table are kept for another call on
    the same masks (the report's numbers, then their bootstrap)."""
    n, t = len(ma), len(themes)
    memo = {} if memo is None else memo
    if "counts" not in memo:
        memo["counts"] = _theme_counts(ma, mb, t)
    counts = memo["counts"]
    boots: np.ndarray | None = None
    ac1_boots: np.ndarray | None = None
    if bootstrap and n:
        c11, cd, c00 = counts[:, 0], counts[:, 1] + counts[:, 2], counts[:, 3]
        p = np.stack([c11, cd, c00], axis=1) / n
        assert rng is not None, "a bootstrap needs a generator"
        draws = rng.multinomial(n, p, size=(bootstrap, t))  # B x T x 3: every theme at once
        boots = _binary_alpha(
            draws[..., 0].astype(float), draws[..., 1].astype(float), draws[..., 2].astype(float)
        )
        # AC1 of a 2 x 2 table depends on the same three counts: the same draws give its CI.
        half = draws[..., 1] / 2.0
        tables_b = np.stack(
            [np.stack([draws[..., 2], half], -1), np.stack([half, draws[..., 0]], -1)], -2
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            ac1_boots = ac1_tables(tables_b.astype(float), 2)
    per_theme = {}
    tables = []
    for k, theme in enumerate(themes):
        both, oa, ob, neither = (int(x) for x in counts[k])
        table = np.array([[neither, ob], [oa, both]])  # rows: first coder absent/present
        tables.append(table)
        used_a, used_b = both + oa, both + ob
        theme_counts = ThemeCounts(both, {coders[0]: oa, coders[1]: ob}, neither)
        prevalence = {
            c: (Estimate(u / n, n=n) if n else undefined_estimate("no units", 0))
            for c, u in zip(coders, (used_a, used_b), strict=True)
        }
        if n == 0:
            none = undefined_estimate("no units in this unit set", 0)
            per_theme[theme] = ThemeAgreement(n, theme_counts, prevalence, none, none, none, none)
            continue
        degenerate = "none" if used_a == used_b == 0 else "all" if used_a == used_b == n else None
        if degenerate:
            reason = _theme_reason(degenerate, n)
            kappa = undefined_estimate(f"{reason}: expected agreement is 1, so kappa = 0/0", n)
            alpha = undefined_estimate(
                f"{reason}: only one value occurs, D_e = 0, so alpha = 0/0", n
            )
        else:
            kappa = cohen_kappa_table(table)
            value = float(_binary_alpha(np.array(both), np.array(oa + ob), np.array(neither)))
            boot = summarise(boots[:, k], minimums, value) if boots is not None else None
            alpha = Estimate(
                value,
                n=n,
                ci=boot.ci if boot else None,
                interpretation=krippendorff_label(value),
                bootstrap=boot,
            )
        samples = ac1_boots[:, k] if ac1_boots is not None else None
        per_theme[theme] = ThemeAgreement(
            n,
            theme_counts,
            prevalence,
            Estimate((both + neither) / n, n=n),
            kappa,
            alpha,
            ac1_table(table, samples=samples),
        )
    # MASI alpha on the theme sets themselves (two coders, every unit has both values).
    if n:
        if "masi" not in memo:
            uniq, inv = np.unique(np.concatenate([ma, mb]), return_inverse=True)
            codes = inv.reshape(2, n).astype(np.int64)
            members = ((uniq[:, None] >> np.arange(t)) & 1).astype(bool)
            labels = [[themes[b] for b in range(t) if members[v, b]] for v in range(len(uniq))]
            memo["masi"] = AlphaTable(codes, len(uniq), labels, members)
        masi = memo["masi"].estimate(bootstrap, rng, minimums)
    else:
        masi = undefined_estimate("no units in this unit set", 0)
    pooled = pooled_kappa(tables) if n else undefined_estimate("no units in this unit set", 0)
    return ThemeSetAgreement(definition, n, per_theme, pooled, masi)


def theme_agreement(
    sets_a: Any,
    sets_b: Any,
    themes: Sequence[str],
    *,
    units: Iterable[Any] | None = None,
    definition: str | None = None,
    coders: Sequence[str] = ("a", "b"),
    bootstrap: int = 0,
    seed: Seed = None,
    minimums: Sequence[float] = DEFAULT_MINIMUMS,
) -> ThemeSetAgreement:
    """Per-theme present/absent agreement of two coders over the units the CALLER chose.

    ``sets_a``/``sets_b``: aligned sequences of theme sets, or mappings unit -> theme set
    with ``units`` naming the units (a unit absent from a mapping has no themes).
    Per theme: n, counts (both / only one coder / neither), each coder's prevalence (share
    of the n units carrying the theme), percent agreement, Cohen's kappa (+ASE, CI),
    Krippendorff's alpha, Gwet's AC1 (q = 2). Across themes: :func:`pooled_kappa` and the
    MASI alpha on the theme sets. Its ``as_dict()`` gives JSON types.

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
    theme_bit = theme_bits(themes)
    ma = _masks_from_sets(sets_a, theme_bit, f"coder {coders[0]}")
    mb = _masks_from_sets(sets_b, theme_bit, f"coder {coders[1]}")
    return theme_core(
        ma,
        mb,
        list(themes),
        definition,
        coders,
        bootstrap,
        rng_of(seed) if bootstrap else None,
        minimums,
    )


def theme_bits(themes: Sequence[str]) -> dict[str, int]:
    """Theme key -> its bit in a unit's theme mask (codebook order; distinct keys, at most 62)."""
    bits = {t: i for i, t in enumerate(themes)}
    if len(bits) != len(themes):
        raise ValueError("theme keys must be distinct")
    if len(bits) > 62:
        raise ValueError("at most 62 themes")
    return bits


THEME_TAKING = (
    "units both coders coded and both put in a category that takes themes; "
    "a theme is present/absent in each coder's theme set"
)
ALL_CODED = (
    "all units both coders coded; a unit in a category without themes counts as "
    "'theme absent' for that coder"
)


def theme_agreement_variants(
    codings_a: Mapping[Any, tuple[Any, ...]],
    codings_b: Mapping[Any, tuple[Any, ...]],
    themes: Sequence[str],
    theme_categories: Collection[str],
    *,
    coders: Sequence[str] = ("a", "b"),
    bootstrap: int = 0,
    seed: Seed = None,
    minimums: Sequence[float] = DEFAULT_MINIMUMS,
) -> dict[str, ThemeSetAgreement]:
    """Theme agreement over both standard unit sets, each labelled with its definition and n.

    ``codings_x``: ``{unit: (category or None, theme set)}``. Returns
    ``{"theme_taking": ..., "all_coded": ...}`` (see :func:`theme_agreement`):
    (a) units both coders put in a theme-taking category; (b) all units both coders coded.
    """
    rng = rng_of(seed) if bootstrap else None
    units = [
        u
        for u in codings_a
        if u in codings_b and codings_a[u][0] is not None and codings_b[u][0] is not None
    ]
    taking = [
        u
        for u in units
        if codings_a[u][0] in theme_categories and codings_b[u][0] in theme_categories
    ]
    out = {}
    for key, chosen, definition in (
        ("theme_taking", taking, THEME_TAKING),
        ("all_coded", units, ALL_CODED),
    ):
        out[key] = theme_agreement(
            [codings_a[u][1] for u in chosen],
            [codings_b[u][1] for u in chosen],
            themes,
            definition=definition,
            coders=coders,
            bootstrap=bootstrap,
            seed=rng,
            minimums=minimums,
        )
    return out
