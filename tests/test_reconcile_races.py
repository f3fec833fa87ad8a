"""Reconciliation and review decide on what the screen shows: inside each decision's
transaction the comment's words, both coders' codings and the agreed coding are read again,
and a change made in another window (a second connection to the file) refuses the decision,
writing nothing; the screen then reads the queue again."""

import pytest
from helpers import copy_project

from workbench.coding.seen import CommentChanged, StaleView
from workbench.coding.session import Coding, CodingSession
from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project
from workbench.reconcile.consensus import Reconciliation
from workbench.reconcile.review import Review
from workbench.store import Store
from workbench.ui.app import create_app


@pytest.fixture
def project(tmp_path):
    store = init_project(tmp_path / "p.db")
    text = "\n\n".join(f"{'Ann' if n % 2 else 'Bob'}: Comment {n}. It matters." for n in range(4))
    (tmp_path / "fg.txt").write_text(text)
    import_transcripts(store, [tmp_path / "fg.txt"])
    ana, ben = CodingSession.start(store, "ana"), CodingSession.start(store, "ben")
    for comment in store.comments():
        ana.set_category(comment.id, "defining")
        ben.set_category(comment.id, "benefits")  # every comment a disagreement
    store.close()
    return tmp_path / "p.db"


def audit_since(store, mark):
    return [
        r
        for r in store.audit_rows()
        if r["id"] > mark and r["entity"] in ("coding", "reconciliation")
    ]


def test_a_decision_on_changed_words_is_refused(project):
    lead, other = Store.open(project), Store.open(project)
    rec = Reconciliation(lead, "ana", "ben", "lead")
    item = rec.queue()[0]
    rec.seen.context(item.comment_id)  # on the lead's screen
    with other.transaction():  # a corrected transcript replaced the words (any writer)
        other.conn.execute(
            "UPDATE comments SET text = 'Other words.' WHERE id = ?", [item.comment_id]
        )
    mark = lead.audit_mark()
    with pytest.raises(
        CommentChanged,
        match="FG1-001 changed in another window since it was "
        "shown here: it now reads “Other words.”",
    ):
        rec.take(item, "ana")
    with pytest.raises(CommentChanged):
        rec.defer(item)
    assert audit_since(lead, mark) == [] and lead.reconciliations() == {}


def test_a_coders_change_since_the_queue_was_read_refuses_taking_their_coding(project):
    lead, coder = Store.open(project), Store.open(project)
    rec = Reconciliation(lead, "ana", "ben", "lead")
    item = rec.queue()[1]
    rec.seen.context(item.comment_id)
    CodingSession.start(coder, "ana").set_category(item.comment_id, "benefits")  # ana, elsewhere
    mark = lead.audit_mark()
    with pytest.raises(
        StaleView,
        match="FG1-002: ana's coding changed in another window since "
        r"this queue was read \(now benefits\)",
    ):
        rec.take(item, "ana")  # would have agreed on "defining", which ana no longer says
    assert audit_since(lead, mark) == []
    fresh = {i.ref: i for i in rec.items()}["FG1-002"]  # the queue read again
    assert fresh.reasons == () and fresh.codings["ana"] == Coding("benefits")


def test_two_leads_deciding_one_comment(project):
    one, two = Store.open(project), Store.open(project)
    first = Reconciliation(one, "ana", "ben", "lead")
    second = Reconciliation(two, "ana", "ben", "eve")
    mine, theirs = first.queue()[2], second.queue()[2]
    first.seen.context(mine.comment_id)
    second.seen.context(theirs.comment_id)
    second.take(theirs, "ben", "as discussed")
    with pytest.raises(
        StaleView,
        match=r"FG1-003 was decided in another window since this queue "
        r"was read \(agreed coding now benefits\)",
    ):
        first.take(mine, "ana")
    agreed = one.coder_named("agreed")
    assert one.coding(agreed.id, mine.comment_id).category_key == "benefits"
    assert one.reconciliations()[mine.comment_id]["decided_by"] == "eve"


def test_undo_of_a_decision_on_words_changed_since_is_refused(project):
    lead, other = Store.open(project), Store.open(project)
    rec = Reconciliation(lead, "ana", "ben", "lead")
    item = rec.queue()[0]
    rec.seen.context(item.comment_id)
    rec.take(item, "ben")
    with other.transaction():
        other.conn.execute(
            "UPDATE comments SET text = 'Other words.' WHERE id = ?", [item.comment_id]
        )
    with pytest.raises(CommentChanged, match="Nothing to undo: FG1-001 changed"):
        rec.undo()
    agreed = lead.coding(lead.coder_named("agreed").id, item.comment_id)
    assert agreed.category_key == "benefits"


def test_a_review_decision_on_an_agreed_coding_changed_elsewhere_is_refused(trained_demo, tmp_path):
    lead = copy_project(trained_demo, tmp_path)
    other = Store.open(lead.path)
    review = Review(lead, "lead")
    item = review.queue()[0]
    review.seen.context(item.comment_id)
    elsewhere = Review(other, "eve")
    elsewhere.take({i.ref: i for i in elsewhere.queue()}[item.ref], elsewhere.model)
    with pytest.raises(StaleView, match=f"{item.ref}: the agreed coding changed in another window"):
        review.take(item, "agreed")  # would have put back the coding eve just changed
    assert lead.review_decision(review.model_id, item.comment_id)["decided_by"] == "eve"


async def test_the_reconciliation_screen_reads_the_queue_again_after_a_refusal(project):
    lead = Store.open(project)
    app = create_app(lead, reconcile=("ana", "ben", "lead"))
    app.WATCH_SECONDS = 3600  # the key comes before the window looks: the decision's own check
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.item.ref == "FG1-001"
        ben = CodingSession.start(Store.open(project), "ben")
        ben.set_category(screen.item.comment_id, "defining")
        await pilot.press("A")  # take ana's: ben now agrees, but the screen does not show it yet
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(
            "FG1-001: ben's coding changed in another window" in n.message
            for n in app._notifications
        )
        # Nothing decided on what the lead did not see.
        assert not [r for r in lead.audit_rows() if r["action"] == "reconcile"]
        # Read again: FG1-001 is agreed automatically now, and the queue holds the other three.
        assert [i.ref for i in screen.queue] == ["FG1-002", "FG1-003", "FG1-004"]
        assert lead.reconciliations()[lead.find_ref("FG1-001")[0]]["status"] == "auto"
