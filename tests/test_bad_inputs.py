"""Every row of docs/bad-inputs.md: the command fails with exactly that message,
exit status 1, and leaves the project as it was."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import documented, run

TRANSCRIPT = "Facilitator: Welcome.\n\nDr. Patel: We plan together.\n\nRuth: She listens.\n"
CODEBOOK = """[codebook]
name = "Team"

[[category]]
key = "barrier"
name = "Barrier"
shortcut = "1"
takes_themes = true

[[theme]]
key = "cost"
name = "Cost"
shortcut = "c"
definition = "Money"
"""


def _project(tmp):
    assert run("init", "p.db") == 0
    return ["import", "p.db"]


def case_empty(tmp):
    (tmp / "empty.txt").write_bytes(b"")
    return [*_project(tmp), "empty.txt"]


def case_binary(tmp):
    (tmp / "noise.txt").write_bytes(bytes(range(256)) * 8)
    return [*_project(tmp), "noise.txt"]


def case_damaged_pdf(tmp):
    (tmp / "notes.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")  # cut off
    return [*_project(tmp), "notes.pdf"]


def case_scanned_pdf(tmp):
    from pdf_fixture import make_pdf

    (tmp / "scan.pdf").write_bytes(make_pdf([[], []]))  # pages, but no text layer
    return [*_project(tmp), "scan.pdf"]


def case_undecodable(tmp):
    (tmp / "legacy.txt").write_bytes(b"Ann: fine\nBob: caf\x81\x8d here\n")
    return [*_project(tmp), "legacy.txt"]


def case_wrong_encoding(tmp):
    (tmp / "word.txt").write_bytes("Ann: “We listened.”\n".encode("cp1252"))
    return [*_project(tmp), "word.txt", "--encoding", "utf-8"]


def case_no_structure(tmp):
    (tmp / "numbers.txt").write_text("12 34 56\n\n--- 78 ---\n")
    return [*_project(tmp), "numbers.txt"]


def case_csv_as_transcript(tmp):
    (tmp / "table.csv").write_text(
        "ref,coder,category\nFG1-001,ana,effective\nFG1-002,ana,defining\n"
    )
    return [*_project(tmp), "table.csv"]


def case_empty_vtt(tmp):
    (tmp / "empty.vtt").write_text("WEBVTT\n\nNOTE nothing was said\n")
    return [*_project(tmp), "empty.vtt"]


def _roster(tmp, text):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    (tmp / "roster.csv").write_text(text)
    return [*_project(tmp), "fg1.txt", "--roster", "roster.csv"]


def case_roster_unknown_speaker(tmp):
    return _roster(tmp, "speaker,role\nRuth,PwCHC\nDr Patel,HP\n")


def case_roster_unknown_role(tmp):
    return _roster(tmp, "speaker,role\nDr. Patel,Doctor\n")


def case_roster_bad_header(tmp):
    return _roster(tmp, "name,job\nDr. Patel,HP\n")


def case_roster_same_speaker_twice(tmp):
    return _roster(tmp, "speaker,role\nRuth,PwCHC\nDr. Patel,HP\nruth,Parent\n")


def _codebook(tmp, text):
    (tmp / "team.toml").write_text(text)
    return ["init", "p.db", "--codebook", "team.toml"]


def case_codebook_unknown_field(tmp):
    return _codebook(tmp, CODEBOOK.replace("definition =", "defintion ="))


def case_codebook_duplicate_shortcut(tmp):
    return _codebook(tmp, CODEBOOK + '\n[[theme]]\nkey = "time"\nname = "Time"\nshortcut = "c"\n')


def case_codebook_missing_name(tmp):
    return _codebook(tmp, CODEBOOK.replace('name = "Barrier"\n', ""))


def case_no_project(tmp):
    return ["status", "missing.db"]


def case_changed_coded_transcript(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    from workbench.store import Store

    store = Store.open(tmp / "p.db")
    with store.transaction() as conn:
        conn.execute("INSERT INTO coders (name, created_at) VALUES ('ana', 'now')")
        conn.execute(
            "INSERT INTO codings (comment_id, coder_id, category_key, updated_at) "
            "VALUES (2, 1, 'effective', 'now')"
        )
    (tmp / "fg1.txt").write_text(TRANSCRIPT.replace("listens", "listens well"))
    return ["import", "p.db", "fg1.txt"]


def case_saturation_too_few_groups(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    return ["saturation", "p.db"]


def case_training_without_gold(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    return ["training", "p.db", "--mark", "FG1-002", "--as", "lead"]


def case_retest_sample_too_large(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    (tmp / "ana.csv").write_text("ref,coder,category\nFG1-002,ana,defining\nFG1-003,ana,benefits\n")
    assert run("codings", "import", "p.db", "ana.csv") == 0
    return ["retest", "p.db", "--coder", "ana", "--draw", "5"]


def case_codebook_is_qdc(tmp):
    (tmp / "book.qdc").write_text(
        '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>\n'
    )
    return ["init", "p.db", "--codebook", "book.qdc"]


def case_output_is_project(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    return ["export", "qdpx", "p.db", "--out", "p.db"]


def case_output_not_ours(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    (tmp / "notes.csv").write_text("my notes, not to be lost\n")
    return ["codings", "export", "p.db", "--agreed", "--out", "notes.csv"]


def case_theme_quotes_unknown_theme(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    (tmp / "agreed.csv").write_text("ref,category\nFG1-002,defining\nFG1-003,benefits\n")
    assert run("codings", "import", "p.db", "agreed.csv", "--agreed") == 0
    return ["report", "p.db", "--table", "theme-quotes", "--theme", "trust"]


def case_memos_without_agreed_coding(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    return ["memos", "p.db"]


def case_precode_target_out_of_range(tmp):
    _project(tmp)
    return ["suggest", "precode", "p.db", "--target-kappa", "0.97"]


def case_serve_no_users(tmp):
    _project(tmp)
    return ["serve", "p.db"]


def case_serve_open_interface(tmp):
    _project(tmp)
    return ["serve", "p.db", "--host", "0.0.0.0"]


def case_serve_apps_per_user(tmp):
    _project(tmp)
    return ["serve", "p.db", "--apps-per-user", "40"]


def case_serve_caps_conflict(tmp):
    _project(tmp)
    return ["serve", "p.db", "--max-connections", "10"]


def case_user_bad_name(tmp):
    _project(tmp)
    return ["users", "add", "p.db", "ana maria", "--role", "coder"]


def _with_attributes(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    (tmp / "roster.csv").write_text("speaker,role,age\nDr. Patel,HP,51\nRuth,PwCHC,34\n")
    assert run(*_project(tmp), "fg1.txt", "--roster", "roster.csv") == 0


def case_roster_attribute_bad_cell(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    (tmp / "roster.csv").write_text(
        "speaker,role,age\nFacilitator,Facilitator,60\nDr. Patel,HP,51\nRuth,PwCHC,thirty\n"
    )
    return [*_project(tmp), "fg1.txt", "--roster", "roster.csv"]


def case_roster_attribute_of_groups(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    _project(tmp)
    assert run("participants", "attribute", "p.db", "site", "--of", "group") == 0
    (tmp / "roster.csv").write_text("speaker,role,site\nDr. Patel,HP,Leeds\n")
    return ["import", "p.db", "fg1.txt", "--roster", "roster.csv"]


def case_attribute_bad_value(tmp):
    _with_attributes(tmp)
    return ["participants", "set", "p.db", "FG1/Ruth", "age=old"]


def case_attribute_wrong_owner(tmp):
    _with_attributes(tmp)
    assert run("participants", "attribute", "p.db", "site", "--of", "group") == 0
    return ["participants", "set", "p.db", "FG1/Ruth", "site=Leeds"]


def case_attribute_no_speaker(tmp):
    _with_attributes(tmp)
    return ["participants", "set", "p.db", "FG1/Rut", "age=35"]


def case_attribute_change_does_not_fit(tmp):
    _with_attributes(tmp)
    return ["participants", "attribute", "p.db", "age", "--type", "choice", "--choices", "34,35"]


def case_link_one_group(tmp):
    _with_attributes(tmp)
    return ["participants", "link", "p.db", "FG1/Ruth", "FG1/Dr. Patel"]


def case_link_disagreeing_values(tmp):
    _with_attributes(tmp)
    (tmp / "fg2.txt").write_text("Facilitator: Hello again.\n\nRuth: Still here.\n")
    assert run("import", "p.db", "fg2.txt") == 0
    assert run("participants", "set", "p.db", "FG2/Ruth", "age=35") == 0
    return ["participants", "link", "p.db", "FG1/Ruth", "FG2/Ruth"]


def case_participant_sheet_problems(tmp):
    _with_attributes(tmp)
    (tmp / "people.csv").write_text("group,speaker,participant,age\nFG1,Ruth,,35\nFG1,Rut,,40\n")
    return ["participants", "import", "p.db", "people.csv"]


def case_speakers_merge_different_values(tmp):
    _with_attributes(tmp)
    return ["speakers", "p.db", "--group", "fg1", "--merge", "Ruth=Dr. Patel"]


def case_speakers_merge_linked_elsewhere(tmp):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    (tmp / "fg2.txt").write_text(TRANSCRIPT.replace("Welcome.", "Welcome back."))
    assert run("import", "p.db", "fg2.txt", "--force") == 0
    for label in ("Ruth", "Dr. Patel"):
        assert run("participants", "link", "p.db", f"FG1/{label}", f"FG2/{label}") == 0
    return ["speakers", "p.db", "--group", "fg1", "--merge", "Ruth=Dr. Patel"]


def case_where_unknown_attribute(tmp):
    _with_attributes(tmp)
    return ["agreement", "p.db", "--where", "height>2"]


def case_by_unknown_attribute(tmp):
    _with_attributes(tmp)
    (tmp / "agreed.csv").write_text("ref,category\nFG1-002,defining\nFG1-003,benefits\n")
    assert run("codings", "import", "p.db", "agreed.csv", "--agreed") == 0
    return ["report", "p.db", "--table", "themes", "--by", "height"]


# -- correcting a project (transcripts, rounds, coders, codebook versions) ------------------


def _imported(tmp, sheet: str | None = None):
    (tmp / "fg1.txt").write_text(TRANSCRIPT)
    assert run(*_project(tmp), "fg1.txt") == 0
    if sheet:
        (tmp / "codes.csv").write_text("ref,coder,category\n" + sheet)
        assert run("codings", "import", "p.db", "codes.csv") == 0


def case_import_near_duplicate(tmp):
    _imported(tmp)
    (tmp / "fg1-corrected.txt").write_text(TRANSCRIPT + "\n")
    return ["import", "p.db", "fg1-corrected.txt"]


def case_remove_coded_transcript(tmp):
    _imported(tmp, "FG1-002,ana,defining\n")
    return ["transcripts", "remove", "p.db", "fg1.txt"]


def case_replace_drops_coded(tmp):
    _imported(tmp, "FG1-003,ana,benefits\n")
    (tmp / "fixed.txt").write_text(
        "Facilitator: Welcome.\n\nDr. Patel: We plan together, always.\n"
    )
    return ["transcripts", "replace", "p.db", "fg1.txt", "fixed.txt"]


def case_replace_same_file(tmp):
    _imported(tmp)
    return ["transcripts", "replace", "p.db", "fg1.txt", "fg1.txt"]


def case_transcript_unknown(tmp):
    _imported(tmp)
    return ["transcripts", "remove", "p.db", "fg9.txt"]


def case_group_edit_bad_date(tmp):
    _imported(tmp)
    return ["groups", "edit", "p.db", "FG1", "--date", "18/03/2024"]


def case_code_new_coder(tmp):
    _imported(tmp, "FG1-002,ana,defining\n")
    return ["code", "p.db", "--coder", "anna"]


def case_freeze_identical_round(tmp):
    _imported(
        tmp,
        "FG1-002,ana,defining\nFG1-003,ana,benefits\nFG1-002,ben,defining\nFG1-003,ben,defining\n",
    )
    assert run("agreement", "p.db", "--freeze", "--bootstrap", "0") == 0
    return ["agreement", "p.db", "--freeze", "--bootstrap", "0"]


def case_unfreeze_unknown_round(tmp):
    _imported(tmp)
    return ["agreement", "p.db", "--unfreeze", "3"]


def case_codebook_version_taken(tmp):
    _project(tmp)
    _codebook(tmp, CODEBOOK)
    return ["codebook", "p.db", "--replace", "team.toml", "--version", "1.0"]


def case_reconcile_log_empty(tmp):
    _imported(tmp)
    return ["reconcile", "p.db", "--log"]


def case_import_qdpx_project(tmp):
    import zipfile

    with zipfile.ZipFile(tmp / "study.qdpx", "w") as archive:
        archive.writestr(
            "project.qde",
            '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="s"/>',
        )
    return [*_project(tmp), "study.qdpx"]


def case_import_qdc_codebook(tmp):
    (tmp / "book.qdc").write_text(
        '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>\n'
    )
    return [*_project(tmp), "book.qdc"]


def case_import_xlsx_sheet(tmp):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ref", "coder", "category"])
    book.save(tmp / "codes.xlsx")
    return [*_project(tmp), "codes.xlsx"]


def case_import_old_word(tmp):
    (tmp / "interview.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    return [*_project(tmp), "interview.doc"]


def case_import_other_project(tmp):
    (tmp / "study.qda").write_bytes(b"SQLite format 3\x00" + bytes(1024))
    return [*_project(tmp), "study.qda"]


def case_import_odt_with_dtd(tmp):
    import zipfile

    with zipfile.ZipFile(tmp / "fg1.odt", "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    return [*_project(tmp), "fg1.odt"]


def _speakers(tmp):
    _imported(tmp)
    return ["speakers", "p.db"]


def case_speakers_coded_comment(tmp):
    args = _speakers(tmp)
    (tmp / "ana.csv").write_text("ref,coder,category\nFG1-002,ana,defining\n")
    assert run("codings", "import", "p.db", "ana.csv") == 0
    return [*args, "--comment", "FG1-002", "--speaker", "Ruth"]


def case_speakers_rename_onto_another(tmp):
    return [*_speakers(tmp), "--group", "fg1", "--rename", "Ruth=dr. patel"]


def case_speakers_no_such_label(tmp):
    return [*_speakers(tmp), "--group", "fg1", "--merge", "Rut=Ruth"]


def case_speakers_no_such_comment(tmp):
    return [*_speakers(tmp), "--comment", "FG9-001", "--speaker", "Ruth"]


def case_guide_folder_not_ours(tmp):
    (tmp / "notes").mkdir()
    (tmp / "notes" / "plan.txt").write_text("the user's own notes")
    return ["guide", "--print", "--out", "notes"]


def case_package_themes_on_category_without_themes(tmp):
    import json

    _imported(tmp, "FG1-002,ana,defining\n")
    assert run("coder", "export", "p.db", "--coder", "ana", "--out", "ana.json") == 0
    package = json.loads((tmp / "ana.json").read_text(encoding="utf-8"))
    package["coder"], package["codings"][0]["themes"] = "cai", ["listening"]  # edited by hand
    (tmp / "ana.json").write_text(json.dumps(package), encoding="utf-8")
    return ["coder", "import", "p.db", "ana.json"]


def case_suggest_unknown_coder(tmp):
    _project(tmp)
    return ["suggest", "on", "p.db", "--coder", "ana"]


CASES = {
    name[5:].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("case_")
}


def test_every_documented_case_is_tested_and_vice_versa():
    assert set(documented()) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_message(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = CASES[case](tmp_path)
    before = _snapshot(tmp_path)
    capsys.readouterr()
    assert run(*args) == 1
    first_line = capsys.readouterr().err.splitlines()[0]
    today = datetime.now(UTC).date().isoformat()
    assert first_line == documented()[case].replace("DATE", today)
    assert _snapshot(tmp_path) == before, "a failed command changed the project"


def _snapshot(folder: Path):
    """Comments, codebook and audit rows of p.db, if there is one, and every other file's bytes."""
    files = {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith("p.db")
    }
    if not (folder / "p.db").exists():
        return files
    from workbench.store import Store

    store = Store.open(folder / "p.db")
    state = (store.comments(), store.active_codebook()["sha256"], len(store.audit_rows()), files)
    store.close()
    return state
