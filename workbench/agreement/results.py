"""What an agreement report is: frozen dataclasses, from the whole :class:`AgreementReport`
down to one theme's :class:`ThemeAgreement`, with every statistic an
:class:`~workbench.agreement.estimate.Estimate`.

``as_dict()`` gives the report's JSON (``workbench agreement --format json``, the API, a
frozen round); ``from_dict()`` reads it back, so the rounds of older project files open.
Importing this module does not load numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.agreement.estimate import Estimate

Matrix = tuple[tuple[int, ...], ...]


def _estimates(data: Mapping[str, Any]) -> dict[str, Estimate]:
    return {key: Estimate.from_dict(value) for key, value in data.items()}


@dataclass(frozen=True, slots=True)
class ConfusionMatrix:
    """Counts of two coders' values: rows the first coder's, columns the second's."""

    labels: tuple[str, ...]
    matrix: Matrix

    def as_dict(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "matrix": [list(row) for row in self.matrix]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConfusionMatrix:
        return cls(tuple(data["labels"]), tuple(tuple(row) for row in data["matrix"]))


@dataclass(frozen=True, slots=True)
class NominalAgreement:
    """Two coders on one nominal layer (a pair's category, or effective vs ineffective):
    ``n`` units coded by both, the statistics and the confusion matrix. ``definition`` says
    which units the layer takes (the polarity layer's; None for the category)."""

    n: int
    percent_agreement: Estimate
    cohen_kappa: Estimate
    krippendorff_alpha: Estimate
    gwet_ac1: Estimate
    confusion_matrix: ConfusionMatrix
    definition: str | None = None

    def as_dict(self) -> dict[str, Any]:
        head = {} if self.definition is None else {"definition": self.definition}
        return head | {
            "n": self.n,
            "percent_agreement": self.percent_agreement.as_dict(),
            "cohen_kappa": self.cohen_kappa.as_dict(),
            "krippendorff_alpha": self.krippendorff_alpha.as_dict(),
            "gwet_ac1": self.gwet_ac1.as_dict(),
            "confusion_matrix": self.confusion_matrix.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NominalAgreement:
        stats = _estimates({k: data[k] for k in _NOMINAL})
        return cls(
            data["n"],
            **stats,
            confusion_matrix=ConfusionMatrix.from_dict(data["confusion_matrix"]),
            definition=data.get("definition"),
        )


_NOMINAL = ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "gwet_ac1")


@dataclass(frozen=True, slots=True)
class CategoryAgreement:
    """The category layer over every coder: ``n`` units coded by two or more, percent
    agreement (the mean over pairs), alpha and AC1; Fleiss' kappa with three or more coders,
    Cohen's kappa and the confusion matrix with two."""

    labels: tuple[str, ...]
    n: int
    percent_agreement: Estimate
    krippendorff_alpha: Estimate
    gwet_ac1: Estimate
    fleiss_kappa: Estimate | None = None
    cohen_kappa: Estimate | None = None
    confusion_matrix: ConfusionMatrix | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "labels": list(self.labels),
            "n": self.n,
            "percent_agreement": self.percent_agreement.as_dict(),
            "krippendorff_alpha": self.krippendorff_alpha.as_dict(),
            "gwet_ac1": self.gwet_ac1.as_dict(),
        }
        for key in ("fleiss_kappa", "cohen_kappa", "confusion_matrix"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CategoryAgreement:
        optional = _estimates({k: data[k] for k in ("fleiss_kappa", "cohen_kappa") if k in data})
        matrix = data.get("confusion_matrix")
        return cls(
            tuple(data["labels"]),
            data["n"],
            **_estimates({k: data[k] for k in _NOMINAL if k != "cohen_kappa"}),
            **optional,
            confusion_matrix=ConfusionMatrix.from_dict(matrix) if matrix else None,
        )


@dataclass(frozen=True, slots=True)
class ThemeCounts:
    """Of a theme's units: how many both coders gave it, each coder only, and neither."""

    both: int
    only: dict[str, int]
    neither: int

    def as_dict(self) -> dict[str, Any]:
        return {"both": self.both, "only": dict(self.only), "neither": self.neither}


@dataclass(frozen=True, slots=True)
class ThemeAgreement:
    """One theme present/absent for two coders over ``n`` units: the counts, each coder's
    prevalence (share of the units) and the statistics."""

    n: int
    counts: ThemeCounts
    prevalence: dict[str, Estimate]
    percent_agreement: Estimate
    cohen_kappa: Estimate
    krippendorff_alpha: Estimate
    gwet_ac1: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "counts": self.counts.as_dict(),
            "prevalence": {c: e.as_dict() for c, e in self.prevalence.items()},
            "percent_agreement": self.percent_agreement.as_dict(),
            "cohen_kappa": self.cohen_kappa.as_dict(),
            "krippendorff_alpha": self.krippendorff_alpha.as_dict(),
            "gwet_ac1": self.gwet_ac1.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThemeAgreement:
        counts = data["counts"]
        return cls(
            data["n"],
            ThemeCounts(counts["both"], dict(counts["only"]), counts["neither"]),
            _estimates(data["prevalence"]),
            **_estimates({k: data[k] for k in _NOMINAL}),
        )


@dataclass(frozen=True, slots=True)
class ThemeSetAgreement:
    """Two coders' themes over one unit set (``definition`` says which, ``n`` how many
    units): per theme, and across themes pooled kappa and the MASI alpha."""

    definition: str | None
    n: int
    themes: dict[str, ThemeAgreement]
    pooled_kappa: Estimate
    masi_alpha: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {
            "definition": self.definition,
            "n": self.n,
            "themes": {key: theme.as_dict() for key, theme in self.themes.items()},
            "pooled_kappa": self.pooled_kappa.as_dict(),
            "masi_alpha": self.masi_alpha.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThemeSetAgreement:
        themes = {key: ThemeAgreement.from_dict(theme) for key, theme in data["themes"].items()}
        return cls(
            data["definition"],
            data["n"],
            themes,
            Estimate.from_dict(data["pooled_kappa"]),
            Estimate.from_dict(data["masi_alpha"]),
        )


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Every layer for one pair of coders: the units each coded, the category and polarity
    layers, and the themes over each unit set (``theme_taking``, ``all_coded``)."""

    coders: tuple[str, str]
    coded_by_both: int
    coded_by_one_only: dict[str, int]
    category: NominalAgreement
    polarity: NominalAgreement
    themes: dict[str, ThemeSetAgreement]

    def as_dict(self) -> dict[str, Any]:
        return {
            "coders": list(self.coders),
            "units": {
                "coded_by_both": self.coded_by_both,
                "coded_by_one_only": dict(self.coded_by_one_only),
            },
            "category": self.category.as_dict(),
            "polarity": self.polarity.as_dict(),
            "themes": {key: block.as_dict() for key, block in self.themes.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PairAgreement:
        a, b = data["coders"]
        units = data["units"]
        themes = {key: ThemeSetAgreement.from_dict(block) for key, block in data["themes"].items()}
        return cls(
            (a, b),
            units["coded_by_both"],
            dict(units["coded_by_one_only"]),
            NominalAgreement.from_dict(data["category"]),
            NominalAgreement.from_dict(data["polarity"]),
            themes,
        )


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """The report's units: ``total``, how many each coder coded, by all and by two or more."""

    total: int
    coded: dict[str, int]
    coded_by_all: int
    coded_by_two_or_more: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "coded": dict(self.coded),
            "coded_by_all": self.coded_by_all,
            "coded_by_two_or_more": self.coded_by_two_or_more,
        }


@dataclass(frozen=True, slots=True)
class BootstrapPlan:
    """How the report's CIs were drawn: ``resamples`` (0: none) from ``seed``, and the
    minimum alphas whose q (share of resampled alphas below) is given."""

    resamples: int
    seed: int | None
    minimums: tuple[float, ...]
    method: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "resamples": self.resamples,
            "seed": self.seed,
            "minimums": list(self.minimums),
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class Scope:
    """Which codings a project's report compares: the focus ``group`` (None: all), the
    ``where`` filter, the codebook and codings' digests, ``suggested`` (include, exclude,
    only) and each coder's codings taken from a model's suggestion. ``where``, ``suggested``
    and ``suggestion_accepted`` are None in rounds frozen before they were recorded; the
    ``fingerprint`` is None in the evidence reports (a coder against a gold or a retest)."""

    group: str | None
    codebook_sha256: str
    fingerprint: str | None = None
    suggested: str | None = None
    suggestion_accepted: dict[str, int] | None = None
    where: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"group": self.group}
        if self.where is not None:
            data["where"] = self.where
        data["codebook_sha256"] = self.codebook_sha256
        if self.fingerprint is not None:
            data["fingerprint"] = self.fingerprint
        if self.suggested is not None:
            data["suggested"] = self.suggested
        if self.suggestion_accepted is not None:
            data["suggestion_accepted"] = dict(self.suggestion_accepted)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scope:
        accepted = data.get("suggestion_accepted")
        return cls(
            data["group"],
            data["codebook_sha256"],
            data.get("fingerprint"),
            data.get("suggested"),
            dict(accepted) if accepted is not None else None,
            data.get("where"),
        )


@dataclass(frozen=True, slots=True)
class Names:
    """The codebook's names of the category and theme keys (for people)."""

    categories: dict[str, str]
    themes: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"categories": dict(self.categories), "themes": dict(self.themes)}


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """The agreement of two or more coders (:func:`~workbench.agreement.report.agreement_report`):
    the units, the bootstrap plan, the definitions, the category over every coder and every
    layer per pair. A project's report (``project_agreement``) also has its ``scope`` and the
    codebook's ``names``."""

    coders: tuple[str, ...]
    units: UnitCounts
    bootstrap: BootstrapPlan
    definitions: dict[str, str]
    category: CategoryAgreement
    pairs: tuple[PairAgreement, ...]
    scope: Scope | None = None
    names: Names | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "coders": list(self.coders),
            "units": self.units.as_dict(),
            "bootstrap": self.bootstrap.as_dict(),
            "definitions": dict(self.definitions),
            "category": self.category.as_dict(),
            "pairs": [pair.as_dict() for pair in self.pairs],
        }
        if self.scope is not None:
            data["scope"] = self.scope.as_dict()
        if self.names is not None:
            data["names"] = self.names.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AgreementReport:
        """The report :meth:`as_dict` gave, e.g. a frozen round's (older rounds too)."""
        units, boot = data["units"], data["bootstrap"]
        scope, names = data.get("scope"), data.get("names")
        return cls(
            tuple(data["coders"]),
            UnitCounts(
                units["total"],
                dict(units["coded"]),
                units["coded_by_all"],
                units["coded_by_two_or_more"],
            ),
            BootstrapPlan(boot["resamples"], boot["seed"], tuple(boot["minimums"]), boot["method"]),
            dict(data["definitions"]),
            CategoryAgreement.from_dict(data["category"]),
            tuple(PairAgreement.from_dict(pair) for pair in data["pairs"]),
            Scope.from_dict(scope) if scope is not None else None,
            Names(dict(names["categories"]), dict(names["themes"])) if names is not None else None,
        )
