"""Agreement rounds (an identical freeze refused, a round removed), codebook versions (a new one
for every change, cited where the coding is reported) and new coder names (issue 20)."""

import json

import pytest
from helpers import copy_project, run_cli

from workbench.agreement.reliability import project_agreement
from workbench.agreement.rounds import freeze_round, unfreeze_round
from workbench.coding.coder import NewCoderName, check_new, one_edit_apart
from workbench.coding.session import CodingSession
from workbench.errors import CodebookError, WorkbenchError
from workbench.project.codebook import load_codebook
from workbench.project.lifecycle import install_codebook
from workbench.project.resources import default_codebook
from workbench.project.versions import cite, next_version, versions_used
from workbench.reports.methods import methods_paragraph


@pytest.fixture
def store(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


# -- rounds ------------------------------------------------------------------------------


def test_a_freeze_with_nothing_changed_is_refused_and_a_round_can_be_removed(store):
    assert [r["number"] for r in store.rounds()] == [1]
    with pytest.raises(
        WorkbenchError, match=r"this report is identical to round 1 .*nothing was frozen"
    ):
        freeze_round(store, project_agreement(store, bootstrap=0), actor="lead")
    assert len(store.rounds()) == 1
    item = next(c for c in store.comments() if not c.excluded)
    CodingSession.start(store, "ana").set_category(item.id, "benefits", drop_themes=True)
    assert freeze_round(store, project_agreement(store, bootstrap=0), actor="lead") == 2
    removed = unfreeze_round(store, 2, actor="lead")
    assert removed.label == "round 2" and [r["number"] for r in store.rounds()] == [1]
    row = store.audit_rows()[-1]
    assert (row["action"], row["entity"], row["entity_ref"], row["actor"]) == (
        "unfreeze",
        "agreement_round",
        "2",
        "lead",
    )
    assert json.loads(row["before"])["headline"].startswith("Before reconciliation (round 2")
    with pytest.raises(WorkbenchError, match=r"--unfreeze 2: no agreement round 2 \(rounds: 1\)"):
        unfreeze_round(store, 2)


def test_numbers_go_on_after_a_removed_round(store, capsys):
    code, out, _ = run_cli(capsys, "agreement", str(store.path), "--unfreeze", "1")
    assert code == 0 and out.startswith(
        "Removed agreement round 1 (round 1: before reconciling, frozen "
    )
    assert freeze_round(store, project_agreement(store, bootstrap=0), actor="lead") == 1
    item = next(c for c in store.comments() if not c.excluded)
    CodingSession.start(store, "ben").set_category(item.id, "benefits", drop_themes=True)
    assert freeze_round(store, project_agreement(store, bootstrap=0), actor="lead") == 2
    assert [r["label"] for r in store.rounds()] == ["round 1", "round 2"]


# -- codebook versions ------------------------------------------------------------------


def test_next_version():
    assert [next_version(v) for v in ("1.0", "1", "1.2.9", "v2", "draft", "2024-1")] == [
        "1.1",
        "2",
        "1.2.10",
        "v3",
        "draft.1",
        "2024-2",
    ]


def _edited(text: str, tmp_path):
    path = tmp_path / "book.toml"
    path.write_text(
        default_codebook()
        .read_text(encoding="utf-8")
        .replace('name = "Listening"', f'name = "{text}"'),
        encoding="utf-8",
    )
    return path


def test_a_changed_codebook_gets_a_version_of_its_own_and_the_coding_cites_its_versions(
    store, tmp_path, capsys
):
    path = _edited("Listening well", tmp_path)
    code, out, err = run_cli(capsys, "codebook", str(store.path), "--replace", str(path), "--force")
    assert code == 0, err
    assert (
        "version 1.1 from" in out
        and "(the file says 1.0, the version of a codebook this project used "
        "already; --version sets another)"
    ) in out
    assert (
        store.active_codebook()["version"] == "1.1"
        and 'version = "1.1"' in store.active_codebook()["content"]
    )
    assert load_codebook(path).version == "1.0"  # the user's file is never written
    with pytest.raises(
        CodebookError, match="--version 1.0: another codebook of this project has that version"
    ):
        install_codebook(
            store,
            load_codebook(_edited("Listening, really", tmp_path)),
            "b.toml",
            True,
            version="1.0",
        )
    # The agreed coding was made with 1.0; a comment agreed again now is 1.1's.
    assert [(u["version"], u["codings"]) for u in versions_used(store)] == [("1.0", 122)]
    item = next(c for c in store.comments() if not c.excluded)
    from workbench.coding.session import Coding
    from workbench.reconcile.project import correct_agreed

    correct_agreed(store, item.id, Coding("benefits"), "re-read under 1.1", "lead")
    used = versions_used(store)
    assert [(u["version"], u["codings"]) for u in used] == [("1.0", 121), ("1.1", 1)]
    assert cite(used) == "versions 1.0 (121 codings) and 1.1 (1 coding)"
    assert (
        "(codebook “Coproduction of healthcare”, versions 1.0 (121 codings) and 1.1 (1 coding))"
        in methods_paragraph(store)
    )
    code, out, _ = run_cli(capsys, "status", str(store.path))
    assert (
        "Codebook versions the coding used: agreed versions 1.0 (121 codings) and 1.1 (1 coding); "
        "ana version "
        "1.0; ben version 1.0" in out
    )
    code, out, _ = run_cli(
        capsys,
        "report",
        str(store.path),
        "--table",
        "themes",
        "--out",
        str(tmp_path / "t.md"),
        "--provisional",
    )
    assert (
        "codebook Coproduction of healthcare, versions 1.0 (121 codings) and 1.1 (1 coding))" in out
    )
    assert store.report_runs()[-1]["parameters"]["codebook"].endswith("and 1.1 (1 coding)")


# -- coder names ---------------------------------------------------------------------------


def test_one_edit_apart():
    assert (
        one_edit_apart("ana", "anna")
        and one_edit_apart("ana", "ava")
        and one_edit_apart("bne", "ben")
    )
    assert (
        one_edit_apart("Ana", "an")
        and not one_edit_apart("ana", "ana")
        and not one_edit_apart("ana", "ben")
    )


def test_a_new_name_starts_a_coder_only_when_asked_and_a_near_one_is_pointed_out(
    store, capsys, monkeypatch
):
    assert check_new(store, "Ana") == ("ana", "")  # as the project spells it
    with pytest.raises(NewCoderName) as refused:
        check_new(store, "anna")
    assert refused.value.coders == ["ana", "ben"] and refused.value.near == ["ana"]
    assert check_new(store, "anna", new=True) == (
        "anna",
        "'anna' is one letter away from the coder 'ana' (a typo?)",
    )
    assert check_new(store, "cai", new=True) == ("cai", "")
    opened = []
    monkeypatch.setattr(
        "workbench.cli.coding.run_app", lambda store, coder, mode=None: opened.append(coder)
    )
    code, _, err = run_cli(capsys, "code", str(store.path), "--coder", "anna")
    assert code == 1 and "to start a new coder 'anna', add --new" in err and opened == []
    code, _, err = run_cli(capsys, "code", str(store.path), "--coder", "anna", "--new")
    assert (
        code == 0
        and opened == ["anna"]
        and err == "note: 'anna' is one letter away from the coder 'ana' (a typo?)\n"
    )
    assert store.coder_named("anna") is None  # the app creates it when coding starts
