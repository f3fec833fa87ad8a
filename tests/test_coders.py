"""Coders can be listed, renamed and removed; backups are consistent and taken before destruction."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import run_cli

from workbench.coding.session import CodingSession
from workbench.demo import build_demo
from workbench.store import Store


@pytest.fixture
def project(tmp_path):
    store, _ = build_demo(tmp_path / "p.db")
    session = CodingSession.start(store, "ana")
    for comment in [c for c in store.comments() if not c.excluded][:3]:
        session.set_category(comment.id, "defining")
    CodingSession.start(store, "typo")
    return tmp_path / "p.db"


def test_list_rename_remove(project, capsys):
    code, out, _ = run_cli(capsys, "coders", "list", str(project), "--format", "json")
    assert [(r["name"], r["kind"], r["codings"]) for r in json.loads(out)] == [
        ("ana", "coder", 3),
        ("typo", "coder", 0),
    ]
    code, out, _ = run_cli(capsys, "coders", "rename", str(project), "ana", "ana_l")
    assert code == 0 and "Renamed ana to ana_l." in out
    store = Store.open(project)
    assert len(store.codings_of(store.coder_named("ana_l").id)) == 3
    code, _, err = run_cli(capsys, "coders", "rename", str(project), "typo", "ana l")
    assert code == 1 and "no spaces" in err
    code, _, err = run_cli(capsys, "coders", "rename", str(project), "typo", "ANA_L")
    assert code == 1 and "looks like the existing coder 'ana_l'" in err
    code, out, _ = run_cli(capsys, "coders", "remove", str(project), "typo")
    assert code == 0 and out.strip() == "Removed typo."
    code, _, err = run_cli(capsys, "coders", "remove", str(project), "ana_l")
    assert code == 1 and "ana_l has 3 coding(s); `--force` removes them too" in err
    assert store.coding_count() == 3
    code, out, _ = run_cli(capsys, "coders", "remove", str(project), "ana_l", "--force")
    assert code == 0 and "Removed ana_l and 3 coding(s); backup: " in out
    backup = out.split("backup: ")[1].strip().rstrip(".")
    assert store.coding_count() == 0 and Store.open(backup).coding_count() == 3
    actions = [(r["action"], r["entity_ref"]) for r in store.audit_rows() if r["entity"] == "coder"]
    assert (
        ("rename", "ana_l") in actions
        and ("remove", "typo") in actions
        and ("remove", "ana_l") in actions
    )
    code, _, err = run_cli(capsys, "coders", "remove", str(project), "agreed")
    assert code == 1 and "no coder 'agreed'" in err


def test_a_backup_is_consistent_while_someone_writes(project, tmp_path, capsys):
    store = Store.open(project)
    other = Store.open(project)
    with other.transaction():  # an uncommitted write in another connection is not in the copy
        other.add_coder("half", "coder")
        copy = store.backup(tmp_path / "copy.db")
    raw = sqlite3.connect(copy)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r[0] for r in raw.execute("SELECT name FROM coders ORDER BY name")] == ["ana", "typo"]
    code, out, _ = run_cli(capsys, "backup", str(project), "--out", str(tmp_path / "b.db"))
    assert code == 0 and Store.open(tmp_path / "b.db").coding_count() == 3
    code, _, err = run_cli(capsys, "backup", str(project), "--out", str(tmp_path / "b.db"))
    assert code == 1 and "exists already" in err


def test_an_overwriting_import_is_backed_up_first(project, tmp_path, capsys):
    sheet = tmp_path / "s.csv"
    sheet.write_text("ref,coder,category\nFG1-002,ana,benefits\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "codings", "import", str(project), str(sheet), "--overwrite")
    assert code == 0 and "The project was backed up first: " in err
    backups = list((tmp_path / "p.db.backups").iterdir())
    assert len(backups) == 1 and "codings-import-s-csv" in backups[0].name
    old = Store.open(backups[0])
    assert (
        old.coding(old.coder_named("ana").id, old.find_ref("FG1-002")[0]).category_key == "defining"
    )


def test_agreement_text_is_not_markdown(tmp_path, capsys):
    from workbench.demo import code_demo

    store, _ = build_demo(tmp_path / "d.db")
    code_demo(store)
    _, text, _ = run_cli(capsys, "agreement", str(tmp_path / "d.db"), "--bootstrap", "0")
    _, md, _ = run_cli(
        capsys, "agreement", str(tmp_path / "d.db"), "--bootstrap", "0", "--format", "md"
    )
    assert text != md and "|" not in text and "| Category |" in md
    assert "Inter-coder agreement\n=====================" in text and "\nCategory " in text
