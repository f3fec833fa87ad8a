"""Coder training, test-retest and coder validity: the training set and its gold coding, blind
sessions, the reports, and the rule that training and retest codings never reach the study."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from workbench.agreement.reliability import project_agreement, select_coders
from workbench.coding.coder import coder_names, validate_name
from workbench.demo import build_demo, code_demo
from workbench.errors import WorkbenchError
from workbench.evidence import blind, retest, text, training, validity
from workbench.exchange.sheets import sheet_rows
from workbench.reconcile.consensus import Reconciliation
from workbench.reports.runs import build as build_tables


@pytest.fixture
def coded(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    code_demo(store)
    return store


def refs_to_ids(store):
    return {c.ref: c.id for c in store.comments()}


def test_marking_takes_a_snapshot_of_the_agreed_coding_with_its_rationale(coded):
    ids = refs_to_ids(coded)
    states = coded.reconciliations()
    resolved = next(
        c.ref
        for c in coded.comments()
        if states.get(c.id, {}).get("status") == "resolved" and states[c.id]["rationale"]
    )
    auto = next(c.ref for c in coded.comments() if states.get(c.id, {}).get("status") == "auto")
    done = training.mark(coded, [resolved, auto.lower()], actor="lead")
    assert done == {"marked": 2, "refreshed": 0, "total": 2}
    items = {i["ref"]: i for i in coded.training_items()}
    agreed = coded.codings_of(coded.coder_named("agreed").id)
    assert items[resolved]["category_key"] == agreed[ids[resolved]].category_key
    assert items[resolved]["themes"] == list(agreed[ids[resolved]].themes)
    assert items[resolved]["rationale"] == states[ids[resolved]]["rationale"]
    assert items[auto]["rationale"] == "Both analysts coded it this way independently."
    assert (items[auto]["source"], items[auto]["marked_by"]) == ("agreed", "lead")
    # The gold stays as marked when the agreed coding changes later.
    rec = Reconciliation(coded, "ana", "ben", "lead")
    item = next(i for i in rec.items() if i.ref == auto)
    rec.decide(item, type(item.agreed)("benefits"), "changed later")
    assert {i["ref"]: i for i in coded.training_items()}[auto]["category_key"] == items[auto][
        "category_key"
    ]
    assert any(r["action"] == "mark" and r["entity"] == "training_set" for r in coded.audit_rows())


def test_a_training_set_needs_a_gold_coding(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")  # no agreed coding at all
    with pytest.raises(
        WorkbenchError,
        match=r"training set: 2 comment\(s\) have no agreed coding to serve as "
        r"the gold standard \(FG1-002, FG1-003\); reconcile them first",
    ):
        training.mark(store, ["FG1-002", "FG1-003"])
    with pytest.raises(WorkbenchError, match="no agreed coding to serve as the gold standard"):
        training.sample(store, 5)
    with pytest.raises(WorkbenchError, match="no comment FG9-001"):
        training.mark(store, ["FG9-001"])
    with pytest.raises(WorkbenchError, match="FG1-001 is a facilitator or observer comment"):
        training.mark(store, ["FG1-001"])
    assert store.training_items() == []
    with pytest.raises(WorkbenchError, match="there is no training set yet"):
        training.training_report(store, "cai")


def test_sampling_is_seeded_and_unmarking_removes(coded):
    first = training.sample(coded, 10, seed=4)
    refs = [i["ref"] for i in coded.training_items()]
    assert first["total"] == 10
    training.unmark(coded, refs)
    training.sample(coded, 10, seed=4)
    assert [i["ref"] for i in coded.training_items()] == refs
    with pytest.raises(WorkbenchError, match=r"--sample 500: only 112 agreed comment\(s\)"):
        training.sample(coded, 500)


def trainee_codes(store, person, wrong: set[str]):
    """The trainee codes the set in a blind session: the gold coding, except a different
    category on the refs in ``wrong`` (defining, no themes)."""
    session = blind.blind_session(store, person, "training")
    for item in store.training_items():
        if item["ref"] in wrong:
            session.set_category(
                item["comment_id"], "defining" if item["category_key"] != "defining" else "benefits"
            )
            continue
        session.set_category(item["comment_id"], item["category_key"])
        for theme in item["themes"]:
            session.toggle_theme(item["comment_id"], theme)
    return session


def test_a_trainee_is_compared_with_the_gold_and_shown_its_rationale(coded):
    training.mark(
        coded,
        ["FG1-002", "FG1-003", "FG2-003", "FG2-004", "FG2-006", "FG3-002", "FG4-004", "FG5-003"],
    )
    items = coded.training_items()
    wrong = {items[0]["ref"], items[3]["ref"]}
    session = trainee_codes(coded, "cai", wrong)
    assert session.coder.name == "cai (training)" and session.coder.kind == "training"
    assert session.scope == frozenset(i["comment_id"] for i in items)
    result = training.training_report(coded, "cai")
    pair = result["report"]["pairs"][0]
    assert pair["coders"] == ["cai", "gold"]
    assert pair["category"]["n"] == 8 and pair["category"]["percent_agreement"]["value"] == 6 / 8
    assert result["coverage"] == {"coded": 8, "of": 8, "not_coded": []}
    assert [d["ref"] for d in result["disagreements"]] == [items[0]["ref"], items[3]["ref"]]
    assert result["disagreements"][0]["rationale"] == items[0]["rationale"]
    assert not result["target"]["all"]
    md = text.markdown(result)
    assert md.startswith(
        "# Coder training: cai against the gold coding\n\ncai coded 8 of the 8 comments"
    )
    assert "## Disagreements with the gold coding, with its rationale (2)" in md
    assert "Calibration target κ ≥ .80: not met" in md
    assert "gold" in text.csv_text(result).splitlines()[1]
    assert json.loads(text.render(result, "json"))["coverage"]["coded"] == 8


def test_training_and_retest_codings_never_reach_the_study(coded, tmp_path):
    before = project_agreement(coded, ["ana", "ben"], bootstrap=0)
    tables_before = [t.rows for t in build_tables(coded, ["categories", "themes"])[0]]
    training.mark(coded, ["FG1-002", "FG2-003"])
    trainee_codes(coded, "cai", {"FG1-002"})
    trainee_codes(coded, "ana", set())  # a study coder can train too: a coder of their own
    retest.draw(coded, "ben", 5, seed=2)
    session = blind.blind_session(coded, "ben", "retest")
    for comment_id in session.scope:
        session.set_category(comment_id, "benefits", drop_themes=True)
    assert coder_names(coded) == ["ana", "ben"]
    assert [c.name for c in coded.coders()] == ["agreed", "ana", "ben"]
    assert {c.name for c in coded.coders(include_scoped=True)} == {
        "agreed",
        "ana",
        "ben",
        "cai (training)",
        "ana (training)",
        "ben (retest)",
    }
    assert {p["coder"] for p in coded.coder_progress()} == {"ana", "ben"}
    assert select_coders(coded, None) == ["ana", "ben"]
    with pytest.raises(WorkbenchError, match="no coder 'cai \\(training\\)'"):
        select_coders(coded, ["cai (training)", "ana"])
    after = project_agreement(coded, ["ana", "ben"], bootstrap=0)
    assert after.scope.fingerprint == before.scope.fingerprint
    assert [t.rows for t in build_tables(coded, ["categories", "themes"])[0]] == tables_before
    assert {r["coder"] for r in sheet_rows(coded, None, False)} == {"ana", "ben"}
    with pytest.raises(WorkbenchError):
        build_tables(coded, ["themes"], coder="ben (retest)")
    rec = Reconciliation(coded, "ana", "ben", "lead")
    assert all(set(i.codings) == {"ana", "ben"} for i in rec.items())
    with pytest.raises(WorkbenchError, match="no coder 'cai \\(training\\)'"):
        Reconciliation(coded, "cai (training)", "ana", "lead")
    from workbench.exchange.refi.export import project_xml

    _xml, _files, summary = project_xml(coded)
    assert set(summary.users) == {"agreed", "ana", "ben"}


def test_the_reserved_names_cannot_be_taken(coded):
    for name in ("cai (training)", "Ana (Retest)"):
        with pytest.raises(WorkbenchError, match="no spaces"):
            validate_name(name)
    assert (
        validate_name("cai_trainer") == "cai_trainer"
    )  # names are one word: "(training)" is never one


def test_retest_draws_a_sample_of_the_coders_own_comments(coded):
    with pytest.raises(
        WorkbenchError, match=r"--draw 500: ana has coded 122 comment\(s\); draw at most 122"
    ):
        retest.draw(coded, "ana", 500)
    with pytest.raises(
        WorkbenchError, match=r"only 0 of ana's 122 coded comments were coded at least 14 day"
    ):
        retest.draw(coded, "ana", 10, min_days=14)
    with pytest.raises(WorkbenchError, match="no such coder to retest"):
        retest.draw(coded, "cai", 5)
    with pytest.raises(WorkbenchError, match="ana has no retest sample"):
        blind.check(coded, "ana", "retest")
    done = retest.draw(coded, "ana", 12, seed=3, actor="lead")
    assert done["retest_coder"] == "ana (retest)" and done["size"] == 12
    sample = coded.retest_sample(coded.coder_named("ana").id)
    items = coded.retest_items(sample["id"])
    first = coded.codings_of(coded.coder_named("ana").id)
    assert len(items) == 12 and all(
        first[i["comment_id"]].category_key == i["category_key"] for i in items
    )
    with pytest.raises(WorkbenchError, match="ana already has a retest sample of 12 comments"):
        retest.draw(coded, "ana", 5)
    with pytest.raises(WorkbenchError, match="ana has not recoded the retest sample yet"):
        retest.retest_report(coded, "ana")


def test_the_retest_report_compares_the_snapshot_with_the_blind_recoding(coded):
    retest.draw(coded, "ana", 10, seed=3)
    session = blind.blind_session(coded, "ana", "retest")
    assert session.coder.name == "ana (retest)"
    items = coded.retest_items(coded.retest_sample(coded.coder_named("ana").id)["id"])
    assert session.get(items[0]["comment_id"]).empty  # blind: the first coding is not there
    for n, item in enumerate(items[:8]):
        if n == 0:
            session.set_category(
                item["comment_id"], "benefits" if item["category_key"] != "benefits" else "defining"
            )
            continue
        session.set_category(item["comment_id"], item["category_key"])
        for theme in item["themes"]:
            session.toggle_theme(item["comment_id"], theme)
    # ana edits a first coding after the draw: the snapshot is what the recoding is compared with.
    from workbench.coding.session import CodingSession

    CodingSession.start(coded, "ana").set_category(
        items[1]["comment_id"], "benefits", drop_themes=True
    )
    result = retest.retest_report(coded, "ana", bootstrap=200)
    pair = result["report"]["pairs"][0]
    assert pair["coders"] == ["ana (first)", "ana (retest)"]
    assert pair["category"]["n"] == 8 and pair["category"]["percent_agreement"]["value"] == 7 / 8
    assert result["coverage"]["coded"] == 8 and len(result["coverage"]["not_coded"]) == 2
    assert result["first_changed_since_draw"] == [items[1]["ref"]]
    assert [d["ref"] for d in result["disagreements"]] == [items[0]["ref"]]
    assert 0 <= result["delay_days"]["min"] <= result["delay_days"]["median"] < 1
    sentence = text.retest_sentence(result)
    assert sentence.startswith(
        "ana recoded 8 randomly drawn comments of their own (of a sample of 10) a median of 0 days"
    )
    assert "1 first coding(s) were edited after the sample was drawn" in text.markdown(result)
    removed = retest.discard(coded, "ana", actor="lead")
    assert removed == {"person": "ana", "discarded": 10, "recodings_deleted": 8}
    assert coded.retest_sample(coded.coder_named("ana").id) is None


def test_the_delay_is_measured_from_the_first_coding(coded, monkeypatch):
    old = (
        (datetime.now(UTC) - timedelta(days=20))
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )
    ana = coded.coder_named("ana")
    rows = coded.coded_with_times(ana.id)
    monkeypatch.setattr(
        type(coded), "coded_with_times", lambda self, coder_id: [(c, k, old) for c, k, _ in rows]
    )
    retest.draw(coded, "ana", 3, min_days=14)
    session = blind.blind_session(coded, "ana", "retest")
    for comment_id in session.scope:
        session.set_category(comment_id, "defining", drop_themes=True)
    result = retest.retest_report(coded, "ana", bootstrap=0)
    assert 19.9 < result["delay_days"]["median"] < 20.1
    assert "a median of 20 days (range 20 to 20)" in text.retest_sentence(result)


def test_coder_validity_from_the_reconciliation(coded):
    result = validity.coder_validity(coded)
    [pair] = result["pairs"]
    assert pair["coders"] == ["ana", "ben"] and pair["reconciled"] == 122
    ana, ben = (pair["per_coder"][c] for c in ("ana", "ben"))
    # By hand from the codings: on each disagreement a coder's coding is taken whole, or its category with
    # other themes, or not at all; the three add up to the disagreements.
    agreed = coded.codings_of(coded.coder_named("agreed").id)
    codings = {c: coded.codings_of(coded.coder_named(c).id) for c in ("ana", "ben")}
    disagree = [
        i
        for i in agreed
        if codings["ana"][i].category_key != codings["ben"][i].category_key
        or set(codings["ana"][i].themes) != set(codings["ben"][i].themes)
    ]
    assert pair["disagreements"] == len(disagree)
    for name, block in (("ana", ana), ("ben", ben)):
        whole = sum(
            1
            for i in disagree
            if codings[name][i].category_key == agreed[i].category_key
            and set(codings[name][i].themes) == set(agreed[i].themes)
        )
        assert block["disagreements"]["whole"]["n"] == whole
        outcomes = block["disagreements"]
        assert outcomes["whole"]["n"] + outcomes["category_only"]["n"] + outcomes["not_taken"][
            "n"
        ] == len(disagree)
        role_shift = block["themes"]["all"]["role_shift"]
        applied = sum(1 for i in agreed if "role_shift" in codings[name][i].themes)
        kept = sum(
            1
            for i in agreed
            if "role_shift" in codings[name][i].themes and "role_shift" in agreed[i].themes
        )
        assert (role_shift["applied"], role_shift["accepted"]["n"]) == (applied, kept)
    md = validity.markdown(result)
    assert "## ana × ben" in md and "| whole coding taken |" in md


def test_validity_needs_reconciliation(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    with pytest.raises(WorkbenchError, match="no reconciliation decisions yet"):
        validity.coder_validity(store)


def test_a_comment_only_the_second_coding_has_is_listed_as_a_difference():
    from workbench.evidence.compare import differences

    names = {"categories": {"eff": "Effective behaviours"}, "themes": {"lis": "Listening"}}
    items = [{"ref": "FG1-001", "text": "She listened."}, {"ref": "FG1-002", "text": "Fine."}]
    second = {"FG1-001": ("eff", frozenset({"lis"})), "FG1-002": ("eff", frozenset())}
    rows = differences(items, {"FG1-002": ("eff", frozenset())}, second, names)
    assert [(r["ref"], r["expected"], r["given"]) for r in rows] == [
        ("FG1-001", "not coded", "Effective behaviours [Listening]")
    ]
    assert rows[0]["what"] == ["Effective behaviours instead of not coded", "added Listening"]
