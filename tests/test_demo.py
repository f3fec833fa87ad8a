"""The bundled demo: five fictional groups mirroring the study's design."""

import sys

from workbench.cli import main
from workbench.demo import build_demo, demo_manifest

STUDY_COMMENTS = {"FG1": 16, "FG2": 40, "FG3": 26, "FG4": 15, "FG5": 25}  # study Tables 1 and 2


def test_demo_builds_every_group_with_the_studys_comment_counts(tmp_path):
    store, reports = build_demo(tmp_path / "demo.db")
    assert [r.status for r in reports] == ["imported"] * 5
    assert [r.warnings for r in reports] == [[]] * 5
    summaries = {g["code"]: g for g in store.group_summaries()}
    assert {code: g["codable"] for code, g in summaries.items()} == STUDY_COMMENTS
    assert [g["kind"] for g in summaries.values()] == ["individual"] * 3 + ["multi"] * 2
    assert all(s["role_key"] for s in store.speakers())
    formats = {r.format.split(" ")[0] for r in reports}
    assert formats == {"text", "markdown", "webvtt"}
    # Reopening imports nothing twice.
    store, reports = build_demo(tmp_path / "demo.db")
    assert [r.status for r in reports] == ["unchanged"] * 5
    assert sum(g["comments"] for g in store.group_summaries()) == sum(g["comments"] for g in summaries.values())


def test_demo_manifest_rosters_exist():
    folder, groups = demo_manifest()
    assert len(groups) == 5
    for group in groups:
        assert (folder / group["file"]).is_file() and (folder / group["roster"]).is_file()


def test_demo_no_ui_prints_a_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    sys.argv = ["workbench", "demo", "--no-ui"]
    main()
    out = capsys.readouterr().out
    assert "FG5   Last multi-stakeholder" in out
    assert "total" in out and "122" in out
    assert (tmp_path / "workbench-demo.db").exists()
