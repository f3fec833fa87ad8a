"""Fixing what was read (issue 19, item 5): `workbench speakers` renames a label, merges two
labels into one speaker and sets the speaker of one comment, audited; a coded comment changes
speaker only with --force, which keeps its codings and records whose they are. The same from
the app's whole-transcript view (Pilot), through the same use cases."""

import json

import pytest
from helpers import copy_project, run_cli
from pilot import ready

from workbench.coding.session import CodingSession
from workbench.errors import ProjectError, RosterError
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project import speakers as fix
from workbench.project.lifecycle import init_project

TEXT = (
    "Interviewer: What helps you most at clinic?\nP1: Being listened to.\nMARIA: Having the plan.\n"
    "Interviewer: Anything that gets in the way?\nP1: When nobody explains the tablets.\n"
    "Maria: The waiting.\nCRAIG BREADEN: Thank you all.\nBREADEN: One more thing.\n"
)


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "clinic.txt").write_text(TEXT)
    import_transcripts(store, [tmp_path / "clinic.txt"], GroupMeta(name="Clinic"))
    return store


def speakers(store):
    return {s.label: (s.role_key, s.comments) for s in store.speakers()}


def test_rename_merge_and_set_one_comments_speaker_each_audited(store):
    assert (
        fix.rename_speaker(store, "Clinic", "p1", "Parent 1").message
        == "renamed 'P1' to 'Parent 1' in FG1 (2 comment(s))"
    )
    merged = fix.merge_speakers(store, "FG1", "Maria", "MARIA")
    assert merged.message == "merged 'Maria' into 'MARIA' in FG1: 1 comment(s) moved"
    fix.merge_speakers(store, "Clinic", "breaden", "CRAIG BREADEN")
    assert (
        fix.set_comment_speaker(store, "fg1-005", "maria").message
        == "FG1-005: speaker 'MARIA' (was 'Parent 1')"
    )
    # A rename keeps the role (none here), whatever the new label says.
    assert speakers(store) == {
        "Interviewer": ("Facilitator", 2),
        "Parent 1": (None, 1),
        "MARIA": (None, 3),
        "CRAIG BREADEN": (None, 2),
    }
    new = fix.set_comment_speaker(store, "FG1-002", "Moderadora")
    assert new.message.endswith("'Moderadora' is a new speaker in FG1")
    assert speakers(store)["Moderadora"] == ("Facilitator", 1) and "Parent 1" not in speakers(store)
    comment = next(c for c in store.comments() if c.ref == "FG1-002")
    assert comment.excluded and comment.excluded_reason == "role Facilitator"  # as an import would
    audit = [
        (r["action"], r["entity_ref"], r["before"], r["after"], r["note"])
        for r in store.audit_rows()[-5:]
    ]
    assert audit[0] == ("rename", "FG1/P1", '"P1"', '"Parent 1"', None)
    assert audit[1][:2] == ("merge", "FG1/Maria") and json.loads(audit[1][3]) == {
        "label": "MARIA",
        "role": None,
    }
    assert audit[-1] == (
        "set_speaker",
        "FG1-002",
        '"Parent 1"',
        '"Moderadora"',
        "new speaker 'Moderadora'; 'Parent 1' has no comment left",
    )


def test_a_coded_comment_changes_speaker_only_with_force_which_keeps_the_codings(store):
    ids = {c.ref: c.id for c in store.comments()}
    session = CodingSession.start(store, "ana")
    session.set_category(ids["FG1-006"], "effective")
    with pytest.raises(
        ProjectError, match=r"^--comment FG1-006: FG1-006 is coded \(by ana\), as words of 'Maria'"
    ):
        fix.set_comment_speaker(store, "FG1-006", "MARIA")
    with pytest.raises(
        ProjectError, match=r"^--merge Maria=MARIA: 1 of the comments of 'Maria' are coded"
    ):
        fix.merge_speakers(store, "FG1", "Maria", "MARIA")
    assert speakers(store)["Maria"] == (None, 1)  # nothing changed
    done = fix.merge_speakers(store, "FG1", "Maria", "MARIA", force=True)
    assert done.coded == 1 and "1 of them coded (codings kept)" in done.message
    assert store.codings_of(store.coder_named("ana").id)[ids["FG1-006"]].category_key == "effective"
    assert store.audit_rows()[-1]["note"] == "forced: 1 coded comment(s), codings by ana kept"
    # A rename moves no words: no force needed even with codings.
    assert fix.rename_speaker(store, "FG1", "MARIA", "Maria Ruiz").coded == 0


def test_what_cannot_be_fixed_is_refused_naming_the_option(store):
    with pytest.raises(
        ProjectError,
        match=r"--rename P1=interviewer: 'Interviewer' already speaks in 'FG1'; "
        r"to make them one speaker, merge them: --merge P1=Interviewer",
    ):
        fix.rename_speaker(store, "FG1", "P1", "interviewer")
    with pytest.raises(RosterError, match=r"--merge Mario=P1: no speaker 'Mario' in 'FG1'"):
        fix.merge_speakers(store, "FG1", "Mario", "P1")
    with pytest.raises(ProjectError, match=r"--merge P1=p1: both name the speaker 'P1'"):
        fix.merge_speakers(store, "FG1", "P1", "p1")
    with pytest.raises(ProjectError, match=r"--group 'FG7': no such focus group"):
        fix.rename_speaker(store, "FG7", "P1", "P2")
    with pytest.raises(
        ProjectError, match=r"--speaker '': a speaker label is 1-100 printable characters"
    ):
        fix.set_comment_speaker(store, "FG1-001", "  ")
    assert (
        fix.set_comment_speaker(store, "FG1-001", "interviewer").message
        == "FG1-001: its speaker is already 'Interviewer'; nothing to do"
    )


def test_the_command(store, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    store.close()
    code, out, err = run_cli(
        capsys,
        "speakers",
        "p.db",
        "--group",
        "Clinic",
        "--merge",
        "Maria=MARIA",
        "--rename",
        "P1=Parent 1",
    )
    assert code == 0, err
    assert out.splitlines()[:2] == [
        "renamed 'P1' to 'Parent 1' in FG1 (2 comment(s))",
        "merged 'Maria' into 'MARIA' in FG1: 1 comment(s) moved",
    ]
    code, out, _err = run_cli(
        capsys, "speakers", "p.db", "--comment", "FG1-008", "--speaker", "craig breaden"
    )
    assert code == 0 and out.startswith("FG1-008: speaker 'CRAIG BREADEN' (was 'BREADEN')")
    assert "BREADEN " not in out.replace("CRAIG BREADEN", "")  # no comment left: gone
    code, _out, err = run_cli(capsys, "speakers", "p.db", "--comment", "FG1-008")
    assert code == 2 and "--comment and --speaker go together" in err
    code, _out, err = run_cli(capsys, "speakers", "p.db", "--merge", "A=B")
    assert code == 2 and "--set, --rename and --merge need --group" in err


# -- the app ----------------------------------------------------------------------------------


@pytest.fixture
def coded(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


async def test_the_lead_fixes_a_speaker_from_the_whole_transcript(coded):
    from workbench.ui.app import create_app
    from workbench.ui.dialogs import Choose, Confirm, Prompt
    from workbench.ui.transcript import TranscriptScreen

    app = create_app(coded)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "j", "j", "s")
        assert isinstance(app.screen, Choose)
        await pilot.press("1")
        assert (
            isinstance(app.screen, Prompt)
            and "speakers of FG1: Facilitator" in app.screen.title_text
        )
        await pilot.press(*"dr. amira patel", "enter")
        await pilot.pause()
        assert (
            isinstance(app.screen, Confirm)
            and "FG1-003 is coded by ana, ben, the agreed coding" in app.screen.question
        )
        await pilot.press("y")
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        assert (screen.current.ref, screen.current.speaker) == ("FG1-003", "Dr. Amira Patel")
        assert coded.audit_rows()[-1]["action"] == "set_speaker"
        await pilot.press("s", "2")  # rename Dr. Amira Patel, everywhere
        await pilot.press(*["backspace"] * 20, *"Dr Patel", "enter")
        await ready(pilot)
        assert screen.current.speaker == "Dr Patel"
        assert "Dr Patel" in {s.label for s in coded.speakers()}


async def test_a_coding_session_does_not_fix_speakers(coded):
    from workbench.ui.app import create_app

    app = create_app(coded, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")  # from the coding screen, the whole transcript
        await ready(pilot)
        assert type(app.screen).__name__ == "TranscriptScreen"
        assert not app.screen.check_action("speaker", ())
        before = len(coded.audit_rows())
        await pilot.press("s")
        await ready(pilot)
        assert type(app.screen).__name__ == "TranscriptScreen" and len(coded.audit_rows()) == before
