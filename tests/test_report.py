"""Reports from a project: the study's tables end to end from an agreed coding in a
project file, stored runs with fingerprints, refusal while comments are not agreed."""

import csv
import io
import json

import pytest
from helpers import run_cli
from study_fixture import TABLE1, TABLE2, TABLE3, study_dataframe

from workbench.coding.session import CodingSession
from workbench.demo import build_demo
from workbench.exchange.sheets import import_sheet

run = run_cli


@pytest.fixture
def study_project(tmp_path, monkeypatch):
    """The demo project (same comment counts as the study) with the study's agreed coding."""
    monkeypatch.chdir(tmp_path)
    store, _ = build_demo(tmp_path / "p.db")
    df, _, _ = study_dataframe()
    codable = [c for c in store.comments() if not c.excluded]
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["ref", "category", "themes", "exemplar"])
    for comment, row in zip(codable, df.itertuples(), strict=True):
        assert comment.group_code == row.group_code
        writer.writerow(
            [comment.ref, row.category, ";".join(row.themes), "yes" if row.exemplar else ""]
        )
    (tmp_path / "agreed.csv").write_text(sheet.getvalue(), encoding="utf-8")
    import_sheet(store, tmp_path / "agreed.csv", agreed=True)
    return store


def test_category_and_theme_tables_reproduce_the_study_from_a_project(study_project, capsys):
    code, out, err = run(capsys, "report", "p.db", "--table", "categories", "--format", "json")
    assert code == 0, err
    individual, multi = [json.loads(block) for block in out.strip().split("\n\n")]
    for table, study in ((individual, TABLE1), (multi, TABLE2)):
        expected = [
            [group, *(f"{n} ({pct}%)" for n, pct in cells)] for group, cells in study.items()
        ]
        assert [row[:5] for row in table["rows"][: len(study)]] == expected
    code, out, _ = run(capsys, "report", "p.db", "--table", "themes", "--format", "json")
    theme = json.loads(out)
    assert [[r[0], r[2], r[3]] for r in theme["rows"]] == [
        [t, str(n), f"{p}%"] for t, n, p in TABLE3
    ]
    assert any("ranged from 58% to 93%" in note for note in theme["notes"])


def test_report_reads_the_agreed_coding_not_a_coders(study_project, capsys):
    before = run(capsys, "report", "p.db", "--table", "themes", "--format", "csv")[1]
    session = CodingSession.start(study_project, "ana")
    for comment in study_project.comments()[:40]:
        if not comment.excluded:
            session.set_category(comment.id, "benefits")
    assert run(capsys, "report", "p.db", "--table", "themes", "--format", "csv")[1] == before
    code, out, _ = run(
        capsys, "report", "p.db", "--table", "themes", "--coder", "ana", "--provisional"
    )
    assert code == 0 and "(provisional) (coder ana)" in out


def test_runs_are_stored_with_the_coding_fingerprint(study_project, capsys, tmp_path):
    run(
        capsys,
        "report",
        "p.db",
        "--table",
        "themes",
        "--out",
        "themes.docx",
        "--figure",
        "themes.png",
    )
    assert (tmp_path / "themes.docx").stat().st_size > 0 and (
        tmp_path / "themes.png"
    ).stat().st_size > 0
    code, out, _ = run(capsys, "report", "p.db", "--history")
    assert code == 0 and "themes" in out and "agreed" in out
    [stored] = study_project.report_runs()
    assert stored["outputs"] == ["themes.docx", "themes.png"]
    assert stored["results"][0]["rows"][0][:1] == ["Role shift"]
    assert len(stored["fingerprint"]) == 64
    # Change the agreed coding: a new run has another fingerprint.
    import_sheet(
        study_project,
        _sheet(tmp_path, "ref,category\nFG1-002,benefits\n"),
        agreed=True,
        overwrite=True,
    )
    run(capsys, "report", "p.db", "--table", "themes", "--format", "md", "--provisional")
    first, second = study_project.report_runs()
    assert first["fingerprint"] != second["fingerprint"]


def _sheet(tmp_path, text):
    path = tmp_path / "change.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_all_exports_every_table_and_figure(study_project, capsys, tmp_path):
    code, out, err = run(capsys, "report", "p.db", "--all", "--out", "paper")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "paper").iterdir())
    assert names == [
        "methods.md",
        "reconciliation-log.csv",
        "reconciliation-log.docx",
        "reconciliation-log.json",
        "reconciliation-log.md",
        "reconciliation-log.xlsx",
        "tables.csv",
        "tables.docx",
        "tables.html",
        "tables.json",
        "tables.md",
        "tables.tex",
        "tables.xlsx",
        "themes.png",
        "themes.svg",
    ]
    methods = (tmp_path / "paper" / "methods.md").read_text(encoding="utf-8")
    assert (
        "Five focus groups (3 individual stakeholder groups and 2 multi-stakeholder groups)"
        in methods
    )


def test_tables_are_refused_while_comments_are_not_agreed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    store, _ = build_demo(tmp_path / "p.db")
    code, _, err = run(capsys, "report", "p.db", "--table", "themes")
    assert code == 1 and "no agreed coding yet" in err
    import_sheet(store, _sheet(tmp_path, "ref,category\nFG1-002,defining\n"), agreed=True)
    code, _, err = run(capsys, "report", "p.db", "--table", "categories")
    assert code == 1 and "81 comment(s) have no agreed category yet (FG1-003" in err
    code, out, _ = run(capsys, "report", "p.db", "--table", "categories", "--provisional")
    assert code == 0 and "provisional" in out
