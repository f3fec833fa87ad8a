"""Agreement results are dataclasses whose ``as_dict()`` is exactly the JSON the report had
when it was a dict (the golden files were written by main before the change), and frozen
rounds read back into them unchanged."""

import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "agreement_golden"


def hand_built():
    """Three coders, a unit coded by one only, a theme nobody used, a category without themes."""
    from workbench.agreement.report import agreement_report

    units = {
        "u1": ("eff", {"t1"}),
        "u2": ("eff", {"t1", "t2"}),
        "u3": ("ineff", {"t2"}),
        "u4": ("other", set()),
        "u5": ("ineff", set()),
        "u6": ("eff", {"t1"}),
        "u7": ("other", set()),
        "u8": ("ineff", {"t2"}),
    }
    second = dict(units, u2=("eff", {"t1"}), u4=("eff", {"t1"}), u8=("other", set()))
    third = {u: v for u, v in units.items() if u != "u5"}
    third |= {"u3": ("eff", {"t2"}), "u9": ("other", set())}
    codings = {
        c: {u: (cat, frozenset(ts)) for u, (cat, ts) in d.items()}
        for c, d in (("ann", units), ("ben", second), ("cat", third))
    }
    return agreement_report(
        codings,
        ["eff", "ineff", "other"],
        ["eff", "ineff"],
        ["eff"],
        ["ineff"],
        ["t1", "t2", "t3"],
        bootstrap=60,
        seed=7,
    )


def two_built():
    """Two coders, no bootstrap: the category layer carries kappa and the confusion matrix."""
    from workbench.agreement.report import agreement_report

    none, t1 = frozenset(), frozenset({"t1"})
    return agreement_report(
        {
            "ann": {"u1": ("eff", t1), "u2": ("ineff", none), "u3": ("other", none)},
            "ben": {"u1": ("eff", t1), "u2": ("eff", t1), "u3": (None, none)},
        },
        ["eff", "ineff", "other"],
        ["eff", "ineff"],
        ["eff"],
        ["ineff"],
        ["t1", "t2"],
        bootstrap=0,
        seed=3,
    )


def demo_report(store):
    from workbench.agreement.reliability import project_agreement

    return project_agreement(store, bootstrap=200)


def _golden(name):
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def _json_types(node):
    """Every value of ``node`` a plain JSON type (no numpy scalar, no tuple)."""
    if isinstance(node, dict):
        return all(type(k) is str and _json_types(v) for k, v in node.items())
    if isinstance(node, list):
        return all(map(_json_types, node))
    return type(node) in (str, int, float, bool, type(None))


@pytest.mark.parametrize("build", [hand_built, two_built], ids=["three coders", "two coders"])
def test_as_dict_is_the_report_main_gave(build):
    report = build()
    data = report.as_dict()
    assert _json_types(data)
    assert data == _golden(build.__name__)
    assert json.dumps(data) == json.dumps(_golden(build.__name__))  # the keys in the same order


def test_as_dict_of_the_demo_is_the_report_main_gave(coded_demo, tmp_path):
    from helpers import copy_project

    store = copy_project(coded_demo, tmp_path)
    try:
        report = demo_report(store)
    finally:
        store.close()
    assert json.dumps(report.as_dict()) == json.dumps(_golden("demo"))


def test_frozen_rounds_read_back_unchanged(coded_demo):
    from workbench.agreement.results import AgreementReport
    from workbench.store import Store

    store = Store.open(coded_demo)
    try:
        (frozen,) = store.rounds()
    finally:
        store.close()
    report = AgreementReport.from_dict(frozen["report"])
    assert report.pairs[0].category.cohen_kappa.value is not None
    assert report.as_dict() == frozen["report"]  # (the project keeps it with its keys sorted)
    for build in (hand_built, two_built):  # a round of three coders, one without a bootstrap
        data = build().as_dict()
        back = AgreementReport.from_dict(data)
        assert back.as_dict() == data
        assert AgreementReport.from_dict(json.loads(json.dumps(data))) == back


def test_an_old_round_without_the_later_scope_keys_still_opens():
    from workbench.agreement.results import AgreementReport

    data = json.loads(json.dumps(_golden("hand_built")))
    data["scope"] = {"group": None, "codebook_sha256": "ab", "fingerprint": "cd"}
    data["names"] = {"categories": {"eff": "Effective"}, "themes": {}}
    data["category"]["krippendorff_alpha"]["bootstrap"]["method"] = "percentile, units resampled"
    report = AgreementReport.from_dict(data)
    assert report.scope is not None and report.scope.suggested is None
    assert report.as_dict() == data
