"""Two windows on one project: no change lost, no coding on words the coder did not see.

Each test uses what the defect needs: two connections to one file (two windows of the app
are two processes, each with its own connection), or two real processes where the timing
of two writers is the point (the same coder hammering one comment from two processes).
"""

import json
import subprocess
import sys
import textwrap

import pytest

from workbench import api
from workbench.coding.seen import CommentChanged
from workbench.coding.session import Coding, CodingRuleError, MemoChanged
from workbench.coding.worklist import Worklist
from workbench.ingest.importer import import_transcripts
from workbench.ingest.language import split_points
from workbench.project.lifecycle import init_project
from workbench.store import Store

ELEVENTH = "We planned the visit together. Then she listened to me. It felt equal."


@pytest.fixture
def project(tmp_path):
    """One group of 12 comments; FG1-011 has three sentences (the issue's split race)."""
    store = init_project(tmp_path / "p.db")
    turns = [f"{'Ann' if n % 2 else 'Bob'}: Comment {n} about care." for n in range(1, 13)]
    turns[10] = f"Ann: {ELEVENTH}"
    (tmp_path / "fg1.txt").write_text("\n\n".join(turns) + "\n")
    import_transcripts(store, [tmp_path / "fg1.txt"])
    store.close()
    return tmp_path / "p.db"


def comment_id(store, ref):
    return store.find_ref(ref)[0]


def coding_audit(store, ref):
    return [r for r in store.audit_rows() if r["entity"] == "coding" and r["entity_ref"] == ref]


# -- the split race (issue 20, defect 3) ------------------------------------------------


def test_a_split_in_another_window_refuses_the_coding_and_the_list_gains_the_new_part(project):
    """Coder A splits FG1-011 while coder B has it on screen; B presses 3: B is told, nothing is
    written on the shortened comment, and B's progress counts FG1-011b."""
    a_store, b_store = api.open_project(project), api.open_project(project)  # two windows
    ana, ben = api.coding_session(a_store, "ana"), api.coding_session(b_store, "ben")
    eleventh = comment_id(b_store, "FG1-011")
    ben_list = Worklist(ben)
    ben_list.jump("FG1-011")
    shown = ben.context(ben_list.current)  # FG1-011 on B's screen, whole
    assert next(r for r in shown if r.current).text == ELEVENTH
    assert ben_list.progress() == (0, 12)

    ana.comment(eleventh)
    assert ana.split(eleventh, split_points(ELEVENTH)[0]) == ("FG1-011", "FG1-011b")
    assert ana.toggle_unsure(eleventh).unsure  # the splitting window knows the new words
    assert ana.undo() == eleventh and ana.get(eleventh) == Coding()

    with pytest.raises(CommentChanged) as refused:
        ben.set_category(eleventh, "ineffective")  # B presses 3
    message = str(refused.value)
    assert "FG1-011 changed in another window since it was shown here" in message
    assert "split into FG1-011 and FG1-011b by ana" in message
    assert "it now reads “We planned the visit together.”" in message
    assert "Nothing was written" in message
    # Nothing on the shortened comment: no coding, no audit row, from either connection.
    assert b_store.codings_of(ben.coder_id) == {} and a_store.codings_of(ben.coder_id) == {}
    assert [r for r in coding_audit(a_store, "FG1-011") if r["actor"] == "ben"] == []
    # The window reads the comments again: FG1-011b is in B's list and progress.
    ben_list.reload()
    second = comment_id(b_store, "FG1-011b")
    assert second in ben_list.codable and ben_list.progress() == (0, 13)
    assert ben_list.current == eleventh
    # What B sees now is what B codes: the same key works after the window showed the new words.
    ben.context(eleventh)
    assert ben.set_category(eleventh, "ineffective").category == "ineffective"
    assert ben_list.reread(eleventh) and ben_list.progress() == (0, 13)  # themes still to give


def test_merge_replace_and_removal_elsewhere_are_refused_too(project):
    """Any change of a comment's words or existence is caught, whoever made it and however."""
    a_store, b_store = Store.open(project), Store.open(project)
    ana, ben = api.coding_session(a_store, "ana"), api.coding_session(b_store, "ben")
    third, fourth = comment_id(b_store, "FG1-003"), comment_id(b_store, "FG1-004")
    ben.context(third, 1)  # FG1-003 and its neighbours on B's screen
    # Merged away (FG1-004 into FG1-003 would need one speaker: merge 2 with 3 instead).
    second = comment_id(a_store, "FG1-002")
    a_store.conn.execute(  # a script fixing a speaker label
        "UPDATE comments SET speaker_id = (SELECT speaker_id FROM comments WHERE id = ?) "
        "WHERE id = ?",
        [second, third],
    )
    ana.comment(second)
    ana.merge(second)
    merged = r"FG1-003 changed .*\(merged into FG1-002 by ana at \d\d:\d\d\): it is no longer"
    with pytest.raises(CommentChanged, match=merged):
        ben.toggle_exemplar(third)
    # Words replaced in place by something that is not Workbench's own editing (no audit row).
    with a_store.transaction():
        a_store.conn.execute("UPDATE comments SET text = 'Other words.' WHERE id = ?", [fourth])
    with pytest.raises(
        CommentChanged,
        match="FG1-004 changed in another window since it was "
        "shown here: it now reads “Other words.”",
    ):
        ben.set_memo(fourth, "a memo")
    assert b_store.codings_of(ben.coder_id) == {}


def test_a_comment_never_shown_is_checked_against_its_words_at_the_first_write(project):
    """A script codes by id without showing: its first write takes the words as seen."""
    a_store, b_store = Store.open(project), Store.open(project)
    ana, ben = api.coding_session(a_store, "ana"), api.coding_session(b_store, "ben")
    eleventh = comment_id(a_store, "FG1-011")
    ben.toggle_unsure(eleventh)
    ben.toggle_unsure(eleventh)  # back to nothing: uncoded again
    ana.split(eleventh, split_points(ELEVENTH)[0])
    with pytest.raises(CommentChanged):
        ben.toggle_unsure(eleventh)


# -- the same coder in two windows (issue 22, item 2) -----------------------------------


@pytest.fixture
def windows(project):
    """ana in two windows: ((store, session), (store, session), the id of FG1-002)."""
    stores = Store.open(project), Store.open(project)
    pairs = tuple((store, api.coding_session(store, "ana")) for store in stores)
    return (*pairs, comment_id(stores[0], "FG1-002"))


def test_undo_changes_back_only_what_its_step_changed(windows):
    (one, first), (_two, second), target = windows
    first.set_category(target, "effective")
    second.set_memo(target, "written in the other window")
    assert first.undo() == target  # the category goes back; the other window's memo stays
    assert first.get(target) == Coding(memo="written in the other window")
    assert first.redo() == target
    assert second.get(target) == Coding("effective", memo="written in the other window")
    # The audit rows' "before" is the coding as it was when each change was made.
    rows = coding_audit(one, "FG1-002")
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert json.loads(later["before"]) == json.loads(earlier["after"])
    assert [r["action"] for r in rows] == ["code", "code", "undo", "redo"]


def test_undo_is_refused_when_the_other_window_changed_the_same_field(windows):
    (one, first), (_two, second), target = windows
    first.set_category(target, "effective")
    first.set_memo(target, "mine")
    second.set_memo(target, "theirs")
    with pytest.raises(
        CodingRuleError,
        match="cannot undo on FG1-002: its memo changed in another window since; left as it is",
    ):
        first.undo()
    assert first.get(target) == Coding("effective", memo="theirs")
    assert first.undo() == target  # the step before (the category) still undoes
    assert first.get(target) == Coding(memo="theirs")


def test_a_memo_changed_elsewhere_while_writing_is_not_overwritten(windows):
    (one, first), (_two, second), target = windows
    second.set_memo(target, "theirs")
    with pytest.raises(MemoChanged) as refused:
        first.set_memo(target, "mine", was="")  # the editor was opened on an empty memo
    assert refused.value.theirs == "theirs" and first.get(target).memo == "theirs"
    assert first.set_memo(target, "theirs and mine", was="theirs").memo == "theirs and mine"


def test_toggles_say_what_the_coder_saw(windows):
    (one, first), (_two, second), target = windows
    first.set_category(target, "effective")
    second.toggle_theme(target, "listening")
    # The first window still shows no theme; its key means "add it": it stays, nothing written.
    assert first.toggle_theme(target, "listening", on=True).themes == ("listening",)
    assert len(coding_audit(one, "FG1-002")) == 2


HAMMER = textwrap.dedent("""
    import sys
    import time
    from pathlib import Path
    from workbench import api

    project, role, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    store = api.open_project(project)
    session = api.coding_session(store, "ana")
    target = store.find_ref("FG1-002")[0]
    session.comment(target)
    print("ready", flush=True)
    while not go.exists():  # both start together: the writes interleave
        time.sleep(0.001)
    for k in range(count):
        if role == "memo":  # this window writes the memo and the not-sure mark
            if k % 2:
                coding = session.toggle_unsure(target, on=bool(k % 4 == 1))
                print("ack unsure", int(coding.unsure), flush=True)
            else:
                coding = session.set_memo(target, f"memo {k}")
                print("ack memo", coding.memo.replace(" ", "_"), flush=True)
        else:  # this one the category and a theme
            if k % 2:
                coding = session.toggle_theme(target, "listening", on=bool(k % 4 == 1))
                print("ack themes", ",".join(coding.themes) or "-", flush=True)
            else:
                coding = session.set_category(target, ("effective", "ineffective")[k % 4 // 2])
                print("ack category", coding.category, flush=True)
""")


def test_the_same_coder_in_two_processes_loses_no_change(project, tmp_path):
    """Two processes of one coder write one comment as fast as they can, each its own fields:
    every field ends as its window's last acknowledged change, and every audit row's "before"
    is the row as the one before it left it."""
    go, count = tmp_path / "go", 400
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, str(project), role, str(count), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("memo", "category")
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    go.touch()
    last = {}
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        acks = [line.split() for line in out.splitlines()]
        assert len(acks) == count
        for _ack, name, value in acks:
            last[name] = value
    store = Store.open(project)
    coding = api.coding_session(store, "ana").get(comment_id(store, "FG1-002"))
    assert coding.memo == last["memo"].replace("_", " ")
    assert str(int(coding.unsure)) == last["unsure"]
    assert coding.category == last["category"]
    assert (",".join(coding.themes) or "-") == last["themes"]
    rows = coding_audit(store, "FG1-002")
    assert len(rows) == 2 * count  # every change has its row
    stale = [
        (a["id"], b["id"])
        for a, b in zip(rows, rows[1:], strict=False)
        if json.loads(b["before"]) != json.loads(a["after"])
    ]
    assert stale == [], f"{len(stale)} audit rows with a stale 'before'"
    assert json.loads(rows[-1]["after"]) == coding.as_dict()
