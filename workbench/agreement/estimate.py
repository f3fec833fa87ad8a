"""What every statistic returns: :class:`Estimate` (and its :class:`Bootstrap` summary),
undefined values with a reason, :func:`to_jsonable`, and the interpretation labels
(Landis & Koch bands for kappa, Krippendorff's for alpha).

A statistic that does not exist for the data has ``value=None`` and a ``reason`` --
never 0 and never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not at run time: a frozen round reads back without loading numpy
    import numpy as np

#: Krippendorff's (2004) minimum acceptable alphas: .800 (reliable), .667 (tentative).
DEFAULT_MINIMUMS: tuple[float, ...] = (0.800, 0.667)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap distribution summary of a statistic (Hayes & Krippendorff 2007).

    ``ci`` is the 95% bias-corrected percentile interval of the resampled values, or None
    with the ``reason`` (see :mod:`workbench.agreement.bootstrap`); ``p_below[m]`` is
    Krippendorff's q: the share of resampled alphas below the minimum ``m``. Both use
    only the ``defined`` resamples (a resample in which alpha is 0/0 -- e.g. a rare value
    drawn zero times -- is left out and counted). ``samples`` holds every resampled value
    (NaN marks an undefined resample); it is not part of :meth:`as_dict`. ``method`` names the
    interval (a round frozen by an older version keeps the name it was given then).
    """

    resamples: int
    defined: int = 0
    ci: tuple[float, float] | None = None
    p_below: dict[float, float] = field(default_factory=dict, hash=False)
    reason: str | None = None
    samples: np.ndarray | None = field(default=None, repr=False, compare=False, hash=False)
    method: str = "bias-corrected percentile (BC), units resampled with replacement"

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "resamples": self.resamples,
            "defined": self.defined,
            "ci": list(self.ci) if self.ci is not None else None,
            "p_below": {f"{m:.3f}": p for m, p in self.p_below.items()},
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Bootstrap:
        """The summary :meth:`as_dict` gave (as a frozen round stores it)."""
        ci = data["ci"]
        return cls(
            data["resamples"],
            data["defined"],
            (ci[0], ci[1]) if ci is not None else None,
            {float(m): p for m, p in data["p_below"].items()},
            data["reason"],
            method=data["method"],
        )


@dataclass(frozen=True)
class Estimate:
    """One agreement statistic. ``value is None`` exactly when ``reason`` says why.

    ``se``/``ci``: asymptotic standard error and 95% CI where the statistic has one
    (Cohen's kappa), or the bootstrap BC CI (alpha, AC1, see ``bootstrap``; None when the
    bootstrap gives no interval, with its reason).
    ``n``: the number of units the statistic is computed over.
    ``interpretation``: Landis & Koch band (kappa) or Krippendorff label (alpha).
    """

    value: float | None
    reason: str | None = None
    se: float | None = None
    ci: tuple[float, float] | None = None
    n: int = 0
    interpretation: str | None = None
    bootstrap: Bootstrap | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.reason is None):
            raise ValueError("an Estimate has either a value or a reason why it is undefined")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(
                f"non-finite estimate {self.value!r}: report it as undefined with a reason"
            )

    @property
    def defined(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "value": self.value,
            "reason": self.reason,
            "se": self.se,
            "ci": list(self.ci) if self.ci is not None else None,
            "n": self.n,
        }
        if self.interpretation is not None:
            data["interpretation"] = self.interpretation
        if self.bootstrap is not None:
            data["bootstrap"] = self.bootstrap.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Estimate:
        """The estimate :meth:`as_dict` gave (as a frozen round stores it); ``se``, ``ci`` and
        ``n`` may be left out (a line of a model's summary written by hand)."""
        ci, boot = data.get("ci"), data.get("bootstrap")
        return cls(
            data["value"],
            data["reason"],
            data.get("se"),
            (ci[0], ci[1]) if ci is not None else None,
            data.get("n", 0),
            data.get("interpretation"),
            Bootstrap.from_dict(boot) if boot else None,
        )


def undefined_estimate(reason: str, n: int = 0) -> Estimate:
    """No value, and the reason why the statistic is undefined on these ``n`` units."""
    return Estimate(None, reason, n=int(n))


def to_jsonable(obj: Any) -> Any:
    """Recursively turn results (Estimate, Bootstrap, the results of
    :mod:`workbench.agreement.results`, numpy values, tuples) into JSON types."""
    import numpy as np  # loaded already wherever a result was computed

    as_dict = getattr(obj, "as_dict", None)
    if as_dict is not None:
        return to_jsonable(as_dict())
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (frozenset, set)):
        return sorted(to_jsonable(v) for v in obj)
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ValueError("non-finite number in a report")
    return obj


# ----------------------------------------------------------------------------- labels


def _band_value(x: float | Estimate | None) -> float | None:
    if isinstance(x, Estimate):
        x = x.value
    if x is None:
        return None
    # Rounded to 12 decimals first, so 0.2 computed as 0.20000000000000004 stays on its band.
    return round(float(x), 12)


def landis_koch(kappa: float | Estimate | None) -> str | None:
    """Landis & Koch (1977) band: <0 poor, 0-.20 slight, .21-.40 fair, .41-.60 moderate,
    .61-.80 substantial, .81-1 almost perfect.

    Boundaries: each band includes its upper limit (0.20 is slight, 0.40 fair, 0.60
    moderate, 0.80 substantial); any value above a limit (e.g. 0.205, in the printed
    gap between .20 and .21) belongs to the next band. 0 is slight. None -> None.
    """
    k = _band_value(kappa)
    if k is None:
        return None
    if k < 0:
        return "poor"
    for limit, label in (
        (0.20, "slight"),
        (0.40, "fair"),
        (0.60, "moderate"),
        (0.80, "substantial"),
    ):
        if k <= limit:
            return label
    return "almost perfect"


def krippendorff_label(alpha: float | Estimate | None) -> str | None:
    """Krippendorff (2004): alpha >= .800 "reliable"; .667 <= alpha < .800 "tentative
    conclusions only"; alpha < .667 "unreliable". None -> None."""
    a = _band_value(alpha)
    if a is None:
        return None
    if a >= 0.800:
        return "reliable"
    if a >= 0.667:
        return "tentative conclusions only"
    return "unreliable"
