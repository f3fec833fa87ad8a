"""The bootstrap shared by the coefficients: the block sizes and work limits of the pattern
bootstrap (used by alpha's pattern table, :class:`workbench.agreement.alpha._Table`), the
multinomial bootstrap over count patterns (Fleiss' kappa, AC1) and the percentile summary
of resampled values (Hayes & Krippendorff 2007).

Units with the same pattern of values are exchangeable, so a resample of the units is one
multinomial draw over the observed patterns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from workbench.agreement.estimate import Bootstrap

_CHUNK_CELLS = 4_000_000  # bootstrap resamples are drawn and reduced in blocks of this many cells
_BLOCK = 250  # resamples per block (each block: own child generator, may run in a thread)
_TAIL_FREQ = 8  # patterns of at most this many units are drawn by picking units (see _Table.draw)
_THREAD_CELLS = 2_000_000  # K x B above which blocks run in threads (numpy releases the GIL)
# Work limits of the pattern bootstrap (beyond them it is reported as not run, with the reason):
_MAX_BOOT_DISTANCE_CELLS = 2_500  # distinct set values V (the MASI bootstrap costs B x V^2)
_MAX_BOOT_DRAWS = 50_000_000  # B x K multinomial cells (K = distinct unit patterns)


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


def _summarise(samples: np.ndarray, minimums: Sequence[float]) -> Bootstrap:
    ok = ~np.isnan(samples)
    d = samples[ok]
    if d.size == 0:
        return Bootstrap(len(samples), 0, reason="alpha is undefined in every resample", samples=samples)
    lo, hi = np.percentile(d, [2.5, 97.5])
    return Bootstrap(len(samples), int(d.size), (float(lo), float(hi)),
                     {float(m): float((d < m).mean()) for m in minimums}, samples=samples)
