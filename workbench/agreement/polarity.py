"""Two-coder nominal agreement as one block (n, percent agreement, Cohen's kappa, alpha, AC1,
confusion matrix) -- the category and polarity layers of the report -- and polarity
agreement: effective vs ineffective over the units both coders put in a behaviour category.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from workbench.agreement.ac1 import ac1_table
from workbench.agreement.alpha import AlphaTable
from workbench.agreement.estimate import DEFAULT_MINIMUMS, Estimate
from workbench.agreement.kappa import cohen_kappa_table, percent_codes
from workbench.agreement.ratings import Seed, contingency_table, rng_of, two_coders
from workbench.agreement.results import ConfusionMatrix, NominalAgreement

POLARITY = (
    "units both coders mapped to a behaviour category (effective or ineffective); "
    "value = effective vs ineffective"
)


def two_coder_nominal(
    codes: np.ndarray,
    labels: list[Any],
    bootstrap: int,
    rng: np.random.Generator | None,
    minimums: Sequence[float],
    alpha: Estimate | None = None,
    tables: dict[str, Any] | None = None,
    definition: str | None = None,
) -> NominalAgreement:
    """Two coders' agreement on ``codes`` (2 x n, indexes into ``labels``). ``tables``: where
    alpha's pattern table is kept for another call on the same codes."""
    a, b = two_coders(codes)
    q = len(labels)
    table = contingency_table(a, b, q)
    if alpha is None:
        tables = {} if tables is None else tables
        if "alpha" not in tables:
            tables["alpha"] = AlphaTable(codes, q, labels)
        alpha = tables["alpha"].estimate(bootstrap, rng, minimums)
    # A child generator: AC1's resamples leave the alpha resamples' stream as it was.
    ac1_rng = rng.spawn(1)[0] if bootstrap and rng is not None else None
    return NominalAgreement(
        int(len(a)),
        percent_codes(codes),
        cohen_kappa_table(table, labels),
        alpha,
        ac1_table(table, q, bootstrap, ac1_rng),
        ConfusionMatrix(tuple(labels), tuple(map(tuple, table.tolist()))),
        definition,
    )


def polarity_agreement(
    categories_a: Mapping[Hashable, str | None],
    categories_b: Mapping[Hashable, str | None],
    effective: Collection[str],
    ineffective: Collection[str],
    *,
    bootstrap: int = 0,
    seed: Seed = None,
    minimums: Sequence[float] = DEFAULT_MINIMUMS,
) -> NominalAgreement:
    """Agreement on effective vs ineffective over the units both coders mapped to a behaviour
    category (``effective``/``ineffective`` name the categories of each polarity). Units one
    coder put elsewhere are left out (that disagreement shows in the category layer).
    Percent agreement, Cohen's kappa, Krippendorff's alpha (+bootstrap), AC1 (q = 2),
    confusion matrix (rows = first coder)."""
    if set(effective) & set(ineffective):
        raise ValueError("a category cannot be both effective and ineffective")
    polarity: dict[str | None, int] = {c: 0 for c in effective}
    polarity.update({c: 1 for c in ineffective})
    units = [
        u for u, c in categories_a.items() if c in polarity and categories_b.get(u) in polarity
    ]
    codes = np.array(
        [[polarity[categories_a[u]] for u in units], [polarity[categories_b[u]] for u in units]],
        dtype=np.int64,
    ).reshape(2, len(units))
    return two_coder_nominal(
        codes,
        ["effective", "ineffective"],
        bootstrap,
        rng_of(seed) if bootstrap else None,
        minimums,
        definition=POLARITY,
    )
