"""The methods-evidence commands: saturation, training, retest, validity, checklist, and the
blind coding modes of `workbench code`."""

import csv
import io
import json

import pytest
from docx import Document
from helpers import run_cli

from workbench.demo import build_demo, code_demo
from workbench.evidence.blind import blind_session
from workbench.store import Store


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store, _ = build_demo(tmp_path / "p.db")
    code_demo(store)
    store.close()
    return "p.db"


def test_saturation_in_every_format_with_figure_and_record(project, capsys, tmp_path):
    code, out, err = run_cli(capsys, "saturation", project, "--base", "4")
    assert (
        code == 1
        and "error: saturation with a base of 4 and a run of 2 needs at least 6 focus groups" in err
    )
    code, out, err = run_cli(
        capsys, "saturation", project, "--format", "sentence"
    )  # the base fitted: 3
    assert (
        code == 0
        and "The base size of 3 is the largest base that leaves a run of 2 in 5 focus groups" in out
    )
    code, out, err = run_cli(
        capsys,
        "saturation",
        project,
        "--base",
        "3",
        "--run",
        "2",
        "--figure",
        "sat.svg",
        "--format",
        "md",
    )
    assert code == 0 and out.startswith(
        "# Thematic saturation (Guest, Namey & Chen 2020)\n\nThematic saturation was"
    )
    assert "**Table 2. Saturation ratio of each run" in out and "Saturation run 2 recorded" in err
    assert (tmp_path / "sat.svg").read_bytes().startswith(b"<?xml")
    code, out, _ = run_cli(
        capsys, "saturation", project, "--base", "3", "--run", "2", "--format", "json"
    )
    data = json.loads(out)
    assert (
        data["observed"]["saturation"]["5"]["label"] == "3+2"
        and data["parameters"]["coder"] == "agreed"
    )
    code, out, _ = run_cli(
        capsys, "saturation", project, "--base", "2", "--run", "1", "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(out.split("\n\n")[0])))
    assert rows[0][:4] == ["Order", "Focus group", "Date", "Part"] and len(rows) == 6
    code, out, _ = run_cli(
        capsys,
        "saturation",
        project,
        "--base",
        "2",
        "--run",
        "1",
        "--min-comments",
        "3",
        "--format",
        "sentence",
        "--order",
        "FG3,FG1,FG2,FG4,FG5",
        "--coder",
        "ana",
    )
    assert "a theme counted once it had been coded on 3 comments" in out and "coding of ana" in out
    code, _, err = run_cli(
        capsys, "saturation", project, "--base", "3", "--run", "2", "--out", "sat.docx"
    )
    assert code == 0 and len(Document(tmp_path / "sat.docx").tables) == 3
    code, out, _ = run_cli(capsys, "report", project, "--history")
    assert out.count("saturation") == 6


def test_training_commands_from_marking_to_the_report(project, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "training", project)
    assert "No training set yet" in out
    code, _, err = run_cli(capsys, "code", project, "--coder", "cai", "--training")
    assert code == 1 and err.startswith("error: there is no training set yet")
    code, out, _ = run_cli(
        capsys,
        "training",
        project,
        "--mark",
        "FG1-002,FG1-003",
        "--mark",
        "FG2-003",
        "--as",
        "lead",
    )
    assert out == "Training set: 3 comment(s) added, 0 gold coding(s) refreshed; 3 in the set.\n"
    code, out, _ = run_cli(capsys, "training", project, "--sample", "5", "--seed", "2")
    assert "5 comment(s) drawn at random (seed 2); 8 in the set" in out
    code, _, err = run_cli(capsys, "training", project, "--coder", "cai")
    assert code == 1 and "cai has not coded the training set yet" in err
    store = Store.open(tmp_path / project)
    session = blind_session(store, "cai", "training")
    for item in store.training_items():
        session.set_category(item["comment_id"], item["category_key"])
        for theme in item["themes"]:
            session.toggle_theme(item["comment_id"], theme)
    code, out, _ = run_cli(capsys, "training", project)
    assert "Training set: 8 comments (" in out and "cai" in out
    code, out, _ = run_cli(
        capsys, "training", project, "--coder", "cai", "--bootstrap", "100", "--format", "md"
    )
    assert out.startswith("# Coder training: cai against the gold coding")
    assert "Calibration target κ ≥ .80: met." in out
    assert "## Disagreements with the gold coding, with its rationale (0)" in out
    code, out, _ = run_cli(
        capsys, "training", project, "--coder", "cai", "--format", "csv", "--bootstrap", "0"
    )
    assert out.startswith("coders,layer,units,theme,statistic,")
    code, out, _ = run_cli(capsys, "training", project, "--unmark", "FG1-002")
    assert "1 comment(s) taken out; 7 in the set" in out
    code, _, err = run_cli(capsys, "training", project, "--mark", "FG1-003", "--coder", "cai")
    assert code == 2 and "give one of --mark, --sample, --unmark or --coder" in err


def test_retest_commands(project, capsys, tmp_path):
    code, _, err = run_cli(capsys, "code", project, "--coder", "ana", "--retest")
    assert code == 1 and err.startswith("error: ana has no retest sample: draw one with")
    code, out, _ = run_cli(
        capsys, "retest", project, "--coder", "ana", "--draw", "6", "--as", "lead"
    )
    assert out.startswith(
        "Drew 6 of ana's 122 coded comments (seed 1); recode them with `workbench code p.db "
        "--coder ana --retest`."
    )
    store = Store.open(tmp_path / project)
    session = blind_session(store, "ana", "retest")
    for comment_id in session.scope:
        session.set_category(comment_id, "defining", drop_themes=True)
    code, out, _ = run_cli(
        capsys, "retest", project, "--coder", "ana", "--format", "sentence", "--bootstrap", "0"
    )
    assert out.startswith("ana recoded 6 randomly drawn comments of their own (of a sample of 6)")
    code, out, _ = run_cli(
        capsys, "retest", project, "--coder", "ana", "--format", "json", "--bootstrap", "0"
    )
    assert json.loads(out)["report"]["pairs"][0]["coders"] == ["ana (first)", "ana (retest)"]
    code, out, _ = run_cli(capsys, "retest", project, "--coder", "ana", "--discard")
    assert out == "Discarded ana's retest sample of 6 comments (6 recoding(s) deleted).\n"


def test_validity_and_checklist_commands(project, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "validity", project, "--format", "md")
    assert code == 0 and out.startswith("# Coder validity from reconciliation")
    code, out, _ = run_cli(capsys, "validity", project)  # text: the same report, not Markdown
    assert out.startswith("Coder validity from reconciliation\n=====") and "|" not in out
    code, out, _ = run_cli(capsys, "validity", project, "--format", "json")
    assert json.loads(out)["pairs"][0]["coders"] == ["ana", "ben"]
    code, out, _ = run_cli(capsys, "checklist", project, "--base", "3", "--run", "2")
    assert out.startswith(
        "# COREQ (Consolidated criteria for reporting qualitative research): Coproduction demo"
    )
    code, _, err = run_cli(
        capsys, "checklist", project, "--guideline", "srqr", "--out", "srqr.docx"
    )
    assert code == 0 and err.startswith("Wrote srqr.docx: ")
    assert len(Document(tmp_path / "srqr.docx").tables) == 7


def test_blind_modes_check_before_the_app_opens(project, capsys, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "workbench.cli.coding.run_app", lambda store, coder, mode=None: opened.append((coder, mode))
    )
    run_cli(capsys, "training", project, "--mark", "FG1-002")
    code, _, _ = run_cli(capsys, "code", project, "--coder", "cai", "--training")
    assert code == 0 and opened == [("cai", "training")]
    code, _, err = run_cli(capsys, "code", project, "--coder", "cai", "--training", "--retest")
    assert code == 2 and "give --training or --retest, not both" in err
    code, _, err = run_cli(capsys, "code", project, "--coder", "cai (training)")
    assert code == 1 and "no spaces" in err  # never a person: "(training)" names are kept
    code, _, err = run_cli(capsys, "code", project, "--coder", "cai", "--retest")
    assert code == 1 and "--coder 'cai': no such coder to retest (coders: ana, ben)" in err
