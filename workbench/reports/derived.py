"""What the tables of one report run derive from one frame, derived once.

The tables of a run (Table 3, the exemplars, by role, by group, co-occurrence, by attribute)
share the behaviour comments and their theme counts instead of each deriving them again.
Sound because no table changes a frame in place (each derives new frames; the kept values
are only read), and a value goes with its frame (a weak reference drops it).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

V = TypeVar("V")

# (id of the frame, what) -> (a weak reference to the frame, the value derived from it).
KEPT: dict[tuple[int, tuple[Hashable, ...]], tuple[weakref.ref[pd.DataFrame], Any]] = {}


def derived(frame: pd.DataFrame, what: tuple[Hashable, ...], compute: Callable[[], V]) -> V:
    """``compute()``, derived from ``frame``, once per frame and ``what``."""
    key = (id(frame), what)
    kept = KEPT.get(key)
    if kept is not None and kept[0]() is frame:
        value: V = kept[1]
        return value
    value = compute()

    def forget(_: object, key: tuple[int, tuple[Hashable, ...]] = key) -> None:
        KEPT.pop(key, None)

    KEPT[key] = (weakref.ref(frame, forget), value)
    return value
