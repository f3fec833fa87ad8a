"""The bundled demo: five fictional groups mirroring the study's design."""

import sys

from workbench.cli import main
from workbench.demo import build_demo, demo_manifest

STUDY_COMMENTS = {"FG1": 16, "FG2": 40, "FG3": 26, "FG4": 15, "FG5": 25}  # study Tables 1 and 2


def test_demo_builds_every_group_with_the_studys_comment_counts(tmp_path):
    store, reports = build_demo(tmp_path / "demo.db")
    assert [r.status for r in reports] == ["imported"] * 5
    assert [r.warnings for r in reports] == [[]] * 5
    summaries = {g.code: g for g in store.group_summaries()}
    assert {code: g.codable for code, g in summaries.items()} == STUDY_COMMENTS
    assert [g.kind for g in summaries.values()] == ["individual"] * 3 + ["multi"] * 2
    assert all(s.role_key for s in store.speakers())
    formats = {r.format.split(" ")[0] for r in reports}
    assert formats == {"text", "markdown", "webvtt"}
    # Reopening imports nothing twice.
    store, reports = build_demo(tmp_path / "demo.db")
    assert [r.status for r in reports] == ["unchanged"] * 5
    assert sum(g.comments for g in store.group_summaries()) == sum(
        g.comments for g in summaries.values()
    )


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


def test_an_outdated_coded_demo_says_how_to_rebuild(tmp_path, monkeypatch):
    import pytest

    from workbench import demo as demo_module
    from workbench.coding.session import CodingSession
    from workbench.errors import WorkbenchError

    store, _ = build_demo(tmp_path / "demo.db")
    CodingSession.start(store, "ana").set_category(store.comments()[1].id, "defining")
    folder, groups = demo_manifest()
    changed = tmp_path / "transcripts"
    changed.mkdir()
    for group in groups:
        for name in (group["file"], group["roster"]):
            (changed / name).write_bytes((folder / name).read_bytes())
    (changed / "demo.toml").write_bytes((folder / "demo.toml").read_bytes())
    first = changed / groups[0]["file"]
    first.write_text(
        first.read_text(encoding="utf-8").replace("Thanks, everyone", "Thank you all"),
        encoding="utf-8",
    )
    monkeypatch.setattr(demo_module, "bundled", lambda name: changed)
    with pytest.raises(WorkbenchError, match=r"(?s)orphan.*workbench demo --rebuild"):
        build_demo(tmp_path / "demo.db")
    rebuilt, reports = build_demo(tmp_path / "demo.db", rebuild=True)
    assert [r.status for r in reports] == ["imported"] * 5 and rebuilt.coders() == []


def test_the_coded_demo_is_a_finished_study(tmp_path, capsys):
    """Two analysts' codings, round 1 before reconciling, and the lead's reasoned decisions."""
    from helpers import run_cli

    code, _, err = run_cli(
        capsys, "demo", "--coded", "--no-ui", "--project", str(tmp_path / "d.db")
    )
    assert code == 0 and "Coded by ana and ben; agreement frozen as round 1" in err
    from workbench.store import Store

    store = Store.open(tmp_path / "d.db")
    [round_1] = store.rounds()
    assert (
        round_1["coders"] == ["ana", "ben"]
        and round_1["report"]["pairs"][0]["category"]["n"] == 122
    )
    agreed = store.coded_comments(store.coder_named("agreed").id)
    assert len(agreed) == 122 and all(r["category"] for r in agreed)
    counts = {
        c: sum(r["category"] == c for r in agreed)
        for c in ("defining", "effective", "ineffective", "benefits")
    }
    assert counts == {
        "defining": 20,
        "effective": 65,
        "ineffective": 23,
        "benefits": 14,
    }  # the study's totals
    decisions = [r for r in store.audit_rows() if r["action"] == "reconcile"]
    assert decisions and all(r["actor"] == "lead" and r["note"] for r in decisions)
    assert all(s["status"] in ("auto", "resolved") for s in store.reconciliations().values())
    code, _, err = run_cli(
        capsys, "demo", "--coded", "--no-ui", "--project", str(tmp_path / "d.db")
    )
    assert "already has codings; left as it is" in err and len(store.rounds()) == 1
