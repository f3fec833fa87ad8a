"""Participants when who said what changes after the import: a corrected transcript that no
longer has a speaker, two labels merged into one speaker, a comment given another speaker, and
the roster's columns in an import's reading (a dry run writes none of them)."""

import pytest
from helpers import run_cli
from participants_fixture import NORTH, build

from workbench.errors import ParticipantError
from workbench.ingest.importer import GroupMeta, read_import
from workbench.project import participants as P
from workbench.project.lifecycle import init_project
from workbench.project.speakers import merge_speakers, set_comment_speaker


@pytest.fixture
def store(tmp_path):
    return build(tmp_path, coded=False)


def _people(store):
    return {p.name: ([s.ref for s in p.speakers], p.values) for p in P.participants(store)}


def test_a_replaced_transcript_keeps_a_speaker_something_is_recorded_about(store, capsys):
    """``transcripts replace``: Bob (age 50) no longer speaks in the corrected file and stays
    with his age; the moderator, of whom nothing is recorded, goes when no longer speaking."""
    fixed = store.path.parent / "north-fixed.txt"
    fixed.write_text(NORTH.replace("Bob:", "Ben:").replace("Moderator:", "Host:"), encoding="utf-8")
    code, _, err = run_cli(capsys, "transcripts", "replace", str(store.path), "FG1.txt", str(fixed))
    assert code == 0, err
    people = _people(store)
    assert people["FG1/Bob"] == (["FG1/Bob"], {"age": "50"})
    assert "FG1/Ben" in people and "FG1/Host" in people and "FG1/Moderator" not in people
    assert people["Ann"][0] == ["FG1/Ann", "FG2/Ann"]  # Ann still speaks: kept, still linked


def test_merging_two_labels_carries_the_values_name_and_links(store):
    set_comment_speaker(store, "FG1-004", "Annie")  # a second label for Ann in FG1
    merge_speakers(store, "FG1", "Ann", "Annie")
    people = _people(store)
    assert people["Ann"] == (["FG1/Annie", "FG2/Ann"], {"condition": "CF", "age": "41"})
    row = [r for r in store.audit_rows() if r["action"] == "merge"][-1]
    assert '"linked": ["FG2/Ann"]' in row["after"] and '"age": "41"' in row["after"]


def test_merging_two_labels_with_different_values_is_refused(store):
    set_comment_speaker(store, "FG1-005", "Robert")
    P.set_values(store, {"age": "51"}, speaker="FG1/Robert")
    before = _people(store)
    with pytest.raises(
        ParticipantError,
        match=r"--merge Bob=Robert: FG1/Bob and FG1/Robert have different age \('50', '51'\)",
    ):
        merge_speakers(store, "FG1", "Bob", "Robert")
    assert _people(store) == before


def test_a_speaker_left_without_comments_stays_if_something_is_recorded(store):
    set_comment_speaker(store, "FG1-003", "Robert")
    set_comment_speaker(store, "FG1-005", "Robert")  # Bob has no comment left, but an age
    assert _people(store)["FG1/Bob"] == (["FG1/Bob"], {"age": "50"})
    assert "(kept: a value, name or link is recorded)" in store.audit_rows()[-1]["note"]
    set_comment_speaker(store, "FG1-003", "Bob")
    set_comment_speaker(store, "FG1-005", "Bob")  # Robert: nothing recorded, so he goes
    assert "FG1/Robert" not in _people(store)


def test_the_roster_columns_are_notes_of_the_reading_and_a_dry_run_declares_none(tmp_path):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "north.txt").write_text(NORTH, encoding="utf-8")
    (tmp_path / "roster.csv").write_text("speaker,role,age\nAnn,Parent,41\nBob,HP,50\n")
    plan = read_import(
        store, [tmp_path / "north.txt"], GroupMeta(name="North"), roster=tmp_path / "roster.csv"
    )
    [report] = plan.reports
    assert report.notes == [
        f"{tmp_path / 'roster.csv'}: column 'age' is a new attribute of participants, number"
    ]
    assert not any("attribute" in w for w in report.warnings)
    assert store.attributes() == [] and store.groups() == []  # nothing written
    from workbench.ingest.plan import format_report

    assert "  note: " + report.notes[0] in format_report(report, dry_run=True)
