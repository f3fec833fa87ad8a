"""The MASI distance between sets (Passonneau 2006): :func:`masi_distance` for two sets and
:class:`Masi`, the vectorised distances between many distinct sets that alpha's pattern
table uses for the MASI alpha.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

import numpy as np


def _masi_from_sizes(inter: np.ndarray, sa: np.ndarray, sb: np.ndarray) -> np.ndarray:
    union = sa + sb - inter
    jac = np.where(union > 0, inter / np.where(union > 0, union, 1), 1.0)
    m = np.where(
        (inter == sa) & (inter == sb),
        1.0,
        np.where(inter == np.minimum(sa, sb), 2 / 3, np.where(inter > 0, 1 / 3, 0.0)),
    )
    return 1.0 - jac * m


def masi_distance(a: Collection[Any], b: Collection[Any]) -> float:
    """MASI distance (Passonneau 2006): 1 - J * M, J = Jaccard |a&b|/|a|b|, M = 1 if the
    sets are equal, 2/3 if one is a subset of the other, 1/3 if they otherwise intersect,
    0 if disjoint. Two empty sets are equal (distance 0)."""
    a, b = frozenset(a), frozenset(b)
    inter = np.array(len(a & b), dtype=float)
    return float(_masi_from_sizes(inter, np.array(float(len(a))), np.array(float(len(b)))))


class Masi:
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
        self._flat = self.lut.ravel()  # lut[a, b, c] = _flat[(a (e+1) + b) (e+1) + c]
        self._x = self.members.astype(np.float32)  # 0/1 dot products are exact in float32
        self.zeta_ok = e <= 16
        bits = e <= 62 and hasattr(np, "bitwise_count")  # numpy >= 2
        self.masks = (
            (self.members.astype(np.int64) << np.arange(e, dtype=np.int64)).sum(1)
            if self.zeta_ok or bits
            else None
        )
        self._popcount = bits

    def pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        inter = (self.members[i] & self.members[j]).sum(1)
        deltas: np.ndarray = self.lut[self.sizes[i], self.sizes[j], inter]
        return deltas

    def block(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if self._popcount:  # |a & b| as the popcount of the masks' AND: a third of the time
            assert self.masks is not None  # set whenever _popcount is
            inter = np.bitwise_count(self.masks[i][:, None] & self.masks[j][None, :])
        else:
            inter = np.rint(self._x[i] @ self._x[j].T).astype(np.int64)
        side = self.members.shape[1] + 1
        sizes = self.sizes.astype(np.int32)  # the flat index < (E + 1)^3: int32 halves the traffic
        index = (sizes[i][:, None] * side + sizes[j][None, :]) * side
        index += inter
        deltas: np.ndarray = self._flat[index]
        return deltas

    def expected_sum_zeta(self, values: np.ndarray, counts: np.ndarray) -> float:
        """sum_{c,k} n_c n_k delta_ck without the V x V matrix: for every pair of set sizes
        (a, b) the number of value pairs with each intersection size comes from superset
        sums over the 2^E subsets (sum_{|S|=j} g_a(S) g_b(S) counts pairs weighted by
        C(|a&b|, j)) and binomial inversion; exact integer arithmetic, O(E^2 2^E)."""
        e = self.members.shape[1]
        f = np.zeros((e + 1, 1 << e), dtype=np.int64)
        assert self.masks is not None  # set whenever zeta_ok is
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
                    w = sum(
                        (-1) ** (j - c) * math.comb(j, c) * moments[j][a][b]
                        for j in range(c, min(a, b) + 1)
                    )
                    if w:
                        total += float(self.lut[a, b, c]) * w
        return total
