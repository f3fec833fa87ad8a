"""Comments leave the store as typed records: fields by name, flags as bool, dicts for JSON."""

import json

from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project
from workbench.store.comment_records import Comment, ContextTurn, ListedComment

TEXT = (
    "Interviewer: Welcome, everyone.\n\nAnn: We planned the visit together.\n\n"
    "Bob: I agree.\n\nAnn: Café talk helps.\n"
)

# The listing's columns, in the order the dict rows had them before the records.
LISTED = [
    "id", "ref", "group_name", "group_code", "position", "speaker", "role", "excluded",
    "excluded_reason", "no_speaker", "text", "word_count", "start_s", "end_s", "transcript",
    "source_line",
]  # fmt: skip


def _store(tmp_path):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text(TEXT)
    import_transcripts(store, [tmp_path / "fg.txt"], roles={"Interviewer": "Facilitator"})
    return store


def test_the_listing_is_named_tuples_with_the_columns_it_had_and_bool_flags(tmp_path):
    rows = _store(tmp_path).comments()
    assert all(isinstance(c, ListedComment) for c in rows)
    assert list(ListedComment._fields) == LISTED
    assert [(c.ref, c.speaker, c.role, c.excluded) for c in rows] == [
        ("FG1-001", "Interviewer", "Facilitator", True),
        ("FG1-002", "Ann", None, False),
        ("FG1-003", "Bob", None, False),
        ("FG1-004", "Ann", None, False),
    ]
    assert all(type(c.excluded) is bool and type(c.no_speaker) is bool for c in rows)
    first = rows[1]._asdict()
    assert list(first) == LISTED and first["transcript"] == "fg.txt"
    assert first["text"] == "We planned the visit together."
    json.dumps([c._asdict() for c in rows])  # JSON as it is


def test_a_comment_and_its_context_are_frozen_records(tmp_path):
    store = _store(tmp_path)
    ids = [c.id for c in store.comments()]
    comment = store.comment(ids[1])
    assert isinstance(comment, Comment) and comment.ref == "FG1-002" and comment.excluded is False
    assert store.next_comment(comment) == store.comment(ids[2])
    assert store.next_comment(store.comment(ids[3])) is None and store.comment(10**6) is None
    assert comment.as_dict()["excluded"] is False and json.dumps(comment.as_dict())
    turns = store.comment_with_context(ids[1], 1)
    assert all(isinstance(t, ContextTurn) for t in turns)
    assert [(t.ref, t.current, t.excluded) for t in turns] == [
        ("FG1-001", False, True),
        ("FG1-002", True, False),
        ("FG1-003", False, False),
    ]
    assert turns[1].as_dict()["group_code"] == "FG1"
