"""Saying what was read before storing it (issue 19, item 4): `workbench import --dry-run`
prints each file's reading and its first turns as they would be stored and writes nothing;
every import prints its reading; `--format json` for scripts; `--speaker` and `--role`
name labels in any case; roles chosen after reading (the app) are what is written."""

import json

import pytest
from helpers import run_cli

from workbench.errors import RosterError
from workbench.ingest.importer import GroupMeta, import_transcripts, read_import, write_import
from workbench.project.lifecycle import init_project
from workbench.project.status import comment_rows

ISSUE = (
    "Interviewer: What helps you most at clinic?\nP1: Being listened to, honestly.\n"
    "P2: Having the plan written down so I remember it.\nInterviewer: Anything that gets in the "
    "way?\n"
    "p3: When nobody explains the tablets.\n"
)
HEADER = (
    "Proyecto: Salud comunitaria\nFecha: 12/03/2024\nModeradora: Alicia Gómez\n\n"
    "Alicia: Buenos días. ¿Qué os ayuda?\nParticipante 1: Que me escuchen. [risas]\n"
    "Alicia: ¿Y qué lo hace difícil?\nParticipante 2: Las esperas.\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    init_project(tmp_path / "p.db").close()
    (tmp_path / "clinic.txt").write_text(ISSUE)
    (tmp_path / "grupo.txt").write_text(HEADER)
    return tmp_path


def _state(path):
    from workbench.store import Store

    store = Store.open(path)
    try:
        return store.comments(), store.groups(), len(store.audit_rows())
    finally:
        store.close()


def test_dry_run_prints_the_reading_and_first_turns_and_writes_nothing(project, capsys):
    before = _state(project / "p.db")
    code, out, err = run_cli(capsys, "import", "p.db", "grupo.txt", "--dry-run", "--code", "ES")
    assert code == 0 and err == ""
    assert _state(project / "p.db") == before
    assert out.splitlines()[:2] == [
        "grupo.txt → group 'grupo': would be imported (text (Name: text), utf-8)",
        "  4 comments (2 to code, 2 excluded), 3 speakers, 16 words",
    ]
    assert "  label styles read: Name: text" in out
    assert "    Alicia: Facilitator (the header names them), 2 comment(s)" in out
    assert (
        "  set aside, not comments: header block at lines 1-3 (e.g. 'Proyecto: Salud comunitaria')"
        in out
    )
    assert (
        "  annotations kept in the text where they stand: line 6" not in out
    )  # "[risas]" is inline
    assert "    ES-001  line 5  Alicia (Facilitator, not coded): Buenos días. ¿Qué os ayuda?" in out
    assert "    ES-002  line 6  Participante 1: Que me escuchen. [risas]" in out
    assert out.rstrip().endswith("Nothing was written (--dry-run).")


def test_dry_run_json_is_the_reading_for_scripts(project, capsys):
    code, out, _err = run_cli(
        capsys, "import", "p.db", "clinic.txt", "--dry-run", "--format", "json"
    )
    [report] = json.loads(out)
    assert code == 0 and report["written"] is False and report["status"] == "imported"
    assert [(s["label"], s["comments"], s["role"]) for s in report["speakers"]] == [
        ("Interviewer", 2, "Facilitator"),
        ("P1", 1, None),
        ("P2", 1, None),
        ("p3", 1, None),
    ]
    assert [r["ref"] for r in report["preview"]] == [
        "FG1-001",
        "FG1-002",
        "FG1-003",
        "FG1-004",
        "FG1-005",
    ]
    assert report["styles"] == ["Name: text"] and report["set_aside"] == []
    assert _state(project / "p.db")[0] == []


def test_the_issues_example_takes_its_roles_and_p3_speaks(project, capsys):
    code, out, err = run_cli(
        capsys, "import", "p.db", "clinic.txt", "--role", "p3=Parent", "--role", "P1=teen"
    )
    assert code == 0, err
    assert "    p3: Parent (from --role), 1 comment(s)" in out and "4 speakers" in out
    rows = comment_rows(
        __import__("workbench.store", fromlist=["Store"]).Store.open(project / "p.db")
    )
    assert [(r["speaker"], r["role"], r["excluded"]) for r in rows] == [
        ("Interviewer", "Facilitator", True),
        ("P1", "Teen", False),
        ("P2", None, False),
        ("Interviewer", "Facilitator", True),
        ("p3", "Parent", False),
    ]


def test_role_and_speaker_names_are_labels_in_any_case(project, capsys):
    (project / "mixed.txt").write_text(
        "Moderator: Hi.\nli  wei: Hello.\nModerator: Why?\nLI WEI: Because.\nQuestion: Really?\n"
    )
    code, out, err = run_cli(
        capsys,
        "import",
        "p.db",
        "mixed.txt",
        "--speaker",
        "question",
        "--role",
        "Li Wei=Parent",
        "--dry-run",
    )
    assert code == 0, err
    assert (
        "    Li Wei: Parent (from --role), 2 comment(s)" in out
        and "    question: no role, 1 comment(s)" in out
    )


def test_a_later_file_of_the_same_group_previews_the_refs_it_will_take(project, capsys):
    assert run_cli(capsys, "import", "p.db", "clinic.txt", "--group", "Clinic")[0] == 0
    (project / "clinic2.txt").write_text("Interviewer: One more?\nP1: Yes.\n")
    _code, out, _err = run_cli(
        capsys, "import", "p.db", "clinic2.txt", "--group", "Clinic", "--dry-run"
    )
    assert "    FG1-006  line 1  Interviewer (Facilitator, not coded): One more?" in out


def test_every_import_prints_its_reading(project, capsys):
    code, out, _err = run_cli(capsys, "import", "p.db", "grupo.txt")
    assert code == 0 and out.startswith(
        "grupo.txt → group 'grupo': imported (text (Name: text), utf-8)"
    )
    assert "set aside, not comments: header block" in out and "first turns" not in out


def test_roles_chosen_after_reading_are_written_and_checked(project):
    from workbench.store import Store

    store = Store.open(project / "p.db")
    plan = read_import(store, [project / "clinic.txt"], GroupMeta(name="Clinic"))
    assert store.comments() == [] and [s.role for s in plan.reports[0].speakers] == [
        "Facilitator",
        None,
        None,
        None,
    ]
    with pytest.raises(RosterError, match=r"role for 'P9': no speaker 'P9' in these files"):
        write_import(store, plan, {"P9": "Teen"})
    with pytest.raises(RosterError, match=r"role for 'P1': unknown role 'Doctor'"):
        write_import(store, plan, {"P1": "Doctor"})
    assert store.comments() == []
    [report] = write_import(store, plan, {"P1": "teen", "p3": "Parent"})
    assert report.written and {s.label: (s.role, s.role_source) for s in report.speakers} == {
        "Interviewer": ("Facilitator", "label"),
        "P1": ("Teen", "chosen"),
        "P2": (None, ""),
        "p3": ("Parent", "chosen"),
    }
    assert [c.role for c in store.comments()] == [
        "Facilitator",
        "Teen",
        None,
        "Facilitator",
        "Parent",
    ]


def test_a_file_imported_by_someone_else_after_reading_is_not_written_twice(project):
    from workbench.errors import TranscriptError
    from workbench.store import Store

    store = Store.open(project / "p.db")
    plan = read_import(store, [project / "clinic.txt"])
    import_transcripts(Store.open(project / "p.db"), [project / "clinic.txt"])  # another window
    with pytest.raises(
        TranscriptError, match=r"clinic\.txt: imported by someone else since it was read"
    ):
        write_import(store, plan)
    assert len(store.comments()) == 5


def test_the_demo_reads_as_before(tmp_path):
    from workbench.demo import build_demo

    store, reports = build_demo(tmp_path / "demo.db")
    assert [(r.comments, r.codable) for r in reports] == [
        (22, 16),
        (47, 40),
        (31, 26),
        (19, 15),
        (30, 25),
    ]
    assert sum(r.codable for r in reports) == 122
    assert [r.warnings for r in reports] == [[]] * 5 and all(r.written for r in reports)
    assert [r.styles for r in reports] == [
        ["Name: text"],
        ["Otter"],
        ["Otter"],
        [],
        ["labels on their own lines"],
    ]
