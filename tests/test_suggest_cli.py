"""Machine-assisted coding from the command line, and what it changes in the project file."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest
from helpers import run_cli

from workbench.coding.session import CodingSession
from workbench.demo import build_demo, code_demo
from workbench.store import Store
from workbench.store import schema as schema_module


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A coded demo with a trained model (the CLI's own `suggest train`)."""
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    store, _ = build_demo(path)
    code_demo(store)
    sys.argv = ["workbench", "suggest", "train", str(path)]
    from workbench.cli import main

    main()
    return path


def test_train_prints_the_cross_validated_agreement(project, capsys):
    code, out, _ = run_cli(capsys, "suggest", "status", str(project))
    assert code == 0
    assert "Model 1: learnt the agreed coding of 122 comments" in out
    assert "Cross-validated (5 folds by group): category Cohen's κ = " in out
    assert "Suggestions shown to: nobody (blind first-pass coding)" in out


def test_evaluate_beside_the_people_and_stores_nothing(project, capsys):
    store = Store.open(project)
    before = (len(store.models()), len(store.audit_rows()))
    code, out, _ = run_cli(
        capsys, "suggest", "evaluate", str(project), "--bootstrap", "100", "--format", "md"
    )
    assert code == 0
    assert "Model against the agreed coding: category Cohen's κ = ." in out
    assert (
        "The coders (ana × ben, frozen round 1: before reconciling): category Cohen's κ = .975"
        in out
    )
    assert "| training comments | chosen | category κ |" in out and "\n| 97.6 | " in out
    assert (
        "Model chosen by the data: " in out and "## Coverage and agreement by confidence bar" in out
    )
    assert "\n| .50 | " in out and "\n| .95 | " in out
    assert "## model × agreed" in out
    assert (len(store.models()), len(store.audit_rows())) == before
    code, out, _ = run_cli(capsys, "suggest", "evaluate", str(project), "--bootstrap", "100")
    lines = out.splitlines()  # the text form: a terminal's 80 columns, the full agreement too
    assert code == 0 and max(map(len, lines)) <= 80, [x for x in lines if len(x) > 80]
    assert "Agreement in full: the model × the agreed coding" in lines
    assert "bar     coded  category κ        α                 AC1               accuracy" in [
        x.rstrip() for x in lines
    ]
    code, out, _ = run_cli(
        capsys,
        "suggest",
        "evaluate",
        str(project),
        "--bootstrap",
        "0",
        "--format",
        "json",
        "--by",
        "transcript",
        "--folds",
        "3",
    )
    report = json.loads(out)
    assert report["settings"]["by"] == "transcript" and report["settings"]["folds"] == 3


def test_evaluate_draws_the_coverage_figure_and_precode_is_refused_below_target(
    project, capsys, tmp_path
):
    figure = tmp_path / "coverage.svg"
    code, _, err = run_cli(
        capsys,
        "suggest",
        "evaluate",
        str(project),
        "--bootstrap",
        "0",
        "--format",
        "json",
        "--out",
        str(tmp_path / "e.json"),
        "--figure",
        str(figure),
        "--target-kappa",
        "0.6",
    )
    assert code == 0 and f"Wrote {figure}." in err and b"Target" in figure.read_bytes()
    report = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert report["coverage"]["target"] == 0.6 and len(report["coverage"]["bars"]) == 10
    code, _, err = run_cli(capsys, "suggest", "precode", str(project))
    assert code == 1 and "no confidence bar reaches category κ ≥ .80" in err and "p ≥ .50: " in err
    assert Store.open(project).coder_named("model") is None


def test_show_one_comment(project, capsys):
    code, out, _ = run_cli(capsys, "suggest", "show", str(project), "fg2-007", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["ref"] == "FG2-007" and data["model_id"] == 1
    assert data["category"] in {"defining", "effective", "ineffective", "benefits"}


def test_review_stores_a_ranked_queue(project, capsys):
    code, out, _ = run_cli(
        capsys, "suggest", "review", str(project), "--confidence", "0.6", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["model"] == 1 and data["items"]
    confidences = [i["confidence"] for i in data["items"]]
    assert confidences == sorted(confidences, reverse=True) and min(confidences) >= 0.6
    stored = Store.open(project).review_items(1)
    assert [r["ref"] for r in stored] == [i["ref"] for i in data["items"]]


def test_the_model_as_a_coder_is_reported_like_one(project, capsys):
    code, out, _ = run_cli(capsys, "suggest", "code", str(project), "--as", "model")
    assert (
        code == 0
        and "Coded 122 comment(s) as 'model' with model 1: 122 by a model that never saw" in out
    )
    store = Store.open(project)
    model = store.coder_named("model")
    assert model.kind == "model" and len(store.codings_of(model.id)) == 122
    code, out, _ = run_cli(
        capsys, "agreement", str(project), "--coders", "model", "ana", "--format", "json"
    )
    report = json.loads(out)
    assert code == 0 and report["coders"] == ["model", "ana"]
    # The model coder is not a person: the default report and blind progress leave it out.
    code, out, _ = run_cli(
        capsys, "agreement", str(project), "--format", "json", "--bootstrap", "0"
    )
    assert json.loads(out)["coders"] == ["ana", "ben"]
    assert {p["coder"] for p in store.coder_progress()} == {"ana", "ben"}
    code, _, err = run_cli(capsys, "suggest", "code", str(project), "--as", "ana")
    assert code == 1 and "--as 'ana' is a coder of this project" in err


def test_suggestions_are_switched_per_coder_and_accepted_codings_kept_apart(project, capsys):
    code, out, _ = run_cli(capsys, "suggest", "on", str(project), "--coder", "cleo", "--new")
    assert code == 0 and "Suggestions on for cleo" in out
    store = Store.open(project)
    session = CodingSession.start(store, "cleo")
    assert session.suggestions
    comments = [c for c in store.comments() if not c.excluded]
    model_store = Store.open(project)
    from workbench.suggest.training import latest_model

    model = latest_model(model_store)
    for comment in comments[:10]:
        s = model.suggest(comment.text)
        session.accept(comment.id, s.category, tuple(t for t, _ in s.themes), s.model_id, "p")
    for comment in comments[10:30]:
        session.set_category(comment.id, "defining")
    rows = [r for r in store.audit_rows() if r["action"] == "accept suggestion"]
    assert len(rows) == 10 and json.loads(rows[0]["after"])["suggested_by"] == 1
    code, out, _ = run_cli(
        capsys,
        "agreement",
        str(project),
        "--coders",
        "cleo",
        "ana",
        "--format",
        "json",
        "--bootstrap",
        "0",
        "--suggested",
        "exclude",
    )
    report = json.loads(out)
    assert (
        report["units"]["coded"]["cleo"] == 20
        and report["scope"]["suggestion_accepted"]["cleo"] == 10
    )
    code, out, _ = run_cli(
        capsys,
        "agreement",
        str(project),
        "--coders",
        "cleo",
        "ana",
        "--format",
        "json",
        "--bootstrap",
        "0",
        "--suggested",
        "separate",
    )
    parts = json.loads(out)
    assert parts["assisted"]["units"]["coded"] == {"cleo": 10, "ana": 10}
    assert parts["unassisted"]["units"]["coded"]["cleo"] == 20
    code, out, _ = run_cli(capsys, "agreement", str(project), "--coders", "cleo", "ana")
    assert "Codings taken from a model's suggestion: cleo 10 (included below)." in out
    from workbench.reports.methods import methods_paragraph

    text = methods_paragraph(store)  # a paper must disclose machine assistance
    assert "Coders could see a local model's suggestions" in text
    assert "10 of cleo's codings were taken from a suggestion" in text and "Cohen's κ = ." in text
    code, out, _ = run_cli(capsys, "suggest", "off", str(project), "--coder", "cleo")
    assert (
        "Suggestions off for cleo." in out
        and not CodingSession.start(Store.open(project), "cleo").suggestions
    )


def test_suggestions_for_an_unknown_coder_name_the_coders(project, capsys):
    """A typo would switch suggestions on for nobody (and make a coder of the typo)."""
    before = [c.name for c in Store.open(project).coders()]
    names = ", ".join(c.name for c in Store.open(project).coders() if c.kind == "coder")
    assert names.startswith("ana, ben")  # and cleo, once an earlier test started her
    code, _, err = run_cli(capsys, "suggest", "on", str(project), "--coder", "bem")
    assert code == 1 and err.splitlines()[0] == (
        f"error: --coder 'bem': no such coder (coders: {names}); 'bem' is one letter away from "
        "the coder 'ben' (a typo?); to switch them on for a coder who has not started yet, "
        "add --new"
    )
    code, _, err = run_cli(capsys, "suggest", "off", str(project), "--coder", "zed")
    assert code == 1 and err == f"error: --coder 'zed': no such coder (coders: {names})\n"
    code, _, err = run_cli(capsys, "suggest", "evaluate", str(project), "--coder", "zed")
    assert code == 1 and err.startswith(f"error: --coder 'zed': no such coder (coders: {names})")
    assert [c.name for c in Store.open(project).coders()] == before


def test_no_agreed_coding_is_a_clear_error(tmp_path, capsys):
    build_demo(tmp_path / "plain.db")
    code, _, err = run_cli(capsys, "suggest", "train", str(tmp_path / "plain.db"))
    assert code == 1 and "there is no agreed coding to learn from" in err
    code, _, err = run_cli(capsys, "suggest", "show", str(tmp_path / "plain.db"), "FG1-002")
    assert code == 1 and "no model for this project's codebook" in err
    assert Store.open(tmp_path / "plain.db").models() == []


def test_schema_5_projects_with_codings_upgrade(tmp_path, monkeypatch):
    """The coders table is rebuilt by migration 6: every coder and coding survives."""
    monkeypatch.setattr(schema_module, "MIGRATIONS", schema_module.MIGRATIONS[:5])
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", 5)
    store, _ = build_demo(tmp_path / "old.db")
    assert store.schema_version() == 5
    ids = [c.id for c in store.comments() if not c.excluded]
    store.close()
    monkeypatch.undo()
    raw = sqlite3.connect(tmp_path / "old.db")  # codings as a schema-5 Workbench wrote them
    with raw:
        raw.execute(
            "INSERT INTO coders (id, name, kind, created_at) VALUES (1, 'ana', 'coder', 'then'), "
            "(2, 'agreed', 'agreed', 'then')"
        )
        for n, comment_id in enumerate(ids):
            for coder in (1, 2):
                coding = raw.execute(
                    "INSERT INTO codings (comment_id, coder_id, category_key, updated_at) "
                    "VALUES (?, ?, 'effective', 'then')",
                    [comment_id, coder],
                ).lastrowid
                raw.execute(
                    "INSERT INTO coding_themes VALUES (?, ?)",
                    [coding, "listening" if n % 2 else "mutuality"],
                )
    raw.close()
    upgraded = Store.open(tmp_path / "old.db")
    assert (
        upgraded.schema_version() == schema_module.SCHEMA_VERSION
        and upgraded.integrity_check() == "ok"
    )
    assert [(c.name, c.kind, c.suggestions) for c in upgraded.coders()] == [
        ("agreed", "agreed", 0),
        ("ana", "coder", 0),
    ]
    assert upgraded.coding_count() == 2 * len(ids)
    assert upgraded.coding(1, ids[1]).themes == ("listening",)
    raw = sqlite3.connect(tmp_path / "old.db")
    raw.execute("PRAGMA foreign_keys = ON")
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):  # the rebuilt table still takes only known kinds
        raw.execute("INSERT INTO coders (name, kind, created_at) VALUES ('x', 'robot', 'now')")
    with pytest.raises(sqlite3.IntegrityError):  # and codings still reference coders
        raw.execute(
            "INSERT INTO codings (comment_id, coder_id, updated_at) VALUES (?, 99, 'now')", [ids[0]]
        )
