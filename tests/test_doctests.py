"""The agreement coefficients' docstrings are executable: their examples, with the published
values (Krippendorff 2011, Artstein & Poesio 2008, Gwet's handbook), run here as doctests, so
the README's test command fails when a docstring and its code part.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import workbench.agreement

MODULES = sorted(
    info.name for info in pkgutil.iter_modules(workbench.agreement.__path__, "workbench.agreement.")
) + ["workbench.agreement"]

# Each coefficient shows its published example, with the value the paper prints.
PUBLISHED = {
    "workbench.agreement.alpha.krippendorff_alpha": "(0.743, 11)",
    "workbench.agreement.kappa.cohen_kappa_table": "(0.8013, 100, 'almost perfect')",
    "workbench.agreement.ac1.gwet_ac1": "(0.849, 100)",
}


def _tests(name: str) -> list[doctest.DocTest]:
    return [t for t in doctest.DocTestFinder().find(importlib.import_module(name)) if t.examples]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_hold(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in _tests(name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


@pytest.mark.parametrize("qualified, value", sorted(PUBLISHED.items()))
def test_each_coefficient_shows_its_published_value(qualified, value):
    found = {t.name: t for t in _tests(qualified.rsplit(".", 1)[0])}
    assert qualified in found, f"{qualified} has no example in its docstring"
    assert any(e.want.strip() == value for e in found[qualified].examples)


def test_a_docstring_that_parts_from_its_code_fails():
    """The runner above reports a wrong value (so the first test can fail)."""
    wrong = doctest.DocTestParser().get_doctest(
        ">>> from workbench.agreement import krippendorff_alpha\n"
        ">>> round(krippendorff_alpha([[1, 2], [1, 2]]).value, 3)\n0.5\n",
        {},
        "wrong",
        None,
        0,
    )
    runner, report = doctest.DocTestRunner(), []
    runner.run(wrong, out=report.append)
    assert runner.failures == 1 and "Expected:\n    0.5" in "".join(report)
