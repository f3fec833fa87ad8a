"""One coder's coding: rules, immediate commits with audit rows, undo and redo."""

import json

import pytest

from workbench.coding.coder import ensure_coder, validate_name
from workbench.coding.session import (
    Coding,
    CodingRuleError,
    CodingSession,
    ThemesWouldBeDropped,
)
from workbench.errors import WorkbenchError
from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project
from workbench.store import Store


@pytest.fixture
def store(tmp_path):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text(
        "Ann: We plan together.\n\nBob: She listens.\n\nAnn: It works.\n"
    )
    import_transcripts(store, [tmp_path / "fg.txt"])
    return store


def ids(store):
    return [c.id for c in store.comments()]


def test_each_change_commits_at_once_with_an_audit_row(store, tmp_path):
    session = CodingSession.start(store, "ana")
    first = ids(store)[0]
    session.set_category(first, "effective")
    session.toggle_theme(first, "listening")
    session.toggle_theme(first, "role_shift")
    session.set_memo(first, "  clear example  ")
    session.toggle_exemplar(first)
    # A second connection (another process) sees every change already committed.
    other = Store.open(tmp_path / "p.db")
    row = other.coding(session.coder_id, first)
    assert (row.category_key, row.themes, row.memo, row.exemplar) == (
        "effective",
        ("role_shift", "listening"),
        "clear example",
        True,
    )
    audit = [r for r in other.audit_rows() if r["entity"] == "coding"]
    assert [r["action"] for r in audit] == ["code"] * 5
    assert {r["actor"] for r in audit} == {"ana"} and {r["entity_ref"] for r in audit} == {
        "FG1-001"
    }
    assert json.loads(audit[1]["before"])["themes"] == [] and json.loads(audit[1]["after"])[
        "themes"
    ] == ["listening"]


def test_themes_only_on_categories_that_take_them(store):
    session = CodingSession.start(store, "ana")
    first = ids(store)[0]
    with pytest.raises(
        CodingRuleError,
        match="choose Behaviors of effective coproduction or Behaviors of ineffective",
    ):
        session.toggle_theme(first, "listening")
    session.set_category(first, "defining")
    with pytest.raises(CodingRuleError):
        session.toggle_theme(first, "listening")
    with pytest.raises(CodingRuleError, match="unknown theme"):
        session.set_category(first, "effective") and session.toggle_theme(first, "nope")
    assert session.get(first).themes == ()


def test_moving_a_themed_comment_to_a_category_without_themes_asks_first(store):
    session = CodingSession.start(store, "ana")
    first = ids(store)[0]
    session.set_category(first, "ineffective")
    session.toggle_theme(first, "communication")
    with pytest.raises(ThemesWouldBeDropped) as info:
        session.set_category(first, "benefits")
    assert info.value.themes == ("communication",)
    assert session.get(first) == Coding("ineffective", ("communication",))
    # Between theme-taking categories the themes stay.
    assert session.set_category(first, "effective").themes == ("communication",)
    assert session.set_category(first, "benefits", drop_themes=True) == Coding("benefits")


def test_undo_and_redo_replay_the_coders_own_changes(store):
    session = CodingSession.start(store, "ana")
    a, b, _ = ids(store)
    session.set_category(a, "effective")
    session.toggle_theme(a, "listening")
    session.set_category(b, "defining")
    assert session.undo() == b and session.get(b) == Coding()
    assert session.undo() == a and session.get(a) == Coding("effective")
    assert session.redo() == a and session.get(a).themes == ("listening",)
    session.toggle_unsure(a)  # a new change clears the redo stack
    assert not session.can_redo and session.redo() is None
    assert session.undo() == a and not session.get(a).unsure
    actions = [r["action"] for r in store.audit_rows() if r["entity"] == "coding"]
    assert actions == ["code", "code", "code", "undo", "undo", "redo", "code", "undo"]
    while session.undo() is not None:
        pass
    assert store.codings_of(session.coder_id) == {}


def test_coders_do_not_see_each_other(store):
    ana, ben = CodingSession.start(store, "ana"), CodingSession.start(store, "ben")
    first = ids(store)[0]
    ana.set_category(first, "effective")
    assert ben.get(first) == Coding()
    assert list(store.codings_of(ana.coder_id)) == [first] and store.codings_of(ben.coder_id) == {}


def test_complete_requires_themes_where_the_category_takes_them(store):
    session = CodingSession.start(store, "ana")
    assert not session.complete(Coding())
    assert session.complete(Coding("defining"))
    assert not session.complete(Coding("effective"))
    assert session.complete(Coding("effective", ("listening",)))


def test_coder_names(store):
    assert validate_name("  Ana_Lopez ") == "Ana_Lopez"
    assert validate_name("ｈélène.b") == "hélène.b"  # NFKC: full-width letters are letters
    with pytest.raises(WorkbenchError, match="no spaces"):  # "ana ben" was one coder or two
        validate_name("ana ben")
    with pytest.raises(WorkbenchError, match="no spaces"):  # a zero-width space
        validate_name("ana\u200bben")
    with pytest.raises(WorkbenchError, match="reserved"):
        validate_name("Agreed")
    with pytest.raises(WorkbenchError, match="reserved"):  # with a Cyrillic а
        validate_name("\u0430greed")
    with pytest.raises(WorkbenchError, match="looks like the existing coder 'ana'"):
        validate_name("\u0430na", ["ana"])
    with pytest.raises(WorkbenchError):
        validate_name("")
    first = ensure_coder(store, "ana")
    assert ensure_coder(store, "ANA").id == first.id  # names are case-insensitive
