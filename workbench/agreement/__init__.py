"""Inter-coder agreement: category layer, theme layer, polarity, bootstrap CIs.

The coefficients are pure: numpy only, no I/O, no store, no UI. Every statistic returns an
:class:`Estimate`; a statistic that does not exist for the data (kappa when
expected agreement is 1, alpha when only one value occurs, no overlapping units, ...)
has ``value=None`` and a ``reason`` -- never 0 and never NaN.

Inputs ("ratings") are plain Python: either a sequence of per-coder value
sequences aligned on units (``[[a1, a2, ...], [b1, b2, ...]]``) or a mapping
``{coder: {unit: value}}``. ``None`` (or a float NaN) is *missing*: the coder did not
code that unit. A unit coded by one coder only is missing for the other coder,
never agreement.

Modules, by family:

* :mod:`~workbench.agreement.estimate` -- ``Estimate``, ``Bootstrap``, undefined values with
  reasons, ``to_jsonable``, ``landis_koch``/``krippendorff_label``, ``DEFAULT_MINIMUMS``;
* :mod:`~workbench.agreement.ratings` -- ratings encoded as code arrays, set values,
  two-coder tables, count matrices, ``Seed``;
* :mod:`~workbench.agreement.bootstrap` -- the pattern bootstrap shared by the coefficients
  (block sizes, work limits, multinomial draws over count patterns, the bias-corrected interval);
* :mod:`~workbench.agreement.kappa` -- ``percent_agreement``, ``confusion_matrix``,
  ``cohen_kappa``/``cohen_kappa_table``, ``fleiss_kappa``, ``pooled_kappa``;
* :mod:`~workbench.agreement.ac1` -- ``gwet_ac1``;
* :mod:`~workbench.agreement.masi` -- ``masi_distance`` and the vectorised MASI distances;
* :mod:`~workbench.agreement.alpha` -- ``krippendorff_alpha``, ``masi_alpha`` and the
  pattern table (with its bootstrap) both are computed from;
* :mod:`~workbench.agreement.themes` -- ``theme_agreement``, ``theme_agreement_variants``
  (per-theme statistics, theme masks, the two standard unit sets);
* :mod:`~workbench.agreement.polarity` -- ``polarity_agreement`` and the two-coder nominal block;
* :mod:`~workbench.agreement.report` -- ``agreement_report`` and its ``DEFINITIONS``;
* :mod:`~workbench.agreement.results` -- what a report is: ``AgreementReport`` and the
  dataclasses of its layers, ``as_dict()`` for JSON and ``from_dict()`` for frozen rounds;
* :mod:`~workbench.agreement.reliability` -- a project's agreement: which codings, its report;
* :mod:`~workbench.agreement.presentation` -- estimates as text, Markdown tables, CSV rows;
* :mod:`~workbench.agreement.rounds` -- frozen rounds, the methods headline.

The public names below are re-exported lazily (PEP 562): importing this package, or
:mod:`~workbench.agreement.reliability`, :mod:`~workbench.agreement.results`,
:mod:`~workbench.agreement.presentation` or :mod:`~workbench.agreement.rounds`, does not
load numpy.

References (the formula each function follows is named in its docstring):

* Cohen J (1960) A coefficient of agreement for nominal scales. Educ Psychol Meas 20:37-46.
* Fleiss JL, Cohen J, Everitt BS (1969) Large sample standard errors of kappa and
  weighted kappa. Psychol Bull 72:323-327 (the ASE used by statsmodels' ``std_kappa``).
* Krippendorff K (2011) Computing Krippendorff's alpha-reliability. Annenberg School
  for Communication, University of Pennsylvania (coincidence matrices, pairable values,
  general distance form alpha = 1 - D_o/D_e).
* Krippendorff K (2004) Content Analysis, 2nd ed., ch. 11; Hayes AF, Krippendorff K (2007)
  Answering the call for a standard reliability measure for coding data. Commun Methods
  Meas 1:77-89 (bootstrap, probability q of failing to reach a minimum alpha).
* Gwet KL (2008) Computing inter-rater reliability and its variance in the presence of
  high agreement. Br J Math Stat Psychol 61:29-48 (AC1).
* De Vries H, Elliott MN, Kanouse DE, Teleki SS (2008) Using pooled kappa to summarize
  interrater agreement across many items. Field Methods 20:272-282.
* Passonneau R (2006) Measuring agreement on set-valued items (MASI) for semantic and
  pragmatic annotation. LREC 2006.
* Landis JR, Koch GG (1977) The measurement of observer agreement for categorical data.
  Biometrics 33:159-174.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "estimate": (
        "DEFAULT_MINIMUMS",
        "Bootstrap",
        "Estimate",
        "krippendorff_label",
        "landis_koch",
        "to_jsonable",
    ),
    "kappa": (
        "cohen_kappa",
        "cohen_kappa_table",
        "confusion_matrix",
        "fleiss_kappa",
        "percent_agreement",
        "pooled_kappa",
    ),
    "ac1": ("gwet_ac1",),
    "masi": ("masi_distance",),
    "alpha": ("krippendorff_alpha", "masi_alpha"),
    "themes": ("theme_agreement", "theme_agreement_variants"),
    "polarity": ("polarity_agreement",),
    "report": ("DEFINITIONS", "agreement_report"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)

if TYPE_CHECKING:
    from workbench.agreement.ac1 import gwet_ac1
    from workbench.agreement.alpha import krippendorff_alpha, masi_alpha
    from workbench.agreement.estimate import (
        DEFAULT_MINIMUMS,
        Bootstrap,
        Estimate,
        krippendorff_label,
        landis_koch,
        to_jsonable,
    )
    from workbench.agreement.kappa import (
        cohen_kappa,
        cohen_kappa_table,
        confusion_matrix,
        fleiss_kappa,
        percent_agreement,
        pooled_kappa,
    )
    from workbench.agreement.masi import masi_distance
    from workbench.agreement.polarity import polarity_agreement
    from workbench.agreement.report import DEFINITIONS, agreement_report
    from workbench.agreement.themes import theme_agreement, theme_agreement_variants


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
