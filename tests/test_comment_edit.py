"""Splitting and merging comments before coding, and full-text search."""

import pytest

from workbench.coding.comment import CommentEditError, merge_with_next, split_comment
from workbench.coding.search import fts_query, highlight_spans, search
from workbench.coding.session import CodingSession
from workbench.ingest.importer import import_transcripts
from workbench.ingest.language import split_points
from workbench.ingest.refs import parse_ref
from workbench.project.lifecycle import init_project

TEXT = ("Ann: We planned the visit together. Then she listened to me. It felt equal.\n\n"
        "Bob: I agree.\n\nBob: And the nurse asked about school.\n\nAnn: Café talk helps.\n")


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text(TEXT)
    import_transcripts(store, [tmp_path / "fg.txt"])
    return store


def texts(store):
    return [(c["ref"], c["text"]) for c in store.comments()]


def test_split_at_a_sentence_boundary_keeps_order_and_refs(store):
    first = store.comments()[0]
    points = split_points(first["text"])
    assert split_comment(store, first["id"], points[0], actor="ana") == ("FG1-001", "FG1-001b")
    assert texts(store)[:3] == [
        ("FG1-001", "We planned the visit together."),
        ("FG1-001b", "Then she listened to me. It felt equal."),
        ("FG1-002", "I agree."),
    ]
    second = store.comments()[1]
    assert split_comment(store, second["id"], split_points(second["text"])[0]) == ("FG1-001b", "FG1-001c")
    assert [r for r, _ in texts(store)] == ["FG1-001", "FG1-001b", "FG1-001c", "FG1-002", "FG1-003", "FG1-004"]
    entry = [r for r in store.audit_rows() if r["action"] == "split"][0]
    assert (entry["actor"], entry["entity_ref"]) == ("ana", "FG1-001")
    assert [c["word_count"] for c in store.comments()][:3] == [5, 5, 3]


def test_split_elsewhere_than_a_sentence_boundary_is_refused(store):
    first = store.comments()[0]
    with pytest.raises(CommentEditError, match="not a sentence boundary"):
        split_comment(store, first["id"], 5)


def test_merge_with_the_next_comment_of_the_same_speaker(store):
    rows = store.comments()
    with pytest.raises(CommentEditError, match="different speakers"):
        merge_with_next(store, rows[0]["id"])
    assert merge_with_next(store, rows[1]["id"]) == "FG1-002"
    assert texts(store)[1:] == [("FG1-002", "I agree. And the nurse asked about school."),
                                ("FG1-004", "Café talk helps.")]
    with pytest.raises(CommentEditError, match="last comment"):
        merge_with_next(store, store.comments()[-1]["id"])
    assert [r["action"] for r in store.audit_rows()][-1] == "merge"


def test_coded_comments_cannot_be_split_or_merged(store):
    rows = store.comments()
    CodingSession.start(store, "ana").set_category(rows[2]["id"], "effective")
    with pytest.raises(CommentEditError, match="1 coding"):
        merge_with_next(store, rows[1]["id"])
    before = texts(store)
    with pytest.raises(CommentEditError, match="cannot split FG1-003"):
        split_comment(store, rows[2]["id"], 0)
    assert texts(store) == before


def test_search_finds_prefixes_in_order_and_follows_edits(store):
    ref = {c["id"]: c["ref"] for c in store.comments()}
    assert [ref[i] for i in search(store, "listen")] == ["FG1-001"]
    assert [ref[i] for i in search(store, "the")] == ["FG1-001", "FG1-003"]
    assert [ref[i] for i in search(store, "cafe")] == ["FG1-004"]  # accents ignored
    assert search(store, 'AND OR "(') == [] and fts_query("  ") is None
    # Edits after indexing are followed by the triggers.
    merge_with_next(store, store.comments()[1]["id"])
    assert [ref[i] for i in search(store, "nurse school")] == ["FG1-002"]
    rows = store.comments()
    split_comment(store, rows[0]["id"], split_points(rows[0]["text"])[1])
    found = {c["id"]: c["ref"] for c in store.comments()}
    assert [found[i] for i in search(store, "equal")] == ["FG1-001b"]


def test_highlight_spans():
    text = "She listened; listening matters. Listen!"
    assert [text[a:b] for a, b in highlight_spans(text, "listen")] == ["listened", "listening", "Listen"]
    assert highlight_spans(text, "") == []


def test_parse_ref():
    assert parse_ref("FG1-017") == ("FG1", 17, "")
    assert parse_ref("FG1-017b") == ("FG1", 17, "b")
    assert parse_ref("nonsense") is None
