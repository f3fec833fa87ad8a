"""Thematic saturation (Guest, Namey & Chen 2020): worked examples computed by hand, the exact
thresholds, the order-independent version, and a project's saturation from its agreed coding."""

import itertools

import numpy as np
import pytest

from workbench.demo import build_demo, code_demo
from workbench.errors import WorkbenchError
from workbench.evidence import saturation_report
from workbench.evidence.figures import saturation_chart, terminal_chart
from workbench.evidence.saturation import (
    Params,
    assess,
    check,
    order_independent,
    points,
)
from workbench.evidence.saturation_project import (
    latest_parameters,
    saturation,
    save_run,
)


def matrix(units: list[dict[int, int]], themes: int) -> np.ndarray:
    """Transcripts x themes from {theme: comments} per transcript."""
    out = np.zeros((len(units), themes), dtype=np.int64)
    for i, unit in enumerate(units):
        for theme, n in unit.items():
            out[i, theme] = n
    return out


# The worked example: eight transcripts, 22 themes t0..t21, one comment per theme and
# transcript except t0, coded on two comments of T1.
#   T1: t0 (x2), t1..t9      -> 10 themes, all new
#   T2: t5..t14              -> new t10..t14 (5)          cumulative 15
#   T3: t10..t19             -> new t15..t19 (5)          cumulative 20 = the base (b = 3)
#   T4: t20, t0              -> new t20 (1)               cumulative 21
#   T5: t1, t2               -> none                      cumulative 21
#   T6: t3                   -> none                      cumulative 21
#   T7: t21                  -> new t21 (1)               cumulative 22
#   T8: t4                   -> none                      cumulative 22
# Runs of r = 2 after point p (new themes in T(p+1)..T(p+2) / 20 base themes):
#   3+2: T4-T5 -> 1/20 = 5.0%  meets <= 5% (exactly), not 0%
#   4+2: T5-T6 -> 0/20 = 0%    meets both
#   5+2: T6-T7 -> 1/20 = 5.0%
#   6+2: T7-T8 -> 1/20 = 5.0%
# So: saturation at <= 5% after 3 transcripts (3+2), at 0% after 4 (4+2).
WORKED = [
    {0: 2, **{t: 1 for t in range(1, 10)}},
    {t: 1 for t in range(5, 15)},
    {t: 1 for t in range(10, 20)},
    {20: 1, 0: 1},
    {1: 1, 2: 1},
    {3: 1},
    {21: 1},
    {4: 1},
]


def test_the_worked_example_by_hand():
    result = assess(matrix(WORKED, 22), Params(base=3, run=2))
    assert [len(u["new"]) for u in result["units"]] == [10, 5, 5, 1, 0, 0, 1, 0]
    assert [u["cumulative"] for u in result["units"]] == [10, 15, 20, 21, 21, 21, 22, 22]
    assert result["units"][3]["new"] == [20] and result["units"][6]["new"] == [21]
    assert result["base_themes"] == 20
    assert [(r["after"], r["transcripts"], r["new"], r["ratio"]) for r in result["runs"]] == [
        (3, [4, 5], 1, 0.05),
        (4, [5, 6], 0, 0.0),
        (5, [6, 7], 1, 0.05),
        (6, [7, 8], 1, 0.05),
    ]
    assert [r["meets"] for r in result["runs"]] == [
        {"5": True, "0": False},
        {"5": True, "0": True},
        {"5": True, "0": False},
        {"5": True, "0": False},
    ]
    assert result["saturation"]["5"] == {
        "reached": True,
        "after": 3,
        "label": "3+2",
        "new_in_run": 1,
        "ratio": 0.05,
    }
    assert result["saturation"]["0"]["label"] == "4+2"


def test_the_code_frequency_variant_by_hand():
    """k = 2: a theme is found where it has been coded on two comments in all.
    t0 (two comments in T1) -> T1; t5..t9 -> T2; t10..t14 -> T3: base 1 + 5 + 5 = 11.
    t0's second transcript no longer matters; t1, t2 -> T5; t3 -> T6; t4 -> T8; t15..t21 never.
    Runs: 3+2: T4-T5 2/11 = 18.2%; 4+2: T5-T6 3/11; 5+2: T6-T7 1/11 = 9.1%; 6+2: T7-T8 1/11.
    Saturation is reached at neither threshold."""
    result = assess(matrix(WORKED, 22), Params(base=3, run=2, min_comments=2))
    assert [len(u["new"]) for u in result["units"]] == [1, 5, 5, 0, 2, 1, 0, 1]
    assert result["base_themes"] == 11
    assert [r["new"] for r in result["runs"]] == [2, 3, 1, 1]
    assert [saturation_report.ratio_text(r["new"], 11) for r in result["runs"]] == [
        "2/11 = 18.2%",
        "3/11 = 27.3%",
        "1/11 = 9.1%",
        "1/11 = 9.1%",
    ]
    assert not result["saturation"]["5"]["reached"] and not result["saturation"]["0"]["reached"]
    assert "every run of 2 added more than 5%" in result["saturation"]["5"]["reason"]


def test_thresholds_are_compared_exactly():
    """1/20 is 5% and meets <= 5%; 1/19 (5.26%) does not, though it prints near 5%."""
    for base, meets in ((20, True), (19, False)):
        counts = matrix([{t: 1 for t in range(base)}, {}, {base: 1}], base + 1)
        result = assess(counts, Params(base=1, run=1))
        assert result["runs"][1]["meets"]["5"] is meets  # the run T3 adds one new theme
    assert saturation_report.ratio_text(1, 19) == "1/19 = 5.3%"
    assert saturation_report.ratio_text(1, 20) == "1/20 = 5.0%"


def test_a_base_without_themes_is_undefined_never_saturated():
    result = assess(matrix([{}, {}, {}, {}], 2), Params(base=2, run=1))
    assert result["base_themes"] == 0 and result["runs"][0]["ratio"] is None
    assert result["saturation"]["0"] == {
        "reached": False,
        "reason": "no themes in the base: the ratio is 0/0",
    }


def test_every_order_of_three_transcripts_by_hand():
    """U1 {a}, U2 {a, b}, U3 {c}; base 1, run 1. The six orders:
    123: base {a}; U2 adds b (1/1), U3 adds c (1/1)        -> not reached
    132: U3 adds c, U2 adds b                              -> not reached
    213: base {a, b}; U1 adds nothing                      -> 1+1
    231: base {a, b}; U3 adds c (1/2), U1 nothing          -> 2+1
    312: base {c}; U1 adds a, U2 adds b                    -> not reached
    321: base {c}; U2 adds a, b (2/1), U1 nothing          -> 2+1
    Reached in 3 of 6 orders (50%): at 1+1 once, 2+1 twice; median 2."""
    counts = matrix([{0: 1}, {0: 1, 1: 1}, {2: 1}], 3)
    result = order_independent(counts, Params(base=1, run=1), orders=1000)
    assert result["orders"] == 6 and result["exact"] and result["seed"] is None
    for th in ("5", "0"):
        entry = result["thresholds"][th]
        assert (entry["reached"], entry["of"], entry["share"]) == (3, 6, 0.5)
        assert entry["distribution"] == {"1": 1, "2": 2}
        assert (entry["median"], entry["min"], entry["max"]) == (2.0, 1, 2)
    # Running totals per position over the six orders: [1,1,2,2,1,1], [2,2,2,3,2,3], [3]*6.
    assert result["cumulative"]["median"] == [1, 2, 3]
    assert result["cumulative"]["low"] == [1, 2, 3] and result["cumulative"]["high"] == [2, 3, 3]


def test_random_orders_are_seeded_and_agree_with_the_plain_assessment():
    rng = np.random.default_rng(7)
    counts = (rng.random((9, 12)) < rng.random(12) * 0.5).astype(np.int64) * rng.integers(
        1, 4, (9, 12)
    )
    params = Params(base=3, run=2, min_comments=2)
    first = order_independent(counts, params, orders=200, seed=3)
    assert not first["exact"] and first["orders"] == 200 and first["seed"] == 3
    assert order_independent(counts, params, orders=200, seed=3) == first
    perms = np.array([rng.permutation(9) for _ in range(50)])
    found, base, cumulative = points(counts, perms, params)
    for perm, row, b, cum in zip(perms, found, base, cumulative, strict=True):
        plain = assess(counts[perm], params)
        assert b == plain["base_themes"]
        assert list(cum) == [u["cumulative"] for u in plain["units"]]
        for j, th in enumerate(params.thresholds):
            s = plain["saturation"][str(th)]
            assert row[j] == (s["after"] if s["reached"] else -1)


def test_too_few_transcripts_are_refused_with_what_to_do():
    with pytest.raises(
        WorkbenchError,
        match=r"needs at least 6 focus groups in order; p\.db has 5 "
        r"\(FG1, FG2, FG3, FG4, FG5\): import more, or lower --base or "
        r"--run \(e\.g\. --base 4 --run 1\)",
    ):
        check(Params(base=4), ["FG1", "FG2", "FG3", "FG4", "FG5"], "p.db", "focus groups")
    check(Params(), ["FG1", "FG2", "FG3", "FG4", "FG5"], "p.db", "focus groups")  # base 3: fitted
    with pytest.raises(WorkbenchError, match="at least 1"):
        check(Params(base=0), ["a"] * 5, "p.db")
    check(Params(base=4, run=1), ["a"] * 5, "p.db")


@pytest.mark.parametrize(
    "groups, base, note",
    [
        (10, 4, None),
        (6, 4, None),
        (
            5,
            3,
            "the largest base that leaves a run of 2 in 5 focus groups (Guest et "
            "al.'s base of 4 would leave a run of 1)",
        ),
        (
            4,
            2,
            "the largest base that leaves a run of 2 in 4 focus groups (Guest et al.'s base of 4 would leave "
            "no run)",
        ),
        (
            3,
            1,
            "the largest base that leaves a run of 2 in 3 focus groups (Guest et al.'s base of 4 would leave "
            "no run)",
        ),
    ],
)
def test_the_default_base_is_fitted_to_the_groups_and_stated(groups, base, note):
    """The study's design has five groups: Guest et al.'s base 4 and run 2 cannot run on it."""
    assert Params().fit(groups) == Params(base=base, run=2)
    assert Params().base_note(groups) == note
    assert Params(base=4).base_note(groups) is None  # a base given is the user's, not chosen
    assert Params(run=1).fit(5).base == 4


# -- a project -------------------------------------------------------------------------


@pytest.fixture
def coded(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    code_demo(store)
    return store


def test_a_projects_saturation_in_the_order_the_groups_were_held(coded):
    result = saturation(coded, Params(base=3, run=2))
    assert result["parameters"]["base_chosen"] is None
    fitted = saturation(coded)  # five groups: base 3, chosen and said
    assert fitted["observed"] == result["observed"] and fitted["parameters"]["base"] == 3
    assert (
        "The base size of 3 is the largest base that leaves a run of 2 in 5 focus groups (Guest et al.'s "
        "base of 4 would leave a run of 1)."
    ) in saturation_report.sentence(fitted)
    assert result["order"] == {
        "groups": ["FG1", "FG2", "FG3", "FG4", "FG5"],
        "how": "in the order they were held (by date)",
    }
    obs = result["observed"]
    assert [u["comments"] for u in obs["units"]] == [
        16,
        40,
        26,
        15,
        25,
    ]  # the study's comments per group
    assert [u["cumulative"] for u in obs["units"]] == [11, 14, 14, 14, 14]
    assert obs["base_themes"] == 14 and obs["saturation"]["5"]["label"] == "3+2"
    assert result["order_independent"]["orders"] == 120 and result["order_independent"]["exact"]
    sentence = saturation_report.sentence(result)
    assert sentence.startswith(
        "Thematic saturation was assessed with the method of Guest, Namey and Chen (2020) "
        "on the 14 themes of the agreed coding, taking the five focus groups in the order "
        "they were held (base size 3, run length 2). The first three groups yielded 14 themes."
    )
    assert "Saturation was reached after three groups (3+2) at both" in sentence
    tables = saturation_report.tables(result)
    assert [t.key for t in tables] == ["saturation_groups", "saturation_runs", "saturation_orders"]
    assert tables[0].rows[1][:8] == [
        "2",
        "FG2 People with CF or IBD and parents",
        "2025-03-25",
        "base",
        "40",
        "14",
        "3",
        "14",
    ]
    assert tables[1].rows == [["3+2", "4–5", "0", "14", "0/14 = 0.0%", "yes", "yes"]]
    assert tables[2].rows[0][1] == "120 of 120 (100%)"


def test_a_given_order_a_coders_coding_and_the_run_record(coded):
    result = saturation(coded, Params(base=2, run=1), coder="ben", order="FG5, fg4,FG3,FG2,FG1")
    assert result["order"]["groups"] == ["FG5", "FG4", "FG3", "FG2", "FG1"]
    assert result["source"]["whose"] == "coding of ben"
    with pytest.raises(
        WorkbenchError, match="--order must list every focus group once: FG1 missing"
    ):
        saturation(coded, Params(base=2, run=1), order="FG5,FG4,FG3,FG2")
    with pytest.raises(WorkbenchError, match="no focus group 'FG9'"):
        saturation(coded, Params(base=2, run=1), order="FG9")
    run = save_run(coded, result, ["sat.md"])
    [record] = [r for r in coded.report_runs() if r["id"] == run]
    assert record["tables"] == ["saturation"] and record["fingerprint"] == result["fingerprint"]
    assert (
        latest_parameters(coded) is None
    )  # only runs of the agreed coding set the checklist's settings
    save_run(coded, saturation(coded, Params(base=2, run=1), order="FG5,FG4,FG3,FG2,FG1"))
    assert latest_parameters(coded)["base"] == 2 and latest_parameters(coded)["order"].startswith(
        "FG5"
    )


def test_undated_groups_and_unagreed_comments_are_refused(tmp_path):
    from workbench.exchange.sheets import import_sheet

    store, _ = build_demo(tmp_path / "demo.db")
    (tmp_path / "one.csv").write_text("ref,category\nFG1-002,defining\n", encoding="utf-8")
    import_sheet(store, tmp_path / "one.csv", agreed=True)
    with pytest.raises(
        WorkbenchError, match=r"121 comment\(s\) have no agreed category yet \(FG1-003, "
    ):
        saturation(store, Params(base=3, run=2))
    provisional = saturation(store, Params(base=3, run=2), provisional=True)
    assert provisional["source"]["provisional"] and provisional["source"]["not_coded"] == 121
    assert "(provisional)" in saturation_report.tables(provisional)[0].title
    from workbench.ingest.importer import GroupMeta, import_transcripts

    (tmp_path / "extra.txt").write_text("Ann: We plan together.\n", encoding="utf-8")
    import_transcripts(store, [tmp_path / "extra.txt"], GroupMeta(name="Undated", code="FG6"))
    with pytest.raises(WorkbenchError, match=r"focus group\(s\) FG6 have no date"):
        saturation(store, Params(base=3, run=2), provisional=True)
    assert (
        saturation(store, Params(base=3, run=2), order="import", provisional=True)["order"][
            "groups"
        ][-1]
        == "FG6"
    )


def test_the_figure_is_deterministic_and_the_terminal_chart_marks_the_base(coded, tmp_path):
    result = saturation(coded, Params(base=2, run=2))
    first = saturation_chart(result, tmp_path / "a.svg").read_bytes()
    assert saturation_chart(result, tmp_path / "b.svg").read_bytes() == first
    assert b"Saturation 2+2" in first and b"FG5" in first
    png = saturation_chart(result, tmp_path / "a.png").read_bytes()
    assert (
        png.startswith(b"\x89PNG")
        and saturation_chart(result, tmp_path / "b.png").read_bytes() == png
    )
    with pytest.raises(ValueError, match="png, svg or pdf"):
        saturation_chart(result, tmp_path / "a.gif")
    text = terminal_chart(result, 72).splitlines()
    assert text[0].endswith("11 (+11) base") and text[2].endswith("14 (+0)")
    assert "saturation ≤5%: 2+2, no new: 2+2" in text[-1]


def test_every_permutation_is_enumerated_when_there_are_fewer_than_asked(coded):
    result = saturation(coded, Params(base=2, run=1), orders=50)
    assert result["order_independent"]["orders"] == 50 and not result["order_independent"]["exact"]
    assert sum(result["order_independent"]["thresholds"]["5"]["distribution"].values()) <= 50
    assert len(list(itertools.permutations(range(5)))) == 120
