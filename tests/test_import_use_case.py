"""Importing files is one use case (`ingest.importer.import_transcripts`: read, then write
unless a dry run) that `workbench import` and `workbench.api.import_transcripts` both call;
the app's import screen runs its two halves with the roles chosen between them."""

import pytest
from helpers import run_cli

import workbench.api as wb
from workbench.errors import TranscriptError
from workbench.ingest import importer
from workbench.ingest.importer import GroupMeta, import_transcripts, read_import, write_import
from workbench.project.lifecycle import init_project

TRANSCRIPT = """\
Facilitator: Welcome. What does working together on care mean to you?

Dr. Amira Patel: It means I stop deciding alone. We plan the visit together.

Ruth: I feel heard when she asks about my week, not just my lungs.

Dr. Amira Patel: And we share the same numbers on the screen.
"""


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fg1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    return init_project(tmp_path / "p.db")


def test_a_dry_run_reads_as_the_import_would_and_writes_nothing(store, tmp_path):
    meta = GroupMeta(name="Health professionals", kind="individual")
    [dry] = import_transcripts(store, [tmp_path / "fg1.txt"], meta, dry_run=True)
    assert store.groups() == [] and store.transcripts() == [] and not dry.written
    assert dry.preview and dry.preview[0]["ref"].endswith("001")
    [done] = import_transcripts(store, [tmp_path / "fg1.txt"], meta)
    assert done.written and done.status == "imported"
    assert (done.group, done.comments, [s.label for s in done.speakers]) == (
        dry.group,
        dry.comments,
        [s.label for s in dry.speakers],
    )
    assert [g.name for g in store.groups()] == ["Health professionals"]


def test_the_two_halves_with_roles_chosen_between_them(store, tmp_path):
    plan = read_import(store, [tmp_path / "fg1.txt"], GroupMeta(name="FG"))
    assert store.transcripts() == []
    [report] = write_import(store, plan, {"Ruth": "pwchc"})
    roles = {s.label: (s.role, s.role_source) for s in report.speakers}
    assert roles["Ruth"] == ("PwCHC", "chosen")


def test_the_command_line_and_the_api_call_the_one_use_case(store, tmp_path, monkeypatch, capsys):
    calls = []
    real = importer.import_transcripts

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_transcripts", spy)
    code, out, err = run_cli(capsys, "import", "p.db", "fg1.txt", "--dry-run", "--force")
    assert code == 0, err
    assert "Nothing was written (--dry-run)." in out
    assert calls[-1][-2:] == (True, True)  # force, dry_run
    [report] = wb.import_transcripts(store, [tmp_path / "fg1.txt"], group="FG", dry_run=True)
    assert not report.written and calls[-1][-2:] == (False, True)
    assert store.transcripts() == []


def test_the_api_can_import_a_corrected_copy_with_force_like_the_command(store, tmp_path):
    wb.import_transcripts(store, [tmp_path / "fg1.txt"], group="FG1")
    (tmp_path / "fg1-v2.txt").write_text(TRANSCRIPT + "\nRuth: Yes.\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="add --force"):
        wb.import_transcripts(store, [tmp_path / "fg1-v2.txt"], group="FG2")
    [report] = wb.import_transcripts(store, [tmp_path / "fg1-v2.txt"], group="FG2", force=True)
    assert report.written and len(store.transcripts()) == 2
