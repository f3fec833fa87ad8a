"""Editing the codebook as the app does: the team's TOML kept, the loader's checks, and the
path of `codebook --replace` (refused once coded unless forced, backup first, audited)."""

import difflib
import tomllib
from pathlib import Path

import pytest

from workbench.coding.session import CodingSession
from workbench.errors import CodebookError
from workbench.project.codebook_edit import CodebookDraft, dump, save_draft
from workbench.project.lifecycle import CodebookInUse, init_project

SOURCE = (Path(__file__).resolve().parents[1] / "codebooks" / "coproduction.toml").read_text(
    encoding="utf-8"
)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"
    ]


def test_an_edit_changes_only_its_lines_and_keeps_the_comments():
    draft = CodebookDraft(SOURCE)
    draft.edit("theme", "listening", name="Listening well", definition='Giving "close" attention')
    draft.edit("codebook", "", version="1.1")
    assert changed_lines(SOURCE, draft.text) == [
        '- version = "1.0"',
        '+ version = "1.1"',
        '- name = "Listening"',
        '+ name = "Listening well"',
        '- definition = "Giving close attention to the other"',
        '+ definition = "Giving \\"close\\" attention"',
    ]
    book = draft.codebook()
    assert book.theme("listening").name == "Listening well"
    assert (
        book.theme("listening").definition == 'Giving "close" attention' and book.version == "1.1"
    )
    assert draft.changes == ["theme listening: name, definition", "codebook header: version"]


def test_an_unchanged_value_is_no_edit():
    draft = CodebookDraft(SOURCE)
    draft.edit("theme", "listening", name="Listening", shortcut=" i ")
    assert not draft.changed and draft.changes == []


def test_a_new_theme_follows_the_last_and_gets_a_key_from_its_name():
    draft = CodebookDraft(SOURCE)
    assert (
        draft.add_theme("", "Trust building", "t", "Earning and keeping trust") == "trust_building"
    )
    assert draft.text.startswith(SOURCE.rstrip("\n"))
    assert draft.text.endswith(
        '[[theme]]\nkey = "trust_building"\nname = "Trust building"\nshortcut = "t"\n'
        'definition = "Earning and keeping trust"\n'
    )
    assert [t.key for t in draft.codebook().themes][-1] == "trust_building"
    assert draft.add_theme("", "Trust building", "y") == "trust_building_2"


@pytest.mark.parametrize(
    "fields, message",
    [
        (
            {"shortcut": "f"},
            r'theme "learning": field "shortcut": "f" is the coding or reconciliation screen\'s key '
            r'for "next not sure"',
        ),
        (
            {"shortcut": "T"},
            r'"T" is the coding or reconciliation screen\'s key for "whole transcript"',
        ),
        ({"shortcut": "r"}, r'"r" is already the shortcut of theme "role_shift"'),
        ({"shortcut": "ab"}, r'field "shortcut": "ab" must be a single key'),
        ({"name": "  "}, r'theme #6 \("learning"\): field "name" is missing'),
    ],
)
def test_an_edit_the_loader_refuses_is_refused_and_the_draft_kept(fields, message):
    draft = CodebookDraft(SOURCE)
    with pytest.raises(CodebookError, match=r"^codebook edited in the app: .*" + message):
        draft.edit("theme", "learning", **fields)
    assert draft.text == SOURCE and not draft.changes


def test_keys_and_structure_are_not_edited_in_the_app():
    draft = CodebookDraft(SOURCE)
    with pytest.raises(CodebookError, match="key cannot be edited in the app"):
        draft.edit("theme", "learning", key="learn")
    with pytest.raises(CodebookError, match="takes_themes cannot be edited"):
        draft.edit("category", "defining", takes_themes="true")
    with pytest.raises(CodebookError, match='new theme: field "key": "Learn" must be lower case'):
        draft.add_theme("Learn", "Learning again", "z")


def test_a_field_a_line_edit_cannot_change_is_written_afresh_keeping_the_opening_comments():
    source = (
        '# Team codebook\n# kept\n\n[codebook]\nname = "Team"\n\n[[category]]\nkey = "b"\nname = "Behaviour"\n'
        'shortcut = "1"\ntakes_themes = true\n\n[[theme]]\nkey = "t"\nname = "Trust"\nshortcut = "t"\n'
        'definition = """Several\nlines"""  # why\n'
    )
    draft = CodebookDraft(source)
    draft.edit("theme", "t", definition="One line now")
    assert draft.text.startswith("# Team codebook\n# kept\n\n[codebook]\n")
    assert tomllib.loads(draft.text)["theme"] == [
        {"key": "t", "name": "Trust", "shortcut": "t", "definition": "One line now"}
    ]
    draft.edit("theme", "t", name='Trust \\ and "care"\tnow')  # escapes survive a rewrite
    assert draft.codebook().theme("t").name == 'Trust \\ and "care"\tnow'


def test_a_trailing_comment_is_kept_and_a_missing_field_added():
    source = (
        '[codebook]\nname = "Team"\n\n[[category]]\nkey = "b"\nname = "Behaviour"  # layer 1\n'
        'shortcut = "1"\ntakes_themes = true\n\n[[theme]]\nkey = "t"\nname = "Trust"\nshortcut = "t"\n'
    )
    draft = CodebookDraft(source)
    draft.edit("category", "b", name="Behaviours # all")
    draft.edit("theme", "t", definition="Earned")
    assert 'name = "Behaviours # all"  # layer 1\n' in draft.text
    assert 'shortcut = "t"\ndefinition = "Earned"\n' in draft.text
    assert draft.codebook().category("b").name == "Behaviours # all"


def test_dump_reads_back_as_the_data():
    data = tomllib.loads(SOURCE)
    assert tomllib.loads(dump(data)) == data


# -- saving: the path of `codebook --replace` --------------------------------------------


@pytest.fixture
def store(tmp_path):
    return init_project(tmp_path / "p.db")


def _coded(store):
    from workbench.ingest.importer import GroupMeta, import_transcripts

    path = store.path.with_name("fg.txt")
    path.write_text("Ruth: Being listened to.\n\nDr. Ko: Planning together.\n", encoding="utf-8")
    import_transcripts(store, [path], GroupMeta(name="Group"))
    CodingSession.start(store, "ana").set_category(store.comments()[0].id, "defining")


def test_saving_before_coding_replaces_and_audits_what_was_edited(store):
    draft = CodebookDraft.of(store)
    draft.edit("theme", "listening", name="Listening well")
    assert save_draft(store, draft, actor="lead") == "replaced"
    assert [t.name for t in store.themes() if t.key == "listening"] == ["Listening well"]
    entry = store.audit_rows()[-1]
    assert (entry["action"], entry["entity"], entry["actor"]) == ("replace", "codebook", "lead")
    # An edited codebook is a new version: its own was the one in use, so it was bumped.
    assert entry["note"] == (
        "edited in the app: theme listening: name; version 1.0 names the codebook "
        "already in use, so this one is version 1.1"
    )
    assert store.active_codebook()["version"] == "1.1"
    assert store.active_codebook()["source_name"] == "codebook edited in the app"
    assert store.active_codebook()["content"] == draft.text.replace(
        'version = "1.0"', 'version = "1.1"'
    )


def test_saving_once_coded_needs_confirmation_and_backs_up_first(store):
    _coded(store)
    draft = CodebookDraft.of(store)
    draft.add_theme("", "Trust building", "t")
    with pytest.raises(CodebookInUse, match="already has 1 coding") as refused:
        save_draft(store, draft)
    assert refused.value.coded == 1 and "trust_building" not in {t.key for t in store.themes()}
    assert save_draft(store, draft, force=True) == "replaced"
    assert "trust_building" in {t.key for t in store.themes()}
    backups = list(store.path.parent.glob("p.db.backups/*codebook-replace*"))
    assert len(backups) == 1
    note = store.audit_rows()[-1]["note"]
    assert note.startswith(
        "edited in the app: theme trust_building: added; forced with 1 coding(s)"
    )
    assert f"backup: {backups[0]}" in note


def test_a_codebook_changed_elsewhere_meanwhile_is_not_overwritten(store):
    draft = CodebookDraft.of(store)
    other = CodebookDraft.of(store)
    other.edit("theme", "learning", name="Learning together")
    save_draft(store, other)
    draft.edit("theme", "listening", name="Listening well")
    with pytest.raises(CodebookError, match="changed elsewhere since you began editing it"):
        save_draft(store, draft)
    assert {t.name for t in store.themes()} >= {"Learning together", "Listening"}


def test_edits_that_come_back_to_the_codebook_change_nothing(store):
    draft = CodebookDraft.of(store)
    draft.edit("theme", "listening", name="Listening well")
    draft.edit("theme", "listening", name="Listening")
    assert not draft.changed
    assert save_draft(store, draft) == "unchanged"
