"""Reconciliation: automatic agreement, the disagreement queue, decisions and their audit."""

import json

import pytest

from workbench.coding.session import Coding, CodingSession
from workbench.errors import WorkbenchError
from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project
from workbench.reconcile.consensus import Reconciliation, differences


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db")
    text = "\n\n".join(f"{'Ann' if n % 2 else 'Bob'}: Comment {n}." for n in range(8))
    (tmp_path / "fg.txt").write_text(text)
    import_transcripts(store, [tmp_path / "fg.txt"])
    ids = [c.id for c in store.comments()]
    ana, ben = CodingSession.start(store, "ana"), CodingSession.start(store, "ben")

    def code(session, i, category, *themes):
        session.set_category(ids[i], category)
        for theme in themes:
            session.toggle_theme(ids[i], theme)

    code(ana, 0, "defining")  # agree
    code(ben, 0, "defining")
    code(ana, 1, "effective", "listening", "mutuality")  # agree (set)
    code(ben, 1, "effective", "mutuality", "listening")
    code(ana, 2, "effective", "listening")  # category
    code(ben, 2, "ineffective", "listening")
    code(ana, 3, "effective", "listening")  # themes
    code(ben, 3, "effective", "role_shift")
    code(ana, 4, "benefits")  # not sure
    code(ben, 4, "benefits")
    ben.toggle_unsure(ids[4])
    code(ana, 5, "benefits")  # missing
    ana.toggle_exemplar(ids[0])
    return store


def test_differences():
    assert differences(Coding("a"), Coding("a")) == ()
    assert differences(Coding("a", ("x", "y")), Coding("a", ("y", "x"))) == ()
    assert differences(Coding("a"), None) == ("missing",)
    assert differences(Coding("a", ("x",)), Coding("b", ("y",), unsure=True)) == (
        "category",
        "themes",
        "not sure",
    )
    assert differences(Coding("a", exemplar=True), Coding("a")) == ("exemplar",)


def test_identical_codings_are_agreed_automatically_and_marked(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    assert rec.auto_agree() == 1
    assert rec.auto_agree() == 0  # nothing twice
    items = {i.ref: i for i in rec.items()}
    # Only ana starred FG1-001 as an exemplar: the lead decides, the star is not agreed unseen.
    assert items["FG1-001"].status is None and items["FG1-001"].agreed is None
    assert items["FG1-001"].reasons == ("exemplar",)
    assert items["FG1-002"].agreed == Coding("effective", ("mutuality", "listening"))
    audit = [r for r in store.audit_rows() if r["action"] == "auto_agree"]
    assert [r["entity_ref"] for r in audit] == ["FG1-002"] and audit[0]["actor"] == "lead"


def test_queue_holds_every_disagreement_with_its_reasons(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    queue = {i.ref: i.reasons for i in rec.queue()}
    assert queue == {
        "FG1-001": ("exemplar",),
        "FG1-003": ("category",),
        "FG1-004": ("themes",),
        "FG1-005": ("not sure",),
        "FG1-006": ("missing",),
    }
    missing = [i for i in rec.queue() if i.ref == "FG1-006"][0]
    assert missing.codings["ben"] is None  # shown as missing, not as agreement


def test_decisions_take_a_take_b_edit_defer_with_rationale_and_audit(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    rec.auto_agree()
    q = {i.ref: i for i in rec.queue()}
    rec.take(q["FG1-003"], "ben", "ineffective: the parent describes a failure")
    rec.take(q["FG1-004"], "ana")
    rec.decide(q["FG1-005"], Coding("defining"), "neither: it defines coproduction")
    rec.defer(q["FG1-006"], "ask Ben to code it")
    rec.take(q["FG1-001"], "ana", "a clear definition, a good quote")
    with pytest.raises(WorkbenchError, match="ben did not code"):
        rec.take(q["FG1-006"], "ben")
    with pytest.raises(WorkbenchError, match="takes no themes"):
        rec.decide(q["FG1-006"], Coding("defining", ("listening",)))
    assert rec.progress() == {
        "compared": 6,
        "agreed_automatically": 1,
        "disagreements": 5,
        "resolved": 4,
        "deferred": 1,
        "open": 0,
        "changed_since_reconciled": 0,
    }
    fresh = {i.ref: i for i in Reconciliation(store, "ana", "ben", actor="lead").queue()}
    assert fresh["FG1-001"].agreed == Coding("defining", exemplar=True)
    assert fresh["FG1-003"].agreed == Coding("ineffective", ("listening",))
    assert fresh["FG1-003"].rationale == "ineffective: the parent describes a failure"
    assert fresh["FG1-006"].status == "deferred" and fresh["FG1-006"].agreed is None
    entry = [
        r for r in store.audit_rows() if r["action"] == "reconcile" and r["entity_ref"] == "FG1-003"
    ][0]
    assert entry["actor"] == "lead"
    assert json.loads(entry["after"])["category"] == "ineffective"
    assert (
        "took ben's coding" in entry["note"] and "the parent describes a failure" in entry["note"]
    )
    assert "ana: effective [listening]" in entry["note"]


def test_unknown_or_same_coders_are_refused(store):
    with pytest.raises(WorkbenchError, match="no coder 'zoe'.*coders: ana, ben"):
        Reconciliation(store, "ana", "zoe", actor="lead")
    with pytest.raises(WorkbenchError, match="two different"):
        Reconciliation(store, "ana", "ANA", actor="lead")


def state(store, rec, ref):
    """(agreed coding, reconciliation row) of one comment, as stored."""
    comment_id = store.find_ref(ref)[0]
    coder = store.coder_named("agreed")
    coding = store.coding(coder.id, comment_id) if coder else None
    if coding:  # an undo is a new write; what it writes is what was there
        coding = coding._replace(updated_at="")
    return coding, store.reconciliation(comment_id)


def test_decisions_are_undone_newest_first_with_their_audit(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    rec.auto_agree()
    q = {i.ref: i for i in rec.queue()}
    assert not rec.can_undo and rec.undo() is None  # automatic agreement is not a decision to undo
    rec.take(q["FG1-003"], "ana")
    first = state(store, rec, "FG1-003")
    rec.take(q["FG1-003"], "ben", "the parent describes a failure")
    rec.note(q["FG1-003"], "a clearer rationale")
    rec.defer(q["FG1-006"])
    # Defer: FG1-006 open again, no row.
    step = rec.undo()
    assert (step.item.ref, step.what) == ("FG1-006", "deferred")
    assert state(store, rec, "FG1-006") == (None, None) and q["FG1-006"].status is None
    # The rationale, then ben's coding: back to ana's, as first decided (row and time included).
    rec.undo()
    assert q["FG1-003"].rationale == "the parent describes a failure"
    rec.undo()
    assert state(store, rec, "FG1-003") == first
    assert (
        q["FG1-003"].agreed == Coding("effective", ("listening",)) and q["FG1-003"].rationale == ""
    )
    # ana's: no agreed coding, no decision.
    rec.undo()
    assert state(store, rec, "FG1-003") == (None, None)
    assert q["FG1-003"].agreed is None and q["FG1-003"].status is None
    assert rec.progress()["open"] == 5
    undone = [r for r in store.audit_rows() if r["action"] == "undo"]
    assert [(r["entity"], r["entity_ref"]) for r in undone] == [
        ("reconciliation", "FG1-006"),
        ("reconciliation", "FG1-003"),
        ("coding", "FG1-003"),
        ("reconciliation", "FG1-003"),
        ("coding", "FG1-003"),
        ("reconciliation", "FG1-003"),
    ]
    assert {r["actor"] for r in undone} == {"lead"}
    assert "undid: took ben's coding" in undone[2]["note"]
    assert json.loads(undone[-1]["before"]) == {"status": "resolved", "rationale": ""}
    assert undone[-1]["after"] is None  # no decision any more


def test_the_agreed_exemplar_is_a_decision_and_undone_like_one(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    item = next(i for i in rec.queue() if i.ref == "FG1-001")  # only ana starred it
    rec.take(item, "ben")
    assert item.agreed == Coding("defining")
    rec.decide(item, Coding("defining", exemplar=True), note="agreed exemplar: yes")
    assert state(store, rec, "FG1-001")[0].exemplar
    rec.undo()
    assert not state(store, rec, "FG1-001")[0].exemplar


def test_a_decision_changed_in_another_window_is_not_undone(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    item = next(i for i in rec.queue() if i.ref == "FG1-003")
    rec.take(item, "ana")
    other = Reconciliation(store, "ana", "ben", actor="cai")
    rec_item = next(i for i in other.queue() if i.ref == "FG1-003")
    other.take(rec_item, "ben")
    before = state(store, rec, "FG1-003")
    with pytest.raises(WorkbenchError, match="FG1-003 was decided again since"):
        rec.undo()
    assert state(store, rec, "FG1-003") == before
    assert not rec.can_undo


def test_undone_decisions_are_redone_until_a_new_decision(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    q = {i.ref: i for i in rec.queue()}
    assert not rec.can_redo and rec.redo() is None
    rec.take(q["FG1-003"], "ben", "the parent describes a failure")
    taken = state(store, rec, "FG1-003")
    rec.defer(q["FG1-006"])
    deferred = state(store, rec, "FG1-006")
    rec.undo()
    rec.undo()
    assert state(store, rec, "FG1-003") == (None, None) and rec.can_redo
    # Oldest undone last: ben's coding comes back first, with its rationale and state.
    assert rec.redo().what == "took ben's coding"
    assert state(store, rec, "FG1-003")[0] == taken[0]
    assert state(store, rec, "FG1-003")[1]["status"] == "resolved"
    assert (q["FG1-003"].status, q["FG1-003"].rationale) == (
        "resolved",
        "the parent describes a failure",
    )
    assert q["FG1-003"].agreed == Coding("ineffective", ("listening",))
    assert rec.redo().what == "deferred"
    assert state(store, rec, "FG1-006")[1]["status"] == deferred[1]["status"] == "deferred"
    assert rec.redo() is None
    # A redone decision is undone like any other; a new decision ends what could be redone.
    assert rec.undo().what == "deferred" and rec.can_redo
    rec.take(q["FG1-005"], "ana")
    assert not rec.can_redo and rec.redo() is None
    redone = [r for r in store.audit_rows() if r["action"] == "redo"]
    assert [(r["entity"], r["entity_ref"], r["actor"]) for r in redone] == [
        ("coding", "FG1-003", "lead"),
        ("reconciliation", "FG1-003", "lead"),
        ("reconciliation", "FG1-006", "lead"),
    ]
    assert "redid: took ben's coding" in redone[0]["note"]


def test_a_comment_decided_in_another_window_is_not_redone(store):
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    item = next(i for i in rec.queue() if i.ref == "FG1-003")
    rec.take(item, "ana")
    rec.undo()
    other = Reconciliation(store, "ana", "ben", actor="cai")
    other.take(next(i for i in other.queue() if i.ref == "FG1-003"), "ben")
    before = state(store, rec, "FG1-003")
    with pytest.raises(WorkbenchError, match="FG1-003 was decided again since"):
        rec.redo()
    assert state(store, rec, "FG1-003") == before and not rec.can_redo


def test_the_agreed_coding_is_checked_by_the_codebooks_rule(store, tmp_path):
    """Reconciliation asks Codebook.check inside the decision: the refusal names the comment, the
    category and what to choose; codes the agreed coding already had (a theme retired since) stay
    through a new rationale, and no new agreed coding may use them."""
    from helpers import codebook_without_listening

    from workbench.errors import CodingRuleError
    from workbench.project.lifecycle import install_codebook

    rec = Reconciliation(store, "ana", "ben", actor="lead")
    q = {i.ref: i for i in rec.queue()}
    with pytest.raises(CodingRuleError) as caught:
        rec.decide(q["FG1-005"], Coding("defining", ("listening",)))
    assert str(caught.value) == (
        "FG1-005: category 'Defining coproduction' takes no themes: themes go only on a category "
        "that takes themes: choose Behaviors of effective coproduction or Behaviors of ineffective "
        "coproduction; nothing was recorded"
    )
    assert rec.progress()["resolved"] == 0
    with pytest.raises(CodingRuleError, match="^FG1-005: no category: choose one"):
        rec.decide(q["FG1-005"], Coding())
    rec.take(q["FG1-003"], "ana")  # effective, listening
    install_codebook(store, codebook_without_listening(tmp_path), "v2.toml", force=True)
    rec = Reconciliation(store, "ana", "ben", actor="lead")
    q = {i.ref: i for i in rec.queue()}
    rec.decide(q["FG1-003"], q["FG1-003"].agreed, "kept from the first codebook")
    with pytest.raises(
        CodingRuleError, match=r"^FG1-004: theme 'Listening' \(listening\) is retired"
    ):
        rec.take(q["FG1-004"], "ana")
