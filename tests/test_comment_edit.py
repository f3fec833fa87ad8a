"""Splitting and merging comments before coding, and full-text search."""

import pytest

from workbench.coding.comment import CommentEditError, merge_with_next, split_comment
from workbench.coding.search import fts_query, highlight_spans, search
from workbench.coding.session import CodingSession
from workbench.ingest.importer import import_transcripts
from workbench.ingest.language import split_points
from workbench.ingest.refs import parse_ref
from workbench.project.lifecycle import init_project

TEXT = (
    "Ann: We planned the visit together. Then she listened to me. It felt equal.\n\n"
    "Bob: I agree.\n\nBob: And the nurse asked about school.\n\nAnn: Café talk helps.\n"
)


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text(TEXT)
    import_transcripts(store, [tmp_path / "fg.txt"])
    return store


def texts(store):
    return [(c.ref, c.text) for c in store.comments()]


def test_split_at_a_sentence_boundary_keeps_order_and_refs(store):
    first = store.comments()[0]
    points = split_points(first.text)
    assert split_comment(store, first.id, points[0], actor="ana") == ("FG1-001", "FG1-001b")
    assert texts(store)[:3] == [
        ("FG1-001", "We planned the visit together."),
        ("FG1-001b", "Then she listened to me. It felt equal."),
        ("FG1-002", "I agree."),
    ]
    second = store.comments()[1]
    assert split_comment(store, second.id, split_points(second.text)[0]) == ("FG1-001b", "FG1-001c")
    assert [r for r, _ in texts(store)] == [
        "FG1-001",
        "FG1-001b",
        "FG1-001c",
        "FG1-002",
        "FG1-003",
        "FG1-004",
    ]
    entry = [r for r in store.audit_rows() if r["action"] == "split"][0]
    assert (entry["actor"], entry["entity_ref"]) == ("ana", "FG1-001")
    assert [c.word_count for c in store.comments()][:3] == [5, 5, 3]


def test_split_elsewhere_than_a_sentence_boundary_is_refused(store):
    first = store.comments()[0]
    with pytest.raises(CommentEditError, match="not a sentence boundary"):
        split_comment(store, first.id, 5)


def test_merge_with_the_next_comment_of_the_same_speaker(store):
    rows = store.comments()
    with pytest.raises(CommentEditError, match="different speakers"):
        merge_with_next(store, rows[0].id)
    assert merge_with_next(store, rows[1].id) == "FG1-002"
    assert texts(store)[1:] == [
        ("FG1-002", "I agree. And the nurse asked about school."),
        ("FG1-004", "Café talk helps."),
    ]
    with pytest.raises(CommentEditError, match="last comment"):
        merge_with_next(store, store.comments()[-1].id)
    assert [r["action"] for r in store.audit_rows()][-1] == "merge"


def test_coded_comments_cannot_be_split_or_merged(store):
    rows = store.comments()
    CodingSession.start(store, "ana").set_category(rows[2].id, "effective")
    with pytest.raises(
        CommentEditError,
        match="cannot merge FG1-002 and FG1-003: comments are split and merged "
        "only while nobody has coded them",
    ) as refused:
        merge_with_next(store, rows[1].id)
    before = texts(store)
    with pytest.raises(CommentEditError, match="cannot split FG1-003"):
        split_comment(store, rows[2].id, 0)
    assert texts(store) == before
    # A blind coder must not learn that someone else coded it: no count, no name.
    assert "ana" not in str(refused.value) and "1" not in str(refused.value).replace("FG1", "")


def test_the_refusal_reads_the_same_whoever_coded(store):
    rows = store.comments()
    messages = []
    for coder in ("ana", "ben"):
        session = CodingSession.start(store, coder)
        session.set_category(rows[2].id, "effective")
        with pytest.raises(CommentEditError) as refused:
            split_comment(store, rows[2].id, 0)
        messages.append(str(refused.value))
        session.clear(rows[2].id)
    assert messages[0] == messages[1]


def test_a_split_is_undone_exactly_and_audited(store):
    from workbench.coding.comment import unsplit

    original = store.comments()[0]
    before = texts(store)
    _, second = split_comment(store, original.id, split_points(original.text)[0], actor="ana")
    assert unsplit(store, original.id, original, second, actor="ana") == "FG1-001"
    assert texts(store) == before
    merged = store.comments()[0]
    assert (merged.word_count, merged.start_s, merged.end_s) == (
        original.word_count,
        original.start_s,
        original.end_s,
    )
    entry = store.audit_rows()[-1]
    assert (entry["action"], entry["entity_ref"], entry["actor"]) == (
        "undo split",
        "FG1-001",
        "ana",
    )
    # Split again: the second part takes the same ref, and stays searchable.
    assert split_comment(store, original.id, split_points(original.text)[0])[1] == "FG1-001b"
    assert search(store, "equal")


def test_undoing_a_split_is_refused_once_a_part_is_coded(store):
    from workbench.coding.comment import unsplit

    original = store.comments()[0]
    _, second = split_comment(store, original.id, split_points(original.text)[0])
    second_id = next(c.id for c in store.comments() if c.ref == second)
    session = CodingSession.start(store, "ben")
    session.set_category(second_id, "defining")
    before = texts(store)
    with pytest.raises(
        CommentEditError, match="cannot merge back FG1-001 and FG1-001b: comments are split"
    ):
        unsplit(store, original.id, original, second)
    assert texts(store) == before
    session.clear(second_id)
    unsplit(store, original.id, original, second)
    assert texts(store)[0] == ("FG1-001", original.text)


def test_a_merge_is_undone_with_the_second_ref_back(store):
    from workbench.coding.comment import unmerge

    rows = [store.comment(c.id) for c in store.comments()]
    before = texts(store)
    merge_with_next(store, rows[1].id)
    new_id = unmerge(store, rows[1].id, rows[1], rows[2], actor="ana")
    assert texts(store) == before
    restored = store.comment(new_id)
    assert (restored.ref, restored.source_line, restored.speaker_id) == (
        rows[2].ref,
        rows[2].source_line,
        rows[2].speaker_id,
    )
    assert [r["action"] for r in store.audit_rows()][-2:] == ["merge", "undo merge"]
    merge_with_next(store, rows[1].id)
    CodingSession.start(store, "ana").set_category(rows[1].id, "defining")
    with pytest.raises(CommentEditError, match="cannot split back FG1-002"):
        unmerge(store, rows[1].id, rows[1], rows[2])


def test_the_session_undoes_and_redoes_splits_and_merges_in_turn(store):
    session = CodingSession.start(store, "ana")
    rows = store.comments()
    before = texts(store)
    session.split(rows[0].id, split_points(rows[0].text)[0])
    session.set_category(rows[3].id, "defining")  # FG1-004, a coding between the edits
    session.merge(rows[1].id)  # FG1-002 + FG1-003
    assert session.next_is_comment_edit()
    assert session.undo() == rows[1].id  # the merge: FG1-003 is back (a new row)
    assert [r for r, _ in texts(store)] == ["FG1-001", "FG1-001b", "FG1-002", "FG1-003", "FG1-004"]
    assert not session.next_is_comment_edit()
    assert session.undo() == rows[3].id  # the coding
    assert session.undo() == rows[0].id  # the split
    assert texts(store) == before and session.undo() is None
    assert session.next_is_comment_edit(redo=True)
    session.redo()
    session.redo()
    session.redo()
    assert [r for r, _ in texts(store)] == ["FG1-001", "FG1-001b", "FG1-002", "FG1-004"]
    assert session.get(rows[3].id).category == "defining"


def test_a_coding_undone_after_its_comment_was_merged_back_follows_it(store):
    session = CodingSession.start(store, "ana")
    rows = store.comments()
    session.set_category(rows[2].id, "defining")  # FG1-003
    session.clear(rows[2].id)
    session.merge(rows[1].id)  # FG1-002 + FG1-003
    session.undo()  # FG1-003 is back, as a new row
    third = next(c for c in store.comments() if c.ref == "FG1-003")
    assert session.undo() == third.id  # the clear, undone on the row that carries FG1-003 now
    assert session.get(third.id).category == "defining"


def test_an_edit_that_cannot_be_undone_stays_on_the_stack(store):
    session = CodingSession.start(store, "ana")
    rows = store.comments()
    session.split(rows[0].id, split_points(rows[0].text)[0])
    CodingSession.start(store, "ben").set_category(rows[0].id, "defining")
    with pytest.raises(CommentEditError):
        session.undo()
    assert session.next_is_comment_edit()


def test_search_finds_prefixes_in_order_and_follows_edits(store):
    ref = {c.id: c.ref for c in store.comments()}
    assert [ref[i] for i in search(store, "listen")] == ["FG1-001"]
    assert [ref[i] for i in search(store, "the")] == ["FG1-001", "FG1-003"]
    assert [ref[i] for i in search(store, "cafe")] == ["FG1-004"]  # accents ignored
    assert search(store, 'AND OR "(') == [] and fts_query("  ") is None
    # Edits after indexing are followed by the triggers.
    merge_with_next(store, store.comments()[1].id)
    assert [ref[i] for i in search(store, "nurse school")] == ["FG1-002"]
    rows = store.comments()
    split_comment(store, rows[0].id, split_points(rows[0].text)[1])
    found = {c.id: c.ref for c in store.comments()}
    assert [found[i] for i in search(store, "equal")] == ["FG1-001b"]


def test_highlight_spans():
    text = "She listened; listening matters. Listen!"
    assert [text[a:b] for a, b in highlight_spans(text, "listen")] == [
        "listened",
        "listening",
        "Listen",
    ]
    assert highlight_spans(text, "") == []


def test_parse_ref():
    assert parse_ref("FG1-017") == ("FG1", 17, "")
    assert parse_ref("FG1-017b") == ("FG1", 17, "b")
    assert parse_ref("nonsense") is None


def test_a_ref_workbench_did_not_make_is_named_when_a_split_is_refused(store):
    first = store.comments()[0]
    with store.transaction():  # a ref not of the form FG1-017 (none derives a part ref from it)
        store.conn.execute("UPDATE comments SET ref = 'Intro' WHERE id = ?", [first.id])
    with pytest.raises(CommentEditError, match="Intro: not a ref of the form FG1-017"):
        split_comment(store, first.id, split_points(first.text)[0])
    assert texts(store)[0] == ("Intro", first.text)
