"""The review of the agreed coding against a model (workbench.reconcile.review): keep, change,
edit, defer, each decision one transaction with its audit row; and `reconcile --review`."""

import json

import pytest
from helpers import copy_project, run_cli

from workbench.coding.session import Coding
from workbench.errors import WorkbenchError
from workbench.reconcile.review import Review


@pytest.fixture
def store(trained_demo, tmp_path):
    return copy_project(trained_demo, tmp_path)


def agreed(store, ref):
    coder = store.coder_named("agreed")
    comment_id = store.find_ref(ref)[0]
    coding = store.coding(coder.id, comment_id)
    return coding._replace(updated_at="") if coding else None


def decisions(store):
    return {
        r["ref"]: (r["decision"], r["rationale"], r["decided_by"]) for r in store.review_items(1)
    }


def test_the_queue_reads_as_a_reconciliation(store):
    review = Review(store, "lead")
    items = review.queue()
    assert review.names == ["agreed", "model 1"] and review.auto_agree() == 0
    assert len(items) == 23 and items[0].ref == "FG1-015"
    assert [i.confidence for i in items] == sorted((i.confidence for i in items), reverse=True)
    first = items[0]
    assert first.reasons == (
        "drop Learning (p = 0.05, threshold 0.22); "
        "drop Recognize other's expertise (p = 0.06, threshold 0.22)",
    )
    assert first.kind == "themes" and first.status is None
    assert first.codings["agreed"] == first.agreed
    assert (first.agreed.category, set(first.agreed.themes)) == (
        "effective",
        {"role_shift", "learning", "joint_decision_making", "recognize_expertise"},
    )
    assert first.codings["model 1"] == Coding("effective", ("joint_decision_making",))
    assert review.progress() == {"queued": 23, "kept": 0, "changed": 0, "deferred": 0, "open": 23}


def test_keep_changes_nothing_and_is_audited(store):
    review = Review(store, "lead")
    item = review.queue()[0]
    before = agreed(store, item.ref)
    review.take(item, "agreed", rationale="learning is explicit in the quote")
    assert agreed(store, item.ref) == before
    assert decisions(store)[item.ref] == ("kept", "learning is explicit in the quote", "lead")
    row = store.audit_rows()[-1]
    assert (row["action"], row["entity"], row["entity_ref"], row["actor"]) == (
        "review",
        "review",
        item.ref,
        "lead",
    )
    assert row["after"] == '"kept"'
    assert (
        "learning is explicit in the quote" in row["note"]
        and "model 1 (its group held out)" in row["note"]
    )


def test_taking_the_model_changes_the_agreed_coding_marked_and_audited(store):
    review = Review(store, "lead")
    item = review.queue()[1]  # FG4-002: the model would drop Goal setting
    review.take(item, "model 1", rationale="no goal is set here")
    now = agreed(store, item.ref)
    assert (now.category_key, now.themes, now.suggested_by) == (
        "effective",
        ("asking_questions",),
        1,
    )
    assert decisions(store)[item.ref] == ("changed", "no goal is set here", "lead")
    row = store.audit_rows()[-1]
    assert (row["action"], row["entity"], row["entity_ref"]) == ("review", "coding", item.ref)
    assert json.loads(row["before"])["themes"] == [
        "joint_decision_making",
        "goal_setting",
        "pre_visit_planning",
    ]
    # The model's codes; the quote stays an exemplar (a flag of the comment, not the model's to set).
    assert json.loads(row["after"]) == {
        "category": "effective",
        "themes": ["asking_questions"],
        "memo": "",
        "unsure": False,
        "exemplar": True,
        "suggested_by": 1,
    }
    assert row["note"].startswith(
        "took model 1's coding | no goal is set here | model 1 (its group held out): effective p = "
    )
    # Keeping afterwards restores the agreed coding as it was.
    review.take(item, "agreed")
    now = agreed(store, item.ref)
    assert (now.themes, now.suggested_by) == (
        ("joint_decision_making", "goal_setting", "pre_visit_planning"),
        None,
    )
    assert decisions(store)[item.ref][0] == "kept"


def test_an_edit_is_a_change_unless_it_ends_where_it_began(store):
    review = Review(store, "lead")
    item = review.queue()[2]  # FG3-018: effective, Goal setting
    edited = Coding("effective", ("goal_setting", "asking_questions"))
    review.decide(item, edited)
    assert agreed(store, item.ref).themes == ("asking_questions", "goal_setting")
    assert decisions(store)[item.ref][0] == "changed"
    review.decide(item, Coding("effective", ("goal_setting",)))
    assert decisions(store)[item.ref][0] == "kept"
    with pytest.raises(WorkbenchError, match="takes no themes"):
        review.decide(item, Coding("defining", ("goal_setting",)))
    assert decisions(store)[item.ref][0] == "kept"  # a refused edit records nothing


def test_defer_and_rationale(store):
    review = Review(store, "lead")
    first, second = review.queue()[:2]
    review.note(first, "ask the team")
    assert decisions(store)[first.ref] == (None, "ask the team", "lead")  # still open
    review.defer(second, "next meeting")
    assert decisions(store)[second.ref] == ("deferred", "next meeting", "lead")
    assert [(r["action"], r["entity"]) for r in store.audit_rows()[-2:]] == [
        ("rationale", "review"),
        ("defer", "review"),
    ]
    assert Review(store, "lead").progress() == {
        "queued": 23,
        "kept": 0,
        "changed": 0,
        "deferred": 1,
        "open": 22,
    }


def test_taking_an_unknown_side_is_refused(store):
    review = Review(store, "lead")
    with pytest.raises(WorkbenchError, match="take 'agreed' or 'model 1'"):
        review.take(review.queue()[0], "ana")


def test_no_model_no_review(coded_demo, tmp_path):
    with pytest.raises(WorkbenchError, match="no model for this project's codebook"):
        Review(copy_project(coded_demo, tmp_path), "lead")


def test_reconcile_review_on_the_command_line(trained_demo, tmp_path, capsys):
    path = str(copy_project(trained_demo, tmp_path).path)
    code, out, _ = run_cli(capsys, "reconcile", path, "--review", "--as", "lead", "--no-ui")
    assert code == 0
    assert out.startswith(
        "Review queue of model 1: queued 23, kept 0, changed 0, deferred 0, open 23."
    )
    assert "FG1-015  0.78  drop Learning" in out
    code, _, err = run_cli(capsys, "reconcile", path, "--as", "lead", "--no-ui")
    assert code == 2 and "give --coders A B to reconcile two coders, or --review" in err
    code, _, err = run_cli(
        capsys, "reconcile", path, "--coders", "ana", "ben", "--review", "--as", "lead"
    )
    assert code == 2


def test_reconcile_review_without_a_model(coded_demo, tmp_path, capsys):
    path = str(copy_project(coded_demo, tmp_path).path)
    code, _, err = run_cli(capsys, "reconcile", path, "--review", "--as", "lead", "--no-ui")
    assert code == 1 and "no model for this project's codebook" in err


def test_review_decisions_are_undone(store):
    review = Review(store, "lead")
    item = review.queue()[0]
    before = (agreed(store, item.ref), decisions(store)[item.ref])
    review.take(item, "model 1", rationale="the model is right")
    review.defer(review.queue()[1])
    assert review.undo().what == "deferred"
    assert decisions(store)[review.queue()[1].ref] == (None, "", None)
    step = review.undo()
    assert step.what == "took model 1's coding"
    assert (agreed(store, item.ref), decisions(store)[item.ref]) == before
    assert item.status is None and item.agreed == item.codings["agreed"]
    assert [r["entity"] for r in store.audit_rows()[-3:]] == ["review", "coding", "review"]
