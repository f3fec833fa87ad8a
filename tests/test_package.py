"""Coder packages: code on separate laptops, merge into the lead's project, nothing lost or overwritten silently."""

import json
import shutil

import pytest
from helpers import code_deterministically, run_cli

from workbench.agreement.reliability import project_agreement
from workbench.coding.comment import split_comment
from workbench.coding.session import Coding, CodingSession, codings_by_comment
from workbench.demo import build_demo
from workbench.exchange.package import PackageError, export_package, read_package
from workbench.exchange.package_import import PackageConflict, import_package
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.lifecycle import replace_codebook
from workbench.project.resources import bundled, default_codebook
from workbench.store import Store


@pytest.fixture
def laptops(tmp_path):
    """The lead's demo project and copies of it: one per coder's laptop, one shared project."""
    store, _ = build_demo(tmp_path / "lead.db")
    store.close()
    for name in ("ana", "ben", "shared"):
        shutil.copy(tmp_path / "lead.db", tmp_path / f"{name}.db")
    return tmp_path


def by_ref(store: Store, name: str) -> dict:
    coder = store.coder_named(name)
    refs = {c.id: c.ref for c in store.comments()}
    return (
        {refs[i]: coding for i, coding in codings_by_comment(store, coder.id).items()}
        if coder
        else {}
    )


def test_two_coders_on_their_own_laptops_merge_into_the_same_agreement(laptops):
    tmp = laptops
    ana_laptop, ben_laptop = Store.open(tmp / "ana.db"), Store.open(tmp / "ben.db")
    code_deterministically(ana_laptop, "ana", 0)
    code_deterministically(ben_laptop, "ben", 1)
    ana_export = export_package(ana_laptop, "ana", tmp / "ana.json")
    export_package(ben_laptop, "ben", tmp / "ben.json")
    assert ana_export.transcripts == 5 and ana_export.comments == 122

    lead = Store.open(tmp / "lead.db")
    first = import_package(lead, tmp / "ana.json", actor="lead")
    second = import_package(lead, tmp / "ben.json", actor="lead")
    assert (first.new, first.replaced, first.unchanged, first.created_coder) == (122, 0, 0, True)
    assert second.new == len(by_ref(ben_laptop, "ben")) and not second.conflicts

    shared = Store.open(tmp / "shared.db")
    code_deterministically(shared, "ana", 0)
    code_deterministically(shared, "ben", 1)

    # Every coding (memos and flags too) arrived, and the agreement is the same as on one shared project.
    for name in ("ana", "ben"):
        assert by_ref(lead, name) == by_ref(shared, name)
    merged = project_agreement(lead, ["ana", "ben"], bootstrap=200, seed=1)
    together = project_agreement(shared, ["ana", "ben"], bootstrap=200, seed=1)
    assert merged.pairs == together.pairs
    assert merged.scope.fingerprint == together.scope.fingerprint

    # Each coding is audited as the coder's, with where it came from and who merged it.
    rows = [r for r in lead.audit_rows() if r["action"] == "import" and r["entity"] == "coding"]
    assert len(rows) == first.new + second.new
    assert (
        rows[0]["actor"] == "ana"
        and rows[0]["note"] == "from coder package ana.json, merged by lead"
    )
    [summary] = [
        r
        for r in lead.audit_rows()
        if r["entity"] == "coder_package" and r["entity_ref"] == "ana.json"
    ]
    assert json.loads(summary["after"])["new"] == 122

    # Importing the same package again changes nothing.
    again = import_package(lead, tmp / "ana.json")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 122)


def test_the_package_holds_hashes_and_only_that_coders_work(laptops):
    store = Store.open(laptops / "ana.db")
    code_deterministically(store, "ana", 0)
    code_deterministically(store, "ben", 1)
    export_package(store, "ana", laptops / "ana.json")
    package = read_package(laptops / "ana.json")
    assert package["format"] == "workbench-coder-package" and package["version"] == 1
    assert (
        package["coder"] == "ana"
        and package["codebook"]["sha256"] == store.active_codebook()["sha256"]
    )
    assert {t["sha256"] for t in package["transcripts"]} == {t.sha256 for t in store.transcripts()}
    entry = package["codings"][0]
    assert set(entry) == {
        "ref",
        "group",
        "transcript",
        "text_sha256",
        "category",
        "themes",
        "memo",
        "unsure",
        "exemplar",
    }
    assert len(package["codings"]) == len(by_ref(store, "ana"))
    with pytest.raises(
        PackageError, match=r"--coder 'agreed': no such coder .* \(coders: ana, ben\)"
    ):
        export_package(store, "agreed", laptops / "x.json")


def test_a_changed_transcript_is_refused_and_nothing_is_imported(laptops):
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    export_package(laptop, "ana", laptops / "ana.json")
    # The lead re-imports a corrected version of the first transcript.
    folder = bundled("transcripts")
    text = (folder / "fg1_health_professionals.txt").read_text(encoding="utf-8")
    (laptops / "fg1_health_professionals.txt").write_text(
        text.replace("partnership", "real partnership"), encoding="utf-8"
    )
    lead = Store.open(laptops / "lead.db")
    [report] = import_transcripts(
        lead,
        [laptops / "fg1_health_professionals.txt"],
        GroupMeta(name="Health professionals"),
        folder / "fg1_roster.csv",
    )
    assert report.status == "replaced"
    audit_before = len(lead.audit_rows())
    with pytest.raises(PackageError) as caught:
        import_package(lead, laptops / "ana.json")
    message = str(caught.value)
    assert (
        "transcript 'fg1_health_professionals.txt' of group 'Health professionals': the project holds a "
        "different version"
    ) in message
    assert "FG1-003: the comment's text differs from the coder's copy" in message
    assert message.endswith("Nothing was imported.")
    assert lead.coder_named("ana") is None and lead.coding_count() == 0
    assert len(lead.audit_rows()) == audit_before


def test_a_split_comment_is_named_in_the_refusal(laptops):
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    export_package(laptop, "ana", laptops / "ana.json")
    lead = Store.open(laptops / "lead.db")
    comment = next(c for c in lead.comments() if c.ref == "FG1-002")
    split_comment(lead, comment.id, comment.text.index(" The patient") + 1)
    with pytest.raises(PackageError, match="FG1-002: the comment's text differs"):
        import_package(lead, laptops / "ana.json")
    assert lead.coding_count() == 0


def test_a_hand_edited_package_with_themes_on_a_category_without_themes_is_refused(laptops):
    """The package is checked by the codebook's one rule, as the coding screen is: themes only on
    a category that takes themes. The message names the package entry, the comment and the
    category; nothing is imported."""
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    export_package(laptop, "ana", laptops / "ana.json")
    data = json.loads((laptops / "ana.json").read_text(encoding="utf-8"))
    number, entry = next(
        (i, e) for i, e in enumerate(data["codings"], start=1) if e["category"] == "defining"
    )
    entry["themes"] = ["listening"]
    (laptops / "ana.json").write_text(json.dumps(data), encoding="utf-8")
    lead = Store.open(laptops / "lead.db")
    audit_before = len(lead.audit_rows())
    with pytest.raises(PackageError) as caught:
        import_package(lead, laptops / "ana.json")
    message = str(caught.value)
    assert message.startswith(
        f"{laptops / 'ana.json'}: codings #{number} ({entry['ref']}): category "
        "'Defining coproduction' takes no themes: themes go only on a category "
        "that takes themes: choose Behaviors of effective coproduction"
    )
    assert message.endswith("Nothing was imported.")
    assert lead.coder_named("ana") is None and lead.coding_count() == 0
    assert len(lead.audit_rows()) == audit_before


def test_a_changed_codebook_is_refused(laptops):
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    export_package(laptop, "ana", laptops / "ana.json")
    lead = Store.open(laptops / "lead.db")
    changed = (
        default_codebook().read_text(encoding="utf-8").replace('version = "1.0"', 'version = "1.1"')
    )
    (laptops / "v11.toml").write_text(changed, encoding="utf-8")
    replace_codebook(lead, laptops / "v11.toml")
    with pytest.raises(
        PackageError,
        match=r"coded with codebook 'Coproduction of healthcare' 1\.0 .* has "
        r"'Coproduction of healthcare' 1\.1",
    ):
        import_package(lead, laptops / "ana.json")
    assert lead.coding_count() == 0 and lead.coder_named("ana") is None


def test_conflicts_are_listed_and_nothing_is_written_without_overwrite(laptops):
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    export_package(laptop, "ana", laptops / "ana.json")
    lead = Store.open(laptops / "lead.db")
    ids = {c.ref: c.id for c in lead.comments()}
    # In the lead's project, ana had already coded two comments, one the same way, one differently,
    # and one comment the package does not hold.
    mine = by_ref(laptop, "ana")
    session = CodingSession.start(lead, "ana")
    session.set_category(ids["FG1-002"], mine["FG1-002"].category)
    for theme in mine["FG1-002"].themes:
        session.toggle_theme(ids["FG1-002"], theme)
    for flag in ("unsure", "exemplar"):
        if getattr(mine["FG1-002"], flag):
            getattr(session, f"toggle_{flag}")(ids["FG1-002"])
    if mine["FG1-002"].memo:
        session.set_memo(ids["FG1-002"], mine["FG1-002"].memo)
    assert by_ref(lead, "ana")["FG1-002"] == mine["FG1-002"]
    assert mine["FG1-003"].category != "benefits"
    session.set_category(ids["FG1-003"], "benefits", drop_themes=True)
    session.set_memo(ids["FG1-003"], "the lead's note")
    before = by_ref(lead, "ana")
    audit_before = len(lead.audit_rows())

    with pytest.raises(PackageConflict) as caught:
        import_package(lead, laptops / "ana.json")
    message = str(caught.value)
    assert "1 comment(s) already coded differently by ana" in message
    # In the codebook's words, not its keys.
    names = {e.key: e.name for e in [*lead.categories(), *lead.themes()]}
    assert (
        'FG1-003: project has Benefits of effective coproduction memo "the lead\'s note"; package has '
        + names[mine["FG1-003"].category]
    ) in message
    assert "Re-run with --overwrite" in message and message.endswith("Nothing was imported.")
    assert by_ref(lead, "ana") == before and len(lead.audit_rows()) == audit_before

    result = import_package(lead, laptops / "ana.json", overwrite=True, actor="lead")
    assert (result.new, result.replaced, result.unchanged) == (len(mine) - 2, 1, 1)
    assert by_ref(lead, "ana") == mine
    [row] = [
        r for r in lead.audit_rows() if r["entity_ref"] == "FG1-003" and r["action"] == "import"
    ]
    assert (
        json.loads(row["before"])["memo"] == "the lead's note"
    )  # the replaced coding stays in the audit log
    assert row["note"].endswith("(replaced with --overwrite)")


def test_codings_only_in_the_project_are_kept(laptops):
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    CodingSession.start(laptop, "ana").clear(
        next(c.id for c in laptop.comments() if c.ref == "FG2-002")
    )
    export_package(laptop, "ana", laptops / "ana.json")
    lead = Store.open(laptops / "lead.db")
    comment = next(c for c in lead.comments() if c.ref == "FG2-002")
    CodingSession.start(lead, "ana").set_category(comment.id, "defining")
    result = import_package(lead, laptops / "ana.json")
    assert result.kept == 1 and by_ref(lead, "ana")["FG2-002"] == Coding("defining")


def test_damaged_or_foreign_files_are_refused(laptops):
    lead = Store.open(laptops / "lead.db")
    (laptops / "x.json").write_text('{"format": "something else"}')
    with pytest.raises(PackageError, match="not a coder package"):
        import_package(lead, laptops / "x.json")
    (laptops / "y.json").write_bytes(b"\xff\xfe garbage")
    with pytest.raises(PackageError, match="not UTF-8 JSON"):
        import_package(lead, laptops / "y.json")
    (laptops / "z.json").write_text(json.dumps({"format": "workbench-coder-package", "version": 9}))
    with pytest.raises(PackageError, match="upgrade Workbench"):
        import_package(lead, laptops / "z.json")


run = run_cli


def test_cli_coder_export_and_import(laptops, capsys):
    laptop = Store.open(laptops / "ana.db")
    code_deterministically(laptop, "ana", 0)
    code, out, err = run(
        capsys,
        "coder",
        "export",
        str(laptops / "ana.db"),
        "--coder",
        "ana",
        "--out",
        str(laptops / "ana.json"),
    )
    assert code == 0, err
    assert "122 coded comment(s) of ana in 5 transcript(s)" in out
    code, out, err = run(
        capsys, "coder", "import", str(laptops / "lead.db"), str(laptops / "ana.json")
    )
    assert code == 0, err
    assert "for ana (new coder): 122 new, 0 replaced, 0 unchanged coding(s)" in out
    # A conflicting change in the lead's project: refused with the list, then taken with --overwrite.
    lead = Store.open(laptops / "lead.db")
    comment = next(c for c in lead.comments() if c.ref == "FG1-002")
    CodingSession.start(lead, "ana").set_memo(comment.id, "changed by the lead")
    code, out, err = run(
        capsys, "coder", "import", str(laptops / "lead.db"), str(laptops / "ana.json")
    )
    assert code == 1 and "error:" in err and "FG1-002: project has" in err and "--overwrite" in err
    code, out, err = run(
        capsys,
        "coder",
        "import",
        str(laptops / "lead.db"),
        str(laptops / "ana.json"),
        "--overwrite",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["replaced"], data["unchanged"]) == (1, 121) and data["conflicts"][0][
        "ref"
    ] == "FG1-002"
