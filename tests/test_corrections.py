"""Correcting what was imported (issue 20): transcripts listed, removed and replaced by a
corrected file, near-duplicate imports refused, groups edited; refs never reused; every change
backed up first and audited; another window's connection sees the change."""

import json

import pytest
from helpers import run_cli

from workbench.coding.seen import CommentChanged
from workbench.coding.session import CodingSession
from workbench.errors import TranscriptError, WorkbenchError
from workbench.ingest.align import align
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.ingest.replace import plan_replace, replace_transcript
from workbench.project.backups import backup_project, restore_project
from workbench.project.lifecycle import init_project
from workbench.project.transcripts import edit_group, list_transcripts, plan_removal, remove
from workbench.reconcile.consensus import Reconciliation
from workbench.store import Store

TURNS = [
    "Facilitator: Welcome, everyone.",
    "Ann: The nurse explained the plan to us before every visit.",
    "Bob: We set goals together at the start of each year.",
    "Ann: Yes.",
    "Bob: Nobody asked what my week looked like, and I stopped coming.",
    "Ann: My daughter keeps a diary of her meals and brings it along.",
]


def _write(path, turns):
    path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db")
    import_transcripts(store, [_write(tmp_path / "fg1.txt", TURNS)], GroupMeta(name="Parents"))
    _write(
        tmp_path / "fg2.txt", ["Facilitator: Hello.", "Cy: We met weekly.", "Di: It helped a lot."]
    )
    import_transcripts(store, [tmp_path / "fg2.txt"], GroupMeta(name="Teens"))
    return store


def _ids(store):
    return {c.ref: c.id for c in store.comments()}


def _code(store, name, codes):
    session = CodingSession.start(store, name)
    for ref, category in codes.items():
        session.set_category(_ids(store)[ref], category)
    return session


# -- alignment ---------------------------------------------------------------------------


def test_alignment_pairs_unchanged_changed_removed_and_added_turns_in_order():
    old = [
        "Welcome.",
        "The nurse explained the plan to us.",
        "Yes.",
        "We met every week to set goals.",
        "Thanks.",
        "Bye now.",
    ]
    new = [
        "Welcome.",
        "The nurse explained the whole plan to us.",
        "Yes.",
        "Something else entirely was said.",
        "We met every week to set our goals.",
        "Bye now.",
        "One more.",
    ]
    got = [(p.old, p.new, p.kind) for p in align(old, new)]
    assert got == [
        (0, 0, "same"),
        (1, 1, "changed"),
        (2, 2, "same"),
        (None, 3, "added"),
        (3, 4, "changed"),
        (4, None, "removed"),
        (5, 5, "same"),
        (None, 6, "added"),
    ]


def test_a_merged_turn_pairs_with_the_part_most_like_it_and_frequent_short_turns_still_anchor():
    old = ["Yes.", "I listened to her.", "Then I asked about her week.", "Yes.", "Yes."]
    new = ["Yes.", "I listened to her, then I asked about her week and her plans.", "Yes.", "Yes."]
    kinds = [(p.old, p.new, p.kind) for p in align(old, new)]
    assert kinds[0] == (0, 0, "same") and kinds[-2:] == [(3, 2, "same"), (4, 3, "same")]
    assert sorted(k for _o, _n, k in kinds[1:-2]) == ["changed", "removed"]


# -- listing and removing ----------------------------------------------------------------


def test_list_shows_each_transcript_with_its_codings(store, capsys):
    _code(store, "ana", {"FG1-002": "effective", "FG2-002": "defining"})
    rows = {r.filename: r for r in list_transcripts(store)}
    assert (
        rows["fg1.txt"].group_code == "FG1"
        and rows["fg1.txt"].comments == 6
        and rows["fg1.txt"].codable == 5
    )
    assert rows["fg1.txt"].codings == {"ana": 1} and rows["fg2.txt"].codings == {"ana": 1}
    code, out, _ = run_cli(capsys, "transcripts", "list", str(store.path), "--format", "json")
    assert code == 0 and [r["file"] for r in json.loads(out)] == ["fg1.txt", "fg2.txt"]


def test_removing_a_coded_transcript_needs_force_then_goes_with_a_backup_and_an_audit_row(store):
    _code(store, "ana", {"FG2-002": "defining", "FG2-003": "benefits"})
    with pytest.raises(
        WorkbenchError, match=r"FG2/fg2.txt: 3 comment\(s\) \(FG2-001 to FG2-003\) and 2 coding"
    ):
        remove(store, "fg2.txt")
    assert len(store.comments()) == 9  # nothing changed
    done = remove(store, "fg2.txt", force=True, actor="lead")
    assert done["codings"] == 2 and done["by_coder"] == {"ana": 2}
    assert [c.ref for c in store.comments()] == [f"FG1-{n:03d}" for n in range(1, 7)]
    assert store.speakers(store.group_by_name("FG2").id) == []  # nobody left speaking there
    row = store.audit_rows()[-1]
    assert (row["action"], row["entity"], row["entity_ref"], row["actor"]) == (
        "remove",
        "transcript",
        "FG2/fg2.txt",
        "lead",
    )
    assert json.loads(row["before"])["codings"] == {"ana": 2} and row["note"].startswith("backup: ")
    backup = row["note"].removeprefix("backup: ")
    assert len(Store.open(backup).comments()) == 9  # the backup has what went
    assert (
        store.integrity_check() == "ok"
        and not store.conn.execute("PRAGMA foreign_key_check").fetchall()
    )


def test_a_removed_groups_refs_are_never_handed_out_again(store, tmp_path):
    remove(store, "FG1", force=True)
    assert store.group_by_name("FG1") is None
    _write(tmp_path / "fg3.txt", ["Eve: Another group met."])
    import_transcripts(store, [tmp_path / "fg3.txt"])
    assert [c.ref for c in store.comments(store.group_by_name("fg3").id)] == ["FG3-001"]  # not FG1
    _write(tmp_path / "redo.txt", ["Eve: We met again.", "Fay: And talked."])
    import_transcripts(store, [tmp_path / "redo.txt"], GroupMeta(name="Parents again", code="FG1"))
    assert [c.ref for c in store.comments(store.group_by_name("FG1").id)] == [
        "FG1-007",
        "FG1-008",
    ]


def test_a_removal_is_seen_by_another_windows_session(store):
    other = Store.open(store.path)  # a second window: its own connection
    session = CodingSession.start(other, "ben")
    doomed = _ids(other)["FG2-002"]
    remove(store, "FG2")
    # The session's check of the words (coding.seen) refuses it before the codebook rules run.
    with pytest.raises(CommentChanged, match="no longer in the project"):
        session.set_category(doomed, "defining")
    assert other.coding_count() == 0


def test_the_target_is_named_by_file_code_or_name_and_ambiguity_is_refused(store, tmp_path):
    assert (
        plan_removal(store, "FG1").kind == "group" and plan_removal(store, "Teens").kind == "group"
    )
    assert (
        plan_removal(store, str(tmp_path / "fg1.txt")).label == "FG1/fg1.txt"
    )  # a path: its file name
    (tmp_path / "other").mkdir()
    _write(tmp_path / "other" / "fg1.txt", ["Gus: Elsewhere."])
    import_transcripts(store, [tmp_path / "other" / "fg1.txt"], GroupMeta(name="Elsewhere"))
    with pytest.raises(
        WorkbenchError,
        match="2 groups have a transcript of that name; give one of FG1/fg1.txt, FG3/fg1.txt",
    ):
        plan_removal(store, "fg1.txt")
    assert plan_removal(store, "FG3/fg1.txt").label == "FG3/fg1.txt"


# -- replacing with a corrected file -------------------------------------------------------


def _corrected(tmp_path):
    turns = list(TURNS)
    turns[1] = (
        "Ann: The nurse explained the whole plan to us before every visit."  # FG1-002 corrected
    )
    turns.insert(3, "Bob: I would add that the dietitian came too.")  # a new turn
    del turns[5]  # FG1-005 ("Nobody asked ...") was never said
    return _write(tmp_path / "fg1-corrected.txt", turns)


def test_replace_keeps_unchanged_codings_and_marks_changed_ones_for_review(store, tmp_path):
    _code(store, "ana", {"FG1-002": "effective", "FG1-003": "effective", "FG1-006": "benefits"})
    _code(store, "ben", {"FG1-002": "effective", "FG1-003": "ineffective", "FG1-006": "benefits"})
    Reconciliation(store, "ana", "ben", "lead").auto_agree()  # FG1-002 and FG1-006 agreed
    before = {c.ref: c for c in store.comments()}
    plan = plan_replace(store, "fg1.txt", _corrected(tmp_path))
    assert (
        plan.summary()
        == "FG1/fg1.txt ← fg1-corrected.txt: 4 comment(s) unchanged, 1 changed, 1 removed, 1 added"
    )
    assert (
        plan.changed_refs() == ["FG1-002"]
        and plan.removed_refs() == ["FG1-005"]
        and plan.lost == {}
    )
    done = replace_transcript(store, plan, actor="lead")
    after = {c.ref: c for c in store.comments(store.group_by_name("FG1").id)}
    # Order follows the new file; refs of kept comments stay; the new turn gets a new ref.
    assert list(after) == ["FG1-001", "FG1-002", "FG1-003", "FG1-007", "FG1-004", "FG1-006"]
    assert done["added"] == ["FG1-007"] and done["removed"] == ["FG1-005"]
    for ref in ("FG1-001", "FG1-003", "FG1-004", "FG1-006"):
        assert after[ref].id == before[ref].id and after[ref].text == before[ref].text
    assert after["FG1-002"].id == before["FG1-002"].id and "whole plan" in after["FG1-002"].text
    ana = store.coder_named("ana")
    # Unchanged: codings as they were. Changed: kept, marked "not sure" for the coders' review.
    assert store.coding(ana.id, after["FG1-003"].id).unsure == 0
    assert store.coding(ana.id, after["FG1-002"].id).category_key == "effective"
    assert store.coding(ana.id, after["FG1-002"].id).unsure == 1
    assert {(r["ref"], r["coder"]) for r in store.codings_to_review()} == {
        ("FG1-002", "agreed"),
        ("FG1-002", "ana"),
        ("FG1-002", "ben"),
    }
    assert done["changed"][0]["to_review"] == ["agreed", "ana", "ben"]
    # The agreed coding is reopened in reconciliation, old and new text shown.
    items = {i.ref: i for i in Reconciliation(store, "ana", "ben", "lead").items()}
    assert items["FG1-002"].reopened.text == (before["FG1-002"].text, after["FG1-002"].text)
    assert items["FG1-002"].reopened.coders == {}  # only the "not sure" the correction set
    assert items["FG1-006"].reopened is None
    actions = [(r["action"], r["entity_ref"]) for r in store.audit_rows()[-2:]]
    assert actions == [("revise", "FG1-002"), ("replace", "FG1/fg1.txt")]
    assert store.transcripts()[0].sha256 == plan.sha256 and store.integrity_check() == "ok"


def test_a_coder_who_codes_again_clears_the_review(store, tmp_path):
    session = _code(store, "ana", {"FG1-002": "effective"})
    replace_transcript(store, plan_replace(store, "fg1.txt", _corrected(tmp_path)))
    assert [r["ref"] for r in store.codings_to_review()] == ["FG1-002"]
    comment = _ids(store)["FG1-002"]
    with pytest.raises(CommentChanged):  # the window still shows the old words: nothing written
        session.toggle_unsure(comment)
    session.comment(comment)  # the window shows the corrected words
    session.toggle_unsure(comment)  # the coder looked: still effective, no longer unsure
    assert store.codings_to_review() == []


def test_replace_refuses_to_drop_coded_comments_unless_forced(store, tmp_path):
    _code(store, "ana", {"FG1-005": "ineffective"})
    plan = plan_replace(store, "FG1/fg1.txt", _corrected(tmp_path))
    assert plan.lost == {"ana": 1}
    with pytest.raises(
        WorkbenchError, match=r"the removed comments \(FG1-005\) carry 1 coding\(s\) \(ana 1\)"
    ):
        replace_transcript(store, plan)
    assert "FG1-005" in _ids(store) and not list(tmp_path.glob("p.db.backups/*replace*"))
    done = replace_transcript(store, plan, force=True)
    assert done["codings_removed"] == {"ana": 1} and "FG1-005" not in _ids(store)


def test_replace_is_seen_by_another_windows_connection(store, tmp_path):
    other = Store.open(store.path)
    fg1_002 = _ids(other)["FG1-002"]
    assert "whole plan" not in other.comment(fg1_002).text
    replace_transcript(store, plan_replace(store, "fg1.txt", _corrected(tmp_path)))
    assert "whole plan" in other.comment(fg1_002).text  # the same row, its new words


def test_replace_from_the_command_line_lists_the_changed_comments(store, tmp_path, capsys):
    _code(store, "ana", {"FG1-002": "effective"})
    fixed = _corrected(tmp_path)
    code, out, _ = run_cli(
        capsys, "transcripts", "replace", str(store.path), "fg1.txt", str(fixed), "--dry-run"
    )
    assert (
        code == 0
        and "(dry run: nothing was changed)" in out
        and "changed FG1-002 (coded by ana)" in out
    )
    assert "whole plan" not in store.comment(_ids(store)["FG1-002"]).text
    code, out, err = run_cli(
        capsys, "transcripts", "replace", str(store.path), "fg1.txt", str(fixed)
    )
    assert code == 0, err
    assert (
        "  changed FG1-002 (codings kept for review: ana)\n    was: The nurse explained the plan"
        in out
    )
    assert "  removed FG1-005\n  added FG1-007\n" in out and "backed up first" in err


# -- near-duplicate imports and groups -------------------------------------------------------


def test_an_import_mostly_of_an_existing_transcripts_turns_is_refused_naming_replace(
    store, tmp_path
):
    from workbench.ingest.duplicates import near_duplicate

    # The corrected file shares 4 of its 6 turns (67%) with fg1.txt: not mostly the same.
    assert (
        near_duplicate(
            store, [t.split(": ", 1)[1] for t in _corrected(tmp_path).read_text().split("\n\n")]
        )
        is None
    )
    # A copy with one word changed is.
    copy = list(TURNS)
    copy[2] = copy[2].replace("year", "term")
    with pytest.raises(
        TranscriptError,
        match=r"5 of its 6 turns \(83%\) are word for word those of FG1/fg1.txt.*"
        r"`workbench transcripts replace p.db FG1/fg1.txt",
    ):
        import_transcripts(store, [_write(tmp_path / "copy.txt", copy)])
    assert len(store.transcripts()) == 2
    import_transcripts(store, [tmp_path / "copy.txt"], force=True)
    assert len(store.transcripts()) == 3


def test_group_edits_are_checked_and_audited(store, capsys):
    changes = edit_group(
        store, "FG1", actor="lead", name="Parents of teens", kind="individual", date="2024-03-18"
    )
    assert changes == {
        "name": ("Parents", "Parents of teens"),
        "kind": (None, "individual"),
        "date": (None, "2024-03-18"),
    }
    row = store.audit_rows()[-1]
    assert (row["action"], row["entity"], row["entity_ref"]) == ("edit", "focus_group", "FG1")
    assert json.loads(row["before"]) == {"name": "Parents", "kind": None, "date": None}
    with pytest.raises(WorkbenchError, match="focus group FG2 is called that already"):
        edit_group(store, "FG1", name="teens")
    with pytest.raises(WorkbenchError, match="--kind 'mixed': must be one of individual, multi"):
        edit_group(store, "FG1", kind="mixed")
    assert edit_group(store, "FG1", date="") == {"date": ("2024-03-18", None)}  # '' clears
    assert (
        edit_group(store, "FG1", name="Parents of teens") == {}
    )  # nothing to change, no audit row
    code, out, _ = run_cli(
        capsys, "groups", "edit", str(store.path), "Teens", "--stakeholders", "teens, parents"
    )
    assert code == 0 and out == "stakeholders: - → teens, parents\n"
    assert (
        store.group_by_name("FG2").code == "FG2"
    )  # the code, which refs are made of, never changes


# -- nothing lost: every change explained by the audit trail ------------------------------------


def test_two_windows_code_split_replace_and_remove_and_the_audit_trail_explains_every_change(
    store, tmp_path
):
    """Import, code in two windows (two connections), split, replace one transcript, remove
    another, restore the backup made before the removal: every comment gone or added and every
    coding left is explained by an audit row, and the restore brings back what the backup held."""
    first_refs = set(_ids(store))
    ana = CodingSession.start(Store.open(store.path), "ana")  # two analysts, two windows
    ben = CodingSession.start(Store.open(store.path), "ben")
    ids = _ids(store)
    for session, codes in (
        (ana, {"FG1-002": "effective", "FG1-003": "effective", "FG2-003": "benefits"}),
        (ben, {"FG1-002": "effective", "FG1-006": "benefits", "FG2-003": "benefits"}),
    ):
        for ref, category in codes.items():
            session.set_category(ids[ref], category)
    _write(
        tmp_path / "fg3.txt",
        ["Facilitator: Last one.", "Gus: We planned. Then we did it together."],
    )
    import_transcripts(store, [tmp_path / "fg3.txt"])
    ana.split(_ids(store)["FG3-002"], len("We planned. "))
    replace_transcript(store, plan_replace(store, "fg1.txt", _corrected(tmp_path)), actor="lead")
    before_removal = backup_project(store, tmp_path / "before-removal.db").path
    remove(store, "FG2", force=True, actor="lead")

    audit = store.audit_rows()
    by = {}
    for row in audit:
        by.setdefault(row["action"], []).append(row)
    now = set(_ids(store))
    # Every ref that went is named by the removal or the replacement that took it.
    removal = json.loads(
        next(r for r in by["remove"] if r["entity_ref"] == "FG2 (Teens)")["before"]
    )
    replaced = json.loads(by["replace"][-1]["after"])
    first, last = removal["refs"]
    gone = (first_refs | {"FG3-001", "FG3-002"}) - now
    assert gone == {r for r in gone if first <= r <= last and r.startswith("FG2")} | set(
        replaced["removed"]
    )
    # Every ref that came is an import, a split or the replacement's new turn.
    split = json.loads(by["split"][-1]["after"])
    imported = json.loads(
        next(r for r in by["import"] if r["entity_ref"] == "FG3/fg3.txt")["after"]
    )
    assert (imported["first_ref"], imported["last_ref"]) == ("FG3-001", "FG3-002")
    assert now - first_refs == {
        "FG3-001",
        *split,
        *replaced["added"],
    }  # split: FG3-002 and FG3-002b
    # Every coding left was written by a coding row of its coder on its ref; the codings that went
    # are counted by the removal; the changed comment's codings were kept for review.
    coded = {(r["actor"], r["entity_ref"]) for r in by["code"]}
    for name in ("ana", "ben"):
        coder = store.coder_named(name)
        for comment_id in store.codings_of(coder.id):
            assert (name, store.comment_ref(comment_id)) in coded
    assert removal["codings"] == {"ana": 1, "ben": 1}
    assert [r["entity_ref"] for r in by["revise"]] == ["FG1-002"] and "kept for review" in by[
        "revise"
    ][0]["note"]
    assert (
        store.integrity_check() == "ok"
        and not store.conn.execute("PRAGMA foreign_key_check").fetchall()
    )
    # The removal was a mistake: the backup made before it is restored. FG2 and its codings are
    # back, the project as it was is kept, and the restored file's audit trail names the restore.
    for session in (ana, ben):
        session.store.close()
    store.close()
    result = restore_project(before_removal, store.path, actor="lead")
    restored = Store.open(store.path)
    back = set(_ids(restored))
    assert {"FG2-001", "FG2-003"} <= back and now <= back
    ana_back = restored.coder_named("ana")
    assert "FG2-003" in {restored.comment_ref(c) for c in restored.codings_of(ana_back.id)}
    last = restored.audit_rows()[-1]
    assert last["action"] == "restore" and str(before_removal) in (last["note"] or "")
    kept = Store.open(result.kept)
    assert "FG2-001" not in set(_ids(kept))  # the state before the restore, kept beside it
    kept.close()
    restored.close()
