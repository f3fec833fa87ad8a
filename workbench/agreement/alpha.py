"""Krippendorff's (2011) alpha, nominal and with the MASI distance on set values, and the
pattern table both are computed from: units aggregated into exchangeable patterns, alpha
for any matrix of pattern counts in closed form, and its bootstrap (Hayes & Krippendorff
2007) drawn as multinomial pattern counts in blocks.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from typing import Any

import numpy as np

from workbench.agreement.bootstrap import (
    BLOCK,
    CHUNK_CELLS,
    MAX_BOOT_DISTANCE_CELLS,
    MAX_BOOT_DRAWS,
    TAIL_FREQ,
    THREAD_CELLS,
    one_blas_thread,
    summarise,
)
from workbench.agreement.estimate import (
    DEFAULT_MINIMUMS,
    Bootstrap,
    Estimate,
    krippendorff_label,
    undefined_estimate,
)
from workbench.agreement.masi import Masi
from workbench.agreement.ratings import Seed, encode_ratings, encode_sets, rng_of


class AlphaTable:
    """Units aggregated into K exchangeable patterns (the multiset of values a unit got).

    Only units with >= 2 values (pairable) are kept. Per pattern: its frequency, its
    observed-disagreement contribution sum_{i != j} delta(v_i, v_j) / (m_u - 1), and its
    values (for the value totals n_c). Alpha for any B x K matrix of pattern counts is then
    computed vectorised (Krippendorff 2011): alpha = 1 - (n-1) * sum_u obs_u / sum_{c,k} n_c n_k delta_ck.
    ``members`` (V x E bool) switches from the nominal to the MASI distance.
    """

    def __init__(
        self,
        codes: np.ndarray,
        n_values: int,
        labels: Sequence[Any] | None = None,
        members: np.ndarray | None = None,
    ):
        self.labels = labels
        self.members = Masi(members) if members is not None else None
        m = codes.shape[0]
        pairable = (codes >= 0).sum(0) >= 2
        cols = np.sort(codes[:, pairable], axis=0)  # missing (-1) first: a multiset per unit
        if cols.shape[1] == 0:
            pats = np.empty((m, 0), dtype=np.int64)
            freq = np.empty(0, dtype=np.int64)
        elif (n_values + 1) ** m < 2**62:
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
        ks = np.concatenate(
            [np.nonzero(valid[i])[0] for i in range(pats.shape[0])] or [np.empty(0, np.int64)]
        )
        vs = np.concatenate(
            [pats[i][valid[i]] for i in range(pats.shape[0])] or [np.empty(0, np.int64)]
        )
        order = np.argsort(vs, kind="stable")
        self.inc_k, vs = ks[order], vs[order]
        self.starts = (
            np.flatnonzero(np.r_[True, vs[1:] != vs[:-1]]) if vs.size else np.empty(0, np.int64)
        )
        self.values = vs[self.starts] if vs.size else np.empty(0, np.int64)
        self._delta: np.ndarray | None = None

    # distances ------------------------------------------------------------------
    def delta_pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if self.members is None:
            nominal: np.ndarray = (i != j).astype(float)
            return nominal
        return self.members.pairs(i, j)

    def _expected_sum(self, nv: np.ndarray) -> np.ndarray:
        """sum_{c,k} n_c n_k delta_ck per row of nv (B x U totals of the present values)."""
        if self.members is None:
            n = nv.sum(1)
            pairs: np.ndarray = n * n - (nv * nv).sum(1)
            return pairs
        u = len(self.values)
        if u <= MAX_BOOT_DISTANCE_CELLS:
            if self._delta is None:
                self._delta = self.members.block(self.values, self.values)
            sums: np.ndarray = ((nv @ self._delta) * nv).sum(1)
            return sums
        if self.members.zeta_ok:
            return np.array([self.members.expected_sum_zeta(self.values, row) for row in nv])
        out = np.zeros(nv.shape[0])
        step = max(1, CHUNK_CELLS // u)
        for s in range(0, u, step):
            block = self.members.block(self.values, self.values[s : s + step])
            out += ((nv @ block) * nv[:, s : s + step]).sum(1)
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

    def resample_blocks(
        self, bootstrap: int, rng: np.random.Generator
    ) -> list[tuple[int, np.random.Generator]]:
        """The B resamples as blocks (size, generator), each block drawn by :meth:`draw` from
        its own child of ``rng`` (``rng.spawn``): the same result whether blocks run in threads or not."""
        size = max(1, min(BLOCK, CHUNK_CELLS // max(len(self.freq), len(self.values), 1)))
        sizes = [min(size, bootstrap - s) for s in range(0, bootstrap, size)]
        return list(zip(sizes, rng.spawn(len(sizes)), strict=True))

    def draw(self, size: int, generator: np.random.Generator) -> np.ndarray:
        """``size`` resamples of the n pairable units with replacement, as a (size x K) matrix
        of pattern counts: Multinomial(n, freq/n) per row, drawn exactly in two steps. Patterns
        with more than ``TAIL_FREQ`` units get one binomial each (numpy's multinomial); the
        rest are pooled into one cell whose draws are then spread by picking uniformly among
        the pooled units (cheaper than one binomial per rare pattern, same distribution)."""
        n, freq = self.n_units, self.freq
        head = int(np.searchsorted(-freq, -TAIL_FREQ, side="left"))  # freq is sorted descending
        if head >= len(freq) - 1:
            return generator.multinomial(n, freq / n, size=size)
        tail_freq = freq[head:]
        tail_units = int(tail_freq.sum())
        cells = generator.multinomial(n, np.r_[freq[:head], tail_units] / n, size=size)
        drawn = cells[:, head]
        picks = generator.integers(0, tail_units, size=int(drawn.sum()))
        pattern = np.repeat(np.arange(len(tail_freq)), tail_freq)[picks]
        out = np.empty((size, len(freq)), dtype=cells.dtype)
        out[:, :head] = cells[:, :head]
        ends = np.cumsum(drawn)
        for row, (start, end) in enumerate(
            zip((ends - drawn).tolist(), ends.tolist(), strict=True)
        ):
            # Row by row: each count fits the cache (one bincount over the block did not).
            out[row, head:] = np.bincount(pattern[start:end], minlength=len(tail_freq))
        return out

    def _label(self, v: int) -> str:
        if self.members is not None:
            return (
                "{" + ", ".join(map(str, self.labels[v])) + "}"
                if self.labels is not None
                else f"#{v}"
            )
        return repr(self.labels[v]) if self.labels is not None else f"#{v}"

    def estimate(
        self, bootstrap: int, rng: np.random.Generator | None, minimums: Sequence[float]
    ) -> Estimate:
        if self.n_units == 0:
            return undefined_estimate(
                "no unit has values from two or more coders (no pairable values)", 0
            )
        present = self.values[np.add.reduceat(self.freq[self.inc_k], self.starts) > 0]
        if len(present) < 2:
            return undefined_estimate(
                f"only one value ({self._label(int(present[0]))}) occurs among the pairable values of the "
                f"{self.n_units} units: expected disagreement D_e = 0, so alpha = 0/0",
                self.n_units,
            )
        value = float(self.alphas(self.freq[None, :])[0])
        boot = None
        if bootstrap and self.members is not None and len(self.values) > MAX_BOOT_DISTANCE_CELLS:
            boot = Bootstrap(
                bootstrap,
                reason=(
                    f"not run: {len(self.values)} distinct sets would need {bootstrap} x {len(self.values)}^2 "
                    f"distance terms (limit: {MAX_BOOT_DISTANCE_CELLS} distinct sets)"
                ),
            )
        elif bootstrap and bootstrap * len(self.freq) > MAX_BOOT_DRAWS:
            boot = Bootstrap(
                bootstrap,
                reason=(
                    f"not run: {len(self.freq)} distinct unit patterns would need {bootstrap} x {len(self.freq)} "
                    f"multinomial cells (limit: {MAX_BOOT_DRAWS:.0e})"
                ),
            )
        elif bootstrap:
            assert rng is not None, "a bootstrap needs a generator"
            blocks = self.resample_blocks(bootstrap, rng)

            def work(block: tuple[int, np.random.Generator]) -> np.ndarray:
                return self.alphas(self.draw(*block))

            threads = min(len(blocks), os.cpu_count() or 1)
            with one_blas_thread():
                if len(self.freq) * bootstrap >= THREAD_CELLS and len(blocks) > 1:
                    with ThreadPoolExecutor(max_workers=threads) as pool:
                        parts = list(pool.map(work, blocks))
                else:
                    parts = [work(block) for block in blocks]
            boot = summarise(np.concatenate(parts), minimums, value)
        return Estimate(
            value,
            n=self.n_units,
            ci=boot.ci if boot else None,
            interpretation=krippendorff_label(value),
            bootstrap=boot,
        )


def krippendorff_alpha(
    ratings: Any,
    labels: Sequence[Any] | None = None,
    *,
    bootstrap: int = 0,
    seed: Seed = None,
    minimums: Sequence[float] = DEFAULT_MINIMUMS,
) -> Estimate:
    """Krippendorff's (2011) alpha for nominal data: any number of coders, missing values
    allowed; only units with two or more values (pairable) count. alpha = 1 - D_o/D_e from
    the coincidence matrix. ``n`` = pairable units.

    ``bootstrap=B`` adds a bias-corrected 95% CI and, per minimum, the probability that alpha
    falls below it: the pairable units are resampled with replacement (seeded numpy
    Generator); since units with the same multiset of values are exchangeable, a resample
    is one multinomial draw of n units over the K observed patterns, and all B alphas are
    computed at once from the B x K count matrix. Undefined (reason given) when no unit is
    pairable or only one value occurs (D_e = 0).

    Krippendorff's (2011) nominal example: four coders, twelve units, missing values
    (``None``); the twelfth unit has one value only. His published alpha is .743:

    >>> _ = None
    >>> est = krippendorff_alpha([
    ...     [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    ...     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    ...     [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    ...     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ... ])
    >>> round(est.value, 3), est.n
    (0.743, 11)
    """
    codes, labels = encode_ratings(ratings, labels)
    rng = rng_of(seed) if bootstrap else None
    return AlphaTable(codes, len(labels), labels).estimate(bootstrap, rng, minimums)


def masi_alpha(
    ratings: Any,
    *,
    bootstrap: int = 0,
    seed: Seed = None,
    minimums: Sequence[float] = DEFAULT_MINIMUMS,
) -> Estimate:
    """Krippendorff's alpha on set values with the MASI distance (Passonneau 2006).

    ``ratings``: per-coder sequences of sets (None = missing) aligned on units, or
    ``{coder: {unit: set}}``. General distance form (Krippendorff 2011): D_o = (1/n)
    sum_u sum_{i != j} delta(v_ui, v_uj)/(m_u - 1), D_e = sum_{c,k} n_c n_k delta_ck/(n(n-1))
    over the pairable values (units with >= 2 coders); alpha = 1 - D_o/D_e. Equals the
    nominal alpha when every set is a singleton. Bootstrap as :func:`krippendorff_alpha`
    (patterns = multisets of sets).
    """
    codes, values, members = encode_sets(ratings)
    table = AlphaTable(codes, len(values), [sorted(map(str, s)) for s in values], members)
    return table.estimate(bootstrap, rng_of(seed) if bootstrap else None, minimums)
