"""Issue 26, the domain: the model chosen by nested cross-validation, the coverage curve and the
bar chosen on training folds, pre-coding, more like this, the model beside each coder."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from helpers import copy_project
from suggest_corpus import build

from workbench.coding.views import visible_codings
from workbench.errors import WorkbenchError
from workbench.suggest import coverage as cov
from workbench.suggest import crossval as cv
from workbench.suggest import nested, tokens
from workbench.suggest.candidates import CURRENT, TFIDF_LR
from workbench.suggest.data import learnable, training_data, unit_of
from workbench.suggest.model import Model
from workbench.suggest.text import chance_warning


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Six groups, the first five agreed, trained once (the last group is left for pre-coding)."""
    from workbench.suggest.training import train

    folder = tmp_path_factory.mktemp("synthetic")
    store = build(folder)
    train(store, bootstrap=0, actor="lead")
    store.close()
    return folder / "synthetic.db"


def _model(prep, fitted, kind: str, **kwargs) -> Model:
    """A model of ``fitted`` as training makes one (thresholds .5)."""
    return Model(
        prep.mode,
        fitted.features.vectorizer,
        fitted.category,
        fitted.themes,
        np.full(len(prep.learn.themes), 0.5),
        dict(prep.data.codebook.takes_themes),
        {},
        candidate=kind,
        **kwargs,
    )


def _prepared(store):
    data = training_data(store)
    return cv.prepare(data, learnable(data), tokens.LOWER)


def test_the_nested_choice_for_a_fold_never_sees_that_fold(tmp_path):
    """A planted word that gives away the held-out fold's (shuffled) categories changes nothing
    in that fold's inner comparison, its choice or the predictions the bar is chosen on."""
    store = build(tmp_path, agreed_groups=6)
    prep = _prepared(store)
    units = unit_of(prep.data, "group")
    splits = cv.folds(units, 3)
    first = nested.nested_cv(prep, splits, units, 1)
    held = splits[0][1]
    data = prep.data
    rng = np.random.default_rng(0)
    shuffled = list(np.array(data.categories)[held][rng.permutation(len(held))])
    for i, category in zip(held, shuffled, strict=True):
        data.categories[i] = category
        data.texts[i] = f"{data.texts[i]} qqqjjjqqq{category}"  # the answer, written in the comment
    planted = cv.prepare(data, prep.learn, tokens.LOWER)
    second = nested.nested_cv(planted, splits, units, 1)
    for key in first.scores:
        assert first.scores[key][0] == pytest.approx(second.scores[key][0], abs=1e-9)
    assert first.chosen[0] == second.chosen[0]
    assert np.allclose(first.inner[0].category_p, second.inner[0].category_p, atol=1e-6)
    # ... while the other folds, which train on it, do see it
    assert any(first.scores[k][1] != second.scores[k][1] for k in first.scores)


def test_the_winner_has_the_higher_mean_inner_kappa_and_ties_keep_the_first():
    found = nested.Nested(
        None,
        [CURRENT, TFIDF_LR],
        {"current": [0.5, 0.7], "tfidf-lr": [0.6, 0.7]},
        ["tfidf-lr", "current"],
        [],
    )
    assert found.winner is TFIDF_LR and found.margin == pytest.approx(0.05)
    tie = nested.Nested(
        None, [CURRENT, TFIDF_LR], {"current": [0.6], "tfidf-lr": [0.6]}, ["current"], []
    )
    assert tie.winner is CURRENT and tie.margin == 0


def test_the_bar_is_chosen_on_the_training_folds_not_the_held_out_one():
    """On fold 0's training folds the model is right from p = .60 up, so .60 is its bar; on the
    held-out fold it is wrong below .70, where choosing there would have put the bar. The
    reported kappa is the held-out one at .60: honest, below the target."""

    def probs(conf, predicted):
        p = np.full((len(conf), 2), 0.0)
        p[np.arange(len(conf)), predicted] = conf
        p[np.arange(len(conf)), 1 - predicted] = 1 - conf
        return p

    truth = np.array([0, 1] * 20)
    inner_conf = np.array([0.55] * 10 + [0.65] * 30)
    inner_pred = np.where(np.arange(40) < 10, 1 - truth, truth)  # wrong only below .60
    held_conf = np.array([0.65] * 20 + [0.85] * 20)
    held_pred = np.where(np.arange(40) < 20, 1 - truth, truth)  # wrong below .70
    prep = SimpleNamespace(
        n=80,
        learn=SimpleNamespace(categories=["a", "b"]),
        category_index=np.concatenate([truth, truth]),
    )
    fold = np.array([1] * 40 + [0] * 40)
    predictions = SimpleNamespace(
        category_p=np.vstack([probs(inner_conf, inner_pred), probs(held_conf, held_pred)]),
        fold=fold,
    )
    inner = [
        SimpleNamespace(rows=np.arange(40), category_p=probs(inner_conf, inner_pred)),
        SimpleNamespace(rows=np.arange(40, 80), category_p=probs(held_conf, held_pred)),
    ]
    found = cov.cross_fitted_bar(prep, SimpleNamespace(predictions=predictions, inner=inner), 0.8)
    assert found["fold_bars"][0] == 0.6  # chosen on its training folds
    held = cov.bar_kappas(held_conf, truth, held_pred, 2)
    assert cov.choose_bar(held, 0.8) == 0.7  # what the held-out fold itself would have chosen
    assert found["fold_bars"] == [0.6, 0.7]  # fold 1's training folds are fold 0's held-out rows
    # fold 0 codes all 40 of its comments at .60, half of them wrong; fold 1 none of its at .70
    assert found["coded"] == 40 and found["kappa"] == pytest.approx(0.0)


def test_coverage_curve_on_held_out_predictions(synthetic, tmp_path):
    from workbench.suggest.training import cross_validation

    store = copy_project(synthetic, tmp_path)
    run = cross_validation(store)
    rows = cov.curve(run.prep, run.predictions, bootstrap=50, seed=1)
    assert [r["bar"] for r in rows] == list(cov.BARS)
    shares = [r["category"]["share"] for r in rows]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0.5
    top = rows[0]["category"]
    assert (
        top["kappa"]["ci"] and top["alpha"]["ci"] and top["ac1"]["ci"] and 0 <= top["accuracy"] <= 1
    )
    assert rows[0]["themes"]["n"] <= run.prep.theme_rows.sum()


def test_a_stored_model_keeps_its_kind_and_suggests_the_same(synthetic, tmp_path):
    """Both kinds round-trip through JSON and an .npz read without pickle, softmax included."""
    store = copy_project(synthetic, tmp_path)
    prep = _prepared(store)
    every = np.arange(prep.n)
    for cand in (CURRENT, TFIDF_LR):
        fitted = cv.fit(prep, every, 1, cand)
        model = _model(prep, fitted, cand.key, punct=cand.punct)
        meta, blob = model.to_records()
        loaded = Model.from_records(meta, blob, 9)
        assert (loaded.candidate, loaded.punct, loaded.category.link) == (
            cand.key,
            cand.punct,
            fitted.category.link,
        )
        for text in prep.data.texts[:20] + ["Is that what it means?"]:
            a, b = model.suggest(text), loaded.suggest(text)
            assert (a.category, a.themes) == (b.category, b.themes)
            assert a.probability == pytest.approx(b.probability) and a.confidence <= a.probability
    assert json.loads(meta)["category_link"] == "softmax"


def test_precoding_codes_only_uncoded_comments_above_the_bar_and_stays_out_of_peoples_sight(
    synthetic, tmp_path
):
    from workbench.coding.session import CodingSession
    from workbench.reconcile.review import PRECODE, Review
    from workbench.reports.methods import methods_paragraph
    from workbench.suggest.precode import precode

    store = copy_project(synthetic, tmp_path)
    ana = CodingSession.start(store, "ana")
    last_group = [c for c in store.comments() if c.ref.startswith("FG6-")]
    ana.set_category(last_group[0].id, "defining")  # a person coded this one: never pre-coded
    summary = precode(store, 0.8, actor="lead")
    model = store.coder_named("model")
    precoded = store.codings_of(model.id)
    assert model.kind == "model" and len(precoded) == summary["precoded"] > 0
    assert summary["uncoded"] == len(last_group) - 1 and last_group[0].id not in precoded
    agreed = store.codings_of(store.coder_named("agreed").id)
    assert not set(precoded) & set(agreed)
    # Blind: a coder sees only their own coding; progress counts people only.
    assert [w.name for w in visible_codings(store, "ana")] == ["ana"]
    assert {p["coder"] for p in store.coder_progress()} == {"ana"}
    assert summary["bar"] in cov.BARS and summary["cv_kappa"] >= 0.8
    text = methods_paragraph(store)
    assert (
        f"pre-coded {summary['precoded']} of the 180 comments" in text
        and "target category Cohen's κ of .80" in text
    )
    # Reviewed like the review queue: A keeps the pre-code (it becomes the agreed coding), B returns it.
    review = Review(store, "lead", queue=PRECODE)
    items = review.queue()
    assert len(items) == summary["precoded"] and review.names == ["model 1", "agreed"]
    kept = review.take(items[0], "model 1", "reads right")
    row = store.coding(store.coder_named("agreed").id, items[0].comment_id)
    assert (row.category_key, row.suggested_by) == (kept.category, 1)
    review.take(items[1], "agreed")
    assert store.coding(store.coder_named("agreed").id, items[1].comment_id) is None
    assert [i.status for i in review.queue()[:2]] == ["kept", "changed"]
    assert "The lead reviewed 2 of the" in methods_paragraph(store)
    from workbench.evidence import wording
    from workbench.evidence.facts import gather

    facts = gather(store)  # COREQ 24-26 / SRQR 14 (coders, software) state it too
    assert f"pre-coded {summary['precoded']} of the 180 comments" in wording.coders(facts)[0]
    assert "pre-coded part of the comments" in wording.software(facts)[0]
    assert [r["action"] for r in store.audit_rows()].count("precode") == summary["precoded"] + 1


def test_precoding_is_refused_with_the_curves_numbers_below_target(trained_demo, tmp_path):
    from workbench.suggest.precode import precode

    store = copy_project(trained_demo, tmp_path)
    with pytest.raises(
        WorkbenchError,
        match=r"no confidence bar reaches category κ ≥ .80 .*p ≥ .50: \d+% coded, κ ",
    ):
        precode(store, 0.8)
    with pytest.raises(WorkbenchError, match="from .50 to .95"):
        precode(store, 0.97)
    assert store.coder_named("model") is None and store.precode_runs() == []


def test_a_model_no_better_than_chance_says_so():
    def line(value, low, high):
        return {"category_kappa": {"value": value, "ci": [low, high], "reason": None}}

    assert "less often than chance" in chance_warning(line(-0.05, -0.2, 0.1), "agreed")
    assert "cannot be told apart from chance" in chance_warning(line(0.1, -0.02, 0.22), "agreed")
    assert chance_warning(line(0.3, 0.19, 0.45), "agreed") == ""
    from workbench.suggest.text import model_summary

    info = {
        "trained_on": "agreed",
        "comments": 40,
        "features": 900,
        "tokens": "lemma",
        "folds": 5,
        "by": "group",
        "learned": {"categories": ["a", "b"], "themes": []},
        "too_few": {},
        "min_per_class": 5,
        "cross_validated": {
            "n": 40,
            "category_kappa": {"value": -0.05, "ci": [-0.2, 0.1], "reason": None},
            **{
                k: {"value": None, "reason": "x"}
                for k in (
                    "category_alpha",
                    "category_ac1",
                    "themes_pooled_kappa",
                    "themes_masi_alpha",
                )
            },
        },
    }
    assert (
        "Warning: this model agrees with the agreed coding less often than chance"
        in model_summary(info, 4)
    )


def test_more_like_this_uses_the_models_features_and_shows_only_what_the_viewer_may_see(
    synthetic, tmp_path
):
    from workbench.coding.session import CodingSession
    from workbench.suggest.similar import Similarity, more_like_this
    from workbench.suggest.training import latest_model

    store = copy_project(synthetic, tmp_path)
    model = latest_model(store)
    index = Similarity(store, model)
    first = store.comments()[0]
    found = index.like(first.id, 5)
    scores = [s for _, s in found]
    assert (
        len(found) == 5 and scores == sorted(scores, reverse=True) and first.id not in dict(found)
    )
    cols, values = model.vector(first.text)
    best = store.comment(found[0][0]).text
    other_cols, other_values = model.vector(best)
    shared = dict(zip(other_cols, other_values, strict=True))
    assert found[0][1] == pytest.approx(
        sum(v * shared.get(c, 0) for c, v in zip(cols, values, strict=True)), abs=1e-5
    )
    CodingSession.start(store, "ana").set_category(found[0][0], "benefits")
    lead = more_like_this(store, index, first.id, top=5)
    blind = more_like_this(store, index, first.id, viewer="ana", top=5)
    names = {c.key: c.name for c in store.categories()}
    agreed = store.coder_named("agreed").id
    for like in lead:  # a lead sees the agreed coding first
        row = store.coding(agreed, like.comment_id)
        assert like.category == (names[row.category_key] if row else None)
    assert any(like.category for like in lead)
    assert blind[0].category == "Benefits of effective coproduction"
    assert all(like.category is None for like in blind[1:])  # agreed codes exist, but not for ana
    words_only = Similarity(
        store
    )  # no model yet: TF-IDF of the comments' own words, no coding read
    assert words_only.model_id is None and len(words_only.like(first.id, 3)) == 3


def test_the_model_beside_each_coder_where_more_than_two_coded(coded_demo, tmp_path):
    from workbench.coding.session import CodingSession
    from workbench.suggest.evaluation import beside_each_coder
    from workbench.suggest.training import cross_validation

    store = copy_project(coded_demo, tmp_path)
    run = cross_validation(store, candidate="current")
    assert beside_each_coder(store, run) is None  # two people: the usual report
    cleo = CodingSession.start(store, "cleo")
    ana = store.codings_of(store.coder_named("ana").id)
    for comment_id, row in list(ana.items())[:40]:
        cleo.set_category(comment_id, row.category_key)
    beside = beside_each_coder(store, run)
    assert beside["coders"] == ["ana", "ben", "cleo"]
    assert beside["model"]["cleo"]["n"] == 40 and beside["model"]["ana"]["n"] == 122
    pairs = {tuple(p["coders"]): p for p in beside["people"]}
    assert pairs[("ana", "cleo")]["kappa"]["value"] == pytest.approx(1.0)
    from workbench.suggest.evaluation_text import _beside

    lines = _beside(beside)  # the text form: each κ over its CI, in 80 columns
    assert max(map(len, lines)) <= 80
    assert [x.split()[0] + x.split()[2] for x in lines if " × " in x] == [
        "modelana",
        "modelben",
        "modelcleo",
        "anaben",
        "anacleo",
        "bencleo",
    ]


def test_the_coverage_figure_is_deterministic(tmp_path):
    from workbench.suggest.figure import coverage_chart

    bars = [
        {
            "bar": b,
            "category": {
                "share": 1 - b + 0.4,
                "kappa": {"value": b, "ci": [b - 0.1, min(1, b + 0.05)]},
            },
        }
        for b in cov.BARS
    ]
    report = {
        "coverage": {
            "target": 0.8,
            "bars": bars,
            "chosen": {"bar": 0.8, "share": 0.6, "kappa": 0.82},
        }
    }
    for kind in ("svg", "png"):
        a = coverage_chart(report, tmp_path / f"a.{kind}").read_bytes()
        b = coverage_chart(report, tmp_path / f"b.{kind}").read_bytes()
        assert a == b and len(a) > 1000
    assert b"Target" in (tmp_path / "a.svg").read_bytes()


def test_wordllama_loads_from_its_wheel_without_the_network(monkeypatch):
    """workbench[embeddings]: the weights and tokenizer ship in the wheel; nothing is fetched."""
    pytest.importorskip("wordllama")
    import socket

    from workbench.suggest import embedding

    def refuse(*args, **kwargs):
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embedding._model.cache_clear()
    vectors = embedding.embed(["Is that what it means?", "yeah.", ""])
    assert vectors.shape == (3, embedding.DIMENSIONS) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors[0]) == pytest.approx(embedding.WEIGHT, abs=1e-5)
    assert not np.allclose(vectors[0], vectors[1])


def test_the_combined_kind_is_compared_only_where_installed_and_stored_without_pickle(
    synthetic, tmp_path, monkeypatch
):
    from workbench.suggest import candidates, embedding

    monkeypatch.setattr(embedding, "available", lambda: False)
    assert candidates.available() == candidates.CANDIDATES
    monkeypatch.undo()
    pytest.importorskip("wordllama")
    assert candidates.available()[-1] is candidates.COMBINED
    store = copy_project(synthetic, tmp_path)
    prep = _prepared(store)
    fitted = cv.fit(prep, np.arange(prep.n), 1, candidates.COMBINED)
    assert fitted.category.coef.shape[1] == fitted.features.vectorizer.size + embedding.DIMENSIONS
    model = _model(prep, fitted, "combined", embedding=embedding.NAME)
    loaded = Model.from_records(*model.to_records(), 3)
    assert loaded.embedding == embedding.NAME
    for text in prep.data.texts[:10]:
        assert loaded.suggest(text).probability == pytest.approx(
            model.suggest(text).probability, abs=1e-6
        )
    monkeypatch.setattr(embedding, "available", lambda: False)
    embedding._model.cache_clear()
    with pytest.raises(WorkbenchError, match=r"pip install 'workbench\[embeddings\]'"):
        loaded.suggest("anything")
    embedding._model.cache_clear()


def test_a_comment_coded_while_the_model_reads_is_never_pre_coded(synthetic, tmp_path, monkeypatch):
    """Another window codes a comment after the model read it as uncoded: the pre-codes are
    written in a transaction that looks again."""
    from workbench.coding.session import CodingSession
    from workbench.store import Store
    from workbench.suggest import precode as module
    from workbench.suggest.model import Model

    store = copy_project(synthetic, tmp_path)
    last = [c for c in store.comments() if c.ref.startswith("FG6-")][-1]
    original = Model.suggest
    calls = []

    def suggest(self, text):
        if not calls:  # the other window codes the group's last comment now
            other = Store.open(store.path)
            CodingSession.start(other, "ben").set_category(last.id, "defining")
            other.close()
        calls.append(text)
        return original(self, text)

    monkeypatch.setattr(Model, "suggest", suggest)
    summary = module.precode(store, 0.8, actor="lead")
    precoded = store.codings_of(store.coder_named("model").id)
    assert last.id not in precoded and len(precoded) == summary["precoded"] > 0


def test_a_large_projects_learning_curve_judges_small_models_on_a_share_of_each_fold(
    synthetic, tmp_path, monkeypatch
):
    from workbench.suggest import evaluation
    from workbench.suggest.training import cross_validation

    store = copy_project(synthetic, tmp_path)
    run = cross_validation(store, candidate="current")
    rows = np.array([3, 40, 41, 97, 120])
    part = cv.subset(run.prep, rows)  # the same comments, counted the same
    fitted = cv.fit(run.prep, np.arange(60), 1)
    assert np.allclose(
        fitted.features.transform(part.counts, np.arange(5)).toarray(),
        fitted.features.transform(run.prep.counts, rows).toarray(),
    )
    assert part.data.refs == [run.data.refs[i] for i in rows] and part.n == 5
    monkeypatch.setattr(evaluation, "SCORED_PER_FOLD", 12)
    run = cross_validation(store)
    curve = evaluation.learning_curve(run, (20,))
    assert [(r["size"], r["held_out_comments"]) for r in curve] == [(20, 60), (None, 150)]
    assert curve[0]["training_comments"] == 20 and -1 <= curve[0]["category_kappa"] <= 1
