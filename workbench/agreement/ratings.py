"""Inputs: ratings (per-coder value sequences aligned on units, or ``{coder: {unit: value}}``)
encoded as code arrays (coders x units, -1 = missing), set values as codes plus a membership
matrix, two-coder tables and units x values count matrices; the ``Seed`` of every bootstrap.

``None`` (or a float NaN) is *missing*: the coder did not code that unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

Seed = int | np.random.Generator | np.random.SeedSequence | None


# ----------------------------------------------------------------------------- inputs


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and math.isnan(v))


def ordered_units(maps: Iterable[Mapping[Any, Any]]) -> list[Any]:
    """Every unit of the maps, in the order first met."""
    units: dict[str, Any] = {}
    for m in maps:
        units.update(dict.fromkeys(m))  # keys already there keep their place
    return list(units)


def _rows(ratings: Any) -> list[list[Any]]:
    """Per-coder value lists aligned on units (from a sequence of sequences or a mapping)."""
    if isinstance(ratings, Mapping):
        maps = list(ratings.values())
        units = ordered_units(maps)
        return [[m.get(u) for u in units] for m in maps]
    rows = [list(r) for r in ratings]
    if rows and len({len(r) for r in rows}) != 1:
        raise ValueError("every coder's values must be aligned on the same units (equal lengths)")
    return rows


def encode_ratings(
    ratings: Any, labels: Sequence[Any] | None = None
) -> tuple[np.ndarray, list[Any]]:
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
                raise ValueError(
                    f"value {v!r} (coder {i + 1}, unit {j + 1}) is not among the labels {labels!r}"
                ) from None
    return codes, labels


def rng_of(seed: Seed) -> np.random.Generator:
    """The bootstrap's generator for a seed (a generator given is used as it is)."""
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------- two-coder tables


def two_coders(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two coders' codes on the units both coded (ValueError for any other number)."""
    if codes.shape[0] != 2:
        raise ValueError(f"this statistic is for two coders, got {codes.shape[0]}")
    both = (codes[0] >= 0) & (codes[1] >= 0)
    return codes[0][both], codes[1][both]


def contingency_table(a: np.ndarray, b: np.ndarray, q: int) -> np.ndarray:
    """The q x q table of two coders' codes on the same units: [i, j] = units a gave i, b j."""
    return np.bincount(a * q + b, minlength=q * q).reshape(q, q)


# ----------------------------------------------------------------------------- count matrices and sets


def count_matrix(codes: np.ndarray, q: int) -> np.ndarray:
    """Units (with >= 2 values) x values: how many coders gave the unit each value."""
    c = codes[:, (codes >= 0).sum(0) >= 2]
    unit = np.broadcast_to(np.arange(c.shape[1]), c.shape)
    ok = c >= 0
    return np.bincount(unit[ok] * q + c[ok], minlength=c.shape[1] * q).reshape(c.shape[1], q)


def encode_sets(ratings: Any) -> tuple[np.ndarray, list[frozenset[str]], np.ndarray]:
    """Set-valued ratings -> (codes m x N, -1 = missing; the distinct sets codes index into;
    their membership matrix, sets x elements)."""
    rows = _rows(ratings)
    if len(rows) < 2:
        raise ValueError("agreement needs at least two coders")
    sets: dict[frozenset[str], int] = {}
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
