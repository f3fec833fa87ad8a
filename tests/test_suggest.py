"""Machine-assisted coding, the domain: features, thresholds, folds, storage, evaluation."""

from __future__ import annotations

import io
import json
import pickle

import numpy as np
import pytest

from workbench.demo import build_demo, code_demo
from workbench.errors import WorkbenchError
from workbench.suggest import classifier as clf
from workbench.suggest import crossval as cv
from workbench.suggest import features as feat
from workbench.suggest import tokens
from workbench.suggest.data import learnable, training_data, unit_of
from workbench.suggest.evaluation import evaluate
from workbench.suggest.model import Model
from workbench.suggest.training import latest_model, train


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """The coded demo: 122 comments, two analysts, round 1 and the agreed coding."""
    store, _ = build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    code_demo(store)
    return store


@pytest.fixture(scope="module")
def trained(coded):
    return train(coded)


@pytest.fixture(scope="module")
def prepared(coded):
    data = training_data(coded)
    return cv.prepare(data, learnable(data), tokens.LOWER)


@pytest.mark.parametrize("mode", tokens.MODES)
def test_bulk_and_single_tokenizing_give_the_same_words(coded, mode):
    texts = [c.text for c in coded.comments()][:60] + ["", "  ...  ", "Don't!  we're—fine"]
    indices, vocabulary = tokens.tokenize_many(texts, mode)
    assert [[vocabulary[i] for i in doc] for doc in indices] == [
        tokens.tokenize(t, mode) for t in texts
    ]


def test_lemmas_join_inflections():
    assert tokens.tokenize("The nurses listened, asking questions.", tokens.LEMMA) == [
        "the",
        "nurse",
        "listen",
        "ask",
        "question",
    ]
    assert tokens.tokenize("The nurses listened", tokens.LOWER) == ["the", "nurses", "listened"]


def test_one_comments_vector_is_its_row_in_the_matrix(prepared):
    """The coding screen's path (dictionaries) and training's path (matrices) agree exactly."""
    data = prepared.data
    train_rows = np.flatnonzero(np.array(data.groups) != "FG2")
    fitted = feat.fit(prepared.counts, train_rows)
    every = np.arange(len(data))
    matrix = fitted.transform(prepared.counts, every)
    for i in every:
        cols, values = fitted.vectorizer.vector(tokens.tokenize(data.texts[i], tokens.LOWER))
        row = matrix[i]
        assert list(cols) == list(row.indices[np.argsort(row.indices)])
        assert np.allclose(values, row.data[np.argsort(row.indices)], atol=1e-6)


def test_features_come_from_the_training_comments_only(prepared):
    data = prepared.data
    held_out = np.array(data.groups) == "FG5"
    fitted = feat.fit(prepared.counts, np.flatnonzero(~held_out))
    seen = {
        w for i in np.flatnonzero(~held_out) for w in tokens.tokenize(data.texts[i], tokens.LOWER)
    }
    only_fg5 = {
        w for i in np.flatnonzero(held_out) for w in tokens.tokenize(data.texts[i], tokens.LOWER)
    } - seen
    assert only_fg5 and not only_fg5 & set(fitted.vectorizer.words)
    assert set(fitted.vectorizer.words) == seen


def test_folds_hold_out_whole_groups(prepared):
    units = unit_of(prepared.data, "group")
    splits = cv.folds(units, 5)
    assert len(splits) == 5
    for train_rows, test_rows in splits:
        assert not {units[i] for i in train_rows} & {units[i] for i in test_rows}
    assert sorted(i for _, test in splits for i in test) == list(range(len(units)))
    with pytest.raises(WorkbenchError, match="at least two"):
        cv.folds(["FG1"] * 10, 5)
    with pytest.raises(WorkbenchError, match="never by comment"):
        unit_of(prepared.data, "comment")


def test_thresholds_maximise_f1_by_hand():
    p = np.array([[0.9], [0.8], [0.6], [0.4], [0.3], [0.1]])
    truth = np.array([[True], [False], [True], [True], [False], [False]])
    # cut at .9: F1 2/4; at .8: 2/5; at .6: 4/6; at .4: 6/7 (best); at .3: 6/8; at .1: 6/9
    assert clf.choose_thresholds(p, truth)[0] == pytest.approx(0.4)
    assert clf.choose_thresholds(p, np.zeros_like(truth))[0] == 0.5


def test_a_behaviour_comment_always_gets_a_theme():
    takes = {"effective": True, "defining": False}
    [(cat, themes)] = clf.assign(
        np.array([[0.7, 0.3]]),
        ["effective", "defining"],
        np.array([[0.1, 0.2]]),
        ["a", "b"],
        np.array([0.4, 0.9]),
        takes,
    )
    assert (cat, themes) == ("effective", ("a",))  # .1/.4 beats .2/.9
    [(cat, themes)] = clf.assign(
        np.array([[0.2, 0.8]]),
        ["effective", "defining"],
        np.array([[0.9, 0.9]]),
        ["a", "b"],
        np.array([0.5, 0.5]),
        takes,
    )
    assert (cat, themes) == ("defining", ())


def test_a_stored_model_suggests_what_the_trained_one_did(coded, trained):
    loaded = latest_model(coded)
    assert loaded.id == trained.id
    for comment in coded.comments()[:30]:
        assert loaded.suggest(comment.text) == trained.suggest(comment.text)
    suggestion = loaded.suggest("We sat down together and built the plan around her school week.")
    assert suggestion.category in trained.category.labels and 0 < suggestion.probability <= 1
    assert abs(sum(p for _, p in suggestion.categories) - 1) < 1e-6


def test_a_model_is_never_unpickled(coded, trained, tmp_path):
    meta, blob = trained.to_records()
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    buffer = io.BytesIO()
    arrays = {k: v for k, v in np.load(io.BytesIO(blob)).items()}
    arrays["idf"] = np.array([Payload()], dtype=object)
    np.savez(buffer, **arrays)
    with pytest.raises(WorkbenchError, match="damaged"):
        Model.from_records(meta, buffer.getvalue(), 7)
    with pytest.raises(WorkbenchError, match="damaged"):
        Model.from_records(meta, pickle.dumps(Payload()), 7)
    assert not marker.exists()
    wrong = json.loads(meta)
    wrong["themes"] = wrong["themes"][:-1]
    with pytest.raises(WorkbenchError, match="'theme_coef' should be float"):
        Model.from_records(json.dumps(wrong), blob, 7)


def test_training_is_stored_with_what_it_learnt_from_and_audited(coded, trained):
    [row] = [m for m in coded.models() if m["id"] == trained.id]
    assert row["trained_on"] == "agreed" and row["comments"] == 122
    assert row["summary"]["folds"] == 5 and row["summary"]["by"] == "group"
    assert row["fingerprint"] == trained.info["fingerprint"]
    [audit] = [
        r
        for r in coded.audit_rows()
        if r["action"] == "train" and r["entity_ref"] == str(trained.id)
    ]
    assert json.loads(audit["after"])["comments"] == 122 and audit["entity"] == "model"


def test_evaluation_reports_like_a_coder_and_is_deterministic(coded):
    first = evaluate(coded, bootstrap=200, curve=(0.5,))
    again = evaluate(coded, bootstrap=200, curve=(0.5,))
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    kappa = first["headline"]["category_kappa"]
    assert -1 <= kappa["value"] <= 1 and kappa["ci"] and first["headline"]["n"] == 122
    assert first["agreement"]["coders"] == ["model", "agreed"]
    assert [row["share"] for row in first["learning_curve"]] == [0.5, 1.0]
    assert first["learning_curve"][-1]["category_kappa"] == pytest.approx(kappa["value"])
    assert first["people"]["coders"] == ["ana", "ben"] and "round 1" in first["people"]["source"]
    assert {c["key"] for c in first["classification"]["categories"]} == {
        "defining",
        "effective",
        "ineffective",
        "benefits",
    }
    assert first["settings"]["held_out"] == [[g] for g in ("FG2", "FG3", "FG5", "FG1", "FG4")]


def test_too_few_comments_of_a_theme_are_named(coded):
    report = evaluate(coded, minimum=9, bootstrap=0, curve=())
    too_few = {e["name"]: e["coded"] for e in report["too_few"]}
    assert too_few == {"Learning": 6, "Risk aware": 8, "Listening": 8}
    assert not any(
        row["learned"] for row in report["classification"]["themes"] if row["name"] in too_few
    )


def test_too_little_to_learn_is_refused_and_nothing_stored(coded):
    before = len(coded.models())
    with pytest.raises(
        WorkbenchError, match=r"each needs at least 30 .* Benefits of effective coproduction 14"
    ):
        train(coded, minimum=30)
    with pytest.raises(WorkbenchError, match="--coder 'nobody': no such coder"):
        train(coded, coder="nobody")
    assert len(coded.models()) == before


def test_a_project_without_an_agreed_coding_is_refused(tmp_path):
    store, _ = build_demo(tmp_path / "plain.db")
    with pytest.raises(WorkbenchError, match="there is no agreed coding to learn from"):
        train(store)
    assert store.models() == []
