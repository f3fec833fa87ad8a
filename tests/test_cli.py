"""The command line contract: init, import, status, comments, speakers, roles, codebook."""

import csv
import io
import json
import subprocess
import sys

import pytest
from helpers import run_cli

TRANSCRIPT = """\
[00:00:05] Facilitator: What does coproduction mean to you?
[00:00:12] Dr. Amira Patel: Planning the visit together, before the visit.
[00:00:30] Ruth: Being asked what matters to me. And being listened to.
"""


run = run_cli


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fg1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert run(capsys, "init", "p.db")[0] == 0
    code, out, err = run(
        capsys,
        "import",
        "p.db",
        "fg1.txt",
        "--group",
        "Health professionals",
        "--kind",
        "individual",
        "--date",
        "2025-03-04",
        "--role",
        "Dr. Amira Patel=HP",
        "--role",
        "Ruth=PwCHC",
    )
    assert code == 0, err
    assert (
        "fg1.txt → group 'Health professionals': imported (text (timestamped labels), utf-8)" in out
    )
    assert "3 comments (2 to code, 1 excluded), 3 speakers, 23 words" in out
    return tmp_path


def test_status_text_and_json(project, capsys):
    code, out, _ = run(capsys, "status", "p.db")
    assert code == 0
    assert "Codebook: 'Coproduction of healthcare' 1.0" in out
    assert "FG1   Health professionals  individual  2025-03-04" in out
    code, out, _ = run(capsys, "status", "p.db", "--format", "json")
    data = json.loads(out)
    assert data["codebook"]["themes"] == 14 and data["codebook"]["categories"] == 4
    [group] = data["groups"]
    assert (group["code"], group["comments"], group["codable"], group["speakers"]) == (
        "FG1",
        3,
        2,
        3,
    )
    assert data["speakers_without_role"] == [] and data["coders"] == [] and data["coded"] == {}


def test_comments_in_every_format(project, capsys):
    code, out, _ = run(capsys, "comments", "p.db", "--format", "json")
    rows = json.loads(out)
    assert [r["ref"] for r in rows] == ["FG1-001", "FG1-002", "FG1-003"]
    assert rows[1] == {
        "ref": "FG1-002",
        "group": "Health professionals",
        "order": 2,
        "speaker": "Dr. Amira Patel",
        "role": "HP",
        "excluded": False,
        "text": "Planning the visit together, before the visit.",
        "words": 7,
        "start": 12.0,
        "end": None,
        "no_speaker": False,
    }
    code, out, _ = run(capsys, "comments", "p.db", "--format", "csv", "--group", "FG1")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["speaker"] for r in table] == ["Facilitator", "Dr. Amira Patel", "Ruth"]
    assert table[0]["excluded"] == "True" and table[2]["role"] == "PwCHC"
    code, out, _ = run(capsys, "comments", "p.db")
    assert "FG1-001  Facilitator (Facilitator) · excluded · 6 words" in out
    assert "    Being asked what matters to me. And being listened to." in out
    code, _, err = run(capsys, "comments", "p.db", "--group", "nope")
    assert code == 1 and "no such focus group (groups: Health professionals)" in err


def test_speakers_roles_and_codebook_commands(project, capsys):
    code, out, _ = run(capsys, "speakers", "p.db", "--group", "FG1", "--set", "Ruth=Parent")
    assert code == 0 and "Ruth" in out and "Parent" in out
    code, out, _ = run(capsys, "roles", "p.db", "--add", "Sibling", "Sibling of a patient")
    assert code == 0 and "Sibling of a patient" in out
    code, _, err = run(capsys, "roles", "p.db", "--add", "HP", "Doctor")
    assert code == 1 and "already exists" in err
    code, out, _ = run(capsys, "codebook", "p.db")
    assert "Recognize other's expertise" in out and "Pre-visit planning" in out
    code, out, _ = run(capsys, "codebook", "p.db", "--format", "toml")
    assert out.startswith("# Codebook of the coproduction focus group study")


def test_import_json_report(project, capsys):
    (project / "fg2.vtt").write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nSam: We agree on a goal.\n\n"
        "2\n00:00:03.000 --> 00:00:05.000\nSam: Then we check it.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", "p.db", "fg2.vtt", "--format", "json")
    [report] = json.loads(out)
    assert (report["group"], report["status"], report["comments"], report["format"]) == (
        "fg2",
        "imported",
        1,
        "webvtt (zoom)",
    )
    assert report["speakers"] == [{"label": "Sam", "role": None, "comments": 1, "role_source": ""}]


def test_help_is_fast_and_lists_the_contract_commands():
    out = subprocess.run(
        [sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("init", "import", "status", "comments", "demo"):
        assert f"\n  {command} " in out


def test_audit_in_every_format(project, capsys, tmp_path):
    code, out, _ = run(capsys, "audit", "p.db")
    assert code == 0 and "import transcript FG1/fg1.txt" in out
    code, out, _ = run(capsys, "audit", "p.db", "--format", "json", "--action", "import")
    [entry] = json.loads(out)
    assert entry["after"]["comments"] == 3 and entry["entity_ref"] == "FG1/fg1.txt"
    code, out, _ = run(capsys, "audit", "p.db", "--format", "csv", "--out", "audit.csv")
    rows = list(csv.DictReader((project / "audit.csv").open(encoding="utf-8")))
    assert [r["action"] for r in rows][:1] == ["migrate"] and "Wrote" in out


def test_status_shows_each_coders_progress_and_the_agreed_coding(project, capsys):
    from workbench.coding.session import CodingSession
    from workbench.exchange.sheets import import_sheet
    from workbench.store import Store

    store = Store.open(project / "p.db")
    CodingSession.start(store, "ana").set_category(store.comments()[1].id, "defining")
    (project / "agreed.csv").write_text("ref,category\nFG1-002,defining\nFG1-003,benefits\n")
    import_sheet(store, project / "agreed.csv", agreed=True)
    code, out, _ = run(capsys, "status", "p.db")
    assert "Coders: ana (1/2 coded)" in out and "Agreed coding: 2/2 comments" in out
