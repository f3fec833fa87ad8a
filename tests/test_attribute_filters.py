"""Agreement and saturation on a part of the data (``--where``), on the coded demo with a site
recorded per focus group."""

import json

import pytest
from helpers import copy_project, run_cli

from workbench.agreement.reliability import project_agreement
from workbench.evidence.saturation import Params
from workbench.evidence.saturation_project import latest_parameters, saturation, save_run
from workbench.project.attributes import declared
from workbench.project.participants import declare, set_values
from workbench.project.where import parse


@pytest.fixture
def store(coded_demo, tmp_path):
    store = copy_project(coded_demo, tmp_path)
    declare(store, declared("site", "group", "choice", ["Leeds", "York"]))
    for code, site in (
        ("FG1", "Leeds"),
        ("FG2", "Leeds"),
        ("FG3", "Leeds"),
        ("FG4", "York"),
        ("FG5", "York"),
    ):
        set_values(store, {"site": site}, group=code)
    return store


def test_agreement_where_compares_only_those_comments(store):
    everything = project_agreement(store, bootstrap=0)
    parents = project_agreement(store, bootstrap=0, where=parse(store, ["role=Parent"]))
    expected = sum(1 for c in store.comments() if c.role == "Parent" and not c.excluded)
    assert parents.units.coded_by_all == expected < everything.units.coded_by_all
    assert parents.scope.where == "role=Parent" and everything.scope.where is None
    assert "where" not in everything.as_dict()["scope"]
    assert parents.scope.fingerprint != everything.scope.fingerprint


def test_agreement_where_on_the_command_line(store, capsys):
    code, out, _ = run_cli(
        capsys,
        "agreement",
        str(store.path),
        "--where",
        "site=York",
        "--bootstrap",
        "0",
        "--format",
        "json",
    )
    report = json.loads(out)
    york = sum(1 for c in store.comments() if c.group_code in ("FG4", "FG5") and not c.excluded)
    assert (
        code == 0
        and report["units"]["coded_by_all"] == york
        and report["scope"]["where"] == "site=York"
    )
    code, out, _ = run_cli(
        capsys, "agreement", str(store.path), "--where", "site=York", "--bootstrap", "0"
    )
    assert "Only the comments where site=York." in out


def test_comments_where_lists_only_those_comments(store, capsys):
    from workbench import api

    york = [c.ref for c in store.comments() if c.group_code in ("FG4", "FG5")]
    assert [r["ref"] for r in api.comments(store, where=["site=York"])] == york
    parents = [r["ref"] for r in api.comments(store, where=["site=York", "role=Parent"])]
    assert parents == [
        c.ref for c in store.comments() if c.ref in york and c.role == "Parent"
    ] and 0 < len(parents) < len(york)
    code, out, _ = run_cli(
        capsys, "comments", str(store.path), "--where", "site=York", "--format", "json"
    )
    assert code == 0 and [r["ref"] for r in json.loads(out)] == york
    code, _, err = run_cli(capsys, "comments", str(store.path), "--where", "height>2")
    assert code == 1 and "no attribute 'height'" in err


def test_saturation_where_counts_only_those_comments(store):
    params = Params(base=2, run=1)
    whole = saturation(store, params, orders=10)
    leeds = saturation(store, params, orders=10, where=parse(store, ["site=Leeds"]))
    units = {u["code"]: u for u in leeds["observed"]["units"]}
    # York's groups hold no Leeds comment: left out, not counted as a run with no new themes.
    assert list(units) == ["FG1", "FG2", "FG3"] and leeds["parameters"]["left_out"] == [
        "FG4",
        "FG5",
    ]
    assert [units[c]["comments"] for c in ("FG1", "FG2", "FG3")] == [
        u["comments"] for u in whole["observed"]["units"] if u["code"] in ("FG1", "FG2", "FG3")
    ]
    rows = [
        r for r in store.coded_comments(store.coder_named("agreed").id) if r["group_code"] == "FG2"
    ]
    fg2 = next(u for u in leeds["observed"]["units"] if u["code"] == "FG2")
    assert fg2["comments"] == len(rows)
    assert (
        leeds["parameters"]["where"] == "site=Leeds"
        and leeds["fingerprint"] != whole["fingerprint"]
    )
    from workbench.evidence.saturation_report import sentence

    assert "agreed coding (only the comments where site=Leeds)" in sentence(leeds)
    assert "FG4, FG5 had no such comment and were left out." in sentence(leeds)
    one = saturation(store, Params(base=1, run=1), orders=10, where=parse(store, ["site=Leeds"]))
    assert "The first group yielded" in sentence(one)  # not "the first one group"
    assert "left_out" not in whole["parameters"]
    save_run(store, leeds)
    assert latest_parameters(store) is None  # a run on part of the data is never the checklist's


def test_saturation_where_on_the_command_line(store, capsys):
    code, out, _ = run_cli(
        capsys,
        "saturation",
        str(store.path),
        "--base",
        "2",
        "--run",
        "1",
        "--orders",
        "10",
        "--where",
        "role=Parent",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["parameters"]["where"] == "role=Parent"
    code, _, err = run_cli(
        capsys, "saturation", str(store.path), "--base", "2", "--run", "1", "--where", "site=Hull"
    )
    assert code == 1 and "site is a choice of Leeds, York, not 'Hull'" in err
    code, _, err = run_cli(capsys, "saturation", str(store.path), "--where", "site=York")
    assert code == 1 and (  # two groups are no base of 4 and run of 2: said of that part
        "in order; demo.db (only the comments where site=York) has 2 (FG4, FG5)" in err
    ), err
